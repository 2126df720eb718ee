"""Where issues are: the phone's position stored with its accuracy, else the building's or
the compound's; distances measured with a bounding box in SQL and haversine after it; open
issues of the same category nearby offered as duplicates at intake."""

import math
from decimal import Decimal

import pytest
from django.urls import reverse

from communities.models import Building
from issues.models import Category, Issue, PositionSource
from issues.selectors import duplicates_nearby, issues_near, with_position
from issues.services import (
    finding_record,
    finding_to_issue,
    patrol_start,
    visit_record,
)
from lib import geo
from lib.errors import DomainError

pytestmark = pytest.mark.django_db

HERE = (38.45602, 106.23301)


def metres_east(lat, lng, metres):
    """A point `metres` east of (lat, lng)."""
    return lat, lng + math.degrees(metres / (geo.EARTH_RADIUS_M * math.cos(math.radians(lat))))


def place(record, lat, lng):
    record.latitude, record.longitude = Decimal(str(round(lat, 6))), Decimal(str(round(lng, 6)))
    record.save()
    return record


def test_the_phone_position_is_stored_rounded_with_its_accuracy(make_issue):
    issue = make_issue(
        latitude=38.456019876,
        longitude=106.233012345,
        position_accuracy=12.4,
        position_source=PositionSource.DEVICE,
    )
    issue.refresh_from_db()
    assert (issue.latitude, issue.longitude) == (Decimal("38.456020"), Decimal("106.233012"))
    assert issue.position_accuracy == 12 and issue.position_source == "device"


@pytest.mark.parametrize(
    ("position", "message"),
    [
        ({"latitude": 38.4}, "同时给出"),
        ({"latitude": 98, "longitude": 106}, "地球"),
        ({"latitude": "NaN", "longitude": 106}, "地球"),
        ({"latitude": 38.4, "longitude": 106.2, "position_accuracy": 9000}, "误差太大"),
        ({"latitude": 38.4, "longitude": 106.2, "position_accuracy": -1}, "误差太大"),
        ({"latitude": 38.4, "longitude": 106.2, "position_source": "guess"}, "来源"),
    ],
)
def test_a_bad_position_is_refused_and_nothing_is_stored(make_issue, position, message):
    fields = {"position_source": PositionSource.DEVICE, **position}
    with pytest.raises(DomainError) as error:
        make_issue(**fields)
    assert message in str(error.value.message)
    assert not Issue.objects.exists()


def test_an_issue_without_its_own_position_is_where_its_building_or_compound_is(world, make_issue):
    place(world.compound_a1, *HERE)
    building = place(world.compound_a1.buildings.get(), 38.4562, 106.2331)
    on_compound = make_issue()
    on_building = make_issue(building=building)
    own = make_issue(
        building=building, latitude=38.5, longitude=106.3, position_source=PositionSource.DEVICE
    )
    nowhere = make_issue(compound=world.compound_a2)
    rows = {i.pk: (i.at_latitude, i.at_longitude) for i in with_position(Issue.objects.all())}
    assert rows[on_compound.pk] == (Decimal("38.456020"), Decimal("106.233010"))
    assert rows[on_building.pk] == (Decimal("38.456200"), Decimal("106.233100"))
    assert rows[own.pk] == (Decimal("38.500000"), Decimal("106.300000"))
    assert rows[nowhere.pk] == (None, None)


def test_distance_keeps_what_is_inside_the_circle_not_the_corners_of_the_box(make_issue):
    lat, lng = HERE
    near = make_issue(
        title="近", **_at(*metres_east(lat, lng, 90)), position_source=PositionSource.DEVICE
    )
    make_issue(
        title="远", **_at(*metres_east(lat, lng, 160)), position_source=PositionSource.DEVICE
    )
    # In a corner of the 100 m box: 100 m north and 100 m east is 141 m away.
    north_east = (lat + math.degrees(100 / geo.EARTH_RADIUS_M), metres_east(lat, lng, 100)[1])
    make_issue(title="角", **_at(*north_east), position_source=PositionSource.DEVICE)
    found = issues_near(Issue.objects.all(), latitude=lat, longitude=lng, radius_m=100)
    assert [(issue.pk, round(metres)) for issue, metres in found] == [(near.pk, 90)]


def _at(lat, lng):
    return {"latitude": lat, "longitude": lng}


def test_duplicates_nearby_are_open_of_the_same_category_and_visible(world, make_issue, category):
    lat, lng = HERE
    other_category = Category.objects.exclude(pk=category.pk).first()
    position = {"position_source": PositionSource.DEVICE}
    same = make_issue(title="同类", **_at(*metres_east(lat, lng, 40)), **position)
    make_issue(title="别类", category=other_category, **_at(*metres_east(lat, lng, 20)), **position)
    far = make_issue(title="远处", **_at(*metres_east(lat, lng, 400)), **position)
    closed = make_issue(title="已办结", **_at(*metres_east(lat, lng, 10)), **position)
    Issue.objects.filter(pk=closed.pk).update(status="closed")
    from access.issues import issues_visible_to

    found = duplicates_nearby(
        issues=issues_visible_to(world.staff_a),
        community=world.community_a,
        category=category,
        latitude=lat,
        longitude=lng,
    )
    assert [issue.pk for issue, _metres in found] == [same.pk]
    # The radius is a setting.
    wide = duplicates_nearby(
        issues=Issue.objects.all(),
        community=world.community_a,
        category=category,
        latitude=lat,
        longitude=lng,
        radius_m=500,
    )
    assert [issue.pk for issue, _m in wide] == [same.pk, far.pk]
    # Staff of another community see none of them.
    assert (
        duplicates_nearby(
            issues=issues_visible_to(world.staff_b),
            community=world.community_a,
            category=category,
            latitude=lat,
            longitude=lng,
        )
        == []
    )


def test_the_intake_offers_issues_nearby_beside_those_that_read_alike(
    client, world, make_issue, category, settings
):
    settings.YISHI = {**settings.YISHI, "DUPLICATE_RADIUS_METRES": 120}
    place(world.compound_a1, *HERE)
    building = place(world.compound_a1.buildings.get(), *metres_east(*HERE, 60))
    nearby = make_issue(title="垃圾桶满溢", building=building)
    client.force_login(world.staff_a)
    url = reverse("issues:duplicates")
    # Nothing in the words alike, but the same category within 120 m of the compound.
    body = client.get(
        url, {"title": "电动车", "compound": world.compound_a1.pk, "category": category.pk}
    ).content.decode()
    assert f"#{nearby.pk} 垃圾桶满溢" in body and "120 米内同类未办结议题" in body
    assert "相距 60 米" in body
    # The phone's position, when the form holds one, is where the new issue is.
    far = metres_east(*HERE, 900)
    body = client.get(
        url,
        {"title": "电动车", "category": category.pk, "latitude": far[0], "longitude": far[1]},
    ).content.decode()
    assert "垃圾桶满溢" not in body
    # An issue found by its words is listed once.
    body = client.get(
        url, {"title": "垃圾桶满溢", "compound": world.compound_a1.pk, "category": category.pk}
    ).content.decode()
    assert body.count(f"#{nearby.pk} 垃圾桶满溢") == 1


def test_intake_stores_the_phone_position(client, world, category):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("issues:create"),
        {
            "channel": "walk_in",
            "category": category.pk,
            "urgency": "normal",
            "title": "井盖松动",
            "description": "北门井盖松动，夜里有人绊倒。",
            "compound": world.compound_a1.pk,
            "latitude": "38.4561012",
            "longitude": "106.2331555",
            "position_accuracy": "9.6",
            "parties-TOTAL_FORMS": "0",
            "parties-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = Issue.objects.get()
    assert (issue.latitude, issue.longitude) == (Decimal("38.456101"), Decimal("106.233156"))
    assert issue.position_accuracy == 10 and issue.position_source == "device"
    page = client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
    assert "手机定位，误差约 10 米" in page


def test_a_resident_report_and_a_visit_take_the_phone_position(client, world, category):
    client.force_login(world.resident_user_a)
    response = client.post(
        reverse("issues:create"),
        {
            "category": category.pk,
            "title": "路灯坏了",
            "description": "单元门口路灯不亮",
            "latitude": "38.45",
            "longitude": "106.23",
            "position_accuracy": "20",
        },
    )
    assert response.status_code == 302
    assert Issue.objects.get().position_source == "device"
    client.force_login(world.worker_a1)
    client.post(
        reverse("issues:visit_create", args=[world.household_a1.pk]),
        {
            "household": world.household_a1.pk,
            "visited_at": "2020-01-01T10:00",
            "findings": "老人身体尚好",
            "latitude": "38.451",
            "longitude": "106.231",
            "position_accuracy": "7",
        },
    )
    visit = world.household_a1.visits.get()
    assert (visit.latitude, visit.position_accuracy) == (Decimal("38.451000"), 7)


def test_an_issue_from_a_finding_keeps_where_the_phone_was(world, category):
    patrol = patrol_start(actor=world.worker_a1, grid=world.grid_a1)
    finding = finding_record(
        actor=world.worker_a1,
        patrol=patrol,
        text="消防通道停车",
        latitude=38.4561,
        longitude=106.2332,
        position_accuracy=6,
    )
    issue = finding_to_issue(actor=world.worker_a1, finding=finding, category=category)
    assert (issue.latitude, issue.position_accuracy, issue.position_source) == (
        Decimal("38.456100"),
        6,
        "device",
    )


def test_a_visit_with_a_need_gives_its_issue_the_visit_position(world):
    visit = visit_record(
        actor=world.worker_a1,
        household=world.household_a1,
        findings="老人需要送药上门",
        need_found=True,
        latitude=38.452,
        longitude=106.232,
        position_accuracy=15,
    )
    assert visit.issue.latitude == Decimal("38.452000")
    assert visit.issue.position_source == "device"


def test_a_building_on_the_map_is_saved_in_wgs84(client, world, settings):
    settings.MAP_TILE_URL = "https://tiles.example.test/{z}/{x}/{y}.png"
    settings.MAP_TILE_DATUM = "gcj02"
    building = world.compound_a1.buildings.get()
    client.force_login(world.staff_a)
    g_lat, g_lng = geo.wgs84_to_gcj02(*HERE)
    url = reverse("communities:building_edit", args=[world.community_a.pk, building.pk])
    response = client.post(
        url,
        {
            "compound": world.compound_a1.pk,
            "name": building.name,
            "latitude": f"{g_lat:.6f}",
            "longitude": f"{g_lng:.6f}",
        },
    )
    assert response.status_code == 302
    building = Building.objects.get(pk=building.pk)
    assert geo.haversine_m(building.latitude, building.longitude, *HERE) < 0.2
    # The form shows it back as the map draws it, and the page lets the tiles in.
    response = client.get(url)
    assert f'value="{g_lat:.6f}"' in response.content.decode()
    assert "https://tiles.example.test" in response["Content-Security-Policy"]
