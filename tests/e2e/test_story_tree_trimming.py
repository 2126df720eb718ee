"""Story 4 of DOMAIN.md in the browser, by clicking only.

黄河楼社区: during a CPPCC members' visit residents complain that the trees of 黄河楼小区 are
never trimmed. 黄主任 logs it as a CPPCC referral (社情民意), accepts it and convenes a CPPCC
consultation with the CPPCC member, the district housing bureau, the street office, the
property company and residents' representatives. They agree: the housing bureau's forestry
technicians train the property's staff to trim, and the property sets up a temporary pile
point for the cut branches. The next day both report done (52 property staff trained) and
黄主任 confirms each on site; the issue then awaits the residents' evaluation.
"""

import re

import pytest
from django.utils import timezone

from issues.models import Issue, Status
from meetings.models import AgendaItem, Meeting
from resolutions.models import ActionItem, Resolution

from .places_speed_bumps import (
    choose,
    click_and_wait,
    issue_step_form,
    menu,
    open_step,
    post_and_wait,
)
from .places_tree_trimming import build_huanghelou
from .steps import sign_everyone_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "黄河楼小区树木多年未修剪，枝杈伸进窗户"
MEETING = "黄河楼小区树木修剪政协协商会"
RESOLUTION = "黄河楼小区树木修剪协商决议"
TRAINING = "区住建局请园林技术人员为物业员工开展树木修剪培训"
PILE = "物业在小区东侧空地设置临时枝叶堆放点，修剪下的枝条当天归堆、次日清运"


def report_done(journey_, measure, text):
    page = journey_.page
    menu(page, "我的整改事项")
    click_and_wait(page, page.get_by_role("link", name=re.compile(re.escape(measure[:20]))).first)
    page.get_by_label("已完成的工作").fill(text)
    page.locator("input[name=percent]").fill("100")
    page.locator("input[name=request_check]").check()
    post_and_wait(page, page.get_by_role("button", name="提交进度"))


def test_tree_trimming_from_a_cppcc_visit_to_work_done_the_next_day(journey):
    places = build_huanghelou()
    today = timezone.localdate()
    tomorrow = today + timezone.timedelta(days=1)

    # 1. At the CPPCC members' visit, 黄主任 logs what the residents said.
    staff = journey("director")
    staff.login("hhl_zhuren")
    staff.step("dashboard")
    page = staff.page
    click_and_wait(page, page.get_by_role("link", name="登记议题").first)
    page.locator("select[name=channel]").select_option("cppcc_npc")
    page.locator("select[name=category]").select_option(label="树木修剪")
    page.locator("input[name=title]").fill(TITLE)
    page.locator("textarea[name=description]").fill(
        "政协委员走访时，5号楼等楼栋居民反映小区树木多年未修剪，枝杈伸进低层住户窗户，"
        "遮挡采光，刮风时还敲打玻璃。"
    )
    choose(page.locator("select[name=compound]"), "黄河楼小区")
    page.locator("input[name=place_text]").fill("5号楼、6号楼南侧")
    page.locator("summary", has_text="单位反映").click()  # folded: most reporters are residents
    choose(page.locator("select[name=reporter_organization]"), "区政协")
    staff.step("intake form")
    post_and_wait(page, page.get_by_role("button", name="提交登记"))
    issue = Issue.objects.get(title=TITLE)
    assert issue.channel == "cppcc_npc"
    assert issue.reporter_organization == places.cppcc
    staff.step("logged")

    # 2. Accepted, and sent to deliberation.
    open_step(page, "受理")
    post_and_wait(page, issue_step_form(page, "accept").get_by_role("button"))
    open_step(page, "提交议事")
    form = issue_step_form(page, "send_to_deliberation")
    form.locator("select[name=deliberation_level]").select_option("compound")
    form.locator("textarea[name=note]").fill("请政协委员、住建局、街道、物业和居民代表一起协商。")
    post_and_wait(page, form.get_by_role("button"))
    issue.refresh_from_db()
    assert issue.status == Status.TO_DELIBERATE
    staff.step("sent to deliberation")

    # 3. The CPPCC consultation, and who comes to it.
    menu(page, "议事会议")
    click_and_wait(page, page.get_by_role("link", name="召集会议").first)
    page.locator("select[name=community]").select_option(label="黄河楼社区")
    page.locator("select[name=form]").select_option("cppcc_consultation")
    page.locator("input[name=title]").fill(MEETING)
    page.locator("input[name=venue]").fill("黄河楼社区议事室")
    starts = timezone.localtime() + timezone.timedelta(days=1)
    page.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT09:30"))
    page.locator("input[name=ends_at]").fill(starts.strftime("%Y-%m-%dT11:00"))
    choose(page.locator("select[name=issues]"), TITLE)
    post_and_wait(page, page.get_by_role("button", name="召集"))
    meeting = Meeting.objects.get(title=MEETING)
    item = AgendaItem.objects.get(meeting=meeting)
    staff.step("consultation convened")
    post_and_wait(page, page.get_by_role("button", name="添加所选"))
    add = page.locator("form", has=page.get_by_role("heading", name="添加参会人"))
    for role, name, organization in (
        ("cppcc_npc", "赵委员", "区政协"),
        ("government", "住建局刘科长", "区住建局"),
        ("government", "街道城建科王科长", "黄河路街道办事处"),
    ):
        add.locator("select[name=role]").select_option(role)
        add.locator("input[name=name]").fill(name)
        add.locator("input[name=organization_name]").fill(organization)
        post_and_wait(page, add.get_by_role("button", name="添加", exact=True))
    names = set(meeting.participants.values_list("name", flat=True))
    assert {"赵委员", "住建局刘科长", "街道城建科王科长", "吴大姐", "郑大爷"} <= names
    assert meeting.participants.filter(name__contains="孙经理").exists()
    staff.step("participants")
    post_and_wait(page, page.get_by_role("button", name=re.compile("发出")))
    staff.step("invitations sent")

    # 4. The consultation: everyone present, the residents' and the members' words, consensus.
    sign_everyone_in(page)
    post_and_wait(page, page.get_by_role("button", name="开始会议"))
    opinion = page.locator(f"#item-{item.pk} form.opinion-form")
    opinion.locator("select[name$=participant]").select_option(label="吴大姐")
    opinion.locator("textarea[name$=text]").fill("树枝伸到窗户里，白天屋里都要开灯，希望尽快修剪。")
    opinion.get_by_role("button", name="记录").click()
    page.get_by_text("白天屋里都要开灯").wait_for()
    opinion = page.locator(f"#item-{item.pk} form.opinion-form")
    opinion.locator("select[name$=participant]").select_option(label="赵委员")
    opinion.locator("textarea[name$=text]").fill(
        "修剪要讲方法，建议住建局请园林技术人员先培训物业员工，修下的枝条要有地方堆放。"
    )
    opinion.get_by_role("button", name="记录").click()
    page.get_by_text("先培训物业员工").wait_for()
    open_step(page, "记录议定结果")
    decide = page.locator(f"#item-{item.pk} form[action$='/decide/']")
    decide.locator("select[name=outcome]").select_option("consensus")
    decide.locator("textarea[name=outcome_text]").fill(
        "住建局组织园林技术人员培训物业员工修剪技术；物业在小区东侧设临时枝叶堆放点。"
    )
    decide.get_by_role("button", name="记录议定结果").click()
    page.locator(f"#item-{item.pk} .badge", has_text="达成共识").wait_for()
    staff.step("consensus recorded")
    post_and_wait(page, page.get_by_role("button", name="结束会议"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ENDED

    # 5. The resolution: two action items, both due tomorrow.
    click_and_wait(page, page.get_by_role("link", name="起草决议").first)
    page.locator("input[name=title]").fill(RESOLUTION)
    page.locator("textarea[name=text]").fill(
        "经政协协商会议协商一致：由区住建局组织园林技术人员培训物业员工，"
        "物业设置临时枝叶堆放点，次日完成。"
    )
    for index, (measure, organization) in enumerate(((TRAINING, "区住建局"), (PILE, "黄河楼物业"))):
        if index:
            page.get_by_role("button", name="再加一项").click()
        page.locator(f"textarea[name='items-{index}-measure']").wait_for()
        page.locator(f"textarea[name='items-{index}-measure']").fill(measure)
        page.locator(f"select[name='items-{index}-responsible_organization']").select_option(
            label=organization
        )
        page.locator(f"input[name='items-{index}-starts_on']").fill(today.isoformat())
        page.locator(f"input[name='items-{index}-deadline']").fill(tomorrow.isoformat())
    staff.step("resolution form")
    post_and_wait(page, page.get_by_role("button", name="保存", exact=True))
    resolution = Resolution.objects.get(title=RESOLUTION)
    assert resolution.items.count() == 2
    post_and_wait(page, page.get_by_role("button", name="通过决议"))
    post_and_wait(page, page.get_by_role("button", name="公示"))
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.PUBLISHED
    staff.step("resolution published")

    # 6. The next day: the housing bureau and the property report done from their home page.
    bureau = journey("bureau")
    bureau.login("zjj_liu")
    bureau.step("bureau home")
    report_done(
        bureau,
        TRAINING,
        "园林技术人员现场讲解示范，培训物业员工52人，讲清修剪季节、截口和安全要求。",
    )
    bureau.step("training reported")
    manager = journey("manager")
    manager.login("hhl_wuye")
    report_done(manager, PILE, "东侧空地已围挡设堆放点，挂牌公示，枝条次日由环卫车清运。")
    manager.step("pile point reported")
    assert set(ActionItem.objects.values_list("status", flat=True)) == {"awaiting_check"}

    # 7. 黄主任 confirms both on site; the issue now awaits the residents' evaluation.
    page = staff.page
    for label, measure in (("training", TRAINING), ("pile point", PILE)):
        menu(page, "决议")
        click_and_wait(page, page.get_by_role("link", name=RESOLUTION).first)
        click_and_wait(page, page.get_by_role("link", name=re.compile(re.escape(measure[:20]))))
        page.get_by_label("通过：已落实").check()
        page.locator("textarea[name=text]").fill("现场查看，落实到位。")
        post_and_wait(page, page.get_by_role("button", name="记录核验"))
        staff.step(f"{label} confirmed on site")
    assert set(ActionItem.objects.values_list("status", flat=True)) == {"done"}
    issue.refresh_from_db()
    assert issue.status == Status.AWAITING_EVALUATION
    menu(page, "议题")
    click_and_wait(page, page.get_by_role("link", name=TITLE).first)
    assert page.get_by_role("link", name=re.compile(MEETING)).count()
    assert page.get_by_role("link", name=re.compile(RESOLUTION)).count()
    staff.step("issue awaiting evaluation")
