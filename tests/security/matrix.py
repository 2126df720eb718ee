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
    # A dict, or a function of the matrix objects returning one.
    data: object = field(default_factory=dict)
    # The query string, or a callable building it from the matrix objects.
    query: object = ""


# URL names that are not pages of the product: the Django admin has its own permission
# system (is_staff), static files are not views.
EXEMPT_NAMESPACES = {"admin"}


def _sign_in_token(meeting):
    from meetings.signin import sign_in_token

    return sign_in_token(meeting)


def _media_token(file):
    from lib.media import signed_url

    return signed_url(file).rstrip("/").rsplit("/", 1)[-1]


def _community_a(o):
    return {"community_pk": o["world"].community_a.pk}


MATRIX: dict[str, Case] = {
    # The home entry sends each role to its landing page.
    "home": Case(expect("redirect", anonymous="login")),
    "healthz": Case(ALL_OK),
    # A photo's signed address is the page's answer that its viewer may see it (lib.media):
    # whoever holds it gets the photo; access is checked by the page that wrote it.
    "media": Case(ALL_OK, kwargs=lambda o: {"token": _media_token(o["issue_photo"].image)}),
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
    # A daily digest exists only for its reader (notifications/tests/test_digests.py opens
    # one); anyone else's, or a day without one, is not found.
    "notifications:digest": Case(
        expect(404, anonymous="login"), kwargs=lambda o: {"category": "items", "day": "2026-01-05"}
    ),
    # Messages sent in a community's name: its staff and its street's admins; a failed one
    # is sent again by them (the second retry finds it queued already: a message, then back).
    "notifications:sent": Case(
        expect(403, anonymous="login", staff_here="ok", staff_elsewhere="ok", street_admin="ok")
    ),
    "notifications:retry": Case(
        expect(404, anonymous="login", staff_here="redirect", street_admin="redirect"),
        kwargs=lambda o: {"pk": o["failed_sms"].pk},
        method="post",
    ),
    # Personal links open for whoever holds them, without a login; a signed-in resident or
    # contact is told a link of someone else's is not theirs.
    "reach:open": Case(
        expect("ok", resident_elsewhere=403, org_contact=403),
        kwargs=lambda o: {"token": o["invitation_link"].token},
    ),
    "reach:revoke": Case(
        expect(404, anonymous="login", staff_here="redirect", street_admin=403),
        kwargs=lambda o: {"pk": o["invitation_link"].pk},
        method="post",
    ),
    # Signing in with a phone code: for visitors; a signed-in user is sent home. The second
    # step needs a number proven in this session, or it sends back to the first.
    "accounts:phone_login": Case(expect("redirect", anonymous="ok")),
    "accounts:phone_who": Case(expect("redirect")),
    # api
    "api:category-detail": Case(
        expect("ok", anonymous=401), kwargs=lambda o: {"pk": o["issue"].category_id}
    ),
    "api:category-list": Case(expect("ok", anonymous=401)),
    "api:docs": Case(expect("ok")),
    "api:hotline": Case(
        expect(403, anonymous="login", staff_here="ok", staff_elsewhere="ok", street_admin="ok")
    ),
    "api:hotline_ticket": Case(
        expect(403, anonymous="login", staff_here="ok", staff_elsewhere="ok", street_admin="ok"),
        kwargs=lambda o: {"pk": o["ticket"].pk},
    ),
    "api:issue-detail": Case(
        expect("ok", anonymous=401, resident_elsewhere=404, staff_elsewhere=404),
        kwargs=lambda o: {"pk": o["issue"].pk},
    ),
    "api:issue-list": Case(expect("ok", anonymous=401)),
    "api:issue-transition": Case(
        expect(400, anonymous=401, resident_elsewhere=404, staff_elsewhere=404),
        kwargs=lambda o: {"pk": o["issue"].pk},
        method="post",
    ),
    "api:open311_discovery": Case(expect("ok"), kwargs=lambda o: {"fmt": "json"}),
    # GeoReport v2: services and public requests are read without a key (the matrix
    # issue is public affairs); a dispute is read only by those who may open it.
    "api:open311_request": Case(ALL_OK, kwargs=lambda o: {"pk": o["issue"].pk, "fmt": "json"}),
    "api:open311_requests": Case(ALL_OK, kwargs=lambda o: {"fmt": "json"}),
    "api:open311_service": Case(
        ALL_OK, kwargs=lambda o: {"code": o["issue"].category.code, "fmt": "json"}
    ),
    "api:open311_services": Case(ALL_OK, kwargs=lambda o: {"fmt": "json"}),
    "api:schema": Case(expect("ok")),
    "api:token": Case(expect("ok", anonymous="login")),
    "api:token_create": Case(expect("redirect", anonymous="login"), method="post"),
    "api:token_revoke": Case(expect("redirect", anonymous="login"), method="post"),
    # communities
    "communities:lookup": Case(
        expect(
            403,
            anonymous="login",
            worker_here="ok",
            worker_elsewhere="ok",
            staff_here="ok",
            staff_elsewhere="ok",
            street_admin="ok",
        ),
        kwargs=lambda o: {"kind": "resident"},
        query="q=居民",
    ),
    "communities:agreement_archive": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="redirect",
            street_admin=403,
        ),
        kwargs=lambda o: {"pk": o["agreement"].pk},
        method="post",
    ),
    "communities:agreement_create": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=_community_a,
    ),
    "communities:agreement_detail": Case(
        expect(
            404,
            anonymous="login",
            worker_here="ok",
            worker_elsewhere="ok",
            staff_here="ok",
            street_admin="ok",
        ),
        kwargs=lambda o: {"pk": o["agreement"].pk},
    ),
    "communities:agreement_edit": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=lambda o: {**_community_a(o), "pk": o["agreement"].pk},
    ),
    "communities:agreement_entry_status": Case(
        expect(404, anonymous="login", worker_here=403, worker_elsewhere=403, street_admin=403),
        kwargs=lambda o: {"pk": o["agreement"].pk, "entry_pk": o["agreement_entry"].pk},
        method="post",
    ),
    "communities:building_create": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=_community_a,
    ),
    "communities:building_edit": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=lambda o: {**_community_a(o), "pk": o["building"].pk},
    ),
    "communities:community_detail": Case(
        expect(
            404,
            anonymous="login",
            worker_here="ok",
            worker_elsewhere="ok",
            staff_here="ok",
            street_admin="ok",
        ),
        kwargs=lambda o: {"pk": o["world"].community_a.pk},
    ),
    "communities:venue_list": Case(
        expect(
            404,
            anonymous="login",
            worker_here="ok",
            worker_elsewhere="ok",
            staff_here="ok",
            street_admin="ok",
        ),
        kwargs=_community_a,
    ),
    # Meeting places are recorded by the community's staff.
    "communities:venue_create": Case(
        _STAFF_HERE_WRITES := expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=_community_a,
    ),
    "communities:venue_edit": Case(
        _STAFF_HERE_WRITES, kwargs=lambda o: {**_community_a(o), "pk": o["venue"].pk}
    ),
    "communities:venue_archive": Case(
        {**_STAFF_HERE_WRITES, "staff_here": "redirect"},
        kwargs=lambda o: {**_community_a(o), "pk": o["venue"].pk},
        method="post",
    ),
    "communities:compound_create": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=_community_a,
    ),
    "communities:compound_edit": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=lambda o: {**_community_a(o), "pk": o["compound"].pk},
    ),
    "communities:contact_archive": Case(
        expect(
            403,
            anonymous="login",
            resident_here=404,
            resident_elsewhere=404,
            staff_here="redirect",
            staff_elsewhere=404,
        ),
        kwargs=lambda o: {"pk": o["world"].organization.pk, "contact_pk": o["contact"].pk},
        method="post",
    ),
    "communities:contact_create": Case(
        expect(
            403,
            anonymous="login",
            resident_here=404,
            resident_elsewhere=404,
            staff_here="ok",
            staff_elsewhere=404,
        ),
        kwargs=lambda o: {"pk": o["world"].organization.pk},
    ),
    "communities:contact_edit": Case(
        expect(
            403,
            anonymous="login",
            resident_here=404,
            resident_elsewhere=404,
            staff_here="ok",
            staff_elsewhere=404,
        ),
        kwargs=lambda o: {"pk": o["world"].organization.pk, "contact_pk": o["contact"].pk},
    ),
    "communities:grid_create": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=_community_a,
    ),
    "communities:grid_detail": Case(
        expect(
            404,
            anonymous="login",
            worker_here="ok",
            worker_elsewhere="ok",
            staff_here="ok",
            street_admin="ok",
        ),
        kwargs=lambda o: {"pk": o["world"].grid_a1.pk},
    ),
    "communities:grid_edit": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=lambda o: {**_community_a(o), "pk": o["world"].grid_a1.pk},
    ),
    "communities:household_create": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=_community_a,
    ),
    "communities:household_edit": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=lambda o: {**_community_a(o), "pk": o["household"].pk},
    ),
    "communities:import": Case(
        expect(403, anonymous="login", staff_here="ok", staff_elsewhere="ok"),
        kwargs=lambda o: {"kind": "residents"},
    ),
    "communities:import_template": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403),
        kwargs=lambda o: {"kind": "residents"},
    ),
    # The places under a map's markers: those who run the work, each their communities'.
    "communities:map_places": Case(
        expect(
            "ok",
            anonymous="login",
            resident_here=403,
            resident_elsewhere=403,
            org_contact=403,
        )
    ),
    "communities:my_grid": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403)
    ),
    "communities:organization_archive": Case(
        expect(
            403,
            anonymous="login",
            resident_here=404,
            resident_elsewhere=404,
            staff_here="redirect",
            staff_elsewhere=404,
        ),
        kwargs=lambda o: {"pk": o["world"].organization.pk},
        method="post",
    ),
    "communities:organization_create": Case(
        expect(403, anonymous="login", staff_here="ok", staff_elsewhere="ok")
    ),
    "communities:organization_detail": Case(
        expect(
            "ok", anonymous="login", resident_here=404, resident_elsewhere=404, staff_elsewhere=404
        ),
        kwargs=lambda o: {"pk": o["world"].organization.pk},
    ),
    "communities:organization_edit": Case(
        expect(
            403,
            anonymous="login",
            resident_here=404,
            resident_elsewhere=404,
            staff_here="ok",
            staff_elsewhere=404,
        ),
        kwargs=lambda o: {"pk": o["world"].organization.pk},
    ),
    "communities:organization_export": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403)
    ),
    "communities:organization_list": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403)
    ),
    "communities:overview": Case(
        expect(
            403,
            anonymous="login",
            worker_here="ok",
            worker_elsewhere="ok",
            staff_here="redirect",
            staff_elsewhere="redirect",
            street_admin="ok",
        )
    ),
    "communities:resident_archive": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="redirect",
            staff_here="redirect",
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["world"].resident_a.pk},
        method="post",
    ),
    "communities:resident_create": Case(
        expect(
            403,
            anonymous="login",
            worker_here="ok",
            worker_elsewhere="ok",
            staff_here="ok",
            staff_elsewhere="ok",
        )
    ),
    "communities:resident_detail": Case(
        expect(
            "ok", anonymous="login", resident_elsewhere=404, staff_elsewhere=404, org_contact=404
        ),
        kwargs=lambda o: {"pk": o["world"].resident_a.pk},
    ),
    "communities:resident_edit": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="ok",
            staff_here="ok",
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["world"].resident_a.pk},
    ),
    "communities:resident_export": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403)
    ),
    "communities:resident_list": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403)
    ),
    "communities:shop_archive": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="redirect",
            street_admin=403,
        ),
        kwargs=lambda o: {**_community_a(o), "pk": o["shop"].pk},
        method="post",
    ),
    "communities:shop_create": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=_community_a,
    ),
    "communities:shop_edit": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=lambda o: {**_community_a(o), "pk": o["shop"].pk},
    ),
    "communities:unit_create": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=_community_a,
    ),
    "communities:unit_edit": Case(
        expect(
            404,
            anonymous="login",
            worker_here=403,
            worker_elsewhere=403,
            staff_here="ok",
            street_admin=403,
        ),
        kwargs=lambda o: {**_community_a(o), "pk": o["unit"].pk},
    ),
    # core
    "floor": Case(expect("ok", anonymous="login")),
    # issues
    "issues:assign": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="redirect",
            staff_here="redirect",
            staff_elsewhere=404,
        ),
        kwargs=lambda o: {"pk": o["issue"].pk},
        method="post",
    ),
    "issues:comment": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="redirect",
            staff_here="redirect",
            staff_elsewhere=404,
            street_admin="redirect",
        ),
        kwargs=lambda o: {"pk": o["issue"].pk},
        method="post",
    ),
    # Answering the 12345 callers: those who work the issue; a resident of the community
    # sees the issue but may not answer for it. The matrix issue is no hotline ticket: the
    # service refuses with a message and the page redirects back.
    "issues:hotline_answer": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="redirect",
            staff_here="redirect",
            staff_elsewhere=404,
        ),
        kwargs=lambda o: {"pk": o["issue"].pk},
        method="post",
        data={"answer": "已答复"},
    ),
    "issues:create": Case(expect("ok", anonymous="login", org_contact=403, street_admin=403)),
    "issues:detail": Case(
        expect("ok", anonymous="login", resident_elsewhere=404, staff_elsewhere=404),
        kwargs=lambda o: {"pk": o["issue"].pk},
    ),
    "issues:duplicates": Case(
        expect(
            403,
            anonymous="login",
            worker_here="ok",
            worker_elsewhere="ok",
            staff_here="ok",
            staff_elsewhere="ok",
        )
    ),
    # The field page a grid worker walks a patrol with, and what makes it work offline:
    # the manifest and the service worker hold nothing of anyone's (no login); the page,
    # its session check and its sync are the grid workers' (JSON answers 401 when signed
    # out; an empty sync is refused as an unknown kind of record).
    "issues:field": Case(expect(403, anonymous="login", worker_here="ok", worker_elsewhere="ok")),
    "issues:field_manifest": Case(ALL_OK),
    "issues:field_session": Case(
        expect(403, anonymous=401, worker_here="ok", worker_elsewhere="ok")
    ),
    "issues:field_sync": Case(
        expect(403, anonymous=401, worker_here=400, worker_elsewhere=400), method="post"
    ),
    "issues:field_worker": Case(ALL_OK),
    "issues:finding_to_issue": Case(
        expect(404, anonymous="login", worker_here=400, staff_here=403, street_admin=403),
        kwargs=lambda o: {"pk": o["patrol"].pk, "finding_pk": o["finding"].pk},
        method="post",
    ),
    # Bulk actions: staff and grid workers; an issue they may not see is not taken (the
    # queue again, with a message), the others are refused.
    "issues:bulk": Case(
        expect(
            403,
            anonymous="login",
            worker_here="ok",
            worker_elsewhere="ok",
            staff_here="ok",
            staff_elsewhere="redirect",
        ),
        method="post",
        data=lambda o: {"action": "accept", "issue": [o["issue"].pk]},
    ),
    "issues:bulk_done": Case(
        expect(
            403,
            anonymous="login",
            worker_here="redirect",
            worker_elsewhere="redirect",
            staff_here="redirect",
            staff_elsewhere="redirect",
        )
    ),
    # A grid's map opens for whoever opens the grid's page; its patrols and disputes only
    # for those who may see them.
    "issues:grid_map": Case(
        expect(
            404,
            anonymous="login",
            worker_here="ok",
            worker_elsewhere="ok",
            staff_here="ok",
            street_admin="ok",
        ),
        kwargs=lambda o: {"pk": o["world"].grid_a1.pk},
    ),
    "issues:list": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403)
    ),
    # The maps of issues show what the work queue lists, to those it lists it to.
    "issues:map": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403)
    ),
    "issues:map_issues": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403)
    ),
    "issues:mine": Case(
        expect(403, anonymous="login", resident_here="ok", resident_elsewhere="ok")
    ),
    "issues:patrol_detail": Case(
        expect(404, anonymous="login", worker_here="ok", staff_here="ok", street_admin="ok"),
        kwargs=lambda o: {"pk": o["patrol"].pk},
    ),
    "issues:patrol_geojson": Case(
        expect(404, anonymous="login", worker_here="ok", staff_here="ok", street_admin="ok"),
        kwargs=lambda o: {"pk": o["patrol"].pk},
    ),
    "issues:patrol_list": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403)
    ),
    "issues:photos": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="redirect",
            staff_here="redirect",
            staff_elsewhere=404,
        ),
        kwargs=lambda o: {"pk": o["issue"].pk},
        method="post",
    ),
    "issues:summons_report": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="redirect",
            staff_here="redirect",
            staff_elsewhere=404,
        ),
        kwargs=lambda o: {"pk": o["summons"].pk},
        method="post",
    ),
    "issues:transition": Case(
        expect(403, anonymous="login", resident_elsewhere=404, staff_here=400, staff_elsewhere=404),
        kwargs=lambda o: {"pk": o["issue"].pk, "action": "accept"},
        method="post",
    ),
    "issues:transition_form": Case(
        expect(
            403, anonymous="login", resident_elsewhere=404, staff_here="ok", staff_elsewhere=404
        ),
        kwargs=lambda o: {"pk": o["issue"].pk, "action": "accept"},
    ),
    "issues:visit_create": Case(
        expect(404, anonymous="login", worker_here="ok", staff_here="ok"),
        kwargs=lambda o: {"household_pk": o["household"].pk},
    ),
    "issues:visit_list": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403)
    ),
    # meetings
    "meetings:agenda_add": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here=400,
            staff_here=400,
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk},
        method="post",
    ),
    "meetings:attendance": Case(
        expect(
            404, anonymous="login", resident_here=403, worker_here="redirect", staff_here="redirect"
        ),
        kwargs=lambda o: {"pk": o["mediation"].pk, "participant_pk": o["mediation_participant"].pk},
        method="post",
    ),
    "meetings:calendar": Case(expect("ok", anonymous="login")),
    # The console is its managers' while the meeting is planned or running; those who
    # may see the meeting but not run it get 403, the others 404.
    "meetings:console": Case(
        _RUNNERS_OK := expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="ok",
            staff_here="ok",
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk},
    ),
    "meetings:console_live": Case(_RUNNERS_OK, kwargs=lambda o: {"pk": o["meeting"].pk}),
    "meetings:console_attendance": Case(
        _RUNNERS_REDIRECT := expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="redirect",
            staff_here="redirect",
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk, "participant_pk": o["participant"].pk},
        method="post",
        data={"attendance": "present"},
    ),
    "meetings:console_floor": Case(
        _RUNNERS_REDIRECT, kwargs=lambda o: {"pk": o["meeting"].pk}, method="post"
    ),
    "meetings:console_take_up": Case(
        _RUNNERS_REDIRECT,
        kwargs=lambda o: {"pk": o["meeting"].pk, "item_pk": o["agenda_item"].pk},
        method="post",
    ),
    "meetings:console_phase": Case(
        _RUNNERS_REDIRECT,
        kwargs=lambda o: {"pk": o["meeting"].pk, "item_pk": o["agenda_item"].pk},
        method="post",
    ),
    "meetings:console_opinion": Case(
        _RUNNERS_400 := expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here=400,
            staff_here=400,
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk, "item_pk": o["agenda_item"].pk},
        method="post",
    ),
    "meetings:console_decide": Case(
        _RUNNERS_400,
        kwargs=lambda o: {"pk": o["meeting"].pk, "item_pk": o["agenda_item"].pk},
        method="post",
    ),
    "meetings:sign_in_sheet": Case(_RUNNERS_OK, kwargs=lambda o: {"pk": o["meeting"].pk}),
    "meetings:opinion_form": Case(_RUNNERS_OK, kwargs=lambda o: {"pk": o["meeting"].pk}),
    # Attachments: added by those who run the record, read by exactly those who see it.
    "attachments:add": Case(
        _RUNNERS_OK, kwargs=lambda o: {"kind": "meeting", "pk": o["meeting"].pk}
    ),
    "attachments:file": Case(
        expect(
            "ok", anonymous="login", resident_elsewhere=404, staff_elsewhere=404, org_contact=404
        ),
        kwargs=lambda o: {"pk": o["attachment"].pk},
    ),
    "attachments:thumbnail": Case(
        expect(
            "ok", anonymous="login", resident_elsewhere=404, staff_elsewhere=404, org_contact=404
        ),
        kwargs=lambda o: {"pk": o["attachment"].pk},
    ),
    "attachments:archive": Case(
        {**_RUNNERS_OK, "worker_here": "redirect", "staff_here": "redirect"},
        kwargs=lambda o: {"pk": o["attachment"].pk},
        method="post",
        data={"reason": "重复上传"},
    ),
    # Reaching invitees without an account: the meeting's managers' work.
    "meetings:slips": Case(_RUNNERS_OK, kwargs=lambda o: {"pk": o["meeting"].pk}),
    "meetings:notice": Case(_RUNNERS_OK, kwargs=lambda o: {"pk": o["meeting"].pk}),
    "meetings:record_answer": Case(
        _RUNNERS_REDIRECT,
        kwargs=lambda o: {"pk": o["meeting"].pk, "participant_pk": o["resident_participant"].pk},
        method="post",
        data={"response": "yes", "via": "phone"},
    ),
    "meetings:resend_invitation": Case(
        _RUNNERS_REDIRECT,
        kwargs=lambda o: {"pk": o["meeting"].pk, "participant_pk": o["resident_participant"].pk},
        method="post",
    ),
    # Online opinion-taking: those who run the work of the community see it; its staff and
    # the workers of the grid run it; the results of a closed one are public.
    "meetings:opinion_windows": Case(
        expect(
            "ok",
            anonymous="login",
            resident_here=403,
            resident_elsewhere=403,
            org_contact=403,
        )
    ),
    "meetings:opinion_window_create": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="ok",
            staff_here="ok",
            staff_elsewhere=404,
        ),
        query=lambda o: f"issue={o['issue'].pk}",
    ),
    "meetings:opinion_window": Case(
        _SEES_WINDOW := expect(
            "ok",
            anonymous="login",
            resident_here=404,
            resident_elsewhere=404,
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["opinion_window"].pk},
    ),
    "meetings:opinion_window_poster": Case(
        _SEES_WINDOW, kwargs=lambda o: {"pk": o["opinion_window"].pk}
    ),
    "meetings:opinion_window_close": Case(
        _RUNS_WINDOW := expect(
            404,
            anonymous="login",
            worker_here="redirect",
            worker_elsewhere=403,
            staff_here="redirect",
            street_admin=403,
        ),
        kwargs=lambda o: {"pk": o["opinion_window"].pk},
        method="post",
    ),
    "meetings:opinion_window_request": Case(
        _RUNS_WINDOW, kwargs=lambda o: {"pk": o["opinion_window"].pk}, method="post"
    ),
    "meetings:opinion_window_paper": Case(
        expect(
            404,
            anonymous="login",
            worker_here=400,
            worker_elsewhere=403,
            staff_here=400,
            street_admin=403,
        ),
        kwargs=lambda o: {"pk": o["opinion_window"].pk},
        method="post",
    ),
    "meetings:opinion_results": Case(ALL_OK, kwargs=lambda o: {"pk": o["closed_window"].pk}),
    # The projector is read-only: whoever may see the meeting.
    "meetings:projector": Case(
        _SEES_MEETING := expect(
            "ok", anonymous="login", resident_elsewhere=404, staff_elsewhere=404, org_contact=404
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk},
    ),
    "meetings:projector_live": Case(_SEES_MEETING, kwargs=lambda o: {"pk": o["meeting"].pk}),
    # Signing in with the QR code: only the invited (the resident, the convener); the
    # grid's worker, who runs the meeting, is told what the link is for.
    "meetings:sign_in": Case(
        expect(
            403,
            anonymous="login",
            resident_here="ok",
            resident_elsewhere=404,
            staff_here="ok",
            worker_here="ok",
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"token": _sign_in_token(o["meeting"])},
    ),
    "meetings:continue": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here=400,
            staff_here=400,
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk},
        method="post",
    ),
    "meetings:create": Case(
        expect(
            403,
            anonymous="login",
            worker_here="ok",
            worker_elsewhere="ok",
            staff_here="ok",
            staff_elsewhere="ok",
        )
    ),
    "meetings:detail": Case(
        expect(
            "ok", anonymous="login", resident_elsewhere=404, staff_elsewhere=404, org_contact=404
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk},
    ),
    "meetings:edit": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="ok",
            staff_here="ok",
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk},
    ),
    "meetings:ics": Case(
        expect(
            "ok", anonymous="login", resident_elsewhere=404, staff_elsewhere=404, org_contact=404
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk},
    ),
    "meetings:invite": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="redirect",
            staff_here="redirect",
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk},
        method="post",
    ),
    "meetings:item_decide": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here=400,
            staff_here=400,
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk, "item_pk": o["agenda_item"].pk},
        method="post",
    ),
    "meetings:item_phase": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="redirect",
            staff_here="redirect",
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk, "item_pk": o["agenda_item"].pk},
        method="post",
    ),
    "meetings:list": Case(expect("ok", anonymous="login")),
    "meetings:minutes": Case(
        expect(
            "ok", anonymous="login", resident_elsewhere=404, staff_elsewhere=404, org_contact=404
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk},
    ),
    "meetings:minutes_pdf": Case(
        expect(
            "ok", anonymous="login", resident_elsewhere=404, staff_elsewhere=404, org_contact=404
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk},
    ),
    "meetings:opinion_add": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here=400,
            staff_here=400,
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk, "item_pk": o["agenda_item"].pk},
        method="post",
    ),
    "meetings:participant_add": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here=400,
            staff_here=400,
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk},
        method="post",
    ),
    "meetings:respond": Case(
        expect(404, anonymous="login", resident_here="ok", worker_here=403, staff_here="ok"),
        kwargs=lambda o: {"pk": o["mediation"].pk},
    ),
    "meetings:transition": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="redirect",
            staff_here="redirect",
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"pk": o["meeting"].pk},
        method="post",
    ),
    # reports
    "reports:dashboard": Case(
        expect(403, anonymous="login", staff_here="ok", staff_elsewhere="ok")
    ),
    "reports:issue_ledger": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403)
    ),
    "reports:monthly": Case(
        expect(403, anonymous="login", staff_here="ok", staff_elsewhere="ok", street_admin="ok")
    ),
    "reports:recompute": Case(
        expect(
            403,
            anonymous="login",
            staff_here="redirect",
            staff_elsewhere="redirect",
            street_admin="redirect",
        ),
        method="post",
    ),
    "reports:street_dashboard": Case(expect(403, anonymous="login", street_admin="ok")),
    # resolutions
    "resolutions:board": Case(expect("ok")),
    "resolutions:confirm": Case(
        expect(
            403, anonymous="login", resident_elsewhere=404, staff_here="ok", staff_elsewhere=404
        ),
        kwargs=lambda o: {"pk": o["resolution"].pk},
    ),
    # Only a resident whose household pays part of the cost confirms it: resident A's
    # household shares the matrix's item.
    "resolutions:confirm_share": Case(
        expect(
            403,
            anonymous="login",
            resident_here="redirect",
            resident_elsewhere=404,
            staff_elsewhere=404,
        ),
        kwargs=lambda o: {"pk": o["resolution"].pk},
        method="post",
    ),
    "resolutions:cost_split": Case(
        expect(
            403, anonymous="login", resident_elsewhere=404, staff_here="ok", staff_elsewhere=404
        ),
        kwargs=lambda o: {"pk": o["action_item"].pk},
    ),
    "resolutions:create": Case(
        # The organization's contact follows the issue (its department was summoned) but is
        # not invited to the meeting: its agenda item is not there for him.
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            staff_here="redirect",
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"agenda_item_pk": o["agenda_item"].pk},
    ),
    "resolutions:create_for_issue": Case(
        expect(
            403, anonymous="login", resident_elsewhere=404, staff_here="ok", staff_elsewhere=404
        ),
        kwargs=lambda o: {"issue_pk": o["issue"].pk},
    ),
    "search:results": Case(LOGGED_IN_OK, query="q=地锁"),
    "resolutions:detail": Case(
        expect("ok", anonymous="login", resident_elsewhere=404, staff_elsewhere=404),
        kwargs=lambda o: {"pk": o["resolution"].pk},
    ),
    "resolutions:edit": Case(
        expect(404, anonymous="login", staff_here="ok"),
        kwargs=lambda o: {"pk": o["draft_resolution"].pk},
    ),
    "resolutions:evaluate": Case(
        expect(
            403,
            anonymous="login",
            resident_here="ok",
            resident_elsewhere=404,
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"issue_pk": o["awaiting_evaluation"].pk},
    ),
    "resolutions:item_detail": Case(
        expect("ok", anonymous="login", resident_elsewhere=404, staff_elsewhere=404),
        kwargs=lambda o: {"pk": o["action_item"].pk},
    ),
    "resolutions:item_transition": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="redirect",
            staff_here="redirect",
            staff_elsewhere=404,
            org_contact="redirect",
        ),
        kwargs=lambda o: {"pk": o["action_item"].pk, "action": "start"},
        method="post",
    ),
    "resolutions:legal_review": Case(
        expect(404, anonymous="login", staff_here="ok"),
        kwargs=lambda o: {"pk": o["draft_resolution"].pk},
    ),
    "resolutions:list": Case(
        expect("ok", anonymous="login", resident_here=403, resident_elsewhere=403, org_contact=403)
    ),
    "resolutions:my_items": Case(expect("ok", anonymous="login")),
    "resolutions:object": Case(
        expect(
            403, anonymous="login", resident_here="ok", resident_elsewhere=404, staff_elsewhere=404
        ),
        kwargs=lambda o: {"pk": o["resolution"].pk},
    ),
    "resolutions:objection_answer": Case(
        expect(
            403, anonymous="login", resident_elsewhere=404, staff_here="ok", staff_elsewhere=404
        ),
        kwargs=lambda o: {"pk": o["objection"].pk},
    ),
    "resolutions:poster": Case(
        expect(
            403, anonymous="login", resident_elsewhere=404, staff_here="ok", staff_elsewhere=404
        ),
        kwargs=lambda o: {"pk": o["resolution"].pk},
    ),
    "resolutions:print": Case(
        expect(
            403, anonymous="login", resident_elsewhere=404, staff_here="ok", staff_elsewhere=404
        ),
        kwargs=lambda o: {"pk": o["resolution"].pk},
    ),
    "resolutions:public_detail": Case(expect("ok"), kwargs=lambda o: {"pk": o["resolution"].pk}),
    "resolutions:revisit": Case(
        expect(
            403,
            anonymous="login",
            resident_elsewhere=404,
            worker_here="ok",
            staff_here="ok",
            staff_elsewhere=404,
            org_contact=404,
        ),
        kwargs=lambda o: {"issue_pk": o["closed_issue"].pk},
    ),
    "resolutions:transition": Case(
        expect(404, anonymous="login", staff_here="redirect", org_contact=403),
        kwargs=lambda o: {"pk": o["draft_resolution"].pk, "action": "adopt"},
        method="post",
    ),
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


# 管理 (issue 22): street admins run their streets' communities; community heads theirs
# (the matrix's staff_here is not the head: the head's answers are tested in
# administration/tests/test_scope.py); everyone else is refused.
MANAGERS_ONLY = expect(403, anonymous="login", street_admin="ok")
MANAGED_RECORD = expect(404, anonymous="login", street_admin="ok")
# A community's rules: its own people who do not keep them get 403, others 404.
COMMUNITY_RULES = expect(
    404,
    anonymous="login",
    worker_here=403,
    worker_elsewhere=403,
    staff_here=403,
    street_admin="ok",
)


def _street(o):
    return {"pk": o["world"].street.pk}


def _street_pk(o):
    return {"street_pk": o["world"].street.pk}


MATRIX.update(
    {
        "administration:home": Case(MANAGERS_ONLY),
        "administration:people": Case(MANAGERS_ONLY),
        "administration:account_create": Case(
            MANAGERS_ONLY, kwargs=lambda o: {"role": "grid_worker"}
        ),
        "administration:account": Case(
            MANAGED_RECORD, kwargs=lambda o: {"pk": o["world"].worker_a1.pk}
        ),
        "administration:account_edit": Case(
            MANAGED_RECORD, kwargs=lambda o: {"pk": o["world"].worker_a1.pk}
        ),
        # The link shown once is the answer itself.
        "administration:account_password": Case(
            MANAGED_RECORD,
            kwargs=lambda o: {"pk": o["world"].worker_a1.pk},
            method="post",
            data={"via": "in_person"},
        ),
        "administration:account_active": Case(
            {**MANAGED_RECORD, "street_admin": "redirect"},
            kwargs=lambda o: {"pk": o["world"].worker_a1.pk},
            method="post",
            data={"active": "1"},
        ),
        "administration:account_channels": Case(
            {**MANAGED_RECORD, "street_admin": "redirect"},
            kwargs=lambda o: {"pk": o["world"].worker_a1.pk},
            method="post",
            data={"email": "on"},
        ),
        "administration:resident_account": Case(
            expect(
                404,
                anonymous="login",
                worker_here=403,
                worker_elsewhere=403,
                staff_here=403,
                street_admin="ok",
            ),
            kwargs=lambda o: {"resident_pk": o["resident_without_account"].pk},
        ),
        "administration:resident_consent": Case(
            expect(
                404,
                anonymous="login",
                resident_here=403,
                worker_here="ok",
                worker_elsewhere=403,
                staff_here="ok",
                street_admin="ok",
            ),
            kwargs=lambda o: {"pk": o["world"].resident_a.pk},
        ),
        "administration:contact_consent": Case(
            expect(
                404,
                anonymous="login",
                worker_here=403,
                worker_elsewhere=403,
                org_contact=403,
                staff_here="ok",
                street_admin="ok",
            ),
            kwargs=lambda o: {"pk": o["contact"].pk},
        ),
        "administration:street_rules": Case(MANAGED_RECORD, kwargs=_street),
        "administration:category_create": Case(MANAGED_RECORD, kwargs=_street_pk),
        "administration:category_edit": Case(
            MANAGED_RECORD, kwargs=lambda o: {**_street_pk(o), "pk": o["issue"].category_id}
        ),
        "administration:category_preview": Case(MANAGED_RECORD, kwargs=_street_pk),
        "administration:street_periods": Case(MANAGED_RECORD, kwargs=_street),
        "administration:community_rules": Case(
            COMMUNITY_RULES, kwargs=lambda o: {"pk": o["world"].community_a.pk}
        ),
        "administration:fixed_days": Case(
            COMMUNITY_RULES, kwargs=lambda o: {"pk": o["world"].community_a.pk}
        ),
        "administration:presence_rule": Case(
            COMMUNITY_RULES,
            kwargs=lambda o: {"pk": o["world"].community_a.pk, "form_code": "building_council"},
        ),
        # The country's calendar and the district's schedules: every street admin.
        "administration:calendar": Case(MANAGERS_ONLY),
        "administration:calendar_day": Case(
            MANAGERS_ONLY, kwargs=lambda o: {"pk": o["calendar_day"].pk}
        ),
        "administration:calendar_day_archive": Case(
            {**MANAGERS_ONLY, "street_admin": "redirect"},
            kwargs=lambda o: {"pk": o["calendar_day"].pk},
            method="post",
        ),
        "administration:schedules": Case(MANAGERS_ONLY),
        # SMS budgets: the street's admins set them, the head sees her community's.
        "administration:sms_budgets": Case(MANAGERS_ONLY),
        "administration:sms_budget": Case(
            COMMUNITY_RULES, kwargs=lambda o: {"pk": o["world"].community_a.pk}
        ),
        "administration:schedule_edit": Case(
            MANAGERS_ONLY, kwargs=lambda o: {"pk": o["schedule"].pk}
        ),
        # The link of a password reset is opened by whoever holds it; a wrong token reads
        # "used or expired".
        "accounts:password_reset_confirm": Case(
            ALL_OK, kwargs=lambda o: {"uidb64": "MQ", "token": "set-password"}
        ),
    }
)
