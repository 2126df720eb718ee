"""Deliberation meetings: convening, the live record (attendance, opinions, outcomes per
agenda item) and the minutes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lib.urls import url_by_pk


class Form(models.TextChoices):
    BUILDING_COUNCIL = "building_council", _("Building council")
    COURTYARD_COUNCIL = "courtyard_council", _("Compound courtyard council")
    PARTY_MASS_COUNCIL = "party_mass_council", _("Community party-mass council")
    ONSITE_MEDIATION = "onsite_mediation", _("On-site mediation")
    MERCHANT_ALLIANCE = "merchant_alliance", _("Merchants–residents alliance")
    PARTY_BUILDING_JOINT = "party_building_joint", _("Party-building joint meeting")
    PROPERTY_JOINT = "property_joint", _("Property joint meeting")
    CPPCC_CONSULTATION = "cppcc_consultation", _("CPPCC consultation")
    HEART_TO_HEART = "heart_to_heart", _("Heart-to-heart talk")
    MONTHLY_COUNCIL = "monthly_council", _("Fixed monthly council")


class ParticipantRole(models.TextChoices):
    """The roles people come to a meeting in."""

    PARTY_COMMITTEE = "party_committee", _("Party committee")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    STAFF = "staff", _("Community staff")
    GRID_WORKER = "grid_worker", _("Grid worker")
    PROPERTY = "property", _("Property company")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    REPRESENTATIVE = "representative", _("Resident representative")
    SUPERVISOR = "supervisor", _("Supervision committee")
    RESIDENT = "resident", _("Resident")
    PARTY = "party", _("Party to the dispute")
    MERCHANT = "merchant", _("Merchant")
    POLICE = "police", _("Police")
    LEGAL = "legal", _("Legal adviser")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    GOVERNMENT = "government", _("Government department")
    CO_BUILDING = "co_building", _("Co-building unit")
    CPPCC_NPC = "cppcc_npc", _("CPPCC member / NPC deputy")
    OTHER = "other", _("Other")


# Roles whose words count as the residents' side when comparing speaking time. Merchants
# are a side of their own: at a merchants–residents alliance (商居联盟会) they sit across the
# table from the residents.
RESIDENT_SIDE_ROLES = (
    ParticipantRole.REPRESENTATIVE,
    ParticipantRole.SUPERVISOR,
    ParticipantRole.RESIDENT,
    ParticipantRole.PARTY,
)
# Those who speak for themselves, not for an office: they never give an official's answer.
NOT_OFFICIAL_ROLES = (*RESIDENT_SIDE_ROLES, ParticipantRole.MERCHANT)


class FormRule(models.Model):
    """The presence rule of a meeting form: roles that must be present and the least
    number of resident representatives. A community's own rule for a form comes first;
    a rule without a community is the district's default for the form."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="presence_rules",
        verbose_name=_("community"),
    )
    form = models.CharField(_("form"), max_length=30, choices=Form.choices)
    required_roles = models.JSONField(
        _("required roles"),
        default=list,
        blank=True,
        help_text=_("Participant roles of which at least one person must be present."),
    )
    min_representatives = models.PositiveSmallIntegerField(
        _("least resident representatives"), default=0
    )
    # For disputes every party to it must attend (a dispute needs both parties).
    all_parties_required = models.BooleanField(_("all parties must attend"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("presence rule")
        verbose_name_plural = _("presence rules")
        ordering = ["form"]
        constraints = [
            models.UniqueConstraint(
                fields=["form"], condition=Q(community__isnull=True), name="formrule_unique_default"
            ),
            models.UniqueConstraint(
                fields=["community", "form"],
                condition=Q(community__isnull=False),
                name="formrule_unique_community_form",
            ),
        ]

    def __str__(self):
        return self.get_form_display()


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        ADJOURNED = "adjourned", _("Adjourned")
        ENDED = "ended", _("Ended, minutes in draft")
        CLOSED = "closed", _("Closed, minutes final")
        CANCELLED = "cancelled", _("Cancelled")

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("community"),
        db_index=False,
    )
    compound = models.ForeignKey(
        "communities.Compound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("compound"),
    )
    grid = models.ForeignKey(
        "communities.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("grid"),
    )
    form = models.CharField(_("form"), max_length=30, choices=Form.choices)
    title = models.CharField(_("title"), max_length=200)
    venue = models.CharField(_("venue"), max_length=200)
    # The community's own place (communities.Venue) when the meeting is held at one; the
    # text above says where it is in words, or names a place that is not one of them.
    place = models.ForeignKey(
        "communities.Venue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("meeting place"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    convener = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="convened_meetings",
        verbose_name=_("convener"),
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.PLANNED
    )
    # Mediations of private disputes are never shown to residents other than the parties.
    is_private = models.BooleanField(_("private"), default=False)
    continues = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continuations",
        verbose_name=_("continues meeting"),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    adjourn_reason = models.TextField(_("reason for adjourning"), blank=True)
    minutes_finalised_at = models.DateTimeField(_("minutes finalised at"), null=True, blank=True)
    summary = models.TextField(_("summary for residents"), blank=True)
    summary_published_at = models.DateTimeField(_("summary published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # The live record of a running meeting, as its console and projector show it: the item
    # under discussion, who has the floor and since when (the projector's timer counts
    # from it), and a counter every live write raises so that open screens poll cheaply
    # (`version` guards edits of the meeting itself; signing someone in must not make the
    # convener's open forms stale).
    current_item = models.ForeignKey(
        "AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item under discussion"),
    )
    current_speaker = models.ForeignKey(
        "Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("speaker"),
    )
    speaker_since = models.DateTimeField(_("speaking since"), null=True, blank=True)
    live_revision = models.PositiveIntegerField(_("live revision"), default=0, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["community", "-starts_at"], name="meeting_community_time"),
            models.Index(fields=["status", "ends_at"], name="meeting_status_end"),
            models.Index(fields=["starts_at"], name="meeting_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return url_by_pk("meetings:detail", self.pk)


class AgendaItem(models.Model):
    """An issue on a meeting's agenda. An issue may stay on agendas over several meetings;
    each appearance is its own item with its own discussion and outcome."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet discussed")
        CONSENSUS = "consensus", _("Consensus reached")
        VOTE = "vote", _("Decided by vote")
        NO_AGREEMENT = "no_agreement", _("No agreement yet")
        REFERRED = "referred", _("Referred upward")

    class Phase(models.TextChoices):
        """西湖's order: speak in turn, then free discussion, then written forms."""

        WAITING = "waiting", _("Waiting")
        IN_TURN = "in_turn", _("Speaking in turn")
        FREE = "free", _("Free discussion")
        DONE = "done", _("Done")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("issue"),
    )
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    phase = models.CharField(
        _("phase"), max_length=10, choices=Phase.choices, default=Phase.WAITING
    )
    outcome = models.CharField(
        _("outcome"), max_length=15, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_text = models.TextField(_("outcome"), blank=True)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstain"), null=True, blank=True)
    # A choice between options: [{"label": "...", "votes": 12}, ...]
    vote_options = models.JSONField(_("options voted on"), default=list, blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]
        indexes = [models.Index(fields=["issue"], name="agendaitem_issue")]

    def __str__(self):
        return self.title

    @property
    def is_agreed(self) -> bool:
        """Consensus or a vote: something was decided that a resolution can put in writing."""
        return self.outcome in AGREED_OUTCOMES


AGREED_OUTCOMES = (AgendaItem.Outcome.CONSENSUS, AgendaItem.Outcome.VOTE)
# What a continuation carries over: items not discussed, or discussed without agreement.
OPEN_OUTCOMES = (AgendaItem.Outcome.PENDING, AgendaItem.Outcome.NO_AGREEMENT)


class InvitationChannel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    SLIP = "slip", _("Printed slip")


class Participant(models.Model):
    """Someone invited to a meeting, in a role: a user (staff, grid worker, an
    organization's contact with an account), a resident, or an organization contact."""

    class Response(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        YES = "yes", _("Coming")
        NO = "no", _("Not coming")

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("Not signed in")
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    role = models.CharField(_("capacity"), max_length=25, choices=ParticipantRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name=_("user"),
    )
    resident = models.ForeignKey(
        "communities.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name=_("resident"),
    )
    contact = models.ForeignKey(
        "communities.OrganizationContact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name=_("organization contact"),
    )
    name = models.CharField(_("full name"), max_length=100)
    organization_name = models.CharField(_("organization"), max_length=150, blank=True)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    # How the invitation reached them: through their account (the bell, and email or SMS
    # as they chose), by SMS with a personal link, or on a printed slip (通知单).
    invited_via = models.CharField(
        _("invited by"), max_length=10, choices=InvitationChannel.choices, blank=True
    )
    response = models.CharField(
        _("reply"), max_length=10, choices=Response.choices, default=Response.PENDING
    )
    responded_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    absence_reason = models.CharField(_("reason for absence"), max_length=200, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="participant_unique_user",
            ),
            models.UniqueConstraint(
                fields=["meeting", "resident"],
                condition=Q(resident__isnull=False),
                name="participant_unique_resident",
            ),
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                condition=Q(contact__isnull=False),
                name="participant_unique_contact",
            ),
        ]

    def __str__(self):
        return self.name


# Who counts as present (in the room, and as a voter): those who came, on time or late.
PRESENT_ATTENDANCES = (Participant.Attendance.PRESENT, Participant.Attendance.LATE)


class Opinion(models.Model):
    """One contribution to an agenda item: a turn, a free remark, a written opinion form
    (意见征求表) or an official's answer given on the spot."""

    class Kind(models.TextChoices):
        IN_TURN = "in_turn", _("Spoke in turn")
        FREE = "free", _("Free discussion")
        WRITTEN = "written", _("Written opinion form")
        ANSWER = "answer", _("Official's answer")

    class Stance(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        OTHER = "other", pgettext_lazy("stance", "Other")

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("agenda item")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("speaker"),
    )
    speaker_name = models.CharField(_("speaker"), max_length=100)
    role = models.CharField(_("capacity"), max_length=25, choices=ParticipantRole.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    stance = models.CharField(
        _("stance"), max_length=10, choices=Stance.choices, default=Stance.OTHER
    )
    text = models.TextField(_("what was said"))
    spoken_seconds = models.PositiveIntegerField(_("speaking time (seconds)"), default=0)
    order = models.PositiveIntegerField(_("order"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["agenda_item", "order", "pk"]

    def __str__(self):
        return f"{self.speaker_name}: {self.text[:40]}"


class MinutesCorrection(models.Model):
    """An attendee's request to correct the draft minutes before they are finalised."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Adopted into the minutes")
        DECLINED = "declined", _("Declined")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("meeting")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The agenda item the correction concerns, shown beside its section of the minutes;
    # empty for the minutes as a whole (time, place, who attended, the summary).
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("agenda item"),
    )
    text = models.TextField(_("correction"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes correction")
        verbose_name_plural = _("minutes corrections")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:50]


class OpinionWindow(models.Model):
    """Online opinion-taking (线上征求意见) before or after a meeting: residents of a
    compound, a building or a unit say where they stand on an issue or an agenda item,
    from a poster's QR code or a link shared in the WeChat group (居民说事), after proving
    their phone number, or from their personal link. One opinion per household or per
    person, as staff chose. The counts by stance and the comments go into the meeting's
    record and minutes, and on the public board once the window has closed."""

    class Per(models.TextChoices):
        HOUSEHOLD = "household", _("One opinion per household")
        PERSON = "person", _("One opinion per person")

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        related_name="opinion_windows",
        verbose_name=_("community"),
        db_index=False,
    )
    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_windows",
        verbose_name=_("issue"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_windows",
        verbose_name=_("agenda item"),
    )
    compound = models.ForeignKey(
        "communities.Compound",
        on_delete=models.PROTECT,
        related_name="opinion_windows",
        verbose_name=_("compound"),
    )
    building = models.ForeignKey(
        "communities.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_windows",
        verbose_name=_("building"),
    )
    unit = models.ForeignKey(
        "communities.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_windows",
        verbose_name=_("unit"),
    )
    question = models.CharField(_("what residents are asked"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    per = models.CharField(_("counted"), max_length=10, choices=Per.choices, default=Per.HOUSEHOLD)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    closed_at = models.DateTimeField(
        pgettext_lazy("opinion window", "closed at"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opinion window")
        verbose_name_plural = _("opinion windows")
        ordering = ["-opens_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "-opens_at"], name="opinionwindow_community"),
            models.Index(fields=["closes_at"], name="opinionwindow_closes"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(issue__isnull=False) | Q(agenda_item__isnull=False),
                name="opinionwindow_about_something",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="opinionwindow_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return url_by_pk("meetings:opinion_window", self.pk)

    @property
    def area(self):
        """The unit, building or compound asked."""
        return self.unit or self.building or self.compound

    @property
    def area_name(self) -> str:
        if self.unit_id:
            return f"{self.unit.building.compound.name}{self.unit.building.name}{self.unit.name}"
        if self.building_id:
            return f"{self.building.compound.name}{self.building.name}"
        return self.compound.name

    def is_open_at(self, now) -> bool:
        return self.closed_at is None and self.opens_at <= now < self.closes_at

    def has_closed_at(self, now) -> bool:
        return self.closed_at is not None or self.closes_at <= now


class OnlineOpinion(models.Model):
    """One resident's stance and comment in an opinion window. `voter` is the household
    ("h12") or the person ("r34") the window counts once: its uniqueness within the window
    is what keeps it to one opinion per household or per person."""

    class Stance(models.TextChoices):
        """赞成/反对/其他意见: the values of a meeting's opinions (Opinion.Stance), read
        as a resident answering a question does."""

        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        OTHER = "other", _("Another opinion")

    class Via(models.TextChoices):
        LINK = "link", _("Personal link")
        PHONE = "phone", _("Verified phone")
        ACCOUNT = "account", _("Signed in")
        PAPER = "paper", _("On paper, entered by staff")

    window = models.ForeignKey(
        OpinionWindow, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("window")
    )
    resident = models.ForeignKey(
        "communities.Resident",
        on_delete=models.PROTECT,
        related_name="online_opinions",
        verbose_name=_("resident"),
    )
    household = models.ForeignKey(
        "communities.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    voter = models.CharField(_("voter"), max_length=30)
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices)
    comment = models.TextField(_("comment"), blank=True)
    via = models.CharField(_("given"), max_length=10, choices=Via.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("online opinion")
        verbose_name_plural = _("online opinions")
        ordering = ["window", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["window", "voter"], name="onlineopinion_once_per_voter")
        ]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.comment[:40]}"
