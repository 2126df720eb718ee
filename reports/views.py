import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.reports import (
    can_recompute_report,
    can_see_reports,
    can_see_staff_dashboard,
    can_see_street_dashboard,
    get_report_target_for_user,
    report_communities_visible_to,
)
from access.scope import get_scope
from communities.models import Street
from issues.models import OPEN_STATUSES, Issue, Status, overdue_q
from lib.errors import DomainError
from lib.pagination import CountedPaginator
from lib.related import name_of, user_name_of
from meetings.models import Meeting
from resolutions.models import ITEM_OPEN_STATUSES, ActionItem

from . import exports
from .forms import ReportChoiceForm
from .metrics import SHANGHAI, add_months, month_bounds
from .presentation import charts, rate_cards, sections
from .services import live_report_data, report_snapshot_compute, report_url, snapshot_for

DASHBOARD_LIST = 10
REPORT_BODY_SECONDS = 7 * 24 * 3600
OPEN_ITEM = Q(status__in=ITEM_OPEN_STATUSES)


def _last_month():
    today = timezone.localdate()
    return add_months(today.year, today.month, -1)


def _default_target(user):
    scope = get_scope(user)
    if scope.is_street_admin and scope.street_ids:
        return "street", min(scope.street_ids)
    if scope.community_ids:
        return "community", min(scope.community_ids)
    return None


def _title(target, year, month):
    return _("%(name)s monthly report, %(year)d-%(month)02d") % {
        "name": target.name,
        "year": year,
        "month": month,
    }


def _render_monthly(request, context):
    context["crumbs"] = [(_("Home"), reverse("home")), (_("Monthly reports"), "")]
    return render(request, "reports/monthly.html", context)


@login_required
def monthly(request):
    """Choose a street or community and a month; see its report, export it."""
    if not can_see_reports(request.user):
        raise PermissionDenied
    data = None
    target = None
    year, month = _last_month()
    if "target" in request.GET or "scope" in request.GET:
        params = request.GET.copy()
        if "scope" in params and "target" not in params:
            params["target"] = f"{params.get('scope')}:{params.get('id', '')}"
        form = ReportChoiceForm(params, user=request.user)
        if form.is_valid():
            (scope_name, pk), (year, month) = (
                form.cleaned_data["target"],
                form.cleaned_data["month"],
            )
            target = get_report_target_for_user(request.user, scope_name, pk)
        elif "target" in form.errors and not form.errors.get("month"):
            raise Http404
    else:
        default = _default_target(request.user)
        form = ReportChoiceForm(
            initial={
                "target": f"{default[0]}:{default[1]}" if default else "",
                "month": f"{year:04d}-{month:02d}",
            },
            user=request.user,
        )
        if default:
            target = get_report_target_for_user(request.user, *default)
    if target is None:
        return _render_monthly(request, {"form": form})

    snapshot = snapshot_for(target, year, month)
    start, end = month_bounds(year, month)
    counted_at = None
    if snapshot is not None:
        data = snapshot.data
    else:
        if start > timezone.now():
            form.add_error("month", _("This month has not begun yet."))
            return _render_monthly(request, {"form": form})
        data, counted_at = live_report_data(
            target, year, month, fresh=request.GET.get("fresh") == "1"
        )
    title = _title(target, year, month)
    filename = f"{target.name}-{year:04d}-{month:02d}"
    export = request.GET.get("format", "")
    version = _figures_version(snapshot, target, counted_at)
    if export == "xlsx":
        # The workbook of figures that do not change is written once per language.
        content = cache.get_or_set(
            f"reports:xlsx:{version}:{get_language()}",
            lambda: exports.xlsx_bytes(data, title),
            REPORT_BODY_SECONDS,
        )
        return exports.xlsx_response(content, f"{filename}.xlsx")
    if export == "csv":
        return exports.csv_response(data, title, f"{filename}.csv")
    context = {
        "form": form,
        "target": target,
        "is_street": isinstance(target, Street),
        "year": year,
        "month": month,
        "title": title,
        "data": data,
        "snapshot": snapshot,
        "is_live": snapshot is None,
        "counted_at": counted_at,
        "month_finished": end <= timezone.now(),
        "can_recompute": can_recompute_report(request.user, target),
        "report_url": report_url(target, year, month),
        "previous_url": report_url(target, *add_months(year, month, -1)),
        "next_url": report_url(target, *add_months(year, month, 1))
        if end <= timezone.now()
        else "",
    }
    if export == "pdf":
        return exports.pdf_download(
            data, title, f"{filename}.pdf", request=request, context=context
        )
    context["body"] = _report_body(request, data, version)
    return _render_monthly(request, context)


def _figures_version(snapshot, target, counted_at):
    """What names a month's figures until they change: a stored month until it is
    recomputed, live figures until they are counted again."""
    if snapshot is None:
        return f"live:{type(target).__name__}:{target.pk}:{counted_at.timestamp()}"
    return f"{snapshot.pk}:{snapshot.computed_at.timestamp()}"


def _report_body(request, data, version):
    """The rates, charts and tables, rendered once per language for each version of the
    figures."""

    def render_body():
        context = {"sections": sections(data), "charts": charts(data), "rates": rate_cards(data)}
        return render_to_string("reports/_report_body.html", context, request)

    body = cache.get_or_set(
        f"reports:body:{version}:{get_language()}", render_body, REPORT_BODY_SECONDS
    )
    return mark_safe(body)  # rendered by our template from stored figures


@login_required
@require_POST
def recompute(request):
    """A street admin stores (or re-stores) the figures of a finished month."""
    form = ReportChoiceForm(request.POST, user=request.user)
    if not can_see_reports(request.user):
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, _("Choose a report and a month to recompute."))
        return redirect("reports:monthly")
    (scope_name, pk), (year, month) = form.cleaned_data["target"], form.cleaned_data["month"]
    target = get_report_target_for_user(request.user, scope_name, pk)
    if not can_recompute_report(request.user, target):
        raise PermissionDenied
    try:
        report_snapshot_compute(actor=request.user, target=target, year=year, month=month)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The figures of %(month)s were computed again and stored.")
            % {"month": f"{year:04d}-{month:02d}"},
        )
    return redirect(report_url(target, year, month))


# What a row shows: the measure, its deadline and progress, who is responsible and the
# resolution's title; the names come as subqueries (lib.related), which PostgreSQL plans in
# a tenth of the time it took to plan the four joins.
ITEM_ROW_FIELDS = ("measure", "deadline", "percent", "status", "community_id")
ITEM_ROW_NAMES = {
    "resolution_title": name_of(ActionItem, "resolution", "title"),
    "responsible_name": Coalesce(
        name_of(ActionItem, "responsible_organization"),
        user_name_of(ActionItem, "responsible_user"),
        name_of(ActionItem, "responsible_resident"),
    ),
}
NEW_ISSUE_ROW_FIELDS = ("title", "status", "channel", "urgency", "reported_at", "community_id")
NEW_ISSUE_ROW_NAMES = {
    "category_name": name_of(Issue, "category"),
    "grid_name": name_of(Issue, "grid"),
}


# The rows of the dashboard's lists, built once (a queryset's expressions cost as much to
# build as the query takes to run); each request adds its communities and dates.
_ITEM_ROWS = ActionItem.objects.filter(OPEN_ITEM).only(*ITEM_ROW_FIELDS).annotate(**ITEM_ROW_NAMES)
_NEW_ISSUE_ROWS = (
    Issue.objects.filter(status=Status.REPORTED, archived_at__isnull=True)
    .only(*NEW_ISSUE_ROW_FIELDS)
    .annotate(**NEW_ISSUE_ROW_NAMES)
    .order_by("-reported_at", "-pk")
)


def _figures(communities, now, today, week_end):
    """The dashboard's figures: its open issues (new, open, past their time limit) and its
    open action items (due this week, overdue). Only open issues are read: by (community,
    status), the years of closed ones stay unread."""
    counts = Issue.objects.filter(
        community__in=communities, archived_at__isnull=True, status__in=OPEN_STATUSES
    ).aggregate(
        new=Count("pk", filter=Q(status=Status.REPORTED)),
        open=Count("pk"),
        # Past the time limit running now, as the work queue's "overdue only" counts it.
        late=Count("pk", filter=overdue_q(now)),
    )
    item_counts = ActionItem.objects.filter(OPEN_ITEM, community__in=communities).aggregate(
        due_week=Count("pk", filter=Q(deadline__gte=today, deadline__lte=week_end)),
        overdue=Count("pk", filter=Q(deadline__lt=today)),
    )
    return counts, item_counts


@login_required
def dashboard(request):
    """Community staff: today's work."""
    if not can_see_staff_dashboard(request.user):
        raise PermissionDenied
    communities = list(get_scope(request.user).community_ids)
    now = timezone.now()
    today = timezone.localdate(now, SHANGHAI)
    week_end = today + dt.timedelta(days=6)
    counts, item_counts = _figures(communities, now, today, week_end)
    items = _ITEM_ROWS.filter(community__in=communities)
    overdue_page = CountedPaginator(
        items.filter(deadline__lt=today).order_by("deadline", "pk"),
        DASHBOARD_LIST,
        count=item_counts["overdue"],
    ).get_page(request.GET.get("page"))
    due_items = items.filter(deadline__gte=today, deadline__lte=week_end).order_by(
        "deadline", "pk"
    )[:DASHBOARD_LIST]
    context = {
        "today": today,
        "counts": counts,
        "item_counts": item_counts,
        "new_issues": list(_NEW_ISSUE_ROWS.filter(community__in=communities)[:DASHBOARD_LIST]),
        "due_items": list(due_items),
        "overdue_items": overdue_page,
        "page_obj": overdue_page,
        "meetings": list(
            Meeting.objects.filter(
                community__in=communities,
                archived_at__isnull=True,
                status=Meeting.Status.PLANNED,
                starts_at__gte=now,
            )
            .only("community_id", "title", "starts_at", "venue", "form")
            .order_by("starts_at")[:5]
        ),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def street_dashboard(request):
    """Street admins: their communities side by side, worst overdue first."""
    if not can_see_street_dashboard(request.user):
        raise PermissionDenied
    now = timezone.now()
    today = timezone.localdate(now, SHANGHAI)
    start, end = month_bounds(today.year, today.month)
    communities = report_communities_visible_to(request.user).filter(archived_at__isnull=True)
    ids = list(communities.values_list("pk", flat=True))
    issue_rows = (
        Issue.objects.filter(community__in=ids, archived_at__isnull=True)
        .values("community")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            late=Count("pk", filter=overdue_q(now)),
            received=Count("pk", filter=Q(reported_at__gte=start, reported_at__lt=end)),
            closed=Count("pk", filter=Q(closed_at__gte=start, closed_at__lt=end)),
        )
        .order_by()
    )
    item_rows = (
        ActionItem.objects.filter(OPEN_ITEM, community__in=ids)
        .values("community")
        .annotate(
            overdue=Count("pk", filter=Q(deadline__lt=today)),
            due_week=Count(
                "pk",
                filter=Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=6)),
            ),
        )
        .order_by()
    )
    meeting_rows = (
        Meeting.objects.filter(
            community__in=ids,
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=[
                Meeting.Status.IN_PROGRESS,
                Meeting.Status.ADJOURNED,
                Meeting.Status.ENDED,
                Meeting.Status.CLOSED,
            ],
        )
        .values("community")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_issue = {row["community"]: row for row in issue_rows}
    by_item = {row["community"]: row for row in item_rows}
    by_meeting = {row["community"]: row["n"] for row in meeting_rows}
    rows = []
    for community in communities.order_by("area_code"):
        issue = by_issue.get(community.pk, {})
        item = by_item.get(community.pk, {})
        rows.append(
            {
                "community": community,
                "open": issue.get("open", 0),
                "late": issue.get("late", 0),
                "received": issue.get("received", 0),
                "closed": issue.get("closed", 0),
                "overdue": item.get("overdue", 0),
                "due_week": item.get("due_week", 0),
                "meetings": by_meeting.get(community.pk, 0),
                "report_url": report_url(community, today.year, today.month),
            }
        )
    rows.sort(key=lambda row: (-row["overdue"], -row["late"], row["community"].name))
    peak = max((row["overdue"] for row in rows), default=0) or 1
    for row in rows:
        row["overdue_share"] = round(100 * row["overdue"] / peak)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    totals = {
        key: sum(row[key] for row in rows)
        for key in ("open", "late", "received", "closed", "overdue", "due_week", "meetings")
    }
    return render(
        request,
        "reports/street_dashboard.html",
        {"page_obj": page, "rows": page.object_list, "totals": totals, "today": today},
    )
