"""{{ value|grouped }}: whole numbers shown as Vietnamese documents write them, 1.234.567."""

from django import template

from ..text import group_digits

register = template.Library()


@register.filter
def grouped(value):
    """An int with its thousands grouped by dots; anything else (None, text) unchanged."""
    if isinstance(value, int) and not isinstance(value, bool):
        return group_digits(value)
    return value
