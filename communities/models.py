"""Places and people: street → community → compound → building → unit → household,
grids over compounds and buildings, residents, shops and the organizations that serve
the communities. This app knows nothing of users or of the work done on these records."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lib.positions import latitude_field, longitude_field, position_constraints

area_code_validator = RegexValidator(r"^\d{12}$", _("An area code has exactly 12 digits."))
phone_validator = RegexValidator(
    r"^[0-9+\-() ]{5,20}$", _("Enter a phone number of digits, spaces, +, - or brackets.")
)


class ArchivableQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class Archivable(models.Model):
    """Records are archived, never deleted from the UI; lists leave archived rows out."""

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self):
        return self.archived_at is not None


class Street(models.Model):
    class Kind(models.TextChoices):
        STREET = "street", _("Street")
        TOWN = "town", _("Town")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STREET)
    district = models.CharField(_("district"), max_length=100, blank=True)
    code = models.CharField(
        _("area code"), max_length=12, unique=True, validators=[area_code_validator]
    )
    # The street's periods; empty: the defaults of the settings (YISHI).
    publication_days = models.PositiveSmallIntegerField(
        _("publication period (days)"),
        null=True,
        blank=True,
        help_text=_("How long a resolution stays published (公示) on the boards."),
    )
    evaluation_days = models.PositiveSmallIntegerField(
        _("evaluation period (days)"),
        null=True,
        blank=True,
        help_text=_("How long residents have to evaluate finished work before the issue closes."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Community(Archivable):
    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community")
        VILLAGE = "village", _("Village")

    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("street")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMUNITY)
    # The official 12-digit statistical area code (统计用区划代码).
    area_code = models.CharField(
        _("area code"), max_length=12, unique=True, validators=[area_code_validator]
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    # Fixed days (固定议事日). A day past the end of a short month falls on its last day
    # (communities.models.day_in_month).
    # Day of the month of the fixed monthly council (e.g. 中强巷's 左邻右舍), if any.
    monthly_council_day = models.PositiveSmallIntegerField(
        _("monthly council day"),
        null=True,
        blank=True,
        help_text=_("Day of the month (1–31) the fixed monthly council meets."),
    )
    # The monthly visits to special groups (民生社区: on the 5th).
    visit_day = models.PositiveSmallIntegerField(
        _("special-group visit day"),
        default=5,
        db_default=5,
        help_text=_("Day of the month grid workers visit the special groups."),
    )
    # The quarterly party-building joint meeting (党建联席会), in January, April, July and
    # October; empty: reminded on the first day of the quarter.
    joint_meeting_day = models.PositiveSmallIntegerField(
        _("party-building joint meeting day"),
        null=True,
        blank=True,
        help_text=_("Day of the first month of each quarter (January, April, July, October)."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["area_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_council_day__isnull=True)
                | Q(monthly_council_day__gte=1, monthly_council_day__lte=31),
                name="community_council_day_in_month",
            ),
            models.CheckConstraint(
                condition=Q(visit_day__gte=1, visit_day__lte=31),
                name="community_visit_day_in_month",
            ),
            models.CheckConstraint(
                condition=Q(joint_meeting_day__isnull=True)
                | Q(joint_meeting_day__gte=1, joint_meeting_day__lte=31),
                name="community_joint_day_in_month",
            ),
        ]

    def __str__(self):
        return self.name


def day_in_month(year: int, month: int, day: int):
    """The date of a fixed day in a month: a day the month does not have (the 31st in
    April, the 30th in February) falls on the month's last day."""
    import calendar
    from datetime import date

    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def fixed_day_falls_on(day: int | None, today) -> bool:
    """Whether a fixed day of the month (1–31) falls on `today` (see day_in_month)."""
    return day is not None and day_in_month(today.year, today.month, day) == today


class Compound(Archivable):
    """A residential compound (小区) or, in a village, a hamlet or group (村民小组)."""

    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="compounds",
        verbose_name=_("community"),
        db_index=False,
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    built_year = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    is_old_compound = models.BooleanField(
        _("old compound"),
        default=False,
        help_text=_("Old compounds (老旧小区) due for renovation."),
    )
    # Where it is (WGS-84): a point for its marker and, drawn on the map, its outline as a
    # GeoJSON Polygon (lib.geo.clean_polygon checks it in the service that saves it).
    latitude = latitude_field()
    longitude = longitude_field()
    outline = models.JSONField(_("outline"), null=True, blank=True)

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="compound_unique_name"),
            *position_constraints("compound"),
        ]

    def __str__(self):
        return self.name


class Building(models.Model):
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        related_name="buildings",
        verbose_name=_("compound"),
        db_index=False,
    )
    name = models.CharField(_("name"), max_length=50, help_text=_("For example 33号楼."))
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    # The building head (楼栋长) of the 1+2+N model is a volunteer resident.
    head = models.ForeignKey(
        "Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buildings_headed",
        verbose_name=_("building head"),
    )
    latitude = latitude_field()
    longitude = longitude_field()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["compound", "name"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "name"], name="building_unique_name"),
            *position_constraints("building"),
        ]

    def __str__(self):
        return f"{self.compound.name}{self.name}"


class Unit(models.Model):
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("building"),
        db_index=False,
    )
    name = models.CharField(_("name"), max_length=50, help_text=_("For example 5单元."))
    head = models.ForeignKey(
        "Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units_headed",
        verbose_name=_("unit head"),
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "name"]
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="unit_unique_name")
        ]

    def __str__(self):
        return f"{self.building}{self.name}"


class Household(Archivable):
    """A household (户). In a compound it sits in a unit; in a village it may have only
    an address."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="households", verbose_name=_("community")
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("compound"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("unit"),
    )
    room = models.CharField(_("room"), max_length=30, blank=True, help_text=_("For example 501."))
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["community", "compound", "unit", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "room"],
                condition=Q(unit__isnull=False),
                name="household_unique_room_in_unit",
            )
        ]

    def __str__(self):
        if self.unit_id:
            return f"{self.unit}{self.room}"
        return self.address or self.room


class Grid(Archivable):
    """A grid (网格): part of a community with one full-time grid worker (网格长) and
    volunteer building and unit heads. Grid workers are users whose scope names the grid."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="grids", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("grid code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^\d{12,19}$", _("A grid code has 12 to 19 digits."))],
        help_text=_("The community's 12-digit area code followed by the grid number."),
    )
    compounds = models.ManyToManyField(
        Compound, blank=True, related_name="grids", verbose_name=_("compounds")
    )
    buildings = models.ManyToManyField(
        Building,
        blank=True,
        related_name="grids",
        verbose_name=_("buildings"),
        help_text=_("Only where a grid covers part of a compound."),
    )
    # The "2" of 1+2+N: the party group leader of the grid, a resident.
    party_leader = models.ForeignKey(
        "Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grids_led",
        verbose_name=_("party group leader"),
    )

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Resident(Archivable):
    class Gender(models.TextChoices):
        FEMALE = "f", _("Female")
        MALE = "m", _("Male")

    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("community"),
        db_index=False,
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("household"),
        db_index=False,
    )
    # Denormalised from the household so grid lists and scoping need no joins through
    # compound and building; set by the service that saves a resident.
    grid = models.ForeignKey(
        Grid,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("grid"),
        db_index=False,
    )
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    id_number = models.CharField(
        _("ID number"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^\d{17}[\dXx]$", _("An ID number has 18 characters."))],
    )
    # Tags that drive work.
    is_party_member = models.BooleanField(_("party member"), default=False)
    is_representative = models.BooleanField(_("resident representative"), default=False)
    is_supervisor = models.BooleanField(
        _("supervision committee member"),
        default=False,
        help_text=_(
            "Members of the residents' supervision committee (居监会) confirm work on site."
        ),
    )
    is_elderly_alone = models.BooleanField(_("elderly living alone"), default=False)
    is_disabled = models.BooleanField(_("disabled"), default=False)
    is_low_income = models.BooleanField(_("low-income"), default=False)
    is_very_old = models.BooleanField(_("very old"), default=False)
    volunteer_skills = models.CharField(
        _("volunteer skills"),
        max_length=200,
        blank=True,
        help_text=_("For example: retired doctor, plumbing, calligraphy."),
    )
    notes = models.TextField(_("notes"), blank=True)
    # Optimistic locking: the edit form carries the version it was loaded at.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    SPECIAL_GROUP_FIELDS = ("is_elderly_alone", "is_disabled", "is_low_income", "is_very_old")

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["community", "name"]
        indexes = [
            models.Index(fields=["community", "name"], name="resident_community_name"),
            models.Index(fields=["grid", "name"], name="resident_grid_name"),
            models.Index(fields=["household", "name", "phone"], name="resident_natural_key"),
            models.Index(fields=["community", "id_number"], name="resident_id_number"),
            *[
                models.Index(
                    fields=["community", "name"],
                    condition=Q(**{tag: True}),
                    name=f"resident_{tag[3:]}"[:30],
                )
                for tag in (
                    "is_party_member",
                    "is_representative",
                    "is_supervisor",
                    "is_elderly_alone",
                    "is_disabled",
                    "is_low_income",
                    "is_very_old",
                )
            ],
        ]

    def __str__(self):
        return self.name

    @property
    def is_special_group(self):
        return any(getattr(self, field) for field in self.SPECIAL_GROUP_FIELDS)

    @property
    def special_groups(self):
        return [
            self._meta.get_field(field).verbose_name
            for field in self.SPECIAL_GROUP_FIELDS
            if getattr(self, field)
        ]


class Organization(Archivable):
    class Kind(models.TextChoices):
        PROPERTY = "property", _("Property company")
        OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
        POLICE = "police", _("Police station")
        LEGAL = "legal", _("Legal service")
        LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
        GOVERNMENT = "government", _("Government department")
        CO_BUILDING = "co_building", _("Co-building unit")
        MERCHANT = "merchant", _("Merchant")
        SOCIAL = "social", _("Social organization")
        CPPCC_NPC = "cppcc_npc", _("CPPCC member / NPC deputy")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    address = models.CharField(_("address"), max_length=200, blank=True)
    communities = models.ManyToManyField(
        Community,
        related_name="organizations",
        verbose_name=_("communities served"),
    )
    compounds = models.ManyToManyField(
        Compound,
        blank=True,
        related_name="organizations",
        verbose_name=_("compounds"),
        help_text=_("For a property company or owners' committee: the compounds it manages."),
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="organization_unique_name")
        ]

    def __str__(self):
        return self.name


class OrganizationContact(Archivable):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("full name"), max_length=50)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])

    class Meta:
        verbose_name = _("organization contact")
        verbose_name_plural = _("organization contacts")
        ordering = ["organization", "name"]

    def __str__(self):
        return f"{self.name}（{self.organization.name}）"


class Shop(Archivable):
    """A shop front (商铺) in a compound or on a street, run by a merchant."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="shops", verbose_name=_("community")
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shops",
        verbose_name=_("compound"),
    )
    merchant = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shops",
        limit_choices_to={"kind": Organization.Kind.MERCHANT},
        verbose_name=_("merchant"),
    )
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=200, blank=True)
    business = models.CharField(_("business"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        ordering = ["community", "name"]

    def __str__(self):
        return self.name


class CoBuildingAgreement(Archivable):
    """A co-building agreement (共建协议书) with its three lists (一书三单)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("co-building unit"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("community"),
    )
    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("co-building agreement")
        verbose_name_plural = _("co-building agreements")
        ordering = ["-signed_on"]

    def __str__(self):
        return self.title


class AgreementEntry(models.Model):
    class ListKind(models.TextChoices):
        RESOURCE = "resource", _("Resource list")
        NEED = "need", _("Needs list")
        PROJECT = "project", _("Project list")

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    agreement = models.ForeignKey(
        CoBuildingAgreement,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("agreement"),
    )
    list_kind = models.CharField(_("list"), max_length=10, choices=ListKind.choices)
    description = models.CharField(_("description"), max_length=300)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        verbose_name = _("agreement entry")
        verbose_name_plural = _("agreement entries")
        ordering = ["agreement", "list_kind", "pk"]

    def __str__(self):
        return self.description


class Venue(Archivable):
    """A place where a community deliberates (议事场所): its council room, the pavilions and
    corridors in the compounds, the staff home, the property company's office. The "1+4"
    arrangement of a community is one council room with four pavilions under it: each
    pavilion names the room as its `parent`."""

    class Kind(models.TextChoices):
        COUNCIL_ROOM = "council_room", _("Council room")
        PAVILION = "pavilion", _("Deliberation pavilion")
        CORRIDOR = "corridor", _("Deliberation corridor")
        STAFF_HOME = "staff_home", _("Staff home")
        PROPERTY_OFFICE = "property_office", _("Property company office")
        OTHER = "other", _("Other place")

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="venues", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("belongs to"),
        help_text=_("For a pavilion or corridor: the council room it belongs to (1+4)."),
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="venues",
        verbose_name=_("compound"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(
        pgettext_lazy("seats", "capacity"),
        null=True,
        blank=True,
        help_text=_("How many people it seats."),
    )
    # WGS-84, as a phone's GPS gives it (not the GCJ-02 of commercial maps).
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="venue_unique_name"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="venue_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="venue_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name
