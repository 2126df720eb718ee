"""The key pages of the benchmarks (benchmarks/run.py PAGES) read a bounded number of rows.

A small district (seed_scale, 4 ‰ of full size) already holds more rows in each list's scope than a page shows;
each key page must answer 200 to its bench user and no query of it may return more rows
than a page of a list plus its filter choices: a query without LIMIT over growing data (a
list fetched whole to be sliced or filtered in Python, a DISTINCT that an implicit ORDER BY
turns into one row per record) shows up here as hundreds of rows. Query shapes that read
much but return little (a GROUP BY before the LIMIT) are the benchmarks' to find
(benchmarks/profile_pages.py). Exports stream whole scopes by design and are only checked
to answer."""

import os

import pytest
from django.core.management import call_command
from django.db import connection

from issues.models import Issue
from resolutions.models import Resolution

pytestmark = pytest.mark.django_db

# A page of a list (20–50 rows) plus the choices of its filters (grids, categories …).
MOST_ROWS = 60


def _bench_pages():
    saved = os.environ.get("DJANGO_SETTINGS_MODULE")
    from benchmarks import run  # sets DJANGO_SETTINGS_MODULE for its own runs

    os.environ["DJANGO_SETTINGS_MODULE"] = saved
    return run


class RowCounter:
    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        rows = context["cursor"].rowcount if sql.lstrip().upper().startswith("SELECT") else 0
        self.queries.append((rows, sql))
        return result


@pytest.fixture
def district(db):
    with open(os.devnull, "w") as quiet:
        call_command("seed_scale", size="0.004", seed=5, stdout=quiet)


def test_every_key_page_reads_a_bounded_number_of_rows(client, district):
    from accounts.models import User

    run = _bench_pages()
    objects = run.pick_objects()
    staff = User.objects.get(username="bench-staff")
    community = staff.communities.get()
    # The scopes hold more than a page, so an unbounded query would show.
    assert Issue.objects.filter(community=community).count() > MOST_ROWS
    assert Resolution.objects.filter(status=Resolution.Status.PUBLISHED).count() > MOST_ROWS

    measured = 0
    for page in run.PAGES:
        _name, path = run.resolve(page, objects)
        assert path is not None, f"{page.label}: {page.url_names} do not resolve"
        client.logout()
        if page.role:
            client.force_login(User.objects.get(username=f"bench-{page.role.replace('_', '-')}"))
        counter = RowCounter()
        with connection.execute_wrapper(counter):
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code in (200, 302), f"{page.label}: {response.status_code}"
        if "export" in page.label or response.status_code != 200:
            continue
        measured += 1
        rows, sql = max(counter.queries, key=lambda query: query[0])
        assert rows <= MOST_ROWS, f"{page.label} read {rows} rows in one query: {sql[:300]}"
    assert measured >= 8
