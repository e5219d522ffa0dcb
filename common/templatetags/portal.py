"""Template tags and filters every face uses: the error summary of a form page, money and stored dates."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


def _form_items(form: BaseForm) -> list[dict]:
    items = [{"href": "", "text": error} for error in form.non_field_errors()]
    for field in form:
        if field.is_hidden:
            continue
        items.extend({"href": f"#{field.id_for_label}", "text": error} for error in field.errors)
    return items


@register.inclusion_tag("partials/error_summary.html")
def error_summary(*forms, problems=None):
    """The GOV.UK error summary: every error of ``forms`` (forms or formsets), each linking to its field.

    ``problems`` adds messages that belong to no field (a service's refusal); each is a string or a
    ``(text, href)`` pair.
    """
    items: list[dict] = []
    for form in forms:
        if isinstance(form, BaseFormSet):
            items.extend({"href": "", "text": error} for error in form.non_form_errors())
            for member in form.forms:
                items.extend(_form_items(member))
        elif isinstance(form, BaseForm):
            items.extend(_form_items(form))
    for problem in problems or ():
        text, href = problem if isinstance(problem, tuple | list) else (problem, "")
        items.append({"href": href, "text": text})
    return {"items": items}


@register.filter
def kzt(amount) -> str:
    """An amount in tenge as the active language writes it: "1 500 000 теңге", "KZT 1,500,000"."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    whole = amount == amount.to_integral_value()
    grouped = number_format(amount, decimal_pos=0 if whole else 2, use_l10n=True, force_grouping=True)
    return _("KZT %(amount)s") % {"amount": grouped}


@register.filter
def isodate(value):
    """A date kept as ISO 8601 text (a notice's stored data) as a date, for ``|date:"DATE_FORMAT"``."""
    if not isinstance(value, str) or not value:
        return value
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
