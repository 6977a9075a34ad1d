"""TĐKT's template filters: `{% load tdkt %}`."""

from django import template

from ..calendar import deadline_words

register = template.Library()
register.filter("deadline", deadline_words)
