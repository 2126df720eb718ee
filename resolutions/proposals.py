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
    organizations = (
        Organization.objects.filter(
            pk__in=shares.exclude(organization=None).values("organization"),
            archived_at__isnull=True,
        )
        .prefetch_related("contacts")
        .order_by("name")
    )
    return {"residents": list(residents), "organizations": list(organizations)}


def cost_split_proposals(meeting):
    """The meetings app's invitee source: the paying households' residents and the paying
    organizations' contacts (merchants among them) for the meeting's agenda."""
    from django.utils.translation import gettext as _

    from meetings.models import ParticipantRole
    from meetings.proposals import Proposal

    payers = cost_split_invitees(list(meeting.agenda_items.all()))
    reason = _("Pays part of an agreed cost")
    for resident in payers["residents"]:
        yield Proposal(
            role=ParticipantRole.RESIDENT, name=resident.name, resident=resident, reason=reason
        )
    merchant = Organization.Kind.MERCHANT
    for organization in payers["organizations"]:
        role = ParticipantRole.MERCHANT if organization.kind == merchant else ParticipantRole.OTHER
        contacts = [c for c in organization.contacts.all() if c.archived_at is None]
        for contact in contacts:
            yield Proposal(role=role, name=contact.name, contact=contact, reason=reason)
        if not contacts:
            yield Proposal(
                role=role,
                name=organization.name,
                organization_name=organization.name,
                reason=reason,
            )


def register():
    """Hand the source to the meetings app's registry."""
    from meetings.proposals import register_invitee_source

    register_invitee_source(cost_split_proposals)
    return True
