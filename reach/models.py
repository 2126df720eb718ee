"""Reaching people who have no account: personal short links (/s/…) and one-time codes
sent to a phone number on record.

A person is a resident or an organization's contact (communities), with or without a user
account. This app knows what a link is and whom it belongs to; what a link lets its holder
do (answer an invitation, evaluate a result, give an opinion) belongs to the app that owns
the record it points at, which registers it as a purpose (reach.purposes)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ShortLink(models.Model):
    """A short address (/s/<token>) that opens one small page without a login.

    A personal link names its person (a resident or an organization's contact) and lets
    them do one thing (its purpose) about one record (its target); a public one (a poster's
    QR code) names no person. The token is random and unguessable; the link expires, may be
    revoked by staff, and a single-use link is spent once its one action is done."""

    token = models.CharField(_("token"), max_length=16, unique=True)
    purpose = models.CharField(_("purpose"), max_length=40)
    resident = models.ForeignKey(
        "communities.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="short_links",
        verbose_name=_("resident"),
        db_index=False,
    )
    contact = models.ForeignKey(
        "communities.OrganizationContact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="short_links",
        verbose_name=_("organization contact"),
        db_index=False,
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("content_type", "object_id")
    # Tells apart links of one purpose and record issued for different rounds: the
    # evaluation of each round of work, the revisit after each closure.
    step = models.CharField(_("step"), max_length=40, blank=True, default="")
    # Where the record belongs: staff of the community see and revoke its links.
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("community"),
        db_index=False,
    )
    expires_at = models.DateTimeField(_("expires at"))
    single_use = models.BooleanField(_("single use"), default=False)
    spent_at = models.DateTimeField(_("used up at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    uses = models.PositiveIntegerField(_("uses"), default=0)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=True) | Q(contact__isnull=True),
                name="shortlink_one_person",
            ),
            # One link in force per person, purpose, record and round: issuing again
            # returns it; a revoked one may be replaced.
            models.UniqueConstraint(
                fields=["purpose", "content_type", "object_id", "step", "resident"],
                condition=Q(resident__isnull=False, revoked_at__isnull=True),
                name="shortlink_once_per_resident",
            ),
            models.UniqueConstraint(
                fields=["purpose", "content_type", "object_id", "step", "contact"],
                condition=Q(contact__isnull=False, revoked_at__isnull=True),
                name="shortlink_once_per_contact",
            ),
            models.UniqueConstraint(
                fields=["purpose", "content_type", "object_id", "step"],
                condition=Q(resident__isnull=True, contact__isnull=True, revoked_at__isnull=True),
                name="shortlink_once_public",
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="shortlink_target"),
            models.Index(fields=["resident"], name="shortlink_resident"),
            models.Index(fields=["contact"], name="shortlink_contact"),
        ]

    def __str__(self):
        return f"/s/{self.token}"

    @property
    def person(self):
        return self.resident or self.contact

    @property
    def purpose_label(self):
        from .purposes import purpose_of

        purpose = purpose_of(self.purpose)
        return purpose.label if purpose else self.purpose

    @property
    def is_personal(self):
        return self.resident_id is not None or self.contact_id is not None

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_spent(self):
        return self.spent_at is not None

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def in_force(self):
        return not (self.is_revoked or self.is_spent or self.is_expired)


class PhoneCode(models.Model):
    """A one-time code sent by SMS to a number on record (手机号 + 验证码). Only its keyed
    hash is kept; it expires after minutes and is burnt after a few wrong tries. A row is
    written for every request, known number or not, so that answers and limits are the
    same whoever asks."""

    class Purpose(models.TextChoices):
        LOGIN = "login", _("Sign in or claim an account")
        VERIFY = "verify", _("Verify a phone number")

    phone = models.CharField(_("phone"), max_length=20)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(_("code (hashed)"), max_length=128)
    # Whether the number belongs to someone on record (a code was sent): never shown.
    sent = models.BooleanField(_("SMS sent"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["phone", "-created_at"], name="phonecode_phone"),
            models.Index(fields=["ip_address", "-created_at"], name="phonecode_ip"),
        ]

    def __str__(self):
        return f"{self.phone[:3]}****{self.phone[-4:]}"
