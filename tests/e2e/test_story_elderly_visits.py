"""Story 10 of DOMAIN.md in the browser: 民生社区's monthly visits to the elderly living
alone, and a request for medicine delivery handled and closed.

On the 5th the product reminds grid worker 那晓梅 of the special-group households of her
grid. On her phone she follows the reminder to the visit list, records a routine visit to
苏桂兰, and at 丁万福's finds that his blood-pressure pills are running out: the visit opens a
special-group-need issue (绿茶). Community staff 马红 accepts it and gives it to her; she
arranges weekly delivery with the pharmacy and closes it as handled on the spot. Only the
login page is typed; everything else is a tap or a click.
"""

import datetime as dt
import re

import pytest

from issues.models import Channel, Handling, Issue, Kind, Status, Visit
from issues.reminders import special_group_visits

from .menus import click_and_wait, open_menu
from .places_elderly_visits import build_minsheng

pytestmark = pytest.mark.django_db(transaction=True)

NEED = "丁万福老人请求定期送药上门"


def open_details(page, summary_text):
    """Open a step of the issue page; its form loads when opened."""
    page.locator("summary", has_text=summary_text).first.click()


def test_monthly_visits_find_a_need_that_is_handled_and_closed(journey):
    places = build_minsheng()
    # The monthly sweep of the 5th (run by the beat schedule) reminds the grid worker.
    assert special_group_visits(today=dt.date(2026, 12, 5)) == 1

    # 1. 那晓梅 on her phone: the reminder leads to the households due this month.
    worker = journey("naxiaomei", phone=True)
    worker.login("naxiaomei")
    worker.step("grid worker home")
    page = worker.page
    page.locator("button.navbar-toggler").click()
    click_and_wait(page, page.locator("#notification-bell"))
    worker.step("reminder of the monthly visits")
    reminder = page.get_by_role("button", name=re.compile("本月特殊群体走访"))
    assert page.get_by_text("丁万福、苏桂兰").is_visible()
    click_and_wait(page, reminder)
    assert page.get_by_role("heading", name="入户走访").is_visible()
    due = page.locator("li", has_text="苏桂兰")
    assert due.get_by_text("本月待走访").is_visible()
    assert page.get_by_text("钱立新").count() == 0  # not in a special group
    worker.step("households due this month")

    # 2. A routine visit to 苏桂兰.
    click_and_wait(page, due.get_by_role("link", name="记录走访"))
    worker.step("visit form")
    page.get_by_label("苏桂兰").check()
    page.get_by_label("走访情况").fill("苏阿姨身体状况平稳，家中水电燃气安全，已测血压。")
    click_and_wait(page, page.get_by_role("button", name="保存走访"))
    assert page.locator("li", has_text="苏桂兰").get_by_text("本月已走访").is_visible()
    assert Visit.objects.get(household=places.su.household).issue is None
    worker.step("first visit recorded")

    # 3. At 丁万福's: his pills are running out; the visit opens a special-group-need issue.
    ding = page.locator("li", has_text="丁万福")
    click_and_wait(page, ding.get_by_role("link", name="记录走访"))
    page.get_by_label("丁万福").check()
    page.get_by_label("走访情况").fill(
        "丁大爷腿脚不便，降压药快吃完了，子女在外地，请求定期送药上门。"
    )
    page.get_by_label("发现需求：生成特殊群体需求议题").check()
    page.get_by_label("需求标题").fill(NEED)
    worker.step("visit with a need")
    click_and_wait(page, page.get_by_role("button", name="保存走访"))
    issue = Issue.objects.get(title=NEED)
    assert (issue.kind, issue.channel, issue.status) == (
        Kind.SPECIAL_NEED,
        Channel.VISIT,
        Status.REPORTED,
    )
    assert issue.reporter_resident == places.ding
    assert issue.grid == places.grid
    assert Visit.objects.get(household=places.ding.household).issue == issue
    assert page.get_by_role("heading", name=re.compile(NEED)).is_visible()
    assert page.get_by_text("特殊群体需求（绿茶）").first.is_visible()
    worker.step("need became an issue")

    # 4. 马红 accepts it from the work queue and gives it to 那晓梅.
    staff = journey("mahong")
    staff.login("mahong")
    staff.step("staff dashboard")
    page = staff.page
    open_menu(page, "议题", "议题")
    staff.step("work queue")
    click_and_wait(page, page.get_by_role("link", name=NEED))
    open_details(page, "受理")
    click_and_wait(page, page.locator("form[action$='/do/accept/'] button"))
    issue.refresh_from_db()
    assert issue.status == Status.ACCEPTED
    page.get_by_label("承办人").select_option(label="那晓梅")
    click_and_wait(page, page.get_by_role("button", name="保存分派"))
    issue.refresh_from_db()
    assert issue.assignee == places.worker
    assert page.get_by_text("已受理").first.is_visible()
    staff.step("accepted and assigned")

    # 5. 那晓梅 is told it is hers; she arranges the delivery and closes it on the spot.
    page = worker.page
    click_and_wait(page, page.locator("a.navbar-brand"))
    page.locator("button.navbar-toggler").click()
    assert page.get_by_test_id("unread-count").inner_text() == "1"
    click_and_wait(page, page.locator("#notification-bell"))
    worker.step("told the issue is hers")
    click_and_wait(page, page.get_by_role("button", name=re.compile(f"分派给您的议题：{NEED}")))
    open_details(page, "现场直办")
    form = page.locator("form[action$='/do/handle_on_spot/']")
    form.get_by_label("备注").fill(
        "已联系民生大药房王芳药剂师，每周二上午送药上门；招商银行志愿者每月5号随访。"
    )
    worker.step("handled on the spot")
    click_and_wait(page, form.get_by_role("button", name="现场直办"))
    issue.refresh_from_db()
    assert issue.status == Status.CLOSED
    assert issue.handling == Handling.ON_SPOT
    assert "民生大药房" in issue.resolution_note
    assert page.get_by_text("每周二上午送药上门").first.is_visible()
    worker.step("closed")

    # 6. Staff see it closed in the queue's closed tab.
    page = staff.page
    open_menu(page, "议题", "议题")
    click_and_wait(page, page.get_by_role("link", name=re.compile("已结案|已销号")).first)
    assert page.get_by_role("link", name=NEED).is_visible()
    staff.step("closed in the queue")
