"""Killing the worker in the middle of a sweep, then sweeping again, sends nothing twice:
each reminder is keyed in the database by (kind, object, recipient, step) and the sweep
derives what is still due from the database."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from config.celery import app
from notifications.models import Notification
from resolutions import reminders
from resolutions.models import ActionItem

from .builders import make_item

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
ITEMS = 1500


def _worker(queue, settings):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "--concurrency=1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killing_the_worker_mid_sweep_then_sweeping_again_sends_each_reminder_once(world, settings):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    first = make_item(world, deadline=tomorrow)
    ActionItem.objects.bulk_create(
        ActionItem(
            resolution=first.resolution,
            community=first.community,
            responsible_organization=world.organization,
            measure=f"第{n}项整改",
            starts_on=first.starts_on,
            deadline=tomorrow,
        )
        for n in range(ITEMS - 1)
    )
    queue = f"yishi-kill-{uuid.uuid4().hex[:8]}"
    app.conf.update(broker_url=settings.REDIS_URL)
    worker = _worker(queue, settings)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # send_task always goes to the broker
            app.send_task("resolutions.tasks.sweep_action_items", queue=queue)
        deadline = time.monotonic() + 120
        while Notification.objects.count() == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)  # mid-sweep: some chunks committed, others not
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    partial = Notification.objects.count()

    resumed = reminders.action_item_deadlines()
    again = reminders.action_item_deadlines()

    total = Notification.objects.count()
    assert 0 < partial < total, "the worker was killed after the first chunk and before the end"
    assert resumed == total - partial
    assert again == 0
    repeated = (
        Notification.objects.values("kind", "object_id", "recipient", "step")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not repeated.exists()
    assert Notification.objects.filter(object_id=first.pk).count() >= 1
