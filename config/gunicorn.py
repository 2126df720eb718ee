"""gunicorn's settings for the web service (Dockerfile, docker-compose.yml) and the
benchmarks (benchmarks/run.py), so that what is measured is what is deployed.

Synchronous workers, one request each at a time: on a small machine the pages are
CPU-bound Python between short database waits, and threads of one process queue for the
GIL after every query (benchmarks/README.md: with 2 workers of 4 threads on 2 cores the
95th percentile at 8 concurrent requests was 1.5-2x that of 3 synchronous workers).
WEB_CONCURRENCY sets the number of workers; put a buffering proxy (nginx) in front for slow
clients."""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
timeout = 60
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None


def post_worker_init(worker):
    """Load every view, then take what is loaded out of the garbage collector's sight.

    A worker holds about 150,000 objects once it has served a few pages; a full collection
    walked them all, 110-130 ms during which the worker and the requests queued for it
    waited (the spikes of the 95th percentile at concurrency 8). The code, settings, URL
    patterns and forms loaded here never become garbage: frozen, they are never walked
    again, and a full collection takes about 5 ms (benchmarks/README.md)."""
    from django.urls import get_resolver

    # Resolving the URL patterns imports every app's views and what they use.
    patterns = get_resolver().url_patterns
    gc.freeze()
    worker.log.info(
        "%d URL patterns loaded, %d objects frozen", len(patterns), gc.get_freeze_count()
    )
