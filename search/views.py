"""The results of the top bar's search box."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from access.search import can_search
from lib.textsearch import terms_of

from .selectors import KIND_KEYS, KINDS, search


@login_required
def results(request):
    """Everything the query finds, grouped by kind (a few of each), or one kind page by
    page (`kind`, `page`)."""
    if not can_search(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind") if request.GET.get("kind") in KIND_KEYS else None
    page = request.GET.get("page", "")
    page = int(page) if page.isdigit() and 0 < int(page) < 1000 else 1
    groups = search(request.user, query, kind=kind, page=page) if query else []
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "terms": terms_of(query),
            "kind": kind,
            "kind_label": next((label for key, label, *_r in KINDS if key == kind), ""),
            "page": page,
            "groups": groups,
        },
    )
