"""Story 2 of DOMAIN.md in the browser, as the people who live it.

澳海熙园 (枫林湾社区): resident Mr. Liu reports cars in the north-gate fire lane; community
staff accept it and send it to deliberation; an on-site meeting of the residents'
committee, the property company and residents agrees on three action items; the property
company reports progress, staff and a supervision-committee member confirm on site; the
outcome is published on the public board; Mr. Liu rates it; the issue is closed and the
monthly report counts it.
"""

import re

import pytest
from django.utils import timezone

from issues.models import Issue, Status
from meetings.models import Meeting
from resolutions.models import ActionItem, Resolution

from .places import build_places, photo_file

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "北门消防通道又被车辆占用"


def open_details(page, summary_text):
    page.locator("summary", has_text=summary_text).first.click()


def post_and_wait(page, button):
    with page.expect_navigation():
        button.click()


def test_fire_lane_from_report_to_monthly_report(journey, tmp_path):
    places = build_places()
    today = timezone.localdate()

    # 1. Mr. Liu reports the fire lane online.
    liu = journey("liu")
    liu.login("liu")
    liu.step("resident home")
    liu.go("/issues/new/")
    liu.step("report form")
    page = liu.page
    page.get_by_label("类别").select_option(label="消防通道")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("描述").fill("北门消防通道晚上总停满私家车，消防车进不来，反映多次了。")
    page.get_by_label("地点").fill("澳海熙园北门")
    page.get_by_label("照片").set_input_files(photo_file(tmp_path))
    post_and_wait(page, page.get_by_role("button", name="提交"))
    issue = Issue.objects.get(title=TITLE)
    assert issue.status == Status.REPORTED
    assert page.get_by_text(TITLE).first.is_visible()
    liu.step("reported")
    liu.go("/issues/mine/")
    liu.step("my issues")

    # 2. Community staff accept it and send it to deliberation.
    staff = journey("staff")
    staff.login("lizhuren")
    staff.step("staff dashboard")
    staff.go("/issues/")
    staff.step("work queue")
    page = staff.page
    page.get_by_role("link", name=TITLE).click()
    staff.step("issue as reported")
    open_details(page, "受理")
    post_and_wait(page, page.locator("form[action$='/do/accept/'] button"))
    staff.step("accepted")
    open_details(page, "提交议事")
    form = page.locator("form[action$='/do/send_to_deliberation/']")
    form.locator("select[name=deliberation_level]").select_option(index=1)
    post_and_wait(page, form.get_by_role("button"))
    issue.refresh_from_db()
    assert issue.status == Status.TO_DELIBERATE
    staff.step("sent to deliberation")

    # 3. Staff convene an on-site meeting with the issue on the agenda and invite.
    staff.go("/meetings/new/")
    staff.step("convene form")
    page.locator("select[name=community]").select_option(label="枫林湾社区")
    page.locator("select[name=form]").select_option("courtyard_council")
    page.locator("input[name=title]").fill("澳海熙园北门消防通道现场议事会")
    page.locator("input[name=venue]").fill("澳海熙园北门")
    starts = timezone.localtime() + timezone.timedelta(days=1)
    page.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT10:00"))
    page.locator("input[name=ends_at]").fill(starts.strftime("%Y-%m-%dT11:30"))
    page.locator("select[name=issues]").select_option(str(issue.pk))
    post_and_wait(page, page.get_by_role("button", name="召集"))
    meeting = Meeting.objects.get()
    staff.step("meeting convened")
    post_and_wait(page, page.get_by_role("button", name="添加所选"))
    staff.step("invitees added")
    post_and_wait(page, page.get_by_role("button", name=re.compile("发出")))
    assert meeting.participants.filter(invited_at__isnull=False).count() >= 2
    staff.step("invitations sent")

    # 4. The property manager answers the invitation.
    manager = journey("manager")
    manager.login("wangjingli")
    manager.step("contact home")
    manager.go(f"/meetings/{meeting.pk}/")
    manager.step("meeting as invitee")
    page = manager.page
    page.get_by_role("link", name="答复邀请").click()
    manager.step("answer form")
    page.locator("input[name=response][value=yes]").check()
    post_and_wait(page, page.locator("main form button[type=submit], main form button").last)
    manager.step("answered")

    # 5. The meeting: started, attendance signed, opinions, a vote.
    page = staff.page
    staff.go(f"/meetings/{meeting.pk}/")
    for row in page.locator("form.attendance-form").all():
        row.locator("select[name=attendance]").select_option("present")
        row.get_by_role("button").click()
        page.wait_for_load_state("networkidle")
    staff.step("attendance signed")
    post_and_wait(page, page.get_by_role("button", name="开始"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_PROGRESS
    staff.step("meeting started")
    opinion = page.locator("form.opinion-form").first
    opinion.locator("select[name=participant]").select_option(index=1)
    opinion.locator("textarea[name=text]").fill("晚上车多，建议加装标识、物业巡逻。")
    opinion.get_by_role("button", name="记录").click()
    page.get_by_text("晚上车多").wait_for()
    staff.step("opinion recorded")
    open_details(page, "记录议定结果")
    decide = page.locator(f"form[action$='/items/{meeting.agenda_items.get().pk}/decide/']")
    decide.locator("select[name=outcome]").select_option("vote")
    decide.locator("textarea[name=outcome_text]").fill("物业设置标识并巡逻，社区组建联合巡逻队。")
    decide.locator("input[name=votes_for]").fill("9")
    decide.locator("input[name=votes_against]").fill("1")
    decide.locator("input[name=votes_abstain]").fill("0")
    decide.get_by_role("button").click()
    page.get_by_text("物业设置标识并巡逻").first.wait_for()
    staff.step("vote recorded")

    # 6. The resolution with three action items.
    staff.go(f"/resolutions/new/agenda-item/{meeting.agenda_items.get().pk}/")
    staff.step("resolution form")
    page.locator("input[name=title]").fill("澳海熙园北门消防通道整治决议")
    page.locator("textarea[name=text]").fill("北门消防通道禁止停车，物业与社区共同维护。")
    items = [
        ("在北门设置醒目的禁停标识和地面标线", today + timezone.timedelta(days=10)),
        ("物业安排保安每晚巡查消防通道", today + timezone.timedelta(days=30)),
        ("社区组建居民、物业联合巡逻队定期巡逻", today + timezone.timedelta(days=30)),
    ]
    for index, (measure, deadline) in enumerate(items):
        if index:
            staff.go(f"/resolutions/{Resolution.objects.get().pk}/edit/")
        page.locator(f"textarea[name='items-{index}-measure']").fill(measure)
        owner = f"select[name='items-{index}-responsible_organization']"
        if index < 2:
            page.locator(owner).select_option(label="熙园物业")
        else:
            page.locator(f"select[name='items-{index}-responsible_user']").select_option(
                str(places.staff.pk)
            )
        page.locator(f"input[name='items-{index}-starts_on']").fill(today.isoformat())
        page.locator(f"input[name='items-{index}-deadline']").fill(deadline.isoformat())
        post_and_wait(page, page.get_by_role("button", name="保存"))
        staff.step(f"item {index + 1} saved")
    resolution = Resolution.objects.get()
    assert resolution.items.count() == 3
    staff.step("resolution with three items")
    post_and_wait(page, page.get_by_role("button", name="通过决议"))
    post_and_wait(page, page.get_by_role("button", name="公示"))
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.PUBLISHED
    staff.step("published")
    staff.go(f"/issues/{issue.pk}/")
    assert page.get_by_role("link", name=re.compile("澳海熙园北门消防通道现场议事会")).count()
    assert page.get_by_role("link", name=re.compile("澳海熙园北门消防通道整治决议")).count()
    staff.step("issue shows meeting and resolution")

    # 7. The property company reports progress; staff report on the community's item.
    page = manager.page
    manager.go("/resolutions/items/mine/")
    manager.step("my action items")
    for item in ActionItem.objects.filter(responsible_organization=places.property_company):
        manager.go(f"/resolutions/items/{item.pk}/")
        page.get_by_label("已完成的工作").fill("标识已安装，保安每晚 20:00 巡查。")
        page.locator("input[name=percent]").fill("100")
        page.locator("input[name=request_check]").check()
        page.locator("input[name=photos]").set_input_files(
            photo_file(tmp_path, f"done{item.pk}.jpg")
        )
        post_and_wait(page, page.get_by_role("button", name="提交进度"))
        manager.step(f"progress on item {item.order}")
    page = staff.page
    own = ActionItem.objects.get(responsible_user=places.staff)
    staff.go(f"/resolutions/items/{own.pk}/")
    page.get_by_label("已完成的工作").fill("联合巡逻队已组建，每周巡逻两次。")
    page.locator("input[name=percent]").fill("100")
    page.locator("input[name=request_check]").check()
    post_and_wait(page, page.get_by_role("button", name="提交进度"))
    staff.step("community item reported")

    # 8. On-site confirmation: the supervisor checks the property's items, staff the last.
    zhao = journey("zhao")
    zhao.login("zhao")
    page = zhao.page
    zhao.go("/resolutions/items/mine/")
    zhao.step("items awaiting my check")
    assert page.get_by_text("在北门设置醒目的禁停标识和地面标线").count()
    for item in ActionItem.objects.filter(responsible_organization=places.property_company):
        zhao.go(f"/resolutions/items/{item.pk}/")
        zhao.step(f"check form item {item.order}")
        page.get_by_label("通过：已落实").check()
        page.locator("textarea[name=text]").fill("现场看过，标识清楚，晚上没有车。")
        post_and_wait(page, page.get_by_role("button", name="记录核验"))
    page = staff.page
    staff.go(f"/resolutions/items/{own.pk}/")
    page.get_by_label("通过：已落实").check()
    page.locator("textarea[name=text]").fill("巡逻队名单和排班表已公布。")
    post_and_wait(page, page.get_by_role("button", name="记录核验"))
    issue.refresh_from_db()
    assert issue.status == Status.AWAITING_EVALUATION
    staff.step("all items confirmed")

    # Printable documents: the minutes and the agreement, as they come out of a printer.
    staff.go(f"/meetings/{meeting.pk}/minutes/")
    staff.step("minutes")
    page.emulate_media(media="print")
    staff.step("minutes print", audit=False)
    page.emulate_media(media="screen")
    staff.go(f"/resolutions/{resolution.pk}/print/")
    staff.step("agreement")
    page.emulate_media(media="print")
    staff.step("agreement print", audit=False)
    assert not page.locator("nav.yishi-navbar").is_visible()
    page.emulate_media(media="screen")

    # 9. The public board, anonymously.
    visitor = journey("visitor")
    visitor.go("/resolutions/board/")
    visitor.step("public board")
    visitor.page.get_by_role("link", name=re.compile("澳海熙园北门消防通道整治决议")).click()
    visitor.step("public outcome")
    assert visitor.page.get_by_text("物业安排保安每晚巡查消防通道").is_visible()

    # 10. Mr. Liu evaluates; the issue closes.
    page = liu.page
    liu.go("/issues/mine/")
    liu.step("my issues awaiting evaluation")
    page.get_by_role("link", name=re.compile("评议结果")).first.click()
    liu.step("evaluation form")
    page.get_by_label("满意", exact=True).check()
    page.locator("textarea[name=comment]").fill("现在晚上能走消防车了，谢谢。")
    post_and_wait(page, page.get_by_role("button", name=re.compile("提交")))
    issue.refresh_from_db()
    assert issue.status == Status.CLOSED
    liu.step("evaluated and closed")

    # 11. The monthly report counts it.
    page = staff.page
    staff.go("/reports/monthly/")
    page.locator("input[name=month]").fill(f"{today:%Y-%m}")
    post_and_wait(page, page.get_by_role("button", name="查看"))
    staff.step("monthly report")
    for label in ("收到议题", "结案议题", "召开会议", "通过决议"):
        row = page.locator("tr", has=page.locator("td, th", has_text=label)).first
        assert row.locator("td").nth(1).inner_text().strip() == "1", label
    staff.page.emulate_media(media="print")
    staff.step("monthly report print", audit=False)
    staff.page.emulate_media(media="screen")
