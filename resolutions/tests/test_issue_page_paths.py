"""Steps reached from the issue page by clicking: the revisit after closure (事后回访), from
the closed issue's page for those who may record it and from the reminder that a revisit is
due; and the resolution of an escalated issue, agreed by the departments that reported in
without a meeting."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from issues.models import Status
from notifications.models import Notification
from resolutions import reminders

from . import factories

pytestmark = pytest.mark.django_db


def _revisit_url(issue):
    return reverse("resolutions:revisit", args=[issue.pk])


@pytest.mark.parametrize("username", ["staff_a", "worker_a1"])
def test_closed_issue_offers_the_revisit_form_to_staff_and_the_grids_worker(
    client, world, username
):
    closed = factories.issue(world, status=Status.CLOSED, closed_at=timezone.now())
    client.force_login(world.users[username])

    body = client.get(reverse("issues:detail", args=[closed.pk])).content.decode()

    assert f'href="{_revisit_url(closed)}"' in body
    assert "Record a revisit" in body
    assert client.get(_revisit_url(closed)).status_code == 200


def test_open_issue_offers_no_revisit(client, world):
    executing = factories.issue(world, status=Status.EXECUTING)
    client.force_login(world.staff_a)

    body = client.get(reverse("issues:detail", args=[executing.pk])).content.decode()

    assert _revisit_url(executing) not in body
    assert client.get(_revisit_url(executing)).status_code == 403


def test_reporter_and_street_admin_see_no_revisit_button(client, world):
    closed = factories.issue(world, status=Status.CLOSED, closed_at=timezone.now())
    for user in (world.resident_user_a, world.street_admin):
        client.force_login(user)
        response = client.get(reverse("issues:detail", args=[closed.pk]))
        assert response.status_code == 200
        assert _revisit_url(closed) not in response.content.decode()


def test_revisit_reminder_leads_to_the_revisit_form_which_leads_back(client, world, settings):
    settings.YISHI = {**settings.YISHI, "REVISIT_AFTER_DAYS": 30}
    now = timezone.now()
    closed = factories.issue(
        world, status=Status.CLOSED, closed_at=now - dt.timedelta(days=30, minutes=1)
    )
    with time_machine.travel(now, tick=False):
        # The grid worker's reminder, and the reporter asked how it is now.
        assert reminders.revisits_due() == 2
    notification = Notification.objects.get(kind=reminders.KIND_REVISIT_DUE)
    assert notification.recipient == world.worker_a1
    assert notification.url == _revisit_url(closed)

    client.force_login(world.worker_a1)
    opened = client.post(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 302 and opened.url == _revisit_url(closed)
    page = client.get(opened.url).content.decode()
    assert f'href="{reverse("issues:detail", args=[closed.pk])}"' in page

    response = client.post(
        opened.url, {"method": "visit", "findings": "风机又响了", "problem_recurred": "on"}
    )
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.status == Status.ACCEPTED
    assert closed.revisits.get().problem_recurred is True


def _create_for_issue_url(issue):
    return reverse("resolutions:create_for_issue", args=[issue.pk])


def test_escalated_issue_offers_staff_to_draft_its_resolution_once(client, world):
    escalated = factories.issue(world, status=Status.ESCALATED)
    client.force_login(world.staff_a)
    page = reverse("issues:detail", args=[escalated.pk])

    body = client.get(page).content.decode()
    assert f'href="{_create_for_issue_url(escalated)}"' in body
    assert "Draft the resolution" in body

    response = client.post(
        _create_for_issue_url(escalated),
        {
            "title": "风机移至楼顶",
            "text": "商户将排风机移至楼顶。",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-measure": "排风机移至楼顶并加装消声器",
            "items-0-responsible_organization": str(world.organization.pk),
            "items-0-starts_on": timezone.localdate().isoformat(),
            "items-0-deadline": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert escalated.resolutions.get().agenda_item is None
    # While the draft waits, the issue page links it instead of offering another.
    assert _create_for_issue_url(escalated) not in client.get(page).content.decode()


@pytest.mark.parametrize("status", [Status.IN_DELIBERATION, Status.EXECUTING, Status.CLOSED])
def test_only_an_escalated_issue_is_drafted_from_its_page(client, world, status):
    the_issue = factories.issue(world, status=status)
    client.force_login(world.staff_a)

    body = client.get(reverse("issues:detail", args=[the_issue.pk])).content.decode()

    assert _create_for_issue_url(the_issue) not in body


def test_workers_and_street_admins_are_not_offered_the_draft(client, world):
    escalated = factories.issue(world, status=Status.ESCALATED)
    for user in (world.worker_a1, world.street_admin):
        client.force_login(user)
        body = client.get(reverse("issues:detail", args=[escalated.pk])).content.decode()
        assert _create_for_issue_url(escalated) not in body
