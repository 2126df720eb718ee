from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STREET_ADMIN = "street_admin", _("Street admin")
    STAFF = "staff", _("Community staff")
    GRID_WORKER = "grid_worker", _("Grid worker")
    RESIDENT = "resident", _("Resident")
    ORG_CONTACT = "org_contact", _("Organization contact")


class User(AbstractUser):
    """A person who logs in. The role says what kind of work they do; the scope fields
    say where: streets for street admins, communities for staff, grids for grid workers,
    a resident record for residents, an organization for its contacts. What the role may
    see and do there is decided in one place, the `access` package."""

    name = models.CharField(
        _("full name"), max_length=50, help_text=_("Full name, as people call you.")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    title = models.CharField(
        _("position"),
        max_length=100,
        blank=True,
        help_text=_("For example 社区党委书记 or 网格长."),
    )
    # Staff: the community head (书记/主任) who approves deferrals and receives escalations.
    # Grid workers: the grid head (网格长).
    is_head = models.BooleanField(_("head"), default=False)
    streets = models.ManyToManyField(
        "communities.Street", blank=True, related_name="admins", verbose_name=_("streets")
    )
    communities = models.ManyToManyField(
        "communities.Community", blank=True, related_name="staff", verbose_name=_("communities")
    )
    grids = models.ManyToManyField(
        "communities.Grid", blank=True, related_name="workers", verbose_name=_("grids")
    )
    resident = models.OneToOneField(
        "communities.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("resident record"),
    )
    organization = models.ForeignKey(
        "communities.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organization"),
    )
    contact = models.OneToOneField(
        "communities.OrganizationContact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("contact record"),
    )
    # Aging-friendly mode (适老化): larger text and higher contrast, kept per user.
    large_text = models.BooleanField(_("large text and high contrast"), default=False)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Optimistic locking of the account pages (accounts.services.account_update).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return self.name or self.username
