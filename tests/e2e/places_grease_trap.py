"""The places and people of story 6 of DOMAIN.md (雅苑 商居联盟会), as they exist before
the story starts: the community and its compound with shops on the ground floor, five
restaurants that share a drain with the homes above, a resident upstairs, the staff and
the contact of the restaurant that will take on the grease trap."""

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

RESTAURANTS = ["老马家面馆", "川香小厨", "好再来餐馆", "兰州拉面", "东北饺子馆"]


@dataclass
class Yayuan:
    community: object
    compound: object
    restaurants: list
    category: object


def build_yayuan() -> Yayuan:
    category, _ = Category.objects.get_or_create(
        code="drainage", defaults={"name": "排水", "default_kind": "public"}
    )
    street = StreetFactory(name="文昌路街道")
    community = CommunityFactory(street=street, name="雅苑社区")
    compound = CompoundFactory(community=community, name="雅苑小区")
    grid = GridFactory(community=community, name="雅苑一网格")
    grid.compounds.add(compound)
    unit = UnitFactory(building=BuildingFactory(compound=compound, name="2号楼"), name="1单元")
    resident = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="201"), grid=grid, name="王秀兰"
    )
    restaurants = [
        OrganizationFactory(name=name, kind=Organization.Kind.MERCHANT, communities=[community])
        for name in RESTAURANTS
    ]
    ma = OrganizationContactFactory(organization=restaurants[0], name="马老板")
    UserFactory(username="wangxiulan", name="王秀兰", role=Role.RESIDENT, resident=resident)
    UserFactory(username="yayuan_li", name="李书记", role=Role.STAFF, communities=[community])
    UserFactory(
        username="laoma",
        name="马老板",
        role=Role.ORG_CONTACT,
        organization=restaurants[0],
        contact=ma,
    )
    return Yayuan(
        community=community, compound=compound, restaurants=restaurants, category=category
    )
