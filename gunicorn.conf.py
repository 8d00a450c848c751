"""gunicorn settings for the portal: `gunicorn -c gunicorn.conf.py bureau.wsgi`.

Every value can be overridden from the environment (the names gunicorn itself reads, plus the
few below); docs/deploy.md says what to set on which machine.
"""

import multiprocessing
import os

# 127.0.0.1 by default: the portal sits behind a reverse proxy (nginx) on the same host, or
# binds a private address given by GUNICORN_BIND on a web node of several.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers with threads: a request is mostly database time (the dashboard's counts, the
# lists), so two threads per process overlap one request's queries with another's rendering
# while the GIL is released. Processes: 2 per core plus one, the usual start, capped at 9 so
# that one web node never holds more PostgreSQL connections than workers * threads <= 36.
_cpus = multiprocessing.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * _cpus + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"

# The slowest request a user makes is the Word/Excel export of a year when Celery runs in
# process (no broker) and the admin's import preview of a 50,000-row file (17 s, see
# docs/benchmarks.md); 120 s leaves room for both on a loaded machine, and a worker stuck past
# it is killed and replaced instead of holding its slot forever.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Behind a proxy keeping connections open to us.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))

# A worker is replaced after this many requests (with jitter, so that the workers do not all
# restart at once): bounds the memory any slow leak (jieba's dictionary, matplotlib's caches)
# can take.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 100))

# Logs to stdout/stderr, for systemd's journal or the container runtime to collect.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# The client address as the proxy gave it, the request, status, size and time in microseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(D)sus'

# The application is loaded in each worker, not in the master: a worker holds its own
# database connections, and a code change is taken up by `kill -HUP` without a restart.
preload_app = False
# Only the proxy's forwarded-for header of the addresses in TRUSTED_PROXIES is believed by the
# portal itself (audit/network.py); gunicorn's own check is for its wsgi.url_scheme.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Temporary files of workers' heartbeats in memory, not on a disk that may stall.
_shm = "/dev/shm"  # noqa: S108 - gunicorn's own advice; only its heartbeat files live there
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", _shm if os.path.isdir(_shm) else None)
