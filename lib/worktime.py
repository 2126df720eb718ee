"""Working-time arithmetic for time limits counted in working hours (Asia/Shanghai office
hours on China's working days).

Working days follow the State Council's holiday arrangement: statutory holidays are days
off and some weekend days are working days (调休). The years published when the
`chinese-calendar` package was released are built in; the days of a year it does not know
yet come from a provider the domain registers (`register_calendar`: a street admin enters
them when the State Council publishes them, core.calendar), and they win over the built-in
days. A year known to neither counts Monday to Friday.
"""

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

TZ = ZoneInfo("Asia/Shanghai")
# Office hours of a community service centre.
PERIODS = ((time(8, 30), time(12, 0)), (time(14, 0), time(17, 30)))

# The years the built-in official calendar knows.
OFFICIAL_YEARS = frozenset(
    day.year for day in (*chinese_calendar.holidays, *chinese_calendar.workdays)
)

# () -> {date: True for a working day, False for a day off}: the days entered by hand.
_provider: Callable[[], Mapping[date, bool]] | None = None


def register_calendar(provider: Callable[[], Mapping[date, bool]] | None) -> None:
    """Register where the days entered by hand come from (called once at start-up). The
    provider is called once per computation, so it should be cheap (cached)."""
    global _provider
    _provider = provider


def entered_days() -> Mapping[date, bool]:
    return _provider() if _provider is not None else {}


def is_official_year(year: int) -> bool:
    return year in OFFICIAL_YEARS


def _working(day: date, entered: Mapping[date, bool]) -> bool:
    if day in entered:
        return entered[day]
    if day.year in OFFICIAL_YEARS:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def is_working_day(day: date, entered: Mapping[date, bool] | None = None) -> bool:
    return _working(day, entered_days() if entered is None else entered)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The moment `hours` of office time after `start` (an aware datetime)."""
    entered = entered_days()
    remaining = timedelta(hours=hours)
    current = start.astimezone(TZ)
    # Bounded: even a year of working hours needs about 250 working days, and the longest
    # holiday (Spring Festival) is nine days.
    for _ in range(3700):
        day = current.date()
        if _working(day, entered):
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
    entered = entered_days()
    total = timedelta()
    current = start.astimezone(TZ)
    end = end.astimezone(TZ)
    while current.date() <= end.date():
        day = current.date()
        if _working(day, entered):
            for begin, finish in PERIODS:
                period_start = max(datetime.combine(day, begin, TZ), current)
                period_end = min(datetime.combine(day, finish, TZ), end)
                if period_end > period_start:
                    total += period_end - period_start
        current = datetime.combine(day + timedelta(days=1), time(0, 0), TZ)
    return total.total_seconds() / 3600
