"""Aging-friendly pages (适老化): residents' pages in standard and large-text mode.

Body text is at least 16 px (18 px or more in large mode), what a finger taps is at least
44 px high, and axe's color-contrast rule (4.5:1) passes in both modes — axe runs on every
step. Large text persists per user (accounts.User.large_text) and, for visitors without an
account, in a cookie.
"""

import re

import pytest

from .places import build_places
from .places_speed_bumps import click_and_wait, menu

pytestmark = pytest.mark.django_db(transaction=True)


def _report_form(page):
    menu(page, "我的议题")
    click_and_wait(page, page.get_by_role("link", name="反映问题").first)


# A resident's pages, each reached from the menu as the resident would (a phone's menu is
# opened from its toggle first): where it leads and the address it must land on.
RESIDENT_PAGES = [
    ("/issues/mine/", lambda page: menu(page, "我的议题")),
    ("/issues/new/", _report_form),
    ("/resolutions/board/", lambda page: menu(page, "结果公示栏")),
    ("/accounts/preferences/", lambda page: menu(page, "个人设置")),
]


def visit(page, path, reach):
    reach(page)
    assert page.url.endswith(path), (page.url, path)


MEASURE = """() => {
    const body = parseFloat(getComputedStyle(document.body).fontSize);
    const paragraphs = [...document.querySelectorAll('main p, main li, main label, main td')]
        .filter(e => e.offsetParent && e.innerText.trim() && !e.closest('.small, small, .form-text, .badge, .breadcrumb'))
        .map(e => parseFloat(getComputedStyle(e).fontSize));
    const targets = [...document.querySelectorAll(
            'main .btn, main .form-control, main .form-select, .yishi-navbar .btn')]
        .filter(e => e.offsetParent)
        .map(e => ({html: e.outerHTML.slice(0, 80), height: e.getBoundingClientRect().height}));
    return {body, smallest: Math.min(...paragraphs), targets};
}"""


def measure(page):
    return page.evaluate(MEASURE)


def assert_readable(page, *, large):
    sizes = measure(page)
    minimum = 18 if large else 16
    assert sizes["body"] >= minimum, (page.url, sizes["body"])
    assert sizes["smallest"] >= minimum, (page.url, sizes["smallest"])
    if large:
        small_targets = [t for t in sizes["targets"] if t["height"] < 44]
        assert small_targets == [], (page.url, small_targets)


def test_residents_pages_read_well_in_both_modes_and_large_text_persists(journey):
    places = build_places()
    resident = journey("resident", phone=True)
    resident.login("liu")
    page = resident.page

    for path, reach in RESIDENT_PAGES:
        visit(page, path, reach)
        resident.step(f"standard {path}")
        assert_readable(page, large=False)

    with page.expect_navigation():
        page.get_by_role("button", name="大字体").first.click()
    places.liu.refresh_from_db()
    assert places.liu.large_text is True

    for path, reach in RESIDENT_PAGES:
        visit(page, path, reach)
        resident.step(f"large {path}")
        assert_readable(page, large=True)

    # The choice belongs to the user: a fresh browser shows large text after signing in.
    again = journey("resident-again", phone=True)
    again.login("liu")
    visit(again.page, "/issues/mine/", lambda page: menu(page, "我的议题"))
    assert again.page.evaluate("document.body.classList.contains('large-text')")
    assert_readable(again.page, large=True)


def test_a_visitor_without_account_keeps_large_text_in_a_cookie(journey):
    build_places()
    visitor = journey("visitor", phone=True)
    visitor.go("/resolutions/board/")
    visitor.step("board standard")
    with visitor.page.expect_navigation():
        visitor.page.get_by_role("button", name="大字体").first.click()
    # Typed again, as a visitor without an account comes back to the board.
    visitor.go("/resolutions/board/")
    assert visitor.page.evaluate("document.body.classList.contains('large-text')")
    assert any(c["name"] == "large_text" and c["value"] == "1" for c in visitor.context.cookies())
    visitor.step("board large")
    assert_readable(visitor.page, large=True)


def test_forms_work_with_the_keyboard_and_errors_are_tied_to_fields(journey):
    build_places()
    resident = journey("keyboard")
    resident.login("liu")
    page = resident.page
    _report_form(page)

    # The skip link comes first and leads to the content.
    page.keyboard.press("Tab")
    assert re.search("跳到|跳转|Skip", page.evaluate("document.activeElement.innerText"))

    # Submit the empty form with the keyboard only.
    page.locator("select[name=category]").focus()
    page.keyboard.press("Tab")
    page.keyboard.type("楼道灯坏了")
    while page.evaluate("document.activeElement.type") != "submit":
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    resident.step("report form errors")

    for name in ("category", "description"):
        field = page.locator(f"[name={name}]")
        assert field.get_attribute("aria-invalid") == "true", name
        described = field.get_attribute("aria-describedby") or ""
        messages = [page.locator(f"#{i}").inner_text() for i in described.split() if i]
        assert any(m.strip() for m in messages), (name, described)
    assert page.locator("[name=title]").input_value() == "楼道灯坏了"
