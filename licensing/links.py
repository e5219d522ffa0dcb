"""Where a notice about an application sends its reader: the one place that maps cases to pages.

Notices store the link their producer chose (``notifications`` knows no other app's pages), so
every notice about a case, from an event or a sweep, takes its link from here.
"""

from __future__ import annotations

from django.urls import reverse

__all__ = ["case_link"]


def case_link(*, reference: str, staff: bool) -> str:
    """Path of the page where the applicant's members, or the regulator's staff, follow the case.

    Applicants open the case itself; staff their queue, until the dashboard's case page exists.
    """
    if staff:
        return reverse("licensing:staff_queue")
    return reverse("licensing:applicant_case", args=[reference])
