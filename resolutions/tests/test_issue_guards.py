"""An issue is 已形成决议 only with an adopted resolution, and its work is confirmed
complete only when no action item of that resolution is open: the conditions the
resolutions app registers on the issue lifecycle (resolutions.issue_guards)."""

import pytest

from core.audit import timeline_of
from issues.models import Status as IssueStatus
from issues.services import TransitionNotAllowed, issue_transition
from resolutions import services
from resolutions.models import ActionItem, Resolution

from . import factories

pytestmark = pytest.mark.django_db


def test_issue_in_deliberation_cannot_be_marked_resolved_without_a_resolution(world):
    issue = factories.issue(world, status=IssueStatus.IN_DELIBERATION)
    for check_role in (True, False):
        with pytest.raises(TransitionNotAllowed, match="resolution is adopted"):
            issue_transition(
                issue=issue, action="resolve", actor=world.staff_a, check_role=check_role
            )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.IN_DELIBERATION
    assert not timeline_of(issue).filter(action="resolve").exists()


def test_a_draft_is_not_yet_a_resolution(world):
    draft = factories.resolution(world)
    assert draft.status == Resolution.Status.DRAFT
    with pytest.raises(TransitionNotAllowed):
        issue_transition(issue=draft.issue, action="resolve", actor=world.staff_a)
    draft.issue.refresh_from_db()
    assert draft.issue.status == IssueStatus.IN_DELIBERATION


def test_adopting_the_resolution_resolves_the_issue_and_starts_execution(world):
    resolution = factories.resolution(world, status="adopted")
    resolution.issue.refresh_from_db()
    assert resolution.issue.status == IssueStatus.EXECUTING
    steps = list(
        timeline_of(resolution.issue)
        .exclude(to_status="")
        .order_by("pk")
        .values_list("action", "to_status")
    )
    assert steps[-2:] == [
        ("resolve", IssueStatus.RESOLVED),
        ("start_execution", IssueStatus.EXECUTING),
    ]


def test_work_is_not_complete_while_an_action_item_is_open(world):
    resolution = factories.resolution(
        world,
        status="adopted",
        items=[
            factories.item_fields(world, measure="更换路灯"),
            factories.item_fields(world, measure="修剪树枝"),
        ],
    )
    issue = resolution.issue
    first, second = resolution.items.order_by("order")
    for check_role in (True, False):
        with pytest.raises(TransitionNotAllowed, match="2 action items"):
            issue_transition(
                issue=issue, action="complete", actor=world.staff_a, check_role=check_role
            )
    services.progress_report(
        actor=world.org_contact, item=first, text="已换好", percent=100, request_check=True
    )
    services.item_check(actor=world.staff_a, item=first, passed=True, text="亮了")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.EXECUTING
    with pytest.raises(TransitionNotAllowed, match="1 action item of"):
        issue_transition(issue=issue, action="complete", actor=world.staff_a)
    # The last item confirmed on site completes the work by itself.
    services.progress_report(
        actor=world.org_contact, item=second, text="已修剪", percent=100, request_check=True
    )
    services.item_check(actor=world.staff_a, item=second, passed=True, text="修好了")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.AWAITING_EVALUATION
    assert set(resolution.items.values_list("status", flat=True)) == {ActionItem.Status.DONE}


def test_escalated_issue_without_a_resolution_may_still_be_completed(world):
    """Departments that reported in (吹哨报到) may finish the work with no resolution."""
    issue = factories.issue(world, status=IssueStatus.ESCALATED)
    completed = issue_transition(issue=issue, action="complete", actor=world.staff_a)
    assert completed.status == IssueStatus.AWAITING_EVALUATION


def test_issue_page_offers_neither_move_while_its_condition_is_unmet(world, client):
    issue = factories.issue(world, status=IssueStatus.ESCALATED)
    factories.resolution(world, the_issue=issue)  # a draft only
    client.force_login(world.staff_a)
    page = client.get(f"/issues/{issue.pk}/").content.decode()
    assert f"/issues/{issue.pk}/do/resolve/" not in page
    # Escalated with no resolution in force: completion stays offered.
    assert f"/issues/{issue.pk}/do/complete/" in page
    adopted = services.resolution_transition(
        actor=world.staff_a, resolution=issue.resolutions.get(), action="adopt"
    )
    adopted.issue.refresh_from_db()
    assert adopted.issue.status == IssueStatus.EXECUTING
    page = client.get(f"/issues/{issue.pk}/").content.decode()
    assert f"/issues/{issue.pk}/do/complete/" not in page
