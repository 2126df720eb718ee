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
