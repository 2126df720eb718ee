"""Grids and compounds named in lists that may span several communities (a street admin's
meeting form, the work queue's filters): there each names its community, "一网格（民生社区）",
since every community has a 一网格 and compounds of the same name are common."""

from django import forms
from django.utils.translation import gettext as _


def with_community(name: str, community_name: str) -> str:
    return _("%(name)s (%(community)s)") % {"name": name, "community": community_name}


def place_choices(places, *, several: bool) -> list[tuple[int, str]]:
    """(pk, label) pairs of grids or compounds, in one query."""
    if not several:
        return list(places.values_list("pk", "name"))
    return [
        (pk, with_community(name, community))
        for pk, name, community in places.values_list("pk", "name", "community__name")
    ]


class PlaceChoiceField(forms.ModelChoiceField):
    """A grid or compound; `offer` sets its places and whether they span communities."""

    name_community = False

    def offer(self, places, community_ids) -> None:
        self.name_community = len(set(community_ids)) > 1
        self.queryset = places.select_related("community") if self.name_community else places

    def label_from_instance(self, obj):
        if self.name_community:
            return with_community(obj.name, obj.community.name)
        return obj.name
