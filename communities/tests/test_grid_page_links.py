"""The grid page offers to add residents only to those who may add them."""

import pytest
from django.urls import reverse

from communities.tests.factories import GridFactory

pytestmark = pytest.mark.django_db


def test_an_empty_grid_offers_adding_residents_only_to_those_who_may(client, world):
    empty = GridFactory(community=world.community_a, name="甲三网格")
    url = reverse("communities:grid_detail", args=[empty.pk])
    add = reverse("communities:resident_create")

    client.force_login(world.street_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert add not in response.content.decode()
    assert "本网格还没有登记居民。" in response.content.decode()
    assert client.get(add).status_code == 403

    client.force_login(world.staff_a)
    assert add in client.get(url).content.decode()
