"""Resolutions and their execution: the agreed text and action items, confirmations and
legal review, publication (公示) with objections, supervised progress, on-site
confirmation, evaluation by residents (反馈评议) and revisits after closure (事后回访)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.urls import url_by_pk


class Resolution(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_REVIEW = "awaiting_review", _("Awaiting legal review")
        ADOPTED = "adopted", _("Adopted")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    agenda_item = models.OneToOneField(
        "meetings.AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolution",
        verbose_name=_("agenda item"),
    )
    # Denormalised from the agenda item (or set directly for an escalated issue whose
    # departments agreed measures without a meeting) so boards and reports join once.
    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.PROTECT,
        related_name="resolutions",
        verbose_name=_("issue"),
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        related_name="resolutions",
        verbose_name=_("community"),
        db_index=False,
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("agreed text"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    legal_review_required = models.BooleanField(_("legal review required"), default=False)
    legal_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal reviewer"),
    )
    legal_review_note = models.TextField(_("legal review"), blank=True)
    legal_reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    publication_starts = models.DateField(_("published from"), null=True, blank=True)
    publication_ends = models.DateField(_("published until"), null=True, blank=True)
    evaluation_due = models.DateField(_("evaluation due"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["community", "status", "-publication_starts"], name="res_board"),
            models.Index(fields=["status", "publication_ends"], name="res_publication_end"),
            models.Index(fields=["status", "-publication_starts", "-id"], name="res_public_board"),
            models.Index(fields=["community", "-created_at", "-id"], name="res_community_recent"),
            models.Index(fields=["updated_at"], name="res_updated"),
        ]

    def __str__(self):
        return self.title


class ActionItem(models.Model):
    """Who does what by when (整改责任主体、整改措施及时限), optionally repeating and with
    a cost split. Done only when confirmed on site by staff or a supervisor."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        AWAITING_CHECK = "awaiting_check", _("Awaiting on-site check")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Repeat(models.TextChoices):
        NONE = "", _("Once")
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Every week")
        MONTHLY = "monthly", _("Every month")

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="items", verbose_name=_("resolution")
    )
    # Denormalised for the reminder sweep and reports, which scan many items.
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("community"),
        db_index=False,
    )
    responsible_organization = models.ForeignKey(
        "communities.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("responsible organization"),
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("responsible person"),
    )
    responsible_resident = models.ForeignKey(
        "communities.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("responsible resident"),
    )
    measure = models.TextField(_("measure"))
    starts_on = models.DateField(_("starts on"))
    deadline = models.DateField(_("deadline"))
    repeat = models.CharField(
        _("repeats"), max_length=10, choices=Repeat.choices, default=Repeat.NONE, blank=True
    )
    repeat_until = models.DateField(_("repeats until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.PENDING
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    done_on_time = models.BooleanField(_("done on time"), null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("rework count"), default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["resolution", "order", "pk"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="actionitem_due"),
            models.Index(fields=["community", "status", "deadline"], name="actionitem_community"),
            models.Index(fields=["updated_at"], name="actionitem_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("starts_on")),
                name="actionitem_deadline_after_start",
            ),
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="actionitem_percent_max_100"
            ),
            models.CheckConstraint(
                condition=Q(responsible_organization__isnull=False)
                | Q(responsible_user__isnull=False)
                | Q(responsible_resident__isnull=False),
                name="actionitem_has_responsible",
            ),
        ]

    def __str__(self):
        return self.measure[:60]

    def get_absolute_url(self):
        return url_by_pk("resolutions:item_detail", self.pk)

    @property
    def responsible(self):
        return self.responsible_organization or self.responsible_user or self.responsible_resident


# Work still to do, named rather than "not done or cancelled" so that the (community,
# status, deadline) index reads only these statuses.
ITEM_OPEN_STATUSES = (
    ActionItem.Status.PENDING,
    ActionItem.Status.IN_PROGRESS,
    ActionItem.Status.AWAITING_CHECK,
)


class CostShare(models.Model):
    """A party's part of an action item's cost: an amount, or a share of the total."""

    item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="cost_shares", verbose_name=_("item")
    )
    household = models.ForeignKey(
        "communities.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cost_shares",
        verbose_name=_("household"),
    )
    organization = models.ForeignKey(
        "communities.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cost_shares",
        verbose_name=_("organization"),
    )
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    share_percent = models.DecimalField(
        _("share (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("cost share")
        verbose_name_plural = _("cost shares")
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False) | Q(organization__isnull=False),
                name="costshare_has_party",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | Q(share_percent__isnull=False),
                name="costshare_has_amount_or_share",
            ),
        ]

    def __str__(self):
        return str(self.household or self.organization)


class ActionItemCost(models.Model):
    """The total cost of an item that is split by share."""

    item = models.OneToOneField(
        ActionItem, on_delete=models.CASCADE, related_name="cost", verbose_name=_("item")
    )
    total = models.DecimalField(_("total cost (yuan)"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")

    def __str__(self):
        return str(self.total)


class Confirmation(models.Model):
    """A party's confirmation or signature of the agreement (和解协议, 签字确认)."""

    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.CASCADE,
        related_name="confirmations",
        verbose_name=_("resolution"),
    )
    party_name = models.CharField(_("party"), max_length=150)
    resident = models.ForeignKey(
        "communities.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    organization = models.ForeignKey(
        "communities.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    signed_by = models.CharField(_("signed by"), max_length=100)
    confirmed_at = models.DateTimeField(_("confirmed at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        ordering = ["confirmed_at"]

    def __str__(self):
        return f"{self.party_name} · {self.signed_by}"


class Objection(models.Model):
    """An objection (异议) lodged during the publication period; staff must answer."""

    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("resolution"),
    )
    resident = models.ForeignKey(
        "communities.Resident",
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("resident"),
    )
    reason = models.TextField(_("reason"))
    lodged_at = models.DateTimeField(_("lodged at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["lodged_at"]

    def __str__(self):
        return self.reason[:50]


def progress_photo_path(instance, filename):
    return f"progress/{instance.update.item_id}/{filename}"


class ProgressUpdate(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        CHECK_PASSED = "check_passed", _("On-site check passed")
        CHECK_FAILED = "check_failed", _("On-site check failed")

    item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="updates", verbose_name=_("item")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.PROGRESS)
    text = models.TextField(_("progress so far"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_max_100")
        ]

    def __str__(self):
        return f"{self.percent}% {self.text[:40]}"


class ProgressPhoto(models.Model):
    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, related_name="photos", verbose_name=_("update")
    )
    image = models.ImageField(_("photo"), upload_to=progress_photo_path)

    class Meta:
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")

    def __str__(self):
        return self.image.name


class Evaluation(models.Model):
    """A resident's rating of the result (反馈评议)."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")

    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("issue"),
        db_index=False,
    )
    resident = models.ForeignKey(
        "communities.Resident",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("resident"),
    )
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    # Each round of execution is evaluated afresh; a reopened issue asks again.
    round = models.PositiveSmallIntegerField(_("evaluation round"), default=0)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "resident", "round"], name="evaluation_once_per_round"
            )
        ]

    def __str__(self):
        return self.get_rating_display()


class Revisit(models.Model):
    """A revisit after closure (事后回访)."""

    class Method(models.TextChoices):
        VISIT = "visit", _("In person")
        PHONE = "phone", _("Phone")
        ONLINE = "online", _("Online")

    issue = models.ForeignKey(
        "issues.Issue", on_delete=models.PROTECT, related_name="revisits", verbose_name=_("issue")
    )
    visited_at = models.DateTimeField(_("when"))
    # Staff or a grid worker who made the revisit; empty when the reporter answered it
    # themselves from the personal link of the revisit SMS (`resident`).
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    resident = models.ForeignKey(
        "communities.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by resident"),
    )
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    findings = models.TextField(_("what the revisit found"))
    problem_recurred = models.BooleanField(_("the problem has come back"), default=False)

    class Meta:
        verbose_name = _("revisit")
        verbose_name_plural = _("revisits")
        ordering = ["-visited_at"]

    def __str__(self):
        return self.findings[:50]
