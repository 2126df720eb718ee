"""Pages cached per user (lib.pagecache), the request user cached with their scope
(access.scope.load_user) and the versions both are checked against (lib.versions): what
the cache answers is what the view would answer now, for this user only."""

import re

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from access.scope import get_scope, load_user
from accounts.models import Role
from issues import services as issue_services
from lib import versions
from notifications.models import Notification
from notifications.services import notifications_mark_all_read, notify, notify_bulk
from reports.tests.factories import IssueFactory

pytestmark = pytest.mark.django_db


def _cached(response):
    """Whether the answer came from the page cache (the view rendered no template)."""
    assert response.status_code == 200
    return response.context is None


def _client(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def issue_a(world):
    return IssueFactory(community=world.community_a, title="甲社区的下水道", grid=world.grid_a1)


@pytest.fixture
def issue_b(world):
    return IssueFactory(community=world.community_b, title="乙社区的路灯", grid=world.grid_b1)


def test_a_repeated_page_is_served_from_the_cache(world, issue_a):
    client = _client(world.staff_a)
    url = reverse("issues:list")

    first, second = client.get(url), client.get(url)

    assert not _cached(first) and _cached(second)
    assert second.content.decode().count("甲社区的下水道") == 1
    assert "甲社区的下水道" in second.content.decode()


def test_a_cached_page_never_shows_one_user_another_users_page(world, issue_a, issue_b):
    url = reverse("issues:list")
    own = _client(world.staff_a).get(url).content.decode()
    # The same URL for a colleague of the same community and for another community's staff.
    colleague = _client(world.head_a).get(url)
    other = _client(world.staff_b).get(url)

    assert not _cached(colleague) and not _cached(other)
    assert "甲社区的下水道" in own and "乙社区的路灯" not in own
    body = other.content.decode()
    assert "乙社区的路灯" in body and "甲社区的下水道" not in body
    assert str(world.head_a) in colleague.content.decode()
    assert str(world.staff_a) not in colleague.content.decode()


def test_a_write_through_a_service_shows_on_the_next_request(world, issue_a):
    client = _client(world.staff_a)
    url = reverse("issues:detail", args=[issue_a.pk])
    client.get(url)
    assert _cached(client.get(url))

    issue_services.issue_comment(issue=issue_a, actor=world.head_a, text="物业已派人查看")
    after = client.get(url)

    assert not _cached(after)
    assert "物业已派人查看" in after.content.decode()


def test_a_write_in_another_community_keeps_the_page(world, issue_a, issue_b):
    client = _client(world.staff_a)
    url = reverse("issues:list")
    client.get(url)

    issue_services.issue_comment(issue=issue_b, actor=world.staff_b, text="乙社区的进展")

    assert _cached(client.get(url))


def test_a_scope_change_takes_effect_on_the_next_request(world, issue_a, issue_b):
    client = _client(world.staff_a)
    queue, page_a = reverse("issues:list"), reverse("issues:detail", args=[issue_a.pk])
    assert "甲社区的下水道" in client.get(queue).content.decode()
    assert client.get(page_a).status_code == 200

    # An admin moves the staff member to the other community.
    world.staff_a.communities.set([world.community_b])

    body = client.get(queue).content.decode()
    assert "乙社区的路灯" in body and "甲社区的下水道" not in body
    assert client.get(page_a).status_code in (403, 404)


def test_a_role_change_takes_effect_on_the_next_request(world, issue_a):
    client = _client(world.staff_a)
    queue = reverse("issues:list")
    assert client.get(queue).status_code == 200
    assert _cached(client.get(queue))

    world.staff_a.role = Role.RESIDENT
    world.staff_a.save()

    assert client.get(queue).status_code == 403


def test_a_deactivated_user_is_logged_out_on_the_next_request(world):
    client = _client(world.staff_a)
    queue = reverse("issues:list")
    client.get(queue)

    world.staff_a.is_active = False
    world.staff_a.save(update_fields=["is_active"])

    response = client.get(queue)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_scope_is_read_from_the_cache_and_again_after_a_change(
    world, django_assert_num_queries
):
    load_user(world.worker_a1.pk)
    with django_assert_num_queries(0):
        user = load_user(world.worker_a1.pk)
    assert get_scope(user).grid_ids == {world.grid_a1.pk}

    # A grid changing community changes every scope read from it.
    world.grid_a1.community = world.community_b
    world.grid_a1.save()

    assert get_scope(load_user(world.worker_a1.pk)).community_ids == {world.community_b.pk}


def test_a_resident_moving_house_changes_their_scope(world):
    load_user(world.resident_user_a.pk)
    resident = world.resident_a
    resident.household = world.household_b1
    resident.community = world.community_b
    resident.save()

    scope = get_scope(load_user(world.resident_user_a.pk))
    assert scope.community_ids == {world.community_b.pk}
    assert scope.household_id == world.household_b1.pk


def test_new_and_read_notifications_show_in_the_count_at_once(world, issue_a):
    client = _client(world.staff_a)
    url = reverse("issues:list")
    client.get(url)

    notify(recipient=world.staff_a, kind="test", title="新通知", body="", target=issue_a)
    assert _unread(client.get(url)) == "1"

    # The sweeps' bulk insert sends no model signal; it moves the recipients' versions itself.
    notify_bulk(kind="sweep", messages=[(world.staff_a.pk, issue_a, "1", "提醒", "", "")])
    assert _unread(client.get(url)) == "2"

    notifications_mark_all_read(actor=world.staff_a)
    assert _unread(client.get(url)) is None
    assert Notification.objects.filter(recipient=world.staff_a, read_at__isnull=True).count() == 0


def _unread(response):
    found = re.search(r'data-testid="unread-count">(\d+)<', response.content.decode())
    return found.group(1) if found else None


def test_a_page_with_a_message_is_neither_served_nor_kept(world, issue_a):
    client = _client(world.staff_a)
    url = reverse("issues:detail", args=[issue_a.pk])
    client.get(url)
    # A comment posted through the page redirects back to it with a message.
    response = client.post(
        reverse("issues:comment", args=[issue_a.pk]), {"text": "已电话联系"}, follow=True
    )
    assert response.status_code == 200
    assert not _cached(response)
    assert "已电话联系" in response.content.decode()
    # Shown once: the next answer has no message, and the one before is not replayed.
    again = client.get(url)
    assert "alert-success" not in again.content.decode()


def test_a_cached_page_carries_a_csrf_token_valid_for_the_browser_it_is_served_to(world, issue_a):
    url = reverse("issues:detail", args=[issue_a.pk])
    # The same user in two browsers: two CSRF cookies, one cached page.
    first = _client(world.staff_a, enforce_csrf_checks=True)
    second = _client(world.staff_a, enforce_csrf_checks=True)
    first.get(url)
    response = second.get(url)
    assert _cached(response)
    body = response.content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
    assert len(tokens) == 1
    assert "@@csrf-token@@" not in body

    posted = second.post(
        reverse("issues:comment", args=[issue_a.pk]),
        {"text": "另一台电脑上写的", "csrfmiddlewaretoken": tokens.pop()},
    )
    assert posted.status_code == 302
    assert "另一台电脑上写的" in second.get(url).content.decode()


def test_a_page_is_built_again_when_its_minute_is_over(world, issue_a):
    client = _client(world.staff_a)
    url = reverse("reports:dashboard")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(url)
        assert _cached(client.get(url))
    with time_machine.travel(start + timezone.timedelta(seconds=61), tick=False):
        assert not _cached(client.get(url))


def test_the_public_board_is_shared_by_visitors_only_for_its_own_parameters(world):
    url = reverse("resolutions:board")
    Client().get(url)
    assert _cached(Client().get(url))
    assert _cached(Client().get(url + "?page=1")) is False  # another URL, kept apart
    # A parameter of the visitor's own is never kept for others.
    tracked = Client().get(url + "?utm=weixin")
    assert not _cached(tracked)
    assert not _cached(Client().get(url + "?utm=weixin"))


def test_the_page_cache_can_be_turned_off(world, issue_a, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client = _client(world.staff_a)
    url = reverse("issues:list")
    client.get(url)
    assert not _cached(client.get(url))


def test_rows_without_a_community_of_their_own_move_their_communitys_version(world, issue_a):
    from meetings.models import Meeting, Participant

    meeting = Meeting.objects.create(
        community=world.community_a,
        title="议事会",
        form="building_council",
        starts_at=timezone.now(),
        ends_at=timezone.now() + timezone.timedelta(hours=1),
        convener=world.staff_a,
    )
    before = versions.read([versions.community(world.community_a.pk), versions.ALL])

    Participant.objects.create(meeting=meeting, name="王大爷")

    after = versions.read([versions.community(world.community_a.pk), versions.ALL])
    assert after[0] != before[0]
    assert after[1] == before[1]


def test_a_version_lost_from_the_cache_never_matches_what_was_kept_before(world):
    name = versions.community(world.community_a.pk)
    (before,) = versions.read([name])
    cache.delete(versions.PREFIX + name)
    (after,) = versions.read([name])
    assert after != before
    assert versions.read([name]) == (after,)


def test_anonymous_visitors_have_no_scope_versions():
    class Request:
        user = AnonymousUser()

    from access.scope import page_versions

    assert page_versions(Request()) == [versions.ALL]
