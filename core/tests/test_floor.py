import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db


def test_floor_asks_visitors_to_log_in(client):
    response = client.get(reverse("floor"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_floor_shows_the_first_community_to_every_role(client, world):
    assert world.users
    for user in world.users.values():
        client.force_login(user)
        response = client.get(reverse("floor"))
        assert response.status_code == 200
        assert (
            "Benchmark floor" in response.content.decode()
            or "压测基准页" in response.content.decode()
        )


def test_floor_runs_the_same_queries_whatever_the_data(client, django_user_model):
    user = django_user_model.objects.create_user("floor", password="x")
    client.force_login(user)
    CommunityFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("floor"))
    first = response.context["first"]["area_code"]
    CommunityFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("floor"))

    assert response.status_code == 200
    assert first.encode() in response.content
    assert len(few) == len(many)
