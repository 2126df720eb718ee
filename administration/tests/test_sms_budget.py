"""短信额度: the street sets each community's monthly SMS budget, the head sees what their
community sent against it, and sending obeys it (notifications/tests/test_digests.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.tests.factories import CommunityFactory
from core.models import AuditEntry
from notifications.models import Delivery, Notification, SmsBudget
from notifications.services import notify

pytestmark = pytest.mark.django_db


def sms_sent(world, n, kind="meeting_invitation"):
    from communities.tests.factories import ResidentFactory

    for i in range(n):
        resident = ResidentFactory(household=world.household_a1, phone=f"1380013{i:04d}")
        notify(recipient=resident, kind=kind, title="议事会邀请", body="", target=world.community_a)


def test_a_street_admin_sets_a_budget_and_the_head_sees_it_spent(client, world):
    client.force_login(world.street_admin)
    home = client.get(reverse("administration:home")).content.decode()
    assert "短信额度" in home
    url = reverse("administration:sms_budget", args=[world.community_a.pk])
    page = client.get(url).content.decode()
    assert 'name="monthly_limit"' in page

    response = client.post(url, {"monthly_limit": "-3", "version": ""})
    assert "invalid-feedback" in response.content.decode()
    assert not SmsBudget.objects.exists()

    response = client.post(url, {"monthly_limit": "3", "version": ""})
    assert response.status_code == 302
    budget = SmsBudget.objects.get(community=world.community_a)
    assert budget.monthly_limit == 3 and budget.updated_by == world.street_admin
    entry = AuditEntry.objects.filter(community=world.community_a).latest("pk")
    assert entry.changes == {"每月短信条数": ["不限", 3]}

    # A form loaded before someone else saved is refused, not applied.
    stale = client.post(url, {"monthly_limit": "9", "version": "0"})
    assert "有人刚刚修改了这个额度，请刷新后重试。" in stale.content.decode()
    assert SmsBudget.objects.get().monthly_limit == 3

    sms_sent(world, 3)
    client.force_login(world.users["head_a"])
    page = client.get(url).content.decode()
    assert 'name="monthly_limit"' not in page
    assert "本月已发 3 条，额度 3 条" in page and "已用完" in page
    assert "会议邀请与改期" in page
    assert client.post(url, {"monthly_limit": "100"}).status_code == 403
    assert SmsBudget.objects.get().monthly_limit == 3
    listing = client.get(reverse("administration:sms_budgets")).content.decode()
    assert world.community_a.name in listing and world.community_b.name not in listing


def test_a_head_cannot_open_another_communitys_budget(client, world):
    client.force_login(world.users["head_a"])
    other = reverse("administration:sms_budget", args=[world.community_b.pk])
    assert client.get(other).status_code in (403, 404)
    client.force_login(world.users["staff_a"])
    assert client.get(reverse("administration:sms_budgets")).status_code == 403


def test_failed_messages_do_not_count_against_the_budget(world):
    from notifications.routing import budgets_spent, sms_used

    SmsBudget.objects.create(
        community=world.community_a, monthly_limit=2, updated_by=world.street_admin
    )
    sms_sent(world, 2)
    assert sms_used([world.community_a.pk]) == {world.community_a.pk: 2}
    assert budgets_spent([world.community_a.pk]) == {world.community_a.pk}
    Delivery.objects.filter(pk=Delivery.objects.first().pk).update(status=Delivery.Status.FAILED)
    assert budgets_spent([world.community_a.pk]) == set()
    assert Notification.objects.count() == 2


def test_the_list_of_budgets_reads_in_constant_queries(client, world):
    client.force_login(world.street_admin)
    url = reverse("administration:sms_budgets")

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(10):
        community = CommunityFactory(street=world.street)
        SmsBudget.objects.create(
            community=community, monthly_limit=50, updated_by=world.street_admin
        )
    from lib import versions

    versions.changed(versions.ALL)
    many = queries()
    assert few == many
    assert client.get(url).content.decode().count('class="progress"') >= 10


def test_a_budget_of_nothing_reads_as_spent_in_full(world):
    from notifications.selectors import sms_budget_rows

    SmsBudget.objects.create(
        community=world.community_a, monthly_limit=0, updated_by=world.street_admin
    )
    row_a, row_b = sms_budget_rows([world.community_a, world.community_b])
    assert (row_a["limit"], row_a["used"], row_a["percent"], row_a["spent"]) == (0, 0, 100, True)
    assert (row_b["limit"], row_b["percent"], row_b["spent"]) == (None, None, False)
