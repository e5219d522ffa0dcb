"""Lookalike screening of applicant organizations against the warning list (SPEC section 15).

``organization_screen`` compares the profile's legal, Latin and trading names and its website and
other domains with the active warning list (``registry.warning_list.matching``) and stores what it
finds. The organization and application services call it at registration, on every change of those
fields, and on the snapshot staff decide on: at submission and when an answer retakes it, inside
their own transaction. Staff read the latter on the case page through
``licensing.selectors.application_warning_matches``. It records no audit entry: it changes
nothing a person decided, and every screening is kept.
"""

from __future__ import annotations

from django.utils import timezone

from licensing.models import Application, Organization, WarningMatch, WarningScreening
from licensing.profiles import OrganizationProfile, profile_of
from registry.warning_list.matching import warning_lookalikes

__all__ = ["SCREENED_FIELDS", "organization_screen"]

# The profile fields compared with the list; a change to any of them screens the organization again.
SCREENED_FIELDS = ("legal_name", "latin_name", "trading_names", "website", "other_domains")


def organization_screen(
    *,
    organization: Organization,
    trigger: str,
    profile: OrganizationProfile | None = None,
    application: Application | None = None,
) -> WarningScreening:
    """Compare the organization's names and domains with the active warning list; store what was found.

    ``profile`` is what is screened: an application's snapshot at submission or when it is retaken,
    the live profile (read here) otherwise.
    """
    profile = profile or profile_of(organization)
    screening = WarningScreening.objects.create(
        organization=organization,
        application=application,
        trigger=trigger,
        screened_at=timezone.now(),
        names=profile.names,
        hosts=profile.domains,
    )
    WarningMatch.objects.bulk_create(
        WarningMatch(
            screening=screening,
            entry=match.entry,
            kind=match.kind,
            value=match.value,
            listed=match.listed,
            score=match.score,
            reason=match.reason,
        )
        for match in warning_lookalikes(names=profile.names, hosts=profile.domains)
    )
    return screening
