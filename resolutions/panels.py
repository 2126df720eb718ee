"""The resolutions app's panel of a resident's home page: for a member of the supervision
committee (居监会), the work waiting for their on-site check (待我核查)."""

from access.resolutions import items_to_check, shares_to_confirm

# Enough for a phone screen; the rest are under "My action items".
SHOWN = 10


def items_to_check_panel(request):
    """The items reported done in the supervisor's community, longest waiting first: two
    queries (the rows with their resolution and responsible party, and their number).
    None for residents who are not on the committee."""
    items = items_to_check(request.user)
    if items is None:
        return None
    rows = list(
        items.select_related(
            "resolution", "responsible_organization", "responsible_user", "responsible_resident"
        ).order_by("updated_at", "pk")[:SHOWN]
    )
    count = len(rows) if len(rows) < SHOWN else items.count()
    return {"items": rows, "count": count, "more": count > len(rows)}


def shares_to_confirm_panel(request):
    """For a resident whose household shares an agreed cost: the agreements still waiting
    for the household's confirmation (one query). Hidden when there are none."""
    resolutions = shares_to_confirm(request.user)
    if resolutions is None:
        return None
    rows = list(resolutions.only("pk", "title", "adopted_at").order_by("adopted_at", "pk")[:SHOWN])
    if not rows:
        return None
    return {"resolutions": rows}
