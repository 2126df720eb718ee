"""The empty choice of a select says what to do ("请选择类别") instead of Django's
"---------", which people read as a broken list."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

DASHES = "---------"

CHOOSE = pgettext_lazy("empty choice of a select", "Choose the {field}")
# Short: the selects of places sit three in a row.
CHOOSE_OPTIONAL = pgettext_lazy("empty choice of a select", "{field} (optional)")


def prompt(field) -> str:
    """The prompt of a field's empty choice, from its label: required or optional."""
    return format_lazy(CHOOSE if field.required else CHOOSE_OPTIONAL, field=field.label)


def prompt_empty_choices(form, prompts=None) -> None:
    """Give each select of the form whose empty choice is Django's dashes a prompt: the
    one in `prompts` for its name, or one made from its label."""
    prompts = prompts or {}
    for name, field in form.fields.items():
        text = prompts.get(name)
        if isinstance(field, forms.ModelChoiceField) and not isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            if field.empty_label == DASHES or (text and field.empty_label is not None):
                field.empty_label = text or prompt(field)
        elif isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.MultipleChoiceField
        ):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and (text or choices[0][1] == DASHES):
                field.choices = [("", text or prompt(field)), *choices[1:]]


class PromptedForm:
    """Mixin for forms: every dashed empty choice becomes a prompt once the fields are
    built. A form names its own prompts in `prompts` ({field name: text})."""

    prompts: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        prompt_empty_choices(self, self.prompts)
