"""Issues, patrol findings and routes as GeoJSON features for the maps (issues.map_views),
in the map's datum (lib.maps). What is drawn is what the viewer may open: the rows come
from access.issues' scoping querysets, never from a query of their own."""

from django.utils.translation import gettext as _

from lib import maps

from .selectors import issues_filter, with_position

# At most this many issues on one map (and in the list beside it), newest first.
MAP_LIMIT = 500

MAP_ROW_FIELDS = (
    "pk",
    "title",
    "kind",
    "urgency",
    "status",
    "place_text",
    "reported_at",
    "latitude",
    "longitude",
    "position_accuracy",
    "category__name",
    "compound__name",
    "building__name",
)


def map_issues(visible, filters):
    """The issues of a map and its list: those of `visible` (what the viewer may open)
    passing the work queue's filters, open ones unless a status is asked for, each with its
    position (its own, its building's or its compound's) and the names it shows. Two joins
    and no query per row."""
    filters = dict(filters)
    if not filters.get("status"):
        filters["open"] = True
    issues = issues_filter(visible, filters)
    return (
        with_position(issues)
        .select_related("category", "compound", "building")
        .only(*MAP_ROW_FIELDS)
        .order_by("-reported_at", "-pk")
    )


def place_of(record) -> str:
    """Where an issue or a finding is, in words: its compound, building and place."""
    parts = [
        record.compound.name if record.compound_id else "",
        record.building.name if record.building_id else "",
        record.place_text,
    ]
    return " ".join(part for part in parts if part)


def issue_feature(issue) -> dict:
    """An issue's marker: styled by kind and urgency (static/js/map.js), named for screen
    readers by its title, category and urgency, linking to the issue."""
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": maps.point(issue.at_latitude, issue.at_longitude),
        },
        "properties": {
            "kind": "issue",
            "id": issue.pk,
            "title": issue.title,
            "url": issue.get_absolute_url(),
            "issue_kind": issue.kind,
            "urgency": issue.urgency,
            "labels": {
                "kind": str(issue.get_kind_display()),
                "urgency": str(issue.get_urgency_display()),
                "status": str(issue.get_status_display()),
                "category": issue.category.name,
            },
            "place": place_of(issue),
            # Where the point comes from: the phone's position, or the place's.
            "own_position": issue.latitude is not None,
        },
    }


def issues_geojson(issues) -> dict:
    """The positioned issues of `issues` (a map_issues queryset, already cut to MAP_LIMIT
    or not) as a FeatureCollection."""
    return {
        "type": "FeatureCollection",
        "features": [issue_feature(i) for i in issues if i.at_latitude is not None],
    }


def patrol_geojson(patrol, *, points, findings) -> dict:
    """A patrol's route (a line through its points, in time order), where it started and
    ended, and its findings with a position (their own, else their building's or
    compound's)."""
    features = []
    line = [maps.point(p.latitude, p.longitude) for p in points]
    if len(line) >= 2:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {"kind": "route", "name": _("Route")},
            }
        )
    if line:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": line[0]},
                "properties": {"kind": "route_start", "name": _("Start of the patrol")},
            }
        )
        if patrol.ended_at is not None and len(line) >= 2:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": line[-1]},
                    "properties": {"kind": "route_end", "name": _("End of the patrol")},
                }
            )
    for number, finding in enumerate(findings, start=1):
        lat, lng = finding_position(finding)
        if lat is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": maps.point(lat, lng)},
                "properties": {
                    "kind": "finding",
                    "id": finding.pk,
                    "number": number,
                    "title": finding.text[:80],
                    "time": finding.found_at.isoformat(),
                    "place": place_of(finding),
                    "url": finding.issue.get_absolute_url()
                    if finding.issue_id
                    else patrol.get_absolute_url(),
                    "issue": finding.issue_id,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def finding_position(finding):
    """A finding's own position, else its building's, else its compound's."""
    for record in (finding, finding.building, finding.compound):
        if record is not None and record.latitude is not None:
            return record.latitude, record.longitude
    return None, None
