"""黄河楼社区 before story 4 starts.

Story 4 of DOMAIN.md: during a CPPCC members' visit (政协委员进社区), residents of 黄河楼小区 say
the trees are not trimmed: branches reach into windows and block the light. The community
takes the matter (a CPPCC referral, 社情民意) to a CPPCC consultation with the members, the
district housing bureau, the street office, the property company and residents'
representatives.
"""

from dataclasses import dataclass

from accounts.models import Role
from accounts.tests.factories import UserFactory
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
class Huanghelou:
    community: object
    compound: object
    cppcc: object
    bureau: object
    property_company: object
    users: dict

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_huanghelou() -> Huanghelou:
    Category.objects.get_or_create(
        code="tree_trimming", defaults={"name": "树木修剪", "default_kind": "public"}
    )
    street = StreetFactory(name="黄河路街道")
    community = CommunityFactory(street=street, name="黄河楼社区")
    compound = CompoundFactory(community=community, name="黄河楼小区")
    grid = GridFactory(community=community, name="黄河楼一网格")
    grid.compounds.add(compound)
    unit = UnitFactory(building=BuildingFactory(compound=compound, name="5号楼"), name="1单元")
    for room, name in (("102", "吴大姐"), ("301", "郑大爷")):
        ResidentFactory(
            household=HouseholdFactory(unit=unit, room=room),
            grid=grid,
            name=name,
            is_representative=True,
        )
    cppcc = OrganizationFactory(name="区政协委员联络组", kind="cppcc_npc", communities=[community])
    OrganizationContactFactory(organization=cppcc, name="赵委员")
    bureau = OrganizationFactory(name="区住建局", kind="government", communities=[community])
    bureau_contact = OrganizationContactFactory(organization=bureau, name="住建局刘科长")
    OrganizationFactory(name="黄河路街道办事处", kind="government", communities=[community])
    property_company = OrganizationFactory(
        name="黄河楼物业", kind="property", communities=[community]
    )
    property_company.compounds.add(compound)
    manager = OrganizationContactFactory(organization=property_company, name="物业孙经理")
    users = {
        "director": UserFactory(
            username="hhl_zhuren",
            name="黄主任",
            role=Role.STAFF,
            communities=[community],
            is_head=True,
            title="居委会主任",
        ),
        "bureau": UserFactory(
            username="zjj_liu",
            name="住建局刘科长",
            role=Role.ORG_CONTACT,
            organization=bureau,
            contact=bureau_contact,
        ),
        "manager": UserFactory(
            username="hhl_wuye",
            name="物业孙经理",
            role=Role.ORG_CONTACT,
            organization=property_company,
            contact=manager,
        ),
    }
    return Huanghelou(
        community=community,
        compound=compound,
        cppcc=cppcc,
        bureau=bureau,
        property_company=property_company,
        users=users,
    )
