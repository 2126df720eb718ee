"""Story 1 of DOMAIN.md in the browser, only by clicking: 金宇名庭.

On patrol, grid worker 刘红丽 hears that the kitchen ceiling of 1102 leaks from the pipe of
1202 upstairs; neither household will pay to open the wall. The party secretary accepts
the dispute and holds an on-site mediation at the staff home (职工之家) with both parties,
the area police officer, the property company and the legal adviser. They settle: the
resolution goes to the lawyer, who writes his own legal review from his home page; both
households sign the settlement (和解协议), which is printed.
"""

import re

import pytest
from django.utils import timezone

from issues.models import Channel, Issue, Kind, Patrol, Status
from meetings.models import AgendaItem, Meeting
from notifications.models import Notification
from resolutions.models import Resolution

from .places_kitchen_leak import build_jinyu
from .steps import add_participant, click, nav, open_details, record_opinion, sign_everyone_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "3号楼2单元1202厨房下水管渗漏至1102"
MEETING = "金宇名庭3号楼厨房渗漏调解会"


def test_kitchen_leak_from_patrol_to_signed_settlement(journey):
    places = build_jinyu()
    today = timezone.localdate()

    # 1. On patrol, on her phone, 刘红丽 records what 1102 tells her and opens a dispute.
    liu = journey("grid-worker", phone=True)
    liu.login("liuhongli")
    liu.step("worker home")
    page = liu.page
    nav(page, "议题", "巡查")
    click(page, page.get_by_role("link", name=re.compile("开始或继续巡查")))
    page.locator("[data-field-ready]").wait_for()
    page.locator("#start_route_notes").fill("金宇名庭1—6号楼日常巡查")
    page.get_by_role("button", name="开始巡查").click()
    page.get_by_role("link", name=re.compile("打开巡查记录")).wait_for()
    patrol = Patrol.objects.get()
    finding = page.locator("form[data-field-form=finding]")
    finding.locator("textarea[name=text]").fill(
        "3号楼2单元1102赵丽萍反映厨房顶部持续渗水，疑为楼上1202厨房下水管破裂；"
        "两户都不愿出开墙的钱，已争吵多次。"
    )
    finding.locator("select[name=compound]").select_option(label="金宇名庭")
    finding.locator("input[name=place_text]").fill("3号楼2单元1102厨房")
    finding.get_by_role("button", name=re.compile("保存发现")).click()
    page.locator("[data-field-findings] .badge", has_text="已发送").wait_for()
    liu.step("finding recorded")
    click(page, page.get_by_role("link", name=re.compile("打开巡查记录")))
    open_details(page, "转为议题")
    form = page.locator("form[action*='/findings/']")
    form.locator("select[name=category]").select_option(label="邻里纠纷")
    form.locator("input[name=title]").fill(TITLE)
    click(page, form.get_by_role("button"))
    issue = Issue.objects.get(title=TITLE)
    assert issue.channel == Channel.GRID_PATROL
    assert issue.kind == Kind.DISPUTE
    assert issue.is_private
    liu.step("dispute opened")
    # Back to the running patrol through the patrol list, and end it.
    nav(page, "议题", "巡查")
    click(page, page.locator(".list-group-item a").first)
    click(page, page.get_by_role("link", name=re.compile("继续巡查")))
    page.locator("[data-field-ready]").wait_for()
    page.get_by_role("button", name=re.compile("结束巡查")).click()
    page.get_by_text("巡查已结束，记录的内容已全部发送").wait_for()
    patrol.refresh_from_db()
    assert patrol.ended_at is not None
    liu.step("patrol ended")

    # 2. The party secretary finds it on her home page, accepts it and sends it on.
    staff = journey("secretary")
    staff.login("jinyu_shuji")
    staff.step("secretary home")
    page = staff.page
    click(page, page.get_by_role("link", name=TITLE))
    open_details(page, "受理")
    click(page, page.locator("form[action$='/do/accept/'] button"))
    open_details(page, "提交议事")
    form = page.locator("form[action$='/do/send_to_deliberation/']")
    form.locator("select[name=deliberation_level]").select_option(index=1)
    click(page, form.get_by_role("button"))
    issue.refresh_from_db()
    assert issue.status == Status.TO_DELIBERATE
    staff.step("dispute accepted")

    # 3. A private on-site mediation at the staff home, with everyone it needs.
    nav(page, "议事会议", "议事会议")
    click(page, page.get_by_role("link", name="召集会议"))
    page.locator("select[name=community]").select_option(label="金宇社区")
    page.locator("select[name=form]").select_option("onsite_mediation")
    page.locator("input[name=title]").fill(MEETING)
    page.locator("input[name=venue]").fill("社区职工之家")
    starts = timezone.localtime() + timezone.timedelta(days=1)
    page.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT15:00"))
    page.locator("input[name=ends_at]").fill(starts.strftime("%Y-%m-%dT16:30"))
    page.locator("input[name=is_private]").check()
    page.locator("select[name=issues]").select_option(str(issue.pk))
    staff.step("mediation convene form")
    click(page, page.get_by_role("button", name="召集"))
    meeting = Meeting.objects.get(title=MEETING)
    assert meeting.is_private
    add_participant(page, "party", resident="张国强")
    add_participant(page, "party", resident="赵丽萍")
    add_participant(page, "police", name="王建军", organization="长城派出所")
    add_participant(page, "property", name="何志强", organization="华雁物业")
    add_participant(page, "legal", name="杜明远", organization="正和律师事务所")
    assert meeting.participants.filter(role="party").count() == 2
    click(page, page.get_by_role("button", name=re.compile("发出")))
    staff.step("mediation invitations sent")

    # 4. The mediation: both sides, the property's finding, the lawyer's advice; settled.
    sign_everyone_in(page)
    click(page, page.get_by_role("button", name="开始会议"))
    record_opinion(page, "张国强", "我家厨房没漏，开墙的钱不该我出。")
    record_opinion(page, "赵丽萍", "天花板已经发霉，楼上必须修，还要赔偿。")
    record_opinion(page, "何志强", "上门检测：1202厨房下水支管接口老化开裂，需开墙换管。")
    record_opinion(page, "杜明远", "建议签订书面和解协议，写明费用分担和完工时间。")
    open_details(page, "记录议定结果")
    item = meeting.agenda_items.get()
    decide = page.locator(f"form[action$='/items/{item.pk}/decide/']")
    decide.locator("select[name=outcome]").select_option("consensus")
    decide.locator("textarea[name=outcome_text]").fill(
        "1202承担换管及开墙费用的60%，1102承担40%并自行恢复吊顶；物业一周内施工。"
    )
    decide.get_by_role("button").click()
    page.get_by_text("1202承担换管").first.wait_for()
    item.refresh_from_db()
    assert item.outcome == AgendaItem.Outcome.CONSENSUS
    click(page, page.get_by_role("button", name="结束会议"))
    staff.step("mediation settled")

    # 5. The settlement, drafted from the agenda item and sent to the legal adviser.
    click(page, page.get_by_role("link", name="起草决议"))
    page.locator("input[name=title]").fill("金宇名庭3号楼厨房渗漏和解协议")
    assert page.locator("input[name=legal_review_required]").is_checked()
    page.locator("select[name='items-0-responsible_organization']").select_option(label="华雁物业")
    page.locator("textarea[name='items-0-measure']").fill("开墙更换1202厨房下水支管并做闭水试验")
    page.locator("input[name='items-0-starts_on']").fill(today.isoformat())
    page.locator("input[name='items-0-deadline']").fill(
        (today + timezone.timedelta(days=7)).isoformat()
    )
    staff.step("settlement form")
    click(page, page.get_by_role("button", name="保存"))
    resolution = Resolution.objects.get()
    assert resolution.legal_review_required
    click(page, page.get_by_role("button", name="送法律审查"))
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.AWAITING_REVIEW
    assert Notification.objects.filter(
        recipient__username="lawyer_du", kind="legal_review_requested"
    ).exists()
    # Staff cannot write the lawyer's review for him.
    assert page.get_by_role("button", name=re.compile("通过：合法")).count() == 0
    staff.step("sent for legal review")

    # 6. The lawyer finds it on his home page and writes his own review.
    du = journey("lawyer")
    du.login("lawyer_du")
    du.step("lawyer home")
    page = du.page
    assert page.get_by_role("heading", name=re.compile("待我审查")).is_visible()
    click(page, page.get_by_role("link", name=re.compile("厨房渗漏和解协议")))
    du.step("settlement to review")
    page.get_by_label("法律审查").fill("协议内容合法，系双方真实意思表示，费用分担明确，可以签署。")
    click(page, page.get_by_role("button", name=re.compile("通过：合法")))
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.ADOPTED
    assert resolution.legal_reviewer.username == "lawyer_du"
    assert page.get_by_text("协议内容合法").first.is_visible()
    du.step("review written")

    # 7. Both households sign; the settlement is printed.
    page = staff.page
    page.reload()
    assert page.get_by_text("协议内容合法").first.is_visible()
    click(page, page.get_by_role("link", name="签字确认"))
    for party, signer in (("1202户", "张国强"), ("1102户", "赵丽萍")):
        page.get_by_label("当事方").fill(party)
        page.get_by_label("签字人").fill(signer)
        click(page, page.get_by_role("button", name="记录确认"))
    assert sorted(resolution.confirmations.values_list("signed_by", flat=True)) == [
        "张国强",
        "赵丽萍",
    ]
    staff.step("both parties signed")
    click(page, page.get_by_role("link", name="打印协议"))
    assert page.get_by_text("开墙更换1202厨房下水支管").first.is_visible()
    staff.step("settlement printed")
    page.emulate_media(media="print")
    staff.step("settlement print", audit=False)
    page.emulate_media(media="screen")
    assert places.law_firm.contacts.get().name == "杜明远"
