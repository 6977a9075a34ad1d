"""gunicorn's settings for TĐKT: `gunicorn -c config/gunicorn.conf.py config.wsgi:application`.

`make serve` starts it this way; docs/deployment.md explains each choice for a provincial and a national
deployment. Every value can be changed by an environment variable (below) without editing this file;
gunicorn's own `GUNICORN_CMD_ARGS` is read too and wins over this file.

Serve it behind a buffering reverse proxy (nginx with `proxy_request_buffering on`, the default): the
proxy receives a slow client's upload and a slow reader's download whole, so a worker thread is only busy
for the time the application itself needs.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# Where to listen: HOST (default loopback, the proxy's side) and PORT (default 8000), as `make run` does.
_host = os.environ.get("HOST") or "127.0.0.1"
bind = [
    f"[{_host}]:{_int('PORT', 8000)}" if ":" in _host and not _host.startswith("[") else f"{_host}:{_int('PORT', 8000)}"
]

# Worker class: gthread (a process with a few threads). A request waiting on PostgreSQL holds a thread,
# not a whole process, and threads share the process's memory (Django with our apps is about 100 MB a
# process). Each thread keeps its own database connection (CONN_MAX_AGE 60 s), so a node opens up to
# workers × threads connections: count them against PostgreSQL's max_connections.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# Processes: gunicorn's rule of thumb, 2 × cores + 1 (5 on a 2-core node). WEB_CONCURRENCY is the name
# most platforms set; GUNICORN_WORKERS wins over it.
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# Threads per process (gthread only; a sync worker has one).
threads = _int("GUNICORN_THREADS", 2)

# A worker that has not told the arbiter it is alive for this many seconds is killed and replaced. For
# gthread the main loop reports while requests run in threads, so this catches a stuck process, not a
# slow page; pages must be fast by design (exports larger than a page are Celery jobs).
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (and on a max_requests restart) a worker finishes the requests it holds for up to this long.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Keep-alive off (0): each response closes its connection. Measured (docs/scale.md): with keep-alive 5 s,
# a worker restarting after max_requests dropped the idle connections it held, and clients that sent
# their next request on one got "connection reset" (3 of 2,114 requests under 50 users; a proxy retries a
# GET but not a POST). Opening a connection on loopback or a LAN costs far less than a lost request.
keepalive = _int("GUNICORN_KEEPALIVE", 0)

# Replace each worker after this many requests (plus up to `jitter` more, so that the workers do not all
# restart at once): a slow leak in any library cannot grow without bound. 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The application is imported by each worker, not by the arbiter: a restarted worker loads the code on
# disk and no database connection is ever shared across fork.
preload_app = False
# The workers' heartbeat files on a memory file system (a slow disk must not look like a hung worker).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's advice

# Logs: the access log and gunicorn's own log to stdout/stderr, for the process manager (journald,
# docker) to collect. The access log adds the time taken (%(M)s, milliseconds).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# gunicorn believes nobody's X-Forwarded-Proto / X-Forwarded-Ssl: whom to believe is TĐKT's own decision
# (TRUSTED_PROXIES, awards.middleware.ForwardedHeadersMiddleware, one rule for the scheme and the client's
# address). Trusting the proxy here too (gunicorn's default is 127.0.0.1) would let any local client claim
# HTTPS past that rule.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")

proc_name = "tdkt"
