"""Where the time goes on each page of run.PAGES, in-process (no gunicorn, no concurrency).

    .venv/bin/python benchmarks/profile_pages.py [--runs 5] [--slowest 5] [--page queue]
        [--functions 25]

For each page: the number of queries, the time spent in SQL and the whole response time (the
median of --runs, after one warm-up request), then the --slowest queries of the last run with
their time. Uses benchmarks.settings (DEBUG off) against DATABASE_URL, like run.py."""

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import run


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slowest", type=int, default=3, help="slowest queries shown per page")
    parser.add_argument("--page", default="", help="only pages whose label contains this")
    parser.add_argument(
        "--functions",
        type=int,
        default=0,
        help="also profile one request: its N costliest functions",
    )
    options = parser.parse_args(argv)

    run.setup_django()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    objects = run.pick_objects()
    cookies = run.sessions()
    for page in run.PAGES:
        if options.page and options.page not in page.label:
            continue
        name, path = run.resolve(page, objects)
        if path is None:
            print(f"{page.label}: no such URL name")
            continue
        client = Client()
        if page.role:
            client.cookies[settings.SESSION_COOKIE_NAME] = cookies[page.role]
        response = client.get(path)
        if response.status_code != 200:
            print(f"{page.label}: answered {response.status_code}")
            continue
        totals, sql = [], []
        for _ in range(options.runs):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                b"".join(response) if response.streaming else response.content
                totals.append((time.perf_counter() - started) * 1000)
            sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        print(
            f"{page.label} ({name}): {len(captured)} queries, SQL {statistics.median(sql):.1f} ms "
            f"of {statistics.median(totals):.1f} ms, {len(response.content) // 1024 if not response.streaming else 0} kB"
        )
        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[
            : options.slowest
        ]:
            print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        if options.functions:
            profile = cProfile.Profile()
            profile.runcall(client.get, path)
            pstats.Stats(profile).sort_stats("tottime").print_stats(options.functions)


if __name__ == "__main__":
    main()
