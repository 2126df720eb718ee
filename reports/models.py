"""Monthly report snapshots: the figures of a month as published, so they do not move
when old records change later. Admins may recompute a month on purpose."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportScope(models.TextChoices):
    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")


class ReportSnapshot(models.Model):
    scope = models.CharField(_("scope"), max_length=10, choices=ReportScope.choices)
    street = models.ForeignKey(
        "communities.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_snapshots",
        verbose_name=_("street"),
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_snapshots",
        verbose_name=_("community"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    data = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("computed by"),
    )

    class Meta:
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        ordering = ["-month", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "month"],
                condition=Q(scope="community"),
                name="snapshot_unique_community_month",
            ),
            models.UniqueConstraint(
                fields=["street", "month"],
                condition=Q(scope="street"),
                name="snapshot_unique_street_month",
            ),
            models.CheckConstraint(
                condition=Q(scope="community", community__isnull=False, street__isnull=True)
                | Q(scope="street", street__isnull=False, community__isnull=True),
                name="snapshot_scope_matches_target",
            ),
        ]

    def __str__(self):
        return f"{self.community or self.street} {self.month:%Y-%m}"
