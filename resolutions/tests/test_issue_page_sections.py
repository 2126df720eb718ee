"""The issue page's meetings and resolutions come from the apps that hold them
(issues.outcomes): which resolutions a viewer sees, and where each one links, is
access.resolutions' rule, read in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from . import factories

pytestmark = pytest.mark.django_db


def _page(client, user, issue):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("issues:detail", args=[issue.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_outsiders_see_only_the_published_resolution_linked_to_the_board(client, world):
    published = factories.resolution(world, status="published", title="更换路灯决议")
    issue = published.issue
    draft = factories.resolution(world, the_issue=issue, title="路灯费用分摊草案")

    body, _ = _page(client, world.org_contact, issue)  # responsible for an item

    assert reverse("resolutions:public_detail", args=[published.pk]) in body
    assert "更换路灯决议" in body
    assert "路灯费用分摊草案" not in body
    assert reverse("resolutions:detail", args=[draft.pk]) not in body


def test_staff_see_the_draft_too_linked_to_its_page_and_draft_no_second_one(client, world):
    published = factories.resolution(world, status="published", title="更换路灯决议")
    issue = published.issue
    draft = factories.resolution(world, the_issue=issue, title="路灯费用分摊草案")

    body, _ = _page(client, world.staff_a, issue)

    assert reverse("resolutions:detail", args=[published.pk]) in body
    assert reverse("resolutions:detail", args=[draft.pk]) in body
    assert reverse("resolutions:public_detail", args=[published.pk]) not in body


def test_issue_page_reads_its_meetings_and_resolutions_in_constant_queries(client, world):
    first = factories.resolution(world, status="published")
    issue = first.issue
    _, one = _page(client, world.staff_a, issue)
    titles = [f"第{n}项决议" for n in range(1, 4)]
    for title in titles:
        factories.resolution(world, the_issue=issue, title=title)

    body, three_more = _page(client, world.staff_a, issue)

    assert all(title in body for title in titles)
    # The agenda items with their meetings, the meetings the viewer opens, the
    # resolutions and those the viewer opens: one query each, however many rows.
    assert three_more == one
