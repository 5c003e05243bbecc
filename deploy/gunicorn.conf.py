"""gunicorn settings for ParkDash: `gunicorn --config deploy/gunicorn.conf.py`.

Every value can be changed with an environment variable (the systemd unit reads them from the env file), or
on the command line, which wins over this file. nginx (deploy/nginx.conf.example) terminates TLS in front.
"""

import multiprocessing
import os
import time

wsgi_app = "parkdash.wsgi:application"

# Loopback only: nginx is the one that faces the network. Gunicorn must never be reachable from outside,
# since PARKDASH_CLIENT_IP_HEADER trusts the client address nginx writes in X-Real-IP. With several application
# servers behind one nginx, each binds its private address, firewalled so that only the nginx machine reaches it.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: Django is synchronous; 2 × cores + 1 is gunicorn's usual advice.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Exports and imports of large tables can take a while; nginx's proxy_read_timeout is a little longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
# Recycle workers now and then, so that a slow leak never grows unbounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# Heartbeat files in memory rather than on a disk that can stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The proxy on this machine may say the request came over https (Django reads X-Forwarded-Proto itself,
# see SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to standard output and error: journald (or whoever started gunicorn) keeps them.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# gunicorn's control socket is not used; off, so that two instances on one machine never share it.
control_socket_disable = True

# Python's cyclic garbage collector walks every tracked object of the oldest generation now and then: in a worker
# that is Django, its templates, URL patterns and translation catalogues, hundreds of thousands of objects that live
# as long as the worker. gc.freeze() moves the objects that exist now out of the collector's sight, so a collection
# walks only what requests made. Done after a worker's first requests (templates compiled, catalogues loaded) and
# once more later; a frozen object is never freed, so only these few times.
GC_FREEZE_AFTER_REQUESTS = (1, 20, 200)


# Measurement only (make load sets it): each worker appends the CPU seconds of every request it served, with the
# request's X-Load-Kind header, to <PARKDASH_REQUEST_CPU_LOG>.<worker pid>, one "kind<TAB>seconds" line a request.
REQUEST_CPU_LOG = os.environ.get("PARKDASH_REQUEST_CPU_LOG")


def pre_request(worker, req):
    if REQUEST_CPU_LOG:
        worker.request_cpu_started = time.process_time()


def post_request(worker, req, environ, resp):
    if REQUEST_CPU_LOG:
        seconds = time.process_time() - worker.request_cpu_started
        kind = environ.get("HTTP_X_LOAD_KIND", "").replace("\t", " ")
        with open(f"{REQUEST_CPU_LOG}.{os.getpid()}", "a", encoding="utf-8") as log:
            log.write(f"{kind}\t{seconds:.6f}\n")
    if worker.nr in GC_FREEZE_AFTER_REQUESTS:
        import gc

        gc.freeze()
