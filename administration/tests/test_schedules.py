"""Reminder schedules in plain words, switched and retimed by street admins, and a sync on
every start that never undoes what they set."""

from datetime import datetime

import pytest
from django.utils import translation
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core import audit, schedules
from lib.errors import DomainError, StaleEdit
from lib.worktime import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(db):
    schedules.sync()
    return {task.name: task for task in PeriodicTask.objects.select_related("crontab", "interval")}


def test_each_schedule_reads_in_plain_chinese_with_its_next_run(synced):
    task = synced["Action item deadlines and overdue"]
    with translation.override("zh-hans"):
        assert schedules.describe(task).startswith("每天 07:00（北京时间）")
        assert "整改事项" in schedules.describe(task)
        assert schedules.describe_when(synced["reports-monthly-snapshots"]) == (
            "每月 1 日 01:30（北京时间）"
        )
        assert schedules.describe_when(synced["Meeting reminders"]) == "每 10 分钟"
    now = datetime(2026, 12, 7, 9, 0, tzinfo=TZ)
    assert schedules.next_run(task, now) == datetime(2026, 12, 8, 7, 0, tzinfo=TZ)
    # The digest goes when quiet hours end, after the morning sweeps.
    assert schedules.describe_when(synced["Daily digests"]) == "每天 08:00（北京时间）"
    assert schedules.next_run(synced["reports-monthly-snapshots"], now) == datetime(
        2027, 1, 1, 1, 30, tzinfo=TZ
    )


def test_a_street_admin_pauses_and_retimes_a_schedule_on_its_timeline(world, synced):
    task = synced["Action item deadlines and overdue"]
    shared = task.crontab_id
    schedules.schedule_set(actor=world.street_admin, task=task, enabled=False, hour=6, minute=30)
    task.refresh_from_db()
    assert not task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("6", "30")
    # The crontab row other tasks share was not changed in place.
    assert CrontabSchedule.objects.get(pk=shared).hour == "7"
    assert synced["Fixed meetings"].crontab_id == shared
    row = audit.timeline_of(task).get()
    assert len(row.changes) == 2
    assert schedules.next_run(task) is None


def test_sync_on_the_next_start_keeps_what_the_admin_set(world, synced):
    task = synced["Action item deadlines and overdue"]
    schedules.schedule_set(actor=world.street_admin, task=task, enabled=False, hour=7, minute=30)
    created, _updated, _kept = schedules.sync()
    assert created == 0
    task.refresh_from_db()
    assert not task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("7", "30")


def test_sync_brings_an_untouched_former_time_to_the_codes(db):
    # Before the communities' own visit days, the visits ran on the 5th: a database from
    # then is brought to the daily run, since nobody changed it.
    former = CrontabSchedule.objects.create(
        minute="0", hour="8", day_of_month="5", timezone="Asia/Shanghai"
    )
    task = PeriodicTask.objects.create(
        name="Special-group visits",
        task="issues.tasks.sweep_special_group_visits",
        crontab=former,
    )
    schedules.sync()
    task.refresh_from_db()
    assert task.crontab.day_of_month == "*"
    assert task.crontab.hour == "7"


def test_sync_moves_the_morning_sweeps_before_the_digest_unless_an_admin_chose(world, db):
    # Until reminders waited for the 08:00 digest, the action items were swept at 08:00.
    at_eight = CrontabSchedule.objects.create(minute="0", hour="8", timezone="Asia/Shanghai")
    task = PeriodicTask.objects.create(
        name="Action item deadlines and overdue",
        task="resolutions.tasks.sweep_action_items",
        crontab=at_eight,
    )
    schedules.sync()
    task.refresh_from_db()
    assert (task.crontab.hour, task.crontab.minute) == ("7", "0")


def test_sync_keeps_a_former_time_an_admin_chose_on_the_page(world, db):
    other = CrontabSchedule.objects.create(
        minute="0", hour="8", day_of_month="5", timezone="Asia/Shanghai"
    )
    task = PeriodicTask.objects.create(
        name="Special-group visits",
        task="issues.tasks.sweep_special_group_visits",
        crontab=other,
    )
    schedules.schedule_set(actor=world.street_admin, task=task, enabled=True, hour=9, minute=0)
    schedules.schedule_set(actor=world.street_admin, task=task, enabled=True, hour=8, minute=0)
    schedules.sync()
    task.refresh_from_db()
    assert (task.crontab.day_of_month, task.crontab.hour) == ("5", "8")


def test_a_stale_schedule_form_and_anyone_but_a_street_admin_are_refused(world, synced):
    task = synced["Evaluation requests"]
    stamp = schedules.stamp_of(task)
    schedules.schedule_set(actor=world.street_admin, task=task, enabled=False, stamp=stamp)
    with pytest.raises(StaleEdit):
        schedules.schedule_set(actor=world.street_admin, task=task, enabled=True, stamp=stamp)
    with pytest.raises(DomainError):
        schedules.schedule_set(actor=world.head_a, task=task, enabled=True)
    with pytest.raises(DomainError) as refused:
        schedules.schedule_set(actor=world.street_admin, task=task, enabled=True, every_minutes=7)
    assert refused.value.field == "every_minutes"


def test_the_admin_shows_the_tasks_by_their_chinese_titles(synced, admin_client):
    page = admin_client.get(
        "/admin/django_celery_beat/periodictask/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "提醒到期" in page
