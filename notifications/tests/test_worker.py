"""A real Celery worker on the real Redis (a queue of its own per run), email received by
a real SMTP server (aiosmtpd) through Django's SMTP backend, SMS through the locmem backend."""

import datetime as dt
import socket
import time
import uuid

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from notifications import sms
from notifications.models import Delivery, Notification, Preference
from resolutions import tasks as resolution_tasks

from .builders import make_item

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def worker(settings):
    queue = f"yishi-test-{uuid.uuid4().hex[:8]}"
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.2
    previous = {
        key: app.conf[key] for key in ("task_always_eager", "task_default_queue", "broker_url")
    }
    app.conf.update(
        task_always_eager=False, task_default_queue=queue, broker_url=settings.REDIS_URL
    )
    sms.LocmemSMSBackend.outbox.clear()
    with start_worker(
        app,
        pool="solo",
        concurrency=1,
        queues=[queue],
        perform_ping_check=False,
        shutdown_timeout=10,
    ):
        yield queue
    app.conf.update(previous)


def wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_each_reminder_sent_once_through_every_channel(world, smtp, worker):
    contact = world.users["org_contact"]
    contact.email, contact.phone = "wuye@example.com", "13800000001"
    contact.save()
    # The contact wants their action items at once; the grid's worker keeps the role's
    # default, the daily digest.
    Preference.objects.create(user=contact, email=True, sms=True, modes={"items": "immediate"})
    item = make_item(world, deadline=timezone.localdate() + dt.timedelta(days=3))

    # Two beats firing at once and a rerun later: the key lets only one through.
    for _ in range(3):
        resolution_tasks.sweep_action_items.apply_async(queue=worker)

    assert wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2), (
        list(Delivery.objects.values("channel", "status", "last_error"))
    )
    time.sleep(1)  # anything sent twice would arrive now
    assert Notification.objects.filter(object_id=item.pk).count() == 2  # contact + worker
    assert [rcpt for rcpt, _ in smtp.messages].count(["wuye@example.com"]) == 1
    held = Notification.objects.get(object_id=item.pk, recipient=world.users["worker_a1"])
    assert held.held and not held.deliveries.exists()
    assert sms.LocmemSMSBackend.outbox == [("13800000001", sms.LocmemSMSBackend.outbox[0][1])]
    assert "清理楼道杂物" in sms.LocmemSMSBackend.outbox[0][1]


class FlakySMSBackend(sms.BaseSMSBackend):
    failures = 2
    outbox = []

    def send(self, phone, text):
        if FlakySMSBackend.failures:
            FlakySMSBackend.failures -= 1
            raise sms.TransientSMSError("gateway timeout")
        FlakySMSBackend.outbox.append((phone, text))


def test_transient_failure_retried_with_backoff_and_recorded(world, smtp, worker, settings):
    settings.SMS_BACKEND = f"{__name__}.FlakySMSBackend"
    FlakySMSBackend.failures, FlakySMSBackend.outbox = 2, []
    contact = world.users["org_contact"]
    contact.phone, contact.email = "13800000002", ""
    contact.save()
    Preference.objects.create(user=contact, email=False, sms=True, modes={"items": "immediate"})
    make_item(world, deadline=timezone.localdate() + dt.timedelta(days=1))
    resolution_tasks.sweep_action_items.apply_async(queue=worker)

    assert wait_for(lambda: Delivery.objects.filter(last_error__contains="timeout").exists())
    assert wait_for(
        lambda: Delivery.objects.filter(channel="sms", status=Delivery.Status.SENT).exists()
    ), list(Delivery.objects.values("channel", "status", "attempts", "last_error"))
    delivery = Delivery.objects.get(channel="sms")
    assert delivery.attempts == 3
    assert FlakySMSBackend.outbox == [("13800000002", FlakySMSBackend.outbox[0][1])]


def _meeting_with_people_without_accounts(world):
    from communities.tests.factories import ResidentFactory
    from meetings import services as meetings

    start = timezone.now() + dt.timedelta(days=2)
    meeting = meetings.meeting_create(
        actor=world.users["staff_a"],
        community=world.community_a,
        form="building_council",
        title="一号楼议事会",
        venue="社区活动室",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    for n, name in enumerate(["王大爷", "张阿姨", "刘叔叔"]):
        meetings.participant_add(
            actor=world.users["staff_a"],
            meeting=meeting,
            role="resident",
            resident=ResidentFactory(
                household=world.household_a1, name=name, phone=f"1380013800{n}"
            ),
        )
    return meeting


def test_invitations_reach_people_without_accounts_once_through_the_worker(world, worker):
    """Pressing 发出邀请 on a real worker: one SMS per person, whatever retries follow."""
    from meetings import services as meetings
    from notifications import tasks

    meeting = _meeting_with_people_without_accounts(world)
    report = meetings.meeting_invite(actor=world.users["staff_a"], meeting=meeting)
    assert report.sms == 3
    assert wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3), (
        list(Delivery.objects.values("status", "last_error"))
    )
    # The task delivered again (a broker redelivering it, a retry): nothing goes twice.
    for delivery in Delivery.objects.all():
        tasks.deliver.apply_async((delivery.pk,), queue=worker)
    tasks.deliver_batch.apply_async(
        (list(Delivery.objects.values_list("pk", flat=True)),), queue=worker
    )
    time.sleep(2)
    phones = sorted(phone for phone, _ in sms.LocmemSMSBackend.outbox)
    assert phones == ["13800138000", "13800138001", "13800138002"]
    assert all("【议事】" in text and "/s/" in text for _, text in sms.LocmemSMSBackend.outbox)


class DownSMSBackend(sms.BaseSMSBackend):
    """A gateway down for longer than the retries last."""

    up = False
    outbox = []

    def send(self, phone, text):
        if not DownSMSBackend.up:
            raise sms.TransientSMSError("gateway unreachable")
        DownSMSBackend.outbox.append((phone, text))


def test_a_failed_sms_is_retried_with_backoff_listed_and_sent_again(
    world, worker, settings, client
):
    from django.urls import reverse

    from meetings import services as meetings
    from notifications.tasks import MAX_RETRIES

    settings.SMS_BACKEND = f"{__name__}.DownSMSBackend"
    DownSMSBackend.up, DownSMSBackend.outbox = False, []
    meeting = _meeting_with_people_without_accounts(world)
    meetings.meeting_invite(actor=world.users["staff_a"], meeting=meeting)
    assert wait_for(
        lambda: (
            Delivery.objects.filter(status=Delivery.Status.FAILED, attempts=MAX_RETRIES + 1).count()
            == 3
        ),
        timeout=60,
    ), list(Delivery.objects.values("status", "attempts", "last_error"))
    assert DownSMSBackend.outbox == []

    client.force_login(world.users["staff_a"])
    page = client.get(reverse("notifications:sent") + "?status=failed").content.decode()
    assert page.count("gateway unreachable") == 3
    DownSMSBackend.up = True
    failed = Delivery.objects.filter(status=Delivery.Status.FAILED).first()
    client.post(reverse("notifications:retry", args=[failed.pk]))
    assert wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 1)
    assert len(DownSMSBackend.outbox) == 1


def test_a_mornings_sweep_reaches_each_person_once_a_kind_through_the_worker(world, smtp, worker):
    """Forty people, each responsible for five overdue items, the grid's worker and the
    property contact for all of them (by SMS too): the sweep and the digest on a real worker send one email per
    person (one SMS to the contact), and running both again sends nothing."""
    from accounts.models import Role
    from accounts.tests.factories import UserFactory
    from notifications import tasks
    from notifications.kinds import DIGEST_KIND
    from resolutions.models import ActionItem

    from .builders import make_resolution

    contact = world.users["org_contact"]
    contact.email, contact.phone = "wuye@example.com", "13800000001"
    contact.save()
    Preference.objects.create(user=contact, email=True, sms=True)
    resolution = make_resolution(world)
    people = UserFactory.create_batch(40, role=Role.STAFF, communities=[world.community_a])
    today = timezone.localdate()
    ActionItem.objects.bulk_create(
        ActionItem(
            resolution=resolution,
            community=resolution.community,
            responsible_user=person,
            responsible_organization=world.organization,
            measure=f"整改{n}",
            starts_on=today - dt.timedelta(days=20),
            deadline=today - dt.timedelta(days=1 + n % 2),
        )
        for person in people
        for n in range(5)
    )

    def morning():
        resolution_tasks.sweep_action_items.apply_async(queue=worker).get(timeout=60)
        tasks.send_digests.apply_async(queue=worker).get(timeout=60)

    morning()
    # The people, the contact and the grid's worker (reminded of its items).
    addressed = {p.email for p in [*people, world.users["worker_a1"]] if p.email}
    addressed.add("wuye@example.com")
    assert wait_for(lambda: len(smtp.messages) >= len(addressed) and sms.LocmemSMSBackend.outbox)
    morning()  # a rerun, a second beat
    time.sleep(2)  # anything sent twice would arrive now
    received = [rcpt[0] for rcpt, _content in smtp.messages]
    assert sorted(received) == sorted(addressed)  # one email each
    assert len(sms.LocmemSMSBackend.outbox) == 1  # one SMS, the contact's digest
    phone, text = sms.LocmemSMSBackend.outbox[0]
    assert phone == "13800000001" and text.startswith("【议事】甲社区：") and len(text) <= 70
    contact_digest = Notification.objects.get(kind=DIGEST_KIND, recipient=contact)
    assert contact_digest.carried.count() == 200
    assert Notification.objects.filter(held=True).count() == 0


def test_in_quiet_hours_the_worker_holds_an_sms_until_they_end(world, worker, settings):
    """An invitation's SMS due in quiet hours waits on the real worker; once the hours
    have passed, the beat's redelivery sends it, once."""
    from communities.tests.factories import ResidentFactory
    from notifications import tasks
    from notifications.kinds import BEIJING
    from notifications.services import notify

    hour = timezone.now().astimezone(BEIJING).hour
    settings.SMS_QUIET_HOURS = (hour, (hour + 2) % 24)  # now is quiet
    resident = ResidentFactory(household=world.household_a1, name="王大爷", phone="13800138000")
    message = notify(
        recipient=resident,
        kind="meeting_invitation",
        title="议事会邀请",
        body="",
        target=world.community_a,
    )
    delivery = message.deliveries.get()
    assert delivery.not_before > timezone.now()
    tasks.deliver.apply_async((delivery.pk,), queue=worker).get(timeout=30)
    time.sleep(1)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and sms.LocmemSMSBackend.outbox == []

    # The morning: the hours are over.
    Delivery.objects.filter(pk=delivery.pk).update(
        not_before=timezone.now() - dt.timedelta(minutes=1)
    )
    tasks.redeliver_stuck.apply_async(queue=worker).get(timeout=30)
    assert wait_for(lambda: Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT)
    tasks.redeliver_stuck.apply_async(queue=worker).get(timeout=30)
    time.sleep(1)
    assert [phone for phone, _text in sms.LocmemSMSBackend.outbox] == ["13800138000"]
