"""朔方社区 before story 7 starts.

Story 7 of DOMAIN.md: the exhaust fans of 老马家烤肉店, on the ground floor of 朔方小区 12号楼,
roar until late at night under 李阿姨's bedroom. The shop's owner has an account for the
action items he takes on; the street's law-enforcement team and urban-construction office
serve the community and can be summoned (吹哨报到). Grid worker 冯 looks after the grid.
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
class Shuofang:
    community: object
    grid: object
    shop: object
    users: dict

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_shuofang() -> Shuofang:
    # As the migrations seed it: a merchant's noise is a dispute (白茶), private by default.
    Category.objects.get_or_create(
        code="noise", defaults={"name": "噪音", "default_kind": "dispute"}
    )
    street = StreetFactory(name="鼓楼街道")
    community = CommunityFactory(street=street, name="朔方社区")
    compound = CompoundFactory(community=community, name="朔方小区")
    grid = GridFactory(community=community, name="朔方一网格")
    grid.compounds.add(compound)
    unit = UnitFactory(building=BuildingFactory(compound=compound, name="12号楼"), name="2单元")
    li = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="201"), grid=grid, name="李阿姨"
    )
    shop = OrganizationFactory(name="老马家烤肉店", kind="merchant", communities=[community])
    shop.compounds.add(compound)
    owner = OrganizationContactFactory(organization=shop, name="马老板")
    OrganizationFactory(name="鼓楼街道综合执法队", kind="law_enforcement", communities=[community])
    OrganizationFactory(name="鼓楼街道城建办", kind="government", communities=[community])
    users = {
        "li": UserFactory(username="liayi", name="李阿姨", role=Role.RESIDENT, resident=li),
        "secretary": UserFactory(
            username="sf_shuji",
            name="杨书记",
            role=Role.STAFF,
            communities=[community],
            is_head=True,
            title="党委书记",
        ),
        "worker": UserFactory(
            username="sf_wangge", name="冯网格员", role=Role.GRID_WORKER, grids=[grid]
        ),
        "owner": UserFactory(
            username="malaoban",
            name="马老板",
            role=Role.ORG_CONTACT,
            organization=shop,
            contact=owner,
        ),
    }
    return Shuofang(community=community, grid=grid, shop=shop, users=users)
