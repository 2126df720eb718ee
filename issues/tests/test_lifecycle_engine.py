"""The lifecycle engine (lib.lifecycle) as every lifecycle uses it, shown on issues: one
locked move, a no-op for the state that holds, a translated refusal, only the fields the
move changes written, the version bumped and one timeline row with from and to."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import audit
from core.models import AuditEntry
from issues.models import Issue, Status
from issues.services import issue_transition
from issues.workflow import ISSUE
from lib.errors import DomainError, StaleEdit
from lib.lifecycle import TransitionNotAllowed
from meetings.workflow import MEETING
from resolutions.workflow import ITEM, RESOLUTION

pytestmark = pytest.mark.django_db


def test_a_move_writes_its_fields_the_version_and_one_timeline_row(world, make_issue):
    issue = make_issue()
    before = audit.timeline_of(issue).count()
    with CaptureQueriesContext(connection) as queries:
        moved = issue_transition(issue=issue, action="accept", actor=world.staff_a)
    assert moved.status == Status.ACCEPTED and moved.version == issue.version + 1
    update = next(q["sql"] for q in queries if q["sql"].startswith('UPDATE "issues_issue"'))
    # Only what the move changes: a title edited meanwhile by someone else survives.
    assert '"title"' not in update and '"status"' in update and '"accepted_at"' in update
    assert "FOR UPDATE" in " ".join(q["sql"] for q in queries)
    rows = audit.timeline_of(issue)
    assert rows.count() == before + 1
    row = rows.last()
    assert (row.action, row.from_status, row.to_status, row.actor) == (
        "accept",
        Status.REPORTED,
        Status.ACCEPTED,
        world.staff_a,
    )
    with translation.override("zh-hans"):
        assert (row.get_action_display(), row.from_label, row.to_label) == (
            "受理",
            "待受理",
            "已受理",
        )


def test_the_state_that_holds_is_a_no_op(world, make_issue):
    issue = issue_transition(issue=make_issue(), action="accept", actor=world.staff_a)
    rows = audit.timeline_of(issue).count()
    again = issue_transition(issue=issue, action="accept", actor=world.staff_a)
    assert again.version == issue.version
    assert audit.timeline_of(issue).count() == rows


def test_an_impossible_move_is_refused_in_the_readers_language(world, make_issue):
    issue = make_issue()
    with translation.override("zh-hans"), pytest.raises(TransitionNotAllowed) as refused:
        issue_transition(issue=issue, action="close", actor=world.staff_a)
    assert str(refused.value) == "处于“待受理”状态的议题不能执行“销号”。"
    issue.refresh_from_db()
    assert issue.status == Status.REPORTED and issue.version == 1


def test_a_stale_version_and_a_missing_note_write_nothing(world, make_issue):
    issue = make_issue()
    with pytest.raises(StaleEdit):
        issue_transition(issue=issue, action="accept", actor=world.staff_a, expected_version=7)
    with pytest.raises(DomainError) as missing:
        issue_transition(issue=issue, action="reject", actor=world.staff_a)
    assert missing.value.field == "note"
    assert Issue.objects.get(pk=issue.pk).status == Status.REPORTED
    assert list(audit.timeline_of(issue).values_list("action", flat=True)) == ["report"]


def test_the_timeline_rejects_an_action_it_does_not_name(world, make_issue):
    with pytest.raises(ValueError):
        audit.record(actor=world.staff_a, obj=make_issue(), action="teleport")


def test_every_lifecycle_records_actions_the_timeline_names():
    """The audit filter lists AuditEntry.Action: every move of every lifecycle is in it,
    so the filter finds it and the trail names it."""
    named = set(AuditEntry.Action.values)
    for lifecycle in (ISSUE, MEETING, RESOLUTION, ITEM):
        for transition in lifecycle.table.values():
            assert transition.timeline_action in named, transition
