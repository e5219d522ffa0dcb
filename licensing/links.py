"""Where a notice about an application sends its reader: the one place that maps cases to pages.

Notices store the link their producer chose (``notifications`` knows no other app's pages), so
every notice about a case, from an event or a sweep, takes its link from here.
"""

from __future__ import annotations

from django.urls import reverse

__all__ = ["case_link"]


def case_link(*, application_id: int, staff: bool) -> str:
    """Path of the page where the regulator's staff, or else the applicant's members, follow the case.

    Until the case pages of the two faces exist, these are the lists that show the case.
    """
    return reverse("licensing:staff_queue" if staff else "licensing:applicant_home")
