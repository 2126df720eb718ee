"""Issue pages: the staff work queue, intake, detail with its timeline and transitions,
residents' own issues, grid patrols and household visits. Access is decided in
access.issues; every write goes through issues.services."""

from datetime import datetime, time
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.communities import residents_visible_to
from access.issues import (
    bulk_assignees_for,
    can_act_in_bulk,
    can_answer_hotline,
    can_comment_issue,
    can_create_issue,
    can_edit_issue,
    can_edit_patrol,
    can_record_revisit,
    can_record_visits_in,
    can_report_online,
    can_resolve_in,
    can_transition,
    categories_offered_to,
    get_household_to_visit,
    get_issue_for_user,
    get_patrol_for_user,
    get_summons_for_user,
    grids_for_patrol,
    issues_visible_to,
    patrols_visible_to,
    running_patrol_of,
    timeline_visible_to,
    visible_issue_ids,
    visit_grids_for,
)
from access.scope import get_scope, page_versions
from accounts.home_panels import home_panels
from communities.labels import place_choices, with_community
from communities.models import Building, Compound, Grid, Household, Resident
from core import audit
from core.attachments import attachments_context
from lib import geo
from lib.errors import DomainError, StaleEdit
from lib.pagecache import cached_page
from lib.pagination import CountedPaginator
from lib.related import name_of, user_name_of
from lib.uploads import clean_photos

from . import services
from .forms import (
    BULK_CHOICES,
    AssignForm,
    BulkForm,
    BulkReviewForm,
    CommentForm,
    FindingToIssueForm,
    HotlineAnswerForm,
    IssueForm,
    PartyFormSet,
    QueueFilterForm,
    ResidentIssueForm,
    SummonsReportForm,
    TransitionForm,
    VisitForm,
)
from .models import (
    OPEN_STATUSES,
    Category,
    Channel,
    Issue,
    Status,
    Visit,
)
from .outcomes import section_relations, sections_context
from .selectors import duplicates_nearby, issues_filter, similar_open_issues
from .workflow import TRANSITIONS, actions_from, refusal

PER_PAGE = 25


def _form_error(form, error: DomainError):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _require_workers(user):
    if not get_scope(user).works_for_community:
        raise PermissionDenied


# The work queue.


# What a row of the work queue shows: reading only these halves the time Django spends
# turning rows into objects. The names of their category, grid and compound come from the
# filter choices (_queue_choices), their assignee's from a subquery: the rows join nothing.
QUEUE_ROW_FIELDS = (
    "community_id",
    "version",
    "title",
    "kind",
    "urgency",
    "channel",
    "status",
    "place_text",
    "reported_at",
    "accept_deadline",
    "handle_deadline",
    "category_id",
    "grid_id",
    "compound_id",
    "assignee_id",
)


_ASSIGNEE_NAME = user_name_of(Issue, "assignee")


def _queue_choices(user):
    """The work queue's filter choices: every category, and the grids and compounds the
    user may filter by, as {"category"|"grid"|"compound": [(pk, name), …]}."""
    scope = get_scope(user)
    compounds = Compound.objects.filter(community__in=scope.community_ids, archived_at__isnull=True)
    several = len(scope.community_ids) > 1
    return {
        "category": list(Category.objects.values_list("pk", "name")),
        "grid": place_choices(visit_grids_for(user), several=several),
        "compound": place_choices(compounds, several=several),
    }


def _name_rows(issues, choices):
    """Give each row the names of its category, grid and compound, from the filter choices;
    places archived since (not among the choices) are read in one query."""
    names = {kind: dict(pairs) for kind, pairs in choices.items()}
    missing = {
        kind: {getattr(issue, f"{kind}_id") for issue in issues} - names[kind].keys() - {None}
        for kind in ("grid", "compound")
    }
    if missing["grid"] or missing["compound"]:
        names["grid"].update(Grid.objects.filter(pk__in=missing["grid"]).values_list("pk", "name"))
        names["compound"].update(
            Compound.objects.filter(pk__in=missing["compound"]).values_list("pk", "name")
        )
    for issue in issues:
        issue.category_name = names["category"].get(issue.category_id, "")
        issue.grid_name = names["grid"].get(issue.grid_id, "")
        issue.compound_name = names["compound"].get(issue.compound_id, "")


def _queue(user, params, *, choices=None):
    """The work queue's filter form for `params` (a query dict) and the issues it selects,
    unordered: the page lists them, the ledger exports them, a bulk action takes them all."""
    choices = choices or _queue_choices(user)
    form = QueueFilterForm(
        params or None,
        categories=choices["category"],
        grids=choices["grid"],
        compounds=choices["compound"],
    )
    filters = form.cleaned_data if form.is_valid() else {}
    return form, filters, issues_filter(issues_visible_to(user), {**filters, "status": None})


def queue_selection(user, params):
    """The issues the work queue shows for `params`: of a status when one is chosen, else
    those still open unless words are looked for (then every status)."""
    _form, filters, issues = _queue(user, params)
    return _narrow(issues, filters)


def _narrow(issues, filters):
    if filters.get("status"):
        return issues_filter(issues, {"status": filters["status"]})
    if not filters.get("q"):
        # Without a status or words to find, the queue is the work still to do.
        return issues_filter(issues, {"open": True})
    return issues


@login_required
@cached_page(page_versions)
def issue_list(request):
    _require_workers(request.user)
    choices = _queue_choices(request.user)
    form, filters, issues = _queue(request.user, request.GET, choices=choices)
    # Counts per status, before the status filter, in one query.
    counts = dict(
        issues.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    status_counts = [(value, label, counts.get(value, 0)) for value, label in Status.choices]
    if filters.get("status"):
        count = counts.get(filters["status"], 0)
    elif not filters.get("q"):
        count = sum(counts.get(status, 0) for status in OPEN_STATUSES)
    else:
        count = sum(counts.values())
    issues = _narrow(issues, filters)
    sort = filters.get("sort") or "-reported_at"
    issues = (
        issues.only(*QUEUE_ROW_FIELDS).annotate(assignee_name=_ASSIGNEE_NAME).order_by(sort, "-pk")
    )
    # The counts per status already say how many rows the list has.
    page = CountedPaginator(issues, PER_PAGE, count=count).get_page(request.GET.get("page"))
    _name_rows(page.object_list, choices)
    return render(
        request,
        "issues/list.html",
        {
            "form": form,
            "page_obj": page,
            "status_counts": status_counts,
            "total": sum(counts.values()),
            "count": count,
            "can_create": can_create_issue(request.user),
            "bulk": can_act_in_bulk(request.user),
            "bulk_form": BulkForm() if can_act_in_bulk(request.user) else None,
        },
    )


# Bulk actions of the work queue.

# The most issues one bulk action takes: each is its own transaction, a few queries each.
BULK_LIMIT = 200
_BULK_SESSION_KEY = "issues_bulk_outcome"


def _bulk_selection(request, form):
    """The issues a bulk action takes, oldest first (the one a merge keeps by default):
    those ticked (`issue`, with the version each row showed, `v<pk>`), or every issue the
    queue's filters select. Only issues the user may see; None when more than
    BULK_LIMIT."""
    if form.cleaned_data["all_matching"]:
        issues = queue_selection(request.user, QueryDict(form.cleaned_data["filters"]))
        versions = {}
    else:
        ids = [int(pk) for pk in request.POST.getlist("issue") if pk.isdigit()][: BULK_LIMIT + 1]
        issues = issues_visible_to(request.user).filter(pk__in=ids)
        versions = {
            pk: int(request.POST[f"v{pk}"])
            for pk in ids
            if request.POST.get(f"v{pk}", "").isdigit()
        }
    rows = list(
        issues.only("title", "status", "community_id", "assignee_id", "version", "reported_at")
        .annotate(community_name=name_of(Issue, "community"))
        .order_by("reported_at", "pk")[: BULK_LIMIT + 1]
    )
    if len(rows) > BULK_LIMIT:
        return None, versions
    return rows, versions


def _back_to_queue(form):
    filters = form.data.get("filters", "") if form is not None else ""
    return redirect(f"{reverse('issues:list')}?{filters}" if filters else "issues:list")


@login_required
@require_POST
def issue_bulk(request):
    """Step 1 lists what a bulk action will touch and asks what it needs (who to assign,
    which category, the issue a merge keeps); step 2 (`confirm`) applies it, one issue at a
    time, and shows what was done and what was refused."""
    if not can_act_in_bulk(request.user):
        raise PermissionDenied
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the selected issues."))
        return _back_to_queue(form)
    issues, versions = _bulk_selection(request, form)
    if issues is None:
        messages.error(
            request,
            _("At most %(limit)d issues at a time: narrow the filters, or tick the issues.")
            % {"limit": BULK_LIMIT},
        )
        return _back_to_queue(form)
    if not issues:
        messages.error(request, _("Tick the issues to act on first, or choose every issue."))
        return _back_to_queue(form)
    action = form.cleaned_data["action"]
    review = BulkReviewForm(
        request.POST if request.POST.get("confirm") else None,
        action=action,
        issues=issues,
        assignees=bulk_assignees_for(request.user),
    )
    if request.POST.get("confirm") and review.is_valid():
        data = review.cleaned_data
        keep = next((i for i in issues if i.pk == data.get("keep")), None)
        try:
            outcome = services.issue_bulk(
                actor=request.user,
                issues=issues,
                action=action,
                versions=versions,
                keep=keep,
                accept_kept=data.get("accept_kept", False),
                assignee=data.get("assignee"),
                category=data.get("category"),
                urgency=data.get("urgency", ""),
                deliberation_level=data.get("deliberation_level", ""),
            )
        except DomainError as error:
            _form_error(review, error)
        else:
            request.session[_BULK_SESSION_KEY] = {
                "action": str(dict(BULK_CHOICES)[action]).rstrip("…"),
                "filters": form.cleaned_data["filters"],
                **{
                    key: [(i.pk, i.title, str(why)) for i, why in rows]
                    for key, rows in outcome.items()
                },
            }
            return redirect("issues:bulk_done")
    return render(
        request,
        "issues/bulk_review.html",
        {
            "form": form,
            "review": review,
            "action": action,
            "action_label": str(dict(BULK_CHOICES)[action]).rstrip("…"),
            "issues": issues,
            "versions": versions,
        },
        status=400 if review.errors else 200,
    )


@login_required
def issue_bulk_done(request):
    """What the last bulk action did to each issue, and what it refused and why."""
    if not can_act_in_bulk(request.user):
        raise PermissionDenied
    outcome = request.session.get(_BULK_SESSION_KEY)
    if outcome is None:
        return redirect("issues:list")
    return render(request, "issues/bulk_done.html", {"outcome": outcome})


# Intake.


def _community_for(user, compound):
    scope = get_scope(user)
    if compound is not None:
        return compound.community
    if len(scope.community_ids) == 1:
        from communities.models import Community

        return Community.objects.get(pk=next(iter(scope.community_ids)))
    return None


@login_required
def issue_create(request):
    if can_report_online(request.user):
        return _resident_create(request)
    if not can_create_issue(request.user):
        raise PermissionDenied
    scope = get_scope(request.user)
    choices = {
        "community_ids": scope.community_ids,
        "residents": residents_visible_to(request.user),
    }
    # Grid workers mostly log what they find on patrol; staff, who comes to the office.
    channel = Channel.GRID_PATROL if scope.is_grid_worker else Channel.WALK_IN
    form = IssueForm(
        request.POST or None,
        request.FILES or None,
        initial={"channel": channel},
        categories=categories_offered_to(request.user),
        **choices,
    )
    party_forms = PartyFormSet(request.POST or None, prefix="parties", form_kwargs=choices)
    if request.method == "POST" and form.is_valid() and party_forms.is_valid():
        data = form.cleaned_data
        try:
            photos = clean_photos(request.FILES.getlist("photos"))
            community = data["community"] or _community_for(request.user, data["compound"])
            if community is None:
                raise DomainError(_("Choose the compound the issue is about."), field="compound")
            parties = [party for f in party_forms if (party := f.party())]
            issue = services.issue_report_full(
                actor=request.user,
                photos=photos,
                parties=parties,
                community=community,
                category=data["category"],
                title=data["title"],
                description=data["description"],
                channel=data["channel"],
                kind=data["kind"] or None,
                urgency=data["urgency"],
                compound=data["compound"],
                building=data["building"],
                unit=data["unit"],
                place_text=data["place_text"],
                reporter_resident=data["reporter_resident"],
                reporter_organization=data["reporter_organization"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                is_anonymous=data["is_anonymous"],
                hotline_type=data["hotline_type"],
                hotline_ticket=data["hotline_ticket"],
                **form.position(),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Issue logged: %(title)s") % {"title": issue.title})
            return redirect("issues:detail", pk=issue.pk)
    if request.method == "POST" and request.FILES:  # a POST that reaches here was refused
        messages.warning(request, _("Your input is kept; please choose the photos again."))
    return render(request, "issues/create.html", {"form": form, "party_forms": party_forms})


def _resident_create(request):
    scope = get_scope(request.user)
    form = ResidentIssueForm(
        request.POST or None, request.FILES or None, categories=categories_offered_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resident = Resident.objects.select_related("household", "community").get(
            pk=scope.resident_id
        )
        household = resident.household
        try:
            photos = clean_photos(request.FILES.getlist("photos"))
            issue = services.issue_report_full(
                actor=request.user,
                photos=photos,
                community=resident.community,
                category=data["category"],
                title=data["title"],
                description=data["description"],
                channel=Channel.ONLINE,
                compound=household.compound if household else None,
                unit=household.unit if household else None,
                place_text=data["place_text"],
                reporter_resident=resident,
                grid=resident.grid,
                **form.position(),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Thank you. Your issue was sent to the community; follow it here.")
            )
            return redirect("issues:detail", pk=issue.pk)
    if request.method == "POST" and request.FILES and form.errors:
        messages.warning(request, _("Your input is kept; please choose the photos again."))
    return render(request, "issues/resident_create.html", {"form": form})


@login_required
def duplicates(request):
    """htmx: open issues that look like the one being typed."""
    if not can_create_issue(request.user):
        raise PermissionDenied
    compound = category = None
    if request.GET.get("compound", "").isdigit():
        compound = Compound.objects.filter(pk=request.GET["compound"]).first()
    if request.GET.get("category", "").isdigit():
        category = Category.objects.filter(pk=request.GET["category"]).first()
    community = _community_for(request.user, compound)
    exclude = request.GET.get("exclude")
    exclude = int(exclude) if exclude and exclude.isdigit() else None
    found, nearby = [], []
    if community is not None and community.pk in get_scope(request.user).community_ids:
        found = similar_open_issues(
            issues=issues_visible_to(request.user),
            community=community,
            compound=compound,
            category=category,
            title=request.GET.get("title", "")[:200],
            description=request.GET.get("description", "")[:500],
            exclude_pk=exclude,
        )
        # The same category near the same place, whatever the words (issues.selectors).
        latitude, longitude = _intake_position(request.GET, community, compound)
        nearby = duplicates_nearby(
            issues=issues_visible_to(request.user),
            community=community,
            category=category,
            latitude=latitude,
            longitude=longitude,
            exclude_pk=exclude,
        )
        shown = {issue.pk for issue in found}
        nearby = [(issue, metres) for issue, metres in nearby if issue.pk not in shown]
    return render(
        request,
        "issues/_duplicates.html",
        {
            "candidates": found,
            "nearby": nearby,
            "radius": settings.YISHI["DUPLICATE_RADIUS_METRES"],
        },
    )


def _intake_position(params, community, compound):
    """Where a new issue is: the phone's position the intake form holds, else the chosen
    building's, else the compound's (those of the community only), else (None, None)."""
    latitude, longitude = params.get("latitude", ""), params.get("longitude", "")
    if latitude and longitude and geo.valid_point(latitude, longitude):
        return float(latitude), float(longitude)
    building_pk = params.get("building", "")
    if building_pk.isdigit():
        building = (
            Building.objects.filter(pk=building_pk, compound__community=community)
            .only("latitude", "longitude")
            .first()
        )
        if building is not None and building.latitude is not None:
            return building.latitude, building.longitude
    if (
        compound is not None
        and compound.community_id == community.pk
        and compound.latitude is not None
    ):
        return compound.latitude, compound.longitude
    return None, None


# Detail, timeline and transitions.


@login_required
@cached_page(page_versions)
def issue_detail(request, pk):
    issue = get_issue_for_user(request.user, pk, queryset=_detail())
    return _render_detail(request, issue)


def _has(relation):
    related = Issue._meta.get_field(relation)
    return Exists(related.related_model.objects.filter(**{related.field.name: OuterRef("pk")}))


# Whether each optional section of the issue page has rows, asked with the issue itself:
# most issues have no photos, parties, summonses or merged duplicates, nor meetings or
# resolutions (the sections other apps register, issues.outcomes), and a query apiece to
# find nothing cost more than the rest of the page's SQL together.
_OWN_SECTIONS = ("photos", "parties", "summonses", "merged_issues")


@cache
def _detail():
    """The issue as its page shows it, built once, on the first page (the apps have
    registered their sections by then): making its ten expressions took longer than
    running the query. The names of its category, places and reporter come as subqueries
    (lib.related): joining them cost PostgreSQL more to plan than the query took to run.
    The optional relations (building, unit, merged into …) are read by the template only
    when set: a foreign key left empty costs no query."""
    return Issue.objects.annotate(
        **{
            f"has_{relation}": _has(relation) for relation in (*_OWN_SECTIONS, *section_relations())
        },
        category_name=name_of(Issue, "category"),
        grid_name=name_of(Issue, "grid"),
        compound_name=name_of(Issue, "compound"),
        reporter_resident_name=name_of(Issue, "reporter_resident"),
    )


# What the timeline shows of each event (its actor's name comes with history_of).
_EVENT_FIELDS = (
    "content_type_id",
    "object_id",
    "action",
    "from_status",
    "to_status",
    "note",
    "created_at",
)


def _if_any(issue, relation, rows):
    return rows if getattr(issue, f"has_{relation}", True) else []


def _render_detail(request, issue, *, failed_action=None, failed_form=None, status=200):
    user = request.user
    scope = get_scope(user)
    staff_view = scope.works_for_community
    # Each step's form is loaded when it is opened (issue_transition_form), except the one
    # that was just refused, shown open with its errors.
    actions = [
        {
            "transition": transition,
            "form": failed_form if failed_action == transition.action else None,
        }
        for transition in actions_from(issue.status)
        # A move another app's rule refuses now (no adopted resolution, items still
        # open) is not offered: it happens by itself when its condition comes true.
        if can_transition(user, issue, transition.action) and not refusal(issue, transition.action)
    ]
    merged = list(_if_any(issue, "merged_issues", issue.merged_issues.only("pk", "title")))
    summonses = list(_if_any(issue, "summonses", issue.summonses.select_related("organization")))
    for summons in summonses:
        # A form per department, its fields' ids its own: labels must not point at the
        # field of another department's form.
        summons.report_form = SummonsReportForm(auto_id=f"summons{summons.pk}_%s")
    events = timeline_visible_to(
        audit.history_of(issue).only(*_EVENT_FIELDS), works_on_it=staff_view
    )
    now = timezone.now()
    # The 12345 tickets it answers for (its own and those merged into it), for those who
    # work on it: one query, only for hotline issues and issues with merged duplicates.
    hotline_tickets = (
        list(services.hotline_tickets_of(issue))
        if staff_view
        and (issue.channel == Channel.HOTLINE or getattr(issue, "has_merged_issues", True))
        else []
    )
    context = {
        "issue": issue,
        "events": events,
        "photos": _if_any(issue, "photos", issue.photos.all()),
        "parties": _if_any(
            issue, "parties", issue.parties.select_related("resident", "organization")
        )
        if staff_view
        else [],
        "summonses": summonses,
        "merged_issues": merged,
        # What of it the viewer may open: the page links only that (access decides).
        "open_issues": visible_issue_ids(user, [m.pk for m in merged] + [issue.merged_into_id]),
        # Where the issue went next (the meetings that took it up, the resolutions agreed
        # on it): rows of the apps that did that work, which fill in their sections.
        **sections_context(request, issue),
        "actions": actions,
        "may_resolve": can_resolve_in(user, issue.community_id),
        "staff_view": staff_view,
        "can_edit": can_edit_issue(user, issue),
        "can_comment": can_comment_issue(user, issue),
        # 事后回访: a closed issue offers its revisit form to those who may record it.
        "can_revisit": can_record_revisit(user, issue),
        "comment_form": CommentForm(),
        "assign_form": AssignForm(
            initial={"version": issue.version, "assignee": issue.assignee_id}, issue=issue
        )
        if can_edit_issue(user, issue) and issue.is_open
        else None,
        "overdue": issue.is_overdue(now),
        "deadline": issue.accept_deadline
        if issue.status == Status.REPORTED
        else issue.handle_deadline,
        "is_open": issue.is_open,
        "running_patrol": running_patrol_of(user, issue),
        # The 12345 tickets it answers for (its own and those merged into it), for those
        # who work on it: one query, for hotline issues and issues with merged duplicates.
        "hotline_tickets": hotline_tickets,
        "hotline_waiting": any(t.answered_at is None for t in hotline_tickets),
        "can_answer_hotline": can_answer_hotline(user, issue),
        "hotline_answer_form": HotlineAnswerForm(),
        **attachments_context(user, issue),
    }
    return render(request, "issues/detail.html", context, status=status)


@login_required
def issue_transition_form(request, pk, action):
    """A step's form: the fragment the issue page loads when the step is opened, or a page
    of its own for a browser without script."""
    issue = get_issue_for_user(request.user, pk)
    transition = TRANSITIONS.get(action)
    if transition is None or transition not in actions_from(issue.status):
        raise Http404
    if not can_transition(request.user, issue, action):
        raise PermissionDenied
    context = {
        "issue": issue,
        "t": transition,
        "form": TransitionForm(initial={"version": issue.version}, issue=issue),
    }
    if request.htmx:
        return render(request, "issues/_transition_form.html", context)
    return render(request, "issues/transition_form.html", context)


@login_required
@require_POST
def issue_transition(request, pk, action):
    issue = get_issue_for_user(request.user, pk)
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise Http404
    if not can_transition(request.user, issue, action):
        raise PermissionDenied
    form = TransitionForm(request.POST, issue=issue)
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = data["version"]
            if action == "merge":
                into = None
                if data["into"]:
                    into = issues_visible_to(request.user).filter(pk=data["into"]).first()
                if into is None:
                    raise DomainError(_("Enter the number of an issue you can see."), field="into")
                services.issue_merge(
                    issue=issue,
                    into=into,
                    actor=request.user,
                    note=data["note"],
                    expected_version=version,
                )
            elif action == "escalate":
                services.issue_escalate(
                    issue=issue,
                    actor=request.user,
                    note=data["note"],
                    escalation_mode=data["escalation_mode"] or "whistle",
                    organizations=data["organizations"],
                    lead_cadre=data["lead_cadre"],
                    expected_version=version,
                )
            else:
                changes = {}
                if action == "send_to_deliberation":
                    changes["deliberation_level"] = data["deliberation_level"]
                services.issue_transition(
                    issue=issue,
                    action=action,
                    actor=request.user,
                    note=data["note"],
                    expected_version=version,
                    **changes,
                )
        except StaleEdit as error:
            form.add_error(None, error.message)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
            return redirect("issues:detail", pk=issue.pk)
    issue = get_issue_for_user(request.user, pk, queryset=_detail())
    return _render_detail(request, issue, failed_action=action, failed_form=form, status=400)


@login_required
@require_POST
def issue_comment(request, pk):
    issue = get_issue_for_user(request.user, pk)
    if not can_comment_issue(request.user, issue):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        services.issue_comment(issue=issue, actor=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect("issues:detail", pk=issue.pk)


@login_required
@require_POST
def issue_photos(request, pk):
    issue = get_issue_for_user(request.user, pk, write=True)
    try:
        photos = clean_photos(request.FILES.getlist("photos"))
        if not photos:
            raise DomainError(_("Choose a photo first."), field="photos")
        services.issue_add_photos(issue=issue, actor=request.user, photos=photos)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Photos added."))
    return redirect("issues:detail", pk=issue.pk)


@login_required
@require_POST
def hotline_answer(request, pk):
    """Record the answer given to the issue's 12345 callers (答复)."""
    issue = get_issue_for_user(request.user, pk)
    if not can_answer_hotline(request.user, issue):
        raise PermissionDenied
    form = HotlineAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer given to the callers."))
        return redirect("issues:detail", pk=issue.pk)
    try:
        answered = services.hotline_answer(
            issue=issue, actor=request.user, answer=form.cleaned_data["answer"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The answer is recorded for %(tickets)s.")
            % {"tickets": "、".join(t.hotline_ticket for t in answered)},
        )
    return redirect("issues:detail", pk=issue.pk)


@login_required
@require_POST
def summons_report(request, pk):
    summons = get_summons_for_user(request.user, pk, write=True)
    form = SummonsReportForm(request.POST)
    if form.is_valid():
        try:
            services.summons_report(
                summons=summons,
                actor=request.user,
                arrived_at=form.cleaned_data["arrived_at"],
                action_taken=form.cleaned_data["action_taken"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The department's report is recorded."))
    else:
        messages.error(request, _("Say when the department arrived and what it did."))
    return redirect("issues:detail", pk=summons.issue_id)


@login_required
@require_POST
def issue_assign(request, pk):
    issue = get_issue_for_user(request.user, pk, write=True)
    form = AssignForm(request.POST, issue=issue)
    if form.is_valid():
        try:
            services.issue_assign(
                issue=issue,
                actor=request.user,
                assignee=form.cleaned_data["assignee"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Assignment saved."))
    else:
        messages.error(request, _("Choose someone from the list."))
    return redirect("issues:detail", pk=issue.pk)


# A resident's own issues.


@login_required
@cached_page(page_versions)
def issue_mine(request):
    scope = get_scope(request.user)
    if not scope.is_resident:
        raise PermissionDenied
    issues = (
        issues_visible_to(request.user).select_related("category").order_by("-reported_at", "-pk")
    )
    page = Paginator(issues, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "issues/mine.html",
        {
            "page_obj": page,
            "can_report": can_report_online(request.user),
            # What other apps ask of this resident (a supervisor's on-site checks).
            "panels": home_panels(request),
        },
    )


# Grid patrols.


@login_required
def patrol_list(request):
    """The patrols the user may read; a grid worker starts the next one on the field page,
    which works without signal (issues.field_views)."""
    _require_workers(request.user)
    patrols = (
        patrols_visible_to(request.user)
        .select_related("grid", "worker")
        .annotate(
            finding_count=Count("findings", distinct=True),
            issue_count=Count("findings__issue", distinct=True),
        )
        .order_by("-started_at", "-pk")
    )
    page = Paginator(patrols, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "issues/patrol_list.html",
        {"page_obj": page, "can_patrol": grids_for_patrol(request.user).exists()},
    )


def _patrol_context(request, patrol, *, convert_form=None, convert_for=None):
    return {
        "patrol": patrol,
        "findings": patrol.findings.select_related("compound", "building", "issue"),
        "convert_form": convert_form or FindingToIssueForm(),
        "convert_for": convert_for,
        "can_edit": can_edit_patrol(request.user, patrol),
        "has_route": patrol.track.exists(),
    }


@login_required
def patrol_detail(request, pk):
    patrol = get_patrol_for_user(request.user, pk)
    return render(request, "issues/patrol_detail.html", _patrol_context(request, patrol))


@login_required
@require_POST
def finding_to_issue(request, pk, finding_pk):
    patrol = get_patrol_for_user(request.user, pk, write=True)
    finding = get_object_or_404(patrol.findings, pk=finding_pk)
    form = FindingToIssueForm(request.POST)
    if form.is_valid():
        try:
            issue = services.finding_to_issue(
                actor=request.user,
                finding=finding,
                category=form.cleaned_data["category"],
                title=form.cleaned_data["title"],
                urgency=form.cleaned_data["urgency"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Issue opened from the finding."))
            return redirect("issues:detail", pk=issue.pk)
    return render(
        request,
        "issues/patrol_detail.html",
        _patrol_context(request, patrol, convert_form=form, convert_for=finding.pk),
        status=400,
    )


# Household visits.


def _month_start(now):
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date().replace(day=1), time.min))


@login_required
def visit_list(request):
    _require_workers(request.user)
    grids = list(visit_grids_for(request.user).select_related("community").order_by("name"))
    if not grids:
        return render(request, "issues/visit_list.html", {"grids": [], "grid": None})
    several = len({g.community_id for g in grids}) > 1
    for g in grids:
        g.label = with_community(g.name, g.community.name) if several else g.name
    grid_id = request.GET.get("grid")
    grid = next((g for g in grids if str(g.pk) == grid_id), grids[0])
    since = _month_start(timezone.now())
    special = (
        Q(is_elderly_alone=True) | Q(is_disabled=True) | Q(is_low_income=True) | Q(is_very_old=True)
    )
    households = (
        Household.objects.filter(
            archived_at__isnull=True,
            residents__grid=grid,
            residents__archived_at__isnull=True,
        )
        .filter(
            Q(residents__is_elderly_alone=True)
            | Q(residents__is_disabled=True)
            | Q(residents__is_low_income=True)
            | Q(residents__is_very_old=True)
        )
        .distinct()
        .annotate(
            visited=Exists(Visit.objects.filter(household=OuterRef("pk"), visited_at__gte=since))
        )
        .select_related("unit__building__compound", "compound")
        .prefetch_related(
            Prefetch(
                "residents",
                queryset=Resident.objects.filter(special, archived_at__isnull=True),
                to_attr="special_residents",
            )
        )
        .order_by("visited", "pk")
    )
    page = Paginator(households, PER_PAGE).get_page(request.GET.get("page"))
    recent = (
        Visit.objects.filter(household__residents__grid=grid, visited_at__gte=since)
        .distinct()
        .select_related("household__unit__building__compound", "worker", "issue")
        .order_by("-visited_at")[:20]
    )
    return render(
        request,
        "issues/visit_list.html",
        {
            "grids": grids,
            "grid": grid,
            "page_obj": page,
            "recent": recent,
            "since": since,
            "may_record": can_record_visits_in(request.user, grid),
        },
    )


@login_required
def visit_create(request, household_pk):
    household = get_household_to_visit(request.user, household_pk)
    form = VisitForm(
        request.POST or None,
        initial={
            "household": household.pk,
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    form.fields["residents_seen"].queryset = household.residents.filter(archived_at__isnull=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_record(
                actor=request.user,
                household=household,
                residents_seen=data["residents_seen"],
                findings=data["findings"],
                visited_at=data["visited_at"],
                need_found=data["need_found"],
                need_title=data["need_title"],
                **{k: v for k, v in form.position().items() if k != "position_source"},
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            if visit.issue_id:
                messages.success(
                    request, _("Visit recorded; a special-group-need issue was opened.")
                )
                return redirect("issues:detail", pk=visit.issue_id)
            messages.success(request, _("Visit recorded."))
            return redirect(reverse("issues:visit_list"))
    return render(request, "issues/visit_form.html", {"form": form, "household": household})
