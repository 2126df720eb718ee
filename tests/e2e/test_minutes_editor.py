"""The minutes editor, as community staff use it after a meeting, by clicking only.

澳海熙园 (枫林湾社区): the north-gate fire lane and the car-park lighting were discussed at a
building council; one was voted on, one agreed. Mr. Liu, who attended, asked to correct what
the minutes say he said. Staff open the draft minutes from the menu, edit the summary and an
outcome in place, see Mr. Liu's request beside the item it concerns and adopt it, finalise the
minutes (the page turns read-only) and download the PDF. A second session on a phone reads
the same document, the request below its section.

Clicks (after logging in): 议事会议 ▸ 议事会议 → <meeting> → 会议纪要 → 保存纪要 → 采纳 →
定稿（锁定） → 确认定稿 → 下载PDF.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from issues.models import Channel, Issue, Status
from meetings import services
from meetings.models import Meeting, MinutesCorrection
from tests.pdf_outline import pdf_headings

from .conftest import SCREENSHOTS
from .places import build_places
from .steps import click, nav

pytestmark = pytest.mark.django_db(transaction=True)

MEETING = "澳海熙园消防通道与车库照明议事会"
CORRECTION = "我说的是北门晚上八点以后车最多，不是早上。"


def _issue(places, title):
    return Issue.objects.create(
        category=places.category,
        community=places.community,
        grid=places.grid,
        compound=places.compound,
        channel=Channel.WALK_IN,
        kind="public",
        urgency="normal",
        title=title,
        description=title,
        status=Status.TO_DELIBERATE,
        reported_at=timezone.now(),
    )


def _held_meeting(places):
    """The building council as it was recorded live: who came, what they said, what was
    decided; then Mr. Liu's correction request about the fire lane."""
    staff = places.staff
    start = timezone.now() + timedelta(hours=1)
    meeting = services.meeting_create(
        actor=staff,
        community=places.community,
        grid=places.grid,
        compound=places.compound,
        form="building_council",
        title=MEETING,
        venue="澳海熙园物业服务中心二楼会议室",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        issues=[_issue(places, "北门消防通道被占用"), _issue(places, "地下车库照明不足")],
    )
    liu = services.participant_add(
        actor=staff,
        meeting=meeting,
        role="resident",
        resident=places.users["liu"].resident,
        name="刘先生",
    )
    wang = services.participant_add(
        actor=staff,
        meeting=meeting,
        role="property",
        name="物业王经理",
        organization_name="熙园物业",
    )
    zhao = services.participant_add(actor=staff, meeting=meeting, role="supervisor", name="赵监督")
    for p in (liu, wang):
        services.attendance_record(actor=staff, participant=p, attendance="present")
    services.attendance_record(
        actor=staff, participant=zhao, attendance="absent", reason="外出就医"
    )
    meeting = services.meeting_transition(actor=staff, meeting=meeting, action="start")
    fire_lane, lighting = meeting.agenda_items.order_by("order")
    services.opinion_add(
        actor=staff,
        item=fire_lane,
        kind="in_turn",
        stance="for",
        participant=liu,
        text="北门早上车最多，消防车根本进不来，建议划线并装禁停标识。",
    )
    services.opinion_add(
        actor=staff,
        item=fire_lane,
        kind="in_turn",
        stance="other",
        participant=wang,
        text="物业可以安排保安夜间巡查，标识费用需要业委会同意。",
    )
    services.agenda_item_decide(
        actor=staff,
        item=fire_lane,
        outcome="vote",
        outcome_text="设置禁停标识和地面标线，物业安排夜间巡查。",
        votes_for=2,
        votes_against=0,
        votes_abstain=0,
    )
    services.opinion_add(
        actor=staff,
        item=lighting,
        kind="free",
        stance="for",
        participant=wang,
        text="本月内更换车库B区损坏灯管。",
    )
    services.agenda_item_decide(
        actor=staff, item=lighting, outcome="consensus", outcome_text="物业本月内更换灯管。"
    )
    meeting = services.meeting_transition(actor=staff, meeting=meeting, action="end")
    services.correction_request(
        actor=places.users["liu"], meeting=meeting, text=CORRECTION, agenda_item=fire_lane
    )
    return meeting, fire_lane


def _open_minutes(session):
    page = session.page
    nav(page, "议事会议", "议事会议")
    click(page, page.get_by_role("link", name=MEETING))
    click(page, page.get_by_role("link", name="会议纪要").first)
    return page


def test_staff_edit_answer_finalise_and_download_the_minutes(journey):
    places = build_places()
    meeting, fire_lane = _held_meeting(places)

    # On a phone, the draft reads top to bottom; the request follows the item it concerns.
    phone = journey("phone", phone=True)
    phone.login("lizhuren")
    page = _open_minutes(phone)
    section = page.locator(f"#item-{fire_lane.pk}")
    assert section.locator(".doc-margin").get_by_text(CORRECTION[:8]).is_visible()
    text_box = section.locator(".doc-text").bounding_box()
    margin_box = section.locator(".doc-margin").bounding_box()
    assert margin_box["y"] >= text_box["y"] + text_box["height"] - 1
    phone.step("draft minutes on a phone")

    # On a laptop: the document with its margin.
    staff = journey("staff")
    staff.login("lizhuren")
    page = _open_minutes(staff)
    assert page.get_by_role("heading", name="一、基本情况").is_visible()
    assert page.get_by_role("heading", name="（一）北门消防通道被占用").is_visible()
    # The four-character labels stay on one line.
    label = page.locator("th", has_text="会议形式").first
    assert label.evaluate("e => e.getClientRects().length") == 1
    assert label.bounding_box()["height"] < 40
    section = page.locator(f"#item-{fire_lane.pk}")
    text_box = section.locator(".doc-text").bounding_box()
    margin_box = section.locator(".doc-margin").bounding_box()
    # Beside the text, not below it.
    assert margin_box["x"] >= text_box["x"] + text_box["width"]
    assert section.locator(".doc-margin").get_by_text(CORRECTION[:8]).is_visible()
    staff.step("draft minutes with a correction request beside the item")

    # The summary and an outcome, edited where they stand in the document.
    page.get_by_role("textbox", name="会议小结").fill(
        "会议就北门消防通道和车库照明两项议题达成一致，由物业牵头落实，居监会监督。"
    )
    page.get_by_role("textbox", name="议定内容").first.fill(
        "设置禁停标识和地面标线，物业安排保安每晚巡查，重点是晚上八点以后。"
    )
    click(page, page.get_by_role("button", name="保存纪要").first)
    assert page.get_by_text("纪要已保存").first.is_visible()
    meeting.refresh_from_db()
    fire_lane.refresh_from_db()
    assert meeting.summary.startswith("会议就北门消防通道")
    assert "晚上八点以后" in fire_lane.outcome_text
    staff.step("summary saved")

    # Mr. Liu's request is adopted, with an answer.
    margin = page.locator(f"#item-{fire_lane.pk} .doc-margin")
    margin.get_by_label("答复（不采纳须说明理由）").fill("已按刘先生的意见更正发言时间。")
    click(page, margin.get_by_role("button", name="采纳"))
    correction = MinutesCorrection.objects.get()
    assert correction.status == MinutesCorrection.Status.ACCEPTED
    assert page.locator(f"#item-{fire_lane.pk} .doc-margin").get_by_text("已采纳").is_visible()
    staff.step("correction adopted")

    # Finalised: locked, and the page is read-only.
    page.locator("summary", has_text="定稿（锁定）").click()
    staff.step("finalise asked")
    click(page, page.get_by_role("button", name="确认定稿"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED and meeting.minutes_finalised_at
    assert page.get_by_text("纪要已定稿并锁定").first.is_visible()
    assert page.locator("main textarea").count() == 0
    assert page.get_by_role("button", name="保存纪要").count() == 0
    assert page.get_by_text("会议就北门消防通道").is_visible()
    staff.step("final minutes")
    page.emulate_media(media="print")
    staff.step("final minutes print", audit=False)
    page.emulate_media(media="screen")

    # The PDF, downloaded.
    with page.expect_download() as download:
        page.get_by_role("link", name="下载PDF").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf") and MEETING in pdf.suggested_filename
    SCREENSHOTS.mkdir(exist_ok=True)
    saved = SCREENSHOTS / f"{staff.name}-minutes.pdf"
    pdf.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF")
    headings = pdf_headings(content)
    for heading in (
        "一、基本情况",
        "（一）北门消防通道被占用",
        "（二）地下车库照明不足",
        "四、会议小结",
    ):
        assert heading in headings

    phone_page = _open_minutes(phone)
    assert phone_page.get_by_text("已定稿").first.is_visible()
    phone.step("final minutes on a phone")
