"""Invitees proposed from cost splits: whoever pays part of an item's cost should be asked
to the meeting that discusses the matter again (for example a follow-up council)."""

from communities.models import Organization, Resident

from .models import CostShare


def cost_split_invitees(agenda_items):
    """Residents and organizations named in the cost splits of the resolutions of the
    agenda items' issues. Returns {"residents": [...], "organizations": [...]}; residents
    are the active residents of the households that pay a part."""
    issue_ids = {item.issue_id for item in agenda_items if item.issue_id}
    if not issue_ids:
        return {"residents": [], "organizations": []}
    shares = CostShare.objects.filter(item__resolution__issue__in=issue_ids).exclude(
        item__resolution__status="withdrawn"
    )
    residents = Resident.objects.filter(
        household__in=shares.exclude(household=None).values("household"),
        archived_at__isnull=True,
    ).order_by("household_id", "pk")
    organizations = Organization.objects.filter(
        pk__in=shares.exclude(organization=None).values("organization"),
        archived_at__isnull=True,
    ).order_by("name")
    return {"residents": list(residents), "organizations": list(organizations)}


def register():
    """Hand the source to the meetings app's registry when it offers one."""
    try:
        from meetings.proposals import register_invitee_source
    except ImportError:
        return False
    register_invitee_source(cost_split_invitees)
    return True
