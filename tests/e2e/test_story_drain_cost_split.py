"""Story 9 of DOMAIN.md in the browser, by clicking only.

中华社区 朝阳小区 33号楼5单元: the kitchen drain that 101, 201, 301 and 401 share keeps
blocking. 王阿姨 (101) reports it online; staff accept it and send it to a building
council; the grid worker looks on her phone and notes what she found; the council of the
four households and the property company agrees to reroute the stack and share the cost
equally; staff draft the resolution with the item and its cost split over the four
households; the households with an account confirm their part themselves, staff record
the paper signatures of the two without; the property company reports the work done with
a photo; the supervision-committee member confirms it on site; 王阿姨 rates the result and
the issue closes; staff print the agreement with the cost split.

Clicks from each person's home page (after logging in):
- 王阿姨 (resident, 我的议题): 反映问题 → 提交; 待确认的费用分摊 → <resolution> → 确认我家的分摊;
  我的议题 → 请评价办理结果 → 提交.
- staff 高主任 (今日工作): 打开工作台 → <title> → 受理 / 提交议事; 议事会议 ▸ 议事会议 →
  召集会议 → 召集 → 添加 (each household) → 添加所选 → 发出邀请 → attendance → 开始会议 →
  记录 (opinion) → 记录议定结果 → 起草决议 → 保存 → 费用分摊 → 再加一方 ×2 → 保存费用分摊 →
  通过决议 → 公示 → 签字确认 → 记录确认 ×2 → 打印协议.
- grid worker 马丽 (phone, 我的网格): ☰ → 议题 ▸ 议题 → <title> → 添加意见.
- 李先生 (resident of 201): 待确认的费用分摊 → <resolution> → 确认我家的分摊.
- property manager (我的整改事项): <item> → 提交进度 (with photo).
- supervisor 周监督 (我的议题 with 待我核查): <item> → 记录核验.
"""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from core.audit import timeline_of
from issues.models import Issue, Status
from meetings.models import Meeting, Participant
from resolutions.models import ActionItem, Confirmation, CostShare, Resolution
from resolutions.services import split_parts

from .places import photo_file
from .places_drain_cost_split import PAYERS, build_drain_places, household_label
from .steps import sign_everyone_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "33号楼5单元厨房下水道反复堵塞"
MEETING = "33号楼5单元厨房排水改管协商会"
RESOLUTION = "33号楼5单元厨房排水立管改道协议"
MEASURE = "将5单元厨房排水立管改道，单独接入室外检查井"


def click(page, target):
    """Click a link or a button that loads a new page, and wait for it."""
    with page.expect_navigation():
        target.click()


def menu(page, label, entry):
    bar = page.locator("nav.yishi-navbar")
    bar.get_by_role("button", name=label).click()
    click(page, bar.locator(".dropdown-menu").get_by_role("link", name=entry, exact=True))


def nav_link(page, label):
    click(page, page.locator("nav.yishi-navbar").get_by_role("link", name=label, exact=True))


def confirm_own_part(person, places, resident):
    """A paying household's resident confirms the agreement from their home page."""
    page = person.page
    shares = page.locator("section", has=page.get_by_role("heading", name="待确认的费用分摊"))
    click(page, shares.get_by_role("link", name=RESOLUTION))
    part = page.locator("#household-part")
    assert "600.00" in part.inner_text()
    person.step("my household's part")
    click(page, part.get_by_role("button", name="确认我家的分摊"))
    assert page.locator("#household-part").get_by_text(re.compile("已由.*确认")).is_visible()
    assert Confirmation.objects.filter(resident=resident).count() == 1
    person.step("part confirmed")


def test_four_households_share_the_cost_of_rerouting_the_drain(journey, tmp_path):
    places = build_drain_places()
    today = timezone.localdate()

    # 1. 王阿姨 reports the drain online.
    wang = journey("wang")
    wang.login("wangayi")
    page = wang.page
    wang.step("resident home")
    click(page, page.get_by_role("link", name="反映问题").first)
    page.get_by_label("类别").select_option(label=places.category.name)
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("描述").fill("厨房下水道一个月堵了三次，楼上倒水就从我家地漏冒出来。")
    page.get_by_label("地点").fill("朝阳小区33号楼5单元101")
    click(page, page.get_by_role("button", name="提交"))
    issue = Issue.objects.get(title=TITLE)
    assert (issue.status, issue.community) == (Status.REPORTED, places.community)
    wang.step("reported")

    # 2. Staff accept it and send it to deliberation.
    staff = journey("staff")
    staff.login("gaozhuren")
    page = staff.page
    staff.step("staff dashboard")
    click(page, page.get_by_role("link", name="打开工作台"))
    click(page, page.get_by_role("link", name=TITLE))
    page.locator("summary", has_text="受理").first.click()
    click(page, page.locator("form[action$='/do/accept/'] button"))
    page.locator("summary", has_text="提交议事").first.click()
    form = page.locator("form[action$='/do/send_to_deliberation/']")
    form.locator("select[name=deliberation_level]").select_option(index=1)
    click(page, form.get_by_role("button"))
    issue.refresh_from_db()
    assert issue.status == Status.TO_DELIBERATE
    staff.step("sent to deliberation")

    # 3. The grid worker looks at it on her phone and notes what she found.
    worker = journey("worker", phone=True)
    worker.login("mali")
    page = worker.page
    worker.step("grid worker home")
    page.locator("button.navbar-toggler").click()
    menu(page, "议题", "议题")
    worker.step("grid worker queue")
    click(page, page.get_by_role("link", name=re.compile(TITLE)).first)
    page.locator("textarea[name=text]").fill(
        "入户查看：101、201、301、401 四户厨房共用一根排水立管，管径小、弯头多，需改道。"
    )
    click(page, page.get_by_role("button", name="添加意见"))
    assert timeline_of(issue).filter(action="comment", actor=places.worker).exists()
    worker.step("finding noted")

    # 4. Staff convene a building council of the four households and the property company.
    page = staff.page
    menu(page, "议事会议", "议事会议")
    click(page, page.get_by_role("link", name="召集会议").first)
    page.locator("select[name=community]").select_option(label="中华社区")
    page.locator("select[name=form]").select_option("building_council")
    page.locator("input[name=title]").fill(MEETING)
    page.locator("input[name=venue]").fill("33号楼5单元一楼楼道")
    starts = timezone.localtime() + timezone.timedelta(days=1)
    page.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT19:00"))
    page.locator("input[name=ends_at]").fill(starts.strftime("%Y-%m-%dT20:30"))
    page.locator("select[name=issues]").select_option(str(issue.pk))
    click(page, page.get_by_role("button", name="召集"))
    meeting = Meeting.objects.get()
    staff.step("council convened")
    add = page.locator("form[action$='/participants/']", has=page.locator("input[name=resident]"))
    for household, (_room, name) in zip(places.households, PAYERS, strict=True):
        add.locator("select[name=role]").select_option("resident")
        add.locator("input[name=resident]").fill(f"{name} · {household_label(household)}")
        click(page, add.get_by_role("button", name="添加"))
    assert set(meeting.participants.values_list("resident__name", flat=True)) >= {
        name for _room, name in PAYERS
    }
    click(page, page.get_by_role("button", name="添加所选"))
    click(page, page.get_by_role("button", name=re.compile("发出")))
    # The four households, the property manager, the supervisor the agenda proposes, and
    # staff.
    assert meeting.participants.count() == 7
    assert not meeting.participants.filter(invited_at__isnull=True).exists()
    staff.step("households invited")

    # 5. The council: everyone present, an opinion, consensus.
    sign_everyone_in(page)
    assert meeting.participants.filter(attendance=Participant.Attendance.PRESENT).count() == 7
    click(page, page.get_by_role("button", name="开始"))
    opinion = page.locator("form.opinion-form").first
    speaker = opinion.locator("select[name=participant] option", has_text="李先生")
    opinion.locator("select[name=participant]").select_option(speaker.get_attribute("value"))
    opinion.locator("textarea[name=text]").fill("同意改管，费用四户平摊，谁家也别多出。")
    opinion.get_by_role("button", name="记录").click()
    page.get_by_text("谁家也别多出").wait_for()
    page.locator("summary", has_text="记录议定结果").first.click()
    decide = page.locator(f"form[action$='/items/{meeting.agenda_items.get().pk}/decide/']")
    decide.locator("select[name=outcome]").select_option("consensus")
    decide.locator("textarea[name=outcome_text]").fill(
        "四户同意将厨房排水立管改道，费用 2400 元按户平均分摊，由朝阳物业施工。"
    )
    decide.get_by_role("button").click()
    draft = page.get_by_role("link", name="起草决议")
    draft.wait_for()
    staff.step("consensus recorded")

    # 6. The resolution, its item and the cost split over the four households.
    click(page, draft)
    page.locator("input[name=title]").fill(RESOLUTION)
    page.locator("textarea[name=text]").fill(
        "33号楼5单元101、201、301、401四户厨房排水立管改道，费用四户平均分摊。"
    )
    page.locator("textarea[name='items-0-measure']").fill(MEASURE)
    page.locator("select[name='items-0-responsible_organization']").select_option(label="朝阳物业")
    page.locator("input[name='items-0-starts_on']").fill(today.isoformat())
    page.locator("input[name='items-0-deadline']").fill(
        (today + timezone.timedelta(days=7)).isoformat()
    )
    click(page, page.get_by_role("button", name="保存"))
    resolution = Resolution.objects.get()
    item = resolution.items.get()
    click(page, page.get_by_role("link", name="费用分摊"))
    staff.step("cost split form")
    page.get_by_label("总费用（元）").fill("2400")
    page.locator("input[name=note]").fill("四户平均分摊，每户 600 元")
    for index, household in enumerate(places.households):
        if index >= 2:
            page.get_by_role("button", name="再加一方").click()
        page.locator(f"input[name='shares-{index}-household']").fill(household_label(household))
        page.locator(f"input[name='shares-{index}-share_percent']").fill("25")
    staff.step("cost split filled")
    click(page, page.get_by_role("button", name="保存费用分摊"))
    shares = list(CostShare.objects.filter(item=item).order_by("household__room"))
    assert [s.household for s in shares] == places.households
    assert split_parts(item.cost.total, shares) == [Decimal("600.00")] * 4
    staff.step("resolution with cost split")
    click(page, page.get_by_role("button", name="通过决议"))
    click(page, page.get_by_role("button", name="公示"))
    resolution.refresh_from_db()
    issue.refresh_from_db()
    assert (resolution.status, issue.status) == (Resolution.Status.PUBLISHED, Status.EXECUTING)
    staff.step("published")

    # 7. The households confirm: two online, two on paper recorded by staff.
    li = journey("li")
    li.login("lixiansheng")
    confirm_own_part(li, places, places.residents[1])
    page = wang.page
    nav_link(page, "我的议题")
    confirm_own_part(wang, places, places.residents[0])
    page = staff.page
    click(page, page.get_by_role("link", name="签字确认"))
    for household, (_room, name) in list(zip(places.households, PAYERS, strict=True))[2:]:
        page.locator("input[name=party_name]").fill(household_label(household))
        page.locator("input[name=signed_by]").fill(name)
        click(page, page.get_by_role("button", name="记录确认"))
    assert Confirmation.objects.filter(resolution=resolution).count() == 4
    staff.step("all four households confirmed")

    # 8. The property company reroutes the stack and reports it with a photo.
    manager = journey("manager")
    manager.login("sunjingli")
    page = manager.page
    manager.step("contact home")
    click(page, page.get_by_role("link", name=re.compile(MEASURE)))
    page.get_by_label("已完成的工作").fill("立管已改道接入室外检查井，四户试水通畅。")
    page.locator("input[name=percent]").fill("100")
    page.locator("input[name=request_check]").check()
    page.locator("input[name=photos]").set_input_files(photo_file(tmp_path, "pipe.jpg"))
    click(page, page.get_by_role("button", name="提交进度"))
    item.refresh_from_db()
    assert item.status == ActionItem.Status.AWAITING_CHECK
    manager.step("work reported done")

    # 9. The supervisor checks it on site, from his home page.
    zhou = journey("zhou")
    zhou.login("zhoujiandu")
    page = zhou.page
    waiting = page.locator("section", has=page.get_by_role("heading", name=re.compile("待我核查")))
    zhou.step("awaiting my check")
    click(page, waiting.get_by_role("link", name=re.compile(MEASURE)))
    page.get_by_label("通过：已落实").check()
    page.locator("textarea[name=text]").fill("到四户厨房看过，放水不再反上来。")
    click(page, page.get_by_role("button", name="记录核验"))
    item.refresh_from_db()
    issue.refresh_from_db()
    assert (item.status, item.confirmed_by) == (ActionItem.Status.DONE, places.zhou)
    assert issue.status == Status.AWAITING_EVALUATION
    zhou.step("confirmed on site")

    # 10. 王阿姨 rates the result; the issue closes.
    page = wang.page
    nav_link(page, "我的议题")
    click(page, page.get_by_role("link", name=re.compile("请评价办理结果")).first)
    page.get_by_label("满意", exact=True).check()
    page.locator("textarea[name=comment]").fill("改完一个月了，再没堵过。")
    click(page, page.get_by_role("button", name=re.compile("提交")))
    issue.refresh_from_db()
    assert issue.status == Status.CLOSED
    wang.step("evaluated and closed")

    # 11. Staff print the agreement with the cost split and the four confirmations.
    page = staff.page
    click(page, page.get_by_role("link", name="打印协议").first)
    text = page.locator("main").inner_text()
    for household, (_room, name) in zip(places.households, PAYERS, strict=True):
        assert household.room in text and name in text
    assert "600.00" in text
    staff.step("agreement")
    page.emulate_media(media="print")
    staff.step("agreement print", audit=False)
    page.emulate_media(media="screen")
