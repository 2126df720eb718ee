import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.issues import can_list_issues
from access.reports import (
    can_recompute_report,
    can_see_reports,
    can_see_staff_dashboard,
    can_see_street_dashboard,
    get_report_target_for_user,
    report_communities_visible_to,
)
from access.scope import get_scope, page_versions
from communities.models import Street
from issues.selectors import issue_counts, issue_counts_by_community, issue_rows_new
from lib.errors import DomainError
from lib.pagecache import cached_page
from lib.pagination import CountedPaginator
from lib.replica import reads_from_replica
from meetings.selectors import meetings_held_by_community, meetings_upcoming
from resolutions.selectors import (
    action_item_counts,
    action_item_counts_by_community,
    action_item_rows_due,
    action_item_rows_overdue,
)

from . import exports
from .exports import xlsx_response
from .forms import ReportChoiceForm
from .ledger import ledger_xlsx
from .metrics import SHANGHAI, add_months, month_bounds
from .presentation import charts, rate_cards, sections
from .services import live_report_data, report_snapshot_compute, report_url, snapshot_for

DASHBOARD_LIST = 10
REPORT_BODY_SECONDS = 7 * 24 * 3600
# Names the layout of the rendered body and workbook in their cache keys: a release that
# changes them (the heat map, the table of compounds) is not served the old ones.
LAYOUT = "heat-map"


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
@reads_from_replica
@cached_page(page_versions)
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
            f"reports:xlsx:{LAYOUT}:{version}:{get_language()}",
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
        f"reports:body:{LAYOUT}:{version}:{get_language()}", render_body, REPORT_BODY_SECONDS
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


@login_required
@reads_from_replica
@cached_page(page_versions)
def dashboard(request):
    """Community staff: today's work."""
    if not can_see_staff_dashboard(request.user):
        raise PermissionDenied
    communities = list(get_scope(request.user).community_ids)
    now = timezone.now()
    today = timezone.localdate(now, SHANGHAI)
    week_end = today + dt.timedelta(days=6)
    item_counts = action_item_counts(communities=communities, today=today, week_end=week_end)
    overdue_page = CountedPaginator(
        action_item_rows_overdue(communities=communities, today=today),
        DASHBOARD_LIST,
        count=item_counts["overdue"],
    ).get_page(request.GET.get("page"))
    context = {
        "today": today,
        "counts": issue_counts(communities=communities, now=now),
        "item_counts": item_counts,
        "new_issues": list(issue_rows_new(communities=communities)[:DASHBOARD_LIST]),
        "due_items": list(
            action_item_rows_due(communities=communities, today=today, last=week_end)[
                :DASHBOARD_LIST
            ]
        ),
        "overdue_items": overdue_page,
        "page_obj": overdue_page,
        "meetings": list(meetings_upcoming(communities=communities, now=now)),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@reads_from_replica
def street_dashboard(request):
    """Street admins: their communities side by side, worst overdue first."""
    if not can_see_street_dashboard(request.user):
        raise PermissionDenied
    now = timezone.now()
    today = timezone.localdate(now, SHANGHAI)
    start, end = month_bounds(today.year, today.month)
    communities = report_communities_visible_to(request.user).filter(archived_at__isnull=True)
    ids = list(communities.values_list("pk", flat=True))
    by_issue = issue_counts_by_community(ids, now=now, start=start, end=end)
    by_item = action_item_counts_by_community(
        ids, today=today, week_end=today + dt.timedelta(days=6)
    )
    by_meeting = meetings_held_by_community(ids, start=start, end=end)
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


@login_required
def issue_ledger(request):
    """The work queue's current selection (its filters, as the query string) as the
    district's ledger (台账), .xlsx."""
    from issues.views import queue_selection

    if not can_list_issues(request.user):
        raise PermissionDenied
    issues = queue_selection(request.user, request.GET)
    today = timezone.localdate()
    content = ledger_xlsx(
        request.user,
        issues,
        title=_("Ledger of issues, exported %(day)s") % {"day": f"{today:%Y-%m-%d}"},
    )
    return xlsx_response(content, f"issues-ledger-{today:%Y%m%d}.xlsx")
