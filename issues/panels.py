"""Panels for the communities app's grid page, the grid worker's home: the grid's work
queue, the running or last patrol, and the household visits due this month. Registered
from IssuesConfig.ready(); each runs a constant number of queries and shows only what
access/ lets the viewer see."""

from datetime import datetime, time

from django.db.models import Count, Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from access.issues import can_see_grid_visits, issues_visible_to, patrols_visible_to
from access.scope import get_scope

from .models import Visit, overdue_q
from .selectors import issues_filter

SPECIAL = (
    Q(is_elderly_alone=True) | Q(is_disabled=True) | Q(is_low_income=True) | Q(is_very_old=True)
)


def _open_issues(request, grid):
    return issues_filter(issues_visible_to(request.user), {"grid": grid.pk, "open": True})


def work_queue(request, grid, *, limit=8):
    """The grid's open issues, the soonest deadline first (two queries: the counts, the
    rows)."""
    issues = _open_issues(request, grid)
    now = timezone.now()
    counts = issues.aggregate(total=Count("pk"), overdue=Count("pk", filter=overdue_q(now)))
    rows = list(
        issues.select_related("category").order_by(
            F("handle_deadline").asc(nulls_last=True), "-reported_at", "-pk"
        )[:limit]
    )
    return {"issues": rows, "open_count": counts["total"], "overdue_count": counts["overdue"]}


def grid_open_issues_panel(request, grid, *, limit=10):
    """The work queue with its HTML, for pages that embed it whole (three queries)."""
    context = {"grid": grid, **work_queue(request, grid, limit=limit)}
    context["html"] = render_to_string("issues/_grid_panel.html", context, request=request)
    return context


def patrol(request, grid):
    """The viewer's running patrol of the grid, else the grid's last one (one query). Shown
    to the grid's workers, who patrol it."""
    scope = get_scope(request.user)
    if not scope.is_worker_of_grid(grid.pk):
        return None
    latest = (
        patrols_visible_to(request.user)
        .filter(grid=grid)
        .select_related("worker")
        .annotate(
            finding_count=Count("findings", distinct=True),
            issue_count=Count("findings__issue", distinct=True),
        )
        .order_by(F("ended_at").desc(nulls_first=True), "-started_at", "-pk")
        .first()
    )
    return {"patrol": latest, "running": latest is not None and latest.ended_at is None}


def _month_start():
    today = timezone.localdate()
    return timezone.make_aware(datetime.combine(today.replace(day=1), time.min))


def visits(request, grid, *, limit=6):
    """The special-group households of the grid not yet visited this month (民生社区's
    monthly visits), and the grid's latest visits (two queries)."""
    if not can_see_grid_visits(request.user, grid):
        return None
    from communities.models import Household

    since = _month_start()
    due = (
        Household.objects.filter(archived_at__isnull=True)
        .filter(
            Exists(
                grid.residents.filter(SPECIAL, archived_at__isnull=True, household=OuterRef("pk"))
            )
        )
        .exclude(Exists(Visit.objects.filter(household=OuterRef("pk"), visited_at__gte=since)))
    )
    latest = list(
        Visit.objects.filter(Exists(grid.residents.filter(household=OuterRef("household"))))
        .select_related("household__unit__building__compound", "household__compound", "worker")
        .order_by("-visited_at", "-pk")[:limit]
    )
    return {"due_count": due.count(), "visits": latest, "since": since}
