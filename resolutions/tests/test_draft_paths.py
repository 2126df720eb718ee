"""A decided agenda item leads to drafting its resolution from the meeting page, the minutes
and the issue page, and to the resolution once it exists; the resolution form takes several
action items in one go."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem
from resolutions.models import Resolution

from . import factories

pytestmark = pytest.mark.django_db


def _decided(world, outcome=AgendaItem.Outcome.CONSENSUS):
    item = factories.agenda_item(world, factories.issue(world))
    AgendaItem.objects.filter(pk=item.pk).update(outcome=outcome, outcome_text="同意更换路灯")
    return item


@pytest.mark.parametrize("page", ["meetings:detail", "meetings:minutes"])
def test_staff_are_offered_to_draft_the_resolution_of_a_decided_item(client, world, page):
    item = _decided(world)
    client.force_login(world.staff_a)

    body = client.get(reverse(page, args=[item.meeting_id])).content.decode()

    assert reverse("resolutions:create", args=[item.pk]) in body
    assert "Draft the resolution" in body


def test_issue_page_offers_the_draft_to_staff_only(client, world):
    item = _decided(world)
    url = reverse("issues:detail", args=[item.issue_id])
    draft = reverse("resolutions:create", args=[item.pk])

    client.force_login(world.staff_a)
    assert draft in client.get(url).content.decode()
    client.force_login(world.resident_user_a)
    assert draft not in client.get(url).content.decode()


@pytest.mark.parametrize(
    "outcome", [AgendaItem.Outcome.NO_AGREEMENT, AgendaItem.Outcome.REFERRED, "pending"]
)
def test_no_draft_for_an_item_without_agreement(client, world, outcome):
    item = _decided(world, outcome=outcome)
    client.force_login(world.staff_a)

    body = client.get(reverse("meetings:detail", args=[item.meeting_id])).content.decode()

    assert reverse("resolutions:create", args=[item.pk]) not in body


def test_meeting_and_minutes_link_the_resolution_once_it_exists(client, world):
    resolution = factories.resolution(world)
    item = resolution.agenda_item
    AgendaItem.objects.filter(pk=item.pk).update(outcome="consensus", outcome_text="同意")
    client.force_login(world.staff_a)

    for page in ("meetings:detail", "meetings:minutes"):
        body = client.get(reverse(page, args=[item.meeting_id])).content.decode()
        assert reverse("resolutions:detail", args=[resolution.pk]) in body
        assert f"Resolution: {resolution.title}" in body
        assert reverse("resolutions:create", args=[item.pk]) not in body
    issue_page = client.get(reverse("issues:detail", args=[item.issue_id])).content.decode()
    assert reverse("resolutions:create", args=[item.pk]) not in issue_page


def test_a_participant_who_may_not_see_the_draft_gets_no_link(client, world):
    resolution = factories.resolution(world)  # a draft: staff only
    item = resolution.agenda_item
    AgendaItem.objects.filter(pk=item.pk).update(outcome="consensus", outcome_text="同意")
    from meetings.models import Participant

    Participant.objects.create(
        meeting_id=item.meeting_id, role="property", name="物业", user=world.org_contact
    )
    client.force_login(world.org_contact)

    body = client.get(reverse("meetings:detail", args=[item.meeting_id])).content.decode()

    assert reverse("resolutions:detail", args=[resolution.pk]) not in body
    assert reverse("resolutions:create", args=[item.pk]) not in body


def test_add_another_item_without_script_keeps_what_was_typed(client, world):
    item = _decided(world)
    client.force_login(world.staff_a)
    url = reverse("resolutions:create", args=[item.pk])
    today = timezone.localdate()
    data = {
        "title": "更换路灯",
        "text": "同意更换",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-measure": "更换5盏路灯",
        "items-0-responsible_organization": world.organization.pk,
        "items-0-starts_on": today.isoformat(),
        "items-0-deadline": (today + timedelta(days=7)).isoformat(),
        "add_item": "1",
    }

    response = client.post(url, data)

    body = response.content.decode()
    assert response.status_code == 200
    assert not Resolution.objects.exists()
    assert "更换5盏路灯" in body
    assert 'name="items-1-measure"' in body
    assert 'value="2"' in body and 'name="items-TOTAL_FORMS"' in body


def test_several_items_saved_in_one_go(client, world):
    item = _decided(world)
    client.force_login(world.staff_a)
    today = timezone.localdate()
    data = {"title": "更换路灯", "text": "同意更换", "items-INITIAL_FORMS": "0"}
    measures = ["更换5盏路灯", "修剪遮挡路灯的树枝", "设置夜间巡查"]
    for index, measure in enumerate(measures):
        data[f"items-{index}-measure"] = measure
        data[f"items-{index}-responsible_organization"] = world.organization.pk
        data[f"items-{index}-starts_on"] = today.isoformat()
        data[f"items-{index}-deadline"] = (today + timedelta(days=7)).isoformat()
    data["items-TOTAL_FORMS"] = str(len(measures))

    response = client.post(reverse("resolutions:create", args=[item.pk]), data)

    assert response.status_code == 302
    resolution = Resolution.objects.get()
    assert sorted(resolution.items.values_list("measure", flat=True)) == sorted(measures)


def test_form_carries_the_template_for_another_row(client, world):
    item = _decided(world)
    client.force_login(world.staff_a)

    body = client.get(reverse("resolutions:create", args=[item.pk])).content.decode()

    assert 'data-formset-template="items"' in body
    assert 'name="items-__prefix__-measure"' in body
    assert 'data-formset-add="items"' in body


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_meeting_page_reads_its_resolutions_in_constant_queries(client, world):
    first = _decided(world)
    meeting = first.meeting

    def decide(n):
        for index in range(n):
            issue = factories.issue(world, title=f"议题{index}")
            item = AgendaItem.objects.create(
                meeting=meeting,
                issue=issue,
                title=issue.title,
                outcome="consensus",
                outcome_text="同意",
            )
            if index % 2:
                factories.services.resolution_create(
                    actor=world.staff_a,
                    agenda_item=item,
                    text="同意",
                    items=[factories.item_fields(world)],
                )

    client.force_login(world.staff_a)
    url = reverse("meetings:detail", args=[meeting.pk])
    decide(3)
    few = _count(client, url)
    decide(12)
    assert _count(client, url) == few


def test_an_escalated_issue_leads_staff_to_draft_its_resolution(client, world):
    """吹哨报到 agrees without a meeting: the issue page itself offers the draft."""
    escalated = factories.issue(world, status="escalated")
    url = reverse("issues:detail", args=[escalated.pk])
    draft = reverse("resolutions:create_for_issue", args=[escalated.pk])

    client.force_login(world.staff_a)
    assert draft in client.get(url).content.decode()
    client.force_login(world.worker_a1)
    assert draft not in client.get(url).content.decode()

    factories.resolution(world, the_issue=escalated)
    client.force_login(world.staff_a)
    assert draft not in client.get(url).content.decode()


def test_no_draft_from_the_issue_page_before_escalation(client, world):
    accepted = factories.issue(world, status="accepted")
    client.force_login(world.staff_a)
    body = client.get(reverse("issues:detail", args=[accepted.pk])).content.decode()
    assert reverse("resolutions:create_for_issue", args=[accepted.pk]) not in body
