"""The screens staff work in, read and driven from the keyboard: Chinese set ragged-right
(no gaps opened between characters), a top bar that stays one row in large text on a
laptop and on a phone, large text chosen on the login page kept after signing in, a focus
ring seen on the navy bar and on white, a "skip to results" link on the work queue, and a
footer at the bottom of a short page.
"""

import re

import pytest

from issues.models import Channel
from issues.services import issue_report

from .conftest import LAPTOP, PHONE
from .menus import open_menu
from .places import build_places

pytestmark = pytest.mark.django_db(transaction=True)

NAVY = (0x17, 0x3F, 0x6E)
WHITE = (255, 255, 255)

# Where every item of the bar sits and how tall it is against one line of its text. Items
# folded behind the menu button are not displayed and not measured.
BAR_ITEMS = """() => {
    const bar = document.querySelector('.yishi-navbar');
    const items = [...bar.querySelectorAll(
            '.navbar-brand, .btn-display-mode, .navbar-toggler, .navbar-nav > .nav-item > .nav-link')]
        .filter(e => e.offsetParent && e.getBoundingClientRect().width > 0)
        .map(e => {
            const style = getComputedStyle(e);
            const box = e.getBoundingClientRect();
            const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
            const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)
                + parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
            return {text: e.innerText.trim(), top: box.top, bottom: box.bottom, right: box.right,
                    lines: (box.height - padding) / line};
        });
    return {items, barHeight: bar.getBoundingClientRect().height, width: window.innerWidth};
}"""


def assert_bar_is_one_row(page):
    bar = page.evaluate(BAR_ITEMS)
    items = bar["items"]
    assert items, bar
    # No item breaks inside: its text is one line high.
    wrapped = [item for item in items if item["lines"] > 1.5]
    assert wrapped == [], wrapped
    # Every item shares one row: each overlaps the first item's row.
    first = items[0]
    off_row = [i for i in items if i["top"] >= first["bottom"] or i["bottom"] <= first["top"]]
    assert off_row == [], (first, off_row)
    # Nothing leaves the window on the right.
    assert max(item["right"] for item in items) <= bar["width"], items
    # One row: the bar is no taller than its tallest item and the navbar's padding.
    tallest = max(item["bottom"] - item["top"] for item in items)
    assert bar["barHeight"] < tallest + 40, bar


def large_text_on(page):
    return page.evaluate("document.body.classList.contains('large-text')")


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_ring(page):
    """The focused element's outline: its colour as RGB, its width and style."""
    ring = page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            return {color: s.outlineColor, width: parseFloat(s.outlineWidth), style: s.outlineStyle,
                    text: document.activeElement.innerText.trim()};
        }"""
    )
    ring["rgb"] = tuple(int(n) for n in re.findall(r"\d+", ring["color"])[:3])
    return ring


def test_large_text_chosen_at_login_stays_on_and_bar_is_one_row(journey):
    places = build_places()
    staff = journey("staff")
    page = staff.page
    staff.go("/accounts/login/")
    with page.expect_navigation():
        page.get_by_role("button", name="大字体").first.click()
    assert large_text_on(page)
    staff.step("login page in large text")

    staff.login("lizhuren")
    assert large_text_on(page)
    places.staff.refresh_from_db()
    assert places.staff.large_text is True

    # At 1366×900 the bar of a staff member's many menus folds behind the menu button
    # rather than wrapping to a second row.
    assert page.viewport_size == LAPTOP
    assert_bar_is_one_row(page)
    staff.step("laptop large text bar")
    page.locator(".navbar-toggler").click()
    page.locator("#main-nav.show").wait_for()
    entries = page.evaluate(
        """() => [...document.querySelectorAll('#main-nav .navbar-nav > .nav-item > .nav-link')]
            .filter(e => e.offsetParent)
            .map(e => ({text: e.innerText.trim(), height: e.getBoundingClientRect().height,
                        line: parseFloat(getComputedStyle(e).lineHeight)}))"""
    )
    assert [e for e in entries if e["height"] > 2 * e["line"] + 24] == [], entries
    staff.step("laptop large text menu open")

    # From 1400px the bar unfolds, and all of it still fits one row.
    page.set_viewport_size({"width": 1440, "height": 900})
    page.reload()
    assert page.locator(".navbar-toggler").is_hidden()
    assert_bar_is_one_row(page)
    staff.step("wide screen large text bar")

    # A phone of 360 px: brand, text-size button and menu button on one row.
    page.set_viewport_size(PHONE)
    page.reload()
    assert large_text_on(page)
    assert_bar_is_one_row(page)
    staff.step("phone large text bar")

    # In English, longer words, the same.
    page.set_viewport_size(LAPTOP)
    with page.expect_navigation():
        page.locator(".navbar-toggler").click()
        page.locator("#main-nav.show").wait_for()
        page.get_by_role("button", name="English").click()
    assert_bar_is_one_row(page)
    staff.step("laptop large text bar in English")


def test_street_admin_bar_is_one_row_in_large_text(journey):
    build_places()
    admin = journey("street-admin")
    admin.login("jiedao")
    page = admin.page
    assert_bar_is_one_row(page)
    admin.step("laptop standard bar")
    with page.expect_navigation():
        page.get_by_role("button", name="大字体").first.click()
    assert large_text_on(page)
    assert_bar_is_one_row(page)
    admin.step("laptop large text bar")


def test_resident_keeps_the_open_bar_in_large_text(journey):
    build_places()
    resident = journey("resident")
    resident.login("liu")
    page = resident.page
    with page.expect_navigation():
        page.get_by_role("button", name="大字体").first.click()
    # A short bar stays unfolded in large text: its entries are one click away.
    assert page.locator(".navbar-toggler").is_hidden()
    assert_bar_is_one_row(page)
    resident.step("laptop large text bar")


def test_skip_link_reaches_first_issue_with_visible_focus(journey):
    places = build_places()
    for title in ("北门消防通道被占", "3号楼楼道堆物"):
        issue_report(
            actor=places.staff,
            community=places.community,
            category=places.category,
            title=title,
            description="晚上停满私家车。",
            channel=Channel.WALK_IN,
            compound=places.compound,
        )
    staff = journey("keyboard")
    staff.login("lizhuren")
    page = staff.page
    open_menu(page, "议题", "议题")
    assert page.get_by_role("heading", name="议题工作台").is_visible()
    first_issue = page.locator("#results tbody tr a").first
    first_href = first_issue.get_attribute("href")

    # From the top of the page: Tab to 跳到结果, Enter, Tab to the first issue.
    presses = 0
    while presses < 40:
        page.keyboard.press("Tab")
        presses += 1
        focused = page.evaluate("document.activeElement.innerText.trim()")
        if focused == "跳到结果":
            staff.step("skip link shown")
            page.keyboard.press("Enter")
        if page.evaluate("document.activeElement.getAttribute('href')") == first_href:
            break
    assert page.evaluate("document.activeElement.getAttribute('href')") == first_href
    assert presses <= 4, presses
    staff.step("first issue focused")

    # The ring on white: dark, solid and thick enough to see.
    ring = focus_ring(page)
    assert ring["style"] == "solid" and ring["width"] >= 2, ring
    assert contrast(ring["rgb"], WHITE) >= 3, ring

    # The ring on the navy bar: light. Shift+Tab back through the skip links to the brand.
    with page.expect_navigation():
        page.get_by_role("link", name="议事", exact=True).first.click()
    open_menu(page, "议题", "议题")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.yishi-navbar') !== null")
    ring = focus_ring(page)
    assert ring["style"] == "solid" and ring["width"] >= 2, ring
    assert contrast(ring["rgb"], NAVY) >= 3, ring
    staff.step("focus on the navy bar")


JUSTIFIED = """() => [...document.querySelectorAll('body, body *')]
    .filter(e => {
        const s = getComputedStyle(e);
        return s.textAlign === 'justify' || (s.textJustify || '') === 'inter-character';
    })
    .map(e => e.tagName + '.' + e.className + ': ' + (e.innerText || '').slice(0, 30))"""

# Terms of description lists, table headers and field labels that are drawn on more than
# one line: a Chinese label broken mid-word.
BROKEN_LABELS = """() => [...document.querySelectorAll('main dt, main th, main label')]
    .filter(e => e.offsetParent && e.innerText.trim())
    .filter(e => {
        const s = getComputedStyle(e);
        const line = parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.5;
        const box = e.getBoundingClientRect();
        const padding = parseFloat(s.paddingTop) + parseFloat(s.paddingBottom);
        return !/\\s/.test(e.innerText.trim()) && (box.height - padding) > line * 1.5;
    })
    .map(e => e.innerText.trim())"""


def test_text_is_ragged_right_and_footer_at_bottom(journey):
    places = build_places()
    issue_report(
        actor=places.staff,
        community=places.community,
        category=places.category,
        title="北门消防通道被占",
        description="晚上停满私家车，消防车进不来，居民多次反映，希望物业和社区尽快协调处理。",
        channel=Channel.WALK_IN,
        compound=places.compound,
    )
    staff = journey("typography", phone=True)
    staff.login("lizhuren")
    page = staff.page
    open_menu(page, "议题", "议题")
    assert page.evaluate(JUSTIFIED) == []
    assert page.evaluate(BROKEN_LABELS) == []
    with page.expect_navigation():
        page.locator("#results tbody tr a").first.click()
    assert page.evaluate(JUSTIFIED) == []
    assert page.evaluate(BROKEN_LABELS) == []
    staff.step("issue page on a phone")

    # A short page: the footer sits at the bottom of the window, not in its middle.
    page.set_viewport_size(LAPTOP)
    with page.expect_navigation():
        page.locator("#notification-bell").click()
    footer = page.evaluate(
        "() => ({bottom: document.querySelector('body > footer').getBoundingClientRect().bottom,"
        " window: window.innerHeight})"
    )
    assert abs(footer["bottom"] - footer["window"]) <= 1, footer
    staff.step("short page footer at the bottom")


# Each column of the monthly report's meeting table: its header's text alignment and right
# edge, and the same for every cell below it.
MEETING_COLUMNS = """() => {
    const table = document.querySelector('#h-meetings').parentElement.querySelector('table');
    const headers = [...table.querySelectorAll('thead th')];
    const rows = [...table.querySelectorAll('tbody tr')];
    const edge = cell => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const text = range.getBoundingClientRect();
        return {align: getComputedStyle(cell).textAlign, left: text.left, right: text.right,
                text: cell.innerText.trim()};
    };
    return headers.map((th, i) => ({header: edge(th), cells: rows.map(r => edge(r.cells[i]))}));
}"""


def test_monthly_report_meeting_figures_line_up_under_their_headers(journey):
    from django.utils import timezone

    from reports.tests.factories import MeetingFactory, ParticipantFactory

    places = build_places()
    first_of_month = timezone.localdate().replace(day=1)
    last_month = (first_of_month - timezone.timedelta(days=1)).replace(day=10)
    held = timezone.make_aware(timezone.datetime.combine(last_month, timezone.datetime.min.time()))
    meeting = MeetingFactory(
        community=places.community, convener=places.staff, starts_at=held.replace(hour=9)
    )
    ParticipantFactory(meeting=meeting, role="representative", attendance="present")
    ParticipantFactory(meeting=meeting, role="representative", attendance="absent")
    ParticipantFactory(meeting=meeting, role="property", attendance="present")

    staff = journey("report")
    staff.login("lizhuren")
    page = staff.page
    # 统计报表 holds the monthly reports and the messages sent.
    open_menu(page, "统计报表", "月度报表")
    page.locator("#h-meetings").scroll_into_view_if_needed()
    staff.step("monthly report")

    columns = page.evaluate(MEETING_COLUMNS)
    assert [c["header"]["text"] for c in columns] == [
        "分类方式",
        "项目",
        "会议场次",
        "邀请人数",
        "出席人数",
    ]
    for column in columns[2:]:
        assert column["header"]["align"] == "right", column
        for cell in column["cells"]:
            assert cell["align"] == "right", column
            # Figure and header end on the same vertical line.
            assert abs(cell["right"] - column["header"]["right"]) <= 1, column
    for column in columns[:2]:
        assert column["header"]["align"] in ("left", "start"), column
    form = {c["text"]: c for c in columns[1]["cells"]}
    assert "小区庭院议事会" in form
