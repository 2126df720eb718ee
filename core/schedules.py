"""The reminder schedules (提醒计划): the periodic tasks of config/schedule.py as street admins
read them (in plain words, with their next run), pause, resume and retime them; and the
sync that writes them from the code without undoing what an admin changed.

What is the code's and what is the admin's: the task each entry runs and its description
follow the code on every sync; whether it runs (enabled) and when belong to the admin
once the entry exists. A time is brought to the code's only when the task still holds a
time the code itself wrote before (config.schedule.FORMER) and nobody changed it on this
page (its timeline says so).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from celery.schedules import crontab_parser
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from access.administration import can_manage_schedules
from config.schedule import FORMER, SCHEDULE, TITLES
from lib.errors import DomainError, StaleEdit

from . import audit
from .models import AuditEntry

TZ = ZoneInfo(settings.TIME_ZONE)
# The intervals a street admin may choose for the tasks that run every few minutes.
INTERVALS = (5, 10, 15, 30, 60)


def title_of(name: str) -> str:
    return str(TITLES.get(name, name))


def _crontab_fields(crontab) -> dict[str, str]:
    return {
        "minute": crontab.minute,
        "hour": crontab.hour,
        "day_of_week": crontab.day_of_week,
        "day_of_month": crontab.day_of_month,
        "month_of_year": crontab.month_of_year,
    }


def fingerprint(task) -> dict[str, str]:
    """The task's time as config/schedule.py writes one: crontab fields (the missing ones
    "*") or {"every_minutes": n}."""
    if task.interval_id:
        interval = task.interval
        minutes = interval.every * (60 if interval.period == IntervalSchedule.HOURS else 1)
        return {"every_minutes": str(minutes)}
    if task.crontab_id:
        return _crontab_fields(task.crontab)
    return {}


def _normalise(when: dict) -> dict[str, str]:
    if "every_minutes" in when:
        return {"every_minutes": str(when["every_minutes"])}
    return {
        "minute": str(when.get("minute", "0")),
        "hour": str(when.get("hour", "*")),
        "day_of_week": str(when.get("day_of_week", "*")),
        "day_of_month": str(when.get("day_of_month", "*")),
        "month_of_year": str(when.get("month_of_year", "*")),
    }


def describe_when(task) -> str:
    """When the task runs, in plain words: 每天 08:00（北京时间）, 每月 5 日 08:00（北京时间）,
    每 15 分钟."""
    when = fingerprint(task)
    if "every_minutes" in when:
        return _("Every %(n)s minutes") % {"n": when["every_minutes"]}
    if not when:
        return _("Not on a schedule")
    minute, hour = when["minute"], when["hour"]
    if minute.isdigit() and hour.isdigit():
        at = f"{int(hour):02d}:{int(minute):02d}"
    else:
        at = f"{hour}:{minute}"
    if when["day_of_month"] != "*" and when["month_of_year"] == "*":
        return _("On day %(day)s of every month at %(time)s (Beijing time)") % {
            "day": when["day_of_month"],
            "time": at,
        }
    if when["day_of_week"] != "*":
        return _("Every week (days %(days)s) at %(time)s (Beijing time)") % {
            "days": when["day_of_week"],
            "time": at,
        }
    return _("Every day at %(time)s (Beijing time)") % {"time": at}


def describe(task) -> str:
    """“每天 08:00（北京时间）提醒到期的整改事项”: when, then what."""
    return _("%(when)s %(what)s") % {"when": describe_when(task), "what": title_of(task.name)}


def next_run(task, now: datetime | None = None) -> datetime | None:
    """When the task runs next (None when paused or not on a schedule)."""
    if not task.enabled:
        return None
    now = (now or timezone.now()).astimezone(TZ)
    if task.interval_id:
        every = timedelta(minutes=int(fingerprint(task)["every_minutes"]))
        last = task.last_run_at
        following = (last.astimezone(TZ) + every) if last else now + every
        return max(following, now)
    if not task.crontab_id:
        return None
    fields = _crontab_fields(task.crontab)
    minutes = sorted(crontab_parser(60).parse(fields["minute"]))
    hours = sorted(crontab_parser(24).parse(fields["hour"]))
    days = crontab_parser(31, 1).parse(fields["day_of_month"])
    months = crontab_parser(12, 1).parse(fields["month_of_year"])
    weekdays = crontab_parser(7).parse(fields["day_of_week"])
    day = now.date()
    # Four years: a day of the month every month has (or the 29th of February).
    for _offset in range(4 * 366):
        # cron counts Sunday as 0, Python's isoweekday as 7.
        if day.day in days and day.month in months and (day.isoweekday() % 7) in weekdays:
            for hour in hours:
                for minute in minutes:
                    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)
                    if moment > now:
                        return moment
        day += timedelta(days=1)
    return None


def schedule_rows(now: datetime | None = None) -> list:
    """The district's periodic tasks of config/schedule.py, in its order, each with its
    words and next run: one query."""
    tasks = {
        task.name: task
        for task in PeriodicTask.objects.filter(name__in=list(SCHEDULE)).select_related(
            "crontab", "interval"
        )
    }
    rows = []
    for name in SCHEDULE:
        task = tasks.get(name)
        if task is None:
            continue
        task.title = title_of(name)
        task.when = describe_when(task)
        task.words = describe(task)
        task.next = next_run(task, now)
        task.kind = "interval" if task.interval_id else "crontab"
        task.stamp = stamp_of(task)
        rows.append(task)
    return rows


def stamp_of(task) -> str:
    """The version a form carries: the moment the task was last changed."""
    return task.date_changed.isoformat() if task.date_changed else ""


def get_schedule(pk) -> PeriodicTask:
    from django.http import Http404

    try:
        return PeriodicTask.objects.select_related("crontab", "interval").get(
            pk=pk, name__in=list(SCHEDULE)
        )
    except (PeriodicTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _crontab_at(task, hour: int, minute: int) -> CrontabSchedule:
    """The crontab of the task's days at another time. A new row (or the one already
    there): crontab rows are shared by tasks, so one is never changed in place."""
    fields = _crontab_fields(task.crontab)
    fields.update(hour=str(hour), minute=str(minute))
    crontab, _created = CrontabSchedule.objects.get_or_create(**fields, timezone=settings.TIME_ZONE)
    return crontab


@transaction.atomic
def schedule_set(
    *,
    actor,
    task: PeriodicTask,
    enabled: bool,
    hour: int | None = None,
    minute: int | None = None,
    every_minutes: int | None = None,
    stamp: str | None = None,
) -> PeriodicTask:
    """Pause or resume a reminder schedule and change its time (hour and minute of a daily
    or monthly task, the interval of one that runs every few minutes). Street admins do
    it; written on the task's timeline with before and after, and beat picks it up
    (django-celery-beat's change signal). Raises DomainError for a time out of range,
    StaleEdit when the task changed since the form was loaded (`stamp`)."""
    if not can_manage_schedules(actor):
        raise DomainError(_("You may not do this."))
    # Only the task's row is locked: its schedules are read through outer joins.
    locked = (
        PeriodicTask.objects.select_for_update(of=("self",))
        .select_related("crontab", "interval")
        .get(pk=task.pk)
    )
    if stamp is not None and stamp != stamp_of(locked):
        raise StaleEdit(_("Someone else changed this schedule meanwhile. Reload and try again."))
    before = {"enabled": locked.enabled, "when": describe_when(locked)}
    if locked.crontab_id and (hour is not None or minute is not None):
        hour = locked.crontab.hour if hour is None else hour
        minute = locked.crontab.minute if minute is None else minute
        if not (str(hour).isdigit() and 0 <= int(hour) <= 23):
            raise DomainError(_("An hour from 0 to 23."), field="hour")
        if not (str(minute).isdigit() and 0 <= int(minute) <= 59):
            raise DomainError(_("A minute from 0 to 59."), field="minute")
        if (str(int(hour)), str(int(minute))) != (locked.crontab.hour, locked.crontab.minute):
            locked.crontab = _crontab_at(locked, int(hour), int(minute))
    if locked.interval_id and every_minutes is not None:
        if every_minutes not in INTERVALS:
            raise DomainError(
                _("Choose one of %(choices)s minutes.")
                % {"choices": "、".join(str(n) for n in INTERVALS)},
                field="every_minutes",
            )
        if fingerprint(locked)["every_minutes"] != str(every_minutes):
            locked.interval, _created = IntervalSchedule.objects.get_or_create(
                every=every_minutes, period=IntervalSchedule.MINUTES
            )
    locked.enabled = enabled
    after = {"enabled": locked.enabled, "when": describe_when(locked)}
    if before == after:
        return locked
    # save(), not update(): django-celery-beat's signal tells beat the schedule changed.
    locked.save()
    changes = {}
    if before["enabled"] != after["enabled"]:
        changes[_("runs")] = [_yes_no(before["enabled"]), _yes_no(after["enabled"])]
    if before["when"] != after["when"]:
        changes[_("when")] = [before["when"], after["when"]]
    audit.record(
        actor=actor,
        obj=locked,
        action=AuditEntry.Action.UPDATE,
        changes=changes,
        note=title_of(locked.name),
    )
    return locked


def _yes_no(value: bool) -> str:
    return str(_("on") if value else _("paused"))


def changed_on_page(task) -> bool:
    """Whether an admin ever changed the task on 提醒计划 (its timeline)."""
    return audit.timeline_of(task).exists()


def sync(now=None) -> tuple[int, int, int]:
    """Write config/schedule.py into the periodic tasks: create the missing ones, keep the
    task path and description the code's, and bring a time to the code's only when the
    task holds a time the code wrote before and no admin changed it here. Whether a task
    runs is never touched. Returns (created, updated, kept)."""
    created = updated = kept = 0
    for name, (task_path, when, description) in SCHEDULE.items():
        wanted = _normalise(when)
        task = PeriodicTask.objects.filter(name=name).select_related("crontab", "interval").first()
        if task is None:
            PeriodicTask.objects.create(
                name=name, task=task_path, description=description, **_schedule_of(wanted)
            )
            created += 1
            continue
        fields = []
        if task.task != task_path:
            task.task = task_path
            fields.append("task")
        if task.description != description:
            task.description = description
            fields.append("description")
        current = fingerprint(task)
        former = [_normalise(f) for f in FORMER.get(name, [])]
        if current != wanted and current in former and not changed_on_page(task):
            for key, value in _schedule_of(wanted).items():
                setattr(task, key, value)
            fields += ["crontab", "interval"]
        if fields:
            task.save()
            updated += 1
        else:
            kept += 1
    return created, updated, kept


def _schedule_of(when: dict[str, str]) -> dict:
    if "every_minutes" in when:
        interval, _created = IntervalSchedule.objects.get_or_create(
            every=int(when["every_minutes"]), period=IntervalSchedule.MINUTES
        )
        return {"interval": interval, "crontab": None}
    crontab, _created = CrontabSchedule.objects.get_or_create(**when, timezone=settings.TIME_ZONE)
    return {"crontab": crontab, "interval": None}
