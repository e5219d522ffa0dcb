"""Template filters of the regulator's dashboard."""

from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    """``2000000000`` -> ``2 000 000 000`` (a narrow no-break space between groups, as in KZT amounts)."""
    try:
        return f"{int(value):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return value
