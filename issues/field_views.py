"""The patrol a grid worker walks with a phone, with or without signal (巡查 in basements,
garages and stairwells).

The field page is installable (a web app manifest) and kept on the phone by a service
worker served from the patrols' path, whose scope it controls. Its script stores every
record — a patrol started or ended, a finding with its photo, a household visit, points of
the route — in the phone's IndexedDB first, each under an id the phone gives it, and sends
them one at a time to `field_sync` when there is a connection. The services store a record
sent twice once (its client id is unique), so a retry after a lost answer changes nothing;
a record the server refuses (a household archived meanwhile) comes back with the reason,
which the page shows beside it.
"""

import functools
import hashlib
import json
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from access.issues import can_patrol, grids_for_patrol
from access.scope import get_scope
from communities.models import Household
from lib.errors import DomainError
from lib.uploads import clean_photo
from lib.urls import url_by_pk

from . import services
from .field import (
    field_compounds,
    field_data,
    field_households,
    household_choices,
    running_patrols,
)
from .forms import FieldEndForm, FieldFindingForm, FieldStartForm, FieldVisitForm
from .models import Patrol

SCOPE = "/issues/patrols/"


def _require_patrol(user):
    if not can_patrol(user):
        raise PermissionDenied


def _forms(request, grids, households_qs, compounds):
    scope = get_scope(request.user)
    return {
        "start_form": FieldStartForm(
            auto_id="start_%s", grids=grids, community_ids=scope.community_ids
        ),
        "finding_form": FieldFindingForm(auto_id="finding_%s", compounds=compounds),
        "visit_form": FieldVisitForm(auto_id="visit_%s", households=households_qs),
        "end_form": FieldEndForm(auto_id="end_%s"),
    }


@login_required
@never_cache
def field(request):
    """The field page: start a patrol, record findings and visits, end it; what waits to
    be sent and what failed, and why."""
    _require_patrol(request.user)
    grid_rows = grids_for_patrol(request.user).order_by("name")
    grids = list(grid_rows)
    compounds = field_compounds(grids)
    households = list(field_households(request.user))
    patrols = running_patrols(request.user)
    forms = _forms(request, grid_rows, field_households(request.user), compounds)
    if len(grids) == 1:
        # Most grid workers look after one grid: it is already chosen on the phone.
        forms["start_form"].fields["grid"].initial = grids[0].pk
    forms["visit_form"].fields["household"].choices = [
        ("", forms["visit_form"].fields["household"].empty_label),
        *household_choices(households),
    ]
    urls = {
        "sync": reverse("issues:field_sync"),
        "session": reverse("issues:field_session"),
        "worker": reverse("issues:field_worker"),
        "scope": SCOPE,
        "patrols": reverse("issues:patrol_list"),
        "login": f"{reverse('accounts:login')}?next={reverse('issues:field')}",
    }
    context = {
        **forms,
        "grids": grids,
        "data": field_data(request.user, grids=grids, households=households, patrols=patrols),
        "urls": urls,
        "urls_json": json.dumps(urls),
        "texts": _texts(),
    }
    return render(request, "issues/field.html", context)


def _texts() -> dict:
    """What the page's script writes, in the reader's language ({n}, {grid}, … are filled
    in by the script)."""
    return {
        "online": _("Connected"),
        "offline": _("No connection"),
        "offline_note": _(
            "No connection: what you record stays on this phone and is sent when the "
            "connection returns."
        ),
        "all_sent": _("Everything has been sent."),
        "waiting_count": _("{n} waiting to be sent."),
        "failed_count": _("{n} could not be stored: see why below."),
        "points_waiting": _("{n} points of the route waiting to be sent."),
        "waiting": _("Waiting to be sent"),
        "sending": _("Sending…"),
        "sent": _("Sent"),
        "failed": _("Not stored"),
        "retry": _("Try again"),
        "discard": _("Discard"),
        "discard_confirm": _("Discard this record? It has not been stored and will be lost."),
        "server_busy": _("The server could not store it just now; it is tried again later."),
        "patrol_start": _("Patrol started"),
        "finding": _("Finding"),
        "visit": _("Visit"),
        "patrol_end": _("Patrol ended"),
        "saved_here": _("Saved on this phone."),
        "ended_waiting": _(
            "Patrol ended. What you recorded is sent as soon as there is a connection."
        ),
        "ended_sent": _("Patrol ended. Everything you recorded has been sent."),
        "stored": _("Sent and stored."),
        "running_title": _("Patrol of {grid}, since {time}"),
        "no_findings": _("Nothing recorded yet."),
        "no_visits": _("No visit recorded on this phone today."),
        "photo": _("photo"),
        "issue": _("Issue #{id}"),
        "open_patrol": _("Open the patrol's page"),
        "locating": _("Finding your position…"),
        "located": _("Position found, to within about {m} m."),
        "location_denied": _(
            "The position is not allowed: findings and visits take the place you choose."
        ),
        "location_unavailable": _(
            "No position from the phone here: findings and visits take the place you choose."
        ),
        "location_unsupported": _("This browser gives no position."),
        "need_text": _("Say what you found."),
        "need_grid": _("Choose the grid."),
        "need_household": _("Choose the household."),
        "need_findings": _("Describe the need you found."),
        "no_patrol": _("Start a patrol first."),
        "no_residents": _("No residents on record for this household."),
        "choose_household": _("Choose the household first."),
        "special": _("special group"),
    }


def _json_login_required(view):
    """A JSON endpoint of the field page's script: an expired session answers 401 with what
    to do (the script keeps its records and asks the worker to sign in again)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse(
                {
                    "ok": False,
                    "error": _("You have been signed out. Sign in again to send what waits."),
                    "login": True,
                },
                status=401,
            )
        return view(request, *args, **kwargs)

    return wrapped


@_json_login_required
@never_cache
@require_GET
def field_session(request):
    """Asked before sending: is the worker still signed in, and the CSRF token to send
    with (a page kept on the phone holds an old one)."""
    _require_patrol(request.user)
    return JsonResponse({"ok": True, "user": request.user.pk, "csrf": get_token(request)})


def _refused(error, *, status=400, field=None):
    return JsonResponse(
        {"ok": False, "error": str(error), "field": field, "permanent": True}, status=status
    )


def _form_refusal(form):
    field, messages = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    message = messages[0]
    return _refused(f"{label}：{message}" if label else message, field=field)


def _position(data):
    return {
        "latitude": data.get("latitude"),
        "longitude": data.get("longitude"),
        "position_accuracy": data.get("accuracy"),
    }


def _my_patrol(request, client_id):
    return (
        Patrol.objects.filter(client_id=client_id, worker=request.user)
        .select_related("grid__community")
        .first()
    )


def _patrol_missing():
    return _refused(
        _(
            "The patrol this belongs to never reached the server (its start was refused): "
            "it cannot be stored."
        ),
        status=409,
    )


def _sync_start(request):
    scope = get_scope(request.user)
    form = FieldStartForm(
        request.POST,
        grids=grids_for_patrol(request.user),
        community_ids=scope.community_ids,
    )
    if not form.is_valid():
        return None, _form_refusal(form)
    data = form.cleaned_data
    patrol = services.patrol_start(
        actor=request.user,
        grid=data["grid"],
        route_notes=data["route_notes"],
        started_at=data["recorded_at"],
        client_id=data["client_id"],
    )
    if data.get("latitude") is not None:
        services.track_record(
            actor=request.user,
            patrol=patrol,
            points=[{"recorded_at": patrol.started_at, **_point(data)}],
        )
    return patrol, {"id": patrol.pk, "url": patrol.get_absolute_url()}


def _point(data):
    return {
        "latitude": data.get("latitude"),
        "longitude": data.get("longitude"),
        "accuracy": data.get("accuracy"),
    }


def _sync_finding(request):
    grids = grids_for_patrol(request.user)
    form = FieldFindingForm(request.POST, request.FILES, compounds=field_compounds(grids))
    if not form.is_valid():
        return None, _form_refusal(form)
    data = form.cleaned_data
    patrol = _my_patrol(request, data["patrol"])
    if patrol is None:
        return None, _patrol_missing()
    building = data["building"]
    if building is not None and data["compound"] and building.compound_id != data["compound"].pk:
        return None, _refused(_("The building is not in the chosen compound."), field="building")
    photo = clean_photo(data["photo"], field="photo") if data["photo"] else None
    with transaction.atomic():
        finding = services.finding_record(
            actor=request.user,
            patrol=patrol,
            text=data["text"],
            compound=data["compound"],
            building=building,
            place_text=data["place_text"],
            photo=photo,
            found_at=data["recorded_at"],
            client_id=data["client_id"],
            **_position(data),
        )
        if data["category"] is not None and finding.issue_id is None:
            services.finding_to_issue(
                actor=request.user,
                finding=finding,
                category=data["category"],
                urgency=data["urgency"],
            )
            finding.refresh_from_db()
    return finding, {"id": finding.pk, "url": patrol.get_absolute_url(), **_issue_of(finding)}


def _sync_visit(request):
    scope = get_scope(request.user)
    # Any household of the worker's communities, archived or not: one archived since the
    # visit is refused by the service with that reason, not as unknown.
    households = Household.objects.filter(community__in=scope.community_ids).select_related(
        "unit__building__compound", "compound", "community"
    )
    form = FieldVisitForm(request.POST, households=households)
    if not form.is_valid():
        return None, _form_refusal(form)
    data = form.cleaned_data
    visit = services.visit_record(
        actor=request.user,
        household=data["household"],
        residents_seen=data["residents_seen"],
        findings=data["findings"],
        visited_at=data["recorded_at"],
        need_found=data["need_found"],
        need_title=data["need_title"],
        client_id=data["client_id"],
        **_position(data),
    )
    return visit, {"id": visit.pk, **_issue_of(visit)}


def _issue_of(record) -> dict:
    """The issue a finding or a visit opened, for the page to link."""
    if not record.issue_id:
        return {}
    return {"issue": {"id": record.issue_id, "url": url_by_pk("issues:detail", record.issue_id)}}


def _sync_end(request):
    form = FieldEndForm(request.POST)
    if not form.is_valid():
        return None, _form_refusal(form)
    data = form.cleaned_data
    patrol = _my_patrol(request, data["patrol"])
    if patrol is None:
        return None, _patrol_missing()
    patrol = services.patrol_end(
        actor=request.user,
        patrol=patrol,
        route_notes=data["route_notes"] or None,
        ended_at=data["recorded_at"],
    )
    return patrol, {"id": patrol.pk, "url": patrol.get_absolute_url()}


def _sync_track(request):
    try:
        patrol = _my_patrol(request, uuid.UUID(request.POST.get("patrol", "")))
    except ValueError:
        patrol = None
    if patrol is None:
        return None, _patrol_missing()
    try:
        raw = json.loads(request.POST.get("points") or "[]")
    except ValueError:
        raw = None
    if not isinstance(raw, list):
        return None, _refused(_("The route points could not be read."))
    points = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        moment = parse_datetime(str(item.get("t", "")))
        if moment is None:
            continue
        points.append(
            {
                "recorded_at": moment,
                "latitude": item.get("lat"),
                "longitude": item.get("lng"),
                "accuracy": item.get("acc"),
            }
        )
    stored = services.track_record(actor=request.user, patrol=patrol, points=points)
    return patrol, {"id": patrol.pk, "stored": stored}


OPERATIONS = {
    "patrol_start": _sync_start,
    "finding": _sync_finding,
    "visit": _sync_visit,
    "patrol_end": _sync_end,
    "track": _sync_track,
}


@_json_login_required
@require_POST
def field_sync(request):
    """Store one record sent by the field page (`op`: patrol_start, finding, visit,
    patrol_end, track). Answers 200 with where it is stored — also when it was stored
    before (a retry) — or 4xx with the reason it cannot be, which the page shows."""
    _require_patrol(request.user)
    handler = OPERATIONS.get(request.POST.get("op", ""))
    if handler is None:
        return _refused(_("Unknown kind of record."))
    try:
        _record, answer = handler(request)
    except DomainError as error:
        return _refused(error.message, field=error.field)
    if isinstance(answer, JsonResponse):
        return answer
    return JsonResponse({"ok": True, **answer})


@require_GET
def manifest(request):
    """The web app manifest: the field page installs on a phone's home screen."""
    body = {
        "name": _("Yishi patrol"),
        "short_name": _("Patrol"),
        "description": _("Grid patrols and household visits, with or without signal."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("issues:field"),
        "scope": SCOPE,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d3557",
        "icons": [
            {"src": static("img/app-icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/app-icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("img/app-icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


# What the service worker keeps on the phone when it installs: the field page and what it
# loads. Static names come from the storage (hashed in production).
PRECACHED_STATIC = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "css/yishi.css",
    "issues/issues.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "js/yishi.js",
    "issues/field.js",
    "img/favicon.svg",
    "img/app-icon-192.png",
)


@require_GET
def service_worker(request):
    """The service worker, served from the patrols' path so its scope covers them
    (Service-Worker-Allowed says so too), never cached by the browser's HTTP cache: a new
    version of the product reaches the phones at their next visit."""
    assets = [static(name) for name in PRECACHED_STATIC]
    page = reverse("issues:field")
    version = hashlib.sha256(
        json.dumps([assets, page, settings.STATIC_URL]).encode() + _worker_source().encode()
    ).hexdigest()[:12]
    response = render(
        request,
        "issues/field_sw.js",
        {
            "version": version,
            "page": page,
            "assets": json.dumps(assets),
            "scope": SCOPE,
            "static_url": settings.STATIC_URL,
            "session": reverse("issues:field_session"),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = SCOPE
    response["Cache-Control"] = "no-cache"
    return response


def _worker_source() -> str:
    from django.template.loader import get_template

    return get_template("issues/field_sw.js").template.source
