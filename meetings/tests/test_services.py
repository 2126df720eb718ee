from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from communities.models import Organization
from communities.tests.factories import OrganizationContactFactory, ResidentFactory
from issues.models import Status
from lib.errors import DomainError, StaleEdit
from meetings import services
from meetings.models import AgendaItem, FormRule, Meeting, Opinion, Participant, ParticipantRole
from meetings.proposals import proposed_invitees
from notifications.models import Notification

from .conftest import make_issue

pytestmark = pytest.mark.django_db


def _start(meeting, actor, present=()):
    for participant in present:
        services.attendance_record(actor=actor, participant=participant, attendance="present")
    return services.meeting_transition(actor=actor, meeting=meeting, action="start")


def test_proposed_invitees_from_the_agenda(world, make_meeting, dispute):
    world.organization.kind = Organization.Kind.PROPERTY
    world.organization.save()
    world.organization.compounds.add(world.compound_a1)
    representative = ResidentFactory(
        household=world.household_a1, grid=world.grid_a1, name="代表甲", is_representative=True
    )
    meeting = make_meeting(issues=[dispute])
    proposals = proposed_invitees(meeting)
    names = {p.name: p.role for p in proposals}
    assert names["楼上住户王某"] == ParticipantRole.PARTY
    assert names["甲居民"] == ParticipantRole.PARTY
    assert names["甲物业经理"] == ParticipantRole.PROPERTY
    assert names["代表甲"] == ParticipantRole.REPRESENTATIVE
    # Once added, a proposal is no longer proposed.
    services.participant_add(
        actor=world.staff_a,
        meeting=meeting,
        role=ParticipantRole.REPRESENTATIVE,
        resident=representative,
    )
    assert "代表甲" not in {p.name for p in proposed_invitees(meeting)}


def test_registered_invitee_source_is_used(world, make_meeting):
    from meetings import proposals

    def source(meeting):
        yield proposals.Proposal(role=ParticipantRole.MERCHANT, name="分摊商户", reason="cost")

    proposals.register_invitee_source(source)
    try:
        assert "分摊商户" in {p.name for p in proposed_invitees(make_meeting())}
    finally:
        proposals._SOURCES.remove(source)


def test_presence_rule_blocks_start_until_met(world, make_meeting):
    FormRule.objects.create(
        form="building_council", required_roles=[ParticipantRole.PROPERTY], min_representatives=1
    )
    meeting = make_meeting()
    with pytest.raises(DomainError) as error:
        services.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    assert "Property company" in str(error.value) or "物业" in str(error.value)
    contact = OrganizationContactFactory(organization=world.organization)
    prop = services.participant_add(
        actor=world.staff_a, meeting=meeting, role=ParticipantRole.PROPERTY, contact=contact
    )
    rep = services.participant_add(
        actor=world.staff_a, meeting=meeting, role=ParticipantRole.REPRESENTATIVE, name="代表"
    )
    meeting = _start(meeting, world.staff_a, present=[prop, rep])
    assert meeting.status == Meeting.Status.IN_PROGRESS


def test_presence_rule_can_be_overridden_with_a_reason(world, make_meeting):
    FormRule.objects.create(form="building_council", min_representatives=3)
    meeting = make_meeting()
    meeting = services.meeting_transition(
        actor=world.staff_a,
        meeting=meeting,
        action="start",
        note="暴雨，改期困难",
        override_presence=True,
    )
    assert meeting.status == Meeting.Status.IN_PROGRESS


def test_all_parties_required_for_mediation(world, make_meeting, dispute):
    FormRule.objects.create(form="onsite_mediation", all_parties_required=True)
    meeting = make_meeting(form="onsite_mediation", issues=[dispute])
    services.participant_add(
        actor=world.staff_a, meeting=meeting, role=ParticipantRole.PARTY, name="王某"
    )
    assert any("王某" in p for p in services.presence_problems(meeting))


def test_start_moves_issue_into_deliberation_and_vote_waits_for_the_resolution(world, make_meeting):
    issue = make_issue(world)
    meeting = make_meeting(issues=[issue])
    voters = [
        services.participant_add(
            actor=world.staff_a, meeting=meeting, role=ParticipantRole.RESIDENT, name=f"居民{i}"
        )
        for i in range(3)
    ]
    _start(meeting, world.staff_a, present=voters)
    issue.refresh_from_db()
    assert issue.status == Status.IN_DELIBERATION
    item = meeting.agenda_items.get()
    # The convener is not marked present: three voters.
    with pytest.raises(DomainError) as error:
        services.agenda_item_decide(
            actor=world.staff_a,
            item=item,
            outcome="vote",
            outcome_text="清理",
            votes_for=3,
            votes_against=1,
            votes_abstain=0,
        )
    assert error.value.field == "votes_for"
    services.agenda_item_decide(
        actor=world.staff_a,
        item=item,
        outcome="vote",
        outcome_text="清理",
        votes_for=2,
        votes_against=1,
        votes_abstain=0,
    )
    item.refresh_from_db()
    issue.refresh_from_db()
    assert (item.outcome, item.votes_for, item.phase) == ("vote", 2, "done")
    # Agreed, but no resolution yet: the issue is not shown as 已形成决议.
    assert issue.status == Status.IN_DELIBERATION


def test_vote_with_options_counts_checked(world, make_meeting):
    meeting = make_meeting(issues=[make_issue(world)])
    p = services.participant_add(actor=world.staff_a, meeting=meeting, role="resident", name="甲")
    _start(meeting, world.staff_a, present=[p])
    item = meeting.agenda_items.get()
    with pytest.raises(DomainError):
        services.agenda_item_decide(
            actor=world.staff_a,
            item=item,
            outcome="vote",
            outcome_text="方案",
            vote_options=[{"label": "A", "votes": 1}, {"label": "B", "votes": 1}],
        )


def test_adjourn_and_continue_carries_open_items(world, make_meeting):
    done, open_one = make_issue(world, title="已议"), make_issue(world, title="未议")
    meeting = make_meeting(issues=[done, open_one])
    p = services.participant_add(actor=world.staff_a, meeting=meeting, role="party", name="当事人")
    _start(meeting, world.staff_a, present=[p])
    first = meeting.agenda_items.get(title="已议")
    services.agenda_item_decide(
        actor=world.staff_a, item=first, outcome="consensus", outcome_text="同意"
    )
    with pytest.raises(DomainError):
        services.meeting_transition(actor=world.staff_a, meeting=meeting, action="adjourn")
    meeting = services.meeting_transition(
        actor=world.staff_a, meeting=meeting, action="adjourn", note="一方当事人缺席"
    )
    start = timezone.now() + timedelta(days=7)
    follow = services.meeting_continue(
        actor=world.staff_a, meeting=meeting, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    assert follow.continues == meeting
    items = list(follow.agenda_items.all())
    assert [i.title for i in items] == ["未议"]
    assert items[0].carried_from.meeting == meeting
    assert follow.participants.filter(name="当事人").exists()
    with pytest.raises(DomainError):
        services.meeting_continue(
            actor=world.staff_a,
            meeting=meeting,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )


def test_invitation_sends_ics_that_parses_back(world, make_meeting):
    meeting = make_meeting()
    services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", resident=world.resident_a
    )
    assert services.meeting_invite(actor=world.staff_a, meeting=meeting).sent == 1
    notification = Notification.objects.get(kind="meeting_invitation")
    assert notification.recipient == world.resident_user_a
    assert notification.url.endswith(f"/meetings/{meeting.pk}/respond/")
    calendar = Calendar.from_ical(notification.attachment_content)
    event = calendar.walk("VEVENT")[0]
    assert str(event["summary"]) == "一号楼议事会"
    assert str(event["location"]) == "社区活动室"
    assert event.decoded("dtstart") == meeting.starts_at.replace(microsecond=0)
    assert event.decoded("dtend") == meeting.ends_at.replace(microsecond=0)
    # Sent once.
    assert services.meeting_invite(actor=world.staff_a, meeting=meeting).sent == 0


def test_invitations_find_the_residents_accounts_in_one_query(world, make_meeting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role
    from accounts.tests.factories import UserFactory

    def invite(count):
        meeting = make_meeting()
        for _ in range(count):
            resident = ResidentFactory(community=world.community_a)
            UserFactory(role=Role.RESIDENT, resident=resident)
            services.participant_add(
                actor=world.staff_a, meeting=meeting, role="resident", resident=resident
            )
        with CaptureQueriesContext(connection) as queries:
            assert services.meeting_invite(actor=world.staff_a, meeting=meeting).sent == count
        return [q["sql"] for q in queries if q["sql"].startswith('SELECT "accounts_user"."id"')]

    assert len(invite(2)) == len(invite(6)) == 1


def test_a_new_time_or_place_updates_the_invitees_calendars(world, make_meeting):
    meeting = make_meeting()
    services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", resident=world.resident_a
    )
    declined = services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", resident=world.resident_b
    )
    services.meeting_invite(actor=world.staff_a, meeting=meeting)
    services.participant_respond(actor=world.resident_user_b, participant=declined, response="no")
    first = Calendar.from_ical(
        Notification.objects.get(
            kind="meeting_invitation", recipient=world.resident_user_a
        ).attachment_content
    ).walk("VEVENT")[0]

    later = meeting.starts_at + timedelta(days=1)
    meeting = services.meeting_update(
        actor=world.staff_a,
        meeting=meeting,
        expected_version=meeting.version,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        venue="党群服务中心",
    )
    changed = Notification.objects.get(kind="meeting_changed")
    assert changed.recipient == world.resident_user_a  # not the one who declined
    assert "党群服务中心" in changed.body
    event = Calendar.from_ical(changed.attachment_content).walk("VEVENT")[0]
    assert str(event["uid"]) == str(first["uid"])
    assert int(event["sequence"]) > int(first["sequence"])
    assert event.decoded("dtstart") == later.replace(microsecond=0)
    # A new title alone is not a change of time or place.
    services.meeting_update(
        actor=world.staff_a, meeting=meeting, expected_version=meeting.version, title="改名"
    )
    assert Notification.objects.filter(kind="meeting_changed").count() == 1


def test_respond_yes_no(world, make_meeting):
    meeting = make_meeting()
    p = services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", resident=world.resident_a
    )
    p = services.participant_respond(
        actor=world.resident_user_a, participant=p, response="no", reason="出差"
    )
    assert (p.response, p.absence_reason) == ("no", "出差")
    with pytest.raises(DomainError):
        services.participant_respond(actor=world.resident_user_a, participant=p, response="maybe")


def test_only_the_invitee_or_the_meetings_staff_answer_an_invitation(world, make_meeting):
    meeting = make_meeting()
    p = services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", resident=world.resident_a
    )
    for stranger in (world.resident_user_b, world.staff_b, world.org_contact):
        with pytest.raises(DomainError):
            services.participant_respond(actor=stranger, participant=p, response="no")
    p.refresh_from_db()
    assert p.response == "pending" and p.responded_at is None
    # The resident said yes on the phone: staff record it.
    p = services.participant_respond(actor=world.staff_a, participant=p, response="yes")
    assert p.response == "yes"


def test_opinions_and_speaking_time_by_role(world, make_meeting):
    meeting = make_meeting(issues=[make_issue(world)])
    resident = services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", name="甲"
    )
    official = services.participant_add(
        actor=world.staff_a, meeting=meeting, role="government", name="城管"
    )
    _start(meeting, world.staff_a, present=[resident, official])
    item = meeting.agenda_items.get()
    services.opinion_add(
        actor=world.staff_a,
        item=item,
        kind="in_turn",
        text="支持",
        stance="for",
        participant=resident,
        spoken_seconds=90,
    )
    services.opinion_add(
        actor=world.staff_a,
        item=item,
        kind="answer",
        text="下周处理",
        participant=official,
        spoken_seconds=30,
    )
    services.opinion_add(
        actor=world.staff_a,
        item=item,
        kind="written",
        text="书面意见",
        speaker_name="乙",
        role="resident",
    )
    with pytest.raises(DomainError) as error:
        services.opinion_add(
            actor=world.staff_a, item=item, kind="answer", text="x", participant=resident
        )
    assert error.value.field == "participant"
    with pytest.raises(DomainError) as error:
        services.opinion_add(
            actor=world.staff_a, item=item, kind="free", text=" ", participant=resident
        )
    assert error.value.field == "text"
    rows = {r["role"]: r for r in services.speaking_time_by_role(meeting)}
    assert rows["resident"]["seconds"] == 90 and rows["resident"]["turns"] == 2
    assert rows["government"]["seconds"] == 30
    assert list(item.opinions.values_list("order", flat=True)) == [1, 2, 3]
    assert Opinion.objects.filter(stance="for").count() == 1


def test_merchants_speak_as_merchants_not_as_residents(world, make_meeting):
    """At a merchants–residents alliance the two sides sit across the table: a merchant's
    speaking time is the merchants', never counted on the residents' side."""
    meeting = make_meeting(issues=[make_issue(world)], form="merchant_alliance")
    merchant = services.participant_add(
        actor=world.staff_a, meeting=meeting, role="merchant", name="马福贵"
    )
    resident = services.participant_add(
        actor=world.staff_a, meeting=meeting, role="resident", name="甲"
    )
    _start(meeting, world.staff_a, present=[merchant, resident])
    item = meeting.agenda_items.get()
    for who, seconds in ((merchant, 120), (resident, 60)):
        services.opinion_add(
            actor=world.staff_a,
            item=item,
            kind="in_turn",
            text="意见",
            participant=who,
            spoken_seconds=seconds,
        )
    rows = {r["role"]: r for r in services.speaking_time_by_role(meeting)}
    assert (rows["merchant"]["seconds"], str(rows["merchant"]["label"])) == (120, "商户")
    assert (rows["merchant"]["resident_side"], rows["merchant"]["merchant_side"]) == (False, True)
    assert (rows["resident"]["resident_side"], rows["resident"]["merchant_side"]) == (True, False)
    # A merchant speaks for the shop, not for an office.
    with pytest.raises(DomainError):
        services.opinion_add(
            actor=world.staff_a, item=item, kind="answer", text="x", participant=merchant
        )


def test_minutes_stale_edit_and_finalise_locks(world, make_meeting):
    meeting = make_meeting(issues=[make_issue(world)])
    _start(meeting, world.staff_a)
    meeting = services.meeting_transition(actor=world.staff_a, meeting=meeting, action="end")
    item = meeting.agenda_items.get()
    version = meeting.version
    services.minutes_edit(
        actor=world.staff_a,
        meeting=meeting,
        expected_version=version,
        outcomes={item.pk: "甲的修改"},
    )
    with pytest.raises(StaleEdit):
        services.minutes_edit(
            actor=world.head_a,
            meeting=meeting,
            expected_version=version,
            outcomes={item.pk: "乙的修改"},
        )
    item.refresh_from_db()
    assert item.outcome_text == "甲的修改"
    correction = services.correction_request(
        actor=world.staff_a, meeting=meeting, text="时间写错了"
    )
    with pytest.raises(DomainError):
        services.meeting_transition(actor=world.staff_a, meeting=meeting, action="close")
    services.correction_answer(actor=world.staff_a, correction=correction, accept=True)
    meeting = services.meeting_transition(actor=world.staff_a, meeting=meeting, action="close")
    assert meeting.status == Meeting.Status.CLOSED and meeting.minutes_finalised_at
    with pytest.raises(DomainError):
        services.minutes_edit(
            actor=world.staff_a, meeting=meeting, expected_version=meeting.version, outcomes={}
        )
    with pytest.raises(DomainError):
        services.correction_request(actor=world.staff_a, meeting=meeting, text="再改")


def test_summary_not_published_for_private_mediation(world, make_meeting, dispute):
    meeting = make_meeting(issues=[dispute], is_private=True, form="onsite_mediation")
    _start(meeting, world.staff_a)
    meeting = services.meeting_transition(actor=world.staff_a, meeting=meeting, action="end")
    with pytest.raises(DomainError):
        services.summary_publish(
            actor=world.staff_a, meeting=meeting, summary="x", expected_version=meeting.version
        )


def test_other_community_staff_cannot_run_meeting(world, make_meeting):
    meeting = make_meeting()
    with pytest.raises(DomainError):
        services.meeting_transition(actor=world.staff_b, meeting=meeting, action="start")
    assert AgendaItem.objects.count() == 0
    assert Participant.objects.filter(meeting=meeting).count() == 1
