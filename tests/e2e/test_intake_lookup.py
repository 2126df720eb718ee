"""Staff log a walk-in issue and name the reporting resident by typing: the browser suggests
the community's residents as they type, and the issue records the one chosen."""

import re

import pytest

from communities.tests.factories import BuildingFactory, CompoundFactory
from issues.models import Issue

from .menus import click_and_wait, open_menu
from .places import build_places

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_pick_the_reporting_resident_by_typing(journey):
    places = build_places()
    other = CompoundFactory(community=places.community, name="枫林苑")
    BuildingFactory(compound=other, name="8号楼")
    staff = journey("staff")
    staff.login("lizhuren")
    page = staff.page
    # From the dashboard: 议题 → 议题工作台 → 登记议题.
    open_menu(page, "议题", "议题")
    click_and_wait(page, page.get_by_role("link", name="登记议题").first)
    page.locator("select[name=category]").select_option(label="消防通道")
    page.locator("input[name=title]").fill("3号楼门口消防通道被占")
    page.locator("textarea[name=description]").fill("晚上有车停在通道口。")
    page.locator("select[name=compound]").select_option(label="澳海熙园")
    buildings = page.locator("select[name=building] option").all_inner_texts()
    assert [b for b in buildings if "号楼" in b] == ["澳海熙园3号楼"]  # not 枫林苑8号楼
    page.locator("input[name=reporter_resident]").press_sequentially("刘", delay=50)
    suggestion = page.locator("datalist#id_reporter_resident-options option").first
    suggestion.wait_for(state="attached")
    label = suggestion.get_attribute("value")
    assert label == "刘先生 · 澳海熙园 3号楼 1单元 302"
    assert page.locator("datalist#id_reporter_resident-options option").count() == 1  # not 孙女士
    staff.step("resident suggested")
    page.locator("input[name=reporter_resident]").fill(label)
    click_and_wait(page, page.get_by_role("button", name="提交登记"))
    issue = Issue.objects.get(title="3号楼门口消防通道被占")
    assert page.get_by_role("heading", name=re.compile("3号楼门口消防通道被占")).is_visible()
    assert issue.reporter_resident.name == "刘先生"
    assert issue.community == places.community
