"""Finding a resident or a household by what staff type: part of a name, a room, a building,
a compound or an address, or the last digits of a phone. Used by `lib.lookups.LookupField`
in every form that picks one of a community's thousands of residents or households."""

import re

from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from lib.lookups import Lookup, LookupField

from .models import Household, Resident

SEPARATORS = re.compile(r"[\s·,，、]+")


def household_label(household: Household) -> str:
    if household.unit_id:
        unit = household.unit
        building = unit.building
        return " ".join(
            part
            for part in (building.compound.name, building.name, unit.name, household.room)
            if part
        )
    return household.address or household.room


def resident_label(resident: Resident) -> str:
    if resident.household_id:
        return f"{resident.name} · {household_label(resident.household)}"
    return resident.name


def _terms(text: str) -> list[str]:
    return [term for term in SEPARATORS.split(text.strip()) if term][:6]


def _household_term(term: str, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}room": term})
        | Q(**{f"{prefix}address__icontains": term})
        | Q(**{f"{prefix}unit__name": term})
        | Q(**{f"{prefix}unit__building__name": term})
        | Q(**{f"{prefix}unit__building__compound__name__icontains": term})
        | Q(**{f"{prefix}compound__name__icontains": term})
    )


def search_households(households, text: str):
    for term in _terms(text):
        households = households.filter(_household_term(term))
    return households.select_related("unit__building__compound").order_by(
        "compound", "unit", "room", "pk"
    )


def search_residents(residents, text: str):
    for term in _terms(text):
        by_self = Q(name__icontains=term)
        if term.isdigit() and len(term) >= 4:
            by_self |= Q(phone__endswith=term)
        residents = residents.filter(by_self | _household_term(term, "household__"))
    return residents.select_related("household__unit__building__compound").order_by("name", "pk")


def _in_community(model):
    return lambda community_id: model.objects.filter(
        community=community_id, archived_at__isnull=True
    )


RESIDENT = Lookup(
    label=resident_label,
    search=search_residents,
    url=reverse_lazy("communities:lookup", args=["resident"]),
    in_community=_in_community(Resident),
    related=("household__unit__building__compound",),
)
HOUSEHOLD = Lookup(
    label=household_label,
    search=search_households,
    url=reverse_lazy("communities:lookup", args=["household"]),
    in_community=_in_community(Household),
    related=("unit__building__compound",),
)
LOOKUPS = {"resident": RESIDENT, "household": HOUSEHOLD}


def resident_field(label) -> LookupField:
    """A form field picking a resident by typing: give it `for_community` or a queryset."""
    return LookupField(
        lookup=RESIDENT,
        label=label,
        required=False,
        help_text=_("Type part of the name, the room or the last digits of the phone."),
    )


def household_field(label) -> LookupField:
    """A form field picking a household by typing: give it `for_community` or a queryset."""
    return LookupField(
        lookup=HOUSEHOLD,
        label=label,
        required=False,
        help_text=_("Type the building, unit and room, e.g. 3号楼 1单元 302."),
    )
