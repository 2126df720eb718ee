"""Story 6 of DOMAIN.md in the browser, only by clicking: 雅苑 商居联盟会.

Grease from the restaurants on the ground floor blocks a drain shared with the homes
above. A resident reports it; staff accept it and convene a merchants–residents alliance
meeting; the merchants refuse to pay and the meeting is adjourned; after staff persuade
them door to door the continuation meeting (续会) agrees that the five restaurants share a
grease trap, done within two days. The restaurant that takes it on reports the work done,
staff confirm it on site and publish the outcome, which the public board shows.
"""

import re

import pytest
from django.utils import timezone

from issues.models import Issue, Status
from meetings.models import AgendaItem, Meeting
from resolutions.models import ActionItem, Resolution

from .places_grease_trap import RESTAURANTS, build_yayuan
from .steps import click, open_details, pick_resident, record_opinion, sign_everyone_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "2号楼下水道被餐馆油污堵塞，返臭冒水"
MEETING = "雅苑餐饮油污堵塞下水道商居联盟会"


def nav(page, *labels):
    """Follow the main navigation: a menu, then its entry (or a plain link)."""
    bar = page.locator("#main-nav")
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    scope = bar
    for label in labels[:-1]:
        scope.get_by_role("button", name=label, exact=True).first.click()
        scope = bar.locator(".dropdown-menu.show")
    click(page, scope.get_by_role("link", name=labels[-1], exact=True).first)


def test_grease_trap_agreed_at_the_second_alliance_meeting(journey):
    build_yayuan()
    today = timezone.localdate()

    # 1. The resident upstairs reports the blocked drain from her home page.
    wang = journey("resident")
    wang.login("wangxiulan")
    wang.step("resident home")
    page = wang.page
    click(page, page.get_by_role("link", name="反映问题"))
    page.get_by_label("类别").select_option(label="排水")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("描述").fill("楼下几家餐馆的油污把共用下水道堵了，一楼、二楼返臭冒水。")
    page.get_by_label("地点").fill("雅苑小区2号楼1单元")
    click(page, page.get_by_role("button", name="提交"))
    issue = Issue.objects.get(title=TITLE)
    assert issue.status == Status.REPORTED
    wang.step("reported")

    # 2. Staff accept it and send it to deliberation, from their work queue.
    staff = journey("staff")
    staff.login("yayuan_li")
    staff.step("staff home")
    page = staff.page
    nav(page, "议题", "议题")
    staff.step("work queue")
    click(page, page.get_by_role("link", name=TITLE))
    open_details(page, "受理")
    click(page, page.locator("form[action$='/do/accept/'] button"))
    open_details(page, "提交议事")
    form = page.locator("form[action$='/do/send_to_deliberation/']")
    form.locator("select[name=deliberation_level]").select_option(index=1)
    click(page, form.get_by_role("button"))
    issue.refresh_from_db()
    assert issue.status == Status.TO_DELIBERATE
    staff.step("sent to deliberation")

    # 3. The merchants–residents alliance meeting, with the five restaurants invited.
    nav(page, "议事会议", "议事会议")
    click(page, page.get_by_role("link", name="召集会议"))
    page.locator("select[name=community]").select_option(label="雅苑社区")
    page.locator("select[name=form]").select_option("merchant_alliance")
    page.locator("input[name=title]").fill(MEETING)
    page.locator("input[name=venue]").fill("雅苑社区议事室")
    starts = timezone.localtime() + timezone.timedelta(days=1)
    page.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT15:00"))
    page.locator("input[name=ends_at]").fill(starts.strftime("%Y-%m-%dT16:30"))
    page.locator("select[name=issues]").select_option(str(issue.pk))
    staff.step("convene form")
    click(page, page.get_by_role("button", name="召集"))
    meeting = Meeting.objects.get(title=MEETING)
    # The resident upstairs, found by typing her name; the restaurants by name.
    add = page.locator("form", has=page.get_by_role("heading", name="添加参会人"))
    add.locator("select[name=role]").select_option("resident")
    pick_resident(add, "王秀兰")
    click(page, add.locator("button"))
    assert meeting.participants.filter(resident__name="王秀兰").exists()
    add = page.locator("form", has=page.get_by_role("heading", name="添加参会人"))
    for name in RESTAURANTS:
        add.locator("select[name=role]").select_option("merchant")
        add.locator("input[name=name]").fill(f"{name}负责人")
        add.locator("input[name=organization_name]").fill(name)
        click(page, add.locator("button"))
        add = page.locator("form", has=page.get_by_role("heading", name="添加参会人"))
    assert meeting.participants.filter(role="merchant").count() == 5
    click(page, page.get_by_role("button", name=re.compile("发出")))
    assert not meeting.participants.filter(invited_at__isnull=True).exists()
    staff.step("invitations sent")

    # 4. The first meeting: the merchants refuse to pay; it is adjourned.
    sign_everyone_in(page)
    click(page, page.get_by_role("button", name="开始会议"))
    record_opinion(page, "老马家面馆", "油污不全是我们的，管道老化物业也有责任，我们不出钱。")
    record_opinion(page, "王秀兰", "下水道一个月堵了三次，家里没法住了。")
    staff.step("merchants refuse")
    page.locator("#note-adjourn").fill("商户不同意分担费用，会后入户做工作，择期续会。")
    click(page, page.get_by_role("button", name="休会"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ADJOURNED
    assert page.get_by_text("商户不同意分担费用").first.is_visible()
    staff.step("adjourned")

    # 5. After persuading the merchants, staff convene the continuation from the same page.
    card = page.locator(".card", has=page.get_by_role("heading", name="召集续会"))
    again = timezone.localtime() + timezone.timedelta(days=8)
    card.locator("input[name=starts_at]").fill(again.strftime("%Y-%m-%dT15:00"))
    card.locator("input[name=ends_at]").fill(again.strftime("%Y-%m-%dT16:00"))
    click(page, card.get_by_role("button", name="召集"))
    follow = Meeting.objects.get(continues=meeting)
    assert follow.participants.filter(role="merchant").count() == 5
    assert page.get_by_text("前次会议").is_visible()
    staff.step("continuation convened")
    # The two sessions lead to each other.
    click(page, page.get_by_role("link", name=MEETING, exact=True))
    assert page.get_by_text("续会").first.is_visible()
    staff.step("first meeting links its continuation")
    click(page, page.get_by_role("link", name=follow.title))

    # 6. The continuation agrees: the five restaurants share a grease trap.
    sign_everyone_in(page)
    click(page, page.get_by_role("button", name="开始会议"))
    record_opinion(page, "老马家面馆", "经社区上门沟通，我们五家愿意共同出钱装隔油池。")
    open_details(page, "记录议定结果")
    item = follow.agenda_items.get()
    decide = page.locator(f"form[action$='/items/{item.pk}/decide/']")
    decide.locator("select[name=outcome]").select_option("consensus")
    decide.locator("textarea[name=outcome_text]").fill(
        "五家餐馆共同出资安装隔油池，两天内完工，物业疏通下水道。"
    )
    decide.get_by_role("button").click()
    page.get_by_text("五家餐馆共同出资安装隔油池").first.wait_for()
    item.refresh_from_db()
    assert item.outcome == AgendaItem.Outcome.CONSENSUS
    click(page, page.get_by_role("button", name="结束会议"))
    staff.step("continuation agreed")

    # 7. The resolution, drafted from the decided agenda item.
    click(page, page.get_by_role("link", name="起草决议").first)
    staff.step("resolution form")
    page.locator("input[name=title]").fill("雅苑餐饮商户共建隔油池决议")
    page.locator("select[name='items-0-responsible_organization']").select_option(
        label=RESTAURANTS[0]
    )
    page.locator("textarea[name='items-0-measure']").fill(
        "五家餐馆共同出资，在共用下水道入口安装隔油池并疏通管道"
    )
    page.locator("input[name='items-0-starts_on']").fill(today.isoformat())
    page.locator("input[name='items-0-deadline']").fill(
        (today + timezone.timedelta(days=2)).isoformat()
    )
    click(page, page.get_by_role("button", name="保存"))
    resolution = Resolution.objects.get()
    assert resolution.agenda_item == item
    assert resolution.items.count() == 1
    staff.step("draft resolution")
    click(page, page.get_by_role("button", name="通过决议"))
    click(page, page.get_by_role("button", name="公示"))
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.PUBLISHED
    staff.step("published")

    # 8. The restaurant that took it on reports the trap installed, from its home page.
    ma = journey("merchant")
    ma.login("laoma")
    ma.step("merchant home")
    page = ma.page
    click(page, page.get_by_role("link", name=re.compile("安装隔油池")))
    page.get_by_label("已完成的工作").fill("隔油池已安装，下水道已疏通，五家按户分摊费用。")
    page.locator("input[name=percent]").fill("100")
    page.locator("input[name=request_check]").check()
    click(page, page.get_by_role("button", name="提交进度"))
    action = ActionItem.objects.get()
    assert action.status == ActionItem.Status.AWAITING_CHECK
    ma.step("progress reported")

    # 9. Staff check on site, from the resolution they published.
    page = staff.page
    click(page, page.get_by_role("link", name=re.compile("安装隔油池")))
    page.get_by_label("通过：已落实").check()
    page.locator("textarea[name=text]").fill("现场查看，隔油池已投用，一楼不再返臭。")
    click(page, page.get_by_role("button", name="记录核验"))
    action.refresh_from_db()
    assert action.status == ActionItem.Status.DONE
    issue.refresh_from_db()
    assert issue.status == Status.AWAITING_EVALUATION
    staff.step("confirmed on site")

    # 10. Anyone reads the outcome on the public board.
    visitor = journey("visitor")
    visitor.go("/resolutions/board/")
    click(visitor.page, visitor.page.get_by_role("link", name=re.compile("隔油池决议")))
    assert visitor.page.get_by_text("在共用下水道入口安装隔油池").is_visible()
    visitor.step("public outcome")
