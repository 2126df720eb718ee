"""Notifications and their delivery. Domain-agnostic: a notification points at any record
through a content type, and every app's services and reminder sweeps send through
`notifications.services.notify`.

A notification goes to a user (in the app, and by email or SMS as they chose) or to a
person without an account, a resident or an organization's contact, by SMS to the number
on record. Either way it is one row with one exactly-once key and its deliveries go
through the same task, retries and list of failures."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class Notification(models.Model):
    """One message to one user or person. The key (kind, target, recipient, step) is
    unique, so a retried task, a second beat process or a rerun sweep cannot send it twice;
    the recipient is the user, or the resident or contact reached without an account."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
        db_index=False,
    )
    resident = models.ForeignKey(
        "communities.Resident",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
        db_index=False,
    )
    contact = models.ForeignKey(
        "communities.OrganizationContact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization contact"),
        db_index=False,
    )
    # Where the message belongs, so staff see (and retry) their community's deliveries.
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=50)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("content_type", "object_id")
    # Distinguishes repeated reminders of one kind: "3d", "1d", "overdue-2026-11-22" …
    step = models.CharField(_("step"), max_length=40, blank=True, default="")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=100, blank=True)
    attachment_mimetype = models.CharField(_("attachment type"), max_length=100, blank=True)
    attachment_content = models.TextField(_("attachment content"), blank=True)
    # The SMS as it goes out (naming the community, within one segment, with its link);
    # empty: made from the title when sent.
    sms_text = models.TextField(_("text message"), blank=True)
    # The SMS carries a one-time code: its text is blanked once sent, and lists show the
    # body (the same message with the code hidden).
    secret = models.BooleanField(_("holds a one-time secret"), default=False)
    # The kind of duty (notifications.kinds.Category): how it reaches the user follows
    # their choice for it.
    category = models.CharField(_("kind of message"), max_length=20, blank=True, default="")
    # Waiting for the user's daily digest of its kind (no email or SMS of its own), until
    # `digest` names the digest that carried it.
    held = models.BooleanField(_("waits for the digest"), default=False)
    digest = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried",
        verbose_name=_("sent in the digest"),
        db_index=False,
    )
    # The heading a digest lists it under, inside its community (a resolution's title).
    group_label = models.CharField(_("group"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "step"],
                name="notification_unique_key",
            ),
            # The same key for people reached without an account.
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "resident", "step"],
                condition=Q(resident__isnull=False),
                name="notification_unique_resident_key",
            ),
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "contact", "step"],
                condition=Q(contact__isnull=False),
                name="notification_unique_contact_key",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, resident__isnull=True, contact__isnull=True)
                | Q(recipient__isnull=True, resident__isnull=False, contact__isnull=True)
                | Q(recipient__isnull=True, resident__isnull=True, contact__isnull=False),
                name="notification_one_recipient",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
            models.Index(fields=["community", "-created_at"], name="notification_community"),
            models.Index(
                fields=["recipient", "category"],
                name="notification_held",
                condition=Q(held=True),
            ),
            models.Index(fields=["digest"], name="notification_digest"),
        ]

    def __str__(self):
        return self.title

    @property
    def person(self):
        """The resident or contact reached without an account (None for a user)."""
        return self.resident or self.contact

    @property
    def addressee(self):
        return self.recipient or self.resident or self.contact

    @property
    def phone(self) -> str:
        return getattr(self.addressee, "phone", "") or ""


class Delivery(models.Model):
    """A notification's delivery through one outside channel (email or SMS)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
        verbose_name=_("notification"),
    )
    channel = models.CharField(_("delivery channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # An SMS due in quiet hours (21:00–08:00) waits until then.
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_unique_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="delivery_status")]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.get_status_display()}"


class Preference(models.Model):
    """Which outside channels a user wants; in-app notifications are always kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email = models.BooleanField(_("by email"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
    # Per kind of message (notifications.kinds.Category): at once, in the daily digest or
    # in the app only; a kind not chosen follows the role's default.
    modes = models.JSONField(_("how each kind reaches me"), default=dict, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)


class SmsConsent(models.Model):
    """Whether a resident or an organization's contact agreed to be sent text messages,
    as the community recorded it: who recorded it, when and how (书面/口头/线上). A
    withdrawn consent stops every SMS to the person, and to their account
    (notifications.services.sms_allowed); none recorded: sent as before."""

    class Consent(models.TextChoices):
        GIVEN = "given", _("Agreed to SMS")
        WITHDRAWN = "withdrawn", _("Withdrew consent: no SMS")

    class Via(models.TextChoices):
        WRITTEN = "written", _("In writing")
        ORAL = "oral", _("Orally")
        ONLINE = "online", _("Online")

    resident = models.OneToOneField(
        "communities.Resident",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sms_consent",
        verbose_name=_("resident"),
    )
    contact = models.OneToOneField(
        "communities.OrganizationContact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sms_consent",
        verbose_name=_("organization contact"),
    )
    consent = models.CharField(_("SMS consent"), max_length=10, choices=Consent.choices)
    via = models.CharField(_("recorded how"), max_length=10, choices=Via.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("SMS consent")
        verbose_name_plural = _("SMS consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False, contact__isnull=True)
                | Q(resident__isnull=True, contact__isnull=False),
                name="smsconsent_one_person",
            )
        ]

    def __str__(self):
        return f"{self.resident or self.contact}: {self.get_consent_display()}"

    @property
    def withdrawn(self):
        return self.consent == self.Consent.WITHDRAWN


class SmsBudget(models.Model):
    """How many text messages a community may send in a month (the street pays for them).
    Once spent, reminders that would go by SMS wait for the daily digest; invitations and
    changed meeting times still go. No budget: no limit."""

    community = models.OneToOneField(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="sms_budget",
        verbose_name=_("community"),
    )
    # None: no limit (the budget was lifted).
    monthly_limit = models.PositiveIntegerField(_("text messages a month"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    updated_at = models.DateTimeField(_("set at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("SMS budget")
        verbose_name_plural = _("SMS budgets")

    def __str__(self):
        return f"{self.community}: {self.monthly_limit}"
