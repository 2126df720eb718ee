"""Reads of issues that feed lists, dashboards and the API: the work queue's filters and
the figures of the dashboards, each written once."""

from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce, Greatest, Upper
from django.utils import timezone

from lib import geo
from lib.related import name_of
from lib.textsearch import all_terms_q, terms_of

from .models import OPEN_STATUSES, Issue, Status, overdue_q

# The orders of the work queue, as the staff page and the API offer them.
ISSUE_SORTS = ("-reported_at", "reported_at", "handle_deadline")

# The filters of the work queue: equal to a field's value …
_EQUAL = ("status", "kind", "urgency", "channel")
# … or to a related row's number.
_RELATED = ("category", "community", "grid", "compound", "assignee")


# What words typed into the queue's or the top bar's search are looked for in (each served
# by a trigram index on PostgreSQL: issues/migrations/0007).
SEARCHED_FIELDS = ("title", "description", "address", "hotline_ticket")


def issues_filter(issues, filters, *, now=None):
    """The issues of `issues` that pass the work queue's filters, read from `filters` (the
    queue form's cleaned data or the API's parsed query): `q`, words each found in the
    title, description, address or 12345 ticket number; `status`, `kind`, `urgency`,
    `channel`; `category`, `community`, `grid`, `compound`, `assignee`, numbers (one no row
    has matches nothing); `open`, only those still being worked on; `overdue`, only those
    past their running time limit (issues.models.overdue_q) at `now`. A filter missing,
    empty or None is not applied."""
    terms = terms_of(filters.get("q") or "")
    if terms:
        # Each word typed is found in one of the columns the search box searches too.
        issues = issues.filter(all_terms_q(SEARCHED_FIELDS, terms))
    for name in _EQUAL:
        if filters.get(name):
            issues = issues.filter(**{name: filters[name]})
    for name in _RELATED:
        if filters.get(name) not in (None, ""):
            issues = issues.filter(**{f"{name}_id": filters[name]})
    if filters.get("open"):
        issues = issues.filter(status__in=OPEN_STATUSES)
    if filters.get("overdue"):
        issues = issues.filter(overdue_q(now or timezone.now()))
    return issues


def issue_counts(*, communities, now) -> dict:
    """The dashboard's figures of the communities' open issues, in one query that reads
    only open ones (by community and status, the years of closed ones stay unread):
    {"new": reported, "open": all, "late": past the time limit running now, as the work
    queue's "overdue only" counts them}."""
    return Issue.objects.filter(
        community__in=communities, archived_at__isnull=True, status__in=OPEN_STATUSES
    ).aggregate(
        new=Count("pk", filter=Q(status=Status.REPORTED)),
        open=Count("pk"),
        late=Count("pk", filter=overdue_q(now)),
    )


def issue_counts_by_community(community_ids, *, now, start, end) -> dict:
    """The street dashboard's figures per community, in one grouped query: open, late (as
    the work queue counts them), received and closed from `start` to `end`:
    {community_id: {"open", "late", "received", "closed"}}."""
    rows = (
        Issue.objects.filter(community__in=community_ids, archived_at__isnull=True)
        .values("community")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            late=Count("pk", filter=overdue_q(now)),
            received=Count("pk", filter=Q(reported_at__gte=start, reported_at__lt=end)),
            closed=Count("pk", filter=Q(closed_at__gte=start, closed_at__lt=end)),
        )
        .order_by()
    )
    return {row["community"]: row for row in rows}


# What a dashboard row of a new issue shows; its category's and grid's names come as
# subqueries (lib.related). Built once: its expressions cost as much to build as the query
# takes to run.
NEW_ISSUE_ROW_FIELDS = ("title", "status", "channel", "urgency", "reported_at", "community_id")
_NEW_ISSUE_ROWS = (
    Issue.objects.filter(status=Status.REPORTED, archived_at__isnull=True)
    .only(*NEW_ISSUE_ROW_FIELDS)
    .annotate(category_name=name_of(Issue, "category"), grid_name=name_of(Issue, "grid"))
    .order_by("-reported_at", "-pk")
)


def issue_rows_new(*, communities):
    """The communities' issues waiting to be accepted, newest first, as dashboard rows."""
    return _NEW_ISSUE_ROWS.filter(community__in=communities)


# Duplicates at intake (12345 calls about the same ground locks arrive many times).


def _bigrams(text):
    text = "".join(text.upper().split())
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def _bigram_overlap(a: str, b: str) -> float:
    """Share of the shorter text's character pairs found in the other: SQLite's stand-in
    for pg_trgm's similarity, for Chinese text without word boundaries."""
    ga, gb = _bigrams(a), _bigrams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / min(len(ga), len(gb))


def similar_open_issues(
    *,
    issues,
    community,
    title="",
    description="",
    category=None,
    compound=None,
    exclude_pk=None,
    limit=5,
):
    """Open issues of the same community (and compound and category when given) whose
    title looks like the one being typed (or, without a title, the description's start),
    most alike first. `issues` is what the user may see. On PostgreSQL the trigram index
    of the titles and descriptions (the search box's) finds them: a title alike as a whole
    (`%`, similarity ≥ 0.3), or one holding the typed words (`%>`, word similarity ≥ 0.6)."""
    typed = (title or "").strip() or (description or "").strip()[:100]
    if len(typed) < 2:
        return []
    candidates = issues.filter(community=community, status__in=OPEN_STATUSES)
    if compound is not None:
        candidates = candidates.filter(compound=compound)
    if category is not None:
        candidates = candidates.filter(category=category)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    candidates = candidates.only("pk", "title", "description", "status", "reported_at")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.lookups import TrigramSimilar, TrigramWordSimilar
        from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity

        typed = typed.upper()
        title, text = Upper("title"), Upper("description")
        return list(
            candidates.filter(
                Q(TrigramSimilar(title, typed))
                | Q(TrigramWordSimilar(title, typed))
                | Q(TrigramWordSimilar(text, typed))
            )
            .annotate(
                likeness=Greatest(
                    TrigramSimilarity(title, Value(typed)),
                    TrigramWordSimilarity(Value(typed), title),
                    TrigramWordSimilarity(Value(typed), text),
                )
            )
            .order_by("-likeness", "-reported_at")[:limit]
        )
    rows = list(candidates.order_by("-reported_at")[:200])
    scored = [
        (max(_bigram_overlap(typed, i.title), _bigram_overlap(typed, i.description)), i)
        for i in rows
    ]
    scored = [pair for pair in scored if pair[0] >= 0.3]
    scored.sort(key=lambda pair: -pair[0])
    return [issue for _score, issue in scored[:limit]]


# Positions. An issue's own position (a phone's, an Open311 client's) is stored with it;
# one without is placed where its building is, else its compound (both set together or not
# at all, so each coalesce takes the same source).


def with_position(issues):
    """`issues` annotated with `at_latitude` and `at_longitude` (WGS-84): the issue's own
    position, else its building's, else its compound's, else None."""
    return issues.annotate(
        at_latitude=Coalesce("latitude", "building__latitude", "compound__latitude"),
        at_longitude=Coalesce("longitude", "building__longitude", "compound__longitude"),
    )


# At most this many rows of the bounding box are measured (a box of a few hundred metres
# in one community holds far fewer open issues of one category).
NEAR_ROWS = 500


def issues_near(issues, *, latitude, longitude, radius_m: float) -> list[tuple]:
    """[(issue, metres)] of `issues` within `radius_m` of (latitude, longitude), nearest
    first: a bounding box in SQL (no spatial index needed), then the exact distance
    (haversine) on the rows it leaves."""
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(latitude, longitude, radius_m)
    rows = with_position(issues).filter(
        at_latitude__gte=Decimal(str(round(min_lat, 6))),
        at_latitude__lte=Decimal(str(round(max_lat, 6))),
        at_longitude__gte=Decimal(str(round(min_lng, 6))),
        at_longitude__lte=Decimal(str(round(max_lng, 6))),
    )[:NEAR_ROWS]
    found = []
    for issue in rows:
        metres = geo.haversine_m(latitude, longitude, issue.at_latitude, issue.at_longitude)
        if metres <= radius_m:
            found.append((issue, metres))
    found.sort(key=lambda pair: (pair[1], -pair[0].pk))
    return found


def duplicates_nearby(
    *, issues, community, category, latitude, longitude, radius_m=None, exclude_pk=None, limit=5
) -> list[tuple]:
    """Possible duplicates by distance: open issues of the same community and category
    within YISHI["DUPLICATE_RADIUS_METRES"] (or `radius_m`) of a new issue's place, nearest
    first, as [(issue, metres)]. `issues` is what the user may see. Text-alike issues are
    found by similar_open_issues; the intake shows both."""
    if category is None or latitude is None or longitude is None:
        return []
    if radius_m is None:
        radius_m = settings.YISHI["DUPLICATE_RADIUS_METRES"]
    from .services import OPEN_STATUSES_FOR_MERGE

    candidates = issues.filter(
        community=community, category=category, status__in=OPEN_STATUSES_FOR_MERGE
    )
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    candidates = candidates.only("pk", "title", "status", "reported_at", "category_id")
    return issues_near(candidates, latitude=latitude, longitude=longitude, radius_m=radius_m)[
        :limit
    ]
