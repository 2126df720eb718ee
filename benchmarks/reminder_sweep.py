"""Time the action-item reminder sweep over 60,000 open items on PostgreSQL.

Run by hand (not part of the test suite), against a database you can fill:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yishi_bench \
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/reminder_sweep.py

It migrates, creates the items in bulk (spread over deadlines from 30 days ago to 60 days
ahead, so a realistic share is due or overdue), runs the sweep twice and prints the times:
the first run sends, the second must send nothing.
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.CELERY_TASK_ALWAYS_EAGER = False  # queue deliveries, do not send them inline

from config.celery import app  # noqa: E402

# Deliveries are published to an in-process broker, so nothing is left queued in Redis.
app.conf.update(task_always_eager=False, broker_url="memory://")

ITEMS = int(os.environ.get("ITEMS", 60_000))


def main():
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # a bench database only
    from notifications.tests.builders import make_resolution
    from resolutions.models import ActionItem
    from tests.world import build_small_world

    world = build_small_world()
    resolution = make_resolution(world)
    today = timezone.localdate()
    started = time.perf_counter()
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                resolution=resolution,
                community=world.community_a,
                responsible_organization=world.organization,
                measure=f"整改措施 {n}",
                starts_on=today - dt.timedelta(days=40),
                deadline=today + dt.timedelta(days=(n % 90) - 30),
            )
            for n in range(ITEMS)
        ],
        batch_size=5000,
    )
    print(f"created {ITEMS} open action items in {time.perf_counter() - started:.1f} s")

    from resolutions import reminders

    for run in (1, 2):
        started = time.perf_counter()
        sent = reminders.action_item_deadlines() + reminders.action_item_overdue()
        print(f"sweep run {run}: {sent} notifications in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
