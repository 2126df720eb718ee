"""What a grid worker's phone keeps to walk a patrol without signal (the field page,
issues.field_views): their grids, the compounds and buildings of those grids, the households
with the residents living there, the categories, and the patrols they are walking now with
what was already recorded on them. Read in a constant number of queries."""

from django.db.models import Prefetch, Q

from access.issues import households_visitable_by
from communities.models import Compound, Resident

from .maps import place_of
from .models import Patrol, PatrolFinding


def field_compounds(grids):
    """The compounds the grids cover, directly or through their buildings."""
    return (
        Compound.objects.filter(
            Q(grids__in=grids) | Q(buildings__grids__in=grids), archived_at__isnull=True
        )
        .distinct()
        .order_by("name", "pk")
    )


def field_households(user):
    """The households the worker visits (those with a resident in their grids), each with its place and its residents
    (archived ones left out), ordered as they stand: compound, building, unit, room."""
    residents = Resident.objects.filter(archived_at__isnull=True).only(
        "pk", "name", "household_id", *Resident.SPECIAL_GROUP_FIELDS
    )
    return (
        households_visitable_by(user)
        .select_related("unit__building__compound", "compound")
        .prefetch_related(Prefetch("residents", queryset=residents.order_by("name", "pk")))
        .order_by("compound__name", "unit__building__name", "unit__name", "room", "pk")
    )


def household_choices(households) -> list:
    """The households as <optgroup>s of their compound, for the visit form's select."""
    groups: dict[str, list] = {}
    for household in households:
        compound = household.compound.name if household.compound_id else ""
        label = str(household)
        if compound and label.startswith(compound):
            label = label[len(compound) :] or label
        groups.setdefault(compound, []).append((household.pk, label))
    return list(groups.items())


def running_patrols(user):
    """The patrols the worker is walking now, with their findings (two queries)."""
    findings = PatrolFinding.objects.select_related("compound", "building", "issue").only(
        "pk",
        "patrol_id",
        "text",
        "found_at",
        "place_text",
        "photo",
        "client_id",
        "compound__name",
        "building__name",
        "issue__id",
        "issue__title",
    )
    return list(
        Patrol.objects.filter(worker=user, ended_at__isnull=True)
        .select_related("grid")
        .prefetch_related(Prefetch("findings", queryset=findings.order_by("found_at", "pk")))
        .order_by("-started_at", "-pk")
    )


def field_data(user, *, grids, households, patrols) -> dict:
    """The page's data for its script (json_script): households with their residents, and
    the running patrols with their findings, as plain values."""
    return {
        "user": user.pk,
        "households": {
            str(h.pk): {
                "label": str(h),
                "residents": [
                    {"id": r.pk, "name": r.name, "special": r.is_special_group}
                    for r in h.residents.all()
                ],
            }
            for h in households
        },
        "grids": {str(g.pk): g.name for g in grids},
        "running": [
            {
                "client_id": str(p.client_id),
                "grid": p.grid_id,
                "grid_name": p.grid.name,
                "started_at": p.started_at.isoformat(),
                "route_notes": p.route_notes,
                "url": p.get_absolute_url(),
                "findings": [
                    {
                        "client_id": str(f.client_id) if f.client_id else f"server-{f.pk}",
                        "text": f.text,
                        "found_at": f.found_at.isoformat(),
                        "place": place_of(f),
                        "photo": f.photo.url if f.photo else "",
                        "issue": {"id": f.issue.pk, "title": f.issue.title} if f.issue_id else None,
                    }
                    for f in p.findings.all()
                ],
            }
            for p in patrols
        ],
    }
