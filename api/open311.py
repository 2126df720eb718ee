"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): services are the issue
categories, service requests are issues, a jurisdiction is a community (its area code).

As GeoReport v2 has it, the service list and the status of public requests are read
without an api_key: public requests are public affairs (access.issues.issues_public),
never a dispute or a special-group need, and read without a key they carry their title for
a description, not what the reporter wrote. Posting a request needs an api_key (the user's
API token) or an `Authorization: Token …` header; with one, a caller also reads everything
its user may open, through the access package. Positions go both ways: a request's lat/long
are stored (WGS-84) and returned — its own, else its building's or compound's."""

from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from access.api import communities_for_reporting
from access.issues import issues_readable_by, visible_issue_ids
from access.scope import get_scope
from communities.selectors import nearest_compound
from issues.models import OPEN_STATUSES, Category, Channel, PositionSource
from issues.selectors import with_position
from issues.services import issue_report
from lib import geo
from lib.errors import DomainError

from .hotline import AddressMatcher

MAX_REQUESTS = 1000
FORMATS = ("json", "xml")


class Open311Error(Exception):
    def __init__(self, code, description):
        super().__init__(description)
        self.code = code
        self.description = str(description)


def _xml(root_name, item_name, items):
    root = ET.Element(root_name)
    for item in items:
        node = ET.SubElement(root, item_name)
        _fill(node, item)
    return '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="unicode")


def _fill(node, item):
    for key, value in item.items():
        child = ET.SubElement(node, key)
        if isinstance(value, list):
            for entry in value:
                _fill(ET.SubElement(child, key[:-1] if key.endswith("s") else "item"), entry)
        elif isinstance(value, dict):
            _fill(child, value)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            child.text = str(value)


def _respond(fmt, root, item, items, status=200):
    if fmt == "xml":
        return HttpResponse(
            _xml(root, item, items), status=status, content_type="text/xml; charset=utf-8"
        )
    return JsonResponse(items, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(fmt, error: Open311Error):
    return _respond(
        fmt,
        "errors",
        "error",
        [{"code": error.code, "description": error.description}],
        status=error.code,
    )


def _user(request):
    key = request.POST.get("api_key") or request.GET.get("api_key")
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not key and header.startswith("Token "):
        key = header[6:].strip()
    if key:
        token = Token.objects.select_related("user").filter(key=key[:40]).first()
        if token is None or not token.user.is_active:
            raise Open311Error(401, _("The api_key is not valid."))
        return token.user
    if request.method == "GET":
        # Reading needs no key: a signed-in session reads as its user, anyone else reads
        # what is public.
        return request.user if request.user.is_authenticated else None
    raise Open311Error(401, _("An api_key is required."))


def _jurisdiction(user, request):
    """The community named by jurisdiction_id, if given (and visible to the user)."""
    code = request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or ""
    code = code.strip()
    if not code:
        return None
    from communities.models import Community

    communities = Community.objects.filter(area_code=code[:12], archived_at__isnull=True)
    if user is not None:
        communities = communities.filter(pk__in=get_scope(user).community_ids)
    community = communities.first()
    if community is None:
        raise Open311Error(404, _("Unknown jurisdiction_id."))
    return community


def open311_view(handler):
    @csrf_exempt
    @require_http_methods(["GET", "POST"])
    def view(request, fmt, **kwargs):
        try:
            user = _user(request)
            return handler(request, user, fmt, **kwargs)
        except Open311Error as error:
            return _error(fmt, error)

    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


def _service(category):
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": category.get_default_kind_display(),
        "group": str(category.get_default_kind_display()),
    }


@open311_view
def services(request, user, fmt):
    if request.method != "GET":
        raise Open311Error(405, _("Use GET."))
    _jurisdiction(user, request)
    items = [_service(c) for c in Category.objects.filter(is_active=True).order_by("order", "name")]
    return _respond(fmt, "services", "service", items)


@open311_view
def service_definition(request, user, fmt, code):
    if request.method != "GET":
        raise Open311Error(405, _("Use GET."))
    _jurisdiction(user, request)
    if not Category.objects.filter(is_active=True, code=code).exists():
        raise Open311Error(404, _("Unknown service_code."))
    definition = {"service_code": code, "attributes": []}
    if fmt == "xml":
        root = ET.Element("service_definition")
        ET.SubElement(root, "service_code").text = code
        ET.SubElement(root, "attributes")
        body = '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="unicode")
        return HttpResponse(body, content_type="text/xml; charset=utf-8")
    return JsonResponse(definition, json_dumps_params={"ensure_ascii": False})


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def _coordinate(value):
    return float(value) if value is not None else None


def _request(issue, *, full=True):
    """A service request as GeoReport v2 writes it. `full` is False for a public request
    its reader may not open: its title stands for what the reporter wrote."""
    is_open = issue.status in OPEN_STATUSES
    notes = issue.resolution_note if full and issue.resolution_note else issue.get_status_display()
    return {
        "service_request_id": str(issue.pk),
        "status": "open" if is_open else "closed",
        "status_notes": str(notes),
        "service_name": issue.category.name,
        "service_code": issue.category.code,
        "description": issue.description if full else issue.title,
        "agency_responded": issue.community.name,
        "service_notice": "",
        "requested_datetime": _iso(issue.reported_at),
        "updated_datetime": _iso(issue.updated_at),
        "expected_datetime": _iso(issue.handle_deadline or issue.accept_deadline),
        "address": issue.place_text
        or (issue.compound.name if issue.compound_id else issue.community.name),
        "address_id": str(issue.compound_id) if issue.compound_id else "",
        "zipcode": "",
        "lat": _coordinate(issue.at_latitude),
        "long": _coordinate(issue.at_longitude),
        "media_url": "",
    }


def _visible(user):
    return with_position(issues_readable_by(user)).select_related(
        "category", "community", "compound"
    )


def _requests(user, issues) -> list[dict]:
    """The requests of `issues`, each in full when its reader may open the issue (one
    query for all of them), else as the public reads it."""
    issues = list(issues)
    opened = visible_issue_ids(user, [i.pk for i in issues]) if user is not None else set()
    return [_request(issue, full=issue.pk in opened) for issue in issues]


@open311_view
def requests(request, user, fmt):
    if request.method == "POST":
        return _create(request, user, fmt)
    community = _jurisdiction(user, request)
    issues = _visible(user)
    if community is not None:
        issues = issues.filter(community=community)
    ids = request.GET.get("service_request_id", "").strip()
    if ids:
        numbers = [part for part in ids.split(",") if part.strip().isdigit()]
        issues = issues.filter(pk__in=[int(n) for n in numbers if int(n) < 2**31])
    else:
        if request.GET.get("service_code"):
            issues = issues.filter(category__code=request.GET["service_code"])
        state = request.GET.get("status", "")
        if state == "open":
            issues = issues.filter(status__in=OPEN_STATUSES)
        elif state == "closed":
            issues = issues.exclude(status__in=OPEN_STATUSES)
        elif state:
            raise Open311Error(400, _("status is open or closed."))
        end = _date(request.GET.get("end_date"), "end_date") or timezone.now()
        start = _date(request.GET.get("start_date"), "start_date") or end - timedelta(days=90)
        issues = issues.filter(reported_at__gte=start, reported_at__lte=end)
    items = _requests(user, issues.order_by("-reported_at", "-pk")[:MAX_REQUESTS])
    return _respond(fmt, "service_requests", "request", items)


def _date(value, name) -> datetime | None:
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None and parse_date(value) is not None:
            day = parse_date(value)
            moment = datetime(day.year, day.month, day.day)
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, _("%(name)s is not a W3C date and time.") % {"name": name})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@open311_view
def request_detail(request, user, fmt, pk):
    pk = int(pk)
    if request.method != "GET":
        raise Open311Error(405, _("Use GET."))
    issue = _visible(user).filter(pk=pk).first() if pk < 2**31 else None
    if issue is None:
        raise Open311Error(404, _("No such service request."))
    return _respond(fmt, "service_requests", "request", _requests(user, [issue]))


def _position(data):
    """lat/long of a posted request (WGS-84, decimal degrees), both or neither."""
    lat, lng = data.get("lat", "").strip(), data.get("long", "").strip()
    if not lat and not lng:
        return None, None
    if not (lat and lng) or not geo.valid_point(lat, lng):
        raise Open311Error(400, _("lat and long are decimal degrees (WGS-84), given together."))
    return float(lat), float(lng)


def _create(request, user, fmt):
    data = request.POST
    code = data.get("service_code", "").strip()
    category = Category.objects.filter(is_active=True, code=code).first()
    if category is None:
        raise Open311Error(400, _("service_code is missing or unknown."))
    description = data.get("description", "").strip()
    if not description:
        raise Open311Error(400, _("description is required."))
    address = data.get("address_string", "").strip()[:200]
    latitude, longitude = _position(data)
    if not (address or data.get("address_id") or latitude is not None):
        raise Open311Error(
            400, _("A location is required: address_string, address_id or lat/long.")
        )
    communities = list(communities_for_reporting(user))
    community = _jurisdiction(user, request)
    compound = None
    if community is not None and community not in communities:
        raise Open311Error(403, _("This api_key may not file requests there."))
    address_id = data.get("address_id", "").strip()
    if address_id:
        from communities.models import Compound

        compound = Compound.objects.filter(
            pk=int(address_id) if address_id.isdigit() and int(address_id) < 2**31 else 0,
            community__in=communities,
        ).first()
        if compound is None:
            raise Open311Error(400, _("Unknown address_id."))
        community = community or compound.community
    if compound is None and address:
        found, compound = AddressMatcher([community] if community else communities).match(address)
        community = community or found
    if compound is None and latitude is not None:
        # The compound the position falls in, or the nearest one of the caller's.
        compound = nearest_compound(
            [community] if community else communities, latitude=latitude, longitude=longitude
        )
        community = community or (compound.community if compound else None)
    if community is None and len(communities) == 1:
        community = communities[0]
    if community is None:
        raise Open311Error(
            400, _("Give a jurisdiction_id or an address inside one of your communities.")
        )
    name = " ".join(p for p in (data.get("last_name", ""), data.get("first_name", "")) if p)
    scope = get_scope(user)
    resident = None
    if scope.is_resident and scope.resident_id:
        from communities.models import Resident

        resident = Resident.objects.get(pk=scope.resident_id)
    try:
        issue = issue_report(
            actor=user,
            community=community,
            compound=compound,
            category=category,
            title=description.splitlines()[0][:60],
            description=description[:5000],
            channel=Channel.ONLINE,
            place_text=address,
            reporter_resident=resident,
            reporter_name=name.strip()[:50],
            reporter_phone=data.get("phone", "").strip()[:20],
            latitude=latitude,
            longitude=longitude,
            position_source=PositionSource.API if latitude is not None else "",
        )
    except DomainError as error:
        raise Open311Error(400, error.message) from None
    item = {
        "service_request_id": str(issue.pk),
        "service_notice": _("Logged; the community will accept it within its time limit."),
        "account_id": data.get("account_id", ""),
    }
    return _respond(fmt, "service_requests", "request", [item], status=201)


def discovery(request, fmt):
    """Where the endpoints are (Open311 service discovery)."""
    base = request.build_absolute_uri("/api/open311/v2/")
    body = {
        "changeset": "2026-11-22T00:00:00+08:00",
        "contact": _("Ask your community office for an API token."),
        "key_service": request.build_absolute_uri("/api/token/"),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-11-22T00:00:00+08:00",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    if fmt == "xml":
        root = ET.Element("discovery")
        for key in ("changeset", "contact", "key_service"):
            ET.SubElement(root, key).text = str(body[key])
        endpoints = ET.SubElement(root, "endpoints")
        endpoint = ET.SubElement(endpoints, "endpoint")
        for key, value in body["endpoints"][0].items():
            if key == "formats":
                formats = ET.SubElement(endpoint, "formats")
                for f in value:
                    ET.SubElement(formats, "format").text = f
            else:
                ET.SubElement(endpoint, key).text = value
        xml = '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="unicode")
        return HttpResponse(xml, content_type="text/xml; charset=utf-8")
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
