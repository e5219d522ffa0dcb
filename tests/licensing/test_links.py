"""Every notice about a case points its recipient at the page that shows the case."""

from licensing.links import case_link


def test_staff_are_sent_to_the_case_page_of_their_dashboard():
    assert case_link(reference="APP-7K3Q9-XWD4M", staff=True) == "/staff/cases/APP-7K3Q9-XWD4M/"


def test_applicants_are_sent_to_the_case_itself():
    assert case_link(reference="APP-7K3Q9-XWD4M", staff=False) == "/apply/APP-7K3Q9-XWD4M/"
