"""The top bar's search: what it finds, for whom, and why, in a constant number of
queries; Chinese found by a few characters without word segmentation."""

import pytest
from django.db import connection
from django.urls import reverse

from issues.models import Category, Channel, Kind
from issues.services import issue_report
from meetings.services import meeting_create
from search.selectors import search

pytestmark = pytest.mark.django_db


def _issue(world, **fields):
    values = {
        "actor": world.staff_a,
        "community": world.community_a,
        "category": Category.objects.get(code="ground_locks"),
        "title": "私装地锁占用公共车位",
        "description": "9号楼旁有住户私装地锁，晚上没地方停车。",
        "channel": Channel.WALK_IN,
        "compound": world.compound_a1,
        "place_text": "9号楼东侧",
    }
    values.update(fields)
    return issue_report(**values)


def _found(user, query, kind="issues"):
    return [hit.url for group in search(user, query) if group.key == kind for hit in group.hits]


def test_chinese_is_indexed_as_trigrams():
    """pg_trgm finds trigrams in Chinese only when the database's LC_CTYPE classifies
    CJK characters as letters (a UTF-8 locale, not "C")."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm('明园小区')")
        assert len(cursor.fetchone()[0]) >= 4


def test_finds_an_issue_by_a_fragment_of_its_address_or_its_ticket(world):
    issue = _issue(world)
    ticket = _issue(
        world,
        channel=Channel.HOTLINE,
        hotline_ticket="YC2025110300871",
        title="楼道堆放杂物",
        description="堆了很多纸箱",
        place_text="",
    )
    assert issue.address == "甲一小区 9号楼东侧"
    assert _found(world.staff_a, "一小区 9号楼") == [issue.get_absolute_url()]
    assert _found(world.staff_a, "0300871") == [ticket.get_absolute_url()]
    assert _found(world.staff_a, "YC2025110300871") == [ticket.get_absolute_url()]
    assert _found(world.staff_a, f"#{issue.pk}")[-1] == issue.get_absolute_url()


def test_two_characters_and_one_character_are_found_too(world):
    issue = _issue(world)
    assert _found(world.staff_a, "地锁") == [issue.get_absolute_url()]
    assert _found(world.staff_a, "锁") == [issue.get_absolute_url()]
    assert _found(world.staff_a, "停车 地锁") == [issue.get_absolute_url()]
    assert _found(world.staff_a, "停车 广场舞") == []


def test_results_say_why_they_were_found(client, world):
    _issue(world)
    client.force_login(world.staff_a)
    page = client.get(reverse("search:results"), {"q": "私装地锁"}).content.decode()
    assert "<mark>私装地锁</mark>占用公共车位" in page
    assert "住户<mark>私装地锁</mark>" in page


def test_another_communitys_issues_and_private_disputes_are_never_found(world):
    mine = _issue(world)
    theirs = _issue(
        world, actor=world.staff_b, community=world.community_b, compound=world.compound_b1
    )
    dispute = _issue(world, kind=Kind.DISPUTE, title="邻里地锁纠纷", compound=world.compound_a2)
    assert set(_found(world.staff_a, "地锁")) == {
        mine.get_absolute_url(),
        dispute.get_absolute_url(),
    }
    assert _found(world.staff_b, "地锁") == [theirs.get_absolute_url()]
    # The street admin sees both communities, never a dispute.
    assert dispute.get_absolute_url() not in _found(world.street_admin, "地锁")
    # The worker of the other grid of A does not see a dispute of grid A2's… of A1's grid.
    assert dispute.get_absolute_url() in _found(world.worker_a2, "地锁")
    assert dispute.get_absolute_url() not in _found(world.worker_a1, "地锁")
    # A resident finds none of it: they reported none.
    assert _found(world.resident_user_a, "地锁") == []


def test_residents_of_another_community_are_never_found(world):
    assert _found(world.staff_a, "甲居民", "residents") != []
    assert _found(world.staff_a, "乙居民", "residents") == []
    assert _found(world.resident_user_a, "居民", "residents") == []
    assert _found(world.org_contact, "居民", "residents") == []


def test_a_phone_number_finds_a_resident_only_for_those_who_read_it_in_full(world):
    world.resident_a.phone = "13912345678"
    world.resident_a.save()
    assert _found(world.staff_a, "12345678", "residents") != []
    assert _found(world.worker_a1, "12345678", "residents") != []
    # The street admin reads it masked: a search by it would unmask it.
    assert _found(world.street_admin, "12345678", "residents") == []
    assert _found(world.street_admin, "甲居民", "residents") != []


def test_meetings_and_organizations_are_found(world):
    from django.utils import timezone

    start = timezone.now() + timezone.timedelta(days=3)
    meeting = meeting_create(
        actor=world.staff_a,
        community=world.community_a,
        form="courtyard_council",
        title="甲一小区停车议事会",
        venue="社区议事厅",
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=2),
    )
    assert _found(world.staff_a, "停车议事", "meetings") == [meeting.get_absolute_url()]
    assert _found(world.staff_b, "停车议事", "meetings") == []
    assert _found(world.staff_a, "甲物业", "organizations") != []
    assert _found(world.staff_b, "甲物业", "organizations") == []


def test_the_queue_filter_finds_what_the_search_box_finds(client, world):
    issue = _issue(world)
    client.force_login(world.staff_a)
    page = client.get(reverse("issues:list"), {"q": "一小区 9号楼"}).content.decode()
    assert issue.title in page


@pytest.mark.parametrize("rows", [10, 60])
def test_search_runs_a_constant_number_of_queries(client, world, rows, django_assert_num_queries):
    for n in range(rows):
        _issue(world, title=f"地锁投诉{n}")
    client.force_login(world.staff_a)
    client.get(reverse("search:results"), {"q": "地锁"})  # the session and scope, warmed
    # session, user, scope (communities), unread notifications (the bell), then one query
    # per kind: issues, meetings, resolutions, action items, residents, households,
    # organizations.
    with django_assert_num_queries(11):
        response = client.get(reverse("search:results"), {"q": "地锁"})
    assert response.status_code == 200


def test_an_empty_query_asks_for_characters(client, world):
    client.force_login(world.resident_user_a)
    page = client.get(reverse("search:results")).content.decode()
    assert "Type a few characters" in page or "输入" in page
