"""Meeting places (议事场所): recorded by the community's staff, pavilions under a council
room (1+4), positions whole or not at all, picked when convening."""

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Venue
from communities.services import venue_archive, venue_save
from lib.errors import DomainError
from meetings.services import meeting_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(world):
    return venue_save(
        actor=world.staff_a,
        community=world.community_a,
        name="社区党群议事室",
        kind=Venue.Kind.COUNCIL_ROOM,
        address="社区服务中心二楼",
        capacity=40,
        latitude="38.487193",
        longitude="106.230909",
    )


def test_four_pavilions_under_one_council_room(client, world, room):
    for n in range(4):
        venue_save(
            actor=world.staff_a,
            community=world.community_a,
            name=f"{n + 1}号议事亭",
            kind=Venue.Kind.PAVILION,
            parent=room,
        )
    client.force_login(world.worker_a1)
    page = client.get(reverse("communities:venue_list", args=[world.community_a.pk]))
    body = page.content.decode()
    assert "1+4" in body and "4号议事亭" in body and "38.487193" in body


def test_rules_of_a_place(world, room):
    with pytest.raises(DomainError) as refused:
        venue_save(
            actor=world.staff_a,
            community=world.community_a,
            name="半个位置",
            kind=Venue.Kind.PAVILION,
            latitude="38.1",
        )
    assert refused.value.field == "longitude"
    other_room = venue_save(
        actor=world.staff_b,
        community=world.community_b,
        name="乙社区议事室",
        kind=Venue.Kind.COUNCIL_ROOM,
    )
    with pytest.raises(DomainError):
        venue_save(
            actor=world.staff_a,
            community=world.community_a,
            name="跨社区的亭子",
            kind=Venue.Kind.PAVILION,
            parent=other_room,
        )
    with pytest.raises(DomainError):
        venue_save(
            actor=world.worker_a1, community=world.community_a, name="网格员建的", kind="other"
        )
    venue_save(
        actor=world.staff_a,
        community=world.community_a,
        name="1号议事亭",
        kind=Venue.Kind.PAVILION,
        parent=room,
    )
    with pytest.raises(DomainError):
        venue_archive(actor=world.staff_a, venue=room)


def test_a_meeting_held_at_a_place_names_it(world, room):
    start = timezone.now() + timezone.timedelta(days=2)
    meeting = meeting_create(
        actor=world.staff_a,
        community=world.community_a,
        form="party_mass_council",
        title="党群议事会",
        venue="",
        place=room,
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=2),
    )
    assert meeting.place == room and meeting.venue == "社区党群议事室（社区服务中心二楼）"
    with pytest.raises(DomainError):
        meeting_create(
            actor=world.staff_b,
            community=world.community_b,
            form="party_mass_council",
            title="借用别的社区的议事室",
            venue="",
            place=room,
            starts_at=start,
            ends_at=start + timezone.timedelta(hours=2),
        )


@pytest.mark.parametrize("rows", [10, 100])
def test_the_list_of_places_runs_constant_queries(
    client, world, room, rows, django_assert_num_queries
):
    for n in range(rows):
        venue_save(
            actor=world.staff_a,
            community=world.community_a,
            name=f"议事亭{n}",
            kind=Venue.Kind.PAVILION,
            parent=room if n % 2 else None,
            compound=world.compound_a1,
        )
    client.force_login(world.staff_a)
    url = reverse("communities:venue_list", args=[world.community_a.pk])
    client.get(url)
    # (The session, the user with their scope and unread count come from the cache.) The
    # community, the places with their compounds and meeting counts.
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
