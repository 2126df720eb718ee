"""The access matrix: every URL of the product, visited as every kind of user.

Each entry names a URL, how to build its arguments from the world (`objects`), the method,
and the expected answer per role. A URL added without an entry here fails
test_every_url_has_an_entry.

Answers: "ok" (2xx), "login" (redirect to the login page), "redirect" (another redirect,
e.g. to the landing page or after a POST), 403, 404, 405.
"""

from dataclasses import dataclass, field

# The roles of issue 9, relative to community A and its grid A1.
ROLES = [
    "anonymous",
    "resident_here",  # a resident of community A
    "resident_elsewhere",  # a resident of community B
    "worker_here",  # the grid worker of grid A1
    "worker_elsewhere",  # the grid worker of grid A2 (same community, other grid)
    "staff_here",  # staff of community A
    "staff_elsewhere",  # staff of community B
    "org_contact",  # a contact of the organization serving community A
    "street_admin",  # the admin of the street of A and B
]

USER_FOR_ROLE = {
    "resident_here": "resident_user_a",
    "resident_elsewhere": "resident_user_b",
    "worker_here": "worker_a1",
    "worker_elsewhere": "worker_a2",
    "staff_here": "staff_a",
    "staff_elsewhere": "staff_b",
    "org_contact": "org_contact",
    "street_admin": "street_admin",
}

ALL_OK = dict.fromkeys(ROLES, "ok")
LOGGED_IN_OK = {**ALL_OK, "anonymous": "login"}


def expect(default, **overrides):
    """Expectations: one answer for every role, with overrides by role."""
    answers = dict.fromkeys(ROLES, default)
    unknown = set(overrides) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    answers.update(overrides)
    return answers


@dataclass(frozen=True)
class Case:
    expected: dict
    # Builds the URL kwargs from the matrix objects (a dict of named records).
    kwargs: object = None
    method: str = "get"
    data: dict = field(default_factory=dict)
    query: str = ""


# URL names that are not pages of the product: the Django admin has its own permission
# system (is_staff), static files are not views.
EXEMPT_NAMESPACES = {"admin"}

MATRIX: dict[str, Case] = {
    "home": Case(LOGGED_IN_OK),
    "healthz": Case(ALL_OK),
    "audit": Case(expect(403, anonymous="login", street_admin="ok")),
    "accounts:login": Case(expect("redirect", anonymous="ok")),
    "accounts:logout": Case(expect("login"), method="post"),
    "accounts:password_change": Case(LOGGED_IN_OK),
    "accounts:preferences": Case(LOGGED_IN_OK),
    "accounts:set_language": Case(expect("redirect"), method="post", data={"language": "en"}),
    "accounts:display_mode": Case(expect("redirect"), method="post", data={"large_text": "1"}),
    "notifications:list": Case(LOGGED_IN_OK),
    "notifications:channels": Case(LOGGED_IN_OK),
    "notifications:open": Case(
        expect(404, anonymous="login", staff_here="redirect"),
        kwargs=lambda o: {"pk": o["notification_for_staff_here"].pk},
        method="post",
    ),
    "notifications:read_all": Case(expect("redirect", anonymous="login"), method="post"),
}


# The REST API's meetings, resolutions, action items and places (issue 12). The records are
# built on first use, in community A / grid A1: a planned meeting convened by staff_here, and
# a published resolution with one item the organization is responsible for.
def _api_record(objects, name):
    if name not in objects:
        from datetime import timedelta

        from django.utils import timezone

        from meetings.models import Form
        from meetings.services import meeting_create
        from resolutions.tests import factories

        world = objects["world"]
        start = timezone.now() + timedelta(days=1)
        objects["api_meeting"] = meeting_create(
            actor=world.staff_a,
            community=world.community_a,
            grid=world.grid_a1,
            compound=world.compound_a1,
            form=Form.BUILDING_COUNCIL,
            title="一号楼议事会",
            venue="社区活动室",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
        resolution = factories.resolution(world, status="published")
        objects["api_resolution"] = resolution
        objects["api_item"] = resolution.items.get()
    return objects[name]


API_LIST = expect("ok", anonymous=401)
API_PLACES = expect("ok", anonymous=401, resident_here=403, resident_elsewhere=403, org_contact=403)

MATRIX.update(
    {
        "api:meeting-list": Case(API_LIST),
        "api:meeting-detail": Case(
            expect(
                "ok",
                anonymous=401,
                resident_here=404,
                resident_elsewhere=404,
                staff_elsewhere=404,
                org_contact=404,
            ),
            kwargs=lambda o: {"pk": _api_record(o, "api_meeting").pk},
        ),
        "api:meeting-ics": Case(
            expect(
                "ok",
                anonymous=401,
                resident_here=404,
                resident_elsewhere=404,
                staff_elsewhere=404,
                org_contact=404,
            ),
            kwargs=lambda o: {"pk": _api_record(o, "api_meeting").pk},
        ),
        "api:resolution-list": Case(API_LIST),
        "api:resolution-detail": Case(
            expect("ok", anonymous=401, resident_elsewhere=404, staff_elsewhere=404),
            kwargs=lambda o: {"pk": _api_record(o, "api_resolution").pk},
        ),
        "api:actionitem-list": Case(API_LIST),
        "api:actionitem-detail": Case(
            expect("ok", anonymous=401, resident_elsewhere=404, staff_elsewhere=404),
            kwargs=lambda o: {"pk": _api_record(o, "api_item").pk},
        ),
        # An empty body: those who may report get 400 (nothing changes), the others 403/404.
        "api:actionitem-progress": Case(
            expect(
                403,
                anonymous=401,
                resident_elsewhere=404,
                staff_elsewhere=404,
                worker_here=400,
                staff_here=400,
                org_contact=400,
            ),
            kwargs=lambda o: {"pk": _api_record(o, "api_item").pk},
            method="post",
        ),
        "api:community-list": Case(API_PLACES),
        "api:community-detail": Case(
            {**API_PLACES, "staff_elsewhere": 404},
            kwargs=lambda o: {"pk": o["world"].community_a.pk},
        ),
        "api:grid-list": Case(API_PLACES),
        "api:grid-detail": Case(
            {**API_PLACES, "staff_elsewhere": 404},
            kwargs=lambda o: {"pk": o["world"].grid_a1.pk},
        ),
    }
)
