"""Each reminder sweep with time frozen: exact recipients and steps, and a rerun sends
nothing twice."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from communities.models import Resident
from issues import reminders as issue_reminders
from issues.models import Status
from meetings import reminders as meeting_reminders
from meetings.models import Meeting, Participant
from notifications.models import Notification
from resolutions import reminders as resolution_reminders
from resolutions.models import ActionItem, Resolution

from .builders import invite, make_issue, make_item, make_meeting, make_resolution

SH = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 8, 0, tzinfo=SH)

pytestmark = pytest.mark.django_db


def sent(kind):
    return sorted(
        (n.recipient.username, n.step, n.object_id)
        for n in Notification.objects.filter(kind=kind).select_related("recipient")
    )


@time_machine.travel(NOW, tick=False)
def test_action_item_deadline_in_3_days_and_tomorrow(world):
    in3 = make_item(world, deadline=TODAY + dt.timedelta(days=3))
    tomorrow = make_item(
        world,
        deadline=TODAY + dt.timedelta(days=1),
        responsible_organization=None,
        responsible_user=world.users["staff_b"],
    )
    make_item(world, deadline=TODAY + dt.timedelta(days=2))  # no reminder today
    make_item(world, deadline=TODAY + dt.timedelta(days=1), status=ActionItem.Status.DONE)

    assert resolution_reminders.action_item_deadlines() == 4
    assert sent("action_item_due") == sorted(
        [
            ("org_contact", "3d", in3.pk),
            ("worker_a1", "3d", in3.pk),
            ("staff_b", "1d", tomorrow.pk),
            ("worker_a1", "1d", tomorrow.pk),
        ]
    )
    note = Notification.objects.get(recipient=world.users["org_contact"])
    assert note.url == f"/resolutions/items/{in3.pk}/"
    assert "2026-11-23" in note.body
    assert resolution_reminders.action_item_deadlines() == 0
    assert Notification.objects.count() == 4


def test_action_item_overdue_daily_then_escalated_once(world, settings):
    settings.YISHI = {**settings.YISHI, "ESCALATE_AFTER_DAYS_OVERDUE": 3}
    resident_item = make_item(
        world,
        deadline=TODAY - dt.timedelta(days=1),
        responsible_organization=None,
        responsible_resident=world.resident_a,
    )
    with time_machine.travel(NOW, tick=False):
        assert resolution_reminders.action_item_overdue() == 2
        assert resolution_reminders.action_item_overdue() == 0
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        resolution_reminders.action_item_overdue()
    assert sent("action_item_overdue") == sorted(
        [
            ("resident_a", "overdue-2026-11-20", resident_item.pk),
            ("worker_a1", "overdue-2026-11-20", resident_item.pk),
            ("resident_a", "overdue-2026-11-21", resident_item.pk),
            ("worker_a1", "overdue-2026-11-21", resident_item.pk),
        ]
    )
    assert sent("action_item_escalated") == []
    for days in (2, 3):
        with time_machine.travel(NOW + dt.timedelta(days=days), tick=False):
            resolution_reminders.action_item_overdue()
    # Three days overdue on 11-22 (deadline 11-19): the head of community A, once.
    assert sent("action_item_escalated") == [("head_a", "escalated-2026-11-19", resident_item.pk)]


@time_machine.travel(NOW, tick=False)
def test_evaluation_requests_when_all_items_confirmed_done(world):
    world.resident_b.is_representative = True
    world.resident_b.save()
    representative = Resident.objects.create(
        community=world.community_a,
        household=world.household_a1,
        grid=world.grid_a1,
        name="代表",
        is_representative=True,
    )
    rep_user = type(world.users["staff_a"]).objects.create(
        username="rep", role="resident", resident=representative
    )
    issue = make_issue(world, status=Status.AWAITING_EVALUATION, reporter_resident=world.resident_a)
    resolution = make_resolution(world, issue=issue)
    item = make_item(world, resolution=resolution, deadline=TODAY, status=ActionItem.Status.DONE)
    other = make_item(world, resolution=resolution, deadline=TODAY)
    assert resolution_reminders.evaluation_requests() == 0  # one item still open

    other.status = ActionItem.Status.DONE
    other.save()
    assert resolution_reminders.evaluation_requests() == 2
    assert resolution_reminders.evaluation_requests() == 0
    assert sent("evaluation_request") == sorted(
        [("resident_a", "round-0", issue.pk), (rep_user.username, "round-0", issue.pk)]
    )
    assert item.pk


@time_machine.travel(NOW, tick=False)
def test_publication_ending_tomorrow(world):
    resolution = make_resolution(
        world,
        status=Resolution.Status.PUBLISHED,
        publication_starts=TODAY - dt.timedelta(days=6),
        publication_ends=TODAY + dt.timedelta(days=1),
    )
    make_resolution(
        world, status=Resolution.Status.PUBLISHED, publication_ends=TODAY + dt.timedelta(days=2)
    )
    assert resolution_reminders.publication_ending() == 2
    assert resolution_reminders.publication_ending() == 0
    assert sent("publication_ending") == sorted(
        [
            ("head_a", "ends-2026-11-21", resolution.pk),
            ("staff_a", "ends-2026-11-21", resolution.pk),
        ]
    )


def test_revisit_due_after_n_days(world, settings):
    settings.YISHI = {**settings.YISHI, "REVISIT_AFTER_DAYS": 30}
    closed = make_issue(world, status=Status.CLOSED, closed_at=NOW - dt.timedelta(days=29))
    with time_machine.travel(NOW, tick=False):
        assert resolution_reminders.revisits_due() == 0
    with time_machine.travel(NOW + dt.timedelta(days=1, minutes=1), tick=False):
        assert resolution_reminders.revisits_due() == 1
        assert resolution_reminders.revisits_due() == 0
    assert sent("revisit_due") == [("worker_a1", "closed-2026-10-22", closed.pk)]


@time_machine.travel(NOW, tick=False)
def test_issue_acceptance_handling_and_hotline_deadlines(world):
    reported = make_issue(
        world, status=Status.REPORTED, accept_deadline=NOW + dt.timedelta(hours=1)
    )
    make_issue(world, status=Status.REPORTED, accept_deadline=NOW + dt.timedelta(hours=5))
    handled = make_issue(
        world,
        status=Status.ACCEPTED,
        assignee=world.users["worker_a1"],
        handle_deadline=NOW + dt.timedelta(hours=20),
    )
    hotline = make_issue(
        world,
        status=Status.ACCEPTED,
        channel="hotline",
        hotline_ticket="GD2026112000123",
        hotline_type="complaint",
        assignee=world.users["staff_a"],
        hotline_answer_by=NOW + dt.timedelta(hours=3),
    )
    make_issue(
        world, status=Status.CLOSED, handle_deadline=NOW + dt.timedelta(hours=1)
    )  # closed: nothing
    assert issue_reminders.issue_deadlines() == 4
    assert issue_reminders.issue_deadlines() == 0
    assert sent("issue_accept_due") == sorted(
        [
            ("head_a", "accept_deadline-2026-11-20T09:00+08:00", reported.pk),
            ("staff_a", "accept_deadline-2026-11-20T09:00+08:00", reported.pk),
        ]
    )
    assert sent("issue_handle_due") == [
        ("worker_a1", "handle_deadline-2026-11-21T04:00+08:00", handled.pk)
    ]
    assert sent("hotline_answer_due") == [
        ("staff_a", "hotline_answer_by-2026-11-20T11:00+08:00", hotline.pk)
    ]


def test_special_group_visits_on_the_5th(world):
    world.resident_a.is_elderly_alone = True
    world.resident_a.save()
    world.resident_b.is_disabled = True
    world.resident_b.save()
    with time_machine.travel(dt.datetime(2026, 12, 4, 8, tzinfo=SH), tick=False):
        assert issue_reminders.special_group_visits() == 0
    with time_machine.travel(dt.datetime(2026, 12, 5, 8, tzinfo=SH), tick=False):
        assert issue_reminders.special_group_visits() == 1
        assert issue_reminders.special_group_visits() == 0
    assert sent("special_group_visits") == [("worker_a1", "2026-12", world.grid_a1.pk)]
    assert "甲居民" in Notification.objects.get().body


@time_machine.travel(NOW, tick=False)
def test_meeting_day_before_and_two_hours_before_skip_decliners(world):
    meeting = make_meeting(world, starts_at=NOW + dt.timedelta(hours=20))
    invite(meeting, user=world.users["worker_a1"])
    invite(meeting, resident=world.resident_a, response=Participant.Response.YES)
    invite(meeting, user=world.users["staff_b"], response=Participant.Response.NO)
    assert meeting_reminders.meeting_reminders() == 2
    with time_machine.travel(NOW + dt.timedelta(hours=18, minutes=30), tick=False):
        assert meeting_reminders.meeting_reminders() == 2
        assert meeting_reminders.meeting_reminders() == 0
    step = "2026-11-21T04:00+08:00"
    assert sent("meeting_reminder") == sorted(
        [
            ("resident_a", f"1d-{step}", meeting.pk),
            ("worker_a1", f"1d-{step}", meeting.pk),
            ("resident_a", f"2h-{step}", meeting.pk),
            ("worker_a1", f"2h-{step}", meeting.pk),
        ]
    )


@time_machine.travel(NOW, tick=False)
def test_meeting_ended_but_not_closed_to_convener(world):
    meeting = make_meeting(
        world,
        starts_at=NOW - dt.timedelta(days=2),
        status=Meeting.Status.ENDED,
        ended_at=NOW - dt.timedelta(days=2),
    )
    make_meeting(
        world,
        starts_at=NOW - dt.timedelta(hours=3),
        status=Meeting.Status.ENDED,
        ended_at=NOW - dt.timedelta(hours=1),
    )
    assert meeting_reminders.meetings_not_closed() == 1
    assert meeting_reminders.meetings_not_closed() == 0
    assert sent("meeting_not_closed") == [("staff_a", "open-2026-11-20", meeting.pk)]


@time_machine.travel(NOW, tick=False)
def test_meeting_adjourned_with_minutes_open_is_reminded_like_an_ended_one(world):
    """An adjourned meeting's minutes stay a draft until they are finalised, as an ended
    meeting's do (meetings.workflow.MINUTES_DRAFT): its convener is chased too."""
    adjourned = make_meeting(
        world,
        starts_at=NOW - dt.timedelta(days=2),
        status=Meeting.Status.ADJOURNED,
        ended_at=NOW - dt.timedelta(days=2),
        adjourn_reason="业主代表未到齐",
        convener=world.users["worker_a1"],
    )
    make_meeting(  # adjourned an hour ago: not yet
        world,
        starts_at=NOW - dt.timedelta(hours=3),
        status=Meeting.Status.ADJOURNED,
        ended_at=NOW - dt.timedelta(hours=1),
    )
    make_meeting(  # minutes final: nothing to chase
        world,
        starts_at=NOW - dt.timedelta(days=3),
        status=Meeting.Status.CLOSED,
        ended_at=NOW - dt.timedelta(days=3),
    )

    assert meeting_reminders.meetings_not_closed() == 1
    assert meeting_reminders.meetings_not_closed() == 0
    assert sent("meeting_not_closed") == [("worker_a1", "open-2026-11-20", adjourned.pk)]
    note = Notification.objects.get(kind="meeting_not_closed")
    assert note.url == f"/meetings/{adjourned.pk}/"


def test_monthly_council_and_quarterly_party_building(world):
    world.community_a.monthly_council_day = 23
    world.community_a.save()
    with time_machine.travel(NOW, tick=False):  # the 20th: three days before
        assert meeting_reminders.monthly_council() == 2
        assert meeting_reminders.monthly_council() == 0
        assert meeting_reminders.party_building_joint() == 0
    assert sent("monthly_council") == sorted(
        [
            ("head_a", "2026-11-3d", world.community_a.pk),
            ("staff_a", "2026-11-3d", world.community_a.pk),
        ]
    )
    with time_machine.travel(dt.datetime(2027, 1, 1, 8, tzinfo=SH), tick=False):
        assert meeting_reminders.party_building_joint() == 3
        assert meeting_reminders.party_building_joint() == 0
    assert sent("party_building_joint") == sorted(
        [
            ("head_a", "2027Q1", world.community_a.pk),
            ("staff_a", "2027Q1", world.community_a.pk),
            ("staff_b", "2027Q1", world.community_b.pk),
        ]
    )


@time_machine.travel(NOW, tick=False)
def test_an_answered_hotline_ticket_is_not_reminded(world):
    from issues.services import hotline_answer

    hotline = make_issue(
        world,
        status=Status.ACCEPTED,
        channel="hotline",
        hotline_ticket="GD2026112000124",
        hotline_type="complaint",
        assignee=world.users["staff_a"],
        hotline_answer_by=NOW + dt.timedelta(hours=3),
    )
    hotline_answer(issue=hotline, actor=world.users["staff_a"], answer="已电话答复来电人。")
    issue_reminders.issue_deadlines()
    assert sent("hotline_answer_due") == []
