"""An action item is overdue (逾期) when it is still to do and its deadline has passed: one
rule (resolutions.selectors.overdue_q), which the staff dashboard, the street dashboard,
the API's filter and the daily reminder all select with."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from notifications.models import Notification
from resolutions import reminders
from resolutions.models import ActionItem
from resolutions.selectors import action_items_overdue

from . import factories

pytestmark = pytest.mark.django_db

S = ActionItem.Status


def test_dashboards_api_and_reminder_agree_on_what_is_overdue(client, world):
    today = timezone.localdate()
    cases = {
        # (status, days from today to the deadline): overdue?
        (S.PENDING, -1): True,
        (S.IN_PROGRESS, -10): True,
        (S.AWAITING_CHECK, -3): True,
        (S.PENDING, 0): False,  # due today: not yet late
        (S.IN_PROGRESS, 2): False,
        (S.DONE, -5): False,
        (S.CANCELLED, -5): False,
    }
    resolution = factories.resolution(
        world,
        status="published",
        items=[factories.item_fields(world, measure=f"措施{n}") for n in range(len(cases))],
    )
    expected = set()
    for item, ((status, days), overdue) in zip(
        resolution.items.order_by("pk"), cases.items(), strict=True
    ):
        ActionItem.objects.filter(pk=item.pk).update(
            status=status,
            starts_on=today - timedelta(days=20),
            deadline=today + timedelta(days=days),
        )
        if overdue:
            expected.add(item.pk)

    assert set(action_items_overdue().values_list("pk", flat=True)) == expected

    client.force_login(world.staff_a)
    dashboard = client.get(reverse("reports:dashboard")).context
    assert dashboard["item_counts"]["overdue"] == len(expected)
    assert {item.pk for item in dashboard["overdue_items"].object_list} == expected

    client.force_login(world.street_admin)
    rows = client.get(reverse("reports:street_dashboard")).context["rows"]
    assert {row["community"].pk: row["overdue"] for row in rows}[world.community_a.pk] == len(
        expected
    )

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.staff_a).key}")
    listed = api.get("/api/v1/action-items/?overdue=true").json()["results"]
    assert {row["id"] for row in listed} == expected

    reminders.action_item_overdue()
    reminded = Notification.objects.filter(kind=reminders.KIND_ITEM_OVERDUE)
    assert set(reminded.values_list("object_id", flat=True)) == expected
