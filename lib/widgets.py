from html import escape

from django import forms
from django.utils.safestring import SafeData, mark_safe


def escape_text(value) -> str:
    """What the template's autoescape does to a value, without the per-call overhead of
    django.utils.html.escape (a lazy-aware wrapper): for markup written in Python."""
    if value is None:
        return ""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


class QuickSelect(forms.Select):
    """A <select> for long option lists (every compound of a district): Django renders each
    option through a template, about 20 µs apiece, so 500 options cost 10 ms a page; this
    writes the same markup directly."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        parts = [f'<select name="{escape_text(name)}"{_attributes(attrs)}>']
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{escape_text(option_value)}">')
                parts.extend(self._option(v, text, selected) for v, text in label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, label, selected))
        parts.append("</select>")
        return mark_safe("".join(parts))

    @staticmethod
    def _option(value, label, selected) -> str:
        value = "" if value is None else str(value)
        chosen = " selected" if value in selected else ""
        return f'<option value="{escape_text(value)}"{chosen}>{escape_text(label)}</option>'


def _attributes(attrs) -> str:
    # As django/forms/widgets/attrs.html writes them: in order, True as a bare name.
    return "".join(
        f" {key}" if value is True else f' {key}="{escape_text(value)}"'
        for key, value in attrs.items()
        if value is not False and value is not None
    )


class ParentedSelect(forms.Select):
    """A <select> whose options name their parent (a building its compound, a unit its
    building) in data-parent, so a script can offer only those under the parent chosen."""

    def __init__(self, *args, parent_of, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_of = parent_of

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-parent"] = self.parent_of(instance)
        return option
