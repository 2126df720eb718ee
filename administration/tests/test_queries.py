"""Every list of the 管理 pages in a constant number of queries (10 rows vs 100)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from communities.tests.factories import GridFactory
from core.models import CalendarDay
from issues.models import Category, TimeLimit
from notifications.models import Delivery
from notifications.services import notify

pytestmark = pytest.mark.django_db


def count(client, url):
    client.get(url)  # what a process reads once (content types, the calendar) read already
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def add_accounts(world, n, start):
    for i in range(start, start + n):
        grid = GridFactory(community=world.community_a)
        UserFactory(username=f"w{i}", role=Role.GRID_WORKER, grids=[grid])
        UserFactory(username=f"s{i}", role=Role.STAFF, communities=[world.community_a])


def test_people_list(client, world):
    client.force_login(world.street_admin)
    url = reverse("administration:people") + "?status=all"
    add_accounts(world, 5, 0)  # 10 accounts more
    few = count(client, url)
    add_accounts(world, 45, 100)  # 100 more (two pages of 50)
    assert count(client, url) == few


def add_categories(world, n, start):
    for i in range(start, start + n):
        category = Category.objects.create(name=f"分类{i}", code=f"c{i}", street=world.street)
        TimeLimit.objects.create(
            street=world.street,
            category=category,
            urgency="normal",
            accept_within=8,
            handle_within=40,
        )


def test_street_rules(client, world):
    client.force_login(world.street_admin)
    url = reverse("administration:street_rules", args=[world.street.pk])
    add_categories(world, 10, 0)
    few = count(client, url)
    add_categories(world, 90, 100)
    assert count(client, url) == few


def add_days(world, n, start):
    for i in range(start, start + n):
        CalendarDay.objects.create(
            date=date(2031, 1, 1) + timedelta(days=i),
            kind="holiday",
            name="测试",
            created_by=world.street_admin,
        )


def test_calendar(client, world):
    client.force_login(world.street_admin)
    url = reverse("administration:calendar")
    add_days(world, 10, 0)
    few = count(client, url)
    add_days(world, 90, 100)
    assert count(client, url) == few


def test_community_rules_and_schedules(client, world):
    from core.schedules import sync

    sync()
    client.force_login(world.street_admin)
    for url in (
        reverse("administration:community_rules", args=[world.community_a.pk]),
        reverse("administration:schedules"),
        reverse("administration:home"),
    ):
        first = count(client, url)
        assert count(client, url) == first


def add_failed(world, n, start):
    for i in range(start, start + n):
        community = world.community_a if i % 2 else world.community_b
        notification = notify(
            recipient=world.resident_a,
            kind="q",
            title="t",
            body="",
            target=community,
            step=str(i),
            community=community,
        )
        Delivery.objects.filter(notification=notification).update(
            status=Delivery.Status.FAILED, last_error="号码已停机"
        )


def test_failed_messages_of_every_community_of_the_street(client, world):
    world.resident_a.phone = "13800138000"
    world.resident_a.save()
    client.force_login(world.street_admin)
    url = reverse("notifications:sent") + "?status=failed"
    add_failed(world, 10, 0)
    few = count(client, url)
    add_failed(world, 90, 100)
    assert count(client, url) == few
    page = client.get(url).content.decode()
    assert "号码已停机" in page and "甲社区" in page and "乙社区" in page
    only_b = client.get(url + f"&community={world.community_b.pk}").content.decode()
    # Half of the 100 failures are community B's: a page of 50.
    assert only_b.count("sent-error") == 50
