"""Every write to places and people goes through these functions (keyword-only, with an
actor), inside a transaction, with an audit record for residents and organizations. Each
checks its actor against the rules of access.communities and refuses (DomainError) what
the actor may not do."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.communities import (
    can_add_resident_in,
    can_create_organization_for,
    can_edit_organization,
    can_edit_resident,
    can_manage_community,
)
from core import audit
from core.models import AuditEntry
from lib import geo
from lib.errors import DomainError, StaleEdit

from .models import (
    AgreementEntry,
    Building,
    CoBuildingAgreement,
    Community,
    Compound,
    Grid,
    Household,
    Organization,
    OrganizationContact,
    Resident,
    Shop,
    Street,
    Unit,
    Venue,
)

RESIDENT_FIELDS = (
    "household",
    "name",
    "gender",
    "birth_date",
    "phone",
    "id_number",
    "is_party_member",
    "is_representative",
    "is_supervisor",
    "is_elderly_alone",
    "is_disabled",
    "is_low_income",
    "is_very_old",
    "volunteer_skills",
    "notes",
)
ORGANIZATION_FIELDS = ("kind", "name", "phone", "address", "notes")


def _deny(message=None):
    raise DomainError(message or _("You may not do this."))


def _require_manager(actor, community_id):
    """Places, grids, shops and agreements are kept by the community's staff."""
    if not can_manage_community(actor, community_id):
        _deny()


def _full_clean(instance, exclude=()):
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=True)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from None


def grid_for_household(household):
    """The grid covering a household: a grid naming its building wins over one naming its
    compound."""
    if household is None:
        return None
    if household.unit_id:
        grid = (
            Grid.objects.filter(buildings=household.unit.building_id, archived_at__isnull=True)
            .order_by("code")
            .first()
        )
        if grid:
            return grid
    compound_id = household.compound_id or (
        household.unit.building.compound_id if household.unit_id else None
    )
    if compound_id:
        return (
            Grid.objects.filter(compounds=compound_id, archived_at__isnull=True)
            .order_by("code")
            .first()
        )
    return None


def _check_household(community, household):
    if household is not None and household.community_id != community.pk:
        raise DomainError(_("The household is in another community."), field="household")


# Residents ------------------------------------------------------------------------------


@transaction.atomic
def resident_create(*, actor, community, note="", **values) -> Resident:
    unknown = set(values) - set(RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    resident = Resident(community=community, **values)
    _check_household(community, resident.household)
    resident.id_number = (resident.id_number or "").upper()
    resident.grid = grid_for_household(resident.household)
    if not can_add_resident_in(actor, community.pk, resident.grid_id):
        _deny()
    _full_clean(resident, exclude=["grid"])
    _check_duplicate_id(resident)
    resident.save()
    audit.record(actor=actor, obj=resident, action=AuditEntry.Action.CREATE, note=note)
    return resident


def _check_duplicate_id(resident):
    if resident.id_number:
        clash = Resident.objects.filter(
            community=resident.community_id, id_number=resident.id_number
        ).exclude(pk=resident.pk)
        if clash.exists():
            raise DomainError(
                _("Another resident of this community has this ID number."), field="id_number"
            )


@transaction.atomic
def resident_update(*, actor, resident, version=None, note="", **values) -> Resident:
    """Change a resident. With `version`, refuse (StaleEdit) when someone saved since."""
    unknown = set(values) - set(RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    if not can_edit_resident(actor, locked):
        _deny()
    if version is not None and int(version) != locked.version:
        raise StaleEdit(
            _("Someone else changed this resident while you were editing. Reload and try again.")
        )
    before = audit.snapshot(locked, [*list(RESIDENT_FIELDS), "grid"])
    for name, value in values.items():
        setattr(locked, name, value)
    locked.id_number = (locked.id_number or "").upper()
    _check_household(locked.community, locked.household)
    if "household" in values:
        locked.grid = grid_for_household(locked.household)
    _full_clean(locked, exclude=["grid"])
    _check_duplicate_id(locked)
    changes = audit.diff(before, locked)
    if changes:
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor, obj=locked, action=AuditEntry.Action.UPDATE, changes=changes, note=note
        )
    return locked


def _set_archived(obj, *, archived: bool):
    """Lock the row and archive or restore it; returns the row and whether it changed.
    On versioned records (residents, organizations) this counts as an edit, so a form
    opened before it is refused as stale."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if (locked.archived_at is not None) == archived:
        return locked, False
    locked.archived_at = timezone.now() if archived else None
    fields = ["archived_at"]
    if hasattr(locked, "version"):
        locked.version += 1
        fields += ["version", "updated_at"]
    locked.save(update_fields=fields)
    return locked, True


def _archive_audited(obj, *, actor, archived: bool):
    locked, changed = _set_archived(obj, archived=archived)
    if changed:
        action = AuditEntry.Action.ARCHIVE if archived else AuditEntry.Action.RESTORE
        audit.record(actor=actor, obj=locked, action=action)
    return locked


@transaction.atomic
def resident_archive(*, actor, resident) -> Resident:
    if not can_edit_resident(actor, resident):
        _deny()
    return _archive_audited(resident, actor=actor, archived=True)


@transaction.atomic
def resident_restore(*, actor, resident) -> Resident:
    if not can_edit_resident(actor, resident):
        _deny()
    return _archive_audited(resident, actor=actor, archived=False)


# Organizations --------------------------------------------------------------------------


@transaction.atomic
def organization_create(*, actor, communities, compounds=(), note="", **values) -> Organization:
    unknown = set(values) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organization fields: {sorted(unknown)}")
    if not communities:
        raise DomainError(_("Choose at least one community served."), field="communities")
    if not can_create_organization_for(actor, [community.pk for community in communities]):
        _deny()
    organization = Organization(**values)
    _full_clean(organization)
    organization.save()
    organization.communities.set(communities)
    organization.compounds.set(compounds)
    audit.record(actor=actor, obj=organization, action=AuditEntry.Action.CREATE, note=note)
    return organization


@transaction.atomic
def organization_update(
    *, actor, organization, version=None, communities=None, compounds=None, note="", **values
) -> Organization:
    unknown = set(values) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organization fields: {sorted(unknown)}")
    # On the caller's row: the accessor read its communities with it (no second query).
    if not can_edit_organization(actor, organization):
        _deny()
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    if version is not None and int(version) != locked.version:
        raise StaleEdit(
            _(
                "Someone else changed this organization while you were editing. "
                "Reload and try again."
            )
        )
    before = audit.snapshot(locked, list(ORGANIZATION_FIELDS))
    for name, value in values.items():
        setattr(locked, name, value)
    _full_clean(locked)
    changes = audit.diff(before, locked)
    if communities is not None:
        if not communities:
            raise DomainError(_("Choose at least one community served."), field="communities")
        _set_related(locked, "communities", communities, changes)
    if compounds is not None:
        _set_related(locked, "compounds", compounds, changes)
    if changes:
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor, obj=locked, action=AuditEntry.Action.UPDATE, changes=changes, note=note
        )
    return locked


def _set_related(obj, name, values, changes):
    """Replace a many-to-many set, noting the change for the audit trail as displayed names."""
    old = sorted(str(v) for v in getattr(obj, name).all())
    new = sorted(str(v) for v in values)
    if old != new:
        changes[name] = ["、".join(old), "、".join(new)]
        getattr(obj, name).set(values)


@transaction.atomic
def organization_archive(*, actor, organization) -> Organization:
    if not can_edit_organization(actor, organization):
        _deny()
    return _archive_audited(organization, actor=actor, archived=True)


@transaction.atomic
def organization_restore(*, actor, organization) -> Organization:
    if not can_edit_organization(actor, organization):
        _deny()
    return _archive_audited(organization, actor=actor, archived=False)


@transaction.atomic
def contact_save(
    *, actor, organization, contact=None, name, position="", phone=""
) -> OrganizationContact:
    """Add a contact to an organization, or change one (`contact`)."""
    if not can_edit_organization(actor, organization):
        _deny()
    if contact is None:
        contact = OrganizationContact(organization=organization)
        action = AuditEntry.Action.CREATE
    else:
        contact = OrganizationContact.objects.select_for_update().get(
            pk=contact.pk, organization=organization
        )
        action = AuditEntry.Action.UPDATE
    before = audit.snapshot(contact, ["name", "position", "phone"]) if contact.pk else None
    contact.name, contact.position, contact.phone = name, position, phone
    _full_clean(contact)
    contact.save()
    changes = audit.diff(before, contact) if before else {}
    audit.record(
        actor=actor,
        obj=organization,
        action=action,
        changes=changes,
        note=_("Contact %(name)s") % {"name": contact.name},
    )
    return contact


@transaction.atomic
def contact_archive(*, actor, contact) -> OrganizationContact:
    if not can_edit_organization(actor, contact.organization):
        _deny()
    contact, changed = _set_archived(contact, archived=True)
    if changed:
        audit.record(
            actor=actor,
            obj=contact.organization,
            action=AuditEntry.Action.ARCHIVE,
            note=_("Contact %(name)s") % {"name": contact.name},
        )
    return contact


# Places ---------------------------------------------------------------------------------


def _save_simple(instance, values):
    for name, value in values.items():
        setattr(instance, name, value)
    _full_clean(instance)
    instance.save()
    return instance


def _clean_position(values):
    """Coordinates (WGS-84) set together or not at all, rounded as stored."""
    lat, lng = values.get("latitude"), values.get("longitude")
    if (lat is None) != (lng is None):
        raise DomainError(
            _("Give both the latitude and the longitude, or neither."),
            field="longitude" if lng is None else "latitude",
        )
    if lat is not None:
        if not geo.valid_point(lat, lng):
            raise DomainError(_("This is not a position on the earth."), field="latitude")
        values["latitude"], values["longitude"] = geo.quantize(lat), geo.quantize(lng)


OUTLINE_ERRORS = {
    "type": gettext_lazy("Draw the outline as a polygon."),
    "ring": gettext_lazy("An outline needs at least three different corners."),
    "point": gettext_lazy("A corner of the outline is not a position on the earth."),
    "size": gettext_lazy("An outline may have at most 500 corners."),
}


def clean_outline(value):
    """A compound's outline as stored (lib.geo.clean_polygon), or DomainError naming why."""
    try:
        return geo.clean_polygon(value)
    except geo.PolygonError as error:
        raise DomainError(str(OUTLINE_ERRORS[error.reason]), field="outline") from None


@transaction.atomic
def compound_save(*, actor, community, compound=None, **values) -> Compound:
    """Create or change a compound of the community. Its position and outline (WGS-84) are
    checked here; an outline without a point places the compound at the outline's centre."""
    _require_manager(actor, community.pk)
    if compound is None:
        compound = Compound(community=community)
    else:
        compound = Compound.objects.select_for_update().get(pk=compound.pk, community=community)
    if "outline" in values:
        values["outline"] = clean_outline(values["outline"])
        if values["outline"] and values.get("latitude") is None and values.get("longitude") is None:
            values["latitude"], values["longitude"] = geo.polygon_centre(values["outline"])
    _clean_position(values)
    return _save_simple(compound, values)


@transaction.atomic
def building_save(*, actor, compound, building=None, **values) -> Building:
    _require_manager(actor, compound.community_id)
    if building is None:
        building = Building(compound=compound)
    else:
        building = Building.objects.select_for_update().get(pk=building.pk)
    for field in ("head",):
        head = values.get(field)
        if head is not None and head.community_id != compound.community_id:
            raise DomainError(_("Choose a resident of this community."), field=field)
    _clean_position(values)
    return _save_simple(building, values)


@transaction.atomic
def unit_save(*, actor, building, unit=None, **values) -> Unit:
    _require_manager(actor, building.compound.community_id)
    if unit is None:
        unit = Unit(building=building)
    else:
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
    head = values.get("head")
    if head is not None and head.community_id != building.compound.community_id:
        raise DomainError(_("Choose a resident of this community."), field="head")
    return _save_simple(unit, values)


@transaction.atomic
def household_save(*, actor, community, household=None, **values) -> Household:
    _require_manager(actor, community.pk)
    if household is None:
        household = Household(community=community)
    else:
        household = Household.objects.select_for_update().get(pk=household.pk)
    unit = values.get("unit")
    compound = values.get("compound")
    if unit is not None:
        if compound is not None and unit.building.compound_id != compound.pk:
            raise DomainError(_("The unit is not in this compound."), field="unit")
        values["compound"] = unit.building.compound
    chosen = values.get("compound")
    if chosen is not None and chosen.community_id != community.pk:
        raise DomainError(_("The compound is in another community."), field="compound")
    household = _save_simple(household, values)
    # Its residents follow the household into the right grid.
    grid = grid_for_household(household)
    Resident.objects.filter(household=household).exclude(grid=grid.pk if grid else None).update(
        grid=grid
    )
    return household


@transaction.atomic
def grid_save(*, actor, community, grid=None, compounds=(), buildings=(), **values) -> Grid:
    _require_manager(actor, community.pk)
    if grid is None:
        grid = Grid(community=community)
    else:
        grid = Grid.objects.select_for_update().get(pk=grid.pk, community=community)
    if any(c.community_id != community.pk for c in compounds):
        raise DomainError(_("The compound is in another community."), field="compounds")
    if any(b.compound.community_id != community.pk for b in buildings):
        raise DomainError(_("The building is in another community."), field="buildings")
    code = values.get("code", grid.code)
    if code and not code.startswith(community.area_code):
        raise DomainError(
            _("A grid code starts with the community's area code %(code)s.")
            % {"code": community.area_code},
            field="code",
        )
    leader = values.get("party_leader")
    if leader is not None and leader.community_id != community.pk:
        raise DomainError(_("Choose a resident of this community."), field="party_leader")
    grid = _save_simple(grid, values)
    grid.compounds.set(compounds)
    grid.buildings.set(buildings)
    regrid_residents(community=community)
    return grid


def regrid_residents(*, community):
    """Put every resident of a community with a household into the grid covering it,
    after the grids' coverage changed. Runs a few queries per household group."""
    households = Household.objects.filter(community=community).select_related("unit__building")
    by_building = {}
    for grid_id, building_id in (
        Grid.objects.filter(community=community, archived_at__isnull=True, buildings__isnull=False)
        .order_by("-code")
        .values_list("pk", "buildings")
    ):
        by_building[building_id] = grid_id
    by_compound = {}
    for grid_id, compound_id in (
        Grid.objects.filter(community=community, archived_at__isnull=True, compounds__isnull=False)
        .order_by("-code")
        .values_list("pk", "compounds")
    ):
        by_compound[compound_id] = grid_id
    targets = {}
    for household in households:
        grid_id = None
        if household.unit_id:
            grid_id = by_building.get(household.unit.building_id)
            grid_id = grid_id or by_compound.get(household.unit.building.compound_id)
        elif household.compound_id:
            grid_id = by_compound.get(household.compound_id)
        targets.setdefault(grid_id, []).append(household.pk)
    for grid_id, household_ids in targets.items():
        Resident.objects.filter(household__in=household_ids).exclude(grid=grid_id).update(
            grid=grid_id
        ) if grid_id else Resident.objects.filter(
            household__in=household_ids, grid__isnull=False
        ).update(grid=None)


@transaction.atomic
def grid_archive(*, actor, grid) -> Grid:
    _require_manager(actor, grid.community_id)
    grid, changed = _set_archived(grid, archived=True)
    if changed:
        regrid_residents(community=grid.community)
    return grid


@transaction.atomic
def shop_save(*, actor, community, shop=None, **values) -> Shop:
    _require_manager(actor, community.pk)
    if shop is None:
        shop = Shop(community=community)
    else:
        shop = Shop.objects.select_for_update().get(pk=shop.pk, community=community)
    compound = values.get("compound")
    if compound is not None and compound.community_id != community.pk:
        raise DomainError(_("The compound is in another community."), field="compound")
    merchant = values.get("merchant")
    if merchant is not None and merchant.kind != Organization.Kind.MERCHANT:
        raise DomainError(_("Choose an organization of the kind merchant."), field="merchant")
    return _save_simple(shop, values)


@transaction.atomic
def shop_archive(*, actor, shop) -> Shop:
    _require_manager(actor, shop.community_id)
    return _set_archived(shop, archived=True)[0]


@transaction.atomic
def agreement_save(*, actor, community, agreement=None, **values) -> CoBuildingAgreement:
    _require_manager(actor, community.pk)
    if agreement is None:
        agreement = CoBuildingAgreement(community=community)
    else:
        agreement = CoBuildingAgreement.objects.select_for_update().get(
            pk=agreement.pk, community=community
        )
    organization = values.get("organization")
    if organization is not None and not organization.communities.filter(pk=community.pk).exists():
        raise DomainError(
            _("The organization does not serve this community."), field="organization"
        )
    valid_until, signed_on = values.get("valid_until"), values.get("signed_on")
    if valid_until and signed_on and valid_until < signed_on:
        raise DomainError(_("An agreement ends after it is signed."), field="valid_until")
    is_new = agreement.pk is None
    agreement = _save_simple(agreement, values)
    audit.record(
        actor=actor,
        obj=agreement,
        action=AuditEntry.Action.CREATE if is_new else AuditEntry.Action.UPDATE,
    )
    return agreement


@transaction.atomic
def agreement_entry_save(*, actor, agreement, entry=None, **values) -> AgreementEntry:
    _require_manager(actor, agreement.community_id)
    if entry is None:
        entry = AgreementEntry(agreement=agreement)
    else:
        entry = AgreementEntry.objects.select_for_update().get(pk=entry.pk, agreement=agreement)
    return _save_simple(entry, values)


@transaction.atomic
def agreement_archive(*, actor, agreement) -> CoBuildingAgreement:
    _require_manager(actor, agreement.community_id)
    return _archive_audited(agreement, actor=actor, archived=True)


def find_resident(*, community, id_number="", name="", household=None, phone=""):
    """The resident a spreadsheet row means: by ID number, else by household + name + phone
    (the issue's natural key), else by household + name."""
    residents = Resident.objects.filter(community=community)
    if id_number:
        found = residents.filter(id_number=id_number.upper()).first()
        if found:
            return found
    if name and household is not None:
        found = residents.filter(Q(household=household, name=name, phone=phone)).first()
        if found:
            return found
        candidates = list(residents.filter(household=household, name=name)[:2])
        if len(candidates) == 1:
            return candidates[0]
    return None


# Venues (议事场所) --------------------------------------------------------------------------


@transaction.atomic
def venue_save(*, actor, community, venue=None, **values) -> Venue:
    """Record or change one of the community's places of deliberation. A pavilion or
    corridor may belong to a council room of the same community (the "1+4" arrangement);
    a position is given whole (latitude and longitude, WGS-84) or not at all. Staff of
    the community do it; raises DomainError otherwise or for a rule broken."""
    _require_manager(actor, community.pk)
    if venue is None:
        venue = Venue(community=community)
    else:
        venue = Venue.objects.select_for_update().get(pk=venue.pk, community=community)
    parent = values.get("parent")
    if parent is not None:
        if parent.community_id != community.pk:
            raise DomainError(_("Choose a council room of this community."), field="parent")
        if parent.kind != Venue.Kind.COUNCIL_ROOM:
            raise DomainError(_("A place belongs to a council room."), field="parent")
        if venue.pk is not None and parent.pk == venue.pk:
            raise DomainError(_("A place cannot belong to itself."), field="parent")
        if values.get("kind") == Venue.Kind.COUNCIL_ROOM:
            raise DomainError(
                _("A council room heads its pavilions; it belongs to none."), field="parent"
            )
    compound = values.get("compound")
    if compound is not None and compound.community_id != community.pk:
        raise DomainError(_("The compound is in another community."), field="compound")
    if (values.get("latitude") is None) != (values.get("longitude") is None):
        raise DomainError(
            _("Give both latitude and longitude, or neither."),
            field="longitude" if values.get("longitude") is None else "latitude",
        )
    is_new = venue.pk is None
    venue = _save_simple(venue, values)
    audit.record(
        actor=actor,
        obj=venue,
        action=AuditEntry.Action.CREATE if is_new else AuditEntry.Action.UPDATE,
    )
    return venue


@transaction.atomic
def venue_archive(*, actor, venue) -> Venue:
    """Archive a place no longer used; meetings held there keep naming it. A council room
    with pavilions still in use is refused: archive or move them first."""
    _require_manager(actor, venue.community_id)
    if venue.children.filter(archived_at__isnull=True).exists():
        raise DomainError(_("Archive its pavilions first, or give them to another room."))
    return _archive_audited(venue, actor=actor, archived=True)


# The fixed days and periods kept on the 工作规则 pages ----------------------------------


def _quarter_months_clash(council_day, joint_day) -> bool:
    return council_day is not None and joint_day is not None and council_day == joint_day


@transaction.atomic
def community_set_fixed_days(
    *,
    actor,
    community,
    monthly_council_day: int | None,
    visit_day: int,
    joint_meeting_day: int | None,
    version=None,
) -> Community:
    """A community's fixed days (固定议事日): the monthly council, the special-group visits,
    the quarterly party-building joint meeting. A day past the end of a short month falls
    on its last day (models.day_in_month). Its head and its street's admins set them.
    Raises DomainError for a day out of 1–31 or a joint meeting on the council's day,
    StaleEdit for an old form."""
    from access.administration import can_manage_community_rules

    if not can_manage_community_rules(actor, community.pk):
        _deny()
    for field, value in (
        ("monthly_council_day", monthly_council_day),
        ("visit_day", visit_day),
        ("joint_meeting_day", joint_meeting_day),
    ):
        if value is not None and not 1 <= value <= 31:
            raise DomainError(_("A day of the month, 1 to 31."), field=field)
    if visit_day is None:
        raise DomainError(_("A day of the month, 1 to 31."), field="visit_day")
    if _quarter_months_clash(monthly_council_day, joint_meeting_day):
        raise DomainError(
            _(
                "In January, April, July and October the joint meeting would fall on the "
                "council's day (the %(day)d): choose another day for one of them."
            )
            % {"day": joint_meeting_day},
            field="joint_meeting_day",
        )
    locked = Community.objects.select_for_update().get(pk=community.pk)
    if version is not None and int(version) != locked.version:
        raise StaleEdit(
            _("Someone else changed these days while you were editing. Reload and try again.")
        )
    fields = ["monthly_council_day", "visit_day", "joint_meeting_day"]
    before = audit.snapshot(locked, fields)
    locked.monthly_council_day = monthly_council_day
    locked.visit_day = visit_day
    locked.joint_meeting_day = joint_meeting_day
    changes = audit.diff(before, locked)
    if changes:
        locked.version += 1
        locked.save(update_fields=[*fields, "version"])
        audit.record(actor=actor, obj=locked, action=AuditEntry.Action.UPDATE, changes=changes)
    return locked


# The longest publication or evaluation period a street may set.
LONGEST_PERIOD = 90


@transaction.atomic
def street_set_periods(
    *, actor, street, publication_days: int | None, evaluation_days: int | None, version=None
) -> Street:
    """A street's publication period (公示期) of resolutions and evaluation period (评议期)
    of finished work; empty: the district's defaults. Its admins set them; resolutions
    published or finished afterwards follow them."""
    from access.administration import can_manage_street_rules

    if not can_manage_street_rules(actor, street.pk):
        _deny()
    for field, value in (
        ("publication_days", publication_days),
        ("evaluation_days", evaluation_days),
    ):
        if value is not None and not 1 <= value <= LONGEST_PERIOD:
            raise DomainError(_("Between 1 and %(n)d days.") % {"n": LONGEST_PERIOD}, field=field)
    locked = Street.objects.select_for_update().get(pk=street.pk)
    if version is not None and int(version) != locked.version:
        raise StaleEdit(
            _("Someone else changed these periods while you were editing. Reload and try again.")
        )
    fields = ["publication_days", "evaluation_days"]
    before = audit.snapshot(locked, fields)
    locked.publication_days = publication_days
    locked.evaluation_days = evaluation_days
    changes = audit.diff(before, locked)
    if changes:
        locked.version += 1
        locked.save(update_fields=[*fields, "version"])
        audit.record(
            actor=actor, obj=locked, action=AuditEntry.Action.UPDATE, changes=changes, street=locked
        )
    return locked


def publication_days_of(street_id) -> int:
    from django.conf import settings

    days = Street.objects.filter(pk=street_id).values_list("publication_days", flat=True).first()
    return days or settings.YISHI["PUBLICATION_DAYS"]


def evaluation_days_of(street_id) -> int:
    from django.conf import settings

    days = Street.objects.filter(pk=street_id).values_list("evaluation_days", flat=True).first()
    return days or settings.YISHI["EVALUATION_PERIOD_DAYS"]
