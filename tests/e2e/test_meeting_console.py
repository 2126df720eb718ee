"""The meeting console in the browser, by clicking only.

李主任 runs the 澳海熙园 courtyard council from the console: she opens the planned meeting
from her home page, then the console; the projector view is open on a second screen. She
taps the names of those who arrive; 刘先生 scans the QR code with his phone and signs
himself in, and the console shows him present without a reload. She starts the meeting,
takes up the fire-lane item, gives the floor in turn (依次发言, with the timer) and then
freely (自由发言), writes down each opinion with its stance, records the vote and ends the
meeting. The projector follows the item, the speaker and the outcome without a reload."""

import re

import pytest
from django.utils import timezone

from issues.models import Issue
from meetings import services
from meetings.models import AgendaItem, Meeting, Opinion, Participant

from .places import build_places
from .places_speed_bumps import menu
from .steps import click

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "澳海熙园北门消防通道被占"
MEETING = "澳海熙园消防通道庭院议事会"


def _shot(journey, page, label):
    """A step of another page of the same person (the projector on the second screen)."""
    own = journey.page
    journey.page = page
    try:
        return journey.step(label)
    finally:
        journey.page = own


def _record(page, speaker, stance, text):
    form = page.locator("#console-opinion")
    assert form.locator("select[name=participant] option:checked").inner_text() == speaker
    form.locator(f"label[for=console-stance-{stance}]").click()
    form.locator("textarea[name=text]").fill(text)
    form.get_by_role("button", name="记录", exact=True).click()
    page.locator("#console-floor .opinions").get_by_text(text).wait_for()


def _give_floor(page, name):
    page.locator("#console-floor .console-give-floor", has_text=name).click()
    page.locator("#console-floor .console-speaker-name", has_text=name).wait_for()


def test_running_a_meeting_from_the_console(journey):
    places = build_places()
    staff_user = places.users["staff"]
    issue = Issue.objects.create(
        community=places.community,
        grid=places.grid,
        compound=places.compound,
        category=places.category,
        title=TITLE,
        description="北门消防通道长期停放私家车",
        channel="walk_in",
        status="to_deliberate",
        reported_at=timezone.now(),
    )
    starts = timezone.now() + timezone.timedelta(hours=1)
    meeting = services.meeting_create(
        actor=staff_user,
        community=places.community,
        grid=places.grid,
        compound=places.compound,
        form="courtyard_council",
        title=MEETING,
        venue="澳海熙园北门议事亭",
        starts_at=starts,
        ends_at=starts + timezone.timedelta(hours=1),
        issues=[issue],
    )
    liu = places.users["liu"]
    services.participant_add(
        actor=staff_user, meeting=meeting, role="resident", resident=liu.resident
    )
    services.participant_add(
        actor=staff_user, meeting=meeting, role="supervisor", resident=places.users["zhao"].resident
    )
    services.participant_add(
        actor=staff_user,
        meeting=meeting,
        role="property",
        contact=places.users["manager"].contact,
    )
    services.meeting_invite(actor=staff_user, meeting=meeting)
    item = AgendaItem.objects.get(meeting=meeting)

    # 1. From her home page to the meeting, then its console.
    staff = journey("staff")
    staff.login("lizhuren")
    page = staff.page
    click(page, page.get_by_role("link", name=MEETING))
    # She convened it: nobody asks her whether she will come.
    assert page.get_by_role("link", name="答复邀请").count() == 0
    staff.step("meeting page planned")
    click(page, page.get_by_role("link", name="会议控制台"))
    staff.step("console before the meeting")

    # The projector view on the second screen.
    with staff.context.expect_page() as opened:
        page.get_by_role("link", name="投屏画面").click()
    projector = opened.value
    projector.wait_for_load_state()
    projector.get_by_text("会议即将开始").wait_for()
    _shot(staff, projector, "projector before the meeting")

    # The sign-in sheet for those without a phone, printed on A4.
    with staff.context.expect_page() as opened:
        page.get_by_role("link", name="打印签到表").click()
    sheet = opened.value
    sheet.wait_for_load_state()
    assert sheet.locator("tbody tr", has_text="物业王经理").count() == 1
    sheet.emulate_media(media="print")
    _shot(staff, sheet, "sign-in sheet printed")
    sheet.close()

    # 2. Sign-in: she taps the names of those who arrive…
    for n, name in enumerate(("赵监督", "物业王经理"), start=1):
        page.locator("#console-attendance button", has_text=name).click()
        page.locator("#console-count", has_text=f"到会 {n} / 4 人").wait_for()
    assert page.locator("#console-attendance button[aria-pressed=true]").count() == 2

    # …and 刘先生 scans the QR code with his phone.
    link = page.locator("a.sign-in-link").get_attribute("href")
    resident = journey("resident", phone=True)
    resident.login("liu")
    resident.go(link, sent=True)
    resident.step("QR sign-in")
    click(resident.page, resident.page.get_by_role("button", name="签到"))
    resident.page.get_by_text("您已签到").wait_for()
    resident.step("signed in")
    # The console shows him present without a reload.
    page.locator("#console-attendance button[aria-pressed=true]", has_text="刘先生").wait_for()
    page.locator("#console-count", has_text="到会 3 / 4 人").wait_for()
    assert Participant.objects.get(meeting=meeting, resident=liu.resident).attendance == "present"
    staff.step("three signed in")

    # 3. The meeting starts; the fire-lane item is taken up.
    click(page, page.get_by_role("button", name="开始会议"))
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.IN_PROGRESS
    page.locator("#console-agenda").get_by_role("button", name="讨论此项").click()
    page.locator("#console-floor h2", has_text=TITLE).wait_for()
    projector.locator(".projector-title", has_text=TITLE).wait_for()

    # 4. 依次发言: the floor to each in turn, the timer running, the opinion written down.
    page.locator(".console-phases").get_by_role("button", name=re.compile("依次发言")).click()
    page.locator(".console-phases button[aria-pressed=true]", has_text="依次发言").wait_for()
    _give_floor(page, "赵监督")
    projector.locator(".projector-name", has_text="赵监督").wait_for()
    # The timer counts on both screens; the opinion keeps the time it shows.
    projector.wait_for_function(
        "() => document.querySelector('.projector-timer').textContent.trim() !== '0:00'"
    )
    _shot(staff, projector, "projector speaker and timer")
    staff.step("console speaking in turn")
    _record(page, "赵监督", "for", "消防通道必须清空，建议划黄线并装地桩。")
    projector.locator(".projector-name").wait_for(state="detached")
    opinion = Opinion.objects.get(agenda_item=item, speaker_name="赵监督")
    assert (opinion.kind, opinion.stance) == ("in_turn", "for")
    assert opinion.spoken_seconds >= 1

    _give_floor(page, "物业王经理")
    projector.locator(".projector-name", has_text="物业王经理").wait_for()
    _record(page, "物业王经理", "against", "装地桩费用较高，建议先张贴告示、加强巡查。")

    # 5. 自由发言.
    page.locator(".console-phases").get_by_role("button", name=re.compile("自由发言")).click()
    page.locator(".console-phases button[aria-pressed=true]", has_text="自由发言").wait_for()
    projector.locator(".projector-label", has_text="自由发言").wait_for()
    _give_floor(page, "刘先生")
    projector.locator(".projector-name", has_text="刘先生").wait_for()
    _record(page, "刘先生", "other", "可以先告示一个月，不见效再装地桩。")
    staff.step("console free discussion")
    kinds = dict(Opinion.objects.filter(agenda_item=item).values_list("speaker_name", "kind"))
    assert kinds == {"赵监督": "in_turn", "物业王经理": "in_turn", "刘先生": "free"}

    # 6. The vote.
    page.locator("#console-decide summary").click()
    decide = page.locator("#console-decide form")
    decide.locator("select[name=outcome]").select_option("vote")
    decide.locator("textarea[name=outcome_text]").fill("先张贴告示一个月，仍有占道则安装地桩。")
    decide.locator("input[name=votes_for]").fill("2")
    decide.locator("input[name=votes_against]").fill("1")
    decide.locator("input[name=votes_abstain]").fill("0")
    staff.step("vote typed")
    decide.get_by_role("button", name="记录议定结果").click()
    page.locator("#console-floor .badge", has_text="表决通过").wait_for()
    projector.locator(".projector-outcome", has_text="表决通过").wait_for()
    item.refresh_from_db()
    assert (item.outcome, item.votes_for, item.votes_against, item.votes_abstain) == (
        "vote",
        2,
        1,
        0,
    )
    staff.step("outcome recorded")
    _shot(staff, projector, "projector outcome")

    # The console on a phone, as a second staff member would hold it.
    phone = journey("staff-phone", phone=True)
    phone.login("lizhuren")
    menu(phone.page, "议事会议")
    click(phone.page, phone.page.get_by_role("link", name=MEETING))
    click(phone.page, phone.page.get_by_role("link", name="会议控制台"))
    phone.step("console on a phone")

    # 7. The end: the meeting page takes over; the projector shows the meeting ended.
    click(page, page.get_by_role("button", name="结束会议"))
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.ENDED
    projector.locator(".projector-status", has_text="已结束").wait_for()
    staff.step("meeting ended")
