"""The maps: markers only for issues the viewer may open (a dispute only for those who may
see it), filtered as the work queue is, in a constant number of queries; the grid map with
a patrol's route and findings; the datum of the tile provider."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from issues.models import Issue, PositionSource
from issues.services import finding_record, patrol_end, patrol_start, track_record
from lib import geo

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(world):
    """Both compounds of community A and the one of B on the map."""
    for compound, (lat, lng) in (
        (world.compound_a1, (38.45602, 106.23301)),
        (world.compound_a2, (38.45602, 106.23801)),
        (world.compound_b1, (38.46602, 106.23301)),
    ):
        compound.latitude, compound.longitude = Decimal(str(lat)), Decimal(str(lng))
        compound.save()
    return world


def geojson(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("issues:map_issues") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return {f["properties"]["title"]: f for f in response.json()["features"]}


def test_markers_are_the_issues_each_viewer_may_open(client, placed, make_issue):
    world = placed
    make_issue(title="一区下水道", compound=world.compound_a1)
    make_issue(title="一区纠纷", compound=world.compound_a1, kind="dispute")
    make_issue(title="二区纠纷", compound=world.compound_a2, kind="dispute")
    make_issue(title="乙社区路灯", community=world.community_b, compound=world.compound_b1)
    assert set(geojson(client, world.staff_a)) == {"一区下水道", "一区纠纷", "二区纠纷"}
    # A grid worker sees the disputes of their own grid only.
    assert set(geojson(client, world.worker_a1)) == {"一区下水道", "一区纠纷"}
    assert set(geojson(client, world.worker_a2)) == {"一区下水道", "二区纠纷"}
    # A street admin oversees the street, never its private disputes.
    assert set(geojson(client, world.street_admin)) == {"一区下水道", "乙社区路灯"}
    assert set(geojson(client, world.staff_b)) == {"乙社区路灯"}
    for outsider in (world.resident_user_a, world.org_contact):
        client.force_login(outsider)
        assert client.get(reverse("issues:map_issues")).status_code == 403
        assert client.get(reverse("issues:map")).status_code == 403


def test_a_marker_links_its_issue_where_it_stands(client, placed, make_issue):
    world = placed
    issue = make_issue(
        title="井盖松动",
        urgency="very_urgent",
        latitude=38.4561,
        longitude=106.2332,
        position_accuracy=8,
        position_source=PositionSource.DEVICE,
    )
    feature = geojson(client, world.staff_a)["井盖松动"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [106.2332, 38.4561]}
    props = feature["properties"]
    assert props["url"] == reverse("issues:detail", args=[issue.pk])
    assert (props["kind"], props["issue_kind"], props["urgency"]) == (
        "issue",
        "public",
        "very_urgent",
    )
    assert props["labels"]["urgency"] == "特急" and props["own_position"] is True


def test_the_map_filters_as_the_queue_does_and_shows_open_issues(client, placed, make_issue):
    world = placed
    make_issue(title="一区下水道", compound=world.compound_a1, urgency="urgent")
    make_issue(title="二区下水道", compound=world.compound_a2)
    closed = make_issue(title="已办结", compound=world.compound_a1)
    Issue.objects.filter(pk=closed.pk).update(status="closed")
    assert set(geojson(client, world.staff_a)) == {"一区下水道", "二区下水道"}
    assert set(geojson(client, world.staff_a, "?urgency=urgent")) == {"一区下水道"}
    assert set(geojson(client, world.staff_a, f"?compound={world.compound_a2.pk}")) == {
        "二区下水道"
    }
    assert set(geojson(client, world.staff_a, "?status=closed")) == {"已办结"}
    page = client.get(reverse("issues:map") + "?urgency=urgent").content.decode()
    assert "一区下水道" in page and "二区下水道" not in page
    # The markers' layer asks for the same filters.
    assert "issues.geojson?urgency=urgent" in page


def test_an_issue_without_any_position_is_listed_not_drawn(client, placed, make_issue):
    world = placed
    make_issue(title="无处可放", compound=None)
    assert "无处可放" not in geojson(client, world.staff_a)
    page = client.get(reverse("issues:map")).content.decode()
    assert "无处可放" in page and "1 个议题没有位置" in page


def test_a_gcj02_map_gets_its_markers_in_gcj02(client, placed, make_issue, settings):
    settings.MAP_TILE_URL = "https://tiles.example.test/{z}/{x}/{y}.png"
    settings.MAP_TILE_DATUM = "gcj02"
    make_issue(title="一区下水道", compound=placed.compound_a1)
    lng, lat = geojson(client, placed.staff_a)["一区下水道"]["geometry"]["coordinates"]
    expected = geo.wgs84_to_gcj02(38.45602, 106.23301)
    assert (lat, lng) == (
        pytest.approx(expected[0], abs=1e-6),
        pytest.approx(expected[1], abs=1e-6),
    )
    response = client.get(reverse("issues:map"))
    assert (
        "img-src 'self' data: blob: https://tiles.example.test"
        in response["Content-Security-Policy"]
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["issues:map", "issues:map_issues"])
def test_the_map_and_its_markers_take_the_same_queries_for_10_or_100_issues(
    client, placed, make_issue, url_name
):
    world = placed
    client.force_login(world.staff_a)
    url = reverse(url_name)
    building = world.compound_a1.buildings.get()
    for n in range(10):
        make_issue(title=f"议题{n}", building=building if n % 2 else None)
    ten = _count(client, url)
    for n in range(90):
        make_issue(
            title=f"议题{n}", compound=world.compound_a2, kind="dispute" if n % 3 else "public"
        )
    assert _count(client, url) == ten


def test_the_places_under_the_markers_are_the_viewers_communities(client, placed):
    world = placed
    world.compound_a1.outline = {
        "type": "Polygon",
        "coordinates": [
            [[106.232, 38.455], [106.234, 38.455], [106.234, 38.457], [106.232, 38.455]]
        ],
    }
    world.compound_a1.save()
    building = world.compound_a1.buildings.get()
    building.latitude, building.longitude = Decimal("38.4561"), Decimal("106.2331")
    building.save()
    client.force_login(world.staff_a)
    url = reverse("communities:map_places")
    features = client.get(url).json()["features"]
    kinds = sorted((f["properties"]["kind"], f["properties"]["name"]) for f in features)
    assert kinds == [
        ("building", "1号楼"),
        ("compound", "甲一小区"),
        ("compound", "甲二小区"),
        ("compound_outline", "甲一小区"),
    ]
    # One grid's places only; another community's are not there for staff of A.
    features = client.get(url, {"grid": world.grid_a2.pk}).json()["features"]
    assert [f["properties"]["name"] for f in features] == ["甲二小区"]
    assert client.get(url, {"community": world.community_b.pk}).status_code == 404
    assert client.get(url, {"grid": world.grid_b1.pk}).status_code == 404


def test_meeting_places_with_a_position_are_on_the_map_of_their_community(client, placed):
    from communities.models import Venue

    world = placed
    Venue.objects.create(
        community=world.community_a,
        compound=world.compound_a1,
        name="甲一议事亭",
        kind=Venue.Kind.PAVILION,
        capacity=20,
        latitude=Decimal("38.4562"),
        longitude=Decimal("106.2332"),
    )
    Venue.objects.create(community=world.community_a, name="未标位置的议事室")
    Venue.objects.create(
        community=world.community_b,
        name="乙社区议事室",
        latitude=Decimal("38.4662"),
        longitude=Decimal("106.2332"),
    )
    client.force_login(world.staff_a)
    url = reverse("communities:map_places")
    venues = [f for f in client.get(url).json()["features"] if f["properties"]["kind"] == "venue"]
    assert [(v["properties"]["name"], v["properties"]["venue_kind"]) for v in venues] == [
        ("甲一议事亭", "议事亭")
    ]
    assert venues[0]["geometry"]["coordinates"] == [106.2332, 38.4562]
    # A grid's map shows the places in its compounds only.
    in_grid = client.get(url, {"grid": world.grid_a2.pk}).json()["features"]
    assert "甲一议事亭" not in [f["properties"]["name"] for f in in_grid]


def test_the_places_take_the_same_queries_for_10_or_100_compounds(client, placed):
    from communities.tests.factories import BuildingFactory, CompoundFactory

    world = placed
    client.force_login(world.staff_a)
    url = reverse("communities:map_places")

    def add(n):
        for _ in range(n):
            compound = CompoundFactory(
                community=world.community_a, latitude=Decimal("38.45"), longitude=Decimal("106.23")
            )
            BuildingFactory(
                compound=compound, latitude=Decimal("38.45"), longitude=Decimal("106.23")
            )

    add(10)
    ten = _count(client, url)
    add(90)
    assert len(client.get(url).json()["features"]) > 200
    assert _count(client, url) == ten


def walked(world, *, findings=3):
    """A patrol of grid A1 that recorded its route and findings, ended."""
    started = timezone.now() - timedelta(hours=1)
    patrol = patrol_start(
        actor=world.worker_a1, grid=world.grid_a1, started_at=started, client_id=uuid.uuid4()
    )
    track_record(
        actor=world.worker_a1,
        patrol=patrol,
        points=[
            {
                "recorded_at": started + timedelta(minutes=n),
                "latitude": 38.4556 + n / 10000,
                "longitude": 106.2311,
                "accuracy": 8,
            }
            for n in (3, 1, 2)
        ],
    )
    for n in range(findings):
        finding_record(
            actor=world.worker_a1,
            patrol=patrol,
            text=f"发现{n}",
            compound=world.compound_a1,
            latitude=38.4557 if n else None,
            longitude=106.2312 if n else None,
            found_at=started + timedelta(minutes=10 + n),
        )
    return patrol_end(actor=world.worker_a1, patrol=patrol)


def test_the_patrol_route_runs_in_time_order_with_its_findings(client, placed):
    patrol = walked(placed)
    client.force_login(placed.worker_a1)
    features = client.get(reverse("issues:patrol_geojson", args=[patrol.pk])).json()["features"]
    route = next(f for f in features if f["properties"]["kind"] == "route")
    assert [point[1] for point in route["geometry"]["coordinates"]] == [38.4557, 38.4558, 38.4559]
    ends = [
        f["properties"]["kind"] for f in features if f["properties"]["kind"].startswith("route_")
    ]
    assert ends == ["route_start", "route_end"]
    found = [f for f in features if f["properties"]["kind"] == "finding"]
    assert [f["properties"]["number"] for f in found] == [1, 2, 3]
    # A finding without its own position stands where its compound is.
    assert found[0]["geometry"]["coordinates"] == [106.23301, 38.45602]
    assert found[1]["geometry"]["coordinates"] == [106.2312, 38.4557]
    client.force_login(placed.worker_a2)
    assert client.get(reverse("issues:patrol_geojson", args=[patrol.pk])).status_code == 404


def test_the_grid_map_shows_the_latest_patrol_or_the_one_chosen(client, placed, make_issue):
    world = placed
    older = walked(world, findings=1)
    latest = walked(world, findings=2)
    make_issue(title="一区下水道", compound=world.compound_a1)
    client.force_login(world.worker_a1)
    url = reverse("issues:grid_map", args=[world.grid_a1.pk])
    page = client.get(url).content.decode()
    assert reverse("issues:patrol_geojson", args=[latest.pk]) in page
    assert "发现1" in page and "一区下水道" in page
    assert "手机记录了 3 个路线点" in page
    page = client.get(url, {"patrol": older.pk}).content.decode()
    assert reverse("issues:patrol_geojson", args=[older.pk]) in page
    # Staff of the community read it too; the worker of another grid of the community sees
    # the places and the issues open to them, not the grid's patrols or its disputes.
    make_issue(title="一区纠纷", compound=world.compound_a1, kind="dispute")
    client.force_login(world.staff_a)
    page = client.get(url).content.decode()
    assert "一区纠纷" in page and "发现1" in page
    client.force_login(world.worker_a2)
    page = client.get(url).content.decode()
    assert "一区下水道" in page
    assert "一区纠纷" not in page and "发现1" not in page
    assert reverse("issues:patrol_geojson", args=[latest.pk]) not in page
    client.force_login(world.staff_b)
    assert client.get(url).status_code == 404


def test_the_grid_map_takes_the_same_queries_for_10_or_100_findings(client, placed, make_issue):
    world = placed
    client.force_login(world.worker_a1)
    url = reverse("issues:grid_map", args=[world.grid_a1.pk])
    patrol = walked(world, findings=10)
    for n in range(10):
        make_issue(title=f"议题{n}", compound=world.compound_a1)
    ten = _count(client, url)
    patrol.findings.all().delete()
    walked(world, findings=100)
    for n in range(90):
        make_issue(title=f"议题{n}", compound=world.compound_a1)
    assert _count(client, url) == ten


def test_a_patrols_route_and_findings_take_the_same_queries_for_10_or_100(client, placed):
    world = placed
    client.force_login(world.worker_a1)
    small = walked(world, findings=10)
    ten = _count(client, reverse("issues:patrol_geojson", args=[small.pk]))
    large = walked(world, findings=100)
    track_record(
        actor=world.worker_a1,
        patrol=large,
        points=[
            {
                "recorded_at": large.started_at + timedelta(seconds=5 * n),
                "latitude": 38.4556,
                "longitude": 106.2311 + n / 100000,
            }
            for n in range(100)
        ],
    )
    assert _count(client, reverse("issues:patrol_geojson", args=[large.pk])) == ten
