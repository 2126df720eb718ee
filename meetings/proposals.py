"""Proposed invitees for a meeting, computed from its agenda.

Other apps add sources without meetings importing them: a source is a callable
`source(meeting) -> iterable[Proposal]`, registered once from the app's `AppConfig.ready()`:

    from meetings.proposals import Proposal, register_invitee_source

    def cost_share_invitees(meeting):
        for share in CostShare.objects.filter(resolution__issue__agenda_items__meeting=meeting):
            yield Proposal(role=ParticipantRole.RESIDENT, name=..., resident=..., reason=...)

    register_invitee_source(cost_share_invitees)

The resolutions app uses it for the households and merchants named in a cost split.
Proposals already invited, or repeated by several sources, are shown once.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import ParticipantRole

_SOURCES: list = []


@dataclass(frozen=True)
class Proposal:
    role: str
    name: str
    reason: str = ""
    user: object = None
    resident: object = None
    contact: object = None
    organization_name: str = ""

    @property
    def key(self):
        if self.user is not None:
            return ("user", self.user.pk)
        if self.resident is not None:
            return ("resident", self.resident.pk)
        if self.contact is not None:
            return ("contact", self.contact.pk)
        return ("name", self.name)


def register_invitee_source(source) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def _dispute_parties(meeting):
    from issues.models import IssueParty

    parties = IssueParty.objects.filter(
        issue__agenda_items__meeting=meeting, role=IssueParty.Role.PARTY
    ).select_related("resident", "organization", "issue")
    for party in parties:
        reason = _("Party to “%(issue)s”") % {"issue": party.issue.title}
        if party.resident_id:
            yield Proposal(
                role=ParticipantRole.PARTY,
                name=party.resident.name,
                resident=party.resident,
                reason=reason,
            )
        elif party.organization_id:
            for contact in party.organization.contacts.filter(archived_at__isnull=True):
                yield Proposal(
                    role=ParticipantRole.PARTY,
                    name=contact.name,
                    contact=contact,
                    organization_name=party.organization.name,
                    reason=reason,
                )
        elif party.name:
            yield Proposal(role=ParticipantRole.PARTY, name=party.name, reason=reason)
    # The reporter of a dispute is a party too.
    from issues.models import Issue, Kind

    for issue in Issue.objects.filter(
        agenda_items__meeting=meeting, kind=Kind.DISPUTE, reporter_resident__isnull=False
    ).select_related("reporter_resident"):
        yield Proposal(
            role=ParticipantRole.PARTY,
            name=issue.reporter_resident.name,
            resident=issue.reporter_resident,
            reason=_("Party to “%(issue)s”") % {"issue": issue.title},
        )


def _compound_organizations(meeting):
    from communities.models import Organization

    compound_ids = set()
    if meeting.compound_id:
        compound_ids.add(meeting.compound_id)
    compound_ids |= set(
        meeting.agenda_items.filter(issue__compound__isnull=False).values_list(
            "issue__compound", flat=True
        )
    )
    if not compound_ids:
        return
    roles = {
        Organization.Kind.PROPERTY: ParticipantRole.PROPERTY,
        Organization.Kind.OWNERS_COMMITTEE: ParticipantRole.OWNERS_COMMITTEE,
    }
    organizations = (
        Organization.objects.filter(
            archived_at__isnull=True, kind__in=list(roles), compounds__in=compound_ids
        )
        .distinct()
        .prefetch_related("contacts")
    )
    for organization in organizations:
        for contact in organization.contacts.all():
            if contact.archived_at is None:
                yield Proposal(
                    role=roles[organization.kind],
                    name=contact.name,
                    contact=contact,
                    organization_name=organization.name,
                    reason=_("Serves the compound"),
                )


def _grid_representatives(meeting):
    from communities.models import Resident

    grid_ids = set()
    if meeting.grid_id:
        grid_ids.add(meeting.grid_id)
    grid_ids |= set(
        meeting.agenda_items.filter(issue__grid__isnull=False).values_list("issue__grid", flat=True)
    )
    if not grid_ids:
        return
    from django.db.models import Q

    residents = Resident.objects.filter(archived_at__isnull=True, grid__in=grid_ids).filter(
        Q(is_representative=True) | Q(is_supervisor=True)
    )
    for resident in residents:
        role = (
            ParticipantRole.SUPERVISOR if resident.is_supervisor else ParticipantRole.REPRESENTATIVE
        )
        yield Proposal(
            role=role,
            name=resident.name,
            resident=resident,
            reason=_("Resident representative or supervisor of the grid"),
        )


for _builtin in (_dispute_parties, _compound_organizations, _grid_representatives):
    register_invitee_source(_builtin)


def proposed_invitees(meeting) -> list[Proposal]:
    """Everyone the agenda suggests inviting who is not yet a participant, once each."""
    taken = set()
    for user_id, resident_id, contact_id in meeting.participants.values_list(
        "user", "resident", "contact"
    ):
        if user_id:
            taken.add(("user", user_id))
        if resident_id:
            taken.add(("resident", resident_id))
        if contact_id:
            taken.add(("contact", contact_id))
    proposals = []
    for source in _SOURCES:
        for proposal in source(meeting) or ():
            if proposal.key not in taken:
                taken.add(proposal.key)
                proposals.append(proposal)
    return proposals
