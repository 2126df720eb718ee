"""The places and people of story 10 of DOMAIN.md: 民生社区, where grid worker 那晓梅 visits
the elderly living alone of her grid every month, on the 5th."""

from dataclasses import dataclass

from accounts.models import Role
from accounts.tests.factories import UserFactory
from communities.tests.factories import (
    BuildingFactory,
    CommunityFactory,
    CompoundFactory,
    GridFactory,
    HouseholdFactory,
    ResidentFactory,
    StreetFactory,
    UnitFactory,
)
from issues.models import Category


@dataclass
class Minsheng:
    community: object
    grid: object
    ding: object
    su: object
    worker: object
    staff: object


def build_minsheng() -> Minsheng:
    # Browser tests run with transaction=True, which empties the seeded categories.
    Category.objects.get_or_create(
        code="special_need", defaults={"name": "特殊群体需求", "default_kind": "special_need"}
    )
    street = StreetFactory(name="民生街道")
    community = CommunityFactory(street=street, name="民生社区")
    compound = CompoundFactory(community=community, name="民生小区")
    grid = GridFactory(community=community, name="民生第三网格")
    grid.compounds.add(compound)
    unit = UnitFactory(building=BuildingFactory(compound=compound, name="12号楼"), name="2单元")
    ding = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="101"),
        grid=grid,
        name="丁万福",
        is_elderly_alone=True,
        is_very_old=True,
    )
    su = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="302"),
        grid=grid,
        name="苏桂兰",
        is_elderly_alone=True,
    )
    # A neighbour outside the special groups: not on the visit list.
    ResidentFactory(household=HouseholdFactory(unit=unit, room="201"), grid=grid, name="钱立新")
    worker = UserFactory(username="naxiaomei", name="那晓梅", role=Role.GRID_WORKER, grids=[grid])
    staff = UserFactory(username="mahong", name="马红", role=Role.STAFF, communities=[community])
    return Minsheng(community=community, grid=grid, ding=ding, su=su, worker=worker, staff=staff)
