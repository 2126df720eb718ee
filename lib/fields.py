"""A form field in Bootstrap 5 markup, as crispy-forms writes it, without its templates.

crispy-forms renders a field through a dozen nested templates: about 0.4–0.8 ms a field,
most of a small form's cost on a busy page (the issue page's comment, assignment and
summons fields). `quick_field` writes the same markup directly for the plain widgets (text,
number, date and time inputs, text areas, single selects) and hands every other field —
checkboxes, radios, files, multiple selects, multi-widgets, forms with a FormHelper — to
crispy-forms. tests/test_lib.py compares the two outputs field by field."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe

_ASTERISK = '<span class="asteriskField">*</span>'
_PLAIN = (forms.widgets.Input, forms.Textarea, forms.Select)
_NOT_PLAIN = (
    forms.CheckboxInput,
    forms.FileInput,
    forms.SelectMultiple,
    forms.RadioSelect,
    forms.MultiWidget,
)


def _is_plain(field) -> bool:
    widget = field.field.widget
    return (
        isinstance(widget, _PLAIN)
        and not isinstance(widget, _NOT_PLAIN)
        and getattr(field.form, "helper", None) is None
    )


def _add_classes(widget, *names):
    # What crispy-forms does to the widget: its own class name, then Bootstrap's classes.
    own = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    if not css:
        css = own
    elif own not in css:
        css += f" {own}"
    present = css.split()
    for name in names:
        if name not in present:
            css += f" {name}"
            present.append(name)
    widget.attrs["class"] = css


def _marked_required(field) -> bool:
    """Whether the label carries the required marker. An extra row of a formset (a form
    that may stay empty) is optional as a whole: its fields are required only once the row
    is filled in, so they carry no marker until then."""
    form = field.form
    if form.empty_permitted and not (form.is_bound and form.has_changed()):
        return False
    return field.field.required


def quick_field(field):
    if field.is_hidden:
        return mark_safe(str(field))
    if not _is_plain(field):
        return as_crispy_field(field)
    widget = field.field.widget
    errors = field.errors
    bootstrap = "form-select" if isinstance(widget, forms.Select) else "form-control"
    _add_classes(widget, bootstrap, *(["is-invalid"] if errors else []))
    wrapper = "mb-3"
    if extra := field.css_classes():
        wrapper += f" {extra}"
    parts = [f'<div id="div_{escape(field.auto_id or "")}" class="{escape(wrapper)}">']
    if field.label:
        required = _marked_required(field)
        target = f'for="{escape(field.id_for_label)}" ' if field.id_for_label else ""
        parts.append(
            f'<label {target}class="form-label{" requiredField" if required else ""}">'
            f"{escape(field.label)}{_ASTERISK if required else ''}</label>"
        )
    parts.append(str(field))
    if errors:
        parts.append(f'<div id="{escape(errors.field_id or "")}_error" class="invalid-feedback">')
        parts.extend(
            f'<p id="error_{number}_{escape(field.auto_id or "")}"><strong>{escape(error)}'
            "</strong></p>"
            for number, error in enumerate(errors, start=1)
        )
        parts.append("</div>")
    if field.help_text:
        target = f'id="{escape(field.auto_id)}_helptext" ' if field.auto_id else ""
        parts.append(f'<div {target}class="form-text">{field.help_text}</div>')
    parts.append("</div>")
    return mark_safe("".join(parts))


def quick_form(form):
    """The whole form as `|crispy` renders it (no FormHelper): its media, the errors that
    belong to no field, then every field."""
    if getattr(form, "helper", None) is not None:
        return as_crispy_form(form)
    parts = [str(form.media)]
    if errors := form.non_field_errors():
        items = "".join(f"<li>{escape(error)}</li>" for error in errors)
        parts.append(
            f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>'
        )
    parts.extend(quick_field(field) for field in form)
    return mark_safe("".join(parts))


def holds(form, names=""):
    """Whether the named fields of a form (every field when none is named), or any form of
    a formset, hold an error or something typed: a folded part of a form opens by itself
    then, so nothing the user wrote or must correct is hidden."""
    if isinstance(form, forms.BaseFormSet):
        return bool(form.non_form_errors()) or any(holds(f) for f in form)
    wanted = [name.strip() for name in names.split(",") if name.strip()] or list(form.fields)
    for name in wanted:
        field = form[name]
        if field.errors:
            return True
        if not form.is_bound:
            continue
        if isinstance(field.field, forms.FileField):
            # Files are not kept when a form is refused: open only if some were sent.
            if field.data:
                return True
        elif field.field.has_changed(field.initial, field.data):
            return True
    return False
