"""The places and people of story 5 of DOMAIN.md (金域蓝湾), as they exist before the story
starts: the compound where 170 households collect cardboard, a resident representative
who raises it, a supervision-committee member (居监会) who checks the work on site, the
property company, the grid police officer, law enforcement and the community's lawyer."""

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
class Jinyulanwan:
    community: object
    compound: object
    staff: object
    property_company: object
    police: object
    enforcement: object


def build_jinyulanwan() -> Jinyulanwan:
    Category.objects.get_or_create(
        code="stairwell_clutter", defaults={"name": "楼道堆物", "default_kind": "public"}
    )
    street = StreetFactory(name="满城街道")
    community = CommunityFactory(street=street, name="金域蓝湾社区")
    compound = CompoundFactory(community=community, name="金域蓝湾")
    grid = GridFactory(community=community, name="金域蓝湾一网格")
    grid.compounds.add(compound)
    unit = UnitFactory(building=BuildingFactory(compound=compound, name="5号楼"), name="1单元")
    representative = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="301"),
        grid=grid,
        name="陈建华",
        is_representative=True,
    )
    supervisor = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="602"),
        grid=grid,
        name="孙桂芳",
        is_supervisor=True,
    )
    property_company = OrganizationFactory(
        name="蓝湾物业", kind=Organization.Kind.PROPERTY, communities=[community]
    )
    property_company.compounds.add(compound)
    police = OrganizationFactory(
        name="满城派出所", kind=Organization.Kind.POLICE, communities=[community]
    )
    enforcement = OrganizationFactory(
        name="满城综合执法中队",
        kind=Organization.Kind.LAW_ENFORCEMENT,
        communities=[community],
    )
    OrganizationFactory(
        name="正和律师事务所", kind=Organization.Kind.LEGAL, communities=[community]
    )
    manager = OrganizationContactFactory(organization=property_company, name="周经理")
    officer = OrganizationContactFactory(organization=police, name="李警官")
    UserFactory(username="chenjianhua", name="陈建华", role=Role.RESIDENT, resident=representative)
    UserFactory(username="sunguifang", name="孙桂芳", role=Role.RESIDENT, resident=supervisor)
    staff = UserFactory(
        username="lanwan_wang", name="王书记", role=Role.STAFF, communities=[community]
    )
    UserFactory(
        username="lanwan_wuye",
        name="周经理",
        role=Role.ORG_CONTACT,
        organization=property_company,
        contact=manager,
    )
    UserFactory(
        username="li_jingguan",
        name="李警官",
        role=Role.ORG_CONTACT,
        organization=police,
        contact=officer,
    )
    return Jinyulanwan(
        community=community,
        compound=compound,
        staff=staff,
        property_company=property_company,
        police=police,
        enforcement=enforcement,
    )
