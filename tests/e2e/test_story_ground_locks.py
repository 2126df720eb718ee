"""Story 8 of DOMAIN.md in the browser: private ground locks at 中强巷社区's 明园小区.

Complaints about the same ground locks come in through the 12345 hotline day after day.
Staff import the platform's daily export, accept the first ticket's issue and merge the
others into it; the community cannot remove private locks itself, so it blows the whistle
(吹哨报到): the law-enforcement squad, the police station and the property company are
summoned, and each one's arrival and what it did are recorded. What they agreed becomes a
resolution with two action items; the squad removes the locks, the property company
repaints the spaces, staff confirm both on site, answer the three 12345 callers at once
and close the issue (销号). Every step is a click from the acting person's home page.
"""

import re

import pytest
from django.utils import timezone

from api.models import HotlineTicket
from core.audit import timeline_of
from issues.models import Channel, Issue, Status, Summons
from issues.services import HOTLINE_ANSWER
from resolutions.models import ActionItem, Resolution

from .menus import click_and_wait, open_menu
from .places_ground_locks import COMPLAINTS, build_zhongqiangxiang, hotline_export

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = "地锁已全部拆除、车位重新施划，已电话答复三位12345来电人。"


def open_details(page, summary_text):
    """Open a step of the issue page; its form loads when opened."""
    page.locator("summary", has_text=summary_text).first.click()


def test_ground_lock_complaints_merged_whistle_blown_locks_removed(journey, tmp_path):
    places = build_zhongqiangxiang()
    today = timezone.localdate()

    # 1. Staff import the day's 12345 export; each ticket becomes a hotline issue at 明园小区.
    staff = journey("quanshuji")
    staff.login("quanshuji")
    staff.step("staff dashboard")
    page = staff.page
    open_menu(page, "议题", "12345工单导入")
    staff.step("12345 import")
    page.get_by_label(re.compile("12345平台每日导出")).set_input_files(hotline_export(tmp_path))
    page.get_by_label("新议题的类别").select_option(label="地锁")
    click_and_wait(page, page.get_by_role("button", name="导入"))
    assert page.locator("[data-count=created]").inner_text() == "3"
    assert page.locator("[data-count=left]").inner_text() == "0"
    issues = {number: Issue.objects.get(hotline_ticket=number) for number, *_ in COMPLAINTS}
    assert {i.channel for i in issues.values()} == {Channel.HOTLINE}
    assert {i.compound for i in issues.values()} == {places.compound}
    staff.step("three tickets imported")
    first, *duplicates = (issues[number] for number, *_ in COMPLAINTS)

    # 2. The first ticket's issue is accepted; the other two are merged into it.
    click_and_wait(page, page.get_by_role("link", name=COMPLAINTS[0][0]))
    assert page.get_by_text("YC20261128001").first.is_visible()
    open_details(page, "受理")
    click_and_wait(page, page.locator("form[action$='/do/accept/'] button"))
    first.refresh_from_db()
    assert first.status == Status.ACCEPTED
    staff.step("first ticket accepted")
    for duplicate in duplicates:
        open_menu(page, "议题", "议题")
        search = page.get_by_label("搜索")
        search.fill(duplicate.hotline_ticket)
        with page.expect_navigation():
            search.press("Enter")
        click_and_wait(page, page.get_by_role("link", name=duplicate.title))
        open_details(page, "合并到其他议题")
        form = page.locator("form[action$='/do/merge/']")
        form.get_by_label("合并到的议题编号").fill(str(first.pk))
        form.get_by_label("备注").fill("同一地锁问题，合并办理")
        click_and_wait(page, form.get_by_role("button", name="合并到其他议题"))
        duplicate.refresh_from_db()
        assert duplicate.status == Status.MERGED and duplicate.merged_into == first
        assert page.get_by_role("link", name=re.compile(f"#{first.pk}")).first.is_visible()
    staff.step("duplicates merged")

    # 3. The whistle: law enforcement, the police station and the property company summoned.
    click_and_wait(page, page.get_by_role("link", name=re.compile(f"#{first.pk}")).first)
    assert page.get_by_text("已合并进来：").is_visible()
    open_details(page, "吹哨上报")
    form = page.locator("form[action$='/do/escalate/']")
    form.get_by_label("上报方式").select_option(label="吹哨报到")
    form.get_by_label("召集的部门").select_option(
        label=["满城街道综合执法中队", "满城派出所", "丰捷物业"]
    )
    form.get_by_label("备注").fill(
        "12345投诉反复出现，社区无执法权，吹哨请执法中队、派出所、物业报到。"
    )
    staff.step("whistle form")
    click_and_wait(page, form.get_by_role("button", name="吹哨上报"))
    first.refresh_from_db()
    assert first.status == Status.ESCALATED and first.escalation_mode == "whistle"
    assert first.summonses.count() == 3
    staff.step("whistle blown")

    # 4. Each department reports in: when it arrived and what it did.
    reports = {
        "满城街道综合执法中队": "执法队员马华东带队现场勘查，登记私装地锁43个，张贴限期自拆通知。",
        "满城派出所": "社区民警李卫东入户做工作，对拒不配合的住户进行法治宣传。",
        "丰捷物业": "物业安排人员配合拆除，并重新施划公共停车位。",
    }
    for minutes, (name, text) in enumerate(reports.items(), start=1):
        summons = Summons.objects.get(issue=first, organization__name=name)
        arrived = timezone.localtime(summons.summoned_at) + timezone.timedelta(minutes=30 * minutes)
        row = page.locator("li", has=page.get_by_text(name, exact=True))
        row.get_by_label("报到时间").fill(arrived.strftime("%Y-%m-%dT%H:%M"))
        row.get_by_label("处置情况").fill(text)
        click_and_wait(page, row.get_by_role("button", name="记录"))
        summons.refresh_from_db()
        assert summons.action_taken == text
        assert timezone.localtime(summons.arrived_at).strftime("%H:%M") == arrived.strftime("%H:%M")
        assert page.get_by_text(f"报到时间 {arrived:%Y-%m-%d %H:%M}").is_visible()
    assert timeline_of(first).filter(action="summons").count() == 3
    staff.step("departments reported in")

    # 5. What they agreed becomes the resolution, with two action items in one go.
    click_and_wait(page, page.get_by_role("link", name="起草决议"))
    staff.step("resolution form")
    page.get_by_label("标题").fill("明园小区私装地锁联合整治决议")
    page.get_by_label("决议内容").fill(
        "吹哨报到联合处置：限期7日住户自行拆除私装地锁，逾期由执法中队依法拆除；"
        "物业重新施划公共车位并实行先到先停。"
    )
    items = [
        ("逾期未自拆的地锁依法拆除", "满城街道综合执法中队", 12),
        ("重新施划公共停车位43个", "丰捷物业", 15),
    ]
    for index, (measure, owner, days) in enumerate(items):
        if index:
            page.get_by_role("button", name="再加一项").click()
        page.locator(f"textarea[name='items-{index}-measure']").fill(measure)
        page.locator(f"select[name='items-{index}-responsible_organization']").select_option(
            label=owner
        )
        page.locator(f"input[name='items-{index}-starts_on']").fill(today.isoformat())
        deadline = today + timezone.timedelta(days=days)
        page.locator(f"input[name='items-{index}-deadline']").fill(deadline.isoformat())
        assert page.locator("legend", has_text=f"第 {index + 1} 项").is_visible()
    click_and_wait(page, page.get_by_role("button", name="保存", exact=True))
    resolution = Resolution.objects.get()
    assert resolution.issue == first and resolution.agenda_item is None
    assert resolution.items.count() == 2
    staff.step("draft resolution")
    click_and_wait(page, page.get_by_role("button", name="通过决议"))
    click_and_wait(page, page.get_by_role("button", name="公示"))
    resolution.refresh_from_db()
    first.refresh_from_db()
    assert resolution.status == Resolution.Status.PUBLISHED
    assert first.status == Status.EXECUTING
    staff.step("resolution published")

    # 6. The squad and the property company report their work from their own home pages.
    for username, measure, done in (
        ("mahuadong", "逾期未自拆的地锁依法拆除", "住户自拆31个，执法中队拆除12个，地锁全部清除。"),
        ("zhoujingli", "重新施划公共停车位43个", "公共车位施划完成，张贴停车公约。"),
    ):
        contact = journey(username)
        contact.login(username)
        contact.step("my action items")
        page = contact.page
        click_and_wait(page, page.get_by_role("link", name=re.compile(measure)))
        page.get_by_label("已完成的工作").fill(done)
        page.locator("input[name=percent]").fill("100")
        page.locator("input[name=request_check]").check()
        click_and_wait(page, page.get_by_role("button", name="提交进度"))
        assert page.get_by_text(done).first.is_visible()
        contact.step("progress reported")

    # 7. Staff confirm both on site: all done, the issue awaits its answer and closure.
    page = staff.page
    click_and_wait(page, page.locator("a.navbar-brand"))
    open_menu(page, "议题", "议题")
    search = page.get_by_label("搜索")
    search.fill(first.hotline_ticket)
    with page.expect_navigation():
        search.press("Enter")
    click_and_wait(page, page.get_by_role("link", name=first.title))
    click_and_wait(page, page.get_by_role("link", name="明园小区私装地锁联合整治决议"))
    for measure, _owner, _days in items:
        click_and_wait(page, page.get_by_role("link", name=re.compile(measure)))
        page.get_by_label("通过：已落实").check()
        page.locator("textarea[name=text]").fill("现场核实：地锁已清除，车位标线清楚。")
        click_and_wait(page, page.get_by_role("button", name="记录核验"))
        staff.step(f"checked: {measure}")
        click_and_wait(page, page.get_by_role("link", name="明园小区私装地锁联合整治决议").first)
    assert set(resolution.items.values_list("status", flat=True)) == {ActionItem.Status.DONE}
    first.refresh_from_db()
    assert first.status == Status.AWAITING_EVALUATION

    # 8. The three 12345 callers are answered at once, and the issue is closed (销号).
    click_and_wait(page, page.get_by_role("link", name=re.compile(first.title)).first)
    tickets = page.locator("#hotline-tickets li")
    assert tickets.count() == 3
    assert tickets.filter(has_text="须于").count() == 3
    staff.step("tickets to answer")
    page.get_by_label("答复内容").fill(ANSWER)
    click_and_wait(page, page.get_by_role("button", name="答复来电人"))
    assert tickets.filter(has_text="已于").count() == 3
    for call in (first, *duplicates):
        assert timeline_of(call).filter(action=HOTLINE_ANSWER, note__contains=ANSWER).count() == 1
    assert page.get_by_role("button", name="答复来电人").count() == 0
    staff.step("callers answered")
    open_details(page, "销号")
    form = page.locator("form[action$='/do/close/']")
    form.get_by_label("备注").fill("地锁整治完成，12345工单均已答复。")
    click_and_wait(page, form.get_by_role("button", name="销号"))
    first.refresh_from_db()
    assert first.status == Status.CLOSED
    assert set(HotlineTicket.objects.values_list("state", flat=True)) == {"filed"}
    staff.step("closed")

    # 9. The public board shows the outcome to anyone.
    visitor = journey("visitor")
    visitor.go("/resolutions/board/")
    visitor.step("public board")
    click_and_wait(
        visitor.page,
        visitor.page.get_by_role("link", name=re.compile("明园小区私装地锁联合整治决议")),
    )
    assert visitor.page.get_by_text("重新施划公共停车位43个").is_visible()
    visitor.step("public outcome")
