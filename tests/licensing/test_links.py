"""Every notice about a case points its recipient at the page that shows the case."""

from licensing.links import case_link


def test_staff_are_sent_to_their_case_queue():
    assert case_link(application_id=42, staff=True) == "/staff/"


def test_applicants_are_sent_to_their_applicant_area():
    assert case_link(application_id=42, staff=False) == "/apply/"
