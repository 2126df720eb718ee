from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> for long option lists (every compound of a district): Django renders each
    option through a template, about 20 µs apiece, so 500 options cost 10 ms a page; this
    writes them directly. Same markup, same attributes."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                inner = self._options(label, selected)
                options.append(
                    format_html('<optgroup label="{}">{}</optgroup>', option_value, inner)
                )
            else:
                options.append(self._options([(option_value, label)], selected))
        return format_html(
            '<select name="{}"{}>{}</select>', name, _attributes(attrs), mark_safe("".join(options))
        )

    def _options(self, choices, selected):
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if value is None else value,
                    mark_safe(" selected")
                    if str("" if value is None else value) in selected
                    else "",
                    label,
                )
                for value, label in choices
            ),
        )


def _attributes(attrs):
    # As django/forms/widgets/attrs.html writes them: in order, True as a bare name.
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
            for key, value in attrs.items()
            if value is not False and value is not None
        ),
    )
