"""Pieces both faces use to show cases."""

from __future__ import annotations

from datetime import date

from licensing.selectors import application_clock, next_deadline


def case_rows(applications, today: date) -> list[dict]:
    """Each application with its next statutory deadline, for a list of cases."""
    rows = []
    for application in applications:
        deadline = next_deadline(application_clock(application, today=today))
        overdue_by = -deadline.status.days_left if deadline and deadline.status.days_left < 0 else 0
        rows.append({"application": application, "deadline": deadline, "overdue_by": overdue_by})
    return rows
