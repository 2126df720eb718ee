import datetime as dt
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    DateTimeField,
    Func,
    Max,
    Prefetch,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.issues import get_issue_for_user, visible_issue_ids
from access.meetings import get_agenda_item_for_user, public_opinion_windows, visible_meeting_ids
from access.resolutions import (
    can_check_item,
    can_confirm_share,
    can_create_resolution,
    can_edit_draft,
    can_evaluate,
    can_item_transition,
    can_list_resolutions,
    can_manage_resolution,
    can_object,
    can_record_revisit,
    can_report_progress,
    can_resolution_transition,
    can_review_legally,
    get_action_item_for_user,
    get_objection_for_user,
    get_public_resolution,
    get_resolution_for_user,
    is_private_outcome,
    may_act_on_item,
    my_action_items,
    public_resolutions,
    resolutions_awaiting_my_review,
    resolutions_visible_to,
)
from access.scope import get_scope, page_versions
from communities.models import Compound
from core.attachments import attachments_context
from issues.models import Category
from lib import compiled
from lib.errors import DomainError
from lib.pagecache import cached_page
from lib.pagination import CountedPaginator
from lib.pdf import pdf_response, render_pdf
from meetings.models import AgendaItem, OpinionWindow

from . import services
from .forms import (
    ActionItemFormSet,
    AnswerForm,
    BoardFilterForm,
    CheckForm,
    ConfirmationForm,
    CostShareFormSet,
    CostTotalForm,
    EvaluationForm,
    ObjectionForm,
    ProgressForm,
    ResolutionForm,
    RevisitForm,
    TransitionForm,
)
from .models import ITEM_OPEN_STATUSES, ActionItem, CostShare, Objection, ProgressUpdate, Resolution
from .selectors import item_history, with_item_figures, with_progress_notes
from .workflow import ITEM_TRANSITIONS, RESOLUTION_TRANSITIONS, REVIEW_ACTIONS, item_actions_from

PER_PAGE = 20


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _form_error(form, error: DomainError):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _version(form):
    value = form.cleaned_data.get("version") if hasattr(form, "cleaned_data") else None
    return value or None


def _items_with_progress(queryset):
    return queryset.select_related(
        "responsible_organization", "responsible_user", "responsible_resident"
    )


# ---------------------------------------------------------------- staff pages


@login_required
def resolution_list(request):
    if not can_list_resolutions(request.user):
        raise PermissionDenied
    resolutions = (
        resolutions_visible_to(request.user)
        .select_related("issue", "community")
        .order_by("-created_at", "-pk")
    )
    status = request.GET.get("status", "")
    if status in Resolution.Status.values:
        resolutions = resolutions.filter(status=status)
    return render(
        request,
        "resolutions/list.html",
        {
            "page_obj": _counted_page(_page(request, resolutions)),
            "statuses": Resolution.Status.choices,
            "status": status,
        },
    )


def _resolution_queryset():
    return Resolution.objects.select_related(
        "issue__category", "issue__compound", "community", "agenda_item__meeting", "legal_reviewer"
    )


@login_required
def resolution_detail(request, pk):
    resolution = get_resolution_for_user(request.user, pk, queryset=_resolution_queryset())
    with_item_figures([resolution])
    items = _items_with_progress(resolution.items.all()).prefetch_related(
        Prefetch(
            "cost_shares",
            queryset=CostShare.objects.select_related(
                "organization", "household__unit__building__compound"
            ),
        ),
        "cost",
    )
    manage = can_manage_resolution(request.user, resolution)
    household_part = _household_part(request.user, resolution, items)
    # The legal review has its own form (below), not a button among the next steps.
    actions = [
        t
        for t in RESOLUTION_TRANSITIONS.values()
        if t.action not in REVIEW_ACTIONS
        and can_resolution_transition(request.user, resolution, t.action)
    ]
    review = can_review_legally(request.user, resolution) and (
        resolution.status == Resolution.Status.AWAITING_REVIEW
    )
    return render(
        request,
        "resolutions/detail.html",
        {
            "resolution": resolution,
            "items": items,
            "confirmations": resolution.confirmations.all(),
            # The signed agreement's scan and other documents kept with it.
            **attachments_context(request.user, resolution),
            "objections": resolution.objections.select_related("resident", "answered_by")
            if manage
            else Objection.objects.none(),
            "can_manage": manage,
            "can_edit": can_edit_draft(request.user, resolution),
            "can_object": can_object(request.user, resolution),
            "actions": actions,
            "transition_form": TransitionForm(initial={"version": resolution.version}),
            "is_private": is_private_outcome(resolution),
            "review_form": _review_form(resolution) if review else None,
            # The issue and meeting are linked only for those who may open them: an
            # organization responsible for an item was not necessarily at the meeting.
            "open_issue": bool(visible_issue_ids(request.user, [resolution.issue_id])),
            "open_meeting": bool(
                resolution.agenda_item
                and visible_meeting_ids(request.user, [resolution.agenda_item.meeting_id])
            ),
            "household_part": household_part,
        },
    )


def _household_part(user, resolution, items):
    """For a resident whose household pays part of the cost: its parts, item by item, and
    whether the household has confirmed the agreement. None for everyone else. Reads the
    items' prefetched shares and the resolution's confirmations (one query)."""
    household = get_scope(user).household_id if get_scope(user).is_resident else None
    if household is None:
        return None
    parts = []
    for item in items:
        shares = list(item.cost_shares.all())
        cost = getattr(item, "cost", None)
        amounts = services.split_parts(cost.total if cost else None, shares)
        for share, amount in zip(shares, amounts, strict=True):
            if share.household_id == household and item.status != ActionItem.Status.CANCELLED:
                parts.append({"item": item, "share": share, "amount": amount})
    if not parts:
        return None
    confirmed = next(
        (
            c
            for c in resolution.confirmations.select_related("resident")
            if c.resident is not None and c.resident.household_id == household
        ),
        None,
    )
    return {
        "parts": parts,
        "confirmed": confirmed,
        "can_confirm": confirmed is None and can_confirm_share(user, resolution),
    }


@login_required
@require_POST
def confirm_share(request, pk):
    """A paying household confirms the agreement and its part of the cost."""
    resolution = get_resolution_for_user(request.user, pk)
    if not can_confirm_share(request.user, resolution):
        raise PermissionDenied
    try:
        services.cost_share_confirm(actor=request.user, resolution=resolution)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your household's confirmation is recorded. Thank you."))
    return redirect("resolutions:detail", resolution.pk)


def _one_more_row(data, prefix):
    """The submitted formset with one more empty row: "Add another item" without script
    keeps what was typed and offers a new row."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    if str(data.get(key, "")).isdigit():
        data[key] = str(int(data[key]) + 1)
    return data


@login_required
def resolution_create(request, agenda_item_pk=None, issue_pk=None):
    agenda_item = None
    if agenda_item_pk is not None:
        agenda_item = get_agenda_item_for_user(
            request.user,
            agenda_item_pk,
            queryset=AgendaItem.objects.select_related("meeting", "issue"),
        )
        if agenda_item.issue_id is None:
            raise Http404
        issue = get_issue_for_user(request.user, agenda_item.issue_id)
    else:
        issue = get_issue_for_user(request.user, issue_pk)
    # Access first: only those who may draft learn that a resolution already exists.
    if not can_create_resolution(request.user, issue):
        raise PermissionDenied
    if agenda_item is not None:
        existing = Resolution.objects.filter(agenda_item=agenda_item).first()
        if existing is not None:
            return redirect("resolutions:detail", existing.pk)
    initial = {
        "title": agenda_item.title if agenda_item else issue.title,
        "text": agenda_item.outcome_text if agenda_item else "",
        "legal_review_required": issue.is_private,
    }
    form = ResolutionForm(request.POST or None, initial=initial)
    adding = "add_item" in request.POST
    formset = ActionItemFormSet(
        _one_more_row(request.POST, "items") if adding else request.POST or None,
        prefix="items",
        form_kwargs={"community": issue.community},
    )
    if request.method == "POST" and not adding and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        items = [
            {k: v for k, v in f.cleaned_data.items() if k not in ("item_id", "DELETE")}
            for f in formset
            if f.has_changed() and not f.cleaned_data.get("DELETE")
        ]
        try:
            resolution = services.resolution_create(
                actor=request.user, agenda_item=agenda_item, issue=issue, items=items, **data
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The draft resolution is saved."))
            return redirect("resolutions:detail", resolution.pk)
    return render(
        request,
        "resolutions/form.html",
        {"form": form, "formset": formset, "issue": issue, "agenda_item": agenda_item},
    )


@login_required
def resolution_edit(request, pk):
    resolution = get_resolution_for_user(request.user, pk, write=True)
    draft = resolution.status == Resolution.Status.DRAFT
    form = ResolutionForm(request.POST or None, instance=resolution)
    items = list(resolution.items.exclude(status=ActionItem.Status.CANCELLED))
    formset = None
    adding = draft and "add_item" in request.POST
    if draft:
        initial = [
            {**{f: getattr(i, f) for f in services.ITEM_FIELDS}, "item_id": i.pk} for i in items
        ]
        formset = ActionItemFormSet(
            _one_more_row(request.POST, "items") if adding else request.POST or None,
            prefix="items",
            initial=initial,
            form_kwargs={"community": resolution.community},
        )
    if (
        request.method == "POST"
        and not adding
        and form.is_valid()
        and (formset is None or formset.is_valid())
    ):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        by_id = {i.pk: i for i in items}
        try:
            resolution = services.resolution_update(
                actor=request.user,
                resolution=resolution,
                expected_version=_version(form),
                **data,
            )
            for f in formset or ():
                if not f.has_changed():
                    continue
                fields = {k: v for k, v in f.cleaned_data.items() if k not in ("item_id", "DELETE")}
                item = by_id.get(f.cleaned_data.get("item_id"))
                if item is not None and f.cleaned_data.get("DELETE"):
                    services.action_item_cancel_draft(actor=request.user, item=item)
                elif item is not None:
                    services.action_item_update(actor=request.user, item=item, **fields)
                elif not f.cleaned_data.get("DELETE"):
                    services.action_item_add(actor=request.user, resolution=resolution, **fields)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The resolution is saved."))
            return redirect("resolutions:detail", resolution.pk)
    return render(
        request,
        "resolutions/form.html",
        {
            "form": form,
            "formset": formset,
            "resolution": resolution,
            "issue": resolution.issue,
        },
    )


@login_required
def cost_split(request, pk):
    item = get_action_item_for_user(request.user, pk)
    resolution = item.resolution
    if not can_manage_resolution(request.user, resolution):
        raise PermissionDenied
    cost = getattr(item, "cost", None)
    shares = list(item.cost_shares.select_related("household", "organization"))
    total_form = CostTotalForm(
        request.POST or None,
        initial={
            "version": item.version,
            "total": cost.total if cost else None,
            "note": cost.note if cost else "",
        },
    )
    # "Add another party" without script: the same rows and one empty row more.
    adding = "add_party" in request.POST
    formset = CostShareFormSet(
        _one_more_row(request.POST, "shares") if adding else request.POST or None,
        prefix="shares",
        initial=[
            {
                "household": s.household,
                "organization": s.organization,
                "amount": s.amount,
                "share_percent": s.share_percent,
            }
            for s in shares
        ],
        form_kwargs={"community": resolution.community},
    )
    editable = resolution.status == Resolution.Status.DRAFT
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if not adding and total_form.is_valid() and formset.is_valid():
            rows = [
                {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
                for f in formset
                if f.cleaned_data
                and not f.cleaned_data.get("DELETE")
                and any(
                    f.cleaned_data.get(k) is not None and f.cleaned_data.get(k) != ""
                    for k in ("household", "organization", "amount", "share_percent")
                )
            ]
            try:
                services.cost_split_set(
                    actor=request.user,
                    item=item,
                    shares=rows,
                    total=total_form.cleaned_data["total"],
                    note=total_form.cleaned_data["note"],
                    expected_version=_version(total_form),
                )
            except DomainError as error:
                if error.field == "shares":
                    formset._non_form_errors = formset.error_class([error.message])
                else:
                    _form_error(total_form, error)
            else:
                messages.success(request, _("The cost split is saved."))
                return redirect("resolutions:detail", resolution.pk)
    parts = services.split_parts(cost.total if cost else None, shares)
    return render(
        request,
        "resolutions/cost_split.html",
        {
            "item": item,
            "resolution": resolution,
            "total_form": total_form,
            "formset": formset,
            "editable": editable,
            "current": list(zip(shares, parts, strict=True)),
        },
    )


def _run_transition(request, run, label):
    """Apply a lifecycle move with the posted note and version; say how it went."""
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        run(note=form.cleaned_data.get("note", ""), expected_version=_version(form))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": label})


@login_required
@require_POST
def resolution_transition(request, pk, action):
    resolution = get_resolution_for_user(request.user, pk, write=True)
    if action not in RESOLUTION_TRANSITIONS:
        raise Http404
    _run_transition(
        request,
        lambda **kw: services.resolution_transition(
            actor=request.user, resolution=resolution, action=action, **kw
        ),
        RESOLUTION_TRANSITIONS[action].label,
    )
    return redirect("resolutions:detail", resolution.pk)


def _review_form(resolution, data=None):
    form = TransitionForm(data, initial={"version": resolution.version})
    form.fields["note"].label = _("Legal review")
    form.fields["note"].required = True
    return form


@login_required
def legal_review(request, pk):
    """The legal adviser writes his review here (or on the resolution's page); staff of
    the community read it."""
    resolution = get_resolution_for_user(request.user, pk, queryset=_resolution_queryset())
    reviewer = can_review_legally(request.user, resolution)
    if not (reviewer or can_manage_resolution(request.user, resolution)):
        raise PermissionDenied
    if request.method == "POST" and not reviewer:
        raise PermissionDenied
    form = _review_form(resolution, request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = "approve_review" if "approve" in request.POST else "return_review"
        try:
            services.resolution_transition(
                actor=request.user,
                resolution=resolution,
                action=action,
                note=form.cleaned_data["note"],
                expected_version=_version(form),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The legal review is recorded."))
            return redirect("resolutions:detail", resolution.pk)
    return render(
        request,
        "resolutions/legal_review.html",
        {
            "resolution": resolution,
            "form": form,
            "items": _items_with_progress(resolution.items.all()),
            "reviewer": reviewer,
            "reviewable": reviewer and resolution.status == Resolution.Status.AWAITING_REVIEW,
            "awaiting": resolution.status == Resolution.Status.AWAITING_REVIEW,
        },
    )


@login_required
def confirmations(request, pk):
    resolution = get_resolution_for_user(request.user, pk, write=True)
    form = ConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirmation_record(
                actor=request.user, resolution=resolution, **form.cleaned_data
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The confirmation is recorded."))
            return redirect("resolutions:confirm", resolution.pk)
    return render(
        request,
        "resolutions/confirm.html",
        {
            "resolution": resolution,
            "form": form,
            "confirmations": resolution.confirmations.all(),
        },
    )


def _print_context(resolution):
    items = list(
        _items_with_progress(
            resolution.items.exclude(status=ActionItem.Status.CANCELLED)
        ).prefetch_related(
            Prefetch(
                "cost_shares",
                queryset=CostShare.objects.select_related(
                    "organization", "household__unit__building__compound"
                ),
            ),
            "cost",
        )
    )
    # Each party signs for a sum in yuan: a share of the total is printed as its amount.
    for item in items:
        shares = list(item.cost_shares.all())
        cost = getattr(item, "cost", None)
        item.share_parts = list(
            zip(shares, services.split_parts(cost.total if cost else None, shares), strict=True)
        )
    return {
        "resolution": resolution,
        "items": items,
        "confirmations": resolution.confirmations.all(),
    }


@login_required
def print_agreement(request, pk):
    resolution = get_resolution_for_user(
        request.user, pk, write=True, queryset=_resolution_queryset()
    )
    context = _print_context(resolution)
    if request.GET.get("format") == "pdf":
        pdf = render_pdf(
            "resolutions/agreement_pdf.html",
            context,
            request=request,
            stylesheets=["css/document.css"],
        )
        return pdf_response(pdf, f"{resolution.title}.pdf")
    return render(request, "resolutions/print.html", context)


@login_required
def objection_create(request, pk):
    resolution = get_resolution_for_user(request.user, pk)
    if not can_object(request.user, resolution):
        raise PermissionDenied
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_lodge(
                actor=request.user, resolution=resolution, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your objection is lodged. The community will answer you."))
            return redirect("resolutions:public_detail", resolution.pk)
    return render(request, "resolutions/objection.html", {"resolution": resolution, "form": form})


@login_required
def objection_answer(request, pk):
    objection = get_objection_for_user(request.user, pk, write=True)
    form = AnswerForm(request.POST or None, initial={"answer": objection.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_answer(
                actor=request.user, objection=objection, answer=form.cleaned_data["answer"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The answer is sent."))
            return redirect("resolutions:detail", objection.resolution_id)
    return render(
        request, "resolutions/objection_answer.html", {"objection": objection, "form": form}
    )


# ---------------------------------------------------------------- action items


@login_required
def item_detail(request, pk):
    item = get_action_item_for_user(
        request.user,
        pk,
        queryset=ActionItem.objects.select_related(
            "responsible_organization",
            "responsible_user",
            "responsible_resident",
            "confirmed_by",
            "resolution__community",
        ),
    )
    report = can_report_progress(request.user, item) and item.status in (
        ActionItem.Status.PENDING,
        ActionItem.Status.IN_PROGRESS,
    )
    check = can_check_item(request.user, item) and can_item_transition(
        request.user, item, "pass_check" if item.status != ActionItem.Status.DONE else "fail_check"
    )
    progress_form = ProgressForm(initial={"version": item.version, "percent": item.percent})
    check_form = CheckForm(initial={"version": item.version})
    if request.method == "POST":
        kind = request.POST.get("form")
        try:
            if kind == "progress" and report:
                progress_form = ProgressForm(request.POST, request.FILES)
                if progress_form.is_valid():
                    data = progress_form.cleaned_data
                    services.progress_report(
                        actor=request.user,
                        item=item,
                        text=data["text"],
                        percent=data["percent"],
                        photos=data["photos"],
                        request_check=data["request_check"],
                        expected_version=_version(progress_form),
                    )
                    messages.success(request, _("The progress is recorded."))
                    return redirect("resolutions:item_detail", item.pk)
            elif kind == "check" and check:
                check_form = CheckForm(request.POST, request.FILES)
                if check_form.is_valid():
                    data = check_form.cleaned_data
                    services.item_check(
                        actor=request.user,
                        item=item,
                        passed=data["passed"],
                        text=data["text"],
                        photos=data["photos"],
                        expected_version=_version(check_form),
                    )
                    messages.success(
                        request,
                        _("Confirmed on site.") if data["passed"] else _("Sent back for rework."),
                    )
                    return redirect("resolutions:item_detail", item.pk)
            else:
                raise PermissionDenied
        except DomainError as error:
            _form_error(progress_form if kind == "progress" else check_form, error)
    actions = [
        t
        for t in item_actions_from(item.status)
        if t.action in ("start", "cancel") and can_item_transition(request.user, item, t.action)
    ]
    return render(
        request,
        "resolutions/item_detail.html",
        {
            "item": item,
            "resolution": item.resolution,
            "history": item_history(item),
            "can_report": report,
            "can_check": check,
            "can_view_resolution": can_manage_resolution(request.user, item.resolution)
            or resolutions_visible_to(request.user).filter(pk=item.resolution_id).exists(),
            "progress_form": progress_form,
            "check_form": check_form,
            "actions": actions,
            "transition_form": TransitionForm(initial={"version": item.version}),
        },
    )


@login_required
@require_POST
def item_transition(request, pk, action):
    item = get_action_item_for_user(request.user, pk)
    if action not in ("start", "cancel") or action not in ITEM_TRANSITIONS:
        raise Http404
    if not may_act_on_item(request.user, item, action):
        raise PermissionDenied
    _run_transition(
        request,
        lambda **kw: services.action_item_transition(
            actor=request.user, item=item, action=action, **kw
        ),
        ITEM_TRANSITIONS[action].label,
    )
    return redirect("resolutions:item_detail", item.pk)


@login_required
def my_items(request):
    items = (
        _items_with_progress(my_action_items(request.user))
        .select_related("resolution")
        .order_by("status", "deadline", "pk")
    )
    show = request.GET.get("show", "open")
    if show != "all":
        items = items.filter(status__in=ITEM_OPEN_STATUSES)
    return render(
        request,
        "resolutions/my_items.html",
        {
            "page_obj": _page(request, items),
            "show": show,
            # 待我审查: the legal adviser's agreements to review, all of them (a handful).
            "to_review": resolutions_awaiting_my_review(request.user).select_related("community"),
        },
    )


# ---------------------------------------------------------------- evaluation, revisits


@login_required
def evaluate(request, issue_pk):
    issue = get_issue_for_user(request.user, issue_pk)
    if not can_evaluate(request.user, issue):
        raise PermissionDenied
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(actor=request.user, issue=issue, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Thank you for your evaluation."))
            return redirect("issues:mine")
    # What the resident rates: the work done on each item of the resolutions they may see.
    resolutions = list(
        resolutions_visible_to(request.user)
        .filter(issue=issue.pk)
        .exclude(status=Resolution.Status.WITHDRAWN)
        .only("pk", "title", "status", "issue_id")
        .order_by("pk")
    )
    items = with_progress_notes(
        ActionItem.objects.filter(resolution__in=[r.pk for r in resolutions])
        .exclude(status=ActionItem.Status.CANCELLED)
        .select_related("responsible_organization")
    )
    for resolution in resolutions:
        resolution.shown_items = [item for item in items if item.resolution_id == resolution.pk]
    return render(
        request,
        "resolutions/evaluate.html",
        {"issue": issue, "form": form, "resolutions": resolutions},
    )


@login_required
def revisit(request, issue_pk):
    issue = get_issue_for_user(request.user, issue_pk)
    if not can_record_revisit(request.user, issue):
        raise PermissionDenied
    form = RevisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revisit_record(actor=request.user, issue=issue, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The revisit is recorded."))
            return redirect("issues:detail", issue.pk)
    return render(
        request,
        "resolutions/revisit.html",
        {
            "issue": issue,
            "form": form,
            "revisits": issue.revisits.select_related("visitor", "resident"),
        },
    )


# ---------------------------------------------------------------- public board


def _counted_page(page):
    page.object_list = with_item_figures(page.object_list)
    return page


def _board_queryset():
    return public_resolutions().select_related("issue__category", "issue__compound", "community")


BOARD_CHOICES_KEY = "resolutions:board-choices:{}"
BOARD_COUNT_KEY = "resolutions:board-count:{}:{}:{}"
BOARD_CARDS_KEY = "resolutions:board-cards:{}:{}:{}:{}:{}"
BOARD_PARAMETERS = {"compound", "category", "page"}


def _board_version():
    """The latest change of any resolution or action item (two index lookups in one
    query): a publication, withdrawal, archiving, confirmed item or progress report saves
    one of them, so what the board caches under it stays true."""
    # Each side falls back to a fixed time: SQLite's GREATEST is NULL if either is.
    never = Value(dt.datetime(2000, 1, 1, tzinfo=dt.UTC), output_field=DateTimeField())
    latest = Resolution.objects.aggregate(
        latest=Greatest(
            Coalesce(Max("updated_at"), never),
            Coalesce(
                Subquery(
                    ActionItem.objects.order_by().values(latest=Func("updated_at", function="MAX"))
                ),
                never,
            ),
        )
    )["latest"]
    return latest.timestamp()


def _board_choices(version):
    """The compounds and categories that have public outcomes, for the board's filters.
    Finding them joins every published resolution to its issue, so the answer is cached
    under the board's version."""
    key = BOARD_CHOICES_KEY.format(version)
    choices = cache.get(key)
    if choices is None:
        published = public_resolutions().order_by()
        # Two DISTINCTs over one hash join each: a few hundred ms at district scale, once.
        compound_ids = list(published.values_list("issue__compound", flat=True).distinct())
        category_ids = list(published.values_list("issue__category", flat=True).distinct())
        compounds = Compound.objects.filter(pk__in=compound_ids).select_related("community")
        choices = {
            "compound": [(c.pk, f"{c.community.name} · {c.name}") for c in compounds],
            "category": [(c.pk, c.name) for c in Category.objects.filter(pk__in=category_ids)],
        }
        cache.set(key, choices, 24 * 3600)
    return choices


def _board_vary(request):
    """What the whole board page is kept under besides its viewer's versions: the cards'
    version, and which opinion-taking is public now (a window that closed by the clock
    changed no row; one whose issue became a dispute leaves the board)."""
    return [str(_board_version()), repr(_windows_signature(timezone.now()))]


def _windows_signature(now) -> tuple | None:
    """(count, last id, latest closed_at, latest closes_at) of the windows public at `now`:
    compiled once (lib.compiled), asked on every request of the cached board."""
    return compiled.row(
        "board-windows",
        lambda moment: (
            public_opinion_windows(now=moment)
            .order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(
                n=Count("pk"), last=Max("pk"), closed=Max("closed_at"), closes=Max("closes_at")
            )
            .values_list("n", "last", "closed", "closes")
        ),
        OpinionWindow,
        now,
        field="closes_at",
    )


# The whole page, the same for every visitor who is not logged in (by language and text
# size), is kept under the board's version like its cards.
@cached_page(page_versions, vary=_board_vary, anonymous=BOARD_PARAMETERS)
def board(request):
    """公示: the public outcomes board, no login needed."""
    resolutions = _board_queryset().order_by("-publication_starts", "-pk")
    form = BoardFilterForm(request.GET or None)
    version = _board_version()
    choices = _board_choices(version)
    form.fields["compound"].choices = [("", _("All compounds"))] + choices["compound"]
    form.fields["category"].choices = [("", _("All categories"))] + choices["category"]
    compound = category = None
    if form.is_valid():
        compound, category = form.cleaned_data.get("compound"), form.cleaned_data.get("category")
        if compound:
            resolutions = resolutions.filter(issue__compound=compound)
        if category:
            resolutions = resolutions.filter(issue__category=category)
    # Counting every published resolution of the district was the slowest query of the page.
    count_key = BOARD_COUNT_KEY.format(version, compound, category)
    paginator = CountedPaginator(
        resolutions,
        PER_PAGE,
        count=lambda: cache.get_or_set(count_key, resolutions.count, 24 * 3600),
    )
    # Everyone sees the same cards for the same filters and page, until a resolution or an
    # item changes: they are rendered once per language and version.
    number = request.GET.get("page") or "1"
    cards_key = (
        BOARD_CARDS_KEY.format(version, compound, category, number, get_language())
        # Links of the pagination carry the query string: only the board's own parameters
        # may end up in what is shown to everyone.
        if number.isdigit() and len(number) < 6 and set(request.GET) <= BOARD_PARAMETERS
        else None
    )

    def render_cards():
        page = _counted_page(paginator.get_page(number))
        return render_to_string("resolutions/_board_cards.html", {"page_obj": page}, request)

    cards = cache.get_or_set(cards_key, render_cards, 24 * 3600) if cards_key else render_cards()
    return render(
        request,
        "resolutions/board.html",
        {"cards": cards, "form": form, "opinion_windows": _board_opinion_windows()},
    )


def _board_opinion_windows():
    """The latest opinion-taking closed on public matters, with their results: three
    queries (the windows, their counts, their comments are left to the results page)."""
    from meetings.selectors import with_opinion_results

    return with_opinion_results(
        public_opinion_windows(now=timezone.now())
        .select_related("community", "compound", "building__compound", "unit__building__compound")
        .order_by("-closes_at", "-pk")[:6],
        comments=False,
    )


def public_detail(request, pk):
    resolution = get_public_resolution(pk, queryset=_board_queryset())
    with_item_figures([resolution])
    private = is_private_outcome(resolution)
    # A settled dispute shows no items, so none of their notes either.
    items = (
        []
        if private
        else with_progress_notes(
            resolution.items.exclude(status=ActionItem.Status.CANCELLED).select_related(
                "responsible_organization"
            )
        )
    )
    return render(
        request,
        "resolutions/public_detail.html",
        {
            "resolution": resolution,
            "is_private": private,
            "items": items,
            "objections": resolution.objections.exclude(answer="").only(
                "reason", "answer", "answered_at", "lodged_at", "resolution_id"
            )
            if not private
            else [],
            "can_object": can_object(request.user, resolution),
            "can_evaluate": can_evaluate(request.user, resolution.issue),
        },
    )


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Drop the XML declaration so the SVG can sit inline in the page.
    return svg[svg.index("<svg") :]


@login_required
def poster(request, pk):
    """A notice-board poster (公示栏) with a QR code to the public page."""
    resolution = get_resolution_for_user(
        request.user, pk, write=True, queryset=_resolution_queryset()
    )
    if resolution.status != Resolution.Status.PUBLISHED:
        messages.error(request, _("Publish the resolution first."))
        return redirect("resolutions:detail", resolution.pk)
    url = settings.SITE_URL + reverse("resolutions:public_detail", args=[resolution.pk])
    return render(
        request,
        "resolutions/poster.html",
        {
            "resolution": resolution,
            "is_private": is_private_outcome(resolution),
            "items": resolution.items.exclude(status=ActionItem.Status.CANCELLED).select_related(
                "responsible_organization"
            ),
            "qr_svg": mark_safe(_qr_svg(url)),  # generated by qrcode from our own URL
            "public_url": url,
        },
    )


__all__ = ["ProgressUpdate"]
