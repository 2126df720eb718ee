import datetime as dt

from issues.models import Issue
from reports.metrics import (
    SHANGHAI,
    compute_figures,
    compute_report,
    month_bounds,
    time_to_close,
    time_to_close_bounded,
)

from .conftest import NOW


def _october(world):
    return compute_report([world.community_a.pk], 2026, 10, now=NOW)


def test_month_bounds_are_midnight_in_shanghai():
    start, end = month_bounds(2026, 10)
    assert start == dt.datetime(2026, 9, 30, 16, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 10, 31, 16, 0, tzinfo=dt.UTC)
    assert month_bounds(2026, 12)[1] == dt.datetime(2027, 1, 1, tzinfo=SHANGHAI)


def test_issue_figures(world, october):
    data = _october(world)
    issues = data["issues"]
    # i2 (30 Sept 23:30) and the 1 Nov 00:00 issue fall outside October.
    assert issues["received"] == 4
    assert dict(issues["by_channel"]) == {"phone": 2, "hotline": 1, "walk_in": 1}
    assert dict(issues["by_kind"]) == {"public": 3, "dispute": 1}
    assert dict(issues["by_category"]) == {"排水": 2, "噪音": 2}
    assert dict(issues["by_grid"]) == {"甲一网格": 2, "甲二网格": 1, "": 1}
    assert issues["handling"] == {
        "on_spot": 1,
        "deliberation": 1,
        "escalated": 1,
        "rejected": 1,
        "merged": 0,
    }
    assert issues["closed"] == 3
    assert issues["reopened"] == 1  # the reopen of 30 Sept 23:00 belongs to September
    assert issues["rework"] == 1  # the send-back of 2 Nov belongs to November


def test_time_to_close_median_and_90th_percentile(world, october):
    ttc = _october(world)["time_to_close"]
    # 1, 20 and 88 days; percentile_cont(0.9) = 20 + 0.8 × 68.
    assert ttc == {"median_days": 20.0, "p90_days": 74.4, "count": 3}


def test_rates_follow_the_definitions(world, october):
    rates = _october(world)["rates"]
    assert rates["closure"] == {"numerator": 3, "denominator": 4, "value": 75.0}
    # The deferred i2 leaves the on-time denominator: 1 ÷ (4 − 1).
    assert rates["on_time"] == {"numerator": 1, "denominator": 3, "deferred": 1, "value": 33.3}
    # Verified: four closes (i7 twice, around its reopening) and one send-back.
    assert rates["rework"] == {"numerator": 1, "denominator": 5, "value": 20.0}
    assert rates["response"] == {"numerator": 1, "denominator": 2, "value": 50.0}
    assert rates["resolution"] == {"numerator": 2, "denominator": 3, "value": 66.7}
    assert rates["satisfaction"] == {"numerator": 1, "denominator": 3, "value": 33.3}


def test_meetings_and_attendance(world, october):
    meetings = _october(world)["meetings"]
    # Cancelled, planned and 1 November meetings do not count as held in October.
    assert meetings["held"] == 1
    assert meetings["by_form"] == [["courtyard_council", 1]]
    assert sorted(meetings["attendance"]) == [["property", 1, 1], ["representative", 2, 1]]


def test_resolutions_and_items(world, october):
    res = _october(world)["resolutions"]
    assert res["adopted"] == 1
    assert res["items_done"] == 2
    assert res["items_done_on_time"] == 1
    # Not done by the end of October: deadlines 25 and 31 October (cancelled left out).
    assert res["items_overdue"] == 2
    assert [row["deadline"] for row in res["overdue_list"]] == ["2026-10-25", "2026-10-31"]
    assert res["overdue_list"][0]["days_overdue"] == 7
    assert res["overdue_list"][0]["responsible"] == "甲物业"


def test_previous_month_and_trend(world, october):
    data = _october(world)
    assert data["previous"]["issues.received"] == 1
    assert data["previous"]["meetings.held"] == 1
    assert data["previous_rates"]["closure"] is None
    trend = {point["month"]: point for point in data["trend"]}
    assert len(data["trend"]) == 12
    assert data["trend"][0]["month"] == "2025-11" and data["trend"][-1]["month"] == "2026-10"
    assert trend["2026-10"] == {"month": "2026-10", "received": 4, "closed": 3, "meetings": 1}
    assert trend["2026-09"]["received"] == 1
    assert trend["2026-08"]["received"] == 1


def test_street_report_adds_communities(world, october):
    street = compute_figures([world.community_a.pk, world.community_b.pk], 2026, 10, now=NOW)
    assert street["issues"]["received"] == 5
    assert dict(street["issues"]["by_grid"])["乙一网格"] == 1


def test_reopened_case_counts_again_when_closed(world, october):
    i7 = october["i7"]
    assert i7.reopen_count == 1
    data = _october(world)
    # i7 was closed, reopened and closed again in October: one reopened case, both
    # verifications count, and it is closed (late) at the end of the month.
    assert data["issues"]["reopened"] == 1
    assert data["rates"]["rework"]["denominator"] == 5
    assert data["issues"]["closed"] == 3


def test_empty_month_has_no_rates(world):
    data = compute_report([world.community_a.pk], 2026, 10, now=NOW)
    assert data["issues"]["received"] == 0
    assert all(rate["value"] is None for rate in data["rates"].values())
    assert data["time_to_close"] == {"median_days": None, "p90_days": None, "count": 0}


def test_portable_percentiles_match_the_database(world, october):
    start, end = month_bounds(2026, 10)
    closed = Issue.objects.filter(
        community=world.community_a, closed_at__gte=start, closed_at__lt=end
    )
    assert time_to_close_bounded(closed) == time_to_close(closed)


def test_archived_issues_stay_out_of_the_figures(world, october):
    before = _october(world)["issues"]
    archived = Issue.objects.filter(
        community=world.community_a, reported_at__month=10, closed_at__isnull=False
    ).first()
    archived.archived_at = NOW
    archived.save(update_fields=["archived_at"])

    after = _october(world)["issues"]

    assert after["received"] == before["received"] - 1
    assert after["closed"] == before["closed"] - 1
