import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import Meeting, Opinion
from notifications.models import Notification

from .conftest import make_issue

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff_a", 200),
        ("worker_a1", 200),
        ("street_admin", 200),
        ("staff_b", 404),
        ("resident_user_b", 404),
        ("org_contact", 404),
    ],
)
def test_detail_access_per_role(client, world, make_meeting, who, expected):
    meeting = make_meeting()
    client.force_login(getattr(world, who))
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == expected


def test_invited_resident_sees_meeting_but_cannot_run_it(client, world, make_meeting):
    meeting = make_meeting()
    services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", resident=world.resident_a
    )
    client.force_login(world.resident_user_a)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    response = client.post(
        reverse("meetings:transition", args=[meeting.pk]),
        {"action": "start", "version": meeting.version},
    )
    assert response.status_code == 403
    response = client.post(reverse("meetings:respond", args=[meeting.pk]), {"response": "yes"})
    assert response.status_code == 302
    assert meeting.participants.get(resident=world.resident_a).response == "yes"


def test_invitee_is_offered_to_answer_their_invitation(client, world, make_meeting):
    from access.meetings import participant_for

    meeting = make_meeting()
    services.participant_add(actor=world.staff_a, meeting=meeting, role="other", name="物业经理")
    services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", resident=world.resident_a
    )
    client.force_login(world.resident_user_a)
    assert (
        reverse("meetings:respond", args=[meeting.pk])
        in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    )
    # The page finds the invitation among the participants it has read, as the database
    # would.
    participants = list(meeting.participants.all())
    for user in (world.resident_user_a, world.staff_a, world.staff_b, world.org_contact):
        assert participant_for(user, meeting, among=participants) == participant_for(user, meeting)
    assert participant_for(world.resident_user_a, meeting).resident == world.resident_a


def test_continuation_is_offered_until_one_is_convened(client, world, make_meeting):
    meeting = make_meeting(issues=[make_issue(world, title="未议")])
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    meeting = services.meeting_transition(
        actor=world.staff_a, meeting=meeting, action="adjourn", note="当事人缺席"
    )
    client.force_login(world.staff_a)
    url = reverse("meetings:detail", args=[meeting.pk])
    convene = reverse("meetings:continue", args=[meeting.pk])
    assert convene in client.get(url).content.decode()
    start = timezone.now() + timedelta(days=7)
    services.meeting_continue(
        actor=world.staff_a, meeting=meeting, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    assert convene not in client.get(url).content.decode()


def test_no_continuation_is_offered_when_every_item_was_agreed(client, world, make_meeting):
    meeting = make_meeting(issues=[make_issue(world, title="已议")])
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    meeting.agenda_items.update(outcome="consensus", outcome_text="同意")
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="end")
    client.force_login(world.staff_a)

    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    assert reverse("meetings:continue", args=[meeting.pk]) not in body


def test_list_and_create_need_a_worker(client, world):
    client.force_login(world.resident_user_a)
    assert client.get(reverse("meetings:create")).status_code == 403
    assert client.get(reverse("meetings:list")).status_code == 200
    client.logout()
    assert client.get(reverse("meetings:list")).status_code == 302


def test_create_keeps_input_on_error(client, world):
    client.force_login(world.staff_a)
    start = timezone.localtime() + timedelta(days=2)
    data = {
        "community": world.community_a.pk,
        "form": "building_council",
        "title": "议事会",
        "venue": "活动室",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(reverse("meetings:create"), data)
    assert response.status_code == 200
    assert "议事会" in response.content.decode()
    assert response.context["form"].errors["ends_at"]
    data["ends_at"] = (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("meetings:create"), data)
    meeting = Meeting.objects.get()
    assert response.url == reverse("meetings:detail", args=[meeting.pk])


def test_private_mediation_seen_only_by_staff_grid_workers_and_parties(
    client, world, make_meeting, dispute
):
    meeting = make_meeting(issues=[dispute], is_private=True, form="onsite_mediation")
    services.participant_add(
        actor=world.staff_a, meeting=meeting, role="party", resident=world.resident_a
    )
    url = reverse("meetings:detail", args=[meeting.pk])
    for who, expected in [
        ("staff_a", 200),
        ("worker_a1", 200),
        ("resident_user_a", 200),
        ("worker_a2", 404),
        ("street_admin", 404),
        ("resident_user_b", 404),
    ]:
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == expected, who
        listed = client.get(reverse("meetings:list")).content.decode()
        assert ("一号楼议事会" in listed) == (expected == 200), who


def test_list_query_count_constant(client, world, make_meeting):
    client.force_login(world.staff_a)
    for _ in range(10):
        make_meeting()
    few = _count(client, reverse("meetings:list"))
    for _ in range(90):
        make_meeting()
    assert _count(client, reverse("meetings:list")) == few


def test_detail_query_count_constant_in_opinions(client, world, make_meeting, settings):
    # The page's own queries: opinions are added in bulk (no model signal moves the
    # meeting's version), and the page is built each time, not served from the cache.
    settings.PAGE_CACHE_SECONDS = 0
    meeting = make_meeting(issues=[make_issue(world)])
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    item = meeting.agenda_items.get()
    participant = meeting.participants.get()

    def add(n):
        Opinion.objects.bulk_create(
            Opinion(
                agenda_item=item,
                participant=participant,
                speaker_name="甲",
                role="staff",
                kind="free",
                text=f"意见{i}",
                order=i,
            )
            for i in range(n)
        )

    client.force_login(world.staff_a)
    url = reverse("meetings:detail", args=[meeting.pk])
    add(10)
    few = _count(client, url)
    add(90)
    assert _count(client, url) == few
    assert "意见89" in client.get(url).content.decode()


def test_htmx_opinion_error_keeps_input_and_success_renders_item(client, world, make_meeting):
    meeting = make_meeting(issues=[make_issue(world)])
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    item = meeting.agenda_items.get()
    client.force_login(world.staff_a)
    url = reverse("meetings:opinion_add", args=[meeting.pk, item.pk])
    response = client.post(
        url,
        {"kind": "free", "stance": "for", "text": "我赞成加装", "spoken_seconds": "5"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "我赞成加装" in body  # the text typed is kept
    assert "Choose the speaker" in body or "选择发言人" in body
    assert not item.opinions.exists()
    response = client.post(
        url,
        {
            "kind": "free",
            "stance": "for",
            "text": "我赞成加装",
            "speaker_name": "王大爷",
            "spoken_seconds": "65",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "王大爷" in response.content.decode()
    assert item.opinions.get().spoken_seconds == 65


def test_decide_vote_over_present_shows_error(client, world, make_meeting):
    meeting = make_meeting(issues=[make_issue(world)])
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    item = meeting.agenda_items.get()
    client.force_login(world.staff_a)
    response = client.post(
        reverse("meetings:item_decide", args=[meeting.pk, item.pk]),
        {"outcome": "vote", "outcome_text": "加装电梯", "votes_for": "5", "votes_against": "0"},
    )
    assert response.status_code == 400
    assert "加装电梯" in response.content.decode()
    item.refresh_from_db()
    assert item.outcome == "pending"


def test_ics_download_and_calendar(client, world, make_meeting):
    meeting = make_meeting()
    client.force_login(world.staff_a)
    response = client.get(reverse("meetings:ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["summary"]) == meeting.title
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    for view in ("week", "month"):
        response = client.get(reverse("meetings:calendar"), {"view": view, "date": day})
        assert meeting.title in response.content.decode()
    client.force_login(world.staff_b)
    assert (
        meeting.title
        not in client.get(reverse("meetings:calendar"), {"date": day}).content.decode()
    )
    assert client.get(reverse("meetings:ics", args=[meeting.pk])).status_code == 404


def test_minutes_page_and_pdf(client, world, make_meeting):
    meeting = make_meeting(issues=[make_issue(world, title="加装电梯")])
    p = services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", name="李阿姨"
    )
    services.attendance_record(actor=world.staff_a, participant=p, attendance="present")
    meeting = services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    item = meeting.agenda_items.get()
    services.opinion_add(
        actor=world.staff_a, item=item, kind="in_turn", text="一楼住户担心采光", participant=p
    )
    services.agenda_item_decide(
        actor=world.staff_a, item=item, outcome="consensus", outcome_text="按方案二加装"
    )
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="end")
    client.force_login(world.staff_a)
    body = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    for text in ("加装电梯", "李阿姨", "一楼住户担心采光", "按方案二加装"):
        assert text in body
    response = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_minutes_stale_edit_shows_error(client, world, make_meeting):
    meeting = make_meeting(issues=[make_issue(world)])
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    meeting = services.meeting_transition(actor=world.staff_a, meeting=meeting, action="end")
    item = meeting.agenda_items.get()
    client.force_login(world.staff_a)
    url = reverse("meetings:minutes", args=[meeting.pk])
    data = {
        "save_minutes": "1",
        "version": meeting.version,
        f"outcome_{item.pk}": "第一版",
        "summary": "",
    }
    assert client.post(url, data).status_code == 302
    data[f"outcome_{item.pk}"] = "第二版"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "第二版" in response.content.decode()
    item.refresh_from_db()
    assert item.outcome_text == "第一版"


def test_agenda_add_requires_issue_or_title(client, world, make_meeting):
    meeting = make_meeting()
    client.force_login(world.staff_a)
    url = reverse("meetings:agenda_add", args=[meeting.pk])
    response = client.post(url, {"title": ""})
    assert response.status_code == 400
    assert not meeting.agenda_items.exists()
    issue = make_issue(world, title="停车难")
    assert client.post(url, {"issue": issue.pk}).status_code == 302
    assert meeting.agenda_items.get().title == "停车难"
    client.force_login(world.worker_a2)
    assert client.post(url, {"title": "x"}).status_code == 403


def test_planned_meeting_page_proposes_and_invites(client, world, make_meeting, dispute):
    meeting = make_meeting(issues=[dispute])
    client.force_login(world.staff_a)
    url = reverse("meetings:detail", args=[meeting.pk])
    body = client.get(url).content.decode()
    assert "楼上住户王某" in body and "甲居民" in body
    response = client.post(
        reverse("meetings:participant_add", args=[meeting.pk]), {"proposal": ["0", "1"]}
    )
    assert response.status_code == 302
    assert meeting.participants.count() == 3
    client.post(reverse("meetings:invite", args=[meeting.pk]))
    client.force_login(world.resident_user_a)
    response = client.get(reverse("meetings:respond", args=[meeting.pk]))
    assert response.status_code == 200
    assert meeting.title in response.content.decode()
    response = client.post(
        reverse("meetings:respond", args=[meeting.pk]), {"response": "no", "reason": "住院"}
    )
    assert meeting.participants.get(resident=world.resident_a).absence_reason == "住院"


def test_staff_invite_a_resident_picked_by_name_or_anyone_by_name(client, world, make_meeting):
    meeting = make_meeting()
    client.force_login(world.staff_a)
    url = reverse("meetings:participant_add", args=[meeting.pk])
    assert client.post(url, {"role": "resident", "resident": "甲居民"}).status_code == 302
    added = meeting.participants.get(resident=world.resident_a)
    assert added.name == "甲居民"
    assert client.post(url, {"role": "other", "name": "区人大代表李某"}).status_code == 302
    assert meeting.participants.filter(name="区人大代表李某", resident=None).exists()
    response = client.post(url, {"role": "resident", "resident": "乙居民"})  # community B
    assert response.status_code == 400
    assert "resident" in response.context["participant_form"].errors
    response = client.post(url, {"role": "resident"})
    assert "name" in response.context["participant_form"].errors
    client.post(reverse("meetings:invite", args=[meeting.pk]))
    assert Notification.objects.filter(
        kind="meeting_invitation", recipient=world.resident_user_a
    ).exists()


def test_edit_planned_meeting_and_stale_version(client, world, make_meeting):
    meeting = make_meeting()
    client.force_login(world.staff_a)
    url = reverse("meetings:edit", args=[meeting.pk])
    assert client.get(url).status_code == 200
    start = timezone.localtime(meeting.starts_at)
    data = {
        "title": "改期的议事会",
        "venue": "二楼会议室",
        "version": meeting.version,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post(url, data).status_code == 302
    data["title"] = "另一人的修改"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "另一人的修改" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "改期的议事会"
    client.force_login(world.staff_b)
    assert client.get(url).status_code == 404
    client.force_login(world.resident_user_a)
    assert client.get(url).status_code == 404


def test_attendance_htmx_returns_the_row(client, world, make_meeting):
    meeting = make_meeting()
    p = services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", name="赵大姐"
    )
    client.force_login(world.staff_a)
    url = reverse("meetings:attendance", args=[meeting.pk, p.pk])
    response = client.post(url, {"attendance": "present"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="participant-{p.pk}"' in body and "<html" not in body
    p.refresh_from_db()
    assert p.attendance == "present" and p.signed_in_at
    client.force_login(world.worker_a2)
    assert client.post(url, {"attendance": "absent"}).status_code == 403


def test_attendance_htmx_brings_the_present_counts_out_of_band(client, world, make_meeting):
    """Signing one person in changes "N present" in the participants' heading and "N voters
    present" above each outcome form: the answer carries both, swapped out of band."""
    meeting = make_meeting(issues=[make_issue(world)])
    first, second = (
        services.participant_add(actor=world.staff_a, meeting=meeting, role="resident", name=n)
        for n in ("赵大姐", "钱大爷")
    )
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    client.force_login(world.staff_a)
    services.attendance_record(actor=world.staff_a, participant=first, attendance="present")
    url = reverse("meetings:attendance", args=[meeting.pk, second.pk])
    body = client.post(url, {"attendance": "late"}, HTTP_HX_REQUEST="true").content.decode()
    counts = re.search(r'<small[^>]*id="present-count"[^>]*hx-swap-oob="true"[^>]*>([^<]*)<', body)
    voters = re.search(r'<span[^>]*hx-swap-oob="outerHTML:\.voters-present"[^>]*>([^<]*)<', body)
    assert counts and counts.group(1).strip() == "到会 2 人"
    assert voters and voters.group(1).strip() == "到会表决人 2 人。"
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'id="present-count"' in page and 'class="voters-present"' in page


def test_vote_between_options_from_the_page(client, world, make_meeting):
    meeting = make_meeting(issues=[make_issue(world)])
    voters = [
        services.participant_add(
            actor=world.staff_a, meeting=meeting, role="resident", name=f"居民{i}"
        )
        for i in range(3)
    ]
    for voter in voters:
        services.attendance_record(actor=world.staff_a, participant=voter, attendance="present")
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    item = meeting.agenda_items.get()
    client.force_login(world.staff_a)
    url = reverse("meetings:item_decide", args=[meeting.pk, item.pk])
    data = {"outcome": "vote", "outcome_text": "选方案甲", "vote_options": "方案甲 2\n方案乙：1"}
    assert client.post(url, data).status_code == 400
    data["vote_options"] = "方案甲：2\n方案乙: 1"
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.vote_options == [{"label": "方案甲", "votes": 2}, {"label": "方案乙", "votes": 1}]
    body = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    # The minutes count the votes in a table: each option and its votes.
    assert '<td>方案乙</td><td class="num">1</td>' in body


def test_no_agreement_item_carried_to_a_later_meeting(world, make_meeting):
    meeting = make_meeting(issues=[make_issue(world, title="油烟扰民")])
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    item = meeting.agenda_items.get()
    services.agenda_item_decide(actor=world.staff_a, item=item, outcome="no_agreement")
    meeting = services.meeting_transition(actor=world.staff_a, meeting=meeting, action="end")
    start = timezone.now() + timedelta(days=14)
    follow = services.meeting_continue(
        actor=world.staff_a, meeting=meeting, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    assert follow.agenda_items.get().carried_from == item
