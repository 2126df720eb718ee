"""The field page: a patrol recorded on a phone with or without signal. What the phone
sends is stored once whatever how many times it is sent; what cannot be stored comes back
with its reason; the page, its manifest and its service worker are served as a browser
needs them."""

import json
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Household
from communities.tests.factories import HouseholdFactory, ResidentFactory
from issues.models import Issue, Patrol, PatrolFinding, TrackPoint, Visit
from issues.services import patrol_start, track_record

from .conftest import image_bytes

pytestmark = pytest.mark.django_db

SYNC = "issues:field_sync"


def send(client, op, **fields):
    response = client.post(reverse(SYNC), {"op": op, **fields})
    return response.status_code, response.json()


@pytest.fixture
def worker(client, world):
    client.force_login(world.worker_a1)
    return client


def start(client, world, **fields):
    patrol_id = fields.pop("client_id", uuid.uuid4())
    status, body = send(
        client, "patrol_start", client_id=patrol_id, grid=world.grid_a1.pk, **fields
    )
    assert status == 200, body
    return patrol_id


def test_a_patrol_started_twice_is_one_patrol(worker, world):
    patrol_id = uuid.uuid4()
    earlier = timezone.now() - timedelta(minutes=20)
    first = send(
        worker,
        "patrol_start",
        client_id=patrol_id,
        grid=world.grid_a1.pk,
        route_notes="北门—地下车库",
        recorded_at=earlier.isoformat(),
        latitude="38.4556",
        longitude="106.2311",
        accuracy="9",
    )
    again = send(worker, "patrol_start", client_id=patrol_id, grid=world.grid_a1.pk)
    assert first[0] == again[0] == 200
    assert first[1]["id"] == again[1]["id"]
    patrol = Patrol.objects.get()
    # Started when the phone says, offline; where it started is the route's first point.
    assert abs(patrol.started_at - earlier) < timedelta(seconds=1)
    assert patrol.track.count() == 1


def test_a_finding_sent_again_after_a_lost_answer_is_stored_once(worker, world, category):
    patrol_id = start(worker, world)
    finding_id = uuid.uuid4()
    fields = {
        "client_id": finding_id,
        "patrol": patrol_id,
        "text": "地下车库入口堆放纸箱",
        "compound": world.compound_a1.pk,
        "place_text": "地下车库入口",
        "urgency": "urgent",
        "category": category.pk,
        "latitude": "38.4557012",
        "longitude": "106.2310987",
        "accuracy": "11.2",
        "recorded_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
    }
    answers = []
    for _ in range(3):
        photo = SimpleUploadedFile("p.jpg", image_bytes(), content_type="image/jpeg")
        answers.append(send(worker, "finding", photo=photo, **fields))
    assert [status for status, _body in answers] == [200, 200, 200]
    finding = PatrolFinding.objects.get()
    assert finding.client_id == finding_id and finding.photo
    assert finding.position_accuracy == 11
    # The category opened an issue with it, once, at the finding's position.
    issue = Issue.objects.get()
    assert finding.issue == issue and issue.urgency == "urgent"
    assert issue.latitude == finding.latitude
    assert answers[0][1]["issue"]["id"] == answers[2][1]["issue"]["id"] == issue.pk


def test_a_finding_recorded_before_the_patrol_ended_arrives_after_the_end(worker, world):
    patrol_id = start(worker, world, recorded_at=(timezone.now() - timedelta(hours=1)).isoformat())
    ended = timezone.now() - timedelta(minutes=10)
    assert (
        send(
            worker,
            "patrol_end",
            client_id=uuid.uuid4(),
            patrol=patrol_id,
            recorded_at=ended.isoformat(),
        )[0]
        == 200
    )
    # Sent again (a lost answer): nothing changes.
    assert send(worker, "patrol_end", client_id=uuid.uuid4(), patrol=patrol_id)[0] == 200
    patrol = Patrol.objects.get()
    assert abs(patrol.ended_at - ended) < timedelta(seconds=1)
    before = send(
        worker,
        "finding",
        client_id=uuid.uuid4(),
        patrol=patrol_id,
        text="在结束前记下的",
        urgency="normal",
        recorded_at=(ended - timedelta(minutes=5)).isoformat(),
    )
    after = send(
        worker,
        "finding",
        client_id=uuid.uuid4(),
        patrol=patrol_id,
        text="结束后才记下的",
        urgency="normal",
    )
    assert before[0] == 200
    assert after[0] == 400 and after[1]["permanent"] and "已结束" in after[1]["error"]
    assert list(patrol.findings.values_list("text", flat=True)) == ["在结束前记下的"]


def test_a_visit_to_a_household_archived_meanwhile_is_refused_with_the_reason(worker, world):
    household = world.household_a1
    Household.objects.filter(pk=household.pk).update(archived_at=timezone.now())
    status, body = send(
        worker, "visit", client_id=uuid.uuid4(), household=household.pk, findings="老人身体尚好"
    )
    assert status == 400 and body["permanent"]
    assert "已被归档" in body["error"] and str(household) in body["error"]
    assert not Visit.objects.exists()


def test_a_visit_sent_twice_is_stored_once_with_whom_they_saw(worker, world):
    elder = ResidentFactory(
        household=world.household_a1, grid=world.grid_a1, name="王奶奶", is_elderly_alone=True
    )
    visit_id = uuid.uuid4()
    fields = {
        "client_id": visit_id,
        "household": world.household_a1.pk,
        "residents_seen": [elder.pk],
        "findings": "需要每周送药",
        "need_found": "on",
        "need_title": "每周送药上门",
        "latitude": "38.451",
        "longitude": "106.231",
    }
    assert send(worker, "visit", **fields)[0] == 200
    assert send(worker, "visit", **fields)[0] == 200
    visit = Visit.objects.get()
    assert list(visit.residents_seen.all()) == [elder]
    assert visit.issue.title == "每周送药上门" and Issue.objects.count() == 1


def test_another_workers_record_id_is_refused(client, world):
    patrol = patrol_start(actor=world.worker_a1, grid=world.grid_a1, client_id=uuid.uuid4())
    client.force_login(world.worker_a2)
    status, body = send(
        client,
        "finding",
        client_id=uuid.uuid4(),
        patrol=patrol.client_id,
        text="x",
        urgency="normal",
    )
    # Another worker's patrol is not theirs to add to: as if it never reached the server.
    assert status == 409 and body["permanent"]
    status, body = send(client, "patrol_start", client_id=patrol.client_id, grid=world.grid_a2.pk)
    assert status == 400 and "他人" in body["error"]
    assert Patrol.objects.count() == 1


def test_route_points_are_stored_once_and_only_within_the_patrol(worker, world):
    patrol_id = start(worker, world, recorded_at=(timezone.now() - timedelta(hours=1)).isoformat())
    now = timezone.now()
    points = [
        {"t": (now - timedelta(minutes=30)).isoformat(), "lat": 38.4556, "lng": 106.2311, "acc": 8},
        {"t": (now - timedelta(minutes=29)).isoformat(), "lat": 38.4557, "lng": 106.2313, "acc": 9},
        # Before the patrol, off the earth, unreadable: left out.
        {"t": (now - timedelta(hours=3)).isoformat(), "lat": 38.4, "lng": 106.2},
        {"t": now.isoformat(), "lat": 95, "lng": 106.2},
        {"t": "yesterday", "lat": 38.4, "lng": 106.2},
    ]
    first = send(worker, "track", patrol=patrol_id, points=json.dumps(points))
    again = send(worker, "track", patrol=patrol_id, points=json.dumps(points))
    assert first == (200, {"ok": True, "id": Patrol.objects.get().pk, "stored": 2})
    assert again[1]["stored"] == 0
    assert TrackPoint.objects.count() == 2
    assert send(worker, "track", patrol=patrol_id, points="not json")[0] == 400


@pytest.mark.parametrize(
    "fields",
    [
        {"op": "finding", "client_id": "not-a-uuid", "patrol": str(uuid.uuid4()), "text": "x"},
        {"op": "finding", "client_id": str(uuid.uuid4()), "patrol": "x", "text": "x"},
        {
            "op": "finding",
            "client_id": str(uuid.uuid4()),
            "patrol": str(uuid.uuid4()),
            "text": "x",
            "urgency": "normal",
            "latitude": "NaN",
            "longitude": "1e309",
        },
        {"op": "visit", "client_id": str(uuid.uuid4()), "household": "999999999"},
        {"op": "patrol_start", "client_id": str(uuid.uuid4()), "grid": "1 OR 1=1"},
        {"op": "track", "patrol": "'; DROP TABLE issues_issue; --", "points": "[]"},
        {"op": "nothing"},
    ],
)
def test_hostile_input_gets_a_reason_never_a_server_error(worker, world, fields):
    response = worker.post(reverse(SYNC), fields)
    assert 400 <= response.status_code < 500
    assert response.json()["ok"] is False and response.json()["error"]


def test_the_sync_needs_the_csrf_token_and_a_signed_in_worker(world):
    # Signed out: the page's script is told to ask the worker to sign in again (it asks
    # the session before it sends anything).
    response = Client().get(reverse("issues:field_session"))
    assert response.status_code == 401 and response.json()["login"] is True
    assert Client().post(reverse(SYNC), {"op": "track"}).status_code == 401
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.worker_a1)
    session = client.get(reverse("issues:field_session")).json()
    assert session["user"] == world.worker_a1.pk
    assert client.post(reverse(SYNC), {"op": "nothing"}).status_code == 403
    response = client.post(reverse(SYNC), {"op": "nothing"}, HTTP_X_CSRFTOKEN=session["csrf"])
    assert response.status_code == 400


def test_the_field_page_holds_the_grid_for_the_phone(worker, world, category):
    patrol = patrol_start(actor=world.worker_a1, grid=world.grid_a1, client_id=uuid.uuid4())
    track_record(
        actor=world.worker_a1,
        patrol=patrol,
        points=[{"recorded_at": timezone.now(), "latitude": 38.45, "longitude": 106.23}],
    )
    response = worker.get(reverse("issues:field"))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("issues:field_manifest")}"' in body
    data = json.loads(
        body.split('id="field-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["user"] == world.worker_a1.pk
    assert data["running"][0]["client_id"] == str(patrol.client_id)
    assert str(world.household_a1.pk) in data["households"]
    assert category.name in body  # the categories to open an issue with
    assert world.compound_a1.name in body
    assert "no-cache" in response["Cache-Control"]


def test_the_field_page_reads_the_grid_in_a_constant_number_of_queries(worker, world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert worker.get(reverse("issues:field")).status_code == 200
        return len(queries)

    unit = world.household_a1.unit

    def households(n):
        for _ in range(n):
            household = HouseholdFactory(unit=unit)
            ResidentFactory(household=household, grid=world.grid_a1)

    patrol = patrol_start(actor=world.worker_a1, grid=world.grid_a1)
    from issues.services import finding_record

    households(10)
    for _ in range(10):
        finding_record(actor=world.worker_a1, patrol=patrol, text="楼道堆物")
    ten = count()
    households(90)
    for _ in range(90):
        finding_record(actor=world.worker_a1, patrol=patrol, text="楼道堆物")
    assert count() == ten


def test_the_field_page_is_the_grid_workers(client, world):
    for user, status in (
        (world.worker_a1, 200),
        (world.staff_a, 403),
        (world.street_admin, 403),
        (world.resident_user_a, 403),
    ):
        client.force_login(user)
        assert client.get(reverse("issues:field")).status_code == status


def test_the_manifest_installs_the_field_page(client):
    response = client.get(reverse("issues:field_manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == reverse("issues:field")
    assert manifest["scope"] == "/issues/patrols/" and manifest["display"] == "standalone"
    assert manifest["name"] == "议事·巡查"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    from django.contrib.staticfiles import finders

    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_the_service_worker_is_served_for_its_scope_and_never_from_a_cache(client):
    response = client.get(reverse("issues:field_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/issues/patrols/"
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    assert reverse("issues:field") in source
    assert "/static/issues/field.js" in source
    # The field page is under the worker's scope.
    assert reverse("issues:field").startswith("/issues/patrols/")
    # A new version of the worker comes with a new cache name.
    version = source.split('const CACHE = "')[1].split('"')[0]
    assert version.startswith("yishi-field-") and len(version) > len("yishi-field-")
