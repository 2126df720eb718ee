"""The meeting console, its projector and QR-code sign-in: what the screens show, what the
database holds after a tap, and that the polls stay cheap however many people speak."""

import time

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from meetings import services, signin
from meetings.models import AgendaItem, Meeting, Opinion, Participant
from meetings.selectors import live_marker

from .conftest import make_issue

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def running(world, make_meeting):
    """A meeting in progress with the resident invited and an item under discussion."""
    meeting = make_meeting(issues=[make_issue(world)])
    services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", resident=world.resident_a
    )
    services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    meeting.refresh_from_db()
    return meeting


def _live(client, meeting, rev=None, forms=""):
    url = reverse("meetings:console_live", args=[meeting.pk])
    return client.get(url, {"rev": rev or live_marker(meeting), "forms": forms}, **HTMX)


# ---------------------------------------------------------------- the console


def test_meeting_page_leads_managers_to_the_console(client, world, make_meeting):
    meeting = make_meeting()
    client.force_login(world.staff_a)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("meetings:console", args=[meeting.pk]) in page
    # The convener is coming (she convened it): the page does not ask her to answer.
    assert reverse("meetings:respond", args=[meeting.pk]) not in page


def test_invitee_is_asked_to_answer_but_gets_no_console(client, world, make_meeting):
    meeting = make_meeting()
    services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", resident=world.resident_a
    )
    client.force_login(world.resident_user_a)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("meetings:respond", args=[meeting.pk]) in page
    assert reverse("meetings:console", args=[meeting.pk]) not in page
    assert client.get(reverse("meetings:console", args=[meeting.pk])).status_code == 403


def test_console_of_an_ended_meeting_is_gone(client, world, running):
    services.meeting_transition(actor=world.staff_a, meeting=running, action="end")
    client.force_login(world.staff_a)
    assert client.get(reverse("meetings:console", args=[running.pk])).status_code == 404


def test_tapping_a_name_signs_in_and_every_console_redraws(client, world, running):
    client.force_login(world.staff_a)
    before = live_marker(running)
    assert _live(client, running, before).status_code == 204
    resident = running.participants.get(resident=world.resident_a)
    response = client.post(
        reverse("meetings:console_attendance", args=[running.pk, resident.pk]),
        {"attendance": "present"},
        **HTMX,
    )
    assert response.status_code == 204
    assert response["HX-Trigger"] == "console-changed"
    resident.refresh_from_db()
    assert resident.attendance == Participant.Attendance.PRESENT
    page = _live(client, running, before).content.decode()
    assert 'id="console-attendance"' in page
    assert "到会 1 / 2 人" in page


def test_starting_from_the_console_comes_back_to_it(client, world, make_meeting):
    meeting = make_meeting()
    client.force_login(world.staff_a)
    response = client.post(
        reverse("meetings:transition", args=[meeting.pk]),
        {"action": "start", "version": meeting.version, "next": "console"},
    )
    assert response["Location"] == reverse("meetings:console", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_PROGRESS


def test_speaking_in_turn_gives_the_floor_and_the_opinion_keeps_the_time(client, world, running):
    client.force_login(world.staff_a)
    item = running.agenda_items.get()
    resident = running.participants.get(resident=world.resident_a)
    services.attendance_record(actor=world.staff_a, participant=resident, attendance="present")
    client.post(
        reverse("meetings:console_phase", args=[running.pk, item.pk]),
        {"phase": AgendaItem.Phase.IN_TURN},
        **HTMX,
    )
    client.post(
        reverse("meetings:console_floor", args=[running.pk]), {"participant": resident.pk}, **HTMX
    )
    running.refresh_from_db()
    assert (running.current_item, running.current_speaker) == (item, resident)
    projector = client.get(reverse("meetings:projector", args=[running.pk])).content.decode()
    assert item.title in projector and resident.name in projector

    response = client.post(
        reverse("meetings:console_opinion", args=[running.pk, item.pk]),
        {"participant": resident.pk, "stance": "for", "text": "同意清理", "spoken_seconds": 75},
        **HTMX,
    )
    assert response.status_code == 200
    opinion = Opinion.objects.get(agenda_item=item)
    assert (opinion.kind, opinion.stance, opinion.spoken_seconds) == ("in_turn", "for", 75)
    running.refresh_from_db()
    # Written down: the floor is free for the next speaker.
    assert running.current_speaker is None


def test_opinion_with_errors_keeps_what_was_typed(client, world, running):
    client.force_login(world.staff_a)
    item = running.agenda_items.get()
    services.meeting_take_up(actor=world.staff_a, meeting=running, item=item)
    response = client.post(
        reverse("meetings:console_opinion", args=[running.pk, item.pk]),
        {"speaker_name": "路过的居民", "stance": "against", "text": ""},
        **HTMX,
    )
    page = response.content.decode()
    assert "路过的居民" in page
    assert 'id="console-stance-against" value="against" autocomplete="off" checked' in page
    assert "invalid-feedback" in page
    assert not Opinion.objects.exists()


def test_only_someone_signed_in_gets_the_floor(world, running):
    resident = running.participants.get(resident=world.resident_a)
    with pytest.raises(services.DomainError):
        services.meeting_give_floor(actor=world.staff_a, meeting=running, participant=resident)


def test_outcome_from_the_console_frees_the_floor_and_closes_the_forms(client, world, running):
    client.force_login(world.staff_a)
    item = running.agenda_items.get()
    services.meeting_take_up(actor=world.staff_a, meeting=running, item=item)
    running.refresh_from_db()
    forms_key = f"{item.pk}-1"
    response = client.post(
        reverse("meetings:console_decide", args=[running.pk, item.pk]),
        {"outcome": "consensus", "outcome_text": "周六集中清理"},
        **HTMX,
    )
    assert response["HX-Trigger"] == "console-changed"
    item.refresh_from_db()
    assert (item.outcome, item.phase) == ("consensus", "done")
    page = _live(client, running, live_marker(running), forms_key).content.decode()
    assert 'id="console-forms"' in page and 'id="console-opinion"' not in page


# ---------------------------------------------------------------- QR-code sign-in


def test_invitee_signs_in_with_the_qr_code_once(client, world, running):
    url = reverse("meetings:sign_in", args=[signin.sign_in_token(running)])
    client.force_login(world.resident_user_a)
    assert "您以“居民”身份受邀参会" in client.get(url).content.decode()
    client.post(url)
    client.post(url)
    resident = running.participants.get(resident=world.resident_a)
    assert resident.attendance == Participant.Attendance.PRESENT
    assert resident.signed_in_at is not None
    assert AuditEntry.objects.filter(action="attendance").count() == 1


def test_someone_not_invited_cannot_sign_in(client, world, running):
    url = reverse("meetings:sign_in", args=[signin.sign_in_token(running)])
    # A worker of another grid of the community sees the meeting but neither is invited
    # nor runs it.
    client.force_login(world.worker_a2)
    assert client.post(url).status_code == 403
    assert not running.participants.filter(attendance="present").exists()


def test_staff_who_open_the_qr_link_are_told_what_it_is_for(client, world, running):
    assert not running.participants.filter(user=world.head_a).exists()
    url = reverse("meetings:sign_in", args=[signin.sign_in_token(running)])
    client.force_login(world.head_a)
    response = client.post(url)
    assert response.status_code == 200
    assert "受邀人扫描二维码自行签到的地址" in response.content.decode()
    assert not running.participants.filter(attendance="present").exists()


def test_forged_or_expired_code_signs_nobody_in(client, world, running):
    client.force_login(world.resident_user_a)
    forged = signin.sign_in_token(running)[:-2] + "xx"
    assert client.post(reverse("meetings:sign_in", args=[forged])).status_code == 410

    old = signing.TimestampSigner(salt=signin.SALT)
    hours = signin.MAX_AGE.total_seconds() + 60
    old.timestamp = lambda: signing.b62_encode(int(time.time() - hours))
    expired = old.sign(str(running.pk))
    assert client.post(reverse("meetings:sign_in", args=[expired])).status_code == 410
    assert not running.participants.filter(attendance="present").exists()


def test_signing_in_after_the_meeting_is_refused(client, world, running):
    services.meeting_transition(actor=world.staff_a, meeting=running, action="end")
    client.force_login(world.resident_user_a)
    response = client.post(reverse("meetings:sign_in", args=[signin.sign_in_token(running)]))
    assert response.status_code == 400
    assert "只能在会议开始前和进行中签到。" in response.content.decode()
    assert not running.participants.filter(attendance="present").exists()


# ---------------------------------------------------------------- polls stay cheap


def _crowd(world, meeting, n):
    item = meeting.agenda_items.get()
    services.meeting_take_up(actor=world.staff_a, meeting=meeting, item=item)
    people = Participant.objects.bulk_create(
        Participant(meeting=meeting, role="resident", name=f"居民{i}", attendance="present")
        for i in range(n)
    )
    Opinion.objects.bulk_create(
        Opinion(
            agenda_item=item,
            participant=p,
            speaker_name=p.name,
            role="resident",
            kind="in_turn",
            text="意见",
            order=i,
        )
        for i, p in enumerate(people)
    )
    services.meeting_give_floor(actor=world.staff_a, meeting=meeting, participant=people[0])


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params, **HTMX)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["meetings:console_live", "meetings:projector_live"])
def test_live_fragments_cost_the_same_for_10_or_100_people(client, world, make_meeting, name):
    counts = []
    for n in (10, 100):
        meeting = make_meeting(issues=[make_issue(world, title=f"议题{n}")])
        meeting = services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
        _crowd(world, meeting, n)
        client.force_login(world.staff_a)
        # Queries: session, user, the user's scope (2), the meeting; then the agenda, the
        # issues the user may open, the opinions of the item, the participants (and the
        # forms' speakers on the console when the item changed).
        version = Meeting.objects.get(pk=meeting.pk).version
        params = {"rev": f"{version}.0", "forms": ""}
        counts.append(_queries(client, reverse(name, args=[meeting.pk]), params))
    assert counts[0] == counts[1]


def test_unchanged_poll_is_one_query_after_login(client, world, running):
    client.force_login(world.staff_a)
    client.get(reverse("meetings:console_live", args=[running.pk]), {"rev": "x"}, **HTMX)
    with CaptureQueriesContext(connection) as ctx:
        response = _live(client, running)
    assert response.status_code == 204
    # Session, user, the user's scope (at most 2) and the meeting.
    assert len(ctx.captured_queries) <= 5


def test_meeting_page_count_follows_a_sign_in_made_elsewhere(client, world, running):
    client.force_login(world.staff_a)
    url = reverse("meetings:detail", args=[running.pk])
    before = live_marker(running)
    assert client.get(url, {"rev": before}, **HTMX).status_code == 204
    services.attendance_sign_in(actor=world.resident_user_a, meeting=running)
    page = client.get(url, {"rev": before}, **HTMX).content.decode()
    assert "到会 1 人" in page
    assert "到会表决人 1 人。" in page
