"""The households that share an agreed cost confirm it themselves (签字确认): a resident of
a paying household finds the agreement on their home page, reads their part on the
resolution page and confirms it, once for the household."""

from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from communities.tests.factories import HouseholdFactory, ResidentFactory
from lib.errors import DomainError
from resolutions import services
from resolutions.models import Confirmation

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(world):
    """A resolution whose item's 1 200 yuan two households of 1单元 share half and half;
    adopted."""
    resolution = factories.resolution(world)
    neighbour = HouseholdFactory(unit=world.household_a1.unit, room="201")
    services.cost_split_set(
        actor=world.staff_a,
        item=resolution.items.get(),
        total=Decimal("1200"),
        shares=[
            {"household": world.household_a1, "share_percent": Decimal("50")},
            {"household": neighbour, "share_percent": Decimal("50")},
        ],
    )
    return services.resolution_transition(
        actor=world.staff_a, resolution=resolution, action="adopt"
    )


def test_paying_household_confirms_its_part_from_its_home_page(world, shared, client):
    client.force_login(world.resident_user_a)
    home = client.get("/issues/mine/").content.decode()
    assert "Cost shares to confirm" in home
    assert f'href="/resolutions/{shared.pk}/#household-part"' in home
    page = client.get(f"/resolutions/{shared.pk}/").content.decode()
    assert "Your household's part of the cost" in page
    assert "600.00 yuan" in page
    assert f'action="/resolutions/{shared.pk}/confirm-share/"' in page

    response = client.post(f"/resolutions/{shared.pk}/confirm-share/")
    assert response.status_code == 302
    confirmation = Confirmation.objects.get(resolution=shared)
    assert (confirmation.resident, confirmation.signed_by, confirmation.recorded_by) == (
        world.resident_a,
        world.resident_a.name,
        world.resident_user_a,
    )
    assert "1号楼" in confirmation.party_name and "101" in confirmation.party_name
    page = client.get(f"/resolutions/{shared.pk}/").content.decode()
    assert "Confirmed by" in page
    assert "confirm-share" not in page
    assert "Cost shares to confirm" not in client.get("/issues/mine/").content.decode()


def test_a_household_confirms_once(world, shared):
    housemate = ResidentFactory(household=world.household_a1, grid=world.grid_a1, name="甲家人")
    other = UserFactory(username="housemate", role=Role.RESIDENT, resident=housemate)
    services.cost_share_confirm(actor=world.resident_user_a, resolution=shared)
    with pytest.raises(DomainError, match="already confirmed"):
        services.cost_share_confirm(actor=other, resolution=shared)
    assert Confirmation.objects.filter(resolution=shared).count() == 1


def test_only_paying_households_confirm_and_only_what_is_agreed(world, shared, client):
    # A resident whose household pays nothing.
    stranger = ResidentFactory(
        household=HouseholdFactory(unit=world.household_a1.unit, room="301"),
        grid=world.grid_a1,
        name="甲邻居",
    )
    user = UserFactory(username="stranger", role=Role.RESIDENT, resident=stranger)
    with pytest.raises(DomainError):
        services.cost_share_confirm(actor=user, resolution=shared)
    client.force_login(user)
    assert client.post(f"/resolutions/{shared.pk}/confirm-share/").status_code in (403, 404)
    # Staff record signatures on the signatures page; they do not confirm as a household.
    with pytest.raises(DomainError):
        services.cost_share_confirm(actor=world.staff_a, resolution=shared)
    # A draft is not yet an agreement to confirm.
    draft = factories.resolution(world)
    services.cost_split_set(
        actor=world.staff_a,
        item=draft.items.get(),
        shares=[{"household": world.household_a1, "amount": Decimal("100")}],
    )
    with pytest.raises(DomainError):
        services.cost_share_confirm(actor=world.resident_user_a, resolution=draft)
    assert not Confirmation.objects.exists()
