"""Bulk actions of the work queue: each issue checked by its own rules, in its own
transaction, with a summary of what was done and refused; query counts per issue constant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit import timeline_of
from issues.models import Category, Channel, IssueParty, Status, Urgency
from issues.services import issue_bulk, issue_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(make_issue):
    def make(n, **fields):
        return [
            make_issue(
                title="明园小区私装地锁投诉",
                channel=Channel.HOTLINE,
                hotline_ticket=f"YC20261201{i:05d}",
                reporter_name=f"王{i}",
                **fields,
            )
            for i in range(n)
        ]

    return make


def _post(client, issues, action, **extra):
    data = {"action": action, "issue": [i.pk for i in issues], "filters": "", **extra}
    data.update({f"v{i.pk}": i.version for i in issues})
    return client.post(reverse("issues:bulk"), data)


def test_accept_and_merge_a_dozen_duplicates_in_one_action(client, world, tickets):
    issues = tickets(12)
    client.force_login(world.staff_a)
    review = _post(client, issues, "merge")
    assert review.status_code == 200
    page = review.content.decode()
    assert f'value="{issues[0].pk}"' in page and "checked" in page
    done = _post(client, issues, "merge", confirm="1", keep=issues[0].pk, accept_kept="on")
    assert done.status_code == 302
    kept = issues[0]
    kept.refresh_from_db()
    assert kept.status == Status.ACCEPTED
    for issue in issues[1:]:
        issue.refresh_from_db()
        assert issue.status == Status.MERGED and issue.merged_into_id == kept.pk
        assert timeline_of(issue).filter(action="merge").exists()
    assert kept.parties.filter(role=IssueParty.Role.CO_REPORTER).count() == 11
    summary = client.get(done.url).content.decode()
    assert 'data-count="done">12<' in summary


def test_each_refusal_is_said_and_leaves_the_others_done(client, world, make_issue):
    waiting = make_issue(title="待受理")
    accepted = issue_transition(
        issue=make_issue(title="已受理"), action="accept", actor=world.staff_a
    )
    closed = issue_transition(
        issue=accepted, action="handle_on_spot", actor=world.staff_a, note="已处理"
    )
    fresh = make_issue(title="再一件")
    outcome = issue_bulk(
        actor=world.staff_a,
        issues=[waiting, closed, fresh],
        action="send_to_deliberation",
        deliberation_level="compound",
    )
    refused = {issue.pk: why for issue, why in outcome["refused"]}
    # Only accepted issues go to deliberation: the waiting and the closed one are refused.
    assert set(refused) == {waiting.pk, closed.pk, fresh.pk}
    assert "不能" in refused[closed.pk] or "cannot" in refused[closed.pk]
    outcome = issue_bulk(actor=world.staff_a, issues=[waiting, fresh, closed], action="accept")
    assert [i.pk for i, _ in outcome["done"]] == [waiting.pk, fresh.pk]
    assert [i.pk for i, _ in outcome["refused"]] == [closed.pk]


def test_a_grid_worker_is_refused_what_only_staff_may_do(world, make_issue):
    issue = make_issue()
    outcome = issue_bulk(actor=world.worker_a1, issues=[issue], action="accept")
    assert outcome["done"] == [] and len(outcome["refused"]) == 1
    issue.refresh_from_db()
    assert issue.status == Status.REPORTED


def test_an_issue_changed_since_the_list_was_read_is_refused_not_overwritten(world, make_issue):
    issue = make_issue()
    seen = issue.version
    issue_transition(issue=issue, action="accept", actor=world.head_a)
    outcome = issue_bulk(
        actor=world.staff_a,
        issues=[issue],
        action="urgency",
        urgency=Urgency.URGENT,
        versions={issue.pk: seen},
    )
    assert len(outcome["refused"]) == 1
    issue.refresh_from_db()
    assert issue.urgency == Urgency.NORMAL


def test_category_and_urgency_move_the_running_time_limit(world, make_issue):
    issue = make_issue()
    before = issue.accept_deadline
    outcome = issue_bulk(
        actor=world.staff_a, issues=[issue], action="urgency", urgency=Urgency.VERY_URGENT
    )
    assert len(outcome["done"]) == 1
    issue.refresh_from_db()
    assert issue.urgency == Urgency.VERY_URGENT and issue.accept_deadline <= before
    row = timeline_of(issue).get(action="update")
    assert row.changes["urgency"][1] in ("特急", "Very urgent")
    ground_locks = Category.objects.get(code="ground_locks")
    issue_bulk(actor=world.staff_a, issues=[issue], action="category", category=ground_locks)
    issue.refresh_from_db()
    assert issue.category == ground_locks


def test_assign_checks_the_assignee_for_each_issue(world, make_issue):
    here = make_issue()
    other_grid = make_issue(compound=world.compound_a2)
    outcome = issue_bulk(
        actor=world.staff_a, issues=[here, other_grid], action="assign", assignee=world.worker_a1
    )
    assert [i.pk for i, _ in outcome["done"]] == [here.pk]
    assert [i.pk for i, _ in outcome["refused"]] == [other_grid.pk]


def test_all_matching_the_filters_takes_only_what_the_user_sees(client, world, make_issue):
    mine = [make_issue(title="甲社区地锁") for _ in range(3)]
    theirs = make_issue(
        title="乙社区地锁",
        actor=world.staff_b,
        community=world.community_b,
        compound=world.compound_b1,
    )
    client.force_login(world.staff_a)
    response = client.post(
        reverse("issues:bulk"),
        {"action": "accept", "all_matching": "on", "filters": "q=地锁", "confirm": "1"},
    )
    assert response.status_code == 302
    for issue in mine:
        issue.refresh_from_db()
        assert issue.status == Status.ACCEPTED
    theirs.refresh_from_db()
    assert theirs.status == Status.REPORTED


def test_street_admins_and_residents_have_no_bulk_actions(client, world, make_issue):
    issue = make_issue()
    for user in (world.street_admin, world.resident_user_a):
        client.force_login(user)
        assert _post(client, [issue], "accept").status_code == 403


def _queries(tickets, world, n):
    issues = tickets(n)
    with CaptureQueriesContext(connection) as context:
        issue_bulk(actor=world.staff_a, issues=issues, action="accept")
    return len(context)


def test_a_bulk_action_costs_the_same_queries_for_each_issue(world, tickets):
    _queries(tickets, world, 1)  # content types and time limits read once per process
    ten, hundred = _queries(tickets, world, 10), _queries(tickets, world, 100)
    per_issue, remainder = divmod(hundred - ten, 90)
    assert remainder == 0
    # Lock and read the state, the lifecycle's lock, the time limit, the save, the
    # timeline row, the reporter's accounts to tell, and the savepoint around each.
    assert per_issue <= 10
    assert ten == 10 * per_issue
