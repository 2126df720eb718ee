"""Choosing one record among thousands (a resident of a community, a household) with a text
field instead of a <select> of every one of them.

The user types part of a name or an address; htmx asks the owning app's lookup view for the
first matches, which fill the field's <datalist>, and the browser suggests them. Whatever
arrives — a suggestion, something typed without script, or a primary key from a test or an
older form — is resolved on the server within the field's queryset, so a user can only pick
what the queryset (the access rules) lets them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

SUGGESTIONS = 12
AMBIGUOUS_SHOWN = 5


@dataclass(frozen=True)
class Lookup:
    """How to show and find records of one kind."""

    label: Callable[[Model], str]
    search: Callable[[QuerySet, str], QuerySet]  # the records matching what was typed
    url: str  # the lookup view; gets ?q=…&community=…
    in_community: Callable[[int], QuerySet]  # the records of one community to pick from
    related: tuple = ()  # what the label reads, fetched with the record


class LookupInput(forms.TextInput):
    template_name = "core/lookup_input.html"  # in an app: the form renderer looks there

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", **(attrs or {})})
        self.url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["url"] = self.url
        return context


class LookupField(forms.Field):
    widget = LookupInput
    default_error_messages = {
        "none": _(
            "Nothing matches “%(text)s”. Type part of the name or the address and pick a suggestion."
        ),
        "several": _(
            "“%(text)s” matches several: %(matches)s. Type more of it, or pick a suggestion."
        ),
    }

    def __init__(self, *, lookup: Lookup, queryset=None, **kwargs):
        super().__init__(**kwargs)
        self.lookup = lookup
        self.queryset = queryset
        self.widget.url = lookup.url

    def for_community(self, community_id: int) -> None:
        """Pick among one community's records; the suggestions are narrowed to it too."""
        self.queryset = self.lookup.in_community(community_id)
        self.widget.url = f"{self.lookup.url}?{urlencode({'community': community_id})}"

    def prepare_value(self, value):
        if isinstance(value, Model):
            return self.lookup.label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            record = self._by_pk(value)
            return self.lookup.label(record) if record else value
        return value

    def _by_pk(self, value):
        if self.queryset is None:
            return None
        try:
            return self.queryset.select_related(*self.lookup.related).filter(pk=int(value)).first()
        except (ValueError, OverflowError):
            return None

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        ProhibitNullCharactersValidator()(text)  # PostgreSQL refuses them in a query
        if text.isdigit() and len(text) < 10:  # a primary key (never an 11-digit phone)
            record = self._by_pk(text)
            if record is not None:
                return record
        matches = list(self.lookup.search(self.queryset, text)[: SUGGESTIONS + 1])
        exact = [record for record in matches if self.lookup.label(record) == text]
        if len(exact) == 1:
            return exact[0]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(self.error_messages["none"], code="none", params={"text": text})
        shown = "；".join(self.lookup.label(record) for record in matches[:AMBIGUOUS_SHOWN])
        raise ValidationError(
            self.error_messages["several"],
            code="several",
            params={"text": text, "matches": shown},
        )
