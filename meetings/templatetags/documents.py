"""Numbering of official documents (minutes, agreements): 一、二、三、 for sections and
（一）（二） for the items within them in Chinese, 1. and (1) in other languages."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

register = template.Library()

DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (sections never reach a hundred)."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{DIGITS[tens] if tens > 1 else ''}十{DIGITS[ones] if ones else ''}"


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


@register.filter
def section_number(n) -> str:
    """一、 / 1."""
    return f"{chinese_number(int(n))}、" if _chinese() else f"{int(n)}. "


@register.filter
def item_number(n) -> str:
    """（一） / (1)"""
    return f"（{chinese_number(int(n))}）" if _chinese() else f"({int(n)}) "


@register.filter
def in_place(field) -> str:
    """A field edited in its place in the document: the widget, then its errors beside it,
    tied to it for screen readers."""
    error_id = f"{field.auto_id}-error"
    attrs = {"class": "form-control doc-input"}
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-describedby"] = error_id
    errors = format_html_join("", "<div>{}</div>", ((e,) for e in field.errors))
    feedback = (
        format_html('<div class="invalid-feedback" id="{}">{}</div>', error_id, errors)
        if field.errors
        else ""
    )
    return format_html("{}{}", field.as_widget(attrs=attrs), feedback)
