from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from communities.tests.factories import HouseholdFactory, OrganizationFactory
from core.audit import timeline_of
from issues.models import Kind
from issues.models import Status as IssueStatus
from lib.errors import DomainError, StaleEdit
from notifications.models import Notification
from resolutions import services
from resolutions.models import ActionItem, CostShare, Evaluation, ProgressUpdate, Resolution

from . import factories

pytestmark = pytest.mark.django_db


def _item(resolution):
    return resolution.items.get()


# ---------------------------------------------------------------- cost split


def test_shares_must_add_up_to_100(world, published):
    res = factories.resolution(world)
    item = _item(res)
    h1 = world.household_a1
    h2 = HouseholdFactory(unit=h1.unit, room="102")
    with pytest.raises(DomainError) as error:
        services.cost_split_set(
            actor=world.staff_a,
            item=item,
            total=Decimal("1000"),
            shares=[
                {"household": h1, "share_percent": Decimal("60")},
                {"household": h2, "share_percent": Decimal("30")},
            ],
        )
    assert error.value.field == "shares"
    assert "90" in error.value.message
    assert not CostShare.objects.exists()

    services.cost_split_set(
        actor=world.staff_a,
        item=item,
        total=Decimal("1000"),
        shares=[
            {"household": h1, "share_percent": Decimal("66.67")},
            {"household": h2, "share_percent": Decimal("33.33")},
        ],
    )
    shares = list(item.cost_shares.order_by("pk"))
    parts = services.split_parts(Decimal("1000"), shares)
    assert parts == [Decimal("666.70"), Decimal("333.30")]
    assert sum(parts) == Decimal("1000.00")


def test_shares_need_a_total_and_amounts_must_match_it(world):
    item = _item(factories.resolution(world))
    org2 = OrganizationFactory(name="乙物业", communities=[world.community_a])
    with pytest.raises(DomainError) as error:
        services.cost_split_set(
            actor=world.staff_a,
            item=item,
            shares=[{"organization": world.organization, "share_percent": Decimal("100")}],
        )
    assert error.value.field == "total"
    with pytest.raises(DomainError) as error:
        services.cost_split_set(
            actor=world.staff_a,
            item=item,
            total=Decimal("500"),
            shares=[
                {"organization": world.organization, "amount": Decimal("200")},
                {"organization": org2, "amount": Decimal("200")},
            ],
        )
    assert "400" in error.value.message
    with pytest.raises(DomainError, match="not both"):
        services.cost_split_set(
            actor=world.staff_a,
            item=item,
            total=Decimal("500"),
            shares=[
                {"organization": world.organization, "amount": Decimal("250")},
                {"organization": org2, "share_percent": Decimal("50")},
            ],
        )
    with pytest.raises(DomainError, match="twice"):
        services.cost_split_set(
            actor=world.staff_a,
            item=item,
            shares=[
                {"organization": world.organization, "amount": Decimal("1")},
                {"organization": world.organization, "amount": Decimal("2")},
            ],
        )
    services.cost_split_set(
        actor=world.staff_a,
        item=item,
        total=Decimal("500"),
        shares=[
            {"organization": world.organization, "amount": Decimal("300")},
            {"organization": org2, "amount": Decimal("200")},
        ],
    )
    assert item.cost.total == Decimal("500")
    assert item.cost_shares.count() == 2


def test_cost_split_is_frozen_after_adoption(world):
    res = factories.resolution(world, status="adopted")
    with pytest.raises(DomainError):
        services.cost_split_set(
            actor=world.staff_a,
            item=_item(res),
            shares=[{"organization": world.organization, "amount": Decimal("1")}],
        )


def test_item_needs_responsible_and_deadline_after_start(world):
    today = timezone.localdate()
    with pytest.raises(DomainError) as error:
        factories.resolution(
            world, items=[factories.item_fields(world, responsible_organization=None)]
        )
    assert error.value.field == "responsible_organization"
    with pytest.raises(DomainError) as error:
        factories.resolution(
            world,
            items=[factories.item_fields(world, deadline=today - timedelta(days=1))],
        )
    assert error.value.field == "deadline"
    assert not Resolution.objects.exists()


# ---------------------------------------------------------------- lifecycle


def test_adoption_starts_execution_of_the_issue(world):
    res = factories.resolution(world, status="adopted")
    res.issue.refresh_from_db()
    assert res.issue.status == IssueStatus.EXECUTING
    assert res.adopted_at is not None


def test_dispute_needs_legal_review(world):
    dispute = factories.issue(world, kind=Kind.DISPUTE)
    res = services.resolution_create(
        actor=world.staff_a,
        agenda_item=factories.agenda_item(world, dispute),
        text="双方和解",
        items=[factories.item_fields(world)],
    )
    assert res.legal_review_required
    with pytest.raises(DomainError, match="legal review"):
        services.resolution_transition(actor=world.staff_a, resolution=res, action="adopt")
    res = services.resolution_transition(
        actor=world.staff_a, resolution=res, action="submit_review"
    )
    # Only the community's legal adviser writes the review (test_legal_review.py).
    with pytest.raises(DomainError):
        services.resolution_transition(
            actor=world.staff_a, resolution=res, action="approve_review", note="合法有效"
        )
    assert res.status == Resolution.Status.AWAITING_REVIEW


def test_publication_sets_default_period(world, settings):
    res = factories.resolution(world, status="published")
    assert res.publication_starts == timezone.localdate()
    assert res.publication_ends == res.publication_starts + timedelta(
        days=settings.YISHI["PUBLICATION_DAYS"]
    )


def test_other_community_staff_cannot_act(world):
    res = factories.resolution(world)
    with pytest.raises(DomainError):
        services.resolution_transition(actor=world.staff_b, resolution=res, action="adopt")
    with pytest.raises(DomainError):
        services.resolution_create(
            actor=world.staff_b, issue=factories.issue(world), text="x", items=[]
        )


def test_stale_edit(world):
    res = factories.resolution(world)
    services.resolution_update(
        actor=world.staff_a, resolution=res, expected_version=res.version, text="改一下"
    )
    with pytest.raises(StaleEdit):
        services.resolution_update(
            actor=world.staff_a, resolution=res, expected_version=res.version, text="再改"
        )
    res.refresh_from_db()
    assert res.text == "改一下"


def test_agreed_text_cannot_be_changed(world):
    res = factories.resolution(world, status="adopted")
    with pytest.raises(DomainError):
        services.resolution_update(actor=world.staff_a, resolution=res, text="偷改")


# ---------------------------------------------------------------- execution


def test_confirmation_and_rework(world, published):
    item = _item(published)
    services.progress_report(actor=world.org_contact, item=item, text="已采购灯具", percent=40)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.IN_PROGRESS
    # Progress goes to the grid's workers.
    assert Notification.objects.filter(recipient=world.worker_a1, kind="progress_reported").exists()
    with pytest.raises(DomainError):
        services.progress_report(actor=world.org_contact, item=item, text="退步", percent=10)
    services.progress_report(
        actor=world.org_contact, item=item, text="已安装", percent=100, request_check=True
    )
    item.refresh_from_db()
    assert item.status == ActionItem.Status.AWAITING_CHECK
    # The responsible party cannot confirm its own work.
    with pytest.raises(DomainError):
        services.item_check(actor=world.org_contact, item=item, passed=True, text="")
    with pytest.raises(DomainError) as error:
        services.item_check(actor=world.staff_a, item=item, passed=False, text="")
    assert error.value.field == "text"
    item = services.item_check(actor=world.staff_a, item=item, passed=False, text="2号灯不亮")
    assert item.status == ActionItem.Status.IN_PROGRESS
    assert item.rework_count == 1
    assert Notification.objects.filter(recipient=world.org_contact, kind="rework_required").exists()
    services.progress_report(
        actor=world.org_contact, item=item, text="已修好", percent=100, request_check=True
    )
    # A supervision-committee member confirms on site.
    world.resident_a.is_supervisor = True
    world.resident_a.save()
    item = services.item_check(actor=world.resident_user_a, item=item, passed=True, text="亮了")
    assert item.status == ActionItem.Status.DONE
    assert item.confirmed_by == world.resident_user_a
    assert item.done_on_time is True
    kinds = list(item.updates.values_list("kind", flat=True))
    assert kinds.count(ProgressUpdate.Kind.CHECK_FAILED) == 1
    assert kinds[-1] == ProgressUpdate.Kind.CHECK_PASSED
    published.issue.refresh_from_db()
    assert published.issue.status == IssueStatus.AWAITING_EVALUATION
    published.refresh_from_db()
    assert published.evaluation_due is not None


def test_resident_not_on_committee_cannot_check(world, published):
    item = _item(published)
    services.progress_report(
        actor=world.org_contact, item=item, text="完成", percent=100, request_check=True
    )
    with pytest.raises(DomainError):
        services.item_check(actor=world.resident_user_a, item=item, passed=True, text="")


def test_failed_recheck_sends_issue_back(world, published):
    item = _item(published)
    services.progress_report(
        actor=world.org_contact, item=item, text="完成", percent=100, request_check=True
    )
    item = services.item_check(actor=world.staff_a, item=item, passed=True, text="")
    published.issue.refresh_from_db()
    assert published.issue.status == IssueStatus.AWAITING_EVALUATION
    services.item_check(actor=world.staff_a, item=item, passed=False, text="又坏了")
    published.issue.refresh_from_db()
    assert published.issue.status == IssueStatus.EXECUTING
    assert published.issue.rework_count == 1


def _complete(world, res):
    item = _item(res)
    services.progress_report(
        actor=world.org_contact, item=item, text="完成", percent=100, request_check=True
    )
    services.item_check(actor=world.staff_a, item=item, passed=True, text="")
    res.issue.refresh_from_db()
    return res.issue


# ---------------------------------------------------------------- closure and evaluation


def test_closure_rule(world, published):
    issue = published.issue
    assert not services.closure_due(issue)
    issue = _complete(world, published)
    assert issue.status == IssueStatus.AWAITING_EVALUATION
    # Neither an evaluation nor the end of the period: stays open.
    assert not services.issue_close_if_due(actor=world.staff_a, issue=issue)
    published.refresh_from_db()
    later = published.evaluation_due + timedelta(days=1)
    assert services.issue_close_if_due(actor=world.staff_a, issue=issue, today=later)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED


def test_the_nightly_sweep_closes_issues_whose_evaluation_period_passed(world, published):
    from resolutions.tasks import close_issues_due

    issue = _complete(world, published)
    assert close_issues_due() == 0  # the period is still running
    published.refresh_from_db()

    later = published.evaluation_due + timedelta(days=1)
    assert services.issues_close_due(today=later) == 1
    assert services.issues_close_due(today=later) == 0
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED


def test_satisfied_evaluation_closes(world, published):
    issue = _complete(world, published)
    services.evaluation_submit(actor=world.resident_user_a, issue=issue, rating="satisfied")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED
    with pytest.raises(DomainError):
        services.evaluation_submit(actor=world.resident_user_a, issue=issue, rating="basic")


def test_unsatisfied_evaluation_reopens_with_history(world, published):
    issue = _complete(world, published)
    with pytest.raises(DomainError) as error:
        services.evaluation_submit(actor=world.resident_user_a, issue=issue, rating="unsatisfied")
    assert error.value.field == "comment"
    services.evaluation_submit(
        actor=world.resident_user_a, issue=issue, rating="unsatisfied", comment="还是很暗"
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.ACCEPTED
    assert issue.reopen_count == 1
    event = timeline_of(issue).filter(action="reopen").get()
    assert "还是很暗" in event.note
    assert Evaluation.objects.get().round == 0
    # The earlier resolution stays linked to the issue.
    assert issue.resolutions.get() == published


def test_other_community_resident_cannot_evaluate(world, published):
    issue = _complete(world, published)
    with pytest.raises(DomainError):
        services.evaluation_submit(actor=world.resident_user_b, issue=issue, rating="satisfied")


def test_revisit_reopens_when_problem_came_back(world, published):
    issue = _complete(world, published)
    services.evaluation_submit(actor=world.resident_user_a, issue=issue, rating="basic")
    with pytest.raises(DomainError):
        services.revisit_record(actor=world.staff_b, issue=issue, method="phone", findings="好")
    services.revisit_record(actor=world.staff_a, issue=issue, method="visit", findings="正常")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED
    services.revisit_record(
        actor=world.worker_a1,
        issue=issue,
        method="visit",
        findings="灯又坏了",
        problem_recurred=True,
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.ACCEPTED
    assert issue.revisits.count() == 2


def _closed_on_the_spot(world, reporter):
    from issues.models import Category
    from issues.services import issue_report, issue_transition

    issue = issue_report(
        actor=world.staff_a,
        community=world.community_a,
        category=Category.objects.get(code="drainage"),
        title="雨水井堵塞",
        description="下雨后单元门口积水。",
        channel="phone",
        compound=world.compound_a1,
        reporter_resident=reporter,
    )
    issue = issue_transition(issue=issue, action="accept", actor=world.staff_a)
    return issue_transition(
        issue=issue, action="handle_on_spot", actor=world.staff_a, note="已疏通"
    )


def test_rating_asked_at_the_revisit_is_the_reporters_evaluation(world):
    issue = _closed_on_the_spot(world, world.resident_a)
    services.revisit_record(
        actor=world.worker_a1, issue=issue, method="phone", findings="已疏通", rating="satisfied"
    )
    evaluation = Evaluation.objects.get(issue=issue)
    assert (evaluation.resident, evaluation.rating, evaluation.round) == (
        world.resident_a,
        "satisfied",
        0,
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED
    # Once a round: the reporter's answer is not recorded twice.
    with pytest.raises(DomainError) as error:
        services.revisit_record(
            actor=world.staff_a, issue=issue, method="visit", findings="再问", rating="basic"
        )
    assert error.value.field == "rating"
    assert Evaluation.objects.filter(issue=issue).count() == 1


def test_unsatisfied_at_the_revisit_reopens_and_needs_a_reporter(world):
    anonymous = _closed_on_the_spot(world, None)
    with pytest.raises(DomainError) as error:
        services.revisit_record(
            actor=world.staff_a, issue=anonymous, method="phone", findings="好", rating="basic"
        )
    assert error.value.field == "rating"
    issue = _closed_on_the_spot(world, world.resident_a)
    services.revisit_record(
        actor=world.staff_a,
        issue=issue,
        method="phone",
        findings="下雨又积水",
        rating="unsatisfied",
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.ACCEPTED and issue.reopen_count == 1
    assert Evaluation.objects.get(issue=issue).comment == "下雨又积水"


# ---------------------------------------------------------------- objections


def test_objection_and_answer(world, published):
    with pytest.raises(DomainError):
        services.objection_lodge(actor=world.resident_user_b, resolution=published, reason="不同意")
    objection = services.objection_lodge(
        actor=world.resident_user_a, resolution=published, reason="费用太高"
    )
    assert Notification.objects.filter(recipient=world.staff_a, kind="objection_lodged").exists()
    services.objection_answer(actor=world.staff_a, objection=objection, answer="已核算")
    objection.refresh_from_db()
    assert objection.answered_by == world.staff_a
    assert Notification.objects.filter(
        recipient=world.resident_user_a, kind="objection_answered"
    ).exists()


def test_no_objection_after_publication_ends(world, published):
    Resolution.objects.filter(pk=published.pk).update(
        publication_ends=timezone.localdate() - timedelta(days=1)
    )
    published.refresh_from_db()
    with pytest.raises(DomainError):
        services.objection_lodge(actor=world.resident_user_a, resolution=published, reason="晚了")


def test_confirmation_recorded(world, published):
    services.confirmation_record(
        actor=world.staff_a, resolution=published, party_name="甲物业", signed_by="王经理"
    )
    assert published.confirmations.get().recorded_by == world.staff_a
    with pytest.raises(DomainError) as error:
        services.confirmation_record(
            actor=world.staff_a, resolution=published, party_name="甲物业", signed_by=" "
        )
    assert error.value.field == "signed_by"


def test_cost_split_invitees(world):
    from resolutions.proposals import cost_split_invitees

    res = factories.resolution(world)
    services.cost_split_set(
        actor=world.staff_a,
        item=res.items.get(),
        total=Decimal("100"),
        shares=[
            {"household": world.household_a1, "share_percent": Decimal("50")},
            {"organization": world.organization, "share_percent": Decimal("50")},
        ],
    )
    proposed = cost_split_invitees([res.agenda_item])
    assert proposed["residents"] == [world.resident_a]
    assert proposed["organizations"] == [world.organization]
