"""The working calendar's days entered by hand (CalendarDay): the provider lib.worktime
reads, and the services that write them.

The State Council publishes next year's holidays in November or December; the built-in
calendar (chinese-calendar) knows them only from its next release. Until then a street
admin enters them here. Days are read once and kept in the cache (and for a few seconds
in the process), so computing a deadline costs no query; every write drops the cache.
"""

import time
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from access.administration import can_manage_calendar
from lib import worktime
from lib.errors import DomainError, StaleEdit

from . import audit
from .models import AuditEntry, CalendarDay

CACHE_KEY = "worktime:entered-days"
CACHE_SECONDS = 3600
# Within one process a computation reads the cache at most this often: a street admin's
# new day reaches the other processes within a few seconds of the cache being dropped.
PROCESS_SECONDS = 5

_memo: tuple[float, dict[date, bool]] | None = None


def entered_days() -> dict[date, bool]:
    """{date: working?} of the active days entered by hand: the provider of lib.worktime."""
    global _memo
    now = time.monotonic()
    if _memo is not None and now - _memo[0] < PROCESS_SECONDS:
        return _memo[1]
    days = cache.get(CACHE_KEY)
    if days is None:
        days = {
            day: kind == CalendarDay.Kind.WORKDAY
            for day, kind in CalendarDay.objects.filter(archived_at__isnull=True).values_list(
                "date", "kind"
            )
        }
        cache.set(CACHE_KEY, days, CACHE_SECONDS)
    _memo = (now, days)
    return days


def forget_entered_days() -> None:
    global _memo
    _memo = None
    cache.delete(CACHE_KEY)


def _check(day: date, kind: str, *, exclude_pk=None) -> None:
    """The rules of a day entered by hand, each with its message next to the field."""
    if worktime.is_official_year(day.year):
        raise DomainError(
            _(
                "The State Council's arrangement for %(year)s is already built in: its "
                "holidays and working weekend days count without being entered."
            )
            % {"year": day.year},
            field="date",
        )
    clash = (
        CalendarDay.objects.filter(date=day, archived_at__isnull=True)
        .exclude(pk=exclude_pk)
        .first()
    )
    if clash is not None:
        if clash.kind == kind:
            message = _("%(date)s is already entered (%(name)s).")
        else:
            message = _(
                "%(date)s is already entered as %(kind)s (%(name)s): a day cannot be both a "
                "holiday and a working day. Change that entry instead."
            )
        raise DomainError(
            message
            % {"date": day.isoformat(), "name": clash.name, "kind": clash.get_kind_display()},
            field="date",
        )
    if kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
        raise DomainError(
            _(
                "%(date)s is a weekday, a working day anyway: a working day of 调休 is a "
                "Saturday or a Sunday."
            )
            % {"date": day.isoformat()},
            field="kind",
        )


def calendar_day_save(
    *, actor, date: date, kind: str, name: str, day: CalendarDay | None = None, version=None
) -> CalendarDay:
    """Enter (or correct) one day of a year the built-in calendar does not know yet: a
    holiday or a weekend working day. Any street admin may (the calendar is the
    country's). Raises DomainError for a year already built in, a date entered twice or
    both ways, a weekday entered as a working day; StaleEdit when `version` is old."""
    if not can_manage_calendar(actor):
        raise DomainError(_("You may not do this."))
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the holiday, for example 元旦."), field="name")
    with transaction.atomic():
        if day is None:
            _check(date, kind)
            saved = CalendarDay.objects.create(date=date, kind=kind, name=name, created_by=actor)
            audit.record(
                actor=actor,
                obj=saved,
                action=AuditEntry.Action.CREATE,
                changes={
                    "date": ["", date.isoformat()],
                    "kind": ["", str(saved.get_kind_display())],
                    "name": ["", name],
                },
            )
        else:
            saved = CalendarDay.objects.select_for_update().get(pk=day.pk)
            if version is not None and int(version) != saved.version:
                raise StaleEdit(_("Someone else changed this day meanwhile. Reload and try again."))
            _check(date, kind, exclude_pk=saved.pk)
            before = audit.snapshot(saved, ["date", "kind", "name"])
            saved.date, saved.kind, saved.name = date, kind, name
            changes = audit.diff(before, saved)
            if changes:
                saved.version += 1
                saved.save(update_fields=["date", "kind", "name", "version"])
                audit.record(
                    actor=actor, obj=saved, action=AuditEntry.Action.UPDATE, changes=changes
                )
        # Now for this process, and again once committed for the others (a process that
        # read the old days meanwhile would otherwise keep them for an hour).
        forget_entered_days()
        transaction.on_commit(forget_entered_days)
    return saved


def calendar_day_archive(*, actor, day: CalendarDay) -> CalendarDay:
    """Take back a day entered by mistake (archived, never deleted)."""
    from django.utils import timezone

    if not can_manage_calendar(actor):
        raise DomainError(_("You may not do this."))
    with transaction.atomic():
        locked = CalendarDay.objects.select_for_update().get(pk=day.pk)
        if locked.archived_at is not None:
            return locked
        locked.archived_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["archived_at", "version"])
        audit.record(actor=actor, obj=locked, action=AuditEntry.Action.ARCHIVE)
        forget_entered_days()
        transaction.on_commit(forget_entered_days)
    return locked


def years_overview(today: date) -> list[dict]:
    """This year and the next two: whether each is built in, and how many days were
    entered by hand (one query)."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    years = [today.year, today.year + 1, today.year + 2]
    counts = dict(
        CalendarDay.objects.filter(archived_at__isnull=True, date__year__in=years)
        .annotate(year=ExtractYear("date"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    return [
        {"year": y, "official": worktime.is_official_year(y), "entered": counts.get(y, 0)}
        for y in years
    ]
