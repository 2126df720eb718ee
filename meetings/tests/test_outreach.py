"""Inviting everyone, account or not: the button reports what went out by channel, SMS
carry a personal link that answers the invitation without a login, slips and the board's
notice are printed for the rest, and staff record answers given on the phone."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from communities.tests.factories import OrganizationContactFactory, ResidentFactory
from core.models import AuditEntry
from meetings import services
from meetings.models import InvitationChannel, Participant
from notifications.models import Delivery, Notification, Preference
from reach.models import ShortLink

pytestmark = pytest.mark.django_db


def _resident(world, name, phone=""):
    return ResidentFactory(household=world.household_a1, grid=world.grid_a1, name=name, phone=phone)


@pytest.fixture
def invitees(world, make_meeting):
    """A meeting of staff with: a resident with an account (email on), a resident and a
    contact without an account but with a mobile number, a resident without any number,
    a name only, and an account that chose SMS."""
    meeting = make_meeting()
    add = services.participant_add
    staff = world.staff_a
    world.resident_user_a.email = "jia@example.com"
    world.resident_user_a.save()
    add(actor=staff, meeting=meeting, role="resident", resident=world.resident_a)
    people = {
        "sms_resident": _resident(world, "王大爷", "13800138000"),
        "no_phone": _resident(world, "李奶奶", ""),
        "landline": _resident(world, "赵叔叔", "0951-5012345"),
    }
    for person in people.values():
        add(actor=staff, meeting=meeting, role="resident", resident=person)
    contact = OrganizationContactFactory(
        organization=world.organization, name="孙经理", phone="13900139000"
    )
    add(actor=staff, meeting=meeting, role="property", contact=contact)
    add(actor=staff, meeting=meeting, role="other", name="街道联络员")
    texter = UserFactory(username="texter", phone="13700137000", email="")
    Preference.objects.create(user=texter, email=False, sms=True)
    add(actor=staff, meeting=meeting, role="other", user=texter)
    return meeting, people, contact


def test_inviting_reports_the_truth_by_channel(
    invitees, world, sms_outbox, django_capture_on_commit_callbacks
):
    meeting, _people, _contact = invitees
    with django_capture_on_commit_callbacks(execute=True):
        report = services.meeting_invite(actor=world.staff_a, meeting=meeting)

    assert (report.sms, report.email, report.in_app) == (3, 1, 0)
    assert sorted(p.name for p in report.to_print) == ["李奶奶", "街道联络员", "赵叔叔"]
    assert report.summary() == "已发出 4 份邀请：短信 3、邮件 1；另有 3 人无手机号，请打印通知单。"
    by_name = {p.name: p for p in meeting.participants.all()}
    assert by_name["王大爷"].invited_via == InvitationChannel.SMS
    assert by_name["孙经理"].invited_via == InvitationChannel.SMS
    assert by_name["李奶奶"].invited_via == InvitationChannel.SLIP
    assert by_name[world.resident_a.name].invited_via == InvitationChannel.EMAIL
    # The phone: one SMS to each of the three numbers, each with its own link.
    assert sorted(phone for phone, _ in sms_outbox) == ["13700137000", "13800138000", "13900139000"]
    texts = dict(sms_outbox)
    assert texts["13800138000"].startswith("【议事】甲社区邀您")
    links = re.findall(r"/s/(\w+)", texts["13800138000"] + texts["13900139000"])
    assert len(set(links)) == 2
    # Everyone invited, the convener included, is marked; nobody waits for a button.
    assert not meeting.participants.filter(invited_at__isnull=True).exists()
    entry = AuditEntry.objects.filter(action="invite").latest("pk")
    assert entry.note == report.summary()


def test_inviting_twice_or_a_retried_delivery_sends_nothing_twice(
    invitees, world, sms_outbox, django_capture_on_commit_callbacks
):
    from notifications import tasks

    meeting, *_ = invitees
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=world.staff_a, meeting=meeting)
    again = services.meeting_invite(actor=world.staff_a, meeting=meeting)
    assert again.sent == 0 and again.to_print == []
    for delivery in Delivery.objects.all():
        tasks.deliver.apply(args=[delivery.pk])
    assert len(sms_outbox) == 3


def _link_of(text):
    return re.search(r"(/s/\w+)", text).group(1)


def test_a_resident_answers_from_the_sms_link_without_a_login(
    client, invitees, world, sms_outbox, django_capture_on_commit_callbacks
):
    meeting, people, _contact = invitees
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=world.staff_a, meeting=meeting)
    link = _link_of(dict(sms_outbox)["13800138000"])

    page = client.get(link)
    body = page.content.decode()
    assert page.status_code == 200
    assert "王大爷，您好" in body and meeting.title in body and "link-page" in body
    response = client.post(link, {"response": "no", "reason": "腿脚不便"})
    assert response.status_code == 302 and response["Location"] == link
    participant = Participant.objects.get(meeting=meeting, resident=people["sms_resident"])
    assert participant.response == "no" and participant.absence_reason == "腿脚不便"
    row = AuditEntry.objects.filter(action="respond").latest("pk")
    assert row.actor is None and "王大爷" in row.note and "个人链接" in row.note
    assert AuditEntry.objects.filter(action="link_open", object_id=participant.pk).exists()
    # The answer may change until the meeting starts.
    client.post(link, {"response": "yes"})
    participant.refresh_from_db()
    assert participant.response == "yes" and participant.absence_reason == ""


def test_an_invitation_link_answers_only_its_own_invitation(
    invitees, world, django_capture_on_commit_callbacks
):
    meeting, people, _contact = invitees
    services.meeting_invite(actor=world.staff_a, meeting=meeting)
    link = ShortLink.objects.get(resident=people["sms_resident"])
    other = Participant.objects.get(meeting=meeting, contact__isnull=False)
    with pytest.raises(services.DomainError):
        services.participant_respond(actor=None, participant=other, response="yes", link=link)


def test_answers_stop_when_the_meeting_starts(client, invitees, world):
    meeting, people, _contact = invitees
    services.meeting_invite(actor=world.staff_a, meeting=meeting)
    link = ShortLink.objects.get(resident=people["sms_resident"])
    services.meeting_transition(
        actor=world.staff_a, meeting=meeting, action="start", override_presence=True, note="开始"
    )
    body = client.get(reverse("reach:open", args=[link.token])).content.decode()
    assert "会议已经开始或已经结束" in body
    client.post(reverse("reach:open", args=[link.token]), {"response": "yes"})
    assert Participant.objects.get(pk=link.object_id).response == "pending"


def test_staff_record_an_answer_given_on_the_phone(client, invitees, world):
    meeting, people, _contact = invitees
    services.meeting_invite(actor=world.staff_a, meeting=meeting)
    participant = Participant.objects.get(meeting=meeting, resident=people["no_phone"])
    client.force_login(world.staff_a)
    url = reverse("meetings:record_answer", args=[meeting.pk, participant.pk])
    response = client.post(url, {"response": "yes", "via": "phone"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.response == "yes"
    row = AuditEntry.objects.filter(action="respond").latest("pk")
    assert row.actor == world.staff_a and "电话答复" in row.note
    # Not for someone who does not run the meeting (an invitee sees it, may not run it).
    client.force_login(world.resident_user_a)
    assert client.post(url, {"response": "no", "via": "phone"}).status_code == 403


def test_slips_are_printed_for_those_no_sms_reaches_with_their_link_as_a_qr_code(
    client, invitees, world
):
    meeting, people, _contact = invitees
    services.meeting_invite(actor=world.staff_a, meeting=meeting)
    client.force_login(world.staff_a)
    body = client.get(reverse("meetings:slips", args=[meeting.pk])).content.decode()
    assert body.count('class="doc sheet-a4 slip"') == 3
    assert "李奶奶" in body and "王大爷" not in body
    link = ShortLink.objects.get(resident=people["no_phone"])
    assert f"/s/{link.token}" in body and "<svg" in body
    everyone = client.get(reverse("meetings:slips", args=[meeting.pk]) + "?all=1")
    assert everyone.content.decode().count('class="doc sheet-a4 slip"') == 5


def test_the_board_notice_carries_a_qr_code_to_the_meeting_notice(client, invitees, world):
    meeting, *_ = invitees
    services.meeting_invite(actor=world.staff_a, meeting=meeting)
    client.force_login(world.staff_a)
    body = client.get(reverse("meetings:notice", args=[meeting.pk])).content.decode()
    link = ShortLink.objects.get(purpose=services.NOTICE_PURPOSE)
    assert f"/s/{link.token}" in body and "<svg" in body
    client.logout()
    page = client.get(reverse("reach:open", args=[link.token])).content.decode()
    assert meeting.title in page and meeting.venue in page


def test_resending_replaces_the_link(
    invitees, world, sms_outbox, django_capture_on_commit_callbacks
):
    meeting, people, _contact = invitees
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=world.staff_a, meeting=meeting)
    old = ShortLink.objects.get(resident=people["sms_resident"])
    participant = Participant.objects.get(meeting=meeting, resident=people["sms_resident"])
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=world.staff_a, participant=participant)
    old.refresh_from_db()
    new = ShortLink.objects.get(resident=people["sms_resident"], revoked_at__isnull=True)
    assert old.revoked_at is not None and new.pk != old.pk
    assert [t for p, t in sms_outbox if p == "13800138000"][-1].endswith(new.token)
    with pytest.raises(services.DomainError):
        services.invitation_resend(
            actor=world.staff_a,
            participant=Participant.objects.get(meeting=meeting, resident=people["no_phone"]),
        )


def test_a_cancelled_meeting_tells_the_sms_invitees_and_stops_their_links(
    invitees, world, sms_outbox, django_capture_on_commit_callbacks
):
    meeting, _people, _contact = invitees
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=world.staff_a, meeting=meeting)
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_transition(
            actor=world.staff_a, meeting=meeting, action="cancel", note="天气原因"
        )
    texts = dict(sms_outbox)
    assert "取消" in texts["13800138000"] and "13900139000" in texts
    assert not ShortLink.objects.filter(
        purpose=services.INVITATION_PURPOSE, revoked_at__isnull=True
    ).exists()


def test_the_meeting_page_shows_how_each_invitation_went_out(client, invitees, world):
    meeting, *_ = invitees
    services.meeting_invite(actor=world.staff_a, meeting=meeting)
    Delivery.objects.filter(channel="sms").update(status="failed", last_error="网关超时")
    client.force_login(world.staff_a)
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "打印 3 份通知单" in body
    assert body.count("发送失败") == 3
    assert "记录答复" in body


def test_invitations_sent_do_not_multiply_the_meeting_pages_queries(client, world, make_meeting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(n):
        meeting = make_meeting()
        for k in range(n):
            services.participant_add(
                actor=world.staff_a,
                meeting=meeting,
                role="resident",
                resident=_resident(world, f"居民{n}-{k}", f"139{n:02d}{k:06d}"),
            )
        services.meeting_invite(actor=world.staff_a, meeting=meeting)
        client.force_login(world.staff_a)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
        return len(ctx.captured_queries)

    assert count(10) == count(100)


def test_a_residents_home_lists_their_invitations(client, world, make_meeting):
    meeting = make_meeting()
    services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", resident=world.resident_a
    )
    services.meeting_invite(actor=world.staff_a, meeting=meeting)
    client.force_login(world.resident_user_a)
    body = client.get(reverse("issues:mine")).content.decode()
    assert "我的会议邀请" in body and meeting.title in body
    assert reverse("meetings:respond", args=[meeting.pk]) in body


def test_notifications_to_people_are_the_same_rows_as_to_users(invitees, world):
    meeting, people, contact = invitees
    services.meeting_invite(actor=world.staff_a, meeting=meeting)
    by_person = Notification.objects.filter(kind="meeting_invitation", recipient__isnull=True)
    assert {n.resident_id or n.contact_id for n in by_person} == {
        people["sms_resident"].pk,
        contact.pk,
    }
    assert all(n.community_id == world.community_a.pk for n in by_person)


def test_the_slips_print_in_constant_queries(client, world, make_meeting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(n):
        meeting = make_meeting()
        for k in range(n):
            services.participant_add(
                actor=world.staff_a,
                meeting=meeting,
                role="resident",
                resident=_resident(world, f"居民{n}-{k}"),
            )
        services.meeting_invite(actor=world.staff_a, meeting=meeting)
        client.force_login(world.staff_a)
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(reverse("meetings:slips", args=[meeting.pk])).content.decode()
        assert body.count('class="doc sheet-a4 slip"') == n
        return len(ctx.captured_queries)

    assert count(10) == count(100)
