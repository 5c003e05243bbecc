# ParkDash: `make run` serves the dashboard with the seed loaded; `make test` runs every test.
# `make run` never overwrites data: the seed and the demo parks are loaded into an empty database only;
# `make reset` deletes every record and loads them again (it asks, or CONFIRM=1).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Local development runs in debug mode; production sets DJANGO_SECRET_KEY and DJANGO_DEBUG=0 itself.
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}
TEST_ENV := DJANGO_SETTINGS_MODULE=tests.settings

.PHONY: run reset test test-fast test-sqlite test-postgres install install-dev migrate seed lint screenshots bench profile bombs messages clean schema

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The cache table too, when the database is the cache (REDIS_URL not set; with Redis it does nothing).
migrate: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py createcachetable

# The seed, the demo parks and a demo administrator, into an empty database only (no park yet): a database that
# holds data is left as it is (edited figures, uploaded summaries, park ids).
seed: migrate
	$(RUN_ENV) $(PY) manage.py seed

# Start over on purpose: deletes every record of the database (flush), then loads the seed and the demo parks.
# Asks first; CONFIRM=1 does not ask (scripts, CI).
reset: migrate
	$(RUN_ENV) $(PY) manage.py seed --reset $(if $(filter 1 yes,$(CONFIRM)),--noinput)

run: seed
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# The unit and view tests (not marked slow, subprocess or browser: see tests/conftest.py) on SQLite, in parallel
# (pytest-xdist, TEST_WORKERS processes), the test database kept between runs in .cache/test-db/.
# After editing (not adding) a migration: make test-fast PYTEST_ARGS=--create-db
TEST_WORKERS ?= auto
test-fast: install-dev
	$(TEST_ENV) $(PY) -m pytest -m "not slow and not subprocess and not browser" --reuse-db \
		-n $(TEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

test-sqlite: install-dev
	@echo "== tests on SQLite (and Redis) =="
	scripts/with-redis --optional env $(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

# A throwaway primary and a streaming standby of it (scripts/with-postgres --replica: the replica tests in
# tests/ops/test_replica.py read from the standby; every other test uses the primary alone), and a throwaway Redis
# (scripts/with-redis), so that the tests of the shared cache and sessions run (tests/ops/test_scale.py); without
# redis-server they run without it and those tests skip.
test-postgres: install-dev
	@echo "== tests on PostgreSQL (with a streaming replica) and Redis =="
	scripts/with-postgres --replica scripts/with-redis --optional env $(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

# Style and architecture: ruff's rules and format, the layer contract of .importlinter (core < parks < the
# domain apps < intake, dashboard, demo, reports), and the type hints of the pure modules and services ([tool.mypy]).
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# The API's OpenAPI schema, committed so that a change to the API shows in review (tests/api/test_schema.py fails
# while the file differs from what the code generates): validated, and no warning allowed.
schema: install
	$(RUN_ENV) $(PY) manage.py spectacular --lang en --validate --fail-on-warn --file docs/api/openapi.yaml

screenshots: install-dev
	$(TEST_ENV) $(PY) scripts/screenshots.py

bench: install-dev
	$(PY) bench/run.py

# Where the CPU of each request kind of the load mix goes (pyinstrument), at demo scale 1 on SQLite as make bench:
# CPU ms per request, the share of each area (templates, ORM, tables2, …) and the costliest functions; full
# profiles in bench/results/profile/<kind>.html. Options: PROFILE_ARGS="--kinds overview --rounds 30"
profile: install-dev
	$(PY) bench/profile_mix.py $(PROFILE_ARGS)

# The bomb corpus (generated in memory, never stored) through the upload and import views, one process a case:
# peak memory and time of each, against a budget of 300 MB and 30 s. Options: BOMBS_ARGS="--case csv-100k-rows"
bombs: install-dev
	$(PY) bench/bombs.py $(BOMBS_ARGS)

# Translations: the compiled .mo files are committed, so that `make run` needs no gettext.
messages: install
	$(RUN_ENV) $(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=backups --ignore=.cache
	$(RUN_ENV) $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache

# --- Operations: backups, the load test, the deployment check --------------------------------------------------
.PHONY: backup restore load load-scaling deploy-check

BACKUP_DIR ?= backups

# A natural-key dump of every domain record to $(BACKUP_DIR)/parkdash-YYYYmmdd-HHMMSS.json.gz (of DATABASE_URL).
backup: install
	$(RUN_ENV) $(PY) manage.py backup --dir "$(BACKUP_DIR)"

# Load a dump into an empty, migrated database: make restore FILE=backups/parkdash-….json.gz
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/parkdash-YYYYmmdd-HHMMSS.json.gz" >&2; exit 2; }
	$(RUN_ENV) $(PY) manage.py restore "$(FILE)"

# The README's deployment, end to end on loopback: PostgreSQL, migrate, seed, collectstatic, check --deploy,
# gunicorn, nginx with a self-signed certificate, the security headers, a login, make backup and a restore.
deploy-check: install
	scripts/deploy-check

# Load test with writes (manual, not in CI): two gunicorn instances (2 workers each) behind nginx on a throwaway
# PostgreSQL and Redis, 50 clients for 60 s on loopback, then a login and a lockout checked across the instances;
# figures to bench/results/load.json. Options: make load LOAD_ARGS="--duration 30 --clients 20"
# load-scaling: the same load on one instance pinned to one core, then on two pinned to a core each (taskset);
# the throughput ratio to bench/results/load-scaling.json (the same as make load LOAD_ARGS=--scaling).
load: install-dev
	$(PY) scripts/loadtest.py $(LOAD_ARGS)

load-scaling: install-dev
	$(PY) scripts/loadtest.py --scaling $(LOAD_ARGS)
