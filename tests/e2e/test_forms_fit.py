"""The intake form staff fill all day fits one laptop screen for the common case (what,
where, who reported it), says what to choose instead of "---------", folds its rarer parts
away and opens them by itself when they hold an error; on a phone it is one column."""

import re

import pytest

from issues.models import Issue

from .menus import click_and_wait, open_menu
from .places import build_places

pytestmark = pytest.mark.django_db(transaction=True)

DASHES = "---------"


def _bottom(page, locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


def test_intake_fits_one_laptop_screen_and_prompts_in_chinese(journey):
    build_places()
    staff = journey("staff")
    staff.login("lizhuren")
    page = staff.page
    open_menu(page, "议题", "议题")
    click_and_wait(page, page.get_by_role("link", name="登记议题").first)
    submit = page.get_by_role("button", name="提交登记")
    # The page as it opens, unscrolled: the submit button is on the first screen.
    assert page.evaluate("window.scrollY") == 0
    assert _bottom(page, submit) <= 900
    assert DASHES not in page.locator("form.issue-form").inner_html()
    assert page.locator("select[name=category] option").first.inner_text() == "请选择类别"
    assert page.locator("select[name=building] option").first.inner_text() == "楼栋（选填）"
    # Optional parts are folded: the other parties and the hotline work order.
    assert not page.locator("input[name=hotline_ticket]").is_visible()
    assert not page.locator("select[name=parties-0-role]").is_visible()
    staff.step("intake form fits")

    # The common case, typed; a 12345 issue without its ticket number is refused and the
    # folded work order opens by itself with the error next to the field.
    page.locator("select[name=category]").select_option(label="消防通道")
    page.locator("input[name=title]").fill("5号楼消防通道堆放杂物")
    page.locator("textarea[name=description]").fill("楼道口堆了旧家具，已有两周。")
    page.locator("select[name=compound]").select_option(label="澳海熙园")
    page.locator("input[name=reporter_name]").fill("王阿姨")
    page.locator("select[name=channel]").select_option(label="12345热线")
    assert page.locator("input[name=hotline_ticket]").is_visible()  # unfolded by the choice
    page.locator("summary", has_text="12345热线工单").click()  # folded again by mistake
    click_and_wait(page, submit)
    ticket = page.locator("input[name=hotline_ticket]")
    assert ticket.is_visible()
    assert "须填写工单号" in page.locator("#div_id_hotline_ticket").inner_text()
    assert page.locator("input[name=title]").input_value() == "5号楼消防通道堆放杂物"
    assert page.locator("input[name=reporter_name]").input_value() == "王阿姨"
    staff.step("intake error unfolded")
    ticket.fill("YC2026120200001")
    click_and_wait(page, page.get_by_role("button", name="提交登记"))
    issue = Issue.objects.get(title="5号楼消防通道堆放杂物")
    assert issue.hotline_ticket == "YC2026120200001"
    assert issue.reporter_name == "王阿姨"
    assert page.get_by_role("heading", name=re.compile("5号楼消防通道堆放杂物")).is_visible()


def test_intake_on_a_phone_is_one_column(journey):
    build_places()
    worker = journey("staff", phone=True)
    worker.login("lizhuren")
    page = worker.page
    open_menu(page, "议题", "议题")
    click_and_wait(page, page.get_by_role("link", name="登记议题").first)
    title = page.locator("input[name=title]").bounding_box()
    assert title["width"] >= 300  # the whole width of a 360 px screen, not a column of it
    assert DASHES not in page.locator("form.issue-form").inner_html()
    worker.step("intake form on a phone")
