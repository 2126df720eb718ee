"""Computing and storing monthly report snapshots."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from communities.models import Community, Street
from core.audit import record
from lib.errors import DomainError
from notifications.services import notify

from .metrics import add_months, compute_report, month_bounds
from .models import ReportScope, ReportSnapshot


def community_ids_of(target) -> list[int]:
    if isinstance(target, Street):
        return list(Community.objects.filter(street=target).values_list("pk", flat=True))
    return [target.pk]


def scope_of(target) -> str:
    return ReportScope.STREET if isinstance(target, Street) else ReportScope.COMMUNITY


def _snapshot_lookup(target, month: dt.date) -> dict:
    if isinstance(target, Street):
        return {"scope": ReportScope.STREET, "street": target, "month": month}
    return {"scope": ReportScope.COMMUNITY, "community": target, "month": month}


def snapshot_for(target, year: int, month: int) -> ReportSnapshot | None:
    return ReportSnapshot.objects.filter(
        **_snapshot_lookup(target, dt.date(year, month, 1))
    ).first()


def report_url(target, year: int, month: int) -> str:
    return (
        f"{reverse('reports:monthly')}?scope={scope_of(target)}&id={target.pk}"
        f"&month={year:04d}-{month:02d}"
    )


def stored_figures(target, year: int, month: int) -> dict:
    """The stored figures of the twelve months before this one, keyed by (year, month)."""
    first = dt.date(*add_months(year, month, -12), 1)
    rows = ReportSnapshot.objects.filter(
        **{k: v for k, v in _snapshot_lookup(target, first).items() if k != "month"},
        month__gte=first,
        month__lt=dt.date(year, month, 1),
    ).values_list("month", "data")
    return {(day.year, day.month): data for day, data in rows}


def report_data(target, year: int, month: int, *, now=None) -> dict:
    """The live figures of a month, reusing the stored figures of earlier months for the
    comparison and the trend."""
    return compute_report(
        community_ids_of(target), year, month, now=now, stored=stored_figures(target, year, month)
    )


# How long the figures of a month without a snapshot (the month in progress) are reused:
# counting a street's month takes 100-200 ms, and admins reload the page.
LIVE_SECONDS = 600


def live_report_data(target, year: int, month: int, *, fresh: bool = False):
    """The live figures of a month and when they were counted, counted at most every
    LIVE_SECONDS (`fresh` counts them now). When they are due again, one viewer counts
    them while the others are shown the last count, so admins opening the report together
    do not all count the month at once."""
    key = f"reports:live:{type(target).__name__}:{target.pk}:{year:04d}-{month:02d}"
    found = None if fresh else cache.get(key)
    if found is not None:
        due = (timezone.now() - found[1]).total_seconds() >= LIVE_SECONDS
        if not due or not cache.add(f"{key}:counting", 1, 60):
            return found
    now = timezone.now()
    found = (report_data(target, year, month, now=now), now)
    cache.set(key, found, 24 * 3600)
    cache.delete(f"{key}:counting")
    return found


def report_snapshot_compute(*, actor, target, year: int, month: int, now=None) -> ReportSnapshot:
    """Compute (or recompute) the snapshot of a finished month. `actor` is None when the
    monthly task computes it."""
    now = now or timezone.now()
    end = month_bounds(year, month)[1]
    if end > now:
        raise DomainError(_("Only a finished month can be stored as a snapshot."), field="month")
    data = report_data(target, year, month, now=now)
    with transaction.atomic():
        lookup = _snapshot_lookup(target, dt.date(year, month, 1))
        existing = ReportSnapshot.objects.select_for_update().filter(**lookup).first()
        if existing is None:
            snapshot = ReportSnapshot.objects.create(
                **lookup, data=data, computed_at=now, computed_by=actor
            )
        else:
            existing.data = data
            existing.computed_at = now
            existing.computed_by = actor
            existing.save(update_fields=["data", "computed_at", "computed_by"])
            snapshot = existing
        record(
            actor=actor,
            obj=snapshot,
            action="recompute" if existing else "compute",
            note=f"{year:04d}-{month:02d}",
        )
    return snapshot


def monthly_snapshots_compute(*, now=None) -> list[ReportSnapshot]:
    """Last month's snapshot for every community and street, and a notification (by email
    for those who chose it) with a link to each street admin."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    year, month = add_months(today.year, today.month, -1)
    snapshots = _store_missing(year, month, actor=None, now=now)
    User = get_user_model()
    for street in Street.objects.all():
        snapshot = snapshot_for(street, year, month)
        url = report_url(street, year, month)
        admins = User.objects.filter(role=Role.STREET_ADMIN, is_active=True, streets=street)
        for admin in admins:
            notify(
                recipient=admin,
                kind="report_ready",
                title=_("Monthly report of %(street)s for %(month)s is ready")
                % {"street": street.name, "month": f"{year}-{month:02d}"},
                body=_(
                    "The figures of %(month)s have been computed and stored. Open the report: "
                    "%(url)s"
                )
                % {"month": f"{year}-{month:02d}", "url": f"{_site_url()}{url}"},
                target=snapshot,
                url=url,
            )
    return snapshots


def _store_missing(year, month, *, actor, now) -> list[ReportSnapshot]:
    """The month's snapshot of every community and street that has none yet."""
    targets = [*Community.objects.filter(archived_at__isnull=True), *Street.objects.all()]
    stored = {
        (row["scope"], row["community"] or row["street"])
        for row in ReportSnapshot.objects.filter(month=dt.date(year, month, 1)).values(
            "scope", "community", "street"
        )
    }
    return [
        report_snapshot_compute(actor=actor, target=target, year=year, month=month, now=now)
        for target in targets
        if (scope_of(target), target.pk) not in stored
    ]


def snapshots_backfill(*, months: int, actor=None, now=None) -> int:
    """Store the snapshots of the last `months` finished months that are missing, oldest
    first, so each month compares itself with the stored one before it. For a database
    that holds history the monthly task never saw (an import, a new deployment)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = 0
    for back in range(months, 0, -1):
        year, month = add_months(today.year, today.month, -back)
        created += len(_store_missing(year, month, actor=actor, now=now))
    return created


def _site_url() -> str:
    from django.conf import settings

    return settings.SITE_URL
