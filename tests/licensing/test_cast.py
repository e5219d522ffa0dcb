"""The shared cast (conftest.py) is built once per module, yet every test sees it as new."""

import pytest

from licensing.models import Organization

pytestmark = pytest.mark.django_db

RENAMED = "Renamed in the first test JSC"


def test_a_test_may_change_the_cast(cast):
    cast.organization_a.legal_name = RENAMED
    cast.organization_a.save()
    cast.applicant_b.is_active = False

    assert Organization.objects.filter(legal_name=RENAMED).exists()


def test_the_next_test_gets_the_cast_as_built(cast):
    assert cast.organization_a.legal_name == "Steppe Digital Exchange JSC"
    assert not Organization.objects.filter(legal_name=RENAMED).exists()
    assert cast.applicant_b.is_active


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transactional_test_gets_a_cast_of_its_own(cast):
    assert Organization.objects.get(pk=cast.organization_a.pk).legal_name == "Steppe Digital Exchange JSC"
