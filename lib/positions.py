"""The fields of a position, the same on every model that has one: two nullable decimals,
latitude and longitude in WGS-84 (six decimal places, about 0.1 m), set together or not at
all, and, where the position comes from a phone, its accuracy in metres."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def latitude_field(*, required=False):
    return models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=not required,
        blank=not required,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )


def longitude_field(*, required=False):
    return models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=not required,
        blank=not required,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )


def accuracy_field():
    return models.PositiveIntegerField(
        _("position accuracy (m)"),
        null=True,
        blank=True,
        help_text=_("How far off the phone said its position might be, in metres."),
    )


def position_constraints(prefix: str, *, required=False) -> list:
    """Both coordinates or neither, each within its range (named `<prefix>_…`)."""
    both = Q(latitude__isnull=False, longitude__isnull=False)
    in_range = Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180)
    return [
        models.CheckConstraint(
            condition=both if required else both | Q(latitude__isnull=True, longitude__isnull=True),
            name=f"{prefix}_position_pair",
        ),
        models.CheckConstraint(
            condition=in_range | Q(latitude__isnull=True), name=f"{prefix}_position_range"
        ),
    ]


def has_position(record) -> bool:
    return record.latitude is not None and record.longitude is not None
