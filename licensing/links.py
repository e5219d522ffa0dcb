"""Where a notice about an application sends its reader: the one place that maps cases to pages.

Notices store the link their producer chose (``notifications`` knows no other app's pages), so
every notice about a case, from an event or a sweep, takes its link from here.
"""

from __future__ import annotations

from django.urls import reverse

__all__ = ["case_link"]


def case_link(*, reference: str, staff: bool) -> str:
    """Path of the case's page for the regulator's staff (their dashboard) or the applicant's members."""
    return reverse("licensing:staff_case" if staff else "licensing:applicant_case", args=[reference])
