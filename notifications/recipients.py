"""Who receives reminders: the one place that turns grids, communities, organizations and
residents into user ids. Every lookup is one query for the whole batch (a dict keyed by the
id asked about), so the sweeps stay set-based however many records they cover."""

from collections import defaultdict

from django.contrib.auth import get_user_model


def _active_users():
    return get_user_model().objects.filter(is_active=True)


def grid_workers(grid_ids) -> dict[int, set[int]]:
    """The grid workers (网格员) of each grid."""
    result = defaultdict(set)
    rows = (
        _active_users()
        .filter(role="grid_worker", grids__in=set(grid_ids))
        .values_list("grids", "pk")
    )
    for grid_id, user_id in rows:
        result[grid_id].add(user_id)
    return result


def community_heads(community_ids) -> dict[int, set[int]]:
    """The head (书记/主任) of each community: staff accounts marked `is_head`."""
    result = defaultdict(set)
    rows = (
        _active_users()
        .filter(is_head=True, communities__in=set(community_ids))
        .values_list("communities", "pk")
    )
    for community_id, user_id in rows:
        result[community_id].add(user_id)
    return result


def community_staff(community_ids) -> dict[int, set[int]]:
    """Every staff account of each community (for community-wide fixed schedules)."""
    result = defaultdict(set)
    rows = (
        _active_users()
        .filter(role="staff", communities__in=set(community_ids))
        .values_list("communities", "pk")
    )
    for community_id, user_id in rows:
        result[community_id].add(user_id)
    return result


def organization_users(organization_ids) -> dict[int, set[int]]:
    """The accounts of each organization's contacts."""
    result = defaultdict(set)
    rows = _active_users().filter(organization__in=set(organization_ids))
    for organization_id, user_id in rows.values_list("organization", "pk"):
        result[organization_id].add(user_id)
    return result


def resident_users(resident_ids) -> dict[int, int]:
    """The account of each resident who has one."""
    rows = _active_users().filter(resident__in=set(resident_ids))
    return dict(rows.values_list("resident", "pk"))


def grid_representative_users(grid_ids) -> dict[int, set[int]]:
    """The accounts of the resident representatives (居民代表) living in each grid."""
    result = defaultdict(set)
    rows = _active_users().filter(
        resident__grid__in=set(grid_ids),
        resident__is_representative=True,
        resident__archived_at__isnull=True,
    )
    for grid_id, user_id in rows.values_list("resident__grid", "pk"):
        result[grid_id].add(user_id)
    return result


def community_supervisor_users(community_ids) -> dict[int, set[int]]:
    """The accounts of the supervision-committee members (居监会) of each community, who
    confirm on site that agreed work was really done."""
    result = defaultdict(set)
    rows = _active_users().filter(
        role="resident",
        resident__community__in=set(community_ids),
        resident__is_supervisor=True,
        resident__archived_at__isnull=True,
    )
    for community_id, user_id in rows.values_list("resident__community", "pk"):
        result[community_id].add(user_id)
    return result


def contact_users(contact_ids) -> dict[int, int]:
    """The account of each organization contact who has one."""
    rows = _active_users().filter(contact__in=set(contact_ids))
    return dict(rows.values_list("contact", "pk"))


def participant_users(rows) -> dict[int, int]:
    """The account behind each meeting participant row (a dict with pk, user_id,
    resident_id, contact_id): the user invited, or the resident's or contact's account."""
    residents = resident_users(r["resident_id"] for r in rows if r["resident_id"])
    contacts = contact_users(r["contact_id"] for r in rows if r["contact_id"])
    result = {}
    for r in rows:
        user_id = r["user_id"] or residents.get(r["resident_id"]) or contacts.get(r["contact_id"])
        if user_id:
            result[r["pk"]] = user_id
    return result
