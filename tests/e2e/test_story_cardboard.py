"""Story 5 of DOMAIN.md in the browser, only by clicking: 金域蓝湾.

170 households collect cardboard: piles in the stairwells (a fire risk), vegetables on
the lawns, chickens. A resident representative reports it; staff convene the community
party-mass council with the supervision committee, resident representatives, the grid
police officer, law enforcement, the property company and the lawyer. They agree on
staged measures in one go: persuade first, joint enforcement with the lawyer's legal
opinion for holdouts, the property company buys the chickens, the police officer holds
weekly fire-safety talks. The property company and the police officer report from their
own home pages; a supervision-committee member checks on site from hers.
"""

import re

import pytest
from django.utils import timezone

from issues.models import Issue, Status
from meetings.models import AgendaItem, Meeting
from resolutions.models import ActionItem, Resolution

from .places_cardboard import build_jinyulanwan
from .steps import add_participant, click, nav, open_details, record_opinion, sign_everyone_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "金域蓝湾楼道堆放纸箱、绿地种菜、散养鸡"
MEETING = "金域蓝湾环境整治党群议事会"


def report_progress(journey, measure, text, percent, *, request_check):
    """An organization contact opens the item from their home page and reports."""
    page = journey.page
    click(page, page.get_by_role("link", name=re.compile(measure)))
    page.get_by_label("已完成的工作").fill(text)
    page.locator("input[name=percent]").fill(str(percent))
    if request_check:
        page.locator("input[name=request_check]").check()
    click(page, page.get_by_role("button", name="提交进度"))


def test_cardboard_staged_measures_supervised_on_site(journey):
    places = build_jinyulanwan()
    today = timezone.localdate()

    # 1. A resident representative reports what the building sees every day.
    chen = journey("representative")
    chen.login("chenjianhua")
    page = chen.page
    chen.step("representative home")
    click(page, page.get_by_role("link", name="反映问题"))
    page.get_by_label("类别").select_option(label="楼道堆物")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("描述").fill(
        "不少住户收集纸箱堆在楼道里，有火灾隐患；还有人在绿地种菜、散养鸡，气味很大。"
    )
    page.get_by_label("地点").fill("金域蓝湾5号楼等")
    click(page, page.get_by_role("button", name="提交"))
    issue = Issue.objects.get(title=TITLE)
    chen.step("reported")

    # 2. Staff accept it and send it to the council.
    staff = journey("staff")
    staff.login("lanwan_wang")
    staff.step("staff home")
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

    # 3. The party-mass council with everyone the measures need.
    nav(page, "议事会议", "议事会议")
    click(page, page.get_by_role("link", name="召集会议"))
    page.locator("select[name=community]").select_option(label="金域蓝湾社区")
    page.locator("select[name=form]").select_option("party_mass_council")
    page.locator("input[name=title]").fill(MEETING)
    page.locator("input[name=venue]").fill("社区议事室")
    starts = timezone.localtime() + timezone.timedelta(days=1)
    page.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT09:30"))
    page.locator("input[name=ends_at]").fill(starts.strftime("%Y-%m-%dT11:00"))
    page.locator("select[name=issues]").select_option(str(issue.pk))
    click(page, page.get_by_role("button", name="召集"))
    meeting = Meeting.objects.get(title=MEETING)
    add_participant(page, "representative", resident="陈建华")
    add_participant(page, "supervisor", resident="孙桂芳")
    add_participant(page, "police", name="李警官", organization="满城派出所")
    add_participant(page, "law_enforcement", name="马队长", organization="满城综合执法中队")
    add_participant(page, "property", name="周经理", organization="蓝湾物业")
    add_participant(page, "legal", name="杜明远", organization="正和律师事务所")
    assert meeting.participants.count() >= 6
    click(page, page.get_by_role("button", name=re.compile("发出")))
    staff.step("council invited")

    # 4. The council: views on every side, then staged measures agreed by vote.
    sign_everyone_in(page)
    click(page, page.get_by_role("button", name="开始会议"))
    record_opinion(page, "陈建华", "纸箱堆到二楼拐角，晚上下楼都绊脚，出了火谁负责？")
    record_opinion(page, "李警官", "楼道堆物是消防隐患，我们每周到小区讲一次消防安全。")
    record_opinion(page, "杜明远", "先劝导、再限期；拒不清理的可依法联合执法，我出具法律意见。")
    record_opinion(page, "周经理", "散养的鸡物业按高于市场价统一收购，绿地恢复后由物业养护。")
    open_details(page, "记录议定结果")
    item = meeting.agenda_items.get()
    decide = page.locator(f"form[action$='/items/{item.pk}/decide/']")
    decide.locator("select[name=outcome]").select_option("vote")
    decide.locator("textarea[name=outcome_text]").fill(
        "分步整治：先入户劝导限期清理；拒不清理的联合执法；物业收购散养鸡；民警每周消防宣讲。"
    )
    # Those present vote: six for, one abstaining.
    decide.locator("input[name=votes_for]").fill("6")
    decide.locator("input[name=votes_against]").fill("0")
    decide.locator("input[name=votes_abstain]").fill("1")
    decide.get_by_role("button").click()
    page.get_by_text("表决通过").first.wait_for()
    item.refresh_from_db()
    assert item.outcome == AgendaItem.Outcome.VOTE
    click(page, page.get_by_role("button", name="结束会议"))
    staff.step("measures agreed")

    # 5. One resolution with its four staged measures, entered in one go.
    click(page, page.get_by_role("link", name="起草决议"))
    page.locator("input[name=title]").fill("金域蓝湾楼道堆物及散养家禽分步整治决议")
    week = today + timezone.timedelta(days=7)
    month = today + timezone.timedelta(days=30)
    rows = [
        ("user", str(places.staff.pk), "网格员、楼栋长入户劝导，限期一周清理楼道纸箱", week),
        (
            "organization",
            "满城综合执法中队",
            "对逾期拒不清理的住户联合执法，律师出具法律意见",
            month,
        ),
        ("organization", "蓝湾物业", "物业按高于市场价收购散养鸡，恢复绿地", week),
        ("organization", "满城派出所", "社区民警每周开展一次消防安全宣讲", month),
    ]
    for index, (kind, who, measure, deadline) in enumerate(rows):
        if index:
            page.get_by_role("button", name="再加一项").click()
        if kind == "user":
            page.locator(f"select[name='items-{index}-responsible_user']").select_option(who)
        else:
            page.locator(f"select[name='items-{index}-responsible_organization']").select_option(
                label=who
            )
        page.locator(f"textarea[name='items-{index}-measure']").fill(measure)
        page.locator(f"input[name='items-{index}-starts_on']").fill(today.isoformat())
        page.locator(f"input[name='items-{index}-deadline']").fill(deadline.isoformat())
    page.locator("select[name='items-3-repeat']").select_option("weekly")
    staff.step("four measures in one form")
    click(page, page.get_by_role("button", name="保存"))
    resolution = Resolution.objects.get()
    assert resolution.items.count() == 4
    click(page, page.get_by_role("button", name="通过决议"))
    click(page, page.get_by_role("button", name="公示"))
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.PUBLISHED
    staff.step("published")

    # 6. The property company reports the chickens bought; the police officer his talks.
    zhou = journey("property")
    zhou.login("lanwan_wuye")
    zhou.step("property home")
    report_progress(
        zhou,
        "收购散养鸡",
        "已按每只高于市场价20元收购散养鸡46只，绿地已翻整补种。",
        100,
        request_check=True,
    )
    chickens = ActionItem.objects.get(responsible_organization=places.property_company)
    assert chickens.status == ActionItem.Status.AWAITING_CHECK
    zhou.step("chickens bought")
    li = journey("police")
    li.login("li_jingguan")
    li.step("police home")
    report_progress(
        li,
        "消防安全宣讲",
        "本周在5号楼下开展消防安全宣讲，到场居民40余人。",
        25,
        request_check=False,
    )
    talks = ActionItem.objects.get(responsible_organization=places.police)
    assert talks.status == ActionItem.Status.IN_PROGRESS
    assert talks.updates.get().percent == 25
    li.step("weekly talk reported")

    # 7. A supervision-committee member checks the chickens on site, from her home page.
    sun = journey("supervisor")
    sun.login("sunguifang")
    sun.step("supervisor home")
    page = sun.page
    nav(page, "决议", "我的整改事项")
    sun.step("items awaiting my check")
    click(page, page.get_by_role("link", name=re.compile("收购散养鸡")))
    page.get_by_label("通过：已落实").check()
    page.locator("textarea[name=text]").fill("到小区看过，绿地上已没有鸡，草坪已补种。")
    click(page, page.get_by_role("button", name="记录核验"))
    chickens.refresh_from_db()
    assert chickens.status == ActionItem.Status.DONE
    assert chickens.confirmed_by.username == "sunguifang"
    sun.step("checked on site")

    # 8. The outcome on the public board, with the progress of its measures.
    visitor = journey("visitor")
    visitor.go("/resolutions/board/")
    click(visitor.page, visitor.page.get_by_role("link", name=re.compile("分步整治决议")))
    assert visitor.page.get_by_text("社区民警每周开展一次消防安全宣讲").is_visible()
    visitor.step("public outcome")
