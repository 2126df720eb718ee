"""What the browser journeys needed: an issue page that leads to its meetings and
resolutions, my issues leading to the evaluation form, and supervision-committee members
who can find and open the items they check on site."""

import pytest
from django.urls import reverse

from issues.models import Kind, Status
from resolutions.models import ActionItem
from resolutions.services import progress_report

from . import factories

pytestmark = pytest.mark.django_db


def test_issue_page_links_its_meeting_and_resolution_for_staff(client, world):
    resolution = factories.resolution(world, status="adopted")
    client.force_login(world.staff_a)

    response = client.get(reverse("issues:detail", args=[resolution.issue_id]))

    body = response.content.decode()
    assert reverse("meetings:detail", args=[resolution.agenda_item.meeting_id]) in body
    assert reverse("resolutions:detail", args=[resolution.pk]) in body


def test_reporter_sees_the_published_outcome_and_not_the_staff_pages(client, world):
    resolution = factories.resolution(world, status="published")
    client.force_login(world.resident_user_a)

    response = client.get(reverse("issues:detail", args=[resolution.issue_id]))

    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("resolutions:public_detail", args=[resolution.pk]) in body
    assert reverse("resolutions:detail", args=[resolution.pk]) + '"' not in body
    assert reverse("meetings:detail", args=[resolution.agenda_item.meeting_id]) not in body
    assert "My issues" in body  # the breadcrumb back to the list


def test_my_issues_links_the_evaluation_form_when_an_issue_awaits_it(client, world):
    waiting = factories.issue(world, status=Status.AWAITING_EVALUATION, title="路灯已修好")
    factories.issue(world, status=Status.EXECUTING, title="还在修")
    client.force_login(world.resident_user_a)

    body = client.get(reverse("issues:mine")).content.decode()

    assert body.count(reverse("resolutions:evaluate", args=[waiting.pk])) == 1
    assert "Rate how it was handled" in body


def _awaiting_check(world, kind=Kind.PUBLIC):
    # Reported by someone else: the supervisor is not a party to it.
    the_issue = factories.issue(world, kind=kind, reporter_resident=None)
    resolution = factories.resolution(world, status="adopted", the_issue=the_issue)
    item = resolution.items.get()
    progress_report(
        actor=world.org_contact, item=item, text="已更换", percent=100, request_check=True
    )
    item.refresh_from_db()
    assert item.status == ActionItem.Status.AWAITING_CHECK
    return item


@pytest.fixture
def supervisor(world):
    world.resident_a.is_supervisor = True
    world.resident_a.save(update_fields=["is_supervisor"])
    return world.resident_user_a


def test_supervisor_finds_and_opens_the_item_to_check(client, world, supervisor):
    item = _awaiting_check(world)
    client.force_login(supervisor)

    listing = client.get(reverse("resolutions:my_items")).content.decode()
    page = client.get(reverse("resolutions:item_detail", args=[item.pk]))

    assert reverse("resolutions:item_detail", args=[item.pk]) in listing
    assert page.status_code == 200
    assert 'value="check"' in page.content.decode()


def test_supervisor_does_not_see_a_dispute_settlement(client, world, supervisor):
    item = _awaiting_check(world, kind=Kind.DISPUTE)
    client.force_login(supervisor)

    assert client.get(reverse("resolutions:item_detail", args=[item.pk])).status_code == 404
    assert (
        reverse("resolutions:item_detail", args=[item.pk])
        not in client.get(reverse("resolutions:my_items")).content.decode()
    )


def test_an_ordinary_resident_still_sees_no_items_of_others(client, world):
    item = _awaiting_check(world)
    client.force_login(world.resident_user_b)

    assert client.get(reverse("resolutions:item_detail", args=[item.pk])).status_code == 404
