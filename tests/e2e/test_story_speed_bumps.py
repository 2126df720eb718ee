"""Story 3 of DOMAIN.md in the browser, by clicking only.

永和社区: 张建国, whose grandson walks to the primary school along 永和路, asks for speed bumps on
the main road. The community's party secretary accepts the matter and takes it to the
party-mass council (难事党群议). At the council the parents speak for the bumps, 周师傅 and the
residents who ride to work against; the council decides by vote (4 for, 1 against, 1
abstaining among the six present) and meets the riders halfway: gaps at the kerb for
bicycles. The secretary drafts the resolution from the decided agenda item, adopts and
publishes it, and 张建国 reads the outcome with its vote on his issue and on the board.
"""

import re

import pytest
from django.utils import timezone

from issues.models import Issue, Status
from meetings.models import AgendaItem, Meeting, Opinion
from resolutions.models import Resolution

from .places_speed_bumps import (
    build_yonghe,
    click_and_wait,
    issue_step_form,
    menu,
    open_step,
    post_and_wait,
)
from .steps import sign_everyone_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "永和路主路车速太快，建议安装减速带"
MEETING = "永和路减速带党群议事会"
RESOLUTION = "永和路学校路段安装减速带的决议"


def record_opinion(page, item_pk, speaker, stance, text):
    form = page.locator(f"#item-{item_pk} form.opinion-form")
    form.locator("select[name$=participant]").select_option(label=speaker)
    form.locator("select[name$=stance]").select_option(stance)
    form.locator("textarea[name$=text]").fill(text)
    form.get_by_role("button", name="记录").click()
    page.locator(f"#item-{item_pk} .opinions").get_by_text(text[:12]).wait_for()


def test_speed_bumps_decided_by_the_council_by_vote(journey):
    yonghe = build_yonghe()
    today = timezone.localdate()

    # 1. 张建国 reports from his home page.
    parent = journey("parent")
    parent.login("zhangjianguo")
    parent.step("resident home")
    page = parent.page
    click_and_wait(page, page.get_by_role("link", name="反映问题").first)
    page.get_by_label("类别").select_option(label="道路交通安全")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("描述").fill(
        "永和路是社区主路，早晚上下学时车开得很快，孩子过马路太危险，建议在学校门口前后装减速带。"
    )
    page.get_by_label("地点").fill("永和路永和小学门口")
    parent.step("report form")
    post_and_wait(page, page.get_by_role("button", name="提交"))
    issue = Issue.objects.get(title=TITLE)
    assert issue.status == Status.REPORTED
    assert issue.community == yonghe.community
    parent.step("reported")

    # 2. The party secretary accepts it and sends it to the community council.
    staff = journey("secretary")
    staff.login("yh_shuji")
    staff.step("dashboard")
    page = staff.page
    click_and_wait(page, page.get_by_role("link", name=TITLE))
    staff.step("issue as reported")
    open_step(page, "受理")
    post_and_wait(page, issue_step_form(page, "accept").get_by_role("button"))
    open_step(page, "提交议事")
    form = issue_step_form(page, "send_to_deliberation")
    form.locator("select[name=deliberation_level]").select_option("community")
    form.locator("textarea[name=note]").fill("涉及全体居民出行，意见不一，提交社区党群议事会。")
    post_and_wait(page, form.get_by_role("button"))
    issue.refresh_from_db()
    assert issue.status == Status.TO_DELIBERATE
    assert issue.deliberation_level == "community"
    staff.step("sent to the council")

    # 3. The secretary convenes the party-mass council with the issue on its agenda.
    menu(page, "议事会议")
    click_and_wait(page, page.get_by_role("link", name="召集会议").first)
    page.locator("select[name=community]").select_option(label="永和社区")
    page.locator("select[name=form]").select_option("party_mass_council")
    page.locator("input[name=title]").fill(MEETING)
    page.locator("input[name=venue]").fill("永和社区党群服务中心议事室")
    starts = timezone.localtime() + timezone.timedelta(days=2)
    page.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT19:00"))
    page.locator("input[name=ends_at]").fill(starts.strftime("%Y-%m-%dT20:30"))
    option = page.locator("select[name=issues] option", has_text=TITLE)
    page.locator("select[name=issues]").select_option(option.get_attribute("value"))
    staff.step("convene form")
    post_and_wait(page, page.get_by_role("button", name="召集"))
    meeting = Meeting.objects.get(title=MEETING)
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.issue == issue
    staff.step("council convened")

    # Those the agenda proposes (the property, the grid's representatives), then the
    # resident who raised it.
    post_and_wait(page, page.get_by_role("button", name="添加所选"))
    add = page.locator("form", has=page.get_by_role("heading", name="添加参会人"))
    add.locator("select[name=role]").select_option("resident")
    add.locator("input[name=name]").fill("张建国")
    post_and_wait(page, add.get_by_role("button", name="添加", exact=True))
    assert {"周师傅", "钱阿姨", "孙老师", "张建国"} <= set(
        meeting.participants.values_list("name", flat=True)
    )
    staff.step("participants added")
    post_and_wait(page, page.get_by_role("button", name=re.compile("发出")))
    assert meeting.participants.filter(invited_at__isnull=False).count() >= 1
    staff.step("invitations sent")

    # 4. The evening of the council: everyone signs in, the meeting starts.
    sign_everyone_in(page)
    post_and_wait(page, page.get_by_role("button", name="开始会议"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_PROGRESS
    staff.step("council started")

    # 5. For and against, as they were said.
    record_opinion(
        page,
        item.pk,
        "张建国",
        "for",
        "上学放学时段车速太快，去年就有孩子被剐蹭，装减速带能让车慢下来。",
    )
    record_opinion(
        page,
        item.pk,
        "周师傅",
        "against",
        "我们骑电动车上下班，减速带太颠，下雨天容易滑倒，希望不要全路段装。",
    )
    staff.step("opinions for and against")
    assert Opinion.objects.filter(agenda_item=item, stance="for").count() == 1
    assert Opinion.objects.filter(agenda_item=item, stance="against").count() == 1

    # 6. The vote.
    open_step(page, "记录议定结果")
    decide = page.locator(f"#item-{item.pk} form[action$='/decide/']")
    decide.locator("select[name=outcome]").select_option("vote")
    decide.locator("textarea[name=outcome_text]").fill(
        "在永和小学门口前后各装一道减速带，两侧留出非机动车通行缝隙，并设提示标志。"
    )
    decide.locator("input[name=votes_for]").fill("4")
    decide.locator("input[name=votes_against]").fill("1")
    decide.locator("input[name=votes_abstain]").fill("1")
    decide.get_by_role("button", name="记录议定结果").click()
    staff.step("vote typed", audit=False)
    page.locator(f"#item-{item.pk} .badge", has_text="表决").wait_for()
    item.refresh_from_db()
    assert (item.outcome, item.votes_for, item.votes_against, item.votes_abstain) == (
        "vote",
        4,
        1,
        1,
    )
    staff.step("vote recorded")
    post_and_wait(page, page.get_by_role("button", name="结束会议"))
    staff.step("council ended")

    # 7. The resolution, drafted from the decided item, with its action items in one go.
    click_and_wait(page, page.get_by_role("link", name="起草决议").first)
    staff.step("resolution form")
    page.locator("input[name=title]").fill(RESOLUTION)
    page.locator("textarea[name=text]").fill(
        "经社区党群议事会表决（4票赞成、1票反对、1票弃权），在永和小学门口前后各安装一道减速带，"
        "减速带两侧保留非机动车通行缝隙，并设置提示标志。"
    )
    rows = [
        ("在永和小学门口前后各安装一道减速带，两侧留出非机动车通行缝隙", 14, "organization"),
        ("减速带前 30 米设置“前方减速带”提示标志并施划标线", 14, "organization"),
        ("安装后一个月内收集骑车居民意见，向议事会反馈", 45, "user"),
    ]
    for index, (measure, days, who) in enumerate(rows):
        if index:
            page.get_by_role("button", name="再加一项").click()
        page.locator(f"textarea[name='items-{index}-measure']").wait_for()
        page.locator(f"textarea[name='items-{index}-measure']").fill(measure)
        if who == "organization":
            page.locator(f"select[name='items-{index}-responsible_organization']").select_option(
                label="永和家园物业"
            )
        else:
            page.locator(f"select[name='items-{index}-responsible_user']").select_option(
                str(yonghe.secretary.pk)
            )
        page.locator(f"input[name='items-{index}-starts_on']").fill(today.isoformat())
        deadline = today + timezone.timedelta(days=days)
        page.locator(f"input[name='items-{index}-deadline']").fill(deadline.isoformat())
    staff.step("three action items")
    post_and_wait(page, page.get_by_role("button", name="保存", exact=True))
    resolution = Resolution.objects.get(title=RESOLUTION)
    assert resolution.agenda_item == item
    assert resolution.items.count() == 3
    staff.step("draft resolution")
    post_and_wait(page, page.get_by_role("button", name="通过决议"))
    post_and_wait(page, page.get_by_role("button", name="公示"))
    resolution.refresh_from_db()
    issue.refresh_from_db()
    assert resolution.status == Resolution.Status.PUBLISHED
    assert issue.status == Status.EXECUTING
    staff.step("resolution published")

    # The meeting leads to its resolution, and the issue to both.
    click_and_wait(page, page.get_by_role("link", name=MEETING).first)
    assert page.get_by_role("link", name=re.compile(RESOLUTION)).count()
    staff.step("meeting links its resolution")

    # 8. 张建国 reads the outcome from his own issue, and on the public board.
    page = parent.page
    menu(page, "我的议题")
    click_and_wait(page, page.get_by_role("link", name=TITLE).first)
    parent.step("my issue in execution")
    click_and_wait(page, page.get_by_role("link", name=RESOLUTION).first)
    assert page.get_by_text("4票赞成").first.is_visible()
    assert page.get_by_text("两侧留出非机动车通行缝隙").first.is_visible()
    parent.step("public outcome")
    menu(page, "结果公示栏")
    assert page.get_by_role("link", name=re.compile(RESOLUTION)).count()
    parent.step("public board")
