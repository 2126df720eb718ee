"""Notifications to people without an account go through the same rows, key, deliveries,
retries and list of failures as users'; staff see what went out in their community's
name and send a failed message again."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.tests.factories import OrganizationContactFactory, ResidentFactory
from lib.errors import DomainError
from notifications import tasks
from notifications.models import Delivery, Notification
from notifications.services import delivery_retry, notify
from notifications.sms import SEGMENT, default_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang(world):
    return ResidentFactory(
        household=world.household_a1, grid=world.grid_a1, name="王大爷", phone="13800138000"
    )


def _notify(person, target, step="", **extra):
    return notify(
        recipient=person,
        kind="test_kind",
        title="会议邀请",
        body="正文",
        target=target,
        step=step,
        sms_text="【议事】甲社区邀您开会",
        **extra,
    )


def test_a_person_without_an_account_is_sent_one_sms(
    wang, world, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(wang, world.community_a)
    assert notification.recipient is None and notification.resident == wang
    assert notification.channels == ["sms"] and notification.community == world.community_a
    assert sms_outbox == [("13800138000", "【议事】甲社区邀您开会")]
    assert Delivery.objects.get().status == "sent"


def test_the_same_key_sends_nothing_twice_and_a_retried_task_neither(
    wang, world, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(wang, world.community_a) is not None
        assert _notify(wang, world.community_a) is None
    delivery = Delivery.objects.get()
    tasks.deliver.apply(args=[delivery.pk])
    tasks.deliver_batch.apply(args=[[delivery.pk]])
    assert len(sms_outbox) == 1
    # The key is held by the database, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            resident=wang,
            kind="test_kind",
            content_type_id=Notification.objects.get().content_type_id,
            object_id=world.community_a.pk,
            title="again",
            body="",
        )


def test_a_contact_is_reached_too_and_someone_without_a_mobile_not_at_all(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    contact = OrganizationContactFactory(organization=world.organization, phone="13900139000")
    landline = ResidentFactory(household=world.household_a1, phone="0951-5012345")
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(contact, world.community_a).contact == contact
        assert _notify(landline, world.community_a) is None
    assert [phone for phone, _ in sms_outbox] == ["13900139000"]


def test_an_sms_without_text_of_its_own_names_the_community_within_one_segment():
    assert default_text("金域蓝湾社区", "整改事项 3 天后到期：清理楼道杂物") == (
        "【议事】金域蓝湾社区：整改事项 3 天后到期：清理楼道杂物"
    )
    long = default_text("金域蓝湾社区", "很长的标题" * 30)
    assert len(long) == SEGMENT and long.endswith("…")


class BrokenGateway:
    def send(self, phone, text):
        raise ValueError("号码已停机")


def test_a_failed_sms_is_listed_for_staff_and_sent_again(
    client, wang, world, settings, sms_outbox, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = f"{__name__}.BrokenGateway"
    with django_capture_on_commit_callbacks(execute=True):
        _notify(wang, world.community_a)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "停机" in delivery.last_error
    client.force_login(world.staff_a)
    page = client.get(reverse("notifications:sent") + "?status=failed").content.decode()
    assert "王大爷" in page and "138****8000" in page and "停机" in page and "重发" in page
    # Staff of another community see nothing of it and may not retry it.
    client.force_login(world.staff_b)
    assert "王大爷" not in client.get(reverse("notifications:sent")).content.decode()
    assert client.post(reverse("notifications:retry", args=[delivery.pk])).status_code == 404
    # The gateway is back: staff of the community send it again.
    settings.SMS_BACKEND = "notifications.sms.LocmemSMSBackend"
    client.force_login(world.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:retry", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "sent" and sms_outbox == [("13800138000", "【议事】甲社区邀您开会")]


def test_retrying_is_a_service_with_its_own_rule(wang, world, django_capture_on_commit_callbacks):
    _notify(wang, world.community_a)
    delivery = Delivery.objects.get()
    with pytest.raises(DomainError):
        delivery_retry(delivery=delivery, actor=world.staff_a)  # not failed
    Delivery.objects.filter(pk=delivery.pk).update(status="failed")
    for outsider in (world.staff_b, world.worker_a1, world.resident_user_a):
        with pytest.raises(DomainError):
            delivery_retry(delivery=delivery, actor=outsider)
    assert delivery_retry(delivery=delivery, actor=world.street_admin).status == "pending"


def test_the_list_of_messages_sent_reads_in_constant_queries(client, world):
    def count(n):
        for k in range(n):
            person = ResidentFactory(household=world.household_a1, phone=f"139{n:03d}{k:05d}")
            _notify(person, world.community_a, step=f"{n}-{k}")
        client.force_login(world.staff_a)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notifications:sent")).status_code == 200
        return len(ctx.captured_queries)

    assert count(10) == count(100)


def test_a_secret_code_is_shown_masked_in_the_list(client, wang, world):
    notify(
        recipient=wang,
        kind="phone_code",
        title="验证码",
        body="【议事】甲社区：验证码******",
        sms_text="【议事】甲社区：验证码123456",
        target=world.community_a,
        secret=True,
    )
    client.force_login(world.staff_a)
    page = client.get(reverse("notifications:sent")).content.decode()
    assert "******" in page and "123456" not in page
