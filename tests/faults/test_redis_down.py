"""Drill: Redis (the Celery broker) is down. Saving an issue, a meeting and a resolution
through the views still works — the notifications are stored and their email deliveries
wait as pending — and when Redis is back the sweep `notifications.tasks.redeliver_stuck`
(beat, every 5 minutes) sends every one of them, once."""

import socket
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from issues.models import Issue
from meetings.models import Meeting
from notifications.models import Delivery
from notifications.tasks import redeliver_stuck
from resolutions.models import Resolution

# Transactional: deliveries are queued on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def redis_down():
    """Point the broker at a closed port and stop running tasks in-process."""
    saved = {
        key: celery_app.conf[key]
        for key in ("broker_url", "task_always_eager", "broker_connection_timeout")
    }
    celery_app.conf.update(
        broker_url=f"redis://127.0.0.1:{_closed_port()}/0",
        task_always_eager=False,
        broker_connection_timeout=1,
    )
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.update(saved)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _client(user):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def test_saving_work_with_redis_down_then_deliveries_catch_up(objects, redis_down):
    world = objects["world"]
    staff = _client(world.staff_a)
    start = timezone.localtime() + timedelta(days=3)
    before = set(Delivery.objects.values_list("pk", flat=True))
    mail.outbox.clear()

    # An issue, with the worker of the grid assigned (a notification to them).
    response = staff.post(
        reverse("issues:create"),
        {
            "channel": "walk_in",
            "category": objects["issue"].category_id,
            "urgency": "normal",
            "title": "雨水井堵塞",
            "description": "暴雨后小区积水",
            "compound": world.compound_a1.pk,
            "parties-TOTAL_FORMS": "0",
            "parties-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = Issue.objects.get(title="雨水井堵塞")
    response = staff.post(
        reverse("issues:assign", args=[issue.pk]),
        {"version": issue.version, "assignee": world.worker_a1.pk},
    )
    assert response.status_code == 302

    # A meeting, and its invitations sent.
    response = staff.post(
        reverse("meetings:create"),
        {
            "community": world.community_a.pk,
            "form": "building_council",
            "title": "停电期间的议事会",
            "venue": "活动室",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(title="停电期间的议事会").exists()
    assert staff.post(reverse("meetings:invite", args=[objects["meeting"].pk])).status_code == 302

    # A resolution adopted.
    draft = objects["draft_resolution"]
    response = staff.post(
        reverse("resolutions:transition", args=[draft.pk, "adopt"]),
        {"version": draft.version, "note": ""},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Resolution.Status.ADOPTED

    new = Delivery.objects.exclude(pk__in=before)
    waiting = new.count()
    assert waiting >= 2
    # Nothing went out, nothing was lost: every delivery waits as pending.
    assert new.filter(status=Delivery.Status.PENDING).count() == waiting
    assert mail.outbox == []

    # Redis comes back; five minutes later the beat's sweep runs.
    celery_app.conf.update(task_always_eager=True)
    Delivery.objects.update(created_at=timezone.now() - timedelta(minutes=6))
    assert redeliver_stuck() == waiting
    assert not new.exclude(status=Delivery.Status.SENT).exists()
    assert len(mail.outbox) == waiting

    # The sweep is safe to run again: nothing is sent twice.
    assert redeliver_stuck() == 0
    assert len(mail.outbox) == waiting
