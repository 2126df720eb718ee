"""`|time_left`: what the lists say beside a deadline, in both languages."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation

from core.templatetags.yishi import time_left

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("deadline", "english", "chinese"),
    [
        (NOW + dt.timedelta(hours=1, minutes=30), "1 hour left", "剩余 1 小时"),
        (NOW + dt.timedelta(hours=5), "5 hours left", "剩余 5 小时"),
        (NOW + dt.timedelta(days=1, hours=2), "1 day left", "剩余 1 天"),
        (NOW + dt.timedelta(days=3), "3 days left", "剩余 3 天"),
        (NOW - dt.timedelta(minutes=20), "1 hour overdue", "已超时 1 小时"),
        (NOW - dt.timedelta(hours=7), "7 hours overdue", "已超时 7 小时"),
        (NOW - dt.timedelta(days=1, hours=1), "1 day overdue", "已超期 1 天"),
        (NOW - dt.timedelta(days=4), "4 days overdue", "已超期 4 天"),
        (None, "", ""),
    ],
)
def test_time_left_of_a_moment(deadline, english, chinese):
    with time_machine.travel(NOW, tick=False):
        with translation.override("en"):
            assert time_left(deadline) == english
        with translation.override("zh-hans"):
            assert time_left(deadline) == chinese


def test_time_left_of_a_day():
    with time_machine.travel(NOW, tick=False):
        today = timezone.localdate()
        with translation.override("en"):
            assert time_left(today) == "due today"
            assert time_left(today + dt.timedelta(days=1)) == "1 day left"
            assert time_left(today - dt.timedelta(days=1)) == "1 day overdue"
            assert time_left(today - dt.timedelta(days=2)) == "2 days overdue"
        with translation.override("zh-hans"):
            assert time_left(today - dt.timedelta(days=2)) == "已超期 2 天"
