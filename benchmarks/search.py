"""Time the top bar's search over a district built by `seed_scale --size full`.

    .venv/bin/python benchmarks/search.py                  # every query, every user
    .venv/bin/python benchmarks/search.py --runs 50 --explain

Each query is run as three users: `bench-staff` (one community, about 2,000 issues),
`bench-street-admin` (a street: ten communities, about 20,000 issues) and
`bench-district-admin`, a street admin of every street (all 200,000 issues; created here
when missing, on the bench database only). For each it prints the median and the 95th
percentile of `runs` timed calls (after two warm-up calls) of the issues' part of the
search (one query, the page of hits and why each matched) and of the whole search (the
seven kinds), in milliseconds, and with --explain the plan of the issues' query for the
district admin with the indexes it used.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.db import connection  # noqa: E402

from access.issues import issues_visible_to  # noqa: E402
from access.scope import forget_scope  # noqa: E402
from accounts.models import Role, User  # noqa: E402
from communities.models import Compound, Resident, Street  # noqa: E402
from issues.models import Issue  # noqa: E402
from issues.selectors import SEARCHED_FIELDS  # noqa: E402
from lib.textsearch import all_terms_q, terms_of  # noqa: E402
from search.selectors import search  # noqa: E402


def _district_admin():
    user, _created = User.objects.get_or_create(
        username="bench-district-admin",
        defaults={"role": Role.STREET_ADMIN, "name": "全区管理员"},
    )
    user.streets.set(Street.objects.all())
    forget_scope(user)
    return user


def _queries():
    """Realistic queries read from the district itself: part of a compound's name as an
    address, a 12345 ticket whole and its last digits, two and four Chinese characters,
    a resident's name, and two characters found nowhere (the short path's worst case)."""
    staff = User.objects.get(username="bench-staff")
    community = staff.communities.first()
    compound = Compound.objects.filter(community=community).order_by("pk").first()
    ticket = (
        Issue.objects.filter(community=community)
        .exclude(hotline_ticket="")
        .order_by("reported_at")
        .values_list("hotline_ticket", flat=True)
        .first()
    )
    resident = Resident.objects.filter(community=community).order_by("pk").first()
    return [
        ("address fragment", compound.name),
        ("ticket number", ticket),
        ("ticket, last digits", ticket[-6:]),
        ("2 Chinese characters", "地锁"),
        ("4 Chinese characters", "消防通道"),
        ("name", resident.name),
        ("2 characters, no match", "猫狗"),
    ]


def _time(call, runs):
    for _ in range(2):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def _issues_query(user, query):
    terms = terms_of(query)
    return (
        issues_visible_to(user)
        .filter(all_terms_q(SEARCHED_FIELDS, terms))
        .only("title", "description", "address", "hotline_ticket", "status", "reported_at")
        .order_by("-reported_at", "-pk")[:6]
    )


def _explain(user, query):
    sql, params = _issues_query(user, query).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    users = [
        ("staff", User.objects.get(username="bench-staff")),
        ("street admin", User.objects.get(username="bench-street-admin")),
        ("district admin", _district_admin()),
    ]
    print(f"{Issue.objects.count():,} issues; {args.runs} runs each; times in ms (p50 / p95)")
    print()
    print(
        "| query | typed | user | issues in scope | issues p50 | issues p95 | all kinds p50 | all kinds p95 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, query in _queries():
        for who, user in users:
            in_scope = issues_visible_to(user).count()
            issues = _time(lambda u=user, q=query: search(u, q, kind="issues"), args.runs)
            every = _time(lambda u=user, q=query: search(u, q), args.runs)
            print(
                f"| {label} | `{query}` | {who} | {in_scope:,} | {issues[0]:.1f} | "
                f"{issues[1]:.1f} | {every[0]:.1f} | {every[1]:.1f} |"
            )
    if args.explain:
        district = users[-1][1]
        for label, query in _queries():
            print(f"\n### {label}: `{query}` (district admin)\n")
            plan = _explain(district, query)
            used = sorted({name for line in plan for name in line.split() if "_trgm" in name})
            print("trigram indexes used:", ", ".join(used) or "none")
            print("```")
            print("\n".join(plan))
            print("```")


if __name__ == "__main__":
    main()
