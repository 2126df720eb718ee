from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from issues.models import Issue

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responded",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}


@pytest.fixture
def key(world):
    return lambda user: Token.objects.get_or_create(user=user)[0].key


def test_services_json_and_xml(client, world, category, key):
    k = key(world.staff_a)
    data = client.get(f"/api/open311/v2/services.json?api_key={k}").json()
    assert set(data[0]) == SERVICE_FIELDS
    assert data[0]["service_code"] == "sanitation"
    response = client.get(f"/api/open311/v2/services.xml?api_key={k}")
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "services"
    service = root.find("service")
    assert {child.tag for child in service} == SERVICE_FIELDS
    assert service.findtext("metadata") == "false"


def test_service_definition(client, world, category, key):
    k = key(world.staff_a)
    data = client.get(f"/api/open311/v2/services/sanitation.json?api_key={k}").json()
    assert data == {"service_code": "sanitation", "attributes": []}
    root = ET.fromstring(client.get(f"/api/open311/v2/services/sanitation.xml?api_key={k}").content)
    assert root.tag == "service_definition" and root.findtext("service_code") == "sanitation"
    missing = client.get(f"/api/open311/v2/services/nope.json?api_key={k}")
    assert missing.status_code == 404
    assert set(missing.json()[0]) == {"code", "description"}


def test_reading_needs_no_key_but_a_bad_key_and_posting_without_one_get_401(
    client, world, category
):
    for url in ("/api/open311/v2/services.json", "/api/open311/v2/requests.json"):
        assert client.get(url).status_code == 200
    response = client.get("/api/open311/v2/requests.xml?api_key=wrong")
    assert response.status_code == 401
    assert ET.fromstring(response.content).find("error/code").text == "401"
    response = client.post("/api/open311/v2/requests.json", {"service_code": "sanitation"})
    assert response.status_code == 401
    assert response.json()[0]["code"] == 401


def test_post_request_matches_address_and_reads_back(client, world, category, key):
    k = key(world.staff_a)
    response = client.post(
        "/api/open311/v2/requests.json",
        {
            "api_key": k,
            "service_code": "sanitation",
            "description": "甲一小区门口垃圾堆积",
            "address_string": "某市某路甲一小区东门",
            "phone": "13900000000",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()[0]
    assert set(body) == {"service_request_id", "service_notice", "account_id"}
    issue = Issue.objects.get(pk=body["service_request_id"])
    assert issue.community == world.community_a and issue.compound == world.compound_a1
    assert issue.grid == world.grid_a1
    read = client.get(f"/api/open311/v2/requests/{issue.pk}.json?api_key={k}").json()
    assert set(read[0]) == REQUEST_FIELDS
    assert read[0]["status"] == "open" and read[0]["service_code"] == "sanitation"
    root = ET.fromstring(client.get(f"/api/open311/v2/requests/{issue.pk}.xml?api_key={k}").content)
    assert root.tag == "service_requests"
    assert {child.tag for child in root.find("request")} == REQUEST_FIELDS
    listed = client.get(f"/api/open311/v2/requests.json?api_key={k}&status=open").json()
    assert [r["service_request_id"] for r in listed] == [str(issue.pk)]
    assert client.get(f"/api/open311/v2/requests.json?api_key={k}&status=closed").json() == []


def test_post_xml_and_errors(client, world, category, key):
    k = key(world.staff_a)
    response = client.post(
        "/api/open311/v2/requests.xml",
        {
            "api_key": k,
            "service_code": "sanitation",
            "description": "x",
            "address_id": world.compound_a2.pk,
        },
    )
    assert response.status_code == 201
    assert ET.fromstring(response.content).find("request/service_request_id").text
    bad = client.post("/api/open311/v2/requests.json", {"api_key": k, "service_code": "nope"})
    assert bad.status_code == 400 and bad.json()[0]["code"] == 400
    nowhere = client.post(
        "/api/open311/v2/requests.json",
        {"api_key": k, "service_code": "sanitation", "description": "x", "address_string": "火星"},
    )
    # staff_a has one community: the request lands there.
    assert nowhere.status_code == 201


def test_jurisdiction(client, world, category, key):
    k = key(world.staff_a)
    url = "/api/open311/v2/services.json?api_key={}&jurisdiction_id={}"
    assert client.get(url.format(k, world.community_a.area_code)).status_code == 200
    assert client.get(url.format(k, world.community_b.area_code)).status_code == 404
    response = client.post(
        "/api/open311/v2/requests.json",
        {
            "api_key": key(world.street_admin),
            "service_code": "sanitation",
            "description": "x",
            "address_string": "某路",
            "jurisdiction_id": world.community_b.area_code,
        },
    )
    assert response.status_code == 201
    issue = Issue.objects.get(pk=response.json()[0]["service_request_id"])
    assert issue.community == world.community_b


def test_another_community_reads_a_public_request_as_the_public_does(
    client, world, make_issue, key
):
    issue = make_issue(kind="public")
    dispute = make_issue(kind="dispute", title="楼上漏水纠纷")
    for user in (world.staff_b, world.resident_user_b):
        public = client.get(f"/api/open311/v2/requests/{issue.pk}.json?api_key={key(user)}")
        assert public.status_code == 200
        # What the reporter wrote is for those who may open the issue.
        assert public.json()[0]["description"] == issue.title
        private = client.get(f"/api/open311/v2/requests/{dispute.pk}.json?api_key={key(user)}")
        assert private.status_code == 404
    listed = client.get(f"/api/open311/v2/requests.json?api_key={key(world.staff_b)}").json()
    assert [r["service_request_id"] for r in listed] == [str(issue.pk)]
    mine = client.get(f"/api/open311/v2/requests/{issue.pk}.json?api_key={key(world.staff_a)}")
    assert mine.json()[0]["description"] == issue.description


def test_discovery(client):
    assert client.get("/api/open311/discovery.json").json()["endpoints"][0]["formats"]
    assert ET.fromstring(client.get("/api/open311/discovery.xml").content).tag == "discovery"


def test_date_filters(client, world, make_issue, key):
    make_issue()
    k = key(world.staff_a)
    url = "/api/open311/v2/requests.json?api_key={}&start_date={}"
    assert len(client.get(url.format(k, "2000-01-01")).json()) == 1
    assert client.get(url.format(k, "2999-01-01T00:00:00Z")).json() == []
    bad = client.get(url.format(k, "yesterday"))
    assert bad.status_code == 400 and bad.json()[0]["code"] == 400


# Positions and public reading (GeoReport v2: lat/long both ways, reading without a key).


def test_anonymous_reads_services_and_public_requests_never_disputes_or_needs(
    client, world, make_issue
):
    public = make_issue(kind="public", title="路灯不亮")
    make_issue(kind="dispute", title="楼上漏水纠纷")
    make_issue(kind="special_need", title="独居老人需要送药")
    services = client.get("/api/open311/v2/services.json").json()
    assert "sanitation" in [s["service_code"] for s in services]
    assert client.get("/api/open311/v2/services/sanitation.json").status_code == 200
    listed = client.get("/api/open311/v2/requests.json").json()
    assert [r["service_request_id"] for r in listed] == [str(public.pk)]
    assert listed[0]["description"] == "路灯不亮"
    assert "楼道里堆了很多杂物" not in client.get("/api/open311/v2/requests.json").content.decode()
    root = ET.fromstring(client.get("/api/open311/v2/requests.xml").content)
    assert [r.findtext("service_request_id") for r in root] == [str(public.pk)]
    for issue in Issue.objects.exclude(pk=public.pk):
        assert client.get(f"/api/open311/v2/requests/{issue.pk}.json").status_code == 404
    # A jurisdiction is any community to the public.
    url = f"/api/open311/v2/requests.json?jurisdiction_id={world.community_b.area_code}"
    assert client.get(url).json() == []


def test_posted_lat_long_are_stored_and_read_back(client, world, category, key):
    world.compound_a1.latitude, world.compound_a1.longitude = 38.45602, 106.23301
    world.compound_a1.save()
    k = key(world.staff_a)
    response = client.post(
        "/api/open311/v2/requests.json",
        {
            "api_key": k,
            "service_code": "sanitation",
            "description": "垃圾桶满溢",
            "lat": "38.456101",
            "long": "106.233155",
        },
    )
    assert response.status_code == 201, response.content
    issue = Issue.objects.get(pk=response.json()[0]["service_request_id"])
    assert (issue.latitude, issue.longitude) == (Decimal("38.456101"), Decimal("106.233155"))
    assert issue.position_source == "api"
    # The compound the point falls near is found, with its community and grid.
    assert issue.compound == world.compound_a1 and issue.grid == world.grid_a1
    read = client.get(f"/api/open311/v2/requests/{issue.pk}.json").json()[0]
    assert (read["lat"], read["long"]) == (38.456101, 106.233155)
    root = ET.fromstring(client.get(f"/api/open311/v2/requests/{issue.pk}.xml").content)
    assert root.findtext("request/lat") == "38.456101"


def test_a_request_without_its_own_position_reads_its_compounds(client, world, make_issue):
    world.compound_a1.latitude, world.compound_a1.longitude = 38.45602, 106.23301
    world.compound_a1.save()
    issue = make_issue(compound=world.compound_a1)
    read = client.get(f"/api/open311/v2/requests/{issue.pk}.json").json()[0]
    assert (read["lat"], read["long"]) == (38.45602, 106.23301)
    unplaced = make_issue()
    read = client.get(f"/api/open311/v2/requests/{unplaced.pk}.json").json()[0]
    assert read["lat"] is None and read["long"] is None


@pytest.mark.parametrize(
    "position", [{"lat": "38.4"}, {"lat": "95", "long": "106"}, {"lat": "x", "long": "y"}]
)
def test_a_half_or_impossible_position_is_refused(client, world, category, key, position):
    response = client.post(
        "/api/open311/v2/requests.json",
        {"api_key": key(world.staff_a), "service_code": "sanitation", "description": "x"}
        | position,
    )
    assert response.status_code == 400
    assert "lat" in response.json()[0]["description"]
    assert not Issue.objects.exists()


def test_public_requests_are_read_in_a_constant_number_of_queries(client, world, make_issue):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/open311/v2/requests.json").status_code == 200
        return len(queries)

    for _ in range(10):
        make_issue(kind="public", compound=world.compound_a1)
    ten = count()
    for _ in range(90):
        make_issue(kind="public", compound=world.compound_a2)
    assert len(client.get("/api/open311/v2/requests.json").json()) == 100
    assert count() == ten
