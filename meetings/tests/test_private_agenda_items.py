"""A council held in the open may take up a neighbours' dispute (白茶): those who may not
open the dispute see the item as 不公开事项, without a link to it and without what was
said and agreed; those who may, see it all."""

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, MinutesCorrection, Opinion

from .conftest import make_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(world, make_meeting, dispute):
    public = make_issue(world, title="路灯不亮")
    meeting = make_meeting(issues=[public, dispute], form="council")
    item = AgendaItem.objects.get(meeting=meeting, issue=dispute)
    AgendaItem.objects.filter(pk=item.pk).update(
        outcome="consensus", outcome_text="楼上住户承担维修费用"
    )
    Opinion.objects.create(
        agenda_item=item,
        participant=meeting.participants.first(),
        speaker_name="王某",
        role="resident",
        kind="free",
        text="我家不漏水",
    )
    return meeting, public, dispute


def _page(client, user, name, meeting):
    client.force_login(user)
    response = client.get(reverse(name, args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["street_admin", "worker_a2"])
@pytest.mark.parametrize("page", ["meetings:detail", "meetings:minutes"])
def test_a_dispute_on_the_agenda_is_a_private_matter_to_who_may_not_open_it(
    client, world, council, who, page
):
    meeting, public, dispute = council

    body = _page(client, getattr(world, who), page, meeting)

    assert "不公开事项" in body
    assert reverse("issues:detail", args=[dispute.pk]) not in body
    for detail in ("漏水纠纷", "楼上住户承担维修费用", "我家不漏水", "王某"):
        assert detail not in body
    assert "路灯不亮" in body
    if page == "meetings:detail":
        assert reverse("issues:detail", args=[public.pk]) in body


def test_the_community_staff_see_and_open_the_dispute_on_the_agenda(client, world, council):
    meeting, _public, dispute = council

    body = _page(client, world.staff_a, "meetings:detail", meeting)

    assert "不公开事项" not in body
    assert reverse("issues:detail", args=[dispute.pk]) in body
    assert "漏水纠纷" in body and "楼上住户承担维修费用" in body and "我家不漏水" in body


def test_the_grid_worker_of_the_dispute_sees_it_in_the_minutes(client, world, council):
    meeting, _public, _dispute = council

    body = _page(client, world.worker_a1, "meetings:minutes", meeting)

    assert "不公开事项" not in body
    assert "漏水纠纷" in body and "我家不漏水" in body


def test_a_correction_about_the_private_matter_stays_with_those_who_may_open_it(
    client, world, council
):
    meeting, _public, dispute = council
    item = AgendaItem.objects.get(meeting=meeting, issue=dispute)
    MinutesCorrection.objects.create(
        meeting=meeting, requested_by=world.staff_a, agenda_item=item, text="维修费用写错了"
    )

    assert "维修费用写错了" not in _page(client, world.street_admin, "meetings:minutes", meeting)
    assert "维修费用写错了" in _page(client, world.staff_a, "meetings:minutes", meeting)
