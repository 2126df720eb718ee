"""A reporter without an account follows the outcome, evaluates the work and answers the
revisit from the links of their SMS alone; each message goes out once."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from communities.tests.factories import ResidentFactory
from core.models import AuditEntry
from issues.models import Status
from notifications.models import Notification
from reach.models import ShortLink
from resolutions import reminders, tasks
from resolutions.models import ActionItem, Evaluation, Revisit

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(world):
    """刘大爷 reported it; he has no account, only his mobile number on record."""
    return ResidentFactory(
        household=world.household_a1, grid=world.grid_a1, name="刘大爷", phone="13800138000"
    )


def _link(outbox, phone="13800138000"):
    texts = [text for to, text in outbox if to == phone]
    assert texts, outbox
    return re.search(r"(/s/\w+)", texts[-1]).group(1)


@pytest.fixture
def published(world, reporter, sms_outbox, django_capture_on_commit_callbacks):
    issue = factories.issue(world, reporter_resident=reporter, title="北门消防通道被占")
    with django_capture_on_commit_callbacks(execute=True):
        resolution = factories.resolution(world, the_issue=issue, status="published")
    return resolution


def test_a_published_outcome_reaches_the_reporter_by_sms_once(published, sms_outbox, reporter):
    [(phone, text)] = sms_outbox
    assert phone == "13800138000"
    assert text.startswith("【议事】甲社区：您反映的问题有了议事结果") and len(text) <= 70
    assert Notification.objects.get(kind="outcome_published").resident == reporter
    # The task retried (or run twice) sends nothing more.
    tasks.send_outcome.apply(args=[published.pk])
    tasks.send_outcome.apply(args=[published.pk])
    assert len(sms_outbox) == 1


def test_the_reporter_follows_the_outcome_from_the_link(client, published, sms_outbox):
    body = client.get(_link(sms_outbox)).content.decode()
    assert "北门消防通道被占" in body and "更换路灯" in body
    assert 'aria-current="step"' in body


def test_a_reporter_with_an_account_is_told_in_the_app(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    issue = factories.issue(world, title="路灯不亮")
    with django_capture_on_commit_callbacks(execute=True):
        factories.resolution(world, the_issue=issue, status="published")
    notification = Notification.objects.get(kind="outcome_published")
    assert notification.recipient == world.resident_user_a
    assert notification.url == reverse("issues:detail", args=[issue.pk])
    assert sms_outbox == []


def _awaiting_evaluation(resolution):
    ActionItem.objects.filter(resolution=resolution).update(
        status=ActionItem.Status.DONE, percent=100
    )
    issue = resolution.issue
    issue.status = Status.AWAITING_EVALUATION
    issue.save(update_fields=["status"])
    return issue


def test_the_reporter_evaluates_from_the_link_once(
    client, published, sms_outbox, reporter, django_capture_on_commit_callbacks
):
    issue = _awaiting_evaluation(published)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.evaluation_requests() >= 1
        assert reminders.evaluation_requests() == 0  # the sweep again: nothing twice
    text = [t for p, t in sms_outbox if p == "13800138000"][-1]
    assert text.startswith("【议事】甲社区：您反映的问题已办完") and len(text) <= 70
    link = _link(sms_outbox)
    # The outcome page now leads to it too.
    outcome = next(t for p, t in sms_outbox if p == "13800138000")
    assert link in client.get(re.search(r"(/s/\w+)", outcome).group(1)).content.decode()

    assert client.get(link).status_code == 200
    refused = client.post(link, {"rating": "unsatisfied", "comment": ""})
    assert refused.status_code == 200 and not Evaluation.objects.exists()
    response = client.post(link, {"rating": "satisfied", "comment": "通道畅通了"})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.resident, evaluation.rating) == (reporter, "satisfied")
    assert AuditEntry.objects.filter(action="evaluate", object_id=issue.pk).exists()
    # Used once: the link now says it has been done.
    again = client.get(link)
    assert again.status_code == 410 and "This has already been done" in again.content.decode()
    assert client.post(link, {"rating": "unsatisfied", "comment": "x"}).status_code == 410
    assert Evaluation.objects.count() == 1


def test_an_unsatisfied_evaluation_from_the_link_reopens_the_issue(
    client, published, sms_outbox, django_capture_on_commit_callbacks
):
    issue = _awaiting_evaluation(published)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.evaluation_requests()
    client.post(_link(sms_outbox), {"rating": "unsatisfied", "comment": "又被占了"})
    issue.refresh_from_db()
    assert issue.reopen_count == 1 and issue.status != Status.AWAITING_EVALUATION


def test_an_evaluation_link_cannot_rate_another_round(
    published, reporter, sms_outbox, django_capture_on_commit_callbacks
):
    from lib.errors import DomainError
    from resolutions import services

    issue = _awaiting_evaluation(published)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.evaluation_requests()
    link = ShortLink.objects.get(purpose="issue_evaluation")
    issue.reopen_count = 1
    issue.save(update_fields=["reopen_count"])
    with pytest.raises(DomainError):
        services.evaluation_submit(actor=None, issue=issue, rating="satisfied", link=link)


def test_the_reporter_answers_the_revisit_from_the_link(
    client, world, reporter, sms_outbox, django_capture_on_commit_callbacks, settings
):
    settings.YISHI = {**settings.YISHI, "REVISIT_AFTER_DAYS": 30}
    now = timezone.now()
    issue = factories.issue(
        world,
        reporter_resident=reporter,
        status=Status.CLOSED,
        closed_at=now - timedelta(days=30, minutes=1),
        title="排风扇噪音",
    )
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        reminders.revisits_due()
        reminders.revisits_due()
    texts = [t for p, t in sms_outbox if p == "13800138000"]
    assert len(texts) == 1
    assert texts[0].startswith("【议事】甲社区回访") and len(texts[0]) <= 70
    link = _link(sms_outbox)
    assert "排风扇噪音" in client.get(link).content.decode()
    refused = client.post(link, {"recurred": "yes", "comment": ""})
    assert refused.status_code == 200 and not Revisit.objects.exists()
    client.post(link, {"recurred": "yes", "rating": "unsatisfied", "comment": "风机又响了"})
    revisit = Revisit.objects.get()
    assert revisit.resident == reporter and revisit.visitor is None and revisit.problem_recurred
    assert revisit.method == "online"
    issue.refresh_from_db()
    assert issue.status != Status.CLOSED and issue.reopen_count == 1
    assert client.get(link).status_code == 410


def test_staff_see_and_revoke_the_links_sent_about_an_issue(client, published, world):
    link = ShortLink.objects.get(purpose="issue_outcome")
    client.force_login(world.staff_a)
    page = client.get(reverse("issues:detail", args=[published.issue_id])).content.decode()
    assert "刘大爷" in page and reverse("reach:revoke", args=[link.pk]) in page
    client.post(reverse("reach:revoke", args=[link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None
    # A grid worker sees the issue, not its links.
    client.force_login(world.worker_a1)
    page = client.get(reverse("issues:detail", args=[published.issue_id])).content.decode()
    assert reverse("reach:revoke", args=[link.pk]) not in page
