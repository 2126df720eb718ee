"""An adjourned meeting and its continuation (续会) lead to each other, on the meeting
pages and in the minutes, for whoever may open both."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from meetings import services
from meetings.models import Meeting

from .conftest import make_issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def adjourned(world, make_meeting):
    meeting = make_meeting(issues=[make_issue(world, title="隔油池")])
    resident = services.participant_add(
        actor=world.staff_a,
        meeting=meeting,
        role="resident",
        name="甲居民",
        user=world.users["resident_user_a"],
        resident=world.resident_a,
    )
    services.attendance_record(actor=world.staff_a, participant=resident, attendance="present")
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    return services.meeting_transition(
        actor=world.staff_a, meeting=meeting, action="adjourn", note="商户不愿出钱"
    )


def _continue(world, meeting):
    start = timezone.now() + timedelta(days=7)
    return services.meeting_continue(
        actor=world.staff_a, meeting=meeting, starts_at=start, ends_at=start + timedelta(hours=1)
    )


def test_the_meeting_page_links_its_continuation_and_back(client, world, adjourned):
    follow = _continue(world, adjourned)
    client.force_login(world.users["staff_a"])
    first = client.get(reverse("meetings:detail", args=[adjourned.pk])).text
    assert "Continuation" in first
    assert reverse("meetings:detail", args=[follow.pk]) in first
    assert follow.title in first
    # Continued already: the form to convene another is gone.
    assert "Convene the continuation" not in first
    second = client.get(reverse("meetings:detail", args=[follow.pk])).text
    assert "Continues the earlier meeting" in second
    assert reverse("meetings:detail", args=[adjourned.pk]) in second


def test_the_minutes_link_both_sessions(client, world, adjourned):
    follow = _continue(world, adjourned)
    client.force_login(world.users["staff_a"])
    first = client.get(reverse("meetings:minutes", args=[adjourned.pk])).text
    assert reverse("meetings:minutes", args=[follow.pk]) in first
    second = client.get(reverse("meetings:minutes", args=[follow.pk])).text
    assert reverse("meetings:minutes", args=[adjourned.pk]) in second


def test_an_invited_resident_follows_the_links_too(client, world, adjourned):
    follow = _continue(world, adjourned)
    client.force_login(world.users["resident_user_a"])
    first = client.get(reverse("meetings:detail", args=[adjourned.pk]))
    assert first.status_code == 200
    assert reverse("meetings:detail", args=[follow.pk]) in first.text
    assert client.get(reverse("meetings:detail", args=[follow.pk])).status_code == 200


def test_a_cancelled_continuation_is_not_linked_and_may_be_convened_again(client, world, adjourned):
    follow = _continue(world, adjourned)
    services.meeting_transition(actor=world.staff_a, meeting=follow, action="cancel", note="改期")
    client.force_login(world.users["staff_a"])
    page = client.get(reverse("meetings:detail", args=[adjourned.pk])).text
    assert reverse("meetings:detail", args=[follow.pk]) not in page
    assert "Convene the continuation" in page
    again = _continue(world, adjourned)
    assert again.status == Meeting.Status.PLANNED
    page = client.get(reverse("meetings:detail", args=[adjourned.pk])).text
    assert reverse("meetings:detail", args=[again.pk]) in page
