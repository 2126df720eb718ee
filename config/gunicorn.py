"""gunicorn's settings for the web service (Dockerfile, docker-compose.yml) and the
benchmarks (benchmarks/run.py), so that what is measured is what is deployed.

Synchronous workers, one request each at a time: on a small machine the pages are
CPU-bound Python between short database waits, and threads of one process queue for the
GIL after every query (benchmarks/README.md: with 2 workers of 4 threads on 2 cores the
95th percentile at 8 concurrent requests was 1.5-2x that of 3 synchronous workers).
WEB_CONCURRENCY sets the number of workers; put a buffering proxy (nginx) in front for slow
clients."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
timeout = 60
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None
