"""Where the time goes on each page of run.PAGES, in-process (no gunicorn, no concurrency).

    .venv/bin/python benchmarks/profile_pages.py [--runs 5] [--slowest 5] [--page queue]
        [--split] [--functions 25]

For each page: the number of queries, the time spent in SQL and the whole response time (the
median of --runs, after one warm-up request), then the --slowest queries of the last run with
their time. Uses benchmarks.settings (DEBUG off) against DATABASE_URL, like run.py."""

import argparse
import cProfile
import os
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
        help="also split the time of a request: session and user, scope, SQL, Redis, the ORM "
        "around its SQL, templates, the rest; then all pages as a Markdown table",
    )
    parser.add_argument(
        "--functions",
        type=int,
        default=0,
        help="also profile one request: its N costliest functions",
    )
    parser.add_argument(
        "--page-cache-off",
        action="store_true",
        help="build every page (PAGE_CACHE_SECONDS=0): what a cache miss costs",
    )
    options = parser.parse_args(argv)
    if options.page_cache_off:
        os.environ["PAGE_CACHE_SECONDS"] = "0"

    run.setup_django()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    table = []
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
            split = split_request(client, path, options.runs)
            table.append((page.label, split))
            print("    " + ", ".join(f"{label} {split[label]:.2f} ms" for label in COLUMNS))
        if options.functions:
            profile = cProfile.Profile()
            profile.runcall(client.get, path)
            pstats.Stats(profile).sort_stats("tottime").print_stats(options.functions)
    if table:
        print_split(table)


def print_split(table):
    """The split of every page as a Markdown table (medians in ms)."""
    print()
    print(
        "| page | total | session+user | scope | queries | Redis calls | SQL | cache | ORM "
        "| templates | other |"
    )
    print("|" + "---|" * 11)
    for label, split in table:
        cells = [f"{split['total']:.1f}"]
        cells += [f"{split[c]:.2f}" for c in ("session+user", "scope")]
        cells += [f"{split['queries']:.0f}", f"{split['Redis calls']:.0f}"]
        cells += [f"{split[c]:.2f}" for c in ("SQL", "cache", "ORM", "templates", "other")]
        print(f"| {label} | " + " | ".join(cells) + " |")


# Where a request's time goes, each moment counted once: in the phase it belongs to
# (loading the session and the user, the user's scope, or the page itself) and, within
# the page, in what it was doing: waiting on PostgreSQL (SQL), on Redis (cache), building
# queries and objects around the SQL (ORM), rendering templates, or anything else
# (middleware, the view's own code, forms). The columns add up to the whole request.
PHASES = ("session+user", "scope")
KINDS = ("SQL", "cache", "ORM", "templates")
COLUMNS = ("session+user", "scope", "SQL", "cache", "ORM", "templates", "other")


def split_request(client, path, runs):
    """One request's time split into COLUMNS, the median of `runs`, with its number of
    queries and Redis calls."""
    from collections import defaultdict
    from unittest import mock

    import django.contrib.auth
    from django.core.cache.backends.redis import RedisCacheClient
    from django.db.backends.utils import CursorWrapper
    from django.db.models.query import QuerySet
    from django.template.backends.django import Template

    import access.scope

    spent, counts, stack = defaultdict(float), defaultdict(int), []

    def timing(label, function):
        def timed(*args, **kwargs):
            if label in ("SQL", "cache"):
                counts[label] += 1
            frame = [label, 0.0]  # its label, the time of the frames inside it
            stack.append(frame)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = (time.perf_counter() - started) * 1000
                stack.pop()
                if stack:
                    stack[-1][1] += elapsed
                # Each moment goes to its phase when in one, else to what it was doing.
                phase = label if label in PHASES else None
                phase = phase or next((f[0] for f in reversed(stack) if f[0] in PHASES), None)
                spent[phase or label] += elapsed - frame[1]

        return timed

    def fetch(queryset, original=QuerySet._fetch_all):
        if queryset._result_cache is not None:
            return original(queryset)
        return timing("ORM", original)(queryset)

    patches = [
        mock.patch.object(CursorWrapper, "_execute", timing("SQL", CursorWrapper._execute)),
        mock.patch.object(QuerySet, "_fetch_all", fetch),
        mock.patch.object(Template, "render", timing("templates", Template.render)),
        mock.patch.object(
            django.contrib.auth, "get_user", timing("session+user", django.contrib.auth.get_user)
        ),
        mock.patch.object(access.scope, "_load_scope", timing("scope", access.scope._load_scope)),
    ]
    for method in ("get", "get_many", "set", "set_many", "add", "delete", "incr", "touch"):
        patches.append(
            mock.patch.object(
                RedisCacheClient, method, timing("cache", getattr(RedisCacheClient, method))
            )
        )
    samples = defaultdict(list)
    for patch in patches:
        patch.start()
    try:
        for _ in range(runs):
            spent.clear()
            counts.clear()
            started = time.perf_counter()
            response = client.get(path)
            b"".join(response) if response.streaming else response.content
            total = (time.perf_counter() - started) * 1000
            spent["other"] = total - sum(spent.values())
            spent["total"] = total
            for label in (*COLUMNS, "total"):
                samples[label].append(spent[label])
            samples["queries"].append(counts["SQL"])
            samples["Redis calls"].append(counts["cache"])
    finally:
        for patch in patches:
            patch.stop()
    return {label: statistics.median(values) for label, values in samples.items()}


if __name__ == "__main__":
    main()
