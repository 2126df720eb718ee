"""Tickets of the 12345 hotline platform as imported from its daily export. A ticket
becomes an issue once its place is known; until then it waits for staff."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HotlineTicket(models.Model):
    class State(models.TextChoices):
        FILED = "filed", _("Filed as an issue")
        PENDING = "pending", _("Waiting for staff")

    ticket_number = models.CharField(_("hotline ticket number"), max_length=50, unique=True)
    received_at = models.DateTimeField(_("time received"))
    caller_phone = models.CharField(_("caller's phone"), max_length=20, blank=True)
    content = models.TextField(_("request content"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    request_type = models.CharField(_("hotline request type"), max_length=15, blank=True)
    answer_by = models.DateTimeField(_("answer hotline by"), null=True, blank=True)
    street = models.ForeignKey(
        "communities.Street",
        on_delete=models.PROTECT,
        related_name="hotline_tickets",
        verbose_name=_("street"),
        db_index=False,
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    issue = models.OneToOneField(
        "issues.Issue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotline_ticket_record",
        verbose_name=_("issue"),
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("hotline ticket")
        verbose_name_plural = _("hotline tickets")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["street", "state", "-received_at"], name="hotline_queue"),
        ]

    def __str__(self):
        return self.ticket_number
