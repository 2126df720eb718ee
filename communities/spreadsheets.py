"""Spreadsheet import and export of residents and organizations (.xlsx, and .csv for import).

An import reads every row, validates it, and either writes the whole file in one transaction
or writes nothing and returns a per-row report (row, column, reason). Importing the same file
again changes nothing: a resident is matched by ID number, else by household + name (+ phone);
an organization by kind + name.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from core.models import AuditEntry
from lib import versions
from lib.archives import is_bomb
from lib.xlsx import Sheet, workbook_bytes

from .models import (
    Building,
    Compound,
    Grid,
    Household,
    Organization,
    OrganizationContact,
    Resident,
    Unit,
)

MAX_ROWS = 20000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# (key, header) — headers are Chinese whatever the UI language: the files are shared with
# offices that keep them in Chinese.
RESIDENT_COLUMNS = [
    ("name", "姓名"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("phone", "手机号码"),
    ("id_number", "身份证号"),
    ("compound", "小区"),
    ("building", "楼栋"),
    ("unit", "单元"),
    ("room", "房号"),
    ("address", "地址"),
    ("is_party_member", "党员"),
    ("is_representative", "居民代表"),
    ("is_supervisor", "居监会成员"),
    ("is_elderly_alone", "独居老人"),
    ("is_disabled", "残疾人"),
    ("is_low_income", "低保户"),
    ("is_very_old", "高龄老人"),
    ("volunteer_skills", "志愿特长"),
    ("notes", "备注"),
]
RESIDENT_EXPORT_EXTRA = [("grid", "网格")]
BOOLEAN_FIELDS = [
    "is_party_member",
    "is_representative",
    "is_supervisor",
    "is_elderly_alone",
    "is_disabled",
    "is_low_income",
    "is_very_old",
]
ORGANIZATION_COLUMNS = [
    ("name", "名称"),
    ("kind", "类型"),
    ("phone", "电话"),
    ("address", "地址"),
    ("notes", "备注"),
    ("contact_name", "联系人"),
    ("contact_position", "联系人职务"),
    ("contact_phone", "联系人电话"),
]
TRUE_WORDS = {"是", "√", "✓", "y", "yes", "true", "1", "有"}
FALSE_WORDS = {"", "否", "×", "n", "no", "false", "0", "无"}
GENDERS = {"男": "m", "女": "f", "m": "m", "f": "f"}


@dataclass
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportResult:
    created: list = field(default_factory=list)  # (row, label)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # RowError
    total: int = 0

    @property
    def ok(self):
        return not self.errors


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


# Reading ---------------------------------------------------------------------------------


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return str(value).strip()


def read_rows(uploaded, columns):
    """[(row_number, {key: value})] from an .xlsx or .csv upload with the given headers."""
    name = (getattr(uploaded, "name", "") or "").lower()
    if (getattr(uploaded, "size", 0) or 0) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("The file is larger than 10 MB."))
    data = uploaded.read()
    if name.endswith(".csv"):
        text = None
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            raise ImportFileError(_("The file is neither UTF-8 nor GB18030 text."))
        rows = list(csv.reader(io.StringIO(text)))
    elif name.endswith(".xlsx"):
        if is_bomb(data):
            raise ImportFileError(
                _("The spreadsheet unpacks to more than 100 MB. Split it into smaller files.")
            )
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a bad file
            raise ImportFileError(_("The file is not a readable .xlsx spreadsheet.")) from None
        sheet = workbook.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        workbook.close()
    else:
        raise ImportFileError(_("Upload an .xlsx or .csv file."))
    if not rows:
        raise ImportFileError(_("The file is empty."))
    headers = [str(h or "").strip().rstrip("*") for h in rows[0]]
    by_header = {header: key for key, header in columns}
    positions = {}
    for index, header in enumerate(headers):
        if header in by_header:
            positions[by_header[header]] = index
    if columns[0][0] not in positions:
        raise ImportFileError(
            _("The first row must hold the template's headers; the column %(header)s is missing.")
            % {"header": columns[0][1]}
        )
    result = []
    for number, raw in enumerate(rows[1:], start=2):
        values = {
            key: _cell(raw[index]) if index < len(raw) else "" for key, index in positions.items()
        }
        if all(v == "" for v in values.values()):
            continue
        result.append((number, values))
    if len(result) > MAX_ROWS:
        raise ImportFileError(_("A file may hold at most %(count)d rows.") % {"count": MAX_ROWS})
    return result


def _bool(value):
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError


def _date(value):
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    if not text:
        return None
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return datetime.date.fromisoformat(text)


# Residents -------------------------------------------------------------------------------


class _Places:
    """The community's compounds, buildings, units and households, loaded once, creating
    missing buildings, units and households while writing."""

    def __init__(self, community):
        self.community = community
        self.compounds = {c.name: c for c in Compound.objects.filter(community=community)}
        self.buildings = {
            (b.compound_id, b.name): b
            for b in Building.objects.filter(compound__community=community)
        }
        self.units = {
            (u.building_id, u.name): u
            for u in Unit.objects.filter(building__compound__community=community)
        }
        self.units_by_id = {u.pk: u for u in self.units.values()}
        self.buildings_by_id = {b.pk: b for b in self.buildings.values()}
        self.grid_by_building, self.grid_by_compound = {}, {}
        grids = Grid.objects.filter(community=community, archived_at__isnull=True).order_by("-code")
        for grid_id, building_id in grids.filter(buildings__isnull=False).values_list(
            "pk", "buildings"
        ):
            self.grid_by_building[building_id] = grid_id
        for grid_id, compound_id in grids.filter(compounds__isnull=False).values_list(
            "pk", "compounds"
        ):
            self.grid_by_compound[compound_id] = grid_id
        self.households_in_units = {}
        self.households_by_address = {}
        for h in Household.objects.filter(community=community):
            if h.unit_id:
                self.households_in_units[(h.unit_id, h.room)] = h
            elif h.address:
                self.households_by_address[(h.compound_id, h.address)] = h

    def grid_id(self, household):
        """The grid covering a household, as services.grid_for_household, without queries:
        a grid naming the building wins over one naming the compound; the lowest code wins."""
        if household is None:
            return None
        compound_id = household.compound_id
        if household.unit_id:
            building = self.buildings_by_id[self.units_by_id[household.unit_id].building_id]
            found = self.grid_by_building.get(building.pk)
            if found:
                return found
            compound_id = compound_id or building.compound_id
        return self.grid_by_compound.get(compound_id)

    def find(self, values, *, create):
        compound = self.compounds.get(values["compound"]) if values["compound"] else None
        if values["building"]:
            key = (compound.pk, values["building"])
            building = self.buildings.get(key)
            if building is None:
                if not create:
                    return "new"
                building = Building.objects.create(compound=compound, name=values["building"])
                self.buildings[key] = building
                self.buildings_by_id[building.pk] = building
            unit_name = values["unit"] or "1单元"
            key = (building.pk, unit_name)
            unit = self.units.get(key)
            if unit is None:
                if not create:
                    return "new"
                unit = Unit.objects.create(building=building, name=unit_name)
                self.units[key] = unit
                self.units_by_id[unit.pk] = unit
            key = (unit.pk, values["room"])
            household = self.households_in_units.get(key)
            if household is None:
                if not create:
                    return "new"
                household = Household.objects.create(
                    community=self.community, compound=compound, unit=unit, room=values["room"]
                )
                self.households_in_units[key] = household
            return household
        if values["address"]:
            key = (compound.pk if compound else None, values["address"])
            household = self.households_by_address.get(key)
            if household is None:
                if not create:
                    return "new"
                household = Household.objects.create(
                    community=self.community, compound=compound, address=values["address"]
                )
                self.households_by_address[key] = household
            return household
        return None


def _validate_resident(number, values, places, errors, seen):
    headers = dict(RESIDENT_COLUMNS)
    clean = {key: values.get(key, "") for key, _header in RESIDENT_COLUMNS}

    def error(key, reason):
        errors.append(RowError(number, headers[key], str(reason)))

    for key in (
        "name",
        "phone",
        "id_number",
        "compound",
        "building",
        "unit",
        "room",
        "address",
        "volunteer_skills",
        "notes",
    ):
        clean[key] = str(clean[key]).strip() if not isinstance(clean[key], str) else clean[key]
    if not clean["name"]:
        error("name", _("A name is required."))
    elif len(clean["name"]) > 50:
        error("name", _("At most 50 characters."))
    gender = str(clean["gender"]).strip().lower()
    if gender and gender not in GENDERS:
        error("gender", _("Write 男 or 女."))
    clean["gender"] = GENDERS.get(gender, "")
    try:
        clean["birth_date"] = _date(clean["birth_date"]) if clean["birth_date"] else None
    except ValueError:
        error("birth_date", _("Write a date like 1950-03-21."))
        clean["birth_date"] = None
    clean["id_number"] = clean["id_number"].upper()
    for key in BOOLEAN_FIELDS:
        try:
            clean[key] = _bool(clean[key])
        except ValueError:
            error(key, _("Write 是 or 否."))
            clean[key] = False
    if clean["compound"] and clean["compound"] not in places.compounds:
        error("compound", _("No compound of this name in the community."))
    if clean["building"] and not clean["compound"]:
        error("compound", _("A building needs its compound."))
    if clean["building"] and not clean["room"]:
        error("room", _("A room number is required with a building."))
    if (clean["unit"] or clean["room"]) and not clean["building"] and not clean["address"]:
        error("building", _("A unit or room needs its building."))
    probe = Resident(
        community=places.community,
        name=clean["name"] or "-",
        gender=clean["gender"],
        phone=clean["phone"],
        id_number=clean["id_number"],
        volunteer_skills=clean["volunteer_skills"],
        notes=clean["notes"],
    )
    try:
        probe.clean_fields(exclude=["community", "household", "grid", "birth_date"])
    except ValidationError as problem:
        field_to_key = {
            "phone": "phone",
            "id_number": "id_number",
            "name": "name",
            "volunteer_skills": "volunteer_skills",
            "gender": "gender",
        }
        for name, messages in problem.message_dict.items():
            error(field_to_key.get(name, "notes"), messages[0])
    if clean["id_number"]:
        if clean["id_number"] in seen:
            error(
                "id_number",
                _("The same ID number is on row %(row)d.") % {"row": seen[clean["id_number"]]},
            )
        seen[clean["id_number"]] = number
    return clean


def import_residents(*, actor, community, rows, commit) -> ImportResult:
    """Validate every row; with commit=True and no errors, write them all in one
    transaction. With commit=False (the preview) nothing is written."""
    result = ImportResult(total=len(rows))
    places = _Places(community)
    cleaned = []
    seen = {}
    for number, values in rows:
        cleaned.append((number, _validate_resident(number, values, places, result.errors, seen)))
    if result.errors:
        return result
    if not commit:
        _classify_residents(community, places, cleaned, result)
        return result
    with transaction.atomic():
        _write_residents(actor, community, cleaned, result)
    return result


def _resident_index(community):
    by_id, by_key, by_name = {}, {}, {}
    for resident in Resident.objects.filter(community=community):
        if resident.id_number:
            by_id[resident.id_number] = resident
        by_key[(resident.household_id, resident.name, resident.phone)] = resident
        by_name.setdefault((resident.household_id, resident.name), []).append(resident)
    return by_id, by_key, by_name


def _match(clean, household, index):
    by_id, by_key, by_name = index
    if clean["id_number"] and clean["id_number"] in by_id:
        return by_id[clean["id_number"]]
    household_id = household.pk if household else None
    found = by_key.get((household_id, clean["name"], clean["phone"]))
    if found:
        return found
    same_name = by_name.get((household_id, clean["name"]), [])
    if household_id and len(same_name) == 1:
        return same_name[0]
    return None


RESIDENT_WRITE_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "phone",
    "id_number",
    "volunteer_skills",
    "notes",
    *BOOLEAN_FIELDS,
]


def _changes(resident, clean, household):
    changes = {}
    for key in RESIDENT_WRITE_FIELDS:
        old, new = getattr(resident, key), clean[key]
        if key == "notes" and not new:
            continue
        if old != new:
            changes[key] = [str(old or ""), str(new or "")]
    if household is not None and resident.household_id != household.pk:
        changes["household"] = [str(resident.household or ""), str(household)]
    return changes


def _classify_residents(community, places, cleaned, result):
    index = _resident_index(community)
    for number, clean in cleaned:
        household = places.find(clean, create=False)
        if household == "new":
            result.created.append((number, clean["name"]))
            continue
        resident = _match(clean, household, index)
        if resident is None:
            result.created.append((number, clean["name"]))
        elif _changes(resident, clean, household):
            result.updated.append((number, clean["name"]))
        else:
            result.unchanged.append((number, clean["name"]))


def _write_residents(actor, community, cleaned, result):
    places = _Places(community)
    index = _resident_index(community)
    to_create, to_update, audits = [], [], []
    now = timezone.now()
    for number, clean in cleaned:
        household = places.find(clean, create=True)
        grid_key = household.pk if household else None
        grid_id = places.grid_id(household)
        resident = _match(clean, household, index)
        if resident is None:
            resident = Resident(community=community, household=household, grid_id=grid_id)
            for key in RESIDENT_WRITE_FIELDS:
                setattr(resident, key, clean[key])
            to_create.append(resident)
            if resident.id_number:
                index[0][resident.id_number] = resident
            index[1][(grid_key, resident.name, resident.phone)] = resident
            result.created.append((number, clean["name"]))
            continue
        changes = _changes(resident, clean, household)
        if not changes:
            result.unchanged.append((number, clean["name"]))
            continue
        for key in RESIDENT_WRITE_FIELDS:
            if key == "notes" and not clean[key]:
                continue
            setattr(resident, key, clean[key])
        if household is not None:
            resident.household = household
            resident.grid_id = grid_id
        resident.version += 1
        resident.updated_at = now
        to_update.append(resident)
        audits.append((resident, changes))
        result.updated.append((number, clean["name"]))
    Resident.objects.bulk_create(to_create, batch_size=1000)
    Resident.objects.bulk_update(
        to_update,
        [*RESIDENT_WRITE_FIELDS, "household", "grid", "version", "updated_at"],
        batch_size=1000,
    )
    _bulk_audit(actor, [(r, {}) for r in to_create], AuditEntry.Action.IMPORT)
    _bulk_audit(actor, audits, AuditEntry.Action.IMPORT)
    # Bulk writes send no signals: the community's pages and residents' scopes changed.
    versions.changed(versions.community(community.pk), "scopes")


def _bulk_audit(actor, pairs, action):
    if not pairs:
        return
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(pairs[0][0], for_concrete_model=True)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor if actor is not None and actor.is_authenticated else None,
                content_type=content_type,
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                action=action,
                changes=changes,
                note=_("Spreadsheet import"),
            )
            for obj, changes in pairs
        ],
        batch_size=1000,
    )


# Organizations ---------------------------------------------------------------------------


def _kind_lookup():
    lookup = {}
    for value, label in Organization.Kind.choices:
        lookup[value] = value
        lookup[str(label).lower()] = value
        with translation.override("zh-hans"):
            lookup[str(label)] = value
    return lookup


def import_organizations(*, actor, community, rows, commit) -> ImportResult:
    result = ImportResult(total=len(rows))
    headers = dict(ORGANIZATION_COLUMNS)
    kinds = _kind_lookup()
    cleaned = []
    seen = {}
    for number, values in rows:
        clean = {key: str(values.get(key, "") or "").strip() for key, _h in ORGANIZATION_COLUMNS}

        def error(key, reason, number=number):
            result.errors.append(RowError(number, headers[key], str(reason)))

        if not clean["name"]:
            error("name", _("A name is required."))
        kind = kinds.get(clean["kind"]) or kinds.get(clean["kind"].lower())
        if kind is None:
            error("kind", _("Unknown kind; use one of the template's kinds."))
        clean["kind"] = kind
        probe = Organization(
            kind=kind or "property",
            name=clean["name"] or "-",
            phone=clean["phone"],
            address=clean["address"],
        )
        try:
            probe.clean_fields(exclude=["notes"])
        except ValidationError as problem:
            for name, messages in problem.message_dict.items():
                error(name if name in headers else "name", messages[0])
        if clean["contact_phone"]:
            try:
                OrganizationContact(name="-", phone=clean["contact_phone"]).clean_fields(
                    exclude=["organization", "name", "position"]
                )
            except ValidationError as problem:
                error("contact_phone", next(iter(problem.message_dict.values()))[0])
        key = (kind, clean["name"])
        if key in seen:
            error("name", _("The same organization is on row %(row)d.") % {"row": seen[key]})
        seen[key] = number
        cleaned.append((number, clean))
    if result.errors:
        return result
    existing = {(o.kind, o.name): o for o in Organization.objects.all()}
    if not commit:
        for number, clean in cleaned:
            found = existing.get((clean["kind"], clean["name"]))
            if found is None:
                result.created.append((number, clean["name"]))
            elif (
                _org_changes(found, clean) or not found.communities.filter(pk=community.pk).exists()
            ):
                result.updated.append((number, clean["name"]))
            else:
                result.unchanged.append((number, clean["name"]))
        return result
    with transaction.atomic():
        for number, clean in cleaned:
            found = existing.get((clean["kind"], clean["name"]))
            if found is None:
                organization = Organization.objects.create(
                    kind=clean["kind"],
                    name=clean["name"],
                    phone=clean["phone"],
                    address=clean["address"],
                    notes=clean["notes"],
                )
                organization.communities.add(community)
                _bulk_audit(actor, [(organization, {})], AuditEntry.Action.IMPORT)
                result.created.append((number, clean["name"]))
            else:
                organization = Organization.objects.select_for_update().get(pk=found.pk)
                changes = _org_changes(organization, clean)
                for key, (_old, new) in changes.items():
                    setattr(organization, key, new)
                serves = organization.communities.filter(pk=community.pk).exists()
                if not serves:
                    organization.communities.add(community)
                    changes["communities"] = ["", str(community)]
                if changes:
                    organization.version += 1
                    organization.save()
                    _bulk_audit(actor, [(organization, changes)], AuditEntry.Action.IMPORT)
                    result.updated.append((number, clean["name"]))
                else:
                    result.unchanged.append((number, clean["name"]))
            if clean["contact_name"]:
                contact, made = OrganizationContact.objects.get_or_create(
                    organization=organization,
                    name=clean["contact_name"],
                    defaults={
                        "position": clean["contact_position"],
                        "phone": clean["contact_phone"],
                    },
                )
                if not made and (contact.position, contact.phone) != (
                    clean["contact_position"],
                    clean["contact_phone"],
                ):
                    contact.position = clean["contact_position"]
                    contact.phone = clean["contact_phone"]
                    contact.save(update_fields=["position", "phone"])
    return result


def _org_changes(organization, clean):
    changes = {}
    for key in ("phone", "address", "notes"):
        if clean[key] and getattr(organization, key) != clean[key]:
            changes[key] = [getattr(organization, key), clean[key]]
    return changes


# Places: the positions of compounds and buildings ----------------------------------------

PLACE_COLUMNS = [
    ("compound", "小区"),
    ("building", "楼栋"),
    ("address", "地址"),
    ("latitude", "纬度"),
    ("longitude", "经度"),
    ("datum", "坐标系"),
    ("outline", "轮廓"),
]
# How the datum may be written: the providers' names people know, and the datums'.
DATUM_WORDS = {
    "": "wgs84",
    "wgs84": "wgs84",
    "wgs-84": "wgs84",
    "gps": "wgs84",
    "天地图": "wgs84",
    "cgcs2000": "wgs84",
    "gcj02": "gcj02",
    "gcj-02": "gcj02",
    "高德": "gcj02",
    "腾讯": "gcj02",
    "火星坐标": "gcj02",
}


def _outline_cell(text):
    """An outline as a GeoJSON Polygon, or as corners "经度,纬度;经度,纬度;…"."""
    import json

    text = str(text).strip()
    if not text:
        return None
    if text.startswith("{"):
        return json.loads(text)
    corners = []
    for pair in text.replace("；", ";").replace("，", ",").split(";"):
        if pair.strip():
            lng, lat = (float(part) for part in pair.split(","))
            corners.append([lng, lat])
    return {"type": "Polygon", "coordinates": [corners]}


def _validate_place(number, values, errors):
    from lib import geo

    from .services import OUTLINE_ERRORS

    headers = dict(PLACE_COLUMNS)
    clean = {key: str(values.get(key, "") or "").strip() for key, _h in PLACE_COLUMNS}

    def error(key, reason):
        errors.append(RowError(number, headers[key], str(reason)))

    if not clean["compound"]:
        error("compound", _("A compound is required."))
    elif len(clean["compound"]) > 100:
        error("compound", _("At most 100 characters."))
    if len(clean["building"]) > 50:
        error("building", _("At most 50 characters."))
    datum = DATUM_WORDS.get(clean["datum"].lower().replace(" ", ""))
    if datum is None:
        error("datum", _("Write WGS-84 (GPS, 天地图) or GCJ-02 (高德, 腾讯)."))
        datum = "wgs84"
    convert = geo.gcj02_to_wgs84 if datum == "gcj02" else (lambda lat, lng: (lat, lng))
    lat, lng = clean["latitude"], clean["longitude"]
    clean["position"] = None
    if lat or lng:
        if not (lat and lng) or not geo.valid_point(lat, lng):
            error("latitude", _("Write both, in decimal degrees: 纬度 38.4560, 经度 106.2330."))
        else:
            w_lat, w_lng = convert(float(lat), float(lng))
            clean["position"] = (geo.quantize(w_lat), geo.quantize(w_lng))
    clean["outline_polygon"] = None
    if clean["outline"]:
        if clean["building"]:
            error("outline", _("Only a compound has an outline."))
        else:
            try:
                polygon = geo.clean_polygon(_outline_cell(clean["outline"]))
            except geo.PolygonError as problem:
                error("outline", OUTLINE_ERRORS[problem.reason])
            except (ValueError, TypeError):
                error("outline", _("Write the corners as 经度,纬度;经度,纬度;… or GeoJSON."))
            else:
                if datum == "gcj02":
                    polygon = geo.map_polygon(polygon, geo.gcj02_to_wgs84)
                clean["outline_polygon"] = polygon
                if clean["position"] is None:
                    centre = geo.polygon_centre(polygon)
                    clean["position"] = (geo.quantize(centre[0]), geo.quantize(centre[1]))
    if not (lat or lng or clean["outline"] or clean["address"]):
        error("latitude", _("Give a position, an outline or an address."))
    return clean


def import_places(*, actor, community, rows, commit) -> ImportResult:
    """Positions (and outlines, addresses) of the community's compounds and buildings: a
    row with a compound only is the compound, with a building too the building. Places
    not there yet are created. Importing the same file again changes nothing."""
    result = ImportResult(total=len(rows))
    cleaned, seen = [], {}
    for number, values in rows:
        clean = _validate_place(number, values, result.errors)
        key = (clean["compound"], clean["building"])
        if key in seen:
            result.errors.append(
                RowError(
                    number,
                    dict(PLACE_COLUMNS)["building" if clean["building"] else "compound"],
                    _("The same place is on row %(row)d.") % {"row": seen[key]},
                )
            )
        seen[key] = number
        cleaned.append((number, clean))
    if result.errors:
        return result
    imported = {"compound": [], "building": []}
    with transaction.atomic():
        compounds = {c.name: c for c in Compound.objects.filter(community=community)}
        buildings = {
            (b.compound_id, b.name): b
            for b in Building.objects.filter(compound__community=community)
        }
        # Compounds first: a building's row may name a compound another row creates.
        for number, clean in sorted(cleaned, key=lambda pair: bool(pair[1]["building"])):
            label = " ".join(part for part in (clean["compound"], clean["building"]) if part)
            compound = compounds.get(clean["compound"])
            row = {"result": result, "number": number, "label": label, "commit": commit}
            if not clean["building"]:
                compound = _place_row(
                    place=compound,
                    changes=_place_changes(compound, clean, outline=True),
                    make=lambda name=clean["compound"]: Compound(community=community, name=name),
                    imported=imported["compound"],
                    **row,
                )
                if compound is not None:
                    compounds[compound.name] = compound
                continue
            if compound is None:
                if not commit:
                    result.created.append((number, label))
                    continue
                compound = Compound.objects.create(community=community, name=clean["compound"])
                compounds[compound.name] = compound
            building = buildings.get((compound.pk, clean["building"]))
            building = _place_row(
                place=building,
                changes=_place_changes(building, clean, outline=False),
                make=lambda c=compound, name=clean["building"]: Building(compound=c, name=name),
                imported=imported["building"],
                **row,
            )
            if building is not None:
                buildings[(compound.pk, building.name)] = building
        for pairs in imported.values():
            _bulk_audit(actor, pairs, AuditEntry.Action.IMPORT)
    return result


def _place_row(*, result, number, label, commit, place, changes, make, imported):
    """Count one row's place as created, updated or unchanged and, with `commit`, write it
    (`make()` builds a new one). Returns the place, None for a new one in a preview."""
    if place is None:
        result.created.append((number, label))
        if commit:
            place = make()
            _apply_place(place, changes, imported)
    elif changes:
        result.updated.append((number, label))
        if commit:
            _apply_place(place, changes, imported)
    else:
        result.unchanged.append((number, label))
    return place


def _place_changes(place, clean, *, outline) -> dict:
    """{field: [old, new]} of what the row changes (empty cells change nothing)."""
    wanted = {}
    if clean["position"] is not None:
        wanted["latitude"], wanted["longitude"] = clean["position"]
    if outline and clean["outline_polygon"] is not None:
        wanted["outline"] = clean["outline_polygon"]
    if outline and clean["address"]:
        wanted["address"] = clean["address"]
    changes = {}
    for name, new in wanted.items():
        old = getattr(place, name, None) if place is not None else None
        if old != new:
            changes[name] = [old, new]
    return changes


def _apply_place(place, changes, imported):
    """Write the row's changes to the place; `imported` collects (place, changes) for the
    audit trail."""
    for name, (_old, new) in changes.items():
        setattr(place, name, new)
    place.full_clean(exclude=["community", "compound", "head"])
    place.save()
    trail = {
        name: ["" if old is None else str(old), str(new)] for name, (old, new) in changes.items()
    }
    imported.append((place, trail))


def places_template() -> bytes:
    with translation.override("zh-hans"):
        hint = [
            "带 * 的列必填：小区。只填小区的一行是小区本身，填了楼栋的一行是该楼栋。",
            "纬度、经度写十进制度数，如 纬度 38.4560、经度 106.2330。",
            "坐标系写 WGS-84（GPS、天地图，默认）或 GCJ-02（高德、腾讯地图取的坐标），系统统一换算为 WGS-84 保存。",
            "轮廓（仅小区）写各角点：经度,纬度;经度,纬度;…（至少三个），或 GeoJSON 多边形；未填位置时取轮廓中心。",
            "不存在的小区、楼栋会新建；同一文件再次导入不会重复，也不会改动已相同的内容。",
        ]
        headers = [h + ("*" if k == "compound" else "") for k, h in PLACE_COLUMNS]
        example = [
            "示例小区",
            "",
            "长城中路18号",
            "38.456020",
            "106.233010",
            "WGS-84",
            "106.2315,38.4550;106.2345,38.4550;106.2345,38.4571;106.2315,38.4571",
        ]
        building = ["示例小区", "1号楼", "", "38.455600", "106.232100", "WGS-84", ""]
        return _workbook("位置", headers, [example, building], hint=hint)


# Writing ---------------------------------------------------------------------------------


def _workbook(title, headers, rows, *, hint=None):
    sheets = [Sheet(title, headers, rows)]
    if hint:
        sheets.append(Sheet(str(gettext_lazy("Notes")), [], [[line] for line in hint]))
    return workbook_bytes(sheets)


def resident_template() -> bytes:
    with translation.override("zh-hans"):
        hint = [
            "带 * 的列必填：姓名。",
            "性别写 男 或 女；出生日期写 1950-03-21。",
            "小区须是本社区已有的小区；楼栋、单元、房号不存在时自动建立。",
            "是否类列写 是 或 否（留空为否）。",
            "同一身份证号，或同一户内同名同电话的居民视为同一人：再次导入会更新而不会重复。",
        ]
        headers = [h + ("*" if k == "name" else "") for k, h in RESIDENT_COLUMNS]
        example = [
            "张三",
            "男",
            "1950-03-21",
            "13800000000",
            "",
            "示例小区",
            "1号楼",
            "1单元",
            "101",
            "",
            "否",
            "否",
            "否",
            "是",
            "否",
            "否",
            "否",
            "",
            "",
        ]
        return _workbook("居民", headers, [example], hint=hint)


def organization_template() -> bytes:
    with translation.override("zh-hans"):
        kinds = "、".join(str(label) for _v, label in Organization.Kind.choices)
        hint = [
            "带 * 的列必填：名称、类型。",
            f"类型写以下之一：{kinds}。",
            "类型与名称相同的组织视为同一组织：再次导入会更新而不会重复。",
        ]
        headers = [h + ("*" if k in ("name", "kind") else "") for k, h in ORGANIZATION_COLUMNS]
        return _workbook("组织", headers, [], hint=hint)


def resident_export_rows(residents):
    """What a row of the export reads, as plain values: a community's 3,000 residents with
    their household, unit, building, compound and grid were 24,000 model instances, a third
    of the export's time (benchmarks/README.md)."""
    return residents.values(
        "pk",
        "community_id",
        "grid_id",
        "name",
        "gender",
        "birth_date",
        "phone",
        "id_number",
        *BOOLEAN_FIELDS,
        "volunteer_skills",
        "notes",
        compound_name=F("household__compound__name"),
        building_name=F("household__unit__building__name"),
        unit_name=F("household__unit__name"),
        household_room=F("household__room"),
        household_address=F("household__address"),
        grid_name=F("grid__name"),
    )


def export_residents(rows, *, numbers) -> bytes:
    """`rows` of resident_export_rows(), already scoped and filtered; `numbers(row)` gives
    (phone, id) as the exporting user may see them."""
    headers = [h for _k, h in RESIDENT_COLUMNS] + [h for _k, h in RESIDENT_EXPORT_EXTRA]
    yes, no = "是", "否"
    genders = {"m": "男", "f": "女"}
    cells = []
    for r in rows:
        phone, id_number = numbers(r)
        cells.append(
            [
                r["name"],
                genders.get(r["gender"], ""),
                r["birth_date"].isoformat() if r["birth_date"] else "",
                phone,
                id_number,
                r["compound_name"] or "",
                r["building_name"] or "",
                r["unit_name"] or "",
                r["household_room"] or "",
                r["household_address"] or "",
                *[yes if r[key] else no for key in BOOLEAN_FIELDS],
                r["volunteer_skills"],
                r["notes"],
                r["grid_name"] or "",
            ]
        )
    return _workbook("居民", headers, cells)


def export_organizations(organizations) -> bytes:
    with translation.override("zh-hans"):
        headers = [h for _k, h in ORGANIZATION_COLUMNS] + ["服务社区"]
        rows = []
        for o in organizations:
            contacts = [c for c in o.contacts.all() if c.archived_at is None]
            first = contacts[0] if contacts else None
            rows.append(
                [
                    o.name,
                    str(o.get_kind_display()),
                    o.phone,
                    o.address,
                    o.notes,
                    first.name if first else "",
                    first.position if first else "",
                    first.phone if first else "",
                    "、".join(c.name for c in o.communities.all()),
                ]
            )
        return _workbook("组织", headers, rows)
