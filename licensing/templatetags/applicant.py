"""Template filters of the applicant face."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def tenge(value) -> str:
    """An amount of tenge with its thousands grouped by (non-breaking) spaces: ``1 500 000 000``."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,}".replace(",", "\u00a0")
