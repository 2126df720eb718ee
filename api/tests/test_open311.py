from xml.etree import ElementTree as ET

import pytest
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


def test_anonymous_and_bad_key_get_401(client, world, category):
    for url in ("/api/open311/v2/services.json", "/api/open311/v2/requests.json"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()[0]["code"] == 401
    response = client.get("/api/open311/v2/requests.xml?api_key=wrong")
    assert response.status_code == 401
    assert ET.fromstring(response.content).find("error/code").text == "401"
    assert (
        client.post("/api/open311/v2/requests.json", {"service_code": "sanitation"}).status_code
        == 401
    )


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


def test_request_of_other_community_is_404(client, world, make_issue, key):
    issue = make_issue()
    for user in (world.staff_b, world.resident_user_b):
        response = client.get(f"/api/open311/v2/requests/{issue.pk}.json?api_key={key(user)}")
        assert response.status_code == 404
    assert client.get(f"/api/open311/v2/requests.json?api_key={key(world.staff_b)}").json() == []


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
