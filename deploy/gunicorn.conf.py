"""gunicorn settings for a Nyskap app server (docs/deploy.md). Every value can be overridden from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: each answers one request at a time. Two per core plus one is gunicorn's rule of thumb; the load
# test's figures per app server (docs/operations.md, "Scaling") are the sizing guide.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threads per worker (gthread workers when above 1): more requests in flight per worker's memory, for pages that
# mostly wait on PostgreSQL. The sizing guide in docs/operations.md says when to raise it.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then so that a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Heartbeat files in memory: works with a read-only root file system and never stalls on a slow disk.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn's own recommendation; only heartbeat files, no data
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", _SHM if os.path.isdir(_SHM) else None)
# Only the TLS proxy may say that a request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# gunicorn's control socket would be written under the home folder, which a read-only root file system forbids;
# Nyskap is managed with signals (systemd, the container runtime) instead.
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET", "0") != "1"
