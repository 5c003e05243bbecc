"""The load test's own bookkeeping (the run itself is `make load`, manual): unique writes, bounds, percentiles."""

import pytest

from scripts import loadtest


def test_every_add_gets_its_own_indicator_year_and_month():
    meta = {"indicators": [{"id": n, "code": f"i{n}"} for n in range(1, 38)]}
    args = loadtest.parse_args(["--clients", "50"])
    shared = loadtest.Shared(args, meta)
    slots = [shared.new_slot() for _ in range(20_000)]
    assert len(set(slots)) == len(slots)
    assert all(year in loadtest.WRITE_YEARS and 1 <= month <= 12 for _indicator, year, month in slots)


def test_the_request_budget_bounds_the_run():
    args = loadtest.parse_args(["--max-requests", "3"])
    shared = loadtest.Shared(args, {"indicators": [{"id": 1, "code": "x"}]})
    assert [shared.take_request() for _ in range(5)] == [True, True, True, False, False]


@pytest.mark.parametrize("option", [["--duration", "0"], ["--duration", "3600"], ["--clients", "1000"]])
def test_unbounded_runs_are_refused(option):
    with pytest.raises(SystemExit):
        loadtest.parse_args(option)


def test_latency_percentiles():
    summary = loadtest.latency([float(n) for n in range(1, 101)])
    assert summary == {"count": 100, "p50_ms": 51.0, "p95_ms": 95.0, "p99_ms": 99.0, "max_ms": 100.0}
    assert loadtest.latency([])["p50_ms"] is None


def test_redirects_that_acknowledge_a_write():
    assert loadtest.CHANGE_REDIRECT.match("/admin/indicators/figure/123/change/").group(1) == "123"
    assert loadtest.LIST_REDIRECT.match("/admin/indicators/figure/")
    assert loadtest.LIST_REDIRECT.match("/admin/indicators/figure/?_changelist_filters=year%3D2023")
    assert not loadtest.LIST_REDIRECT.match("/admin/login/?next=/admin/indicators/figure/")


def test_the_load_runs_two_instances_of_two_workers_and_the_scaling_run_writes_its_own_file():
    args = loadtest.parse_args([])
    assert (args.instances, args.workers, args.scaling) == (2, 2, False)
    assert args.output.endswith("bench/results/load.json")
    assert loadtest.parse_args(["--scaling"]).output.endswith("bench/results/load-scaling.json")


def test_nginx_in_front_of_the_instances_proxies_as_the_deployment_example_does():
    location = loadtest.nginx_location()
    assert location.startswith("    location / {") and location.rstrip().endswith("}")
    for setting in ("proxy_pass http://parkdash_app;", "proxy_set_header X-Real-IP $remote_addr;", "Host $http_host"):
        assert setting in location


def test_a_form_with_plausibility_warnings_is_confirmed_for_exactly_what_it_showed():
    body = '<input type="hidden" name="warnings_shown" value="growth,ratio@12.5" id="id_warnings_shown">'
    assert loadtest.WARNINGS_SHOWN.search(body).group(1) == "growth,ratio@12.5"
    assert loadtest.WARNINGS_SHOWN.search('<input type="hidden" name="warnings_shown" id="id_warnings_shown">') is None


def test_the_workers_cpu_is_summed_per_request_kind(tmp_path):
    (tmp_path / "request-cpu.101").write_text("overview\t0.020\nadmin form\t0.050\n", encoding="utf-8")
    (tmp_path / "request-cpu.102").write_text("overview\t0.040\noverview\t0.030\n\t0.001\n", encoding="utf-8")
    (tmp_path / "unrelated.log").write_text("overview\t9\n", encoding="utf-8")
    found = loadtest.request_cpu_by_kind(tmp_path)
    assert found["overview"] == {"count": 3, "cpu_ms_mean": 30.0, "cpu_ms_median": 30.0, "cpu_s": 0.1}
    assert found["admin form"]["count"] == 1 and found["admin form"]["cpu_ms_mean"] == 50.0
    assert found["other"]["count"] == 1
    assert loadtest.request_cpu_by_kind(tmp_path / "nowhere") == {}
