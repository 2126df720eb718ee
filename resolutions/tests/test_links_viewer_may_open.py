"""A page never links to what its viewer cannot open: the issue page links merged
duplicates, meetings and resolutions only for those who may open them; a resolution's
breadcrumb and its links to the issue and the meeting likewise."""

import pytest
from django.urls import reverse

from issues.models import Status

from . import factories

pytestmark = pytest.mark.django_db


def _body(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_organization_sees_a_merged_duplicate_it_may_not_open_without_a_link(client, world):
    main = factories.issue(world, reporter_organization=world.organization, title="消防通道堵塞")
    duplicate = factories.issue(
        world, status=Status.MERGED, merged_into=main, title="北门又被堵", reporter_resident=None
    )
    url = reverse("issues:detail", args=[main.pk])
    duplicate_url = reverse("issues:detail", args=[duplicate.pk])

    body = _body(client, world.org_contact, url)
    assert f"#{duplicate.pk} 北门又被堵" in body
    assert duplicate_url not in body

    assert duplicate_url in _body(client, world.staff_a, url)


def test_issue_page_links_the_meeting_only_for_those_invited_or_running_it(client, world):
    resolution = factories.resolution(world, status="published")
    issue_url = reverse("issues:detail", args=[resolution.issue_id])
    meeting = resolution.agenda_item.meeting
    meeting_url = reverse("meetings:detail", args=[meeting.pk])

    # Responsible for the action item: sees the issue, was not at the meeting.
    body = _body(client, world.org_contact, issue_url)
    assert meeting.title in body
    assert meeting_url not in body

    assert meeting_url in _body(client, world.staff_a, issue_url)


def test_issue_page_does_not_link_a_draft_resolution_for_the_street_admin(client, world):
    draft = factories.resolution(world)
    issue_url = reverse("issues:detail", args=[draft.issue_id])
    draft_url = reverse("resolutions:detail", args=[draft.pk])

    body = _body(client, world.street_admin, issue_url)
    assert draft.title in body
    assert draft_url not in body

    assert draft_url in _body(client, world.staff_a, issue_url)


def test_resolution_page_leads_an_organization_back_to_its_action_items(client, world):
    resolution = factories.resolution(world, status="adopted")
    url = reverse("resolutions:detail", args=[resolution.pk])
    meeting = resolution.agenda_item.meeting

    body = _body(client, world.org_contact, url)
    assert reverse("resolutions:list") + '"' not in body
    assert reverse("resolutions:my_items") in body
    assert meeting.title in body
    assert reverse("meetings:detail", args=[meeting.pk]) not in body
    # Responsible for an item of it, the organization may open the issue.
    assert reverse("issues:detail", args=[resolution.issue_id]) in body
    assert client.get(reverse("resolutions:my_items")).status_code == 200


def test_resolution_page_leads_staff_to_the_list_the_issue_and_the_meeting(client, world):
    resolution = factories.resolution(world, status="adopted")

    body = _body(client, world.staff_a, reverse("resolutions:detail", args=[resolution.pk]))

    assert reverse("resolutions:list") + '"' in body
    assert reverse("meetings:detail", args=[resolution.agenda_item.meeting_id]) in body
    assert reverse("issues:detail", args=[resolution.issue_id]) in body


def test_every_breadcrumb_of_a_resolution_page_opens_for_its_viewer(client, world):
    resolution = factories.resolution(world, status="adopted")
    for user in (world.org_contact, world.street_admin, world.worker_a1, world.staff_a):
        client.force_login(user)
        page = client.get(reverse("resolutions:detail", args=[resolution.pk]))
        assert page.status_code == 200
        crumbs = page.content.decode().split('class="breadcrumb small">', 1)[1].split("</ol>")[0]
        for href in crumbs.split('href="')[1:]:
            target = href.split('"', 1)[0]
            assert client.get(target).status_code == 200, (user.username, target)
