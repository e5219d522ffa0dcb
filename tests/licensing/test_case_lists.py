"""The two doors of the home page: the applicant's and the staff's read-only case lists."""

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


def test_reviewer_queue_shows_assigned_and_unassigned_cases_but_never_drafts(client, cast, cases):
    client.force_login(cast.reviewer)

    mine = client.get(reverse("licensing:staff_queue")).content.decode()
    unassigned = client.get(reverse("licensing:staff_queue"), {"scope": "unassigned"}).content.decode()
    everything = client.get(reverse("licensing:staff_queue"), {"scope": "all"}).content.decode()

    assert cases["b_mine"].reference in mine and cases["a_submitted"].reference not in mine
    assert cases["a_submitted"].reference in unassigned and cases["b_mine"].reference not in unassigned
    assert cases["a_draft"].reference not in everything


def test_reviewer_does_not_see_a_case_assigned_to_someone_else(client, cast, cases):
    client.force_login(cast.reviewer2)

    page = client.get(reverse("licensing:staff_queue"), {"scope": "all"}).content.decode()

    assert cases["b_mine"].reference not in page
    assert cases["a_submitted"].reference in page


def test_queue_costs_the_same_number_of_queries_for_many_cases(client, cast, django_assert_max_num_queries):
    dax = LicenseType.objects.get(code="DAX")
    for _ in range(3):
        make_application(cast.organization_a, dax, cast.applicant_a, state="submitted")
    client.force_login(cast.supervisor)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("licensing:staff_queue"), {"scope": "all"})
    for _ in range(30):
        make_application(cast.organization_a, dax, cast.applicant_a, state="submitted")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("licensing:staff_queue"), {"scope": "all"})
