"""Every transition of workflow.TRANSITIONS from every status and by every role."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from core.audit import timeline_of
from issues.models import Issue, Status, TimeLimit, overdue_q
from issues.services import TransitionNotAllowed, issue_transition
from issues.workflow import HEAD, ISSUE, TRANSITIONS, register_guard, unregister_guard
from lib.errors import DomainError, StaleEdit
from lib.worktime import TZ

CHANGES = {"send_to_deliberation": {"deliberation_level": "compound"}}

CASES = [(action, status) for action in TRANSITIONS for status in Status.values]


def _put_in(issue, status):
    fields = {"status": status}
    if status == Status.DEFERRED:
        fields["status_before_deferral"] = Status.ACCEPTED
    Issue.objects.filter(pk=issue.pk).update(**fields)
    issue.refresh_from_db()


def _changes(action, make_issue):
    if action == "merge":
        return {"into": make_issue(title="另一个议题")}
    return CHANGES.get(action, {})


@pytest.fixture
def table_only(monkeypatch):
    """The table alone: the conditions higher apps register on a move (a resolution
    adopted, its items finished) are tested with those apps."""
    monkeypatch.setattr(ISSUE, "_guards", {})


@pytest.mark.usefixtures("table_only")
@pytest.mark.parametrize(("action", "status"), CASES)
def test_transition_allowed_only_from_its_sources(world, make_issue, action, status):
    transition = TRANSITIONS[action]
    issue = make_issue()
    _put_in(issue, status)
    changes = _changes(action, make_issue)
    actor = world.head_a  # community head: staff who may also defer
    if status in transition.sources:
        result = issue_transition(
            issue=issue, action=action, actor=actor, note="现场处理完毕", **changes
        )
        expected = transition.target or Status.ACCEPTED
        assert result.status == expected
        assert timeline_of(issue).filter(action=action, to_status=expected).exists()
    else:
        target = transition.target or ""
        if status == target:
            # Asking for the state that already holds is a no-op.
            assert (
                issue_transition(
                    issue=issue, action=action, actor=actor, note="x", **changes
                ).status
                == status
            )
        else:
            with pytest.raises(TransitionNotAllowed):
                issue_transition(issue=issue, action=action, actor=actor, note="x", **changes)
            issue.refresh_from_db()
            assert issue.status == status


ROLE_USERS = {
    "staff": "staff_a",
    "grid_worker": "worker_a1",
    "street_admin": "street_admin",
    HEAD: "head_a",
}
ROLE_CASES = [
    (action, user)
    for action in TRANSITIONS
    for user in [*ROLE_USERS.values(), "staff_b", "worker_a2", "resident_user_a"]
]


@pytest.mark.usefixtures("table_only")
@pytest.mark.parametrize(("action", "username"), ROLE_CASES)
def test_transition_roles(world, make_issue, action, username):
    transition = TRANSITIONS[action]
    issue = make_issue()
    _put_in(issue, sorted(transition.sources)[0])
    user = getattr(world, username)
    allowed_users = {ROLE_USERS[role] for role in transition.roles}
    if "staff" in transition.roles:
        allowed_users.add("head_a")
    changes = _changes(action, make_issue)
    if username in allowed_users:
        result = issue_transition(issue=issue, action=action, actor=user, note="说明", **changes)
        assert result.status != sorted(transition.sources)[0] or transition.target is None
    else:
        with pytest.raises(TransitionNotAllowed):
            issue_transition(issue=issue, action=action, actor=user, note="说明", **changes)


def test_note_required_where_the_table_says(world, make_issue):
    issue = make_issue()
    with pytest.raises(DomainError) as error:
        issue_transition(issue=issue, action="reject", actor=world.staff_a, note="  ")
    assert error.value.field == "note"
    issue.refresh_from_db()
    assert issue.status == Status.REPORTED


def test_stale_version_is_refused(world, make_issue):
    issue = make_issue()
    issue_transition(issue=issue, action="accept", actor=world.staff_a, expected_version=1)
    with pytest.raises(StaleEdit):
        issue_transition(
            issue=issue,
            action="handle_on_spot",
            actor=world.staff_a,
            note="已清理",
            expected_version=1,
        )


def _aware(*args):
    return datetime(*args, tzinfo=TZ)


def test_accept_deadline_counts_working_hours(world, make_issue):
    # Friday 16:00 + 8 working hours: 1.5 on Friday, 3.5 Monday morning, 3 after lunch.
    issue = make_issue(reported_at=_aware(2026, 11, 20, 16, 0))
    assert issue.accept_deadline == _aware(2026, 11, 23, 17, 0)


def test_category_limit_overrides_default_and_calendar_days(world, make_issue, category):
    TimeLimit.objects.create(
        category=category, urgency="urgent", accept_within=2, handle_within=3, unit="calendar_days"
    )
    start = _aware(2026, 11, 21, 10, 0)  # a Saturday
    issue = make_issue(urgency="urgent", reported_at=start)
    assert issue.accept_deadline == start + timedelta(days=2)


def test_deferral_stops_the_clock(world, make_issue):
    issue = make_issue()
    issue = issue_transition(issue=issue, action="accept", actor=world.staff_a)
    deadline = issue.handle_deadline
    issue = issue_transition(issue=issue, action="defer", actor=world.head_a, note="等待资金")
    Issue.objects.filter(pk=issue.pk).update(deferred_at=timezone.now() - timedelta(days=5))
    issue = issue_transition(issue=issue, action="resume", actor=world.staff_a)
    assert issue.status == Status.ACCEPTED
    assert issue.handle_deadline - deadline >= timedelta(days=5)
    assert issue.was_deferred


def test_staff_cannot_defer_without_head(world, make_issue):
    issue = issue_transition(issue=make_issue(), action="accept", actor=world.staff_a)
    with pytest.raises(TransitionNotAllowed):
        issue_transition(issue=issue, action="defer", actor=world.staff_a, note="x")


def test_reopen_keeps_history_and_counts(world, make_issue):
    issue = issue_transition(issue=make_issue(), action="accept", actor=world.staff_a)
    issue = issue_transition(
        issue=issue, action="handle_on_spot", actor=world.worker_a1, note="已疏通"
    )
    assert issue.closed_at is not None and issue.closed_on_time
    issue = issue_transition(issue=issue, action="reopen", actor=world.staff_a, note="又堵了")
    assert issue.status == Status.ACCEPTED
    assert issue.reopen_count == 1 and issue.closed_at is None
    assert timeline_of(issue).exclude(to_status="").count() == 4


def test_send_back_counts_rework(world, make_issue):
    issue = make_issue()
    Issue.objects.filter(pk=issue.pk).update(status=Status.AWAITING_EVALUATION)
    issue = issue_transition(issue=issue, action="send_back", actor=world.staff_a, note="未修好")
    assert issue.status == Status.EXECUTING and issue.rework_count == 1


def test_overdue_is_one_rule_in_the_database_and_on_the_issue(make_issue):
    """overdue_q (the queue's and the API's filter) picks exactly the issues whose
    running_deadline has passed: the acceptance limit while reported, the handling limit
    while worked on, none while deferred or closed."""
    now = timezone.now()
    past, future = now - timedelta(hours=2), now + timedelta(hours=2)
    cases = {
        (Status.REPORTED, past, future): True,
        (Status.REPORTED, future, past): False,
        (Status.ACCEPTED, future, past): True,
        (Status.EXECUTING, past, future): False,
        (Status.DEFERRED, past, past): False,
        (Status.CLOSED, past, past): False,
    }
    issues = {}
    for (status, accept, handle), overdue in cases.items():
        issue = make_issue()
        Issue.objects.filter(pk=issue.pk).update(
            status=status, accept_deadline=accept, handle_deadline=handle
        )
        issues[issue.pk] = overdue
    selected = set(Issue.objects.filter(overdue_q(now)).values_list("pk", flat=True))
    assert selected == {pk for pk, overdue in issues.items() if overdue}
    for issue in Issue.objects.filter(pk__in=issues):
        assert issue.is_overdue(now) is issues[issue.pk]


def test_a_registered_guard_refuses_the_move_for_every_caller(world, make_issue, client):
    """A condition another app holds (no adopted resolution yet) refuses the move for staff
    and for the services that skip the role check alike, and the issue page does not offer
    it."""
    issue = make_issue()
    _put_in(issue, Status.ACCEPTED)

    def not_yet(candidate):
        assert candidate.pk == issue.pk
        return "还没有满足条件"

    register_guard("send_to_deliberation", not_yet)
    try:
        for check_role in (True, False):
            with pytest.raises(TransitionNotAllowed, match="还没有满足条件"):
                issue_transition(
                    issue=issue,
                    action="send_to_deliberation",
                    actor=world.staff_a,
                    check_role=check_role,
                    deliberation_level="compound",
                )
        issue.refresh_from_db()
        assert issue.status == Status.ACCEPTED
        assert not timeline_of(issue).filter(action="send_to_deliberation").exists()
        client.force_login(world.staff_a)
        page = client.get(f"/issues/{issue.pk}/").content.decode()
        assert "/do/send_to_deliberation/" not in page
        assert "/do/handle_on_spot/" in page
    finally:
        unregister_guard("send_to_deliberation", not_yet)
    moved = issue_transition(
        issue=issue,
        action="send_to_deliberation",
        actor=world.staff_a,
        deliberation_level="compound",
    )
    assert moved.status == Status.TO_DELIBERATE
