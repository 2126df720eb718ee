"""SMS consent recorded on the person, respected by every SMS sent."""

import pytest
from django.urls import reverse

from communities.tests.factories import ResidentFactory
from core import audit
from lib.errors import DomainError
from notifications.delivery import send
from notifications.models import Delivery, Preference, SmsConsent
from notifications.services import notify, sms_consent_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang(world):
    return ResidentFactory(
        household=world.household_a1, grid=world.grid_a1, name="王大爷", phone="13800138000"
    )


def test_consent_is_recorded_with_who_when_and_how_on_the_timeline(world, wang):
    record = sms_consent_record(
        actor=world.worker_a1, resident=wang, consent="withdrawn", via="written", note="书面申请"
    )
    assert (record.recorded_by, record.via) == (world.worker_a1, "written")
    row = audit.timeline_of(wang).get()
    assert row.action == "sms_consent"
    assert next(iter(row.changes.values()))[0] == ""


def test_someone_out_of_reach_records_nothing(world, wang):
    with pytest.raises(DomainError):
        sms_consent_record(actor=world.worker_a2, resident=wang, consent="given", via="oral")
    assert not SmsConsent.objects.exists()


def test_no_sms_reaches_a_person_who_withdrew(world, wang, sms_outbox):
    sms_consent_record(actor=world.staff_a, resident=wang, consent="withdrawn", via="oral")
    assert notify(recipient=wang, kind="t", title="通知", body="", target=world.community_a) is None
    assert not Delivery.objects.exists()


def test_nor_their_account_even_if_it_chose_sms(world, sms_outbox):
    resident = world.resident_a
    user = world.resident_user_a
    user.phone = "13800138001"
    user.save()
    Preference.objects.create(user=user, email=False, sms=True)
    sms_consent_record(actor=world.staff_a, resident=resident, consent="withdrawn", via="online")
    notification = notify(recipient=user, kind="t", title="通知", body="", target=world.community_a)
    assert notification is not None  # in the app, always
    assert not notification.deliveries.filter(channel="sms").exists()


def test_a_consent_withdrawn_after_the_sms_was_queued_stops_it(world, wang, sms_outbox):
    notification = notify(recipient=wang, kind="t", title="通知", body="", target=world.community_a)
    delivery = notification.deliveries.get()
    sms_consent_record(actor=world.staff_a, resident=wang, consent="withdrawn", via="oral")
    send(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert "撤回短信同意" in delivery.last_error
    assert sms_outbox == []


def test_agreed_again_the_sms_goes(world, wang, sms_outbox):
    sms_consent_record(actor=world.staff_a, resident=wang, consent="withdrawn", via="oral")
    sms_consent_record(actor=world.staff_a, resident=wang, consent="given", via="written")
    notification = notify(recipient=wang, kind="t", title="通知", body="", target=world.community_a)
    send(notification.deliveries.get().pk)
    assert len(sms_outbox) == 1


def test_the_resident_page_shows_and_edits_the_consent(world, wang, client):
    client.force_login(world.staff_a)
    page = client.get(reverse("communities:resident_detail", args=[wang.pk])).content.decode()
    assert "短信同意" in page and "未记录" in page
    response = client.post(
        reverse("administration:resident_consent", args=[wang.pk]),
        {"consent": "withdrawn", "via": "written", "note": "本人申请"},
    )
    assert response.status_code == 302
    page = client.get(reverse("communities:resident_detail", args=[wang.pk])).content.decode()
    assert "撤回" in page and "书面" in page
