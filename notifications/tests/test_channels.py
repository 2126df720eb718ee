import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from notifications.models import Channel, Delivery, Preference
from notifications.services import channels_for, notify

pytestmark = pytest.mark.django_db


def test_a_user_turns_on_sms_and_the_next_reminder_goes_by_sms(client, world):
    user = UserFactory(role=Role.STAFF, email="li@example.org", phone="13900000001")
    client.force_login(user)

    response = client.post(reverse("notifications:channels"), {"sms": "on"})

    assert response.status_code == 302
    assert Preference.objects.get(user=user).sms is True
    assert Preference.objects.get(user=user).email is False
    user.refresh_from_db()
    assert channels_for(user) == [Channel.SMS]
    notify(recipient=user, kind="test", title="提醒", body="", target=world.community_a, url="/")
    assert list(Delivery.objects.values_list("channel", flat=True)) == [Channel.SMS]


def test_sms_without_a_mobile_number_is_refused_next_to_the_field(client):
    user = UserFactory(role=Role.RESIDENT, email="", phone="")
    client.force_login(user)

    response = client.post(reverse("notifications:channels"), {"sms": "on"})

    assert response.status_code == 200
    assert "没有可接收短信的手机号码" in response.content.decode()
    assert not Preference.objects.filter(user=user).exists()


def test_the_page_shows_where_messages_go(client):
    user = UserFactory(role=Role.STAFF, email="wang@example.org", phone="13900000002")
    client.force_login(user)

    body = client.get(reverse("notifications:channels")).content.decode()

    assert "wang@example.org" in body
    assert "13900000002" in body


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("notifications:channels"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
