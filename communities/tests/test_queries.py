import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.tests.factories import (
    HouseholdFactory,
    OrganizationContactFactory,
    OrganizationFactory,
    ResidentFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_residents(world, n):
    unit = world.household_a1.unit
    for i in range(n):
        household = HouseholdFactory(unit=unit)
        ResidentFactory(household=household, grid=world.grid_a1, is_party_member=i % 2 == 0)


@pytest.mark.parametrize("url_name", ["communities:resident_list", "communities:resident_export"])
def test_resident_list_constant_queries(client, world, url_name):
    client.force_login(world.staff_a)
    url = reverse(url_name)
    add_residents(world, 9)
    few = count_queries(client, url)
    add_residents(world, 90)
    many = count_queries(client, url)
    assert few == many


def test_grid_page_constant_queries(client, world):
    client.force_login(world.worker_a1)
    url = reverse("communities:grid_detail", args=[world.grid_a1.pk])
    add_residents(world, 9)
    few = count_queries(client, url)
    add_residents(world, 90)
    UnitFactory(building=world.household_a1.unit.building)
    many = count_queries(client, url)
    assert few == many


def add_organizations(world, n):
    for _ in range(n):
        organization = OrganizationFactory(communities=[world.community_a])
        OrganizationContactFactory(organization=organization)


@pytest.mark.parametrize(
    "url_name", ["communities:organization_list", "communities:organization_export"]
)
def test_organization_list_constant_queries(client, world, url_name):
    client.force_login(world.staff_a)
    url = reverse(url_name)
    add_organizations(world, 9)
    few = count_queries(client, url)
    add_organizations(world, 90)
    many = count_queries(client, url)
    assert few == many


def test_overview_constant_queries(client, world):
    from communities.tests.factories import CommunityFactory

    client.force_login(world.street_admin)
    url = reverse("communities:overview")
    few = count_queries(client, url)
    for _ in range(5):
        CommunityFactory(street=world.street)
    world.street_admin._yishi_scope = None
    # New communities change the street admin's scope: it is read once again.
    client.get(url)
    many = count_queries(client, url)
    assert few == many
