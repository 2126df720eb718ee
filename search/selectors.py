"""Search across the product: issues, meetings, resolutions, action items, residents,
households and organizations, each found among the rows its own list shows (the scoping
querysets of access/), by the text matching of lib.textsearch. Each kind reads one page
of rows in one query; what it shows of related rows comes as subqueries (lib.related)."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from access.communities import (
    households_visible_to,
    organizations_visible_to,
    resident_numbers,
    residents_found_by_phone,
    residents_visible_to,
)
from access.issues import issues_visible_to
from access.meetings import meetings_visible_to
from access.resolutions import action_items_open_to, resolutions_visible_to
from communities.models import Compound, Household, Resident, Unit
from issues.models import Issue
from issues.selectors import SEARCHED_FIELDS
from lib.related import name_of
from lib.textsearch import all_terms_q, contains_any, fragment, newest_only, terms_of
from lib.urls import url_by_pk
from meetings.models import Meeting
from resolutions.models import ActionItem, Resolution


@dataclass
class Hit:
    url: str
    title: str
    # Short facts under the title: status, community, date.
    meta: list = field(default_factory=list)
    # Why it was found: (what matched, the fragment with the match marked).
    why: list = field(default_factory=list)


@dataclass
class Group:
    key: str
    label: str
    icon: str
    hits: list
    more: bool


def _day(moment):
    return f"{localtime(moment):%Y-%m-%d}"


def _why(row, terms, fields):
    """(label, fragment) of each of `fields` (name, label) whose value contains a term."""
    found = []
    for name, label in fields:
        value = getattr(row, name, "") or ""
        if contains_any(value, terms):
            found.append((label, fragment(value, terms)))
    return found


def _number(terms):
    """The issue number typed (123 or #123) when the query is just that."""
    if len(terms) == 1:
        digits = terms[0].lstrip("#＃")
        if digits.isdigit() and len(digits) < 10:
            return int(digits)
    return None


# ------------------------------------------------------------------ each kind


ISSUE_FIELDS = (
    ("hotline_ticket", _("12345 ticket")),
    ("title", _("title")),
    ("address", _("address")),
    ("description", _("description")),
)


def _issues(user, terms, offset, limit):
    found = all_terms_q(SEARCHED_FIELDS, terms)
    number = _number(terms)
    if number is not None:
        found |= Q(pk=number)
    rows = list(
        newest_only(issues_visible_to(user), terms, "-reported_at")
        .filter(found)
        .only("title", "description", "address", "hotline_ticket", "status", "reported_at")
        .annotate(community_name=name_of(Issue, "community"))
        .order_by("-reported_at", "-pk")[offset : offset + limit + 1]
    )
    hits = []
    for issue in rows[:limit]:
        why = _why(issue, terms, ISSUE_FIELDS)
        if number == issue.pk:
            why.insert(0, (_("number"), f"#{issue.pk}"))
        hits.append(
            Hit(
                url=issue.get_absolute_url(),
                title=f"#{issue.pk} {issue.title}",
                meta=[
                    issue.get_status_display(),
                    issue.community_name,
                    _day(issue.reported_at),
                ],
                why=why,
            )
        )
    return hits, len(rows) > limit


MEETING_FIELDS = (("title", _("title")), ("venue", _("venue")), ("summary", _("summary")))


def _meetings(user, terms, offset, limit):
    rows = list(
        newest_only(meetings_visible_to(user), terms, "-starts_at")
        .filter(all_terms_q([name for name, _label in MEETING_FIELDS], terms))
        .only("title", "venue", "summary", "status", "form", "starts_at")
        .annotate(community_name=name_of(Meeting, "community"))
        .order_by("-starts_at", "-pk")[offset : offset + limit + 1]
    )
    hits = [
        Hit(
            url=meeting.get_absolute_url(),
            title=meeting.title,
            meta=[
                meeting.get_form_display(),
                meeting.get_status_display(),
                meeting.community_name,
                _day(meeting.starts_at),
            ],
            why=_why(meeting, terms, MEETING_FIELDS),
        )
        for meeting in rows[:limit]
    ]
    return hits, len(rows) > limit


RESOLUTION_FIELDS = (("title", _("title")), ("text", _("agreed text")))


def _resolutions(user, terms, offset, limit):
    rows = list(
        newest_only(resolutions_visible_to(user), terms, "-created_at")
        .filter(all_terms_q([name for name, _label in RESOLUTION_FIELDS], terms))
        .only("title", "text", "status", "created_at")
        .annotate(community_name=name_of(Resolution, "community"))
        .order_by("-created_at", "-pk")[offset : offset + limit + 1]
    )
    hits = [
        Hit(
            url=url_by_pk("resolutions:detail", resolution.pk),
            title=resolution.title,
            meta=[
                resolution.get_status_display(),
                resolution.community_name,
                _day(resolution.created_at),
            ],
            why=_why(resolution, terms, RESOLUTION_FIELDS),
        )
        for resolution in rows[:limit]
    ]
    return hits, len(rows) > limit


ITEM_FIELDS = (("measure", _("measure")),)


def _action_items(user, terms, offset, limit):
    rows = list(
        newest_only(action_items_open_to(user), terms, "-deadline")
        .filter(all_terms_q(["measure"], terms))
        .only("measure", "status", "deadline")
        .annotate(resolution_title=name_of(ActionItem, "resolution", "title"))
        .order_by("-deadline", "-pk")[offset : offset + limit + 1]
    )
    hits = [
        Hit(
            url=item.get_absolute_url(),
            title=str(item),
            meta=[
                item.get_status_display(),
                item.resolution_title,
                f"{item.deadline:%Y-%m-%d}",
            ],
            why=_why(item, terms, ITEM_FIELDS),
        )
        for item in rows[:limit]
    ]
    return hits, len(rows) > limit


def _residents(user, terms, offset, limit):
    # A number is looked for only among the residents whose numbers the user reads in
    # full; a name among all the user may see.
    by_phone = residents_found_by_phone(user).values("pk")
    found = Q()
    for term in terms:
        found &= all_terms_q(["name"], [term]) | (
            all_terms_q(["phone"], [term]) & Q(pk__in=by_phone)
        )
    rows = list(
        residents_visible_to(user)
        .filter(found)
        .select_related("household__unit__building__compound", "household__compound")
        .annotate(community_name=name_of(Resident, "community"))
        .order_by("name", "pk")[offset : offset + limit + 1]
    )
    hits = []
    for resident in rows[:limit]:
        phone, _id = resident_numbers(user, resident)
        why = _why(resident, terms, (("name", _("full name")),))
        if phone == resident.phone and contains_any(phone, terms):
            why.append((_("phone"), fragment(phone, terms)))
        hits.append(
            Hit(
                url=url_by_pk("communities:resident_detail", resident.pk),
                title=resident.name,
                meta=[str(resident.household or ""), resident.community_name, phone],
                why=why,
            )
        )
    return hits, len(rows) > limit


def _households(user, terms, offset, limit):
    # The names of places are matched in their own small tables first: joining every
    # household to its unit, building and compound to compare names read them all.
    found = Q()
    for term in terms:
        units = Unit.objects.filter(
            all_terms_q(["name", "building__name", "building__compound__name"], [term])
        )
        compounds = Compound.objects.filter(all_terms_q(["name"], [term]))
        found &= (
            all_terms_q(["room", "address"], [term])
            | Q(unit__in=units.values("pk"))
            | Q(compound__in=compounds.values("pk"))
        )
    rows = list(
        households_visible_to(user)
        .filter(found)
        .select_related("unit__building__compound", "compound")
        .annotate(community_name=name_of(Household, "community"))
        .order_by("compound__name", "unit", "room", "pk")[offset : offset + limit + 1]
    )
    hits = []
    for household in rows[:limit]:
        label = str(household)
        hits.append(
            Hit(
                url=url_by_pk("communities:community_detail", household.community_id),
                title=label,
                meta=[household.community_name],
                why=[(pgettext_lazy("search", "household"), fragment(label, terms))]
                if contains_any(label, terms)
                else [],
            )
        )
    return hits, len(rows) > limit


ORGANIZATION_FIELDS = (("name", _("name")), ("address", _("address")), ("phone", _("phone")))


def _organizations(user, terms, offset, limit):
    rows = list(
        organizations_visible_to(user)
        .filter(all_terms_q([name for name, _label in ORGANIZATION_FIELDS], terms))
        .only("name", "address", "phone", "kind")
        .order_by("name", "pk")[offset : offset + limit + 1]
    )
    hits = [
        Hit(
            url=url_by_pk("communities:organization_detail", organization.pk),
            title=organization.name,
            meta=[organization.get_kind_display()],
            why=_why(organization, terms, ORGANIZATION_FIELDS),
        )
        for organization in rows[:limit]
    ]
    return hits, len(rows) > limit


# (key, label, icon, finder), in the order the results page shows them.
KINDS = (
    ("issues", _("Issues"), "inbox", _issues),
    ("meetings", _("Meetings"), "people", _meetings),
    ("resolutions", _("Resolutions"), "clipboard-check", _resolutions),
    ("action_items", _("Action items"), "list-check", _action_items),
    ("residents", _("Residents"), "person", _residents),
    ("households", pgettext_lazy("search kind", "Households"), "house-door", _households),
    ("organizations", _("Organizations"), "building", _organizations),
)
KIND_KEYS = tuple(key for key, *_rest in KINDS)


def search(user, query, *, kind=None, page=1, per_kind=5, per_page=20):
    """The groups of what `query` finds for `user`: every kind, `per_kind` hits each, or
    one kind (`kind`) a page of `per_page` hits at a time. One query a kind; a group
    without hits is left out."""
    terms = terms_of(query)
    if not terms:
        return []
    groups = []
    for key, label, icon, finder in KINDS:
        if kind is not None and key != kind:
            continue
        limit = per_page if kind else per_kind
        offset = (page - 1) * limit if kind else 0
        hits, more = finder(user, terms, offset, limit)
        if hits:
            groups.append(Group(key, str(label), icon, hits, more))
    return groups
