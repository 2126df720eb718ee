"""The life of an issue (议题): intake, triage, deliberation or escalation, execution,
evaluation and closure (销号), with the timeline that records every step. Grid patrols and
household visits are how grid workers find issues."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.positions import accuracy_field, latitude_field, longitude_field, position_constraints
from lib.urls import url_by_pk


class Channel(models.TextChoices):
    GRID_PATROL = "grid_patrol", _("Grid patrol")
    VISIT = "visit", _("Door-to-door visit")
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    HOTLINE = "hotline", _("12345 hotline")
    ONLINE = "online", _("WeChat group / online")
    ON_SITE = "on_site", _("On-site proposal")
    CPPCC_NPC = "cppcc_npc", _("CPPCC/NPC referral")
    MEETING = "meeting", _("Previous meeting")


class HotlineType(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report")
    SUGGESTION = "suggestion", _("Suggestion")


class Kind(models.TextChoices):
    """The "neighbourhood tea" classification of 民生社区."""

    PUBLIC = "public", _("Public affairs")
    DISPUTE = "dispute", _("Dispute")
    SPECIAL_NEED = "special_need", _("Special-group need")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    VERY_URGENT = "very_urgent", _("Very urgent")


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    TO_DELIBERATE = "to_deliberate", _("Awaiting deliberation")
    IN_DELIBERATION = "in_deliberation", _("In deliberation")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    EXECUTING = "executing", _("Executing")
    AWAITING_EVALUATION = "awaiting_evaluation", _("Awaiting evaluation")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged")
    DEFERRED = "deferred", _("Deferred")


OPEN_STATUSES = (
    Status.REPORTED,
    Status.ACCEPTED,
    Status.TO_DELIBERATE,
    Status.IN_DELIBERATION,
    Status.ESCALATED,
    Status.RESOLVED,
    Status.EXECUTING,
    Status.AWAITING_EVALUATION,
    Status.DEFERRED,
)

# Worked on, the handling limit running (a deferred issue's clock is stopped).
HANDLING_STATUSES = tuple(s for s in OPEN_STATUSES if s not in (Status.REPORTED, Status.DEFERRED))


def overdue_q(now):
    """Past its running time limit (Issue.running_deadline), as a filter."""
    return Q(status=Status.REPORTED, accept_deadline__lt=now) | Q(
        status__in=HANDLING_STATUSES, handle_deadline__lt=now
    )


class PositionSource(models.TextChoices):
    """Where an issue's own position came from. An issue without one is placed where its
    building or compound is (issues.selectors.with_position)."""

    DEVICE = "device", _("The phone's position")
    MAP = "map", _("Set on the map")
    API = "api", _("Given by the reporting system")


class Handling(models.TextChoices):
    """How an accepted issue was triaged (for reports)."""

    ON_SPOT = "on_spot", _("Handled on the spot")
    DELIBERATION = "deliberation", _("Deliberated")
    ESCALATED = "escalated", _("Escalated")


class DeliberationLevel(models.TextChoices):
    """小事就地议、大事微网格议、难事党群议."""

    BUILDING = "building", _("Building or grid")
    COMPOUND = "compound", _("Compound")
    COMMUNITY = "community", _("Community council")


class EscalationMode(models.TextChoices):
    WHISTLE = "whistle", _("Whistle blown: departments report in")
    CADRE = "cadre", _("A cadre takes it on")
    TOWN = "town", _("Handled jointly with the town")


class LimitUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("Working hours")
    CALENDAR_DAYS = "calendar_days", _("Calendar days")


class Category(models.Model):
    """A category of issues (类别). Those without a street are the district's, shared by
    every street (seeded with the categories of the domain, kept by the superuser); a
    street admin adds categories of their own street, offered only in its communities."""

    street = models.ForeignKey(
        "communities.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="categories",
        verbose_name=_("street"),
        help_text=_("Empty: shared by every street of the district."),
    )
    name = models.CharField(_("name"), max_length=50)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    default_kind = models.CharField(
        _("default kind"), max_length=20, choices=Kind.choices, default=Kind.PUBLIC
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(street__isnull=True),
                name="category_unique_shared_name",
            ),
            models.UniqueConstraint(
                fields=["street", "name"],
                condition=Q(street__isnull=False),
                name="category_unique_street_name",
            ),
        ]

    def __str__(self):
        return self.name


class TimeLimit(models.Model):
    """Time limits (处置时限) for acceptance and handling. A row without a category is
    the district's default for its urgency; a row without a street is the district's
    limit of a category; a street's own row (always of a category) comes first for its
    communities (issues.services.time_limit_for)."""

    street = models.ForeignKey(
        "communities.Street",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="time_limits",
        verbose_name=_("street"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="time_limits",
        verbose_name=_("category"),
    )
    urgency = models.CharField(_("urgency"), max_length=15, choices=Urgency.choices)
    accept_within = models.PositiveIntegerField(_("accept within"))
    handle_within = models.PositiveIntegerField(_("handle within"))
    unit = models.CharField(
        _("time unit"), max_length=15, choices=LimitUnit.choices, default=LimitUnit.WORKING_HOURS
    )
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ["category", "urgency"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "urgency"],
                condition=Q(category__isnull=False, street__isnull=True),
                name="timelimit_unique_category_urgency",
            ),
            models.UniqueConstraint(
                fields=["street", "category", "urgency"],
                condition=Q(street__isnull=False),
                name="timelimit_unique_street_category_urgency",
            ),
            models.UniqueConstraint(
                fields=["urgency"],
                condition=Q(category__isnull=True),
                name="timelimit_unique_default_urgency",
            ),
            # A street sets the limits of categories; the defaults are the district's.
            models.CheckConstraint(
                condition=Q(street__isnull=True) | Q(category__isnull=False),
                name="timelimit_street_has_category",
            ),
        ]

    def __str__(self):
        return f"{self.category or _('Default')} · {self.get_urgency_display()}"


class Issue(models.Model):
    # community, grid, compound and reporter_resident lead composite indexes (Meta), which
    # serve their lookups too: a single-column index of each would be a copy to maintain.
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        related_name="issues",
        verbose_name=_("community"),
        db_index=False,
    )
    grid = models.ForeignKey(
        "communities.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("grid"),
        db_index=False,
    )
    # Place: the most precise of compound, building, unit, plus free text.
    compound = models.ForeignKey(
        "communities.Compound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("compound"),
        db_index=False,
    )
    building = models.ForeignKey(
        "communities.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("building"),
    )
    unit = models.ForeignKey(
        "communities.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("unit"),
    )
    place_text = models.CharField(_("place"), max_length=200, blank=True)
    # The place on one line (compound, building, unit, then what was typed), written by
    # issue_report: what people search by and what the ledger (台账) prints as 地址.
    address = models.CharField(_("address"), max_length=300, blank=True, editable=False)
    # Its own position, when the reporter's phone gave one (with its accuracy) or an
    # Open311 client sent lat/long; otherwise its building's or compound's is used.
    latitude = latitude_field()
    longitude = longitude_field()
    position_accuracy = accuracy_field()
    position_source = models.CharField(
        _("position from"), max_length=10, choices=PositionSource.choices, blank=True
    )

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    hotline_type = models.CharField(
        _("hotline request type"), max_length=15, choices=HotlineType.choices, blank=True
    )
    hotline_ticket = models.CharField(_("hotline ticket number"), max_length=50, blank=True)
    hotline_answer_by = models.DateTimeField(_("answer hotline by"), null=True, blank=True)

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="issues", verbose_name=_("category")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PUBLIC)
    urgency = models.CharField(
        _("urgency"), max_length=15, choices=Urgency.choices, default=Urgency.NORMAL
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))

    # Reporter: a resident, an organization, or a name and phone (anonymous allowed).
    reporter_resident = models.ForeignKey(
        "communities.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_issues",
        verbose_name=_("reporting resident"),
        db_index=False,
    )
    reporter_organization = models.ForeignKey(
        "communities.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_issues",
        verbose_name=_("reporting organization"),
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)

    status = models.CharField(
        _("status"), max_length=25, choices=Status.choices, default=Status.REPORTED
    )
    handling = models.CharField(_("handling"), max_length=15, choices=Handling.choices, blank=True)
    deliberation_level = models.CharField(
        _("deliberation level"), max_length=15, choices=DeliberationLevel.choices, blank=True
    )
    escalation_mode = models.CharField(
        _("escalation"), max_length=10, choices=EscalationMode.choices, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_issues",
        verbose_name=_("assignee"),
    )
    lead_cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_issues",
        verbose_name=_("lead cadre"),
        help_text=_("The cadre who takes the issue on (干部领办)."),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_issues",
        verbose_name=_("merged into"),
    )
    # Recurrence: a new report of a closed problem links to the earlier issue (story 7).
    recurrence_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recurrences",
        verbose_name=_("recurrence of"),
    )
    status_before_deferral = models.CharField(
        _("status before deferral"), max_length=25, choices=Status.choices, blank=True
    )

    # Time limits: the clock for acceptance starts at the report, for handling at acceptance
    # (dispatch); a deferral stops the handling clock and pushes its deadline on resume.
    accept_deadline = models.DateTimeField(_("accept by"), null=True, blank=True)
    handle_deadline = models.DateTimeField(_("handle by"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    deferred_at = models.DateTimeField(_("deferred at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("closed on time"), null=True, blank=True)
    was_deferred = models.BooleanField(_("was deferred"), default=False)
    rework_count = models.PositiveSmallIntegerField(_("rework count"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("reopen count"), default=0)
    resolution_note = models.TextField(_("what was done"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_issues",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic concurrency: every write checks and bumps the version.
    version = models.PositiveIntegerField(_("version"), default=1)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-reported_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "status", "-reported_at"], name="issue_queue"),
            models.Index(fields=["community", "-reported_at"], name="issue_community_recent"),
            models.Index(fields=["grid", "status"], name="issue_grid_status"),
            models.Index(fields=["compound", "category", "status"], name="issue_dup_lookup"),
            models.Index(fields=["status", "handle_deadline"], name="issue_handle_deadline"),
            models.Index(fields=["status", "accept_deadline"], name="issue_accept_deadline"),
            models.Index(fields=["reporter_resident", "-reported_at"], name="issue_reporter"),
            models.Index(fields=["community", "closed_at"], name="issue_closed"),
            models.Index(fields=["hotline_ticket"], name="issue_hotline_ticket"),
            # The work queue's filters and its "deadline soonest" sort, within a community.
            models.Index(
                fields=["community", "status", "handle_deadline"], name="issue_queue_deadline"
            ),
            models.Index(fields=["community", "kind", "status"], name="issue_queue_kind"),
            models.Index(fields=["community", "channel", "status"], name="issue_queue_channel"),
            models.Index(fields=["community", "urgency", "status"], name="issue_queue_urgency"),
            models.Index(fields=["community", "category", "status"], name="issue_queue_category"),
            # The monthly report: issues due by their handling deadline in a month, and the
            # ids of a street's issues read from the index alone (to join timeline entries).
            models.Index(fields=["community", "handle_deadline"], name="issue_community_due"),
            models.Index(fields=["community", "id"], name="issue_community_ids"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="hotline") | ~Q(hotline_ticket=""),
                name="issue_hotline_has_ticket",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(status="merged"),
                name="issue_merged_has_status",
            ),
            *position_constraints("issue"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return url_by_pk("issues:detail", self.pk)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def running_deadline(self):
        """The time limit running now: accepting it while reported, handling it while
        worked on; none while deferred (the clock is stopped) or once it is done."""
        if self.status == Status.REPORTED:
            return self.accept_deadline
        if self.status in HANDLING_STATUSES:
            return self.handle_deadline
        return None

    def is_overdue(self, now) -> bool:
        """Past its running time limit: what overdue_q() selects."""
        deadline = self.running_deadline
        return deadline is not None and deadline < now

    @property
    def is_private(self):
        """Disputes are private: only staff, the grid's workers and the parties see them."""
        return self.kind == Kind.DISPUTE


def address_of(*, compound=None, building=None, unit=None, place_text="") -> str:
    """The place on one line: 明园小区9号楼2单元 东门旁."""
    where = "".join(
        part.name for part in (compound, building, unit) if part is not None and part.name
    )
    return " ".join(p for p in (where, (place_text or "").strip()) if p)[:300]


class IssueParty(models.Model):
    """Another party involved: a resident, an organization, or a named person."""

    class Role(models.TextChoices):
        PARTY = "party", _("Party to the matter")
        CO_REPORTER = "co_reporter", _("Also reported it")
        AFFECTED = "affected", _("Affected")

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="parties", verbose_name=_("issue")
    )
    role = models.CharField(_("capacity"), max_length=15, choices=Role.choices, default=Role.PARTY)
    resident = models.ForeignKey(
        "communities.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issue_parties",
        verbose_name=_("resident"),
    )
    organization = models.ForeignKey(
        "communities.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issue_parties",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | Q(organization__isnull=False) | ~Q(name=""),
                name="issueparty_identified",
            )
        ]

    def __str__(self):
        return str(self.resident or self.organization or self.name)


def issue_photo_path(instance, filename):
    return f"issues/{instance.issue_id}/{filename}"


class IssuePhoto(models.Model):
    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="photos", verbose_name=_("issue")
    )
    image = models.ImageField(_("photo"), upload_to=issue_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.caption or self.image.name


class Summons(models.Model):
    """A department summoned when the whistle is blown (吹哨报到): when it was called, when
    it arrived and what it did."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="summonses", verbose_name=_("issue")
    )
    organization = models.ForeignKey(
        "communities.Organization",
        on_delete=models.PROTECT,
        related_name="summonses",
        verbose_name=_("department"),
    )
    summoned_at = models.DateTimeField(_("summoned at"))
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    action_taken = models.TextField(_("what it did"), blank=True)

    class Meta:
        verbose_name = _("summons")
        verbose_name_plural = _("summonses")
        ordering = ["summoned_at"]

    def __str__(self):
        return f"{self.organization} → {self.issue}"


class Patrol(models.Model):
    """A grid worker's walk through their grid (巡查). The phone names it (client_id) when
    it starts, with or without a connection: sending the start again finds the same patrol."""

    client_id = models.UUIDField(_("client id"), unique=True, default=uuid.uuid4, editable=False)
    grid = models.ForeignKey(
        "communities.Grid",
        on_delete=models.PROTECT,
        related_name="patrols",
        verbose_name=_("grid"),
        db_index=False,
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="patrols",
        verbose_name=_("grid worker"),
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    route_notes = models.TextField(_("route notes"), blank=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["grid", "-started_at"], name="patrol_grid_recent")]

    def __str__(self):
        return f"{self.grid} {self.started_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return url_by_pk("issues:patrol_detail", self.pk)


def finding_photo_path(instance, filename):
    return f"patrols/{instance.patrol_id}/{filename}"


class PatrolFinding(models.Model):
    patrol = models.ForeignKey(
        Patrol, on_delete=models.CASCADE, related_name="findings", verbose_name=_("patrol")
    )
    text = models.TextField(_("what was found"))
    compound = models.ForeignKey(
        "communities.Compound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compound"),
    )
    building = models.ForeignKey(
        "communities.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
    )
    place_text = models.CharField(_("place"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to=finding_photo_path, blank=True)
    found_at = models.DateTimeField(_("found at"))
    latitude = latitude_field()
    longitude = longitude_field()
    position_accuracy = accuracy_field()
    # Named by the phone that recorded it: a finding sent twice is stored once.
    client_id = models.UUIDField(_("client id"), unique=True, null=True, blank=True, editable=False)
    issue = models.OneToOneField(
        Issue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patrol_finding",
        verbose_name=_("issue"),
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["found_at", "pk"]
        constraints = position_constraints("finding")

    def __str__(self):
        return self.text[:50]


class Visit(models.Model):
    """A household visit (入户走访); monthly for residents of the special groups."""

    household = models.ForeignKey(
        "communities.Household",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("household"),
        db_index=False,
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("visited by"),
    )
    visited_at = models.DateTimeField(_("visited at"))
    residents_seen = models.ManyToManyField(
        "communities.Resident", related_name="visits", verbose_name=_("whom they saw")
    )
    findings = models.TextField(_("what they found"), blank=True)
    need_found = models.BooleanField(_("a need was found"), default=False)
    issue = models.OneToOneField(
        Issue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit",
        verbose_name=_("issue"),
    )
    latitude = latitude_field()
    longitude = longitude_field()
    position_accuracy = accuracy_field()
    # Named by the phone that recorded it: a visit sent twice is stored once.
    client_id = models.UUIDField(_("client id"), unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("household visit")
        verbose_name_plural = _("household visits")
        ordering = ["-visited_at"]
        indexes = [models.Index(fields=["household", "-visited_at"], name="visit_household")]
        constraints = position_constraints("visit")

    def __str__(self):
        return f"{self.household} {self.visited_at:%Y-%m-%d}"


class TrackPoint(models.Model):
    """A point of a patrol's route, as the worker's phone recorded it. A point is one
    moment of one patrol: sent again, it is stored once."""

    patrol = models.ForeignKey(
        Patrol, on_delete=models.CASCADE, related_name="track", verbose_name=_("patrol")
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    latitude = latitude_field(required=True)
    longitude = longitude_field(required=True)
    position_accuracy = accuracy_field()

    class Meta:
        verbose_name = _("route point")
        verbose_name_plural = _("route points")
        ordering = ["patrol", "recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["patrol", "recorded_at"], name="trackpoint_unique"),
            *position_constraints("trackpoint", required=True),
        ]

    def __str__(self):
        return f"{self.patrol} {self.recorded_at:%H:%M:%S}"
