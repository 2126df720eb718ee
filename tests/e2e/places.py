"""The places and people of the browser journeys, built with the factories.

Story 2 of DOMAIN.md happens at 澳海熙园 in 枫林湾社区; a second community (朝阳社区) of the
same street holds the resident who must not reach any of it. Browser tests run with
transaction=True, which empties the tables the migrations seeded, so the categories the
journeys use are created here.
"""

import io
from dataclasses import dataclass

from PIL import Image

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
class Places:
    street: object
    community: object
    other_community: object
    compound: object
    grid: object
    property_company: object
    category: object
    users: dict

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_places() -> Places:
    category, _ = Category.objects.get_or_create(
        code="fire_lane", defaults={"name": "消防通道", "default_kind": "public"}
    )
    Category.objects.get_or_create(
        code="stairwell_clutter", defaults={"name": "楼道堆物", "default_kind": "public"}
    )
    street = StreetFactory(name="丰林街道")
    community = CommunityFactory(street=street, name="枫林湾社区")
    other = CommunityFactory(street=street, name="朝阳社区")
    compound = CompoundFactory(community=community, name="澳海熙园")
    other_compound = CompoundFactory(community=other, name="朝阳小区")
    grid = GridFactory(community=community, name="澳海熙园网格")
    grid.compounds.add(compound)
    other_grid = GridFactory(community=other, name="朝阳网格")
    other_grid.compounds.add(other_compound)
    unit = UnitFactory(building=BuildingFactory(compound=compound, name="3号楼"), name="1单元")
    other_unit = UnitFactory(
        building=BuildingFactory(compound=other_compound, name="33号楼"), name="5单元"
    )
    liu = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="302"), grid=grid, name="刘先生"
    )
    supervisor = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="501"),
        grid=grid,
        name="赵监督",
        is_supervisor=True,
    )
    outsider = ResidentFactory(
        household=HouseholdFactory(unit=other_unit, room="101"), grid=other_grid, name="孙女士"
    )
    property_company = OrganizationFactory(name="熙园物业", communities=[community])
    property_company.compounds.add(compound)
    manager = OrganizationContactFactory(organization=property_company, name="物业王经理")
    users = {
        "liu": UserFactory(username="liu", name="刘先生", role=Role.RESIDENT, resident=liu),
        "zhao": UserFactory(
            username="zhao", name="赵监督", role=Role.RESIDENT, resident=supervisor
        ),
        "sun": UserFactory(username="sun", name="孙女士", role=Role.RESIDENT, resident=outsider),
        "staff": UserFactory(
            username="lizhuren", name="李主任", role=Role.STAFF, communities=[community]
        ),
        "worker": UserFactory(
            username="liuhongli", name="刘红丽", role=Role.GRID_WORKER, grids=[grid]
        ),
        "manager": UserFactory(
            username="wangjingli",
            name="物业王经理",
            role=Role.ORG_CONTACT,
            organization=property_company,
            contact=manager,
        ),
        "street_admin": UserFactory(
            username="jiedao", name="街道办", role=Role.STREET_ADMIN, streets=[street]
        ),
    }
    return Places(
        street=street,
        community=community,
        other_community=other,
        compound=compound,
        grid=grid,
        property_company=property_company,
        category=category,
        users=users,
    )


def photo_file(tmp_path, name="photo.jpg"):
    """A small JPEG on disk, for file inputs."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 40)).save(buffer, format="JPEG")
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return str(path)


# 澳海熙园 on the map (WGS-84): its outline, its point and 3号楼.
COMPOUND_AT = (38.45448, 106.21302)
BUILDING_AT = (38.45490, 106.21400)


def put_on_the_map(places):
    """Give 澳海熙园 and its 3号楼 positions, and the compound an outline."""
    from decimal import Decimal

    compound = places.compound
    lat, lng = COMPOUND_AT
    compound.latitude, compound.longitude = Decimal(str(lat)), Decimal(str(lng))
    compound.outline = {
        "type": "Polygon",
        "coordinates": [
            [
                [lng - 0.0017, lat - 0.001],
                [lng + 0.0017, lat - 0.001],
                [lng + 0.0017, lat + 0.001],
                [lng - 0.0017, lat + 0.001],
                [lng - 0.0017, lat - 0.001],
            ]
        ],
    }
    compound.save()
    building = compound.buildings.get(name="3号楼")
    building.latitude, building.longitude = (Decimal(str(v)) for v in BUILDING_AT)
    building.save()
    return building
