"""Working time follows China's official calendar: the built-in years (chinese-calendar),
and the days a street admin enters for a year it does not know yet."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.calendar import calendar_day_save, entered_days
from core.models import CalendarDay
from issues.models import LimitUnit
from issues.rules import Limit, deadline, preview
from lib import worktime
from lib.errors import DomainError
from lib.worktime import TZ, add_working_hours, is_working_day, working_hours_between

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=TZ)


def test_national_day_2026_is_seven_days_off_and_its_weekends_are_worked():
    # 国庆节 2026: 1–7 October off; Sunday 20 September and Saturday 10 October worked.
    assert not is_working_day(date(2026, 10, 1))
    assert not is_working_day(date(2026, 10, 7))
    assert is_working_day(date(2026, 10, 8))
    assert is_working_day(date(2026, 9, 20))  # a Sunday made a working day (调休)
    assert is_working_day(date(2026, 10, 10))  # a Saturday made a working day
    assert not is_working_day(date(2026, 10, 11))  # an ordinary Sunday


def test_a_limit_spanning_national_day_counts_the_official_working_days():
    # Reported Wednesday 30 September at 9:00 with 40 working hours: 6.5 office hours
    # that day (8:30–12:00, 14:00–17:30), no work from 1 to 7 October, then Thursday 8,
    # Friday 9, Saturday 10 (调休), Monday 12 and Tuesday 13 October.
    due = add_working_hours(at(2026, 9, 30, 9, 0), 40)
    # 6.5 (30 Sep) + 7 (8 Oct) + 7 (9 Oct) + 7 (10 Oct, Saturday worked) + 7 (12 Oct)
    # = 34.5; the remaining 5.5 hours end on Tuesday 13 October at 16:00.
    assert due == at(2026, 10, 13, 16, 0)
    # Monday to Friday alone would have said Wednesday 7 October at 16:00, in the middle
    # of the holiday: a week early.
    assert working_hours_between(at(2026, 9, 30, 9, 0), due) == pytest.approx(40)


def test_the_preview_of_a_limit_uses_the_same_calendar():
    result = preview(at(2026, 9, 30, 16, 0), Limit(2, 8, LimitUnit.WORKING_HOURS))
    # 1.5 hours on 30 September, then 8 October.
    assert result["accept_by"] == at(2026, 10, 8, 9, 0)
    assert result["handle_by"] == at(2026, 10, 8, 17, 0)
    assert deadline(at(2026, 9, 30, 16, 0), 3, LimitUnit.CALENDAR_DAYS) == at(2026, 10, 3, 16, 0)


def test_a_year_the_package_does_not_know_counts_the_days_entered(world):
    assert not worktime.is_official_year(2027)
    # Friday 1 January 2027 is a working day until 元旦 is entered.
    assert is_working_day(date(2027, 1, 1))
    calendar_day_save(actor=world.street_admin, date=date(2027, 1, 1), kind="holiday", name="元旦")
    calendar_day_save(
        actor=world.street_admin, date=date(2027, 1, 9), kind="workday", name="元旦调休"
    )
    assert not is_working_day(date(2027, 1, 1))
    assert is_working_day(date(2027, 1, 9))  # a Saturday
    # Thursday 31 December 2026 at 17:00, 2 working hours: half an hour that day, then
    # 1 January is off, 2 and 3 are a weekend: Monday 4 January at 10:00.
    assert add_working_hours(at(2026, 12, 31, 17, 0), 2) == at(2027, 1, 4, 10, 0)


def test_the_days_entered_are_cached_no_query_per_computation(world):
    calendar_day_save(actor=world.street_admin, date=date(2027, 1, 1), kind="holiday", name="元旦")
    entered_days()
    with CaptureQueriesContext(connection) as queries:
        for day in range(1, 28):
            add_working_hours(at(2027, 1, day, 9, 0), 16)
    assert len(queries) == 0


@pytest.mark.parametrize(
    ("day", "kind", "field", "message"),
    [
        (date(2026, 10, 1), "holiday", "date", "已内置"),
        (date(2027, 1, 6), "workday", "kind", "本来就是工作日"),
    ],
)
def test_a_day_that_contradicts_the_calendar_is_refused_with_a_reason(
    world, day, kind, field, message
):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        calendar_day_save(actor=world.street_admin, date=day, kind=kind, name="测试")
    assert refused.value.field == field
    assert message in str(refused.value.message)
    assert not CalendarDay.objects.exists()


def test_a_day_cannot_be_both_a_holiday_and_a_working_day(world):
    from django.utils import translation

    calendar_day_save(actor=world.street_admin, date=date(2027, 2, 6), kind="holiday", name="春节")
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        calendar_day_save(
            actor=world.street_admin, date=date(2027, 2, 6), kind="workday", name="调休"
        )
    assert refused.value.field == "date"
    assert "不能既" in str(refused.value.message)


def test_only_street_admins_enter_days(world):
    with pytest.raises(DomainError):
        calendar_day_save(actor=world.head_a, date=date(2027, 1, 1), kind="holiday", name="元旦")
