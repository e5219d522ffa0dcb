"""seed_demo's warning list: a few entries, one removed, and a lookalike of a demo applicant.

(That a second run adds nothing is checked with everything else in ``test_seed_demo``.)
"""

from io import StringIO

import pytest
from django.core.management import call_command

from licensing.models import Application
from licensing.selectors import application_warning_matches
from registry.models import WarningEntry

pytestmark = pytest.mark.django_db


def test_the_demo_warning_list_flags_a_demo_applicant(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", password="demo-password-for-tests", stdout=StringIO())

    assert WarningEntry.objects.active().count() == 3
    assert WarningEntry.objects.filter(status="removed").count() == 1
    submitted = Application.objects.filter(organization__legal_name="Steppe Digital Exchange JSC").exclude(
        state="draft"
    )
    assert submitted.exists()
    for application in submitted:  # the demo applicant's approved case and the one awaiting an answer
        [match] = application_warning_matches(application)
        assert (match.value, match.listed) == ("Steppe Digital Exchange JSC", "Steppe Crypto Exchange")
    others = Application.objects.exclude(organization__legal_name="Steppe Digital Exchange JSC").exclude(state="draft")
    assert all(application_warning_matches(application) == [] for application in others)
