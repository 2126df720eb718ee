"""The places and people of story 9 of DOMAIN.md, built with the factories.

中华社区, 朝阳小区 33号楼5单元: the kitchens of 101, 201, 301 and 401 drain into one stack
that keeps blocking; the four households agree to share the cost of rerouting it. 王阿姨
of 101 reports it; 周监督 (5单元502) sits on the supervision committee; 朝阳物业 does the
work; 高主任 is community staff, 马丽 the grid worker. Browser tests run with
transaction=True, which empties the tables the migrations seeded, so the category is
created here.
"""

from dataclasses import dataclass

from accounts.models import Role
from accounts.tests.factories import UserFactory
from communities.models import Organization
from communities.tests.factories import (
    BuildingFactory,
    CommunityFactory,
    CompoundFactory,
    GridFactory,
    HouseholdFactory,
    OrganizationContactFactory,
    OrganizationFactory,
    ResidentFactory,
    StreetFactory,
    UnitFactory,
)
from issues.models import Category

# The four households on the shared kitchen stack, lowest first, and who speaks for each.
PAYERS = [("101", "王阿姨"), ("201", "李先生"), ("301", "张女士"), ("401", "陈师傅")]


@dataclass
class DrainPlaces:
    community: object
    compound: object
    unit: object
    households: list
    residents: list
    property_company: object
    category: object
    users: dict

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def household_label(household) -> str:
    """How the household lookup names a household (communities.lookups.household_label)."""
    return f"朝阳小区 33号楼 5单元 {household.room}"


def build_drain_places() -> DrainPlaces:
    category, _ = Category.objects.get_or_create(
        code="drainage", defaults={"name": "下水道堵塞", "default_kind": "public"}
    )
    street = StreetFactory(name="长安街道")
    community = CommunityFactory(street=street, name="中华社区")
    compound = CompoundFactory(community=community, name="朝阳小区")
    grid = GridFactory(community=community, name="朝阳小区网格")
    grid.compounds.add(compound)
    unit = UnitFactory(building=BuildingFactory(compound=compound, name="33号楼"), name="5单元")
    households, residents = [], []
    for room, name in PAYERS:
        household = HouseholdFactory(unit=unit, room=room)
        households.append(household)
        residents.append(ResidentFactory(household=household, grid=grid, name=name))
    supervisor = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="502"),
        grid=grid,
        name="周监督",
        is_supervisor=True,
    )
    property_company = OrganizationFactory(
        name="朝阳物业", communities=[community], kind=Organization.Kind.PROPERTY
    )
    property_company.compounds.add(compound)
    contact = OrganizationContactFactory(organization=property_company, name="朝阳物业孙经理")
    users = {
        "wang": UserFactory(
            username="wangayi", name="王阿姨", role=Role.RESIDENT, resident=residents[0]
        ),
        "li": UserFactory(
            username="lixiansheng", name="李先生", role=Role.RESIDENT, resident=residents[1]
        ),
        "zhou": UserFactory(
            username="zhoujiandu", name="周监督", role=Role.RESIDENT, resident=supervisor
        ),
        "staff": UserFactory(
            username="gaozhuren", name="高主任", role=Role.STAFF, communities=[community]
        ),
        "worker": UserFactory(username="mali", name="马丽", role=Role.GRID_WORKER, grids=[grid]),
        "manager": UserFactory(
            username="sunjingli",
            name="朝阳物业孙经理",
            role=Role.ORG_CONTACT,
            organization=property_company,
            contact=contact,
        ),
    }
    return DrainPlaces(
        community=community,
        compound=compound,
        unit=unit,
        households=households,
        residents=residents,
        property_company=property_company,
        category=category,
        users=users,
    )
