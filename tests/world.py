"""A small world with one person of every role, for access tests across the apps.

Street S has communities A and B. A has grids A1 and A2, each over one compound; B has
grid B1. Each role appears on both sides of a boundary (staff of A and of B, a worker of
A1 and of A2, a resident of A and of B).
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


@dataclass
class SmallWorld:
    street: object
    community_a: object
    community_b: object
    compound_a1: object
    compound_a2: object
    compound_b1: object
    grid_a1: object
    grid_a2: object
    grid_b1: object
    household_a1: object
    household_b1: object
    resident_a: object
    resident_b: object
    organization: object
    users: dict

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_small_world() -> SmallWorld:
    street = StreetFactory(name="测试街道")
    community_a = CommunityFactory(street=street, name="甲社区")
    community_b = CommunityFactory(street=street, name="乙社区")
    compound_a1 = CompoundFactory(community=community_a, name="甲一小区")
    compound_a2 = CompoundFactory(community=community_a, name="甲二小区")
    compound_b1 = CompoundFactory(community=community_b, name="乙一小区")
    grid_a1 = GridFactory(community=community_a, name="甲一网格")
    grid_a1.compounds.add(compound_a1)
    grid_a2 = GridFactory(community=community_a, name="甲二网格")
    grid_a2.compounds.add(compound_a2)
    grid_b1 = GridFactory(community=community_b, name="乙一网格")
    grid_b1.compounds.add(compound_b1)
    unit_a1 = UnitFactory(
        building=BuildingFactory(compound=compound_a1, name="1号楼"), name="1单元"
    )
    unit_b1 = UnitFactory(
        building=BuildingFactory(compound=compound_b1, name="1号楼"), name="1单元"
    )
    household_a1 = HouseholdFactory(unit=unit_a1, room="101")
    household_b1 = HouseholdFactory(unit=unit_b1, room="101")
    resident_a = ResidentFactory(household=household_a1, grid=grid_a1, name="甲居民")
    resident_b = ResidentFactory(household=household_b1, grid=grid_b1, name="乙居民")
    organization = OrganizationFactory(name="甲物业", communities=[community_a])
    contact = OrganizationContactFactory(organization=organization, name="甲物业经理")
    users = {
        "staff_a": UserFactory(username="staff_a", role=Role.STAFF, communities=[community_a]),
        "head_a": UserFactory(
            username="head_a", role=Role.STAFF, is_head=True, communities=[community_a]
        ),
        "staff_b": UserFactory(username="staff_b", role=Role.STAFF, communities=[community_b]),
        "worker_a1": UserFactory(username="worker_a1", role=Role.GRID_WORKER, grids=[grid_a1]),
        "worker_a2": UserFactory(username="worker_a2", role=Role.GRID_WORKER, grids=[grid_a2]),
        "resident_user_a": UserFactory(
            username="resident_a", role=Role.RESIDENT, resident=resident_a
        ),
        "resident_user_b": UserFactory(
            username="resident_b", role=Role.RESIDENT, resident=resident_b
        ),
        "org_contact": UserFactory(
            username="org_contact",
            role=Role.ORG_CONTACT,
            organization=organization,
            contact=contact,
        ),
        "street_admin": UserFactory(
            username="street_admin", role=Role.STREET_ADMIN, streets=[street]
        ),
    }
    return SmallWorld(
        street=street,
        community_a=community_a,
        community_b=community_b,
        compound_a1=compound_a1,
        compound_a2=compound_a2,
        compound_b1=compound_b1,
        grid_a1=grid_a1,
        grid_a2=grid_a2,
        grid_b1=grid_b1,
        household_a1=household_a1,
        household_b1=household_b1,
        resident_a=resident_a,
        resident_b=resident_b,
        organization=organization,
        users=users,
    )
