"""永和社区 before story 3 starts, and the clicks every journey makes.

Story 3 of DOMAIN.md: residents of 永和社区 are split over speed bumps on 永和路, the main road
through the community: the parents of the primary-school children want them for safety,
the residents who ride bicycles and e-bikes to work are against. The community party-mass
council decides by vote.
"""

import re
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

# ---------------------------------------------------------------- what a person clicks


def post_and_wait(page, button):
    """Click a button that submits a form, and wait for the page it leads to."""
    with page.expect_navigation():
        button.click()


def click_and_wait(page, link):
    with page.expect_navigation():
        link.click()


def menu(page, label):
    """Open an entry of the main navigation by its words, as a person finds it: a link of
    the bar, or an entry of one of its menus (opened first). On a phone the bar is
    collapsed behind its toggle."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#main-nav.show").wait_for()
    bar = page.locator("#main-nav")
    words = re.compile(f"^\\s*{re.escape(label)}\\s*$")
    top = bar.locator(".navbar-nav > li > a.nav-link:not(.dropdown-toggle)", has_text=words)
    if top.count():
        click_and_wait(page, top.first)
        return
    holder = bar.locator("li.dropdown", has=page.locator(".dropdown-item", has_text=words)).first
    holder.locator(".dropdown-toggle").click()
    click_and_wait(page, holder.locator(".dropdown-item", has_text=words).first)


def choose(select, text):
    """Pick the option of a select whose words contain `text` (the screen may add the
    community or a number to the name)."""
    option = select.locator("option", has_text=text).first
    select.select_option(option.get_attribute("value"))


def open_step(page, label):
    """Open a step of the issue page ("受理", "提交议事" …): its form loads when opened."""
    page.locator("summary", has_text=label).first.click()


def issue_step_form(page, action):
    form = page.locator(f"form[action$='/do/{action}/']")
    form.wait_for()
    return form


def open_notifications(page):
    """The bell of the bar (behind the menu's toggle on a phone)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#main-nav.show").wait_for()
    click_and_wait(page, page.locator("#notification-bell"))


def open_notification(page, title_part):
    """Open a notification from the list: it leads to the page it is about."""
    post_and_wait(page, page.get_by_role("button", name=re.compile(re.escape(title_part))).first)


# ---------------------------------------------------------------- 永和社区


@dataclass
class Yonghe:
    community: object
    property_company: object
    users: dict

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_yonghe() -> Yonghe:
    Category.objects.get_or_create(
        code="road_safety", defaults={"name": "道路交通安全", "default_kind": "public"}
    )
    street = StreetFactory(name="城关街道")
    community = CommunityFactory(street=street, name="永和社区")
    compound = CompoundFactory(community=community, name="永和家园")
    grid = GridFactory(community=community, name="永和路网格")
    grid.compounds.add(compound)
    unit = UnitFactory(building=BuildingFactory(compound=compound, name="8号楼"), name="2单元")
    parent = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="201"), grid=grid, name="张建国"
    )
    rider = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="402"),
        grid=grid,
        name="周师傅",
        is_representative=True,
    )
    for room, name in (("101", "钱阿姨"), ("302", "孙老师")):
        ResidentFactory(
            household=HouseholdFactory(unit=unit, room=room),
            grid=grid,
            name=name,
            is_representative=True,
        )
    property_company = OrganizationFactory(
        name="永和家园物业", kind="property", communities=[community]
    )
    property_company.compounds.add(compound)
    OrganizationContactFactory(organization=property_company, name="物业陈经理")
    users = {
        "parent": UserFactory(
            username="zhangjianguo", name="张建国", role=Role.RESIDENT, resident=parent
        ),
        "rider": UserFactory(
            username="zhoushifu", name="周师傅", role=Role.RESIDENT, resident=rider
        ),
        "secretary": UserFactory(
            username="yh_shuji",
            name="王书记",
            role=Role.STAFF,
            communities=[community],
            is_head=True,
            title="党委书记",
        ),
    }
    return Yonghe(community=community, property_company=property_company, users=users)
