import csv
import datetime as dt
import io
from html.parser import HTMLParser

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from accounts.tests.factories import UserFactory
from issues.models import Issue, Status
from notifications.models import Notification
from reports.models import ReportSnapshot
from reports.presentation import sections
from reports.services import (
    monthly_snapshots_compute,
    report_snapshot_compute,
    snapshots_backfill,
)
from reports.tasks import compute_monthly_snapshots
from resolutions.models import ActionItem

from .conftest import NOW
from .factories import ActionItemFactory, IssueFactory, MeetingFactory, ResolutionFactory, sh

MONTHLY = reverse("reports:monthly")


def _url(scope, pk, month="2026-10", fmt=""):
    url = f"{MONTHLY}?target={scope}:{pk}&month={month}"
    return f"{url}&format={fmt}" if fmt else url


# Access ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world):
    for name in ("reports:monthly", "reports:dashboard", "reports:street_dashboard"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("user", ["worker_a1", "resident_user_a", "org_contact"])
def test_people_without_reports_get_403(client, world, user):
    client.force_login(getattr(world, user))
    assert client.get(_url("community", world.community_a.pk)).status_code == 403
    assert client.get(reverse("reports:dashboard")).status_code == 403
    assert client.get(reverse("reports:street_dashboard")).status_code == 403


def test_staff_see_their_community_only(client, world, october):
    client.force_login(world.staff_a)
    response = client.get(_url("community", world.community_a.pk))
    assert response.status_code == 200
    assert "甲社区" in response.content.decode()
    assert client.get(_url("community", world.community_b.pk)).status_code == 404
    assert client.get(_url("street", world.street.pk)).status_code == 404


def test_street_admin_sees_street_and_its_communities(client, world, october):
    client.force_login(world.street_admin)
    response = client.get(_url("street", world.street.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "测试街道" in page
    # Definitions shown next to the figures, and the charts with accessible titles.
    assert "（到期议题数 − 缓办议题数）" in page
    assert "<svg" in page and '<title id="chart-trend-t">' in page
    assert client.get(_url("community", world.community_b.pk)).status_code == 200


def test_default_report_is_last_month(client, world):
    client.force_login(world.staff_a)
    response = client.get(MONTHLY)
    assert response.status_code == 200
    assert response.context["target"] == world.community_a


def test_bad_month_is_an_error_next_to_the_field(client, world):
    client.force_login(world.staff_a)
    response = client.get(_url("community", world.community_a.pk, month="2026-13"))
    assert response.status_code == 200
    assert "month" in response.context["form"].errors
    assert 'value="2026-13"' in response.content.decode()


def test_future_month_is_refused(client, world):
    client.force_login(world.staff_a)
    response = client.get(_url("community", world.community_a.pk, month="2099-01"))
    assert response.context["form"].errors["month"]


# Exports ----------------------------------------------------------------------------------


def test_xlsx_has_a_sheet_per_section_with_numbers(client, world, october):
    client.force_login(world.staff_a)
    response = client.get(_url("community", world.community_a.pk, fmt="xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "概览",
        "议题",
        "按小区统计议题",
        "议事会议",
        "比率",
        "逾期整改事项",
        "12个月走势",
    ]
    assert book.worksheets[0]["A2"].value == "指标"
    summary = book.worksheets[0]
    assert summary.cell(row=3, column=2).value == 4
    assert isinstance(summary.cell(row=3, column=2).value, int)
    rates = book.worksheets[4]
    values = list(rates.iter_rows(min_row=3, values_only=True))
    assert values[0][1:4] == (3, 4, 75.0)


def test_csv_export(client, world, october):
    client.force_login(world.staff_a)
    response = client.get(_url("community", world.community_a.pk, fmt="csv"))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0].startswith("甲社区")
    assert ["2026-10", "4", "3", "1"] in rows


def test_pdf_export(client, world, october):
    client.force_login(world.street_admin)
    response = client.get(_url("street", world.street.pk, fmt="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# Snapshots --------------------------------------------------------------------------------


def test_snapshot_stays_fixed_when_records_change(client, world, october):
    snapshot = report_snapshot_compute(
        actor=None, target=world.community_a, year=2026, month=10, now=NOW
    )
    assert snapshot.data["issues"]["received"] == 4
    IssueFactory(community=world.community_a, reported_at=sh(2026, 10, 20))
    client.force_login(world.staff_a)
    response = client.get(_url("community", world.community_a.pk))
    assert response.context["data"]["issues"]["received"] == 4
    assert response.context["snapshot"] == snapshot


def test_trend_and_comparison_use_stored_months(world, october):
    from reports.services import report_data

    report_snapshot_compute(actor=None, target=world.community_a, year=2026, month=9, now=NOW)
    # A September issue logged late does not move September's published figures.
    IssueFactory(community=world.community_a, reported_at=sh(2026, 9, 20))
    data = report_data(world.community_a, 2026, 10, now=NOW)
    assert data["previous"]["issues.received"] == 1
    assert {p["month"]: p["received"] for p in data["trend"]}["2026-09"] == 1
    assert data["issues"]["received"] == 4


def test_admin_recomputes_a_month(client, world, october):
    report_snapshot_compute(actor=None, target=world.community_a, year=2026, month=10, now=NOW)
    IssueFactory(community=world.community_a, reported_at=sh(2026, 10, 20))
    client.force_login(world.street_admin)
    october_row = '<tr><td>2026-10</td><td class="num">{}</td>'
    page = client.get(_url("community", world.community_a.pk)).content.decode()
    assert october_row.format(4) in page  # the stored figures, rendered and kept

    def received_in_workbook():
        workbook = client.get(_url("community", world.community_a.pk, fmt="xlsx")).content
        return load_workbook(io.BytesIO(workbook)).worksheets[0].cell(row=3, column=2).value

    assert received_in_workbook() == 4
    assert received_in_workbook() == 4  # the workbook written once, kept
    response = client.post(
        reverse("reports:recompute"),
        {"target": f"community:{world.community_a.pk}", "month": "2026-10"},
    )
    assert response.status_code == 302
    snapshot = ReportSnapshot.objects.get(community=world.community_a, month=dt.date(2026, 10, 1))
    assert snapshot.data["issues"]["received"] == 5
    assert snapshot.computed_by == world.street_admin
    page = client.get(_url("community", world.community_a.pk)).content.decode()
    assert october_row.format(5) in page and october_row.format(4) not in page
    assert received_in_workbook() == 5


def test_staff_may_not_recompute(client, world, october):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("reports:recompute"),
        {"target": f"community:{world.community_a.pk}", "month": "2026-10"},
    )
    assert response.status_code == 403
    assert not ReportSnapshot.objects.exists()


def test_admin_cannot_recompute_an_unfinished_month(client, world):
    client.force_login(world.street_admin)
    today = timezone.localdate()
    client.post(
        reverse("reports:recompute"),
        {"target": f"street:{world.street.pk}", "month": f"{today:%Y-%m}"},
    )
    assert not ReportSnapshot.objects.exists()


def test_monthly_task_stores_last_month_and_tells_admins(world, october):
    snapshots = monthly_snapshots_compute(now=sh(2026, 11, 1, 1, 30))
    assert len(snapshots) == 3  # two communities and the street
    street = ReportSnapshot.objects.get(street=world.street, month=dt.date(2026, 10, 1))
    assert street.data["issues"]["received"] == 5
    note = Notification.objects.get(recipient=world.street_admin, kind="report_ready")
    assert f"target=street:{world.street.pk}" in note.url or f"id={world.street.pk}" in note.url
    # Run again: published months stay as they are and nobody is told twice.
    IssueFactory(community=world.community_a, reported_at=sh(2026, 10, 20))
    monthly_snapshots_compute(now=sh(2026, 11, 1, 2, 0))
    street.refresh_from_db()
    assert street.data["issues"]["received"] == 5
    assert Notification.objects.filter(kind="report_ready").count() == 1


def test_backfill_stores_missing_months_oldest_first(world, october):
    from django.core.management import call_command

    report_snapshot_compute(actor=None, target=world.street, year=2026, month=10, now=NOW)
    created = snapshots_backfill(months=3, now=NOW)  # September to November 2026
    assert created == 3 * 3 - 1  # two communities and the street, October's street stored
    months = ReportSnapshot.objects.filter(street=world.street).values_list("month", flat=True)
    assert sorted(months) == [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]
    november = ReportSnapshot.objects.get(street=world.street, month=dt.date(2026, 11, 1))
    assert november.data["previous"]["issues.received"] == 5  # October, as stored
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("report_snapshots", "--months", "3", stdout=out)
    assert "0 snapshots stored" in out.getvalue()


def test_task_runs(world):
    assert compute_monthly_snapshots() == 3


# Dashboards -------------------------------------------------------------------------------


def _fill(world, n):
    a = world.community_a
    issue = IssueFactory(community=a, status=Status.EXECUTING)
    resolution = ResolutionFactory(issue=issue, community=a, created_by=world.staff_a)
    today = timezone.localdate()
    for i in range(n):
        IssueFactory(
            community=a,
            status=Status.REPORTED,
            grid=world.grid_a1,
            reported_at=timezone.now() - dt.timedelta(hours=i + 1),
        )
        ActionItemFactory(
            resolution=resolution,
            community=a,
            responsible_organization=world.organization,
            starts_on=today - dt.timedelta(days=30),
            deadline=today - dt.timedelta(days=1 + i % 5),
        )
        ActionItemFactory(
            resolution=resolution,
            community=a,
            responsible_user=world.staff_a,
            starts_on=today - dt.timedelta(days=30),
            deadline=today + dt.timedelta(days=i % 6),
        )
        MeetingFactory(
            community=a,
            convener=world.staff_a,
            status="planned",
            starts_at=timezone.now() + dt.timedelta(days=i + 1),
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_staff_dashboard_shows_todays_work(client, world):
    _fill(world, 3)
    ActionItemFactory(
        resolution=ActionItem.objects.first().resolution,
        community=world.community_b,
        responsible_organization=world.organization,
        deadline=timezone.localdate() - dt.timedelta(days=2),
        starts_on=timezone.localdate() - dt.timedelta(days=9),
    )
    client.force_login(world.staff_a)
    _, response = _count(client, reverse("reports:dashboard"))
    assert response.context["counts"]["new"] == 3
    assert response.context["item_counts"] == {"due_week": 3, "overdue": 3}
    assert len(response.context["meetings"]) == 3
    assert reverse("issues:detail", args=[response.context["new_issues"][0].pk]) in (
        response.content.decode()
    )


def test_staff_dashboard_rows_name_who_is_responsible_and_where(client, world):
    """Names come as subqueries (lib.related): the organization, else the user (their
    username when the name is blank), else the resident; the resolution's title; the new
    issue's category and grid."""
    _fill(world, 1)
    resolution = ActionItem.objects.first().resolution
    resolution.title = "楼道堆物清理决议"
    resolution.save()
    world.staff_a.name = ""
    world.staff_a.save()
    ActionItemFactory(
        resolution=resolution,
        community=world.community_a,
        responsible_resident=world.resident_a,
        starts_on=timezone.localdate() - dt.timedelta(days=30),
        deadline=timezone.localdate() - dt.timedelta(days=3),
    )
    client.force_login(world.staff_a)
    body = client.get(reverse("reports:dashboard")).content.decode()
    due = body[body.index('id="h-due"') : body.index('id="h-overdue"')]
    overdue = body[body.index('id="h-overdue"') :]
    assert "staff_a · 楼道堆物清理决议" in due
    assert "甲物业 · 楼道堆物清理决议" in overdue and "甲居民 · 楼道堆物清理决议" in overdue
    new = body[body.index('id="h-new"') : body.index('id="h-meetings"')]
    issue = Issue.objects.filter(status=Status.REPORTED).select_related("category").get()
    assert f"{issue.category.name} · " in new and world.grid_a1.name in new


def test_staff_dashboard_pages_the_overdue_items_and_keeps_the_due_ones(client, world):
    """Both lists come from one query on PostgreSQL; each keeps its own rows and order."""
    _fill(world, 15)
    client.force_login(world.staff_a)
    today = timezone.localdate()
    first = client.get(reverse("reports:dashboard")).context
    second = client.get(reverse("reports:dashboard"), {"page": 2}).context
    for context in (first, second):
        due = context["due_items"]
        assert len(due) == 10 and all(today <= item.deadline for item in due)
        assert [item.deadline for item in due] == sorted(item.deadline for item in due)
    page_one, page_two = first["overdue_items"], second["overdue_items"]
    assert len(page_one.object_list) == 10 and len(page_two.object_list) == 5
    overdue = [*page_one.object_list, *page_two.object_list]
    assert all(item.deadline < today for item in overdue)
    assert [item.deadline for item in overdue] == sorted(item.deadline for item in overdue)
    assert len({item.pk for item in overdue}) == 15
    assert page_two.has_previous() and not page_two.has_next()


def test_staff_dashboard_of_staff_without_a_community_shows_zeros(client, world):
    _fill(world, 2)
    client.force_login(UserFactory(username="newcomer", role=Role.STAFF))
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert response.context["counts"] == {"new": 0, "open": 0, "late": 0}
    assert response.context["item_counts"] == {"due_week": 0, "overdue": 0}


def test_staff_dashboard_query_count_does_not_grow(client, world):
    client.force_login(world.staff_a)
    _fill(world, 10)
    small, _ = _count(client, reverse("reports:dashboard"))
    _fill(world, 90)
    large, response = _count(client, reverse("reports:dashboard"))
    assert response.context["item_counts"]["overdue"] == 100
    assert small == large


def test_street_dashboard_worst_overdue_first(client, world):
    a, b = world.community_a, world.community_b
    issue = IssueFactory(community=b)
    resolution = ResolutionFactory(issue=issue, community=b, created_by=world.staff_b)
    today = timezone.localdate()
    for _ in range(2):
        ActionItemFactory(
            resolution=resolution,
            community=b,
            responsible_organization=world.organization,
            starts_on=today - dt.timedelta(days=9),
            deadline=today - dt.timedelta(days=1),
        )
    ActionItemFactory(
        resolution=resolution,
        community=a,
        responsible_organization=world.organization,
        starts_on=today - dt.timedelta(days=9),
        deadline=today - dt.timedelta(days=3),
    )
    client.force_login(world.street_admin)
    response = client.get(reverse("reports:street_dashboard"))
    rows = list(response.context["rows"])
    assert [row["community"] for row in rows] == [b, a]
    assert [row["overdue"] for row in rows] == [2, 1]
    assert response.context["totals"]["overdue"] == 3


def test_street_dashboard_query_count_does_not_grow(client, world):
    from communities.tests.factories import CommunityFactory

    client.force_login(world.street_admin)
    for _ in range(8):
        CommunityFactory(street=world.street)
    small, _ = _count(client, reverse("reports:street_dashboard"))
    for _ in range(15):
        CommunityFactory(street=world.street)
    _fill(world, 5)
    large, _ = _count(client, reverse("reports:street_dashboard"))
    assert small == large


def test_monthly_report_query_count_is_constant(client, world, october):
    client.force_login(world.staff_a)
    # fresh=1: the live figures are counted on this request, not taken from the cache.
    small, _ = _count(client, _url("community", world.community_a.pk) + "&fresh=1")
    _fill(world, 20)
    for _ in range(20):
        IssueFactory(community=world.community_a, reported_at=sh(2026, 10, 9), grid=world.grid_a2)
    large, _ = _count(client, _url("community", world.community_a.pk) + "&fresh=1")
    assert small == large


def test_live_figures_are_counted_at_most_every_ten_minutes(client, world, october):
    client.force_login(world.staff_a)
    url = _url("community", world.community_a.pk)
    first = client.get(url + "&fresh=1").context["data"]
    IssueFactory(community=world.community_a, reported_at=sh(2026, 10, 9), grid=world.grid_a2)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.context["data"] == first
    assert len(queries) < 15
    page = again.content.decode()
    counted = timezone.localtime(again.context["counted_at"]).strftime("%H:%M")
    assert counted in page and "fresh=1" in page
    assert client.get(url + "&fresh=1").context["data"] != first


def test_live_figures_due_again_are_counted_by_one_viewer(client, world, october, settings):
    import time_machine
    from django.core.cache import cache

    # The live figures' own cache, under the pages cached per user (lib.pagecache).
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(world.staff_a)
    url = _url("community", world.community_a.pk)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = client.get(url + "&fresh=1").context["data"]
    IssueFactory(community=world.community_a, reported_at=sh(2026, 10, 9), grid=world.grid_a2)
    key = f"reports:live:Community:{world.community_a.pk}:2026-10"
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        # Someone else is counting: this viewer is shown the last count meanwhile.
        cache.set(f"{key}:counting", 1, 60)
        assert client.get(url).context["data"] == first
        cache.delete(f"{key}:counting")
        counted = client.get(url).context
        assert counted["data"] != first
        assert counted["counted_at"] == timezone.now()


def test_staff_dashboard_counts_overdue_issues_as_the_queue_does(client, world):
    """One rule (issues.models.overdue_q): an issue is overdue when the time limit running
    now has passed: accepting it while reported, handling it while worked on; a deferred
    issue's clock is stopped."""
    now = timezone.now()
    past, future = now - dt.timedelta(hours=3), now + dt.timedelta(days=3)
    a = world.community_a
    for status, accept_deadline, handle_deadline in (
        (Status.REPORTED, past, future),  # not accepted in time: overdue
        (Status.REPORTED, future, past),  # still within the time to accept
        (Status.ACCEPTED, past, past),  # handling late: overdue
        (Status.EXECUTING, None, future),
        (Status.DEFERRED, past, past),  # the clock is stopped
    ):
        IssueFactory(
            community=a,
            status=status,
            accept_deadline=accept_deadline,
            handle_deadline=handle_deadline,
        )
    client.force_login(world.staff_a)
    dashboard = client.get(reverse("reports:dashboard"))
    queue = client.get(reverse("issues:list") + "?overdue=on")
    assert dashboard.context["counts"]["late"] == queue.context["page_obj"].paginator.count == 2
    assert 'data-figure="late" href="/issues/?overdue=on"' in dashboard.content.decode()


# The tables of the report ------------------------------------------------------------------


class _TableReader(HTMLParser):
    """The rows of a table as (tag, right-aligned, text) cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = [tag, "num" in (dict(attrs).get("class") or "").split(), ""]

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell:
            self.rows[-1].append((self._cell[0], self._cell[1], self._cell[2].strip()))
            self._cell = None

    def handle_data(self, data):
        if self._cell:
            self._cell[2] += data


def _table_after(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    reader = _TableReader()
    reader.feed(html[start : html.index("</table>", start)])
    return reader.rows


@pytest.mark.parametrize("medium", ["screen", "pdf"])
def test_meeting_table_puts_each_figure_under_its_own_header(client, world, october, medium):
    client.force_login(world.staff_a)
    response = client.get(_url("community", world.community_a.pk))
    if medium == "pdf":
        # The PDF's HTML, drawn from the same figures with its own print styles.
        data = response.context["data"]
        html = render_to_string(
            "reports/monthly_pdf.html",
            {"title": "", "sections": sections(data), "charts": {}, "rates": []},
        )
    else:
        html = response.content.decode()

    header, *rows = _table_after(html, "h-meetings")

    assert [text for _, _, text in header] == [
        "分类方式",
        "项目",
        "会议场次",
        "邀请人数",
        "出席人数",
    ]
    # Numbers and their headers on the right, words on the left.
    assert [right for _, right, _ in header] == [False, False, True, True, True]
    by_item = {row[1][2]: row for row in rows}
    assert all(len(row) == len(header) for row in rows)
    assert all([right for _, right, _ in row] == [False, False, True, True, True] for row in rows)
    # One courtyard council held: its count under 会议场次, not under 邀请人数.
    courtyard = by_item["小区庭院议事会"]
    assert [text for _, _, text in courtyard[2:]] == ["1", "—", "—"]
    representatives = by_item["居民代表"]
    assert [text for _, _, text in representatives[2:]] == ["—", "2", "1"]
