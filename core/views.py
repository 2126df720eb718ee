from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from access.audit import audit_entries_visible_to, can_read_audit
from config.celery import app as celery_app

from .forms import AuditFilterForm


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@login_required
def audit_list(request):
    """The audit trail of the communities the user oversees, newest first."""
    if not can_read_audit(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    entries = form.filter(audit_entries_visible_to(request.user)).select_related(
        "actor", "content_type", "community", "street"
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    crumbs = [(_("Home"), reverse("home")), (_("Audit trail"), "")]
    return render(
        request, "core/audit_list.html", {"form": form, "page_obj": page, "crumbs": crumbs}
    )


@login_required
@require_GET
def floor(request):
    """The benchmarks' floor: an authenticated page of the site's layout running one
    indexed query (the first community by its unique area code). Every key page is
    measured against it (benchmarks/README.md)."""
    from communities.models import Community

    first = Community.objects.order_by("area_code").values("name", "area_code").first()
    return render(request, "core/floor.html", {"first": first})
