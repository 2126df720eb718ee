"""The API's meetings, resolutions, action items, communities and grids: access as on the
pages, constant query counts, progress reports, the .ics; and the issue merge."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from communities.models import Community, Grid
from issues.models import Issue, Status
from meetings.models import ParticipantRole
from meetings.services import participant_add
from resolutions.models import ActionItem, ProgressUpdate
from resolutions.tests import factories

pytestmark = pytest.mark.django_db

_codes = itertools.count(1)


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context), response.json()["count"]


# Access -------------------------------------------------------------------------------------


def test_anonymous_gets_401_everywhere(world, api_for, make_meeting, published):
    meeting = make_meeting()
    item = published.items.get()
    client = api_for(None)
    for url in (
        "/api/v1/meetings/",
        f"/api/v1/meetings/{meeting.pk}/",
        f"/api/v1/meetings/{meeting.pk}/ics/",
        "/api/v1/resolutions/",
        f"/api/v1/resolutions/{published.pk}/",
        "/api/v1/action-items/",
        f"/api/v1/action-items/{item.pk}/",
        "/api/v1/communities/",
        f"/api/v1/communities/{world.community_a.pk}/",
        "/api/v1/grids/",
        f"/api/v1/grids/{world.grid_a1.pk}/",
    ):
        assert client.get(url).status_code == 401, url
    response = client.post(
        f"/api/v1/action-items/{item.pk}/progress/",
        {"text": "开工", "percent": 10, "expected_version": 1},
        format="json",
    )
    assert response.status_code == 401


def test_other_community_gets_404(world, api_for, make_meeting, published):
    meeting = make_meeting()
    item = published.items.get()
    client = api_for(world.staff_b)
    for url in (
        f"/api/v1/meetings/{meeting.pk}/",
        f"/api/v1/meetings/{meeting.pk}/ics/",
        f"/api/v1/resolutions/{published.pk}/",
        f"/api/v1/action-items/{item.pk}/",
        f"/api/v1/communities/{world.community_a.pk}/",
        f"/api/v1/grids/{world.grid_a1.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    for url in ("/api/v1/meetings/", "/api/v1/resolutions/", "/api/v1/action-items/"):
        assert client.get(url).json()["count"] == 0, url
    response = client.post(
        f"/api/v1/action-items/{item.pk}/progress/",
        {"text": "开工", "percent": 10, "expected_version": item.version},
        format="json",
    )
    assert response.status_code == 404
    assert not ProgressUpdate.objects.filter(item=item).exists()


def test_places_are_for_people_who_run_the_work(world, api_for):
    for user in (world.resident_user_a, world.org_contact):
        client = api_for(user)
        assert client.get("/api/v1/communities/").status_code == 403
        assert client.get(f"/api/v1/communities/{world.community_a.pk}/").status_code == 403
        assert client.get("/api/v1/grids/").status_code == 403
        assert client.get(f"/api/v1/grids/{world.grid_a1.pk}/").status_code == 403
    staff = api_for(world.staff_a)
    assert [c["id"] for c in staff.get("/api/v1/communities/").json()["results"]] == [
        world.community_a.pk
    ]
    grids = staff.get(f"/api/v1/grids/?community={world.community_a.pk}").json()["results"]
    assert {g["id"] for g in grids} == {world.grid_a1.pk, world.grid_a2.pk}
    admin = api_for(world.street_admin).get("/api/v1/communities/").json()
    assert {c["id"] for c in admin["results"]} == {world.community_a.pk, world.community_b.pk}
    grid = staff.get(f"/api/v1/grids/{world.grid_a1.pk}/").json()
    assert grid["community"] == world.community_a.pk and grid["code"] == world.grid_a1.code


def test_progress_needs_the_right(world, api_for, published):
    """Those who see the item but are not responsible for it get 403."""
    item = published.items.get()
    body = {"text": "开工", "percent": 10, "expected_version": item.version}
    for user in (world.street_admin, world.resident_user_a, world.worker_a2):
        client = api_for(user)
        assert client.get(f"/api/v1/action-items/{item.pk}/").status_code == 200, user
        response = client.post(f"/api/v1/action-items/{item.pk}/progress/", body, format="json")
        assert response.status_code == 403, user
    assert not ProgressUpdate.objects.filter(item=item).exists()


# Meetings -------------------------------------------------------------------------------------


def test_meeting_detail_with_agenda_and_participants(world, api_for, make_meeting, make_issue):
    issue = make_issue(compound=world.compound_a1)
    meeting = make_meeting(issues=[issue])
    participant_add(
        actor=world.staff_a,
        meeting=meeting,
        role=ParticipantRole.RESIDENT,
        resident=world.resident_a,
    )
    data = api_for(world.resident_user_a).get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert data["title"] == "一号楼议事会"
    assert [a["issue"] for a in data["agenda"]] == [issue.pk]
    names = [p["name"] for p in data["participants"]]
    assert world.resident_a.name in names
    assert data["participant_count"] == len(names) and data["agenda_item_count"] == 1
    # A resident who is not invited does not see it.
    assert api_for(world.resident_user_b).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    listed = api_for(world.resident_user_a).get("/api/v1/meetings/").json()
    assert [m["id"] for m in listed["results"]] == [meeting.pk]


def test_private_mediation_hidden_from_street_admin(world, api_for, make_meeting):
    meeting = make_meeting(is_private=True)
    client = api_for(world.street_admin)
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert api_for(world.staff_a).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 200


def test_meeting_filters(world, api_for, make_meeting):
    soon = make_meeting(days=1)
    later = make_meeting(days=30, title="月度议事会")
    client = api_for(world.staff_a)
    after = (timezone.now() + timedelta(days=10)).isoformat()
    response = client.get("/api/v1/meetings/", {"starts_after": after})
    assert [m["id"] for m in response.json()["results"]] == [later.pk]
    response = client.get("/api/v1/meetings/", {"starts_before": after})
    assert [m["id"] for m in response.json()["results"]] == [soon.pk]
    assert client.get("/api/v1/meetings/?starts_after=tomorrow").status_code == 400
    assert client.get("/api/v1/meetings/?status=nope").status_code == 400
    assert client.get("/api/v1/meetings/?status=planned").json()["count"] == 2


def test_meeting_ics(world, api_for, make_meeting, make_issue):
    meeting = make_meeting(issues=[make_issue(title="电梯更换")])
    response = api_for(world.staff_a).get(f"/api/v1/meetings/{meeting.pk}/ics/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "一号楼议事会"
    assert str(event["LOCATION"]) == "社区活动室"
    assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)
    assert "电梯更换" in str(event["DESCRIPTION"])


# Resolutions and action items -------------------------------------------------------------------


def test_resolution_detail_and_drafts(world, api_for, published):
    draft = factories.resolution(world)
    staff = api_for(world.staff_a)
    data = staff.get(f"/api/v1/resolutions/{published.pk}/").json()
    assert data["status"] == "published"
    assert data["item_count"] == 1 and len(data["items"]) == 1
    assert data["items"][0]["responsible"] == world.organization.name
    assert staff.get(f"/api/v1/resolutions/{draft.pk}/").status_code == 200
    # Work not yet agreed stays with the community's staff.
    contact = api_for(world.org_contact)
    assert contact.get(f"/api/v1/resolutions/{draft.pk}/").status_code == 404
    assert [r["id"] for r in contact.get("/api/v1/resolutions/").json()["results"]] == [
        published.pk
    ]
    assert staff.get("/api/v1/resolutions/?status=draft").json()["count"] == 1


def test_my_items(world, api_for, published):
    item = published.items.get()
    mine = api_for(world.org_contact).get("/api/v1/action-items/?mine=true").json()
    assert [i["id"] for i in mine["results"]] == [item.pk]
    assert api_for(world.staff_a).get("/api/v1/action-items/?mine=1").json()["count"] == 0
    today = timezone.localdate()
    ActionItem.objects.filter(pk=item.pk).update(
        starts_on=today - timedelta(days=5), deadline=today - timedelta(days=1)
    )
    overdue = api_for(world.staff_a).get("/api/v1/action-items/?overdue=true").json()
    assert [i["id"] for i in overdue["results"]] == [item.pk]


def test_progress_report(world, api_for, published):
    item = published.items.get()
    client = api_for(world.org_contact)
    url = f"/api/v1/action-items/{item.pk}/progress/"
    response = client.post(
        url, {"text": "已订购路灯", "percent": 30, "expected_version": item.version}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["percent"] == 30 and data["status"] == "in_progress"
    assert [u["text"] for u in data["updates"]] == ["已订购路灯"]
    item.refresh_from_db()
    assert item.percent == 30 and item.status == ActionItem.Status.IN_PROGRESS
    done = client.post(
        url,
        {
            "text": "路灯已装好",
            "percent": 80,
            "request_check": True,
            "expected_version": item.version,
        },
        format="json",
    )
    assert done.status_code == 201
    item.refresh_from_db()
    assert item.status == ActionItem.Status.AWAITING_CHECK and item.percent == 100


def test_progress_validation(world, api_for, published):
    item = published.items.get()
    client = api_for(world.staff_a)
    url = f"/api/v1/action-items/{item.pk}/progress/"
    version = item.version
    blank = client.post(
        url, {"text": "  ", "percent": 10, "expected_version": version}, format="json"
    )
    assert blank.status_code == 400 and "text" in blank.json()
    too_much = client.post(
        url, {"text": "x", "percent": 150, "expected_version": version}, format="json"
    )
    assert too_much.status_code == 400 and "percent" in too_much.json()
    missing = client.post(url, {"text": "x", "percent": 10}, format="json")
    assert missing.status_code == 400 and "expected_version" in missing.json()
    ok = client.post(
        url, {"text": "开工", "percent": 40, "expected_version": version}, format="json"
    )
    assert ok.status_code == 201
    back = client.post(
        url, {"text": "返工", "percent": 20, "expected_version": version + 1}, format="json"
    )
    assert back.status_code == 400 and "percent" in back.json()
    stale = client.post(
        url, {"text": "再报", "percent": 60, "expected_version": version}, format="json"
    )
    assert stale.status_code == 409
    item.refresh_from_db()
    assert item.percent == 40 and item.updates.count() == 1


# Query counts -----------------------------------------------------------------------------------


def _assert_constant(client, url, add, total=100):
    add(10)
    ten, n = _count(client, url)
    assert n >= 10
    add(total - 10)
    hundred, n = _count(client, url)
    assert n >= total
    assert hundred == ten


def test_meetings_list_queries(world, api_for, make_meeting):
    def add(n):
        for _ in range(n):
            meeting = make_meeting()
            participant_add(
                actor=world.staff_a,
                meeting=meeting,
                role=ParticipantRole.RESIDENT,
                resident=world.resident_a,
            )

    _assert_constant(api_for(world.staff_a), "/api/v1/meetings/", add)


def test_resolutions_list_queries(world, api_for):
    issue = factories.issue(world)

    def add(n):
        for _ in range(n):
            factories.resolution(world, the_issue=issue, status="adopted")

    _assert_constant(api_for(world.staff_a), "/api/v1/resolutions/", add, total=60)


def test_action_items_list_queries(world, api_for):
    def add(n):
        factories.resolution(
            world,
            status="adopted",
            items=[factories.item_fields(world, measure=f"措施{i}") for i in range(n)],
        )

    _assert_constant(api_for(world.org_contact), "/api/v1/action-items/", add)


def test_communities_list_queries(world, api_for):
    def add(n):
        for _ in range(n):
            Community.objects.create(
                street=world.street, name=f"社区{next(_codes)}", area_code=f"3301{next(_codes):08d}"
            )

    _assert_constant(api_for(world.street_admin), "/api/v1/communities/", add)


def test_grids_list_queries(world, api_for):
    def add(n):
        for _ in range(n):
            grid = Grid.objects.create(
                community=world.community_a,
                name=f"网格{next(_codes)}",
                code=f"3301{next(_codes):012d}",
            )
            grid.compounds.add(world.compound_a1)

    _assert_constant(api_for(world.staff_a), "/api/v1/grids/", add)


# Issues: merge and the work queue's filters --------------------------------------------------------


def test_merge(world, api_for, make_issue):
    keeper = make_issue(title="路灯坏了")
    duplicate = make_issue(title="路灯不亮")
    other = make_issue(community=world.community_b, actor=world.staff_b)
    client = api_for(world.staff_a)
    url = f"/api/v1/issues/{duplicate.pk}/transition/"
    body = {"action": "merge", "expected_version": duplicate.version}
    missing = client.post(url, body, format="json")
    assert missing.status_code == 400 and "into" in missing.json()
    unseen = client.post(url, {**body, "into": other.pk}, format="json")
    assert unseen.status_code == 400 and "into" in unseen.json()
    itself = client.post(url, {**body, "into": duplicate.pk}, format="json")
    assert itself.status_code == 400 and "into" in itself.json()
    stale = client.post(url, {**body, "into": keeper.pk, "expected_version": 9}, format="json")
    assert stale.status_code == 409
    merged = client.post(url, {**body, "into": keeper.pk, "note": "同一盏灯"}, format="json")
    assert merged.status_code == 200, merged.content
    assert merged.json()["status"] == Status.MERGED
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == keeper.pk
    # A grid worker may not merge.
    third = make_issue(compound=world.compound_a1)
    response = api_for(world.worker_a1).post(
        f"/api/v1/issues/{third.pk}/transition/",
        {"action": "merge", "into": keeper.pk, "expected_version": third.version},
        format="json",
    )
    assert response.status_code == 403


def test_work_queue_filters(world, api_for, make_issue):
    a1 = make_issue(compound=world.compound_a1, title="一号院")
    a2 = make_issue(compound=world.compound_a2, title="二号院", place_text="东门岗亭")
    Issue.objects.filter(pk=a2.pk).update(assignee=world.worker_a1, hotline_ticket="GD2026001")
    client = api_for(world.staff_a)

    def ids(query):
        response = client.get(f"/api/v1/issues/?{query}")
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["results"]]

    assert ids(f"compound={world.compound_a1.pk}") == [a1.pk]
    assert ids(f"grid={world.grid_a1.pk}") == [a1.pk]
    assert ids(f"assignee={world.worker_a1.pk}") == [a2.pk]
    assert ids("q=GD2026001") == [a2.pk]
    assert ids("q=岗亭") == [a2.pk]
    assert ids("sort=reported_at") == [a1.pk, a2.pk]
    assert ids("sort=-reported_at") == [a2.pk, a1.pk]
    assert client.get("/api/v1/issues/?sort=title").status_code == 400
    assert client.get("/api/v1/issues/?q=%00").status_code == 400
    assert client.get("/api/v1/meetings/?status=%00").status_code == 400
