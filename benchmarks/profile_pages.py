"""Where the time goes on each page of run.PAGES, in-process (no gunicorn, no concurrency).

    .venv/bin/python benchmarks/profile_pages.py [--runs 5] [--slowest 5] [--page queue]
        [--split] [--functions 25]

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
        "--split",
        action="store_true",
        help="also split the time of a request: SQL, the ORM around it, each template",
    )
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
        if options.split:
            for label, ms in split_request(client, path, options.runs):
                print(f"    {ms:7.2f} ms  {label}")
        if options.functions:
            profile = cProfile.Profile()
            profile.runcall(client.get, path)
            pstats.Stats(profile).sort_stats("tottime").print_stats(options.functions)


def split_request(client, path, runs):
    """Where one request's time goes (median of `runs`): in SQL (the database's answer
    as the driver waits for it), in the ORM around it (building queries, making objects:
    "ORM, SQL included" minus "SQL") and in each template (inclusive of the templates it
    includes and of querysets it evaluates). The parts overlap; the whole is "request"."""
    from collections import defaultdict
    from unittest import mock

    from django.db.backends.utils import CursorWrapper
    from django.db.models.query import QuerySet
    from django.template.base import Template

    spent = defaultdict(float)

    def timing(label, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                name = label(args[0]) if callable(label) else label
                spent[name] += (time.perf_counter() - started) * 1000

        return timed

    def fetch(queryset, original=QuerySet._fetch_all):
        if queryset._result_cache is not None:
            return original(queryset)
        return timing("ORM, SQL included", original)(queryset)

    patches = [
        mock.patch.object(CursorWrapper, "_execute", timing("SQL", CursorWrapper._execute)),
        mock.patch.object(QuerySet, "_fetch_all", fetch),
        mock.patch.object(
            Template,
            "_render",
            timing(lambda template: f"template {template.origin.template_name}", Template._render),
        ),
    ]
    samples = defaultdict(list)
    for patch in patches:
        patch.start()
    try:
        for _ in range(runs):
            spent.clear()
            started = time.perf_counter()
            response = client.get(path)
            b"".join(response) if response.streaming else response.content
            spent["request"] = (time.perf_counter() - started) * 1000
            for label, ms in spent.items():
                samples[label].append(ms)
    finally:
        for patch in patches:
            patch.stop()
    medians = {label: statistics.median(values) for label, values in samples.items()}
    return sorted(medians.items(), key=lambda item: -item[1])[:12]


if __name__ == "__main__":
    main()
