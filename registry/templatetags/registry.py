"""Template filters of the public registry."""

from django import template

from common.domains import display_host

register = template.Library()


@register.filter
def host(value: str) -> str:
    """A stored host name as people read it: ``xn--`` labels back in their own script."""
    return display_host(value) if value else ""
