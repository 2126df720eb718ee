"""Working-time arithmetic for time limits counted in working hours (Asia/Shanghai office
hours, Monday to Friday)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
# Office hours of a community service centre.
PERIODS = ((time(8, 30), time(12, 0)), (time(14, 0), time(17, 30)))


def is_working_day(day) -> bool:
    return day.weekday() < 5


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The moment `hours` of office time after `start` (an aware datetime)."""
    remaining = timedelta(hours=hours)
    current = start.astimezone(TZ)
    # Bounded: even a year of working hours needs about 260 working days.
    for _ in range(3700):
        day = current.date()
        if is_working_day(day):
            for begin, end in PERIODS:
                period_start = datetime.combine(day, begin, TZ)
                period_end = datetime.combine(day, end, TZ)
                if current >= period_end:
                    continue
                current = max(current, period_start)
                available = period_end - current
                if remaining <= available:
                    return current + remaining
                remaining -= available
                current = period_end
        current = datetime.combine(day + timedelta(days=1), time(0, 0), TZ)
    raise ValueError("time limit too long")


def working_hours_between(start: datetime, end: datetime) -> float:
    """Office hours elapsed between two moments (0 if end is before start)."""
    if end <= start:
        return 0.0
    total = timedelta()
    current = start.astimezone(TZ)
    end = end.astimezone(TZ)
    while current.date() <= end.date():
        day = current.date()
        if is_working_day(day):
            for begin, finish in PERIODS:
                period_start = max(datetime.combine(day, begin, TZ), current)
                period_end = min(datetime.combine(day, finish, TZ), end)
                if period_end > period_start:
                    total += period_end - period_start
        current = datetime.combine(day + timedelta(days=1), time(0, 0), TZ)
    return total.total_seconds() / 3600
