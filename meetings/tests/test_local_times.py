"""A meeting's time reads the same in Asia/Shanghai wherever it is shown: its page, its
minutes, the invitation, the calendar file and the API. The meeting starts at 23:30 UTC,
which is already 07:30 the next day in Shanghai: a time written in UTC shows the wrong
hour and the wrong day."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from notifications.models import Notification

pytestmark = pytest.mark.django_db

STARTS = dt.datetime(2026, 12, 2, 23, 30, tzinfo=dt.UTC)  # 2026-12-03 07:30 in Shanghai


@pytest.fixture
def meeting(world):
    with time_machine.travel(dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        meeting = services.meeting_create(
            actor=world.staff_a,
            community=world.community_a,
            grid=world.grid_a1,
            compound=world.compound_a1,
            form="building_council",
            title="清晨议事会",
            venue="社区活动室",
            starts_at=STARTS,
            ends_at=STARTS + dt.timedelta(hours=1),
            issues=(),
        )
        services.participant_add(
            actor=world.staff_a, meeting=meeting, role="resident", resident=world.resident_a
        )
        services.meeting_invite(actor=world.staff_a, meeting=meeting)
    return meeting


def test_calendar_file_names_its_zone_and_carries_its_vtimezone(client, world, meeting):
    client.force_login(world.staff_a)
    calendar = Calendar.from_ical(client.get(reverse("meetings:ics", args=[meeting.pk])).content)
    event = calendar.walk("VEVENT")[0]
    for field, local in (("dtstart", "20261203T073000"), ("dtend", "20261203T083000")):
        assert event[field].params["TZID"] == "Asia/Shanghai"
        assert event[field].to_ical().decode() == local
    assert event.decoded("dtstart") == STARTS  # the same instant
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Shanghai"
    offsets = {
        (part.decoded("TZOFFSETFROM"), part.decoded("TZOFFSETTO")) for part in zone.walk("STANDARD")
    }
    eight = dt.timedelta(hours=8)
    assert offsets == {(eight, eight)} and not zone.walk("DAYLIGHT")


def test_invitation_and_its_attachment_give_the_local_time(world, meeting):
    invitation = Notification.objects.get(kind="meeting_invitation")
    assert invitation.body.startswith("2026-12-03 07:30")
    event = Calendar.from_ical(invitation.attachment_content).walk("VEVENT")[0]
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert event["dtstart"].to_ical().decode() == "20261203T073000"


def test_pages_and_api_give_the_local_time(client, world, meeting):
    client.force_login(world.staff_a)
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "2026-12-03 07:30–08:30" in detail
    minutes = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert "2026-12-03 07:30" in minutes
    calendar = client.get(reverse("meetings:calendar"), {"view": "week", "date": "2026-12-03"})
    cells = {cell["date"]: cell["meetings"] for cell in calendar.context["weeks"][0]}
    assert cells[dt.date(2026, 12, 3)] == [meeting] and cells[dt.date(2026, 12, 2)] == []
    data = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert data["starts_at"] == "2026-12-03T07:30:00+08:00"
