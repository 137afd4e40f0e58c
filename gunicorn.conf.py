"""The production gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app`.

Threaded workers ("gthread"): a slow or stalled client ties up one thread, not a whole worker,
so a handful of slowly-sending connections cannot block every worker (with sync workers, 8
such connections took all 4 workers and /healthz timed out). Against many slow clients, put a
reverse proxy that buffers whole requests in front (nginx does by default). Every setting can be overridden from the
environment (GUNICORN_*) or the command line.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", min(4, multiprocessing.cpu_count() * 2))
worker_class = "gthread"
# Requests in flight per worker, slow clients included. A worker may accept several slow
# connections at once, so it needs more threads than the slow clients it should survive;
# threads waiting on a client hold no database connection.
threads = _int("GUNICORN_THREADS", 16)

# A request that takes longer than this is a bug or an attack: the worker is restarted.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5  # seconds an idle keep-alive connection is held open

# Bounded request heads: long lines and many or large headers are refused with 400.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Recycle workers now and then, staggered, so slow leaks never accumulate.
max_requests = 2000
max_requests_jitter = 200

# The scheduler never runs in web workers (create_app never starts one); no preloading, so each
# worker opens its own database connections after the fork.
preload_app = False
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
