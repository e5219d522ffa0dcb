"""Dates as people write them in the portal's languages.

Pages show a date in the written style of the language ("2 желтоқсан 2026 ж.", "2 декабря 2026 г.",
"2 December 2026": ``DATE_FORMAT`` in ``config/formats``); a date field reads that style back as well as
ISO 8601 and day-first digits (``DATE_INPUT_FORMATS``). Nothing here guesses between day and month: digits
are always read day first, and a written month is a word.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.db import models
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The month as it stands in a date ("2 декабря", "2 желтоқсан"): Django's "E" date format prints these.
# Listed here so that the portal's own catalogues, which take precedence over Django's, hold them:
# Django's Kazakh catalogue capitalises them ("2 Желтоқсан"), which Kazakh writing does not.
MONTHS_IN_DATES = {
    1: pgettext_lazy("alt. month", "January"),
    2: pgettext_lazy("alt. month", "February"),
    3: pgettext_lazy("alt. month", "March"),
    4: pgettext_lazy("alt. month", "April"),
    5: pgettext_lazy("alt. month", "May"),
    6: pgettext_lazy("alt. month", "June"),
    7: pgettext_lazy("alt. month", "July"),
    8: pgettext_lazy("alt. month", "August"),
    9: pgettext_lazy("alt. month", "September"),
    10: pgettext_lazy("alt. month", "October"),
    11: pgettext_lazy("alt. month", "November"),
    12: pgettext_lazy("alt. month", "December"),
}

# "2 декабря 2026 г.", "2 желтоқсан 2026 ж.", "2 December 2026": day, month word, year, the year's mark.
_WRITTEN = re.compile(r"^(\d{1,2})\s+([^\W\d_]+)\.?,?\s+(\d{4})(?:\s*(?:ж|г|жыл|год|года)\.?)?$", re.IGNORECASE)


def parse_written_date(value: str) -> datetime.date | None:
    """The date in ``value`` written in the active language's style, or None if it is not one."""
    match = _WRITTEN.match(" ".join(str(value).split()))
    if match is None:
        return None
    day, word, year = match.groups()
    names = {str(name).casefold(): number for number, name in MONTHS_IN_DATES.items()}
    names.update({str(name).casefold(): number for number, name in MONTHS.items()})
    month = names.get(word.casefold())
    if month is None:
        return None
    try:
        return datetime.date(int(year), month, int(day))
    except ValueError:
        return None


class DateField(forms.DateField):
    """A date typed as ISO (2026-12-02), day first (02.12.2026, 02/12/2026) or as the pages write it."""

    default_error_messages = {
        "invalid": _("Enter a real date, day first: for example 02.12.2026, or 2026-12-02."),
    }

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            written = parse_written_date(value) if isinstance(value, str) else None
            if written is None:
                raise
            return written


# For a ModelAdmin's ``formfield_overrides``: the admin reads dates like every other form of the portal.
ADMIN_DATE_FIELDS = {models.DateField: {"form_class": DateField}}
