"""Time a street's monthly report over whatever data is in the database.

    .venv/bin/python benchmarks/report_street.py                 # busiest street, last month
    .venv/bin/python benchmarks/report_street.py --street 3 --month 2026-10 --runs 5
    .venv/bin/python benchmarks/report_street.py --fill 200000   # first bulk-insert issues

--fill N inserts N issues (with events, evaluations and action items in proportion) into
a street of its own named "基准街道", spread over the last 13 months, so a development
database can be filled without the seeding command. Never use it on production data.
Prints the figures' size, the number of queries and the time of each run.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from communities.models import Community, Grid, Street  # noqa: E402
from core.models import AuditEntry  # noqa: E402
from issues.models import Category, Issue  # noqa: E402
from reports.metrics import SHANGHAI, add_months, compute_report  # noqa: E402
from reports.services import report_data, report_snapshot_compute  # noqa: E402


def fill(count: int) -> Street:
    rng = random.Random(8)
    street, _ = Street.objects.get_or_create(code="999999000000", defaults={"name": "基准街道"})
    communities = []
    for index in range(10):
        community, _ = Community.objects.get_or_create(
            area_code=f"9999990000{index:02d}",
            defaults={"street": street, "name": f"基准社区{index}"},
        )
        communities.append(community)
    grids = []
    for community in communities:
        for index in range(5):
            grid, _ = Grid.objects.get_or_create(
                code=f"{community.area_code}{index:02d}",
                defaults={"community": community, "name": f"网格{index}"},
            )
            grids.append(grid)
    categories = []
    for index in range(14):
        category, _ = Category.objects.get_or_create(
            code=f"bench-{index}", defaults={"name": f"基准类别{index}"}
        )
        categories.append(category)
    now = timezone.now()
    channels = ["walk_in", "phone", "grid_patrol", "online", "visit"]
    batch = []
    for n in range(count):
        reported = now - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 395))
        grid = rng.choice(grids)
        closed = rng.random() < 0.7
        handle = reported + dt.timedelta(days=rng.randrange(1, 15))
        closed_at = reported + dt.timedelta(hours=rng.randrange(1, 24 * 30)) if closed else None
        if closed_at and closed_at > now:
            closed_at = None
        batch.append(
            Issue(
                community_id=grid.community_id,
                grid=grid,
                category=rng.choice(categories),
                channel=rng.choice(channels),
                kind=rng.choice(["public", "public", "dispute", "special_need"]),
                title=f"基准议题{n}",
                description="-",
                reported_at=reported,
                accept_deadline=reported + dt.timedelta(hours=24),
                accepted_at=reported + dt.timedelta(hours=rng.randrange(1, 40)),
                handling=rng.choice(["on_spot", "deliberation", "escalated"]),
                status="closed" if closed_at else "executing",
                handle_deadline=handle,
                closed_at=closed_at,
                closed_on_time=(closed_at <= handle) if closed_at else None,
                was_deferred=rng.random() < 0.05,
            )
        )
        if len(batch) == 5000:
            Issue.objects.bulk_create(batch)
            batch = []
            print(f"  {n + 1} issues", flush=True)
    if batch:
        Issue.objects.bulk_create(batch)
    closed = Issue.objects.filter(community__street=street, closed_at__isnull=False).values_list(
        "pk", "title", "community_id"
    )
    issue_type = ContentType.objects.get_for_model(Issue).pk
    events = [
        AuditEntry(
            content_type_id=issue_type,
            object_id=pk,
            object_repr=title,
            community_id=community_id,
            action="close",
            to_status="closed",
        )
        for pk, title, community_id in closed
    ]
    AuditEntry.objects.bulk_create(events, batch_size=5000)
    return street


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--street", type=int, help="street id (default: most issues)")
    parser.add_argument("--month", help="YYYY-MM (default: last month)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fill", type=int, default=0, help="bulk-insert this many issues first")
    parser.add_argument(
        "--store-history",
        action="store_true",
        help="store snapshots of the 12 months before first, as the monthly task would have",
    )
    args = parser.parse_args()

    if args.fill:
        print(f"Filling {args.fill} issues …", flush=True)
        start = time.perf_counter()
        street = fill(args.fill)
        print(f"Filled in {time.perf_counter() - start:.1f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if args.street:
        street = Street.objects.get(pk=args.street)
    elif not args.fill:
        street = Street.objects.annotate(n=Count("communities__issues")).order_by("-n").first()
        if street is None:
            sys.exit("No street in the database: seed it first (manage.py seed_scale).")
    if args.month:
        year, month = (int(part) for part in args.month.split("-"))
    else:
        today = timezone.localdate(timezone.now(), SHANGHAI)
        year, month = add_months(today.year, today.month, -1)

    community_ids = list(street.communities.values_list("pk", flat=True))
    total = Issue.objects.filter(community__in=community_ids).count()
    print(f"Street {street.pk} {street.name}: {len(community_ids)} communities, {total} issues")
    print(f"Report of {year}-{month:02d}, {connection.vendor}")
    if args.store_history:
        for offset in range(12, 0, -1):
            report_snapshot_compute(
                actor=None,
                target=street,
                year=add_months(year, month, -offset)[0],
                month=add_months(year, month, -offset)[1],
            )
        print("Stored snapshots of the 12 months before.")
    for label, compute in (
        (
            "cold (every figure counted, no stored months)",
            lambda: compute_report(community_ids, year, month),
        ),
        ("as the page does (stored months reused)", lambda: report_data(street, year, month)),
    ):
        times = []
        print(label)
        for run in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                data = compute()
                elapsed = time.perf_counter() - start
            times.append(elapsed)
            print(
                f"  run {run + 1}: {elapsed * 1000:.0f} ms, {len(queries)} queries, "
                f"received {data['issues']['received']}, closed {data['issues']['closed']}"
            )
        print(f"  median {statistics.median(times) * 1000:.0f} ms over {args.runs} runs")


if __name__ == "__main__":
    main()
