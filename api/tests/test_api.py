from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from issues.models import Issue, Status
from tests.html import sources

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401(world, api_for, make_issue):
    issue = make_issue()
    client = api_for(None)
    assert client.get("/api/v1/issues/").status_code == 401
    assert client.get(f"/api/v1/issues/{issue.pk}/").status_code == 401
    assert client.get("/api/v1/categories/").status_code == 401
    assert client.post("/api/v1/issues/", {}).status_code == 401


def test_bad_token_gets_401(world, api_for):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")
    assert client.get("/api/v1/issues/").status_code == 401


def test_list_is_scoped(world, api_for, make_issue):
    mine = make_issue(title="甲的议题")
    make_issue(community=world.community_b, actor=world.staff_b, title="乙的议题")
    data = api_for(world.staff_a).get("/api/v1/issues/").json()
    assert [row["id"] for row in data["results"]] == [mine.pk]
    assert api_for(world.resident_user_b).get("/api/v1/issues/").json()["count"] == 0


def test_other_community_gets_404(world, api_for, make_issue):
    issue = make_issue()
    assert api_for(world.staff_b).get(f"/api/v1/issues/{issue.pk}/").status_code == 404
    assert api_for(world.resident_user_b).get(f"/api/v1/issues/{issue.pk}/").status_code == 404
    response = api_for(world.staff_b).post(
        f"/api/v1/issues/{issue.pk}/transition/",
        {"action": "accept", "expected_version": issue.version},
        format="json",
    )
    assert response.status_code == 404


def test_filters(world, api_for, make_issue):
    make_issue(title="路灯坏了")
    other = make_issue(title="楼道堆物", urgency="urgent")
    client = api_for(world.staff_a)
    assert [r["id"] for r in client.get("/api/v1/issues/?urgency=urgent").json()["results"]] == [
        other.pk
    ]
    assert client.get("/api/v1/issues/?q=路灯").json()["count"] == 1
    assert client.get("/api/v1/issues/?status=closed").json()["count"] == 0
    assert client.get("/api/v1/issues/?status=bogus").status_code == 400
    assert client.get("/api/v1/issues/?grid=x").status_code == 400
    assert client.get("/api/v1/issues/?open=true").json()["count"] == 2
    Issue.objects.filter(pk=other.pk).update(accept_deadline=timezone.now() - timedelta(hours=1))
    assert [r["id"] for r in client.get("/api/v1/issues/?overdue=true").json()["results"]] == [
        other.pk
    ]


def test_resident_creates_in_own_community_only(world, api_for, category):
    client = api_for(world.resident_user_a)
    body = {
        "community": world.community_a.pk,
        "category": category.pk,
        "compound": world.compound_a1.pk,
        "title": "电梯异响",
        "description": "3号楼电梯运行时有异响。",
    }
    response = client.post("/api/v1/issues/", body, format="json")
    assert response.status_code == 201, response.content
    issue = Issue.objects.get(pk=response.json()["id"])
    assert issue.reporter_resident == world.resident_a
    assert issue.grid == world.grid_a1
    body["community"] = world.community_b.pk
    body.pop("compound")
    response = client.post("/api/v1/issues/", body, format="json")
    assert response.status_code == 400
    assert "community" in response.json()


def test_create_checks_compound_belongs(world, api_for, category):
    response = api_for(world.staff_a).post(
        "/api/v1/issues/",
        {
            "community": world.community_a.pk,
            "category": category.pk,
            "compound": world.compound_b1.pk,
            "title": "x",
            "description": "y",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "compound" in response.json()


def test_transition(world, api_for, make_issue):
    issue = make_issue()
    client = api_for(world.staff_a)
    url = f"/api/v1/issues/{issue.pk}/transition/"
    response = client.post(url, {"action": "accept", "expected_version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.ACCEPTED
    stale = client.post(
        url, {"action": "handle_on_spot", "note": "清走了", "expected_version": 1}, format="json"
    )
    assert stale.status_code == 409
    needs_note = client.post(
        url, {"action": "handle_on_spot", "expected_version": 2}, format="json"
    )
    assert needs_note.status_code == 400
    assert "note" in needs_note.json()


def test_transition_forbidden_for_role(world, api_for, make_issue):
    issue = make_issue(compound=world.compound_a1)
    response = api_for(world.worker_a1).post(
        f"/api/v1/issues/{issue.pk}/transition/",
        {"action": "accept", "expected_version": 1},
        format="json",
    )
    assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.status == Status.REPORTED


def test_categories(world, api_for, category):
    data = api_for(world.resident_user_a).get("/api/v1/categories/").json()
    assert data["results"][0]["code"] == "sanitation"


@pytest.mark.parametrize("url", ["/api/v1/issues/", "/api/open311/v2/requests.json"])
def test_list_query_count_constant(world, api_for, make_issue, url):
    client = api_for(world.staff_a)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    for _ in range(10):
        make_issue()
    ten = count()
    for _ in range(90):
        make_issue()
    assert count() == ten


def test_token_page(client, world):
    client.force_login(world.staff_a)
    page = client.get(reverse("api:token"))
    assert page.status_code == 200
    assert b"Create a token" in page.content or "创建".encode() in page.content
    client.post(reverse("api:token_create"))
    first = Token.objects.get(user=world.staff_a).key
    assert first.encode() in client.get(reverse("api:token")).content
    client.post(reverse("api:token_create"))
    assert Token.objects.get(user=world.staff_a).key != first
    client.post(reverse("api:token_revoke"))
    assert not Token.objects.filter(user=world.staff_a).exists()


def test_token_page_needs_login(client):
    assert client.get(reverse("api:token")).status_code == 302
    assert client.post(reverse("api:token_create")).status_code == 302


def test_docs_and_schema_served(client):
    page = client.get(reverse("api:docs")).content.decode()
    # Swagger UI is served from our own static files, with no inline script (CSP).
    assert "api/swagger-ui/swagger-ui-bundle.js" in page and "api/docs.js" in page
    assert "<script>" not in page
    # Nothing is loaded from another site (a CDN): every script, stylesheet and image is ours.
    loaded = sources(page)
    assert loaded and all(src.startswith("/") and not src.startswith("//") for src in loaded)
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/issues/" in schema.content.decode()
