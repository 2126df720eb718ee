from functools import partialmethod

from django.apps import apps
from django.utils.encoding import force_str


def _display(self, *, field, labels):
    value = getattr(self, field.attname)
    return force_str(labels.get(value, value), strings_only=True)


def install_quick_choice_labels() -> None:
    """Django's get_FOO_display() builds a dict of the field's choices on every call and,
    to hash each pair, translates every lazy label: a list of 25 issues costs 600
    translations. Each model gets a version that looks the value up in a dict built once;
    the label is still translated when shown, in the language of the request."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            try:
                labels = dict(field.flatchoices)
            except TypeError:  # unhashable choice values: keep Django's version
                continue
            setattr(
                model,
                f"get_{field.name}_display",
                partialmethod(_display, field=field, labels=labels),
            )
