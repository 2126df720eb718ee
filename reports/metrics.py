"""The figures of a monthly report, all counted by the database.

Every figure is a COUNT with a filter, grouped where the report shows a breakdown; the
median and 90th percentile of the time to close use PostgreSQL's percentile_cont (with a
bounded fallback for SQLite, which `make run` may use). Month boundaries are midnight in
Asia/Shanghai. The result is plain JSON so a snapshot can store it as it was.

Definitions (DOMAIN.md, "Rates"):
- due: issues whose handling deadline falls in the month (rejected and merged ones left out);
- closure rate = due issues closed ÷ due;
- on-time closure rate = due issues closed on time ÷ (due − deferred): a deferral (缓办)
  takes the case out of the on-time denominator (and numerator);
- rework rate = cases sent back at verification ÷ cases verified (closed or sent back);
- response rate = issues received in the month and accepted by their accept-by time ÷
  issues received with an accept-by time;
- resolution rate = evaluations saying solved (satisfied or basically satisfied) ÷ cases rated;
- satisfaction rate = evaluations "satisfied" ÷ cases rated.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core import audit
from issues.models import Handling, Issue, Status
from meetings.models import Meeting, Participant
from resolutions.models import ActionItem, Evaluation, Resolution

SHANGHAI = ZoneInfo("Asia/Shanghai")
HELD_MEETING_STATUSES = (
    Meeting.Status.IN_PROGRESS,
    Meeting.Status.ADJOURNED,
    Meeting.Status.ENDED,
    Meeting.Status.CLOSED,
)
OVERDUE_LIST_LIMIT = 100
PERCENTILE_FALLBACK_LIMIT = 50_000
TREND_MONTHS = 12
# The figures compared with the previous month.
COMPARED = (
    ("issues", "received"),
    ("issues", "closed"),
    ("issues", "reopened"),
    ("issues", "rework"),
    ("meetings", "held"),
    ("resolutions", "adopted"),
    ("resolutions", "items_done"),
    ("resolutions", "items_overdue"),
)


class Epoch(Func):
    """Seconds in an interval."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


class PercentileCont(Aggregate):
    """percentile_cont(p) WITHIN GROUP (ORDER BY expr): an ordered-set aggregate."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def month_start(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, tzinfo=SHANGHAI)


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the month in Asia/Shanghai."""
    return month_start(year, month), month_start(*add_months(year, month, 1))


def _pairs(queryset, field) -> list[list]:
    rows = queryset.values(field).annotate(n=Count("pk")).order_by("-n", field)
    return [[row[field] or "", row["n"]] for row in rows]


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100.0 * numerator / denominator, 1) if denominator else None


def _days(seconds):
    return None if seconds is None else round(seconds / 86400.0, 1)


def time_to_close(closed_issues) -> dict:
    """Median and 90th percentile of reported → closed, in days."""
    if connection.vendor == "postgresql":
        duration = Epoch(F("closed_at") - F("reported_at"))
        row = closed_issues.aggregate(
            median=PercentileCont(duration, 0.5),
            p90=PercentileCont(duration, 0.9),
            count=Count("pk"),
        )
        return {
            "median_days": _days(row["median"]),
            "p90_days": _days(row["p90"]),
            "count": row["count"],
        }
    return time_to_close_bounded(closed_issues)


def time_to_close_bounded(closed_issues) -> dict:
    """Portable fallback (SQLite): a bounded list of durations, interpolated exactly like
    percentile_cont."""
    pairs = closed_issues.values_list("closed_at", "reported_at")[:PERCENTILE_FALLBACK_LIMIT]
    seconds = sorted((closed - reported).total_seconds() for closed, reported in pairs)

    def cont(fraction):
        if not seconds:
            return None
        position = fraction * (len(seconds) - 1)
        low = int(position)
        high = min(low + 1, len(seconds) - 1)
        return seconds[low] + (seconds[high] - seconds[low]) * (position - low)

    return {"median_days": _days(cont(0.5)), "p90_days": _days(cont(0.9)), "count": len(seconds)}


def compute_figures(community_ids, year: int, month: int, *, now=None, details=True) -> dict:
    """The figures of one month over the given communities."""
    now = now or timezone.now()
    start, end = month_bounds(year, month)
    cutoff = min(end, now)
    community_ids = list(community_ids)
    # Archived records stay out of reports (they are kept, never deleted, but not counted).
    issues = Issue.objects.filter(community__in=community_ids, archived_at__isnull=True)
    received = issues.filter(reported_at__gte=start, reported_at__lt=end)
    closed = issues.filter(closed_at__gte=start, closed_at__lt=end)
    events = (
        audit.about(Issue)
        .filter(
            action__in=["reopen", "send_back", "close"],
            community__in=community_ids,
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(
            object_id__in=Issue.objects.filter(
                community__in=community_ids, archived_at__isnull=False
            ).values("pk")
        )
    )

    counts = received.aggregate(
        received=Count("pk"),
        on_spot=Count("pk", filter=Q(handling=Handling.ON_SPOT)),
        deliberation=Count("pk", filter=Q(handling=Handling.DELIBERATION)),
        escalated=Count("pk", filter=Q(handling=Handling.ESCALATED)),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
        merged=Count("pk", filter=Q(status=Status.MERGED)),
        with_accept_deadline=Count("pk", filter=Q(accept_deadline__isnull=False)),
        responded=Count(
            "pk",
            filter=Q(accept_deadline__isnull=False, accepted_at__lte=F("accept_deadline")),
        ),
    )
    event_counts = events.aggregate(
        reopened=Count("object_id", distinct=True, filter=Q(action="reopen")),
        sent_back=Count("pk", filter=Q(action="send_back")),
        verified=Count("pk", filter=Q(action__in=["send_back", "close"])),
    )
    due = (
        issues.filter(handle_deadline__gte=start, handle_deadline__lt=end)
        .exclude(status__in=[Status.REJECTED, Status.MERGED])
        .aggregate(
            due=Count("pk"),
            closed=Count("pk", filter=Q(closed_at__isnull=False, closed_at__lt=cutoff)),
            deferred=Count("pk", filter=Q(was_deferred=True)),
            on_time=Count(
                "pk",
                filter=Q(
                    closed_at__isnull=False,
                    closed_at__lt=cutoff,
                    closed_on_time=True,
                    was_deferred=False,
                ),
            ),
        )
    )
    ratings = Evaluation.objects.filter(
        issue__community__in=community_ids, created_at__gte=start, created_at__lt=end
    ).aggregate(
        rated=Count("pk"),
        satisfied=Count("pk", filter=Q(rating=Evaluation.Rating.SATISFIED)),
        solved=Count(
            "pk", filter=Q(rating__in=[Evaluation.Rating.SATISFIED, Evaluation.Rating.BASIC])
        ),
    )

    meetings = Meeting.objects.filter(
        community__in=community_ids,
        archived_at__isnull=True,
        starts_at__gte=start,
        starts_at__lt=end,
        status__in=HELD_MEETING_STATUSES,
    )
    attendance = (
        Participant.objects.filter(meeting__in=meetings)
        .values("role")
        .annotate(
            invited=Count("pk"),
            present=Count(
                "pk",
                filter=Q(
                    attendance__in=[Participant.Attendance.PRESENT, Participant.Attendance.LATE]
                ),
            ),
        )
        .order_by("-present", "role")
    )

    items = ActionItem.objects.filter(
        community__in=community_ids, resolution__archived_at__isnull=True
    ).exclude(status=ActionItem.Status.CANCELLED)
    done = items.filter(
        status=ActionItem.Status.DONE, confirmed_at__gte=start, confirmed_at__lt=end
    )
    last_day = (end - dt.timedelta(days=1)).date()
    today = timezone.localdate(now, SHANGHAI)
    overdue_day = min(last_day, today - dt.timedelta(days=1)) if cutoff == now else last_day
    overdue = items.filter(deadline__lte=overdue_day).exclude(
        status=ActionItem.Status.DONE, confirmed_at__lt=cutoff
    )
    item_counts = done.aggregate(done=Count("pk"), on_time=Count("pk", filter=Q(done_on_time=True)))

    figures = {
        "period": {"year": year, "month": month},
        "issues": {
            "received": counts["received"],
            "by_channel": _pairs(received, "channel"),
            "by_kind": _pairs(received, "kind"),
            "by_category": _pairs(received, "category__name"),
            "by_grid": _pairs(received, "grid__name"),
            "handling": {
                "on_spot": counts["on_spot"],
                "deliberation": counts["deliberation"],
                "escalated": counts["escalated"],
                "rejected": counts["rejected"],
                "merged": counts["merged"],
            },
            "closed": closed.count(),
            "reopened": event_counts["reopened"],
            "rework": event_counts["sent_back"],
        },
        "meetings": {
            "held": meetings.count(),
            "by_form": _pairs(meetings, "form"),
            "attendance": [[row["role"], row["invited"], row["present"]] for row in attendance],
        },
        "resolutions": {
            "adopted": Resolution.objects.filter(
                community__in=community_ids,
                archived_at__isnull=True,
                adopted_at__gte=start,
                adopted_at__lt=end,
            ).count(),
            "items_done": item_counts["done"],
            "items_done_on_time": item_counts["on_time"],
            "items_overdue": overdue.count(),
        },
        "time_to_close": time_to_close(closed),
        "rates": {
            "closure": {"numerator": due["closed"], "denominator": due["due"]},
            "on_time": {
                "numerator": due["on_time"],
                "denominator": due["due"] - due["deferred"],
                "deferred": due["deferred"],
            },
            "rework": {
                "numerator": event_counts["sent_back"],
                "denominator": event_counts["verified"],
            },
            "response": {
                "numerator": counts["responded"],
                "denominator": counts["with_accept_deadline"],
            },
            "resolution": {"numerator": ratings["solved"], "denominator": ratings["rated"]},
            "satisfaction": {"numerator": ratings["satisfied"], "denominator": ratings["rated"]},
        },
    }
    for rate in figures["rates"].values():
        rate["value"] = _rate(rate["numerator"], rate["denominator"])
    if details:
        figures["issues"]["by_compound"] = issues_by_compound(received, community_ids)
        figures["resolutions"]["overdue_list"] = [
            {
                "id": row["pk"],
                "measure": row["measure"][:120],
                "deadline": row["deadline"].isoformat(),
                "days_overdue": (overdue_day - row["deadline"]).days + 1,
                "community": row["community__name"],
                "resolution": row["resolution__title"],
                "responsible": row["responsible_organization__name"]
                or row["responsible_user__first_name"]
                or row["responsible_user__username"]
                or row["responsible_resident__name"]
                or "",
            }
            for row in overdue.order_by("deadline", "pk").values(
                "pk",
                "measure",
                "deadline",
                "community__name",
                "resolution__title",
                "responsible_organization__name",
                "responsible_user__first_name",
                "responsible_user__username",
                "responsible_resident__name",
            )[:OVERDUE_LIST_LIMIT]
        ]
    return figures


def issues_by_compound(received, community_ids) -> list[list]:
    """Issues received per compound of the communities, for the heat map and its table:
    [community, compound, latitude, longitude, issues] for every compound that has a
    position or received an issue, the most issues first. Two queries: the counts grouped
    by compound, and the positioned compounds (drawn even with none, so the map shows
    where nothing was reported too)."""
    from communities.models import Compound

    counts = {
        row["compound"]: row["n"]
        for row in received.filter(compound__isnull=False)
        .values("compound")
        .annotate(n=Count("pk"))
        .order_by()
    }
    compounds = (
        Compound.objects.filter(community__in=community_ids)
        .filter(Q(latitude__isnull=False, archived_at__isnull=True) | Q(pk__in=list(counts)))
        .values_list("pk", "community__name", "name", "latitude", "longitude")
    )
    rows = [
        [
            community,
            name,
            float(lat) if lat is not None else None,
            float(lng) if lng is not None else None,
            counts.get(pk, 0),
        ]
        for pk, community, name, lat, lng in compounds
    ]
    rows.sort(key=lambda row: (-row[4], row[0], row[1]))
    return rows


def _point(key, data) -> dict:
    return {
        "month": f"{key[0]:04d}-{key[1]:02d}",
        "received": data["issues"]["received"],
        "closed": data["issues"]["closed"],
        "meetings": data["meetings"]["held"],
    }


def trend(community_ids, year: int, month: int, *, stored=None) -> list[dict]:
    """Received, closed and meetings held in each of the 12 months ending with this one.
    Months with stored figures (snapshots) are read from them, as published; the database
    counts only the span from the first month without them."""
    stored = stored or {}
    first = add_months(year, month, -(TREND_MONTHS - 1))
    keys = [add_months(*first, offset) for offset in range(TREND_MONTHS)]
    missing = [key for key in keys if key not in stored or key == (year, month)]
    start, _ = month_bounds(*missing[0])
    _, end = month_bounds(year, month)
    community_ids = list(community_ids)

    def by_month(queryset, field):
        rows = (
            queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})
            .annotate(m=TruncMonth(field, tzinfo=SHANGHAI))
            .values("m")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {(row["m"].year, row["m"].month): row["n"] for row in rows}

    issues = Issue.objects.filter(community__in=community_ids, archived_at__isnull=True)
    received = by_month(issues, "reported_at")
    closed = by_month(issues, "closed_at")
    held = by_month(
        Meeting.objects.filter(
            community__in=community_ids,
            status__in=HELD_MEETING_STATUSES,
            archived_at__isnull=True,
        ),
        "starts_at",
    )
    series = []
    for key in keys:
        if key in stored and key != (year, month):
            series.append(_point(key, stored[key]))
            continue
        series.append(
            {
                "month": f"{key[0]:04d}-{key[1]:02d}",
                "received": received.get(key, 0),
                "closed": closed.get(key, 0),
                "meetings": held.get(key, 0),
            }
        )
    return series


def compute_report(community_ids, year: int, month: int, *, now=None, stored=None) -> dict:
    """The whole report: this month's figures, the previous month's for comparison and
    the 12-month trend. `stored` maps (year, month) to the stored figures of earlier
    months; the comparison and the trend use them instead of counting again."""
    stored = stored or {}
    community_ids = list(community_ids)
    figures = compute_figures(community_ids, year, month, now=now)
    previous_key = add_months(year, month, -1)
    previous = stored.get(previous_key) or compute_figures(
        community_ids, *previous_key, now=now, details=False
    )
    figures["previous"] = {f"{section}.{key}": previous[section][key] for section, key in COMPARED}
    figures["previous_rates"] = {key: rate["value"] for key, rate in previous["rates"].items()}
    figures["trend"] = trend(community_ids, year, month, stored=stored)
    figures["computed_at"] = (now or timezone.now()).isoformat()
    return figures
