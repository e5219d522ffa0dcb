"""The applicant's list of cases (the staff queues are tested in test_staff_queue.py)."""

import pytest
from django.urls import reverse

from licensing.models import Application
from registry.models import LicenseType

pytestmark = pytest.mark.django_db


def make_application(organization, license_type, created_by, *, state, reviewer=None):
    application = Application.objects.create(
        organization=organization, license_type=license_type, created_by=created_by
    )
    Application.objects.filter(pk=application.pk).update(state=state, assigned_reviewer=reviewer)
    return application


@pytest.fixture
def cases(cast):
    dax = LicenseType.objects.get(code="DAX")
    return {
        "a_draft": make_application(cast.organization_a, dax, cast.applicant_a, state="draft"),
        "a_submitted": make_application(cast.organization_a, dax, cast.applicant_a, state="submitted"),
        "b_mine": make_application(
            cast.organization_b, dax, cast.applicant_b, state="completeness_check", reviewer=cast.reviewer
        ),
    }


def test_anonymous_visitor_is_asked_to_sign_in_for_the_applicant_area(client):
    response = client.get(reverse("licensing:applicant_home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_applicant_sees_only_their_organizations_applications(client, cast, cases):
    client.force_login(cast.applicant_a)

    page = client.get(reverse("licensing:applicant_home")).content.decode()

    assert cases["a_draft"].reference in page
    assert cases["a_submitted"].reference in page
    assert cases["b_mine"].reference not in page


def test_staff_queue_does_not_exist_for_applicants(client, cast, cases):
    client.force_login(cast.applicant_a)

    assert client.get(reverse("licensing:staff_queue")).status_code == 404
