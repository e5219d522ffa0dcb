"""Pieces both faces use to show cases."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from licensing.selectors import application_clock, next_deadline
from licensing.workdays import CalendarNotCovered


def case_rows(applications, today: date) -> list[dict]:
    """Each application with its next statutory deadline, for a list of cases."""
    rows = []
    for application in applications:
        try:
            deadline = next_deadline(application_clock(application, today=today))
        except CalendarNotCovered as exc:
            # One case's deadline reaching a year without holidays must not take the whole list down.
            rows.append(
                {
                    "application": application,
                    "deadline": None,
                    "overdue_by": 0,
                    "deadline_unknown": _("deadline unknown: the holiday calendar lacks %(year)s") % {"year": exc.year},
                }
            )
            continue
        overdue_by = -deadline.status.days_left if deadline and deadline.status.days_left < 0 else 0
        rows.append({"application": application, "deadline": deadline, "overdue_by": overdue_by})
    return rows
