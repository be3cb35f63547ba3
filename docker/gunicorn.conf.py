"""Gunicorn settings for the web service (``gunicorn --config docker/gunicorn.conf.py``)."""

import os

bind = "0.0.0.0:8000"
# Requests mostly wait on PostgreSQL: threads overlap those waits (bench/load.py measured
# almost twice the throughput of sync workers). PDF rendering happens in Celery.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then, so a slow leak cannot grow forever.
max_requests = 1000
max_requests_jitter = 100
# The heartbeat file on tmpfs: an overlay filesystem can stall workers (gunicorn docs).
worker_tmp_dir = "/dev/shm"  # noqa: S108 - a tmpfs inside the container, not shared data
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
