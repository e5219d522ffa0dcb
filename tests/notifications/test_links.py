"""Every notice points its recipient at the page that shows the matter."""

import pytest

from accounts.models import User
from notifications.services import link_for
from registry.models import License

pytestmark = pytest.mark.django_db


def test_applicants_are_sent_to_their_applicant_area(settings):
    applicant = User.objects.create_user("link-applicant")
    subject = User.objects.create_user("any-subject")  # any model instance stands for the case

    assert link_for(subject, recipient=applicant) == f"{settings.SITE_URL}/apply/"


def test_staff_are_sent_to_their_case_queue(settings):
    from django.contrib.auth.models import Group

    reviewer = User.objects.create_user("link-reviewer")
    reviewer.groups.add(Group.objects.get(name="reviewer"))

    assert link_for(reviewer, recipient=reviewer) == f"{settings.SITE_URL}/staff/"


def test_a_license_notice_links_to_its_public_page(settings):
    license = License(number="DAX-2026-0007")

    assert link_for(license, recipient=None) == f"{settings.SITE_URL}/registry/DAX-2026-0007/"


def test_staff_are_sent_to_the_case_page_of_an_application_and_of_its_documents(settings):
    from django.contrib.auth.models import Group

    from licensing.models import Application, Document
    from registry.models import LicenseType
    from tests.registry.factories import make_organization

    reviewer = User.objects.create_user("link-reviewer-2")
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    application = Application.objects.create(
        organization=make_organization(), license_type=LicenseType.objects.get(code="DAX"), created_by=reviewer
    )
    document = Document(application=application)

    expected = f"{settings.SITE_URL}/staff/cases/{application.reference}/"
    assert link_for(application, recipient=reviewer) == expected
    assert link_for(document, recipient=reviewer) == expected
