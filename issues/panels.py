"""A panel for the communities app's grid page: the grid's open issues."""

from django.template.loader import render_to_string
from django.utils import timezone

from access.issues import issues_visible_to

from .models import OPEN_STATUSES


def grid_open_issues_panel(request, grid, *, limit=10):
    """Context and HTML of the grid's open issues the user may see (three queries)."""
    issues = (
        issues_visible_to(request.user)
        .filter(grid=grid, status__in=OPEN_STATUSES)
        .select_related("category")
        .order_by("handle_deadline", "-reported_at")
    )
    context = {
        "grid": grid,
        "issues": list(issues[:limit]),
        "open_count": issues.count(),
        "now": timezone.now(),
    }
    context["html"] = render_to_string("issues/_grid_panel.html", context, request=request)
    return context
