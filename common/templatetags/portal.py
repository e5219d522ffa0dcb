"""Template tags every face uses: the error summary at the top of a form page."""

from __future__ import annotations

from django import template
from django.forms import BaseForm, BaseFormSet

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
