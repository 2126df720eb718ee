"""The minutes editor: the document drawn from the record, corrections beside the section
they concern, answers, finalising (locked, read-only) and the PDF."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lib.errors import DomainError
from meetings import services
from meetings.models import Meeting, MinutesCorrection
from meetings.templatetags.documents import chinese_number, item_number, section_number
from tests.pdf_outline import pdf_headings

from .conftest import make_issue


def _ended(world, make_meeting, *titles):
    """A meeting on `titles` that was held: 李阿姨 (with her account) spoke on the first item
    and every item was agreed; now its minutes are a draft."""
    meeting = make_meeting(issues=[make_issue(world, title=t) for t in titles])
    li = services.participant_add(
        actor=world.staff_a,
        meeting=meeting,
        role="resident",
        resident=world.resident_a,
        name="李阿姨",
    )
    services.attendance_record(actor=world.staff_a, participant=li, attendance="present")
    meeting = services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    for item in meeting.agenda_items.all():
        services.opinion_add(
            actor=world.staff_a, item=item, kind="in_turn", text="一楼住户担心采光", participant=li
        )
        services.agenda_item_decide(
            actor=world.staff_a, item=item, outcome="consensus", outcome_text="按方案二加装"
        )
    return services.meeting_transition(actor=world.staff_a, meeting=meeting, action="end")


def _section(body, item):
    """The HTML of one agenda item's row of the document: its text and its margin."""
    start = body.index(f'id="item-{item.pk}"')
    end = body.find('<div class="doc-row', start)
    return body[start:end]


def test_document_names_host_recorder_and_numbers_its_sections(client, world, make_meeting):
    meeting = _ended(world, make_meeting, "加装电梯", "楼道堆物")
    client.force_login(world.staff_a)
    body = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    for text in (
        "一、",
        "基本情况",
        "二、",
        "参会人员",
        "三、",
        "（一）加装电梯",
        "（二）楼道堆物",
    ):
        assert text in body
    assert "四、" in body and "会议小结" in body
    assert "主持人（签字）" in body and "记录人（签字）" in body
    host = world.staff_a.get_full_name() or world.staff_a.username
    assert f"<td>{host}</td>" in body


def test_attendee_asks_about_an_item_and_staff_see_it_beside_that_item(client, world, make_meeting):
    meeting = _ended(world, make_meeting, "加装电梯", "楼道堆物")
    first, second = meeting.agenda_items.order_by("order")
    client.force_login(world.resident_user_a)
    url = reverse("meetings:minutes", args=[meeting.pk])
    response = client.post(
        url, {"correction": "1", "agenda_item": second.pk, "text": "我说的是二楼，不是一楼"}
    )
    assert response.status_code == 302
    correction = MinutesCorrection.objects.get()
    assert correction.agenda_item == second
    client.force_login(world.staff_a)
    body = client.get(url).content.decode()
    assert "我说的是二楼" in _section(body, second)
    assert "我说的是二楼" not in _section(body, first)
    assert f'name="correction_pk" value="{correction.pk}"' in _section(body, second)


def test_correction_about_an_item_of_another_meeting_is_refused(world, make_meeting):
    meeting = _ended(world, make_meeting, "加装电梯")
    other = make_meeting(issues=[make_issue(world, title="停车难")])
    with pytest.raises(DomainError) as raised:
        services.correction_request(
            actor=world.staff_a,
            meeting=meeting,
            text="改一下",
            agenda_item=other.agenda_items.get(),
        )
    assert raised.value.field == "agenda_item"
    assert not MinutesCorrection.objects.exists()


def test_declining_without_a_reason_keeps_the_answer_form_with_its_error(
    client, world, make_meeting
):
    meeting = _ended(world, make_meeting, "加装电梯")
    correction = services.correction_request(
        actor=world.resident_user_a, meeting=meeting, text="时间写错了"
    )
    client.force_login(world.staff_a)
    url = reverse("meetings:minutes", args=[meeting.pk])
    response = client.post(
        url,
        {"answer_correction": "1", "correction_pk": correction.pk, "accept": "0", "answer": " "},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="answer-{correction.pk}-error"' in body
    assert "请说明不采纳的理由" in body
    correction.refresh_from_db()
    assert correction.status == MinutesCorrection.Status.OPEN
    response = client.post(
        url,
        {
            "answer_correction": "1",
            "correction_pk": correction.pk,
            "accept": "0",
            "answer": "会议时间以签到表为准",
        },
    )
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == MinutesCorrection.Status.DECLINED
    assert correction.answer == "会议时间以签到表为准"


def test_summary_and_outcome_edited_in_place(client, world, make_meeting):
    meeting = _ended(world, make_meeting, "加装电梯")
    item = meeting.agenda_items.get()
    client.force_login(world.staff_a)
    url = reverse("meetings:minutes", args=[meeting.pk])
    body = client.get(url).content.decode()
    assert 'form="minutes-edit"' in body
    response = client.post(
        url,
        {
            "save_minutes": "1",
            "version": meeting.version,
            f"outcome_{item.pk}": "按方案二加装，费用按楼层分摊",
            "summary": "会议就加装电梯达成一致。",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert meeting.summary == "会议就加装电梯达成一致。"
    assert item.outcome_text == "按方案二加装，费用按楼层分摊"


def test_finalising_locks_the_minutes_and_the_page_is_read_only(client, world, make_meeting):
    meeting = _ended(world, make_meeting, "加装电梯")
    correction = services.correction_request(
        actor=world.resident_user_a, meeting=meeting, text="时间写错了"
    )
    client.force_login(world.staff_a)
    url = reverse("meetings:minutes", args=[meeting.pk])
    assert "先答复" in client.get(url).content.decode()
    response = client.post(url, {"finalise": "1", "version": meeting.version})
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ENDED
    services.correction_answer(actor=world.staff_a, correction=correction, accept=True)
    meeting.refresh_from_db()
    response = client.post(url, {"finalise": "1", "version": meeting.version})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED and meeting.minutes_finalised_at
    body = client.get(url).content.decode()
    assert "已定稿" in body
    for editing in ('id="minutes-edit"', 'name="summary"', 'name="finalise"', 'name="answer"'):
        assert editing not in body
    # The adopted request stays in the margin, answered.
    assert "时间写错了" in body and "已采纳" in body


def test_minutes_page_reads_the_same_number_of_rows_however_long_the_minutes(
    client, world, make_meeting
):
    short = _ended(world, make_meeting, "加装电梯")
    long = _ended(world, make_meeting, "加装电梯", "楼道堆物", "停车难")
    for item in long.agenda_items.all():
        services.correction_request(
            actor=world.resident_user_a, meeting=long, text="改一下", agenda_item=item
        )
    client.force_login(world.staff_a)
    counts = []
    for meeting in (short, long):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("meetings:minutes", args=[meeting.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_pdf_downloads_as_an_attachment(client, world, make_meeting):
    meeting = _ended(world, make_meeting, "加装电梯")
    client.force_login(world.staff_a)
    url = reverse("meetings:minutes_pdf", args=[meeting.pk])
    response = client.get(url, {"download": "1"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    headings = pdf_headings(response.content)
    assert {"一、基本情况", "（一）加装电梯", "四、会议小结"} <= set(headings)
    assert client.get(url)["Content-Disposition"].startswith("inline;")


@pytest.mark.parametrize(
    ("n", "chinese"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (34, "三十四")]
)
def test_sections_are_numbered_in_chinese(n, chinese):
    assert chinese_number(n) == chinese
    with translation.override("zh-hans"):
        assert section_number(n) == f"{chinese}、"
        assert item_number(n) == f"（{chinese}）"
    with translation.override("en"):
        assert section_number(n) == f"{n}. "
