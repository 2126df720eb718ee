"""The places and people of story 1 of DOMAIN.md (金宇名庭), as they exist before the story
starts: the compound's building with the two households one above the other, the grid and
its worker 刘红丽, the party secretary, the property company, the area police officer and
the law firm whose lawyer is the community's legal adviser."""

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


@dataclass
class Jinyu:
    community: object
    compound: object
    upstairs: object
    downstairs: object
    property_company: object
    law_firm: object


def build_jinyu() -> Jinyu:
    Category.objects.get_or_create(
        code="neighbour_dispute", defaults={"name": "邻里纠纷", "default_kind": "dispute"}
    )
    street = StreetFactory(name="长城中路街道")
    community = CommunityFactory(street=street, name="金宇社区")
    compound = CompoundFactory(community=community, name="金宇名庭")
    grid = GridFactory(community=community, name="金宇名庭网格")
    grid.compounds.add(compound)
    unit = UnitFactory(building=BuildingFactory(compound=compound, name="3号楼"), name="2单元")
    upstairs = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="1202"), grid=grid, name="张国强"
    )
    downstairs = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="1102"), grid=grid, name="赵丽萍"
    )
    property_company = OrganizationFactory(
        name="华雁物业", kind=Organization.Kind.PROPERTY, communities=[community]
    )
    property_company.compounds.add(compound)
    police = OrganizationFactory(
        name="长城派出所", kind=Organization.Kind.POLICE, communities=[community]
    )
    law_firm = OrganizationFactory(
        name="正和律师事务所", kind=Organization.Kind.LEGAL, communities=[community]
    )
    OrganizationContactFactory(organization=property_company, name="何志强")
    OrganizationContactFactory(organization=police, name="王建军")
    du = OrganizationContactFactory(organization=law_firm, name="杜明远")
    UserFactory(username="liuhongli", name="刘红丽", role=Role.GRID_WORKER, grids=[grid])
    UserFactory(username="jinyu_shuji", name="马书记", role=Role.STAFF, communities=[community])
    UserFactory(
        username="lawyer_du",
        name="杜明远",
        role=Role.ORG_CONTACT,
        organization=law_firm,
        contact=du,
    )
    return Jinyu(
        community=community,
        compound=compound,
        upstairs=upstairs,
        downstairs=downstairs,
        property_company=property_company,
        law_firm=law_firm,
    )
