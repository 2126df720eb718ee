"""Story 7 of DOMAIN.md in the browser, by clicking only.

朔方社区: 李阿姨 complains that the exhaust fans of 老马家烤肉店 under her window roar until
late at night. 杨书记 holds an on-site mediation with her and 马老板: he will turn the fans
away from the windows and fit silencers by the next day. He reports it done, the secretary
confirms it on site, 李阿姨 is satisfied and the case is closed (销号).

Two months later the revisit falls due: grid worker 冯 gets the reminder on his phone, goes
back and finds the noise has returned; his revisit reopens the case. The secretary blows the
whistle (吹哨报到): the street's law-enforcement team and urban-construction office report in
and agree that the fans must go to the roof. The secretary drafts that resolution from the
escalated issue itself, 马老板 moves the fans, the secretary confirms it, 李阿姨 is satisfied
again and the case is closed for good.
"""

import re

import pytest
from django.utils import timezone

from issues.models import Issue, Status, Summons
from meetings.models import AgendaItem, Meeting
from notifications.models import Notification
from resolutions import reminders
from resolutions.models import ActionItem, Evaluation, Resolution, Revisit

from .places_fan_noise import build_shuofang
from .places_speed_bumps import (
    choose,
    click_and_wait,
    issue_step_form,
    menu,
    open_notification,
    open_notifications,
    open_step,
    post_and_wait,
)
from .steps import sign_everyone_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "楼下烤肉店排风扇噪音大，晚上睡不着"
MEETING = "老马家烤肉店风机噪音现场调解会"
FIRST = "烤肉店风机降噪整改决议"
FIRST_MEASURE = "排风机调转方向背离住户窗户，加装消声棉，晚上十点后关闭一台"
ROOF = "烤肉店风机移至楼顶的决议"
ROOF_MEASURE = "将两台排风机移至12号楼楼顶，加装消声器和减震垫"


def owner_reports_done(journey_, measure, text):
    page = journey_.page
    menu(page, "我的整改事项")
    click_and_wait(page, page.get_by_role("link", name=re.compile(re.escape(measure[:16]))).first)
    page.get_by_label("已完成的工作").fill(text)
    page.locator("input[name=percent]").fill("100")
    page.locator("input[name=request_check]").check()
    post_and_wait(page, page.get_by_role("button", name="提交进度"))


def confirm_on_site(journey_, resolution_title, measure, text):
    page = journey_.page
    menu(page, "决议")
    click_and_wait(page, page.get_by_role("link", name=resolution_title).first)
    click_and_wait(page, page.get_by_role("link", name=re.compile(re.escape(measure[:16]))))
    page.get_by_label("通过：已落实").check()
    page.locator("textarea[name=text]").fill(text)
    post_and_wait(page, page.get_by_role("button", name="记录核验"))


def evaluate(journey_, comment):
    page = journey_.page
    menu(page, "我的议题")
    click_and_wait(page, page.get_by_role("link", name=re.compile("请评价办理结果")).first)
    page.get_by_label("满意", exact=True).check()
    page.locator("textarea[name=comment]").fill(comment)
    post_and_wait(page, page.get_by_role("button", name=re.compile("提交")))


def fill_item(page, measure, deadline):
    """The one action item of a resolution on this dispute. The fix is technical, with no
    legal risk: staff take off the legal review a dispute asks for by default."""
    today = timezone.localdate()
    page.locator("input[name=legal_review_required]").uncheck()
    page.locator("textarea[name='items-0-measure']").fill(measure)
    page.locator("select[name='items-0-responsible_organization']").select_option(
        label="老马家烤肉店"
    )
    page.locator("input[name='items-0-starts_on']").fill(today.isoformat())
    page.locator("input[name='items-0-deadline']").fill(deadline.isoformat())


def test_fan_noise_fixed_recurs_reopened_by_the_revisit_and_escalated_to_the_roof(
    journey, settings
):
    # The revisit falls due two months after closure.
    settings.YISHI = {**settings.YISHI, "REVISIT_AFTER_DAYS": 60}
    places = build_shuofang()
    today = timezone.localdate()

    # 1. 李阿姨 complains online.
    li = journey("li")
    li.login("liayi")
    page = li.page
    click_and_wait(page, page.get_by_role("link", name="反映问题").first)
    page.get_by_label("类别").select_option(label="噪音")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("描述").fill(
        "12号楼楼下老马家烤肉店的两台排风扇正对我家卧室窗户，从中午响到夜里十二点，吵得睡不着。"
    )
    page.get_by_label("地点").fill("朔方小区12号楼2单元楼下")
    post_and_wait(page, page.get_by_role("button", name="提交"))
    issue = Issue.objects.get(title=TITLE)
    assert issue.kind == "dispute"
    li.step("reported")

    # 2. The secretary accepts it and holds an on-site mediation the next day.
    staff = journey("secretary")
    staff.login("sf_shuji")
    page = staff.page
    click_and_wait(page, page.get_by_role("link", name=TITLE))
    open_step(page, "受理")
    post_and_wait(page, issue_step_form(page, "accept").get_by_role("button"))
    open_step(page, "提交议事")
    form = issue_step_form(page, "send_to_deliberation")
    form.locator("select[name=deliberation_level]").select_option("building")
    form.locator("textarea[name=note]").fill("约商户和居民到现场调解。")
    post_and_wait(page, form.get_by_role("button"))
    staff.step("accepted and sent to deliberation")
    menu(page, "议事会议")
    click_and_wait(page, page.get_by_role("link", name="召集会议").first)
    page.locator("select[name=community]").select_option(label="朔方社区")
    page.locator("select[name=form]").select_option("onsite_mediation")
    page.locator("input[name=title]").fill(MEETING)
    page.locator("input[name=venue]").fill("朔方小区12号楼楼下")
    starts = timezone.localtime() + timezone.timedelta(days=1)
    page.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT15:00"))
    page.locator("input[name=ends_at]").fill(starts.strftime("%Y-%m-%dT16:00"))
    choose(page.locator("select[name=issues]"), TITLE)
    # A dispute between a resident and a merchant: a private mediation.
    page.locator("input[name=is_private]").check()
    post_and_wait(page, page.get_by_role("button", name="召集"))
    meeting = Meeting.objects.get(title=MEETING)
    assert meeting.is_private
    item = AgendaItem.objects.get(meeting=meeting)
    add = page.locator("form", has=page.get_by_role("heading", name="添加参会人"))
    for role, name, organization in (
        ("resident", "李阿姨", ""),
        ("merchant", "马老板", "老马家烤肉店"),
    ):
        add.locator("select[name=role]").select_option(role)
        add.locator("input[name=name]").fill(name)
        add.locator("input[name=organization_name]").fill(organization)
        post_and_wait(page, add.get_by_role("button", name="添加", exact=True))
    sign_everyone_in(page)
    post_and_wait(page, page.get_by_role("button", name="开始会议"))
    opinion = page.locator(f"#item-{item.pk} form.opinion-form")
    opinion.locator("select[name$=participant]").select_option(label="马老板")
    opinion.locator("textarea[name$=text]").fill(
        "风机换地方要花不少钱，先调转方向、加消声棉，明天就弄好。"
    )
    opinion.get_by_role("button", name="记录").click()
    page.get_by_text("先调转方向").wait_for()
    open_step(page, "记录议定结果")
    decide = page.locator(f"#item-{item.pk} form[action$='/decide/']")
    decide.locator("select[name=outcome]").select_option("consensus")
    decide.locator("textarea[name=outcome_text]").fill(FIRST_MEASURE + "，次日完成。")
    decide.get_by_role("button", name="记录议定结果").click()
    page.locator(f"#item-{item.pk} .badge", has_text="达成共识").wait_for()
    post_and_wait(page, page.get_by_role("button", name="结束会议"))
    staff.step("mediation agreed")

    # 3. The first resolution: one item, due tomorrow.
    click_and_wait(page, page.get_by_role("link", name="起草决议").first)
    page.locator("input[name=title]").fill(FIRST)
    page.locator("textarea[name=text]").fill("经现场调解，商户同意次日完成风机降噪整改。")
    fill_item(page, FIRST_MEASURE, today + timezone.timedelta(days=1))
    post_and_wait(page, page.get_by_role("button", name="保存", exact=True))
    post_and_wait(page, page.get_by_role("button", name="通过决议"))
    first = Resolution.objects.get(title=FIRST)
    assert first.status == Resolution.Status.ADOPTED
    staff.step("first resolution adopted")

    # 4. The next day 马老板 reports it done; the secretary confirms; 李阿姨 is satisfied.
    owner = journey("owner")
    owner.login("malaoban")
    owner.step("merchant home")
    owner_reports_done(owner, FIRST_MEASURE, "风机已调转朝向马路一侧，加装了消声棉。")
    owner.step("first fix reported")
    confirm_on_site(staff, FIRST, FIRST_MEASURE, "晚上到李阿姨家听过，噪音明显小了。")
    issue.refresh_from_db()
    assert issue.status == Status.AWAITING_EVALUATION
    evaluate(li, "现在晚上安静多了，谢谢社区。")
    issue.refresh_from_db()
    assert issue.status == Status.CLOSED
    li.step("closed after the first fix")

    # 5. Two months pass. The revisit falls due and the grid worker is reminded.
    closed_at = timezone.now() - timezone.timedelta(days=61)
    Issue.objects.filter(pk=issue.pk).update(closed_at=closed_at)
    # The grid worker's reminder, and 李阿姨 asked in the app how it is now.
    assert reminders.revisits_due() == 2
    assert Notification.objects.get(kind="revisit_due").recipient == places.worker

    worker = journey("worker", phone=True)
    worker.login("sf_wangge")
    worker.step("worker home")
    page = worker.page
    open_notifications(page)
    worker.step("notifications")
    open_notification(page, "应回访")
    worker.step("revisit form")
    page.locator("select[name=method]").select_option("visit")
    page.locator("textarea[name=findings]").fill(
        "入户回访：消声棉已脱落，风机又对着窗户，晚上十一点还很吵，李阿姨很着急。"
    )
    page.locator("input[name=problem_recurred]").check()
    post_and_wait(page, page.get_by_role("button", name="记录回访"))
    issue.refresh_from_db()
    assert issue.status == Status.ACCEPTED
    assert issue.reopen_count == 1
    assert Revisit.objects.get(issue=issue).problem_recurred
    worker.step("reopened by the revisit")

    # 6. The secretary blows the whistle: the street's departments report in.
    page = staff.page
    menu(page, "议题")
    click_and_wait(page, page.get_by_role("link", name=TITLE).first)
    staff.step("reopened issue")
    open_step(page, "吹哨上报")
    form = issue_step_form(page, "escalate")
    form.locator("select[name=escalation_mode]").select_option("whistle")
    organizations = form.locator("select[name=organizations]")
    organizations.select_option(
        [
            organizations.locator("option", has_text=name).get_attribute("value")
            for name in ("鼓楼街道综合执法队", "鼓楼街道城建办")
        ]
    )
    form.locator("textarea[name=note]").fill(
        "噪音复发，商户整改不彻底，吹哨请街道执法和城建部门到场。"
    )
    post_and_wait(page, form.get_by_role("button"))
    issue.refresh_from_db()
    assert issue.status == Status.ESCALATED
    assert Summons.objects.filter(issue=issue).count() == 2
    staff.step("whistle blown")
    # They arrive within minutes of the whistle; each report leaves the list of those due.
    arrived = timezone.localtime() + timezone.timedelta(minutes=2)
    due = page.locator("form[action*='/summons/']")
    for _ in range(2):
        row = due.first
        row.locator("input[name=arrived_at]").fill(arrived.strftime("%Y-%m-%dT%H:%M"))
        row.locator("textarea[name=action_taken]").fill(
            "到场测量夜间噪音超标，要求商户将风机移至楼顶。"
        )
        post_and_wait(page, row.get_by_role("button", name="记录"))
    assert due.count() == 0
    assert not Summons.objects.filter(issue=issue, arrived_at__isnull=True).exists()
    staff.step("departments reported in")

    # 7. What they agreed becomes a resolution, drafted from the escalated issue.
    click_and_wait(page, page.get_by_role("link", name="起草决议").first)
    staff.step("resolution form for the escalated issue")
    page.locator("input[name=title]").fill(ROOF)
    page.locator("textarea[name=text]").fill(
        "街道综合执法队、城建办到场协调，商户同意将排风机移至楼顶，三日内完成。"
    )
    fill_item(page, ROOF_MEASURE, today + timezone.timedelta(days=3))
    post_and_wait(page, page.get_by_role("button", name="保存", exact=True))
    roof = Resolution.objects.get(title=ROOF)
    assert roof.agenda_item is None and roof.issue == issue
    post_and_wait(page, page.get_by_role("button", name="通过决议"))
    issue.refresh_from_db()
    assert issue.status == Status.EXECUTING
    staff.step("roof resolution adopted")

    # 8. The fans go to the roof; confirmed; 李阿姨 is satisfied; closed for good.
    owner_reports_done(owner, ROOF_MEASURE, "两台风机已移到楼顶，装了消声器和减震垫。")
    owner.step("roof reported")
    confirm_on_site(staff, ROOF, ROOF_MEASURE, "楼顶风机已固定，夜间在李阿姨家已听不到噪音。")
    assert ActionItem.objects.get(measure=ROOF_MEASURE).status == ActionItem.Status.DONE
    evaluate(li, "风机搬到楼顶后彻底安静了。")
    issue.refresh_from_db()
    assert issue.status == Status.CLOSED
    assert Evaluation.objects.filter(issue=issue).count() == 2
    li.step("closed for good")
    # The closed case, from its last resolution: both rounds on one page.
    page = staff.page
    menu(page, "决议")
    click_and_wait(page, page.get_by_role("link", name=ROOF).first)
    click_and_wait(page, page.get_by_role("link", name=TITLE).first)
    assert page.get_by_role("link", name=re.compile(FIRST)).count()
    assert page.get_by_role("link", name=re.compile(ROOF)).count()
    staff.step("issue with both resolutions")
