"""Maps of issues and patrols: the community map of open issues (filtered as the work
queue is, with a list beside it) and the grid map with a patrol's route and findings. Their
markers come from GeoJSON endpoints that apply the same access rules as the pages; the
places under them come from communities.maps. Without a tile source (lib.maps) the places
are drawn on a plain background."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from access.issues import (
    can_list_issues,
    get_grid_for_map,
    get_patrol_for_user,
    issues_visible_to,
    patrols_visible_to,
)
from communities.maps import places_url
from lib import maps

from . import maps as issue_maps
from .forms import QueueFilterForm
from .views import _queue_choices


def _require_map(user):
    if not can_list_issues(user):
        raise PermissionDenied


def _filtered(request):
    """The queue's filter form on the request's query, and the issues it selects (at most
    MAP_LIMIT, and whether there were more)."""
    choices = _queue_choices(request.user)
    form = QueueFilterForm(
        request.GET or None,
        categories=choices["category"],
        grids=choices["grid"],
        compounds=choices["compound"],
    )
    filters = form.cleaned_data if form.is_valid() else {}
    rows = list(
        issue_maps.map_issues(issues_visible_to(request.user), filters)[: issue_maps.MAP_LIMIT + 1]
    )
    return form, rows[: issue_maps.MAP_LIMIT], len(rows) > issue_maps.MAP_LIMIT


def _geojson(body):
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "private, no-cache"
    return response


def _query(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def community_map(request):
    """Open issues by kind and urgency on the map, clustered, filtered as the work queue
    is, with the same issues listed beside it."""
    _require_map(request.user)
    form, issues, more = _filtered(request)
    query = _query(request)
    layers = [
        {"kind": "places", "url": places_url()},
        {"kind": "issues", "url": f"{reverse('issues:map_issues')}?{query}"},
    ]
    context = {
        "form": form,
        "issues": issues,
        "more": more,
        "limit": issue_maps.MAP_LIMIT,
        "unplaced": sum(1 for issue in issues if issue.at_latitude is None),
        "layers": layers,
        "map_config": maps.config(),
        "query": query,
    }
    return maps.allow_tiles(render(request, "issues/map.html", context))


@login_required
@require_GET
def issues_geojson(request):
    """The markers of the community map (and the grid map's open issues): what the viewer
    may open, filtered as the queue is, at most MAP_LIMIT."""
    _require_map(request.user)
    _form, issues, _more = _filtered(request)
    return _geojson(issue_maps.issues_geojson(issues))


@login_required
def grid_map(request, pk):
    """A grid's compounds and buildings, the route and findings of one of its patrols
    (the latest unless another is chosen) and its open issues."""
    grid = get_grid_for_map(request.user, pk)
    patrols = patrols_visible_to(request.user).filter(grid=grid).select_related("worker")
    recent = list(patrols.order_by("-started_at", "-pk")[:12])
    patrol = None
    chosen = request.GET.get("patrol", "")
    if chosen.isdigit():
        patrol = next((p for p in recent if p.pk == int(chosen)), None)
        if patrol is None:
            patrol = patrols.filter(pk=int(chosen)).first()
            if patrol is not None:
                recent.append(patrol)
    elif recent:
        patrol = recent[0]
    findings = (
        list(patrol.findings.select_related("compound", "building", "issue"))
        if patrol is not None
        else []
    )
    for finding in findings:
        finding.has_position = issue_maps.finding_position(finding)[0] is not None
    open_issues = list(
        issue_maps.map_issues(issues_visible_to(request.user), {"grid": grid.pk})[
            : issue_maps.MAP_LIMIT
        ]
    )
    layers = [{"kind": "places", "url": places_url(grid=grid)}]
    if patrol is not None:
        layers.append({"kind": "patrol", "url": reverse("issues:patrol_geojson", args=[patrol.pk])})
    layers.append({"kind": "issues", "url": f"{reverse('issues:map_issues')}?grid={grid.pk}"})
    context = {
        "grid": grid,
        "patrol": patrol,
        "recent": recent,
        "findings": findings,
        "issues": open_issues,
        "layers": layers,
        "map_config": maps.config(),
        "route_points": patrol.track.count() if patrol is not None else 0,
    }
    return maps.allow_tiles(render(request, "issues/grid_map.html", context))


@login_required
@require_GET
def patrol_geojson(request, pk):
    """A patrol's route and findings, for those who may read the patrol."""
    patrol = get_patrol_for_user(request.user, pk)
    points = patrol.track.only("patrol_id", "latitude", "longitude", "recorded_at").order_by(
        "recorded_at"
    )
    findings = patrol.findings.select_related("compound", "building", "issue").order_by(
        "found_at", "pk"
    )
    return _geojson(issue_maps.patrol_geojson(patrol, points=points, findings=findings))
