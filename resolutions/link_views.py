"""The pages the resolutions app's short links open (reach.purposes, registered in
apps.py), for a reporter or a party without an account: the outcome of what they
reported and its progress, the evaluation of the work done, and the revisit after
closure. Each does only what its purpose says, about the link's own issue and person."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from issues.models import Issue, Kind
from issues.models import Status as IssueStatus
from lib.errors import DomainError
from reach.pages import render_link_page, render_refusal
from reach.services import link_path

from . import services
from .forms import EvaluationForm, RevisitAnswerForm
from .models import ActionItem, Evaluation, Resolution
from .outreach import EVALUATION_PURPOSE, OUTCOME_PURPOSE
from .selectors import with_progress_notes
from .workflow import IN_FORCE

# The steps of an issue as a resident reads them: (label, the statuses at or past it).
STEPS = (
    (
        pgettext_lazy("step of an issue", "Reported"),
        (IssueStatus.REPORTED,),
    ),
    (
        pgettext_lazy("step of an issue", "Accepted"),
        (IssueStatus.ACCEPTED, IssueStatus.DEFERRED),
    ),
    (
        pgettext_lazy("step of an issue", "Discussed"),
        (IssueStatus.TO_DELIBERATE, IssueStatus.IN_DELIBERATION, IssueStatus.ESCALATED),
    ),
    (
        pgettext_lazy("step of an issue", "Agreed, being done"),
        (IssueStatus.RESOLVED, IssueStatus.EXECUTING),
    ),
    (
        pgettext_lazy("step of an issue", "Done, to be evaluated"),
        (IssueStatus.AWAITING_EVALUATION,),
    ),
    (
        pgettext_lazy("step of an issue", "Closed"),
        (IssueStatus.CLOSED,),
    ),
)


def _steps(issue):
    current = next((n for n, (_label, statuses) in enumerate(STEPS) if issue.status in statuses), 0)
    return [
        {"label": label, "state": "done" if n < current else "now" if n == current else ""}
        for n, (label, _statuses) in enumerate(STEPS)
    ]


def _issue(link):
    return (
        Issue.objects.select_related("community", "category", "compound")
        .filter(pk=link.object_id, archived_at__isnull=True)
        .first()
    )


def _form_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def outcome_page(request, link):
    """What became of what the resident reported: where it stands, what was agreed, each
    action item with its progress and notes; the way to evaluate it when that is asked."""
    issue = _issue(link)
    if issue is None:
        return render_refusal(request, "unknown", link)
    resolutions = list(
        Resolution.objects.filter(issue=issue, status__in=IN_FORCE, archived_at__isnull=True)
        .only("pk", "title", "text", "status", "publication_starts", "issue_id")
        .order_by("pk")
    )
    items = with_progress_notes(
        ActionItem.objects.filter(resolution__in=[r.pk for r in resolutions])
        .exclude(status=ActionItem.Status.CANCELLED)
        .select_related("responsible_organization")
        .order_by("deadline", "pk")
    )
    for resolution in resolutions:
        resolution.shown_items = [item for item in items if item.resolution_id == resolution.pk]
    evaluation = None
    if issue.status == IssueStatus.AWAITING_EVALUATION:
        evaluation = _own_link(link, issue, EVALUATION_PURPOSE, f"round-{issue.reopen_count}")
    return render_link_page(
        request,
        link,
        "resolutions/link/outcome.html",
        {
            "issue": issue,
            "steps": _steps(issue),
            "resolutions": resolutions,
            "is_dispute": issue.kind == Kind.DISPUTE,
            "evaluation_link": evaluation,
            "evaluated": Evaluation.objects.filter(
                issue=issue, resident=link.resident_id, round=issue.reopen_count
            ).first(),
        },
    )


def _own_link(link, issue, purpose, step):
    """The holder's own link in force of another purpose about the same issue."""
    from django.utils import timezone

    from reach.models import ShortLink

    return (
        ShortLink.objects.filter(
            purpose=purpose,
            content_type=link.content_type_id,
            object_id=issue.pk,
            step=step,
            resident=link.resident_id,
            revoked_at__isnull=True,
            spent_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-pk")
        .first()
    )


def evaluation_page(request, link):
    """The resident rates the work done (满意/基本满意/不满意) with a comment; once."""
    issue = _issue(link)
    if issue is None:
        return render_refusal(request, "unknown", link)
    form = EvaluationForm(request.POST or None)
    waiting = issue.status == IssueStatus.AWAITING_EVALUATION and link.step == (
        f"round-{issue.reopen_count}"
    )
    if request.method == "POST" and waiting and form.is_valid():
        try:
            services.evaluation_submit(
                actor=request.user, issue=issue, link=link, **form.cleaned_data
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Thank you for your evaluation."))
            outcome = _own_link(link, issue, OUTCOME_PURPOSE, "")
            if outcome is not None:
                return redirect(link_path(outcome))
            return render_link_page(request, link, "resolutions/link/thanks.html", {"issue": issue})
    return render_link_page(
        request,
        link,
        "resolutions/link/evaluate.html",
        {"issue": issue, "form": form, "waiting": waiting},
    )


def revisit_page(request, link):
    """After closure (事后回访): has the problem come back, how satisfied is the resident."""
    issue = _issue(link)
    if issue is None:
        return render_refusal(request, "unknown", link)
    form = RevisitAnswerForm(request.POST or None)
    waiting = issue.status == IssueStatus.CLOSED
    if request.method == "POST" and waiting and form.is_valid():
        data = form.cleaned_data
        try:
            services.revisit_answer(
                link=link,
                problem_recurred=data["recurred"],
                rating=data["rating"],
                comment=data["comment"],
                actor=request.user,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Thank you: the community has your answer."))
            return render_link_page(
                request,
                link,
                "resolutions/link/thanks.html",
                {"issue": issue, "reopened": data["recurred"]},
            )
    return render_link_page(
        request,
        link,
        "resolutions/link/revisit.html",
        {"issue": issue, "form": form, "waiting": waiting},
    )
