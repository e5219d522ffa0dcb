"""The staff queues (SPEC section 14): tabs with counts, filters, search, next deadline first, pages,
pick-up and assignment, at a cost that does not grow with the number of cases."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from licensing.models import Application
from registry.models import LicenseType
from tests.licensing.conftest import make_application_in

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
TODAY = date(2026, 6, 15)  # a Monday
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ALMATY)


def case(cast, *, state="submitted", reviewer=None, due=None, organization=None, license_type="DAX", **fields):
    """A case put straight into a state: the queues read what the services leave, nothing more."""
    application = Application.objects.create(
        organization=organization or cast.organization_a,
        license_type=LicenseType.objects.get(code=license_type),
        created_by=cast.applicant_a,
    )
    Application.objects.filter(pk=application.pk).update(
        state=state,
        assigned_reviewer=reviewer,
        statutory_due_on=due,
        submitted_at=None if state == "draft" else NOW - timedelta(days=3),
        **fields,
    )
    return Application.objects.get(pk=application.pk)


def queue(client, **params):
    response = client.get(reverse("licensing:staff_queue"), params)
    assert response.status_code == 200
    return response


def references(response) -> list[str]:
    return [row.application.reference for row in response.context["page"].rows]


def counts(response) -> dict[str, int]:
    return {name: count for name, _label, count in response.context["page"].tabs}


@pytest.fixture
def desk(cast):
    with time_machine.travel(NOW, tick=False):
        yield {
            "draft": case(cast, state="draft"),
            "unassigned": case(cast, due=TODAY + timedelta(days=20)),
            "mine_late": case(cast, state="completeness_check", reviewer=cast.reviewer, due=TODAY - timedelta(days=2)),
            "mine_soon": case(cast, state="under_review", reviewer=cast.reviewer, due=TODAY + timedelta(days=1)),
            "theirs": case(cast, state="completeness_check", reviewer=cast.reviewer2, due=TODAY + timedelta(days=3)),
            "to_decide": case(
                cast, state="pending_decision", reviewer=cast.reviewer, due=TODAY + timedelta(days=9),
                recommended_by=cast.reviewer,
            ),
            "recommended_by_recommender": case(
                cast, state="pending_decision", reviewer=cast.reviewer2, due=TODAY + timedelta(days=5),
                recommended_by=cast.recommender,
            ),
            "closed": case(cast, state="refused", reviewer=cast.reviewer, organization=cast.organization_b),
        }  # fmt: skip


def test_a_reviewer_has_their_tabs_with_counts_and_never_sees_drafts_or_others_cases(client, cast, desk):
    client.force_login(cast.reviewer)
    with time_machine.travel(NOW, tick=False):
        mine = queue(client)
        everything = queue(client, tab="all")

    assert counts(mine) == {"mine": 3, "unassigned": 1, "overdue": 1, "all": 5}
    assert references(mine) == [desk[k].reference for k in ("mine_late", "mine_soon", "to_decide")]
    assert desk["draft"].reference not in references(everything)
    assert desk["theirs"].reference not in references(everything)
    assert references(everything)[-1] == desk["closed"].reference  # no deadline: last


def test_an_approver_decides_what_others_recommended(client, cast, desk):
    client.force_login(cast.recommender)  # approver and supervisor, who recommended one case
    with time_machine.travel(NOW, tick=False):
        response = queue(client, tab="decide")

    assert references(response) == [desk["to_decide"].reference]
    assert counts(response)["decide"] == 1


def test_a_plain_approver_starts_on_the_decisions(client, cast, desk):
    client.force_login(cast.approver)
    with time_machine.travel(NOW, tick=False):
        response = queue(client)

    assert response.context["page"].tab == "decide"
    assert set(references(response)) == {desk["to_decide"].reference, desk["recommended_by_recommender"].reference}


def test_overdue_lists_cases_past_their_due_date_for_everyone_who_sees_them(client, cast, desk):
    client.force_login(cast.supervisor)
    with time_machine.travel(NOW, tick=False):
        response = queue(client, tab="overdue")

    assert references(response) == [desk["mine_late"].reference]
    assert "overdue 1 working day" in response.content.decode()  # due on Saturday: Monday has passed


def test_each_row_shows_its_state_reviewer_deadline_and_what_may_be_done_with_it(client, cast, desk):
    paused = case(cast, state="information_requested", reviewer=cast.reviewer2, due=TODAY + timedelta(days=30))
    client.force_login(cast.supervisor)
    with time_machine.travel(NOW, tick=False):
        response = queue(client, tab="all")
    html = response.content.decode()
    rows = {row.application.reference: row for row in response.context["page"].rows}

    def row_html(application) -> str:
        start = html.index(f'href="/staff/cases/{application.reference}/"')
        return html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]

    soon, unassigned, closed = row_html(desk["mine_soon"]), row_html(desk["unassigned"]), row_html(desk["closed"])
    assert "1 working day left" in soon and "Under review" in soon
    assert cast.reviewer.get_full_name() in soon
    assert "14 working days left" in unassigned and "unassigned" in unassigned  # 20 days, 6 weekend days
    assert "clock paused" in row_html(paused) and "working day" not in row_html(paused)
    assert "overdue 1 working day" in row_html(desk["mine_late"])
    assert "—" in closed and "Refused" in closed
    # Only open cases can be ticked for assignment; only a submitted, unassigned case picked up.
    assert 'name="cases"' in soon and 'name="cases"' not in closed
    assert "Pick up" in unassigned and "Pick up" not in soon
    assert [reference for reference, row in rows.items() if row.can_be_picked_up] == [desk["unassigned"].reference]
    assert rows[desk["mine_soon"].reference].submitted_on == date(2026, 6, 12)


def test_filters_and_search(client, cast, desk):
    client.force_login(cast.supervisor)
    with time_machine.travel(NOW, tick=False):
        by_state = queue(client, tab="all", state="pending_decision")
        by_reviewer = queue(client, tab="all", assignee=str(cast.reviewer2.pk))
        nobody = queue(client, tab="all", assignee="none")
        by_type = queue(client, tab="all", license_type="DAB")
        by_reference = queue(client, tab="all", q=desk["theirs"].reference.lower())
        without_prefix = queue(client, tab="all", q=desk["theirs"].reference.removeprefix("APP-"))
        by_bin = queue(client, tab="all", q=cast.organization_b.bin)
        by_name = queue(client, tab="all", q="altyn cust")
        mangled = queue(client, tab="nonsense", state="nonsense", page="x", q="\x00")

    assert set(references(by_state)) == {desk["to_decide"].reference, desk["recommended_by_recommender"].reference}
    assert set(references(by_reviewer)) == {desk["theirs"].reference, desk["recommended_by_recommender"].reference}
    assert references(nobody) == [desk["unassigned"].reference]
    assert references(by_type) == []
    assert references(by_reference) == references(without_prefix) == [desk["theirs"].reference]
    assert references(by_bin) == references(by_name) == [desk["closed"].reference]
    assert counts(by_state) == {"mine": 0, "unassigned": 0, "overdue": 0, "all": 2}  # no decisions for supervisors
    assert mangled.context["page"].tab == "mine"


@pytest.mark.parametrize("who", ["reviewer", "recommender", "supervisor"])
def test_a_search_counts_each_tab_as_its_list_shows_it(client, cast, desk, who, monkeypatch):
    # A search counts every tab in one pass (staff_selectors.case_queue); each count must still be
    # the length of the list its tab shows, within what this person may see, capped as elsewhere.
    client.force_login(getattr(cast, who))
    with time_machine.travel(NOW, tick=False):
        searched = queue(client, tab="all", q="steppe")  # every case but the closed one (Altyn Custody)
        for tab, count in counts(searched).items():
            assert count == len(references(queue(client, tab=tab, q="steppe"))), tab
        monkeypatch.setattr("licensing.staff_selectors.COUNT_CAP", 1)
        capped = counts(queue(client, tab="all", q="steppe"))

    assert counts(searched)["all"] >= 2
    assert all(count <= 2 for count in capped.values()) and capped["all"] == 2


def test_a_search_that_finds_more_than_the_cap_says_at_least_for_the_other_tabs(client, cast, desk, monkeypatch):
    # Past COUNT_CAP matches, a search counts its tabs among the first COUNT_CAP + 1 only (a common
    # word finds thousands): the other tabs then say "at least", and the open tab is counted for
    # its pages, exactly up to the cap. A tab none of those fall in shows no count at all.
    client.force_login(cast.supervisor)
    monkeypatch.setattr("licensing.staff_selectors.COUNT_CAP", 3)
    with time_machine.travel(NOW, tick=False):
        broad = queue(client, tab="overdue", q="steppe")  # six cases found, one of them overdue
        narrow = queue(client, tab="overdue", q=desk["mine_late"].reference)

    page = broad.context["page"]
    assert page.count == 1 and references(broad) == [desk["mine_late"].reference]
    assert page.lower_bounds == {"mine", "unassigned"}  # "all" is past the cap: "more than 3"
    tabs = broad.content.decode().split('class="tabs"')[1].split("</nav>")[0]
    assert re.search(r"Overdue<span class=\"count-badge\">1</span>", tabs)
    assert re.search(r"All cases<span class=\"count-badge\">3\+</span>", tabs)
    assert re.search(r"Unassigned<span class=\"count-badge\">\d\+</span>", tabs)
    assert "Assigned to me</a>" in tabs  # the supervisor has no case of their own among those found
    assert narrow.context["page"].lower_bounds == frozenset()


def test_pages_of_twenty_five_nearest_deadline_first(client, cast):
    with time_machine.travel(NOW, tick=False):
        made = [case(cast, due=TODAY + timedelta(days=30 - n)) for n in range(30)]
        client.force_login(cast.supervisor)
        first = queue(client, tab="unassigned")
        second = queue(client, tab="unassigned", page="2")
        beyond = queue(client, tab="unassigned", page="99")

    expected = [a.reference for a in reversed(made)]
    assert references(first) == expected[:25]
    assert references(second) == references(beyond) == expected[25:]
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()


def test_a_queue_page_costs_the_same_queries_for_ten_and_a_thousand_cases(
    client, cast, django_assert_num_queries, django_assert_max_num_queries
):
    def add(n: int) -> None:
        dax = LicenseType.objects.get(code="DAX")
        made = Application.objects.bulk_create(
            Application(organization=cast.organization_a, license_type=dax, created_by=cast.applicant_a)
            for _ in range(n)
        )
        reviewers = [cast.reviewer, cast.reviewer2, None]
        for i, application in enumerate(made):
            Application.objects.filter(pk=application.pk).update(
                state=["submitted", "completeness_check", "under_review"][i % 3],
                assigned_reviewer=reviewers[i % 3],
                statutory_due_on=TODAY + timedelta(days=i % 40 - 5),
                submitted_at=NOW,
            )

    with time_machine.travel(NOW, tick=False):
        add(10)
        client.force_login(cast.supervisor)
        queue(client, tab="all")  # warm the per-process calendar and session
        with django_assert_max_num_queries(12) as few:
            queue(client, tab="all")
        add(990)
        with django_assert_num_queries(len(few.captured_queries)):
            many = queue(client, tab="all")

    assert counts(many)["all"] == 1000
    assert len(references(many)) == 25


def test_a_reviewer_picks_up_an_unassigned_case_from_the_queue(client, cast):
    application = make_application_in("submitted", cast)
    client.force_login(cast.reviewer)
    page = queue(client, tab="unassigned").content.decode()
    # Every "Pick up" button submits the page's one pick-up form to its own case's address.
    button = re.search(r'<button type="submit" form="(?P<form>[^"]+)" formaction="(?P<url>[^"]+)"', page)
    form = re.search(
        rf'<form method="post" id="{button["form"]}" hidden><input type="hidden" name="csrfmiddlewaretoken"', page
    )

    response = client.post(button["url"])

    application.refresh_from_db()
    assert form is not None and page.count('<form method="post" id="pick-up"') == 1
    assert button["url"] == reverse("licensing:staff_case_pick_up", args=[application.reference])
    assert response.status_code == 302
    assert (application.state, application.assigned_reviewer) == ("completeness_check", cast.reviewer)


def test_an_approver_cannot_pick_up_a_case(client, cast):
    application = make_application_in("submitted", cast)
    client.force_login(cast.approver)

    response = client.post(reverse("licensing:staff_case_pick_up", args=[application.reference]))

    application.refresh_from_db()
    assert response.status_code == 403
    assert application.state == "submitted"
    assert "Only a reviewer or a supervisor" in response.content.decode()


def test_a_supervisor_assigns_several_cases_at_once_and_hears_of_each_refusal(client, cast):
    submitted = make_application_in("submitted", cast)
    reviewing = make_application_in("under_review", cast)
    withdrawn = make_application_in("withdrawn", cast)
    client.force_login(cast.supervisor)

    response = client.post(
        reverse("licensing:staff_bulk_assign"),
        {
            "cases": [submitted.pk, reviewing.pk, withdrawn.pk],
            "reviewer": cast.reviewer2.pk,
            "next": "/staff/?tab=unassigned",
        },
    )

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    submitted.refresh_from_db()
    reviewing.refresh_from_db()
    assert response["Location"] == "/staff/?tab=unassigned"
    assert (submitted.state, submitted.assigned_reviewer) == ("completeness_check", cast.reviewer2)
    assert reviewing.assigned_reviewer == cast.reviewer2
    assert messages[0] == f"Assigned to reviewer2: {submitted.reference}, {reviewing.reference}."
    assert messages[1].startswith(f"{withdrawn.reference} was not assigned:")


def test_bulk_assignment_is_the_supervisors_and_goes_only_to_reviewers(client, cast):
    application = make_application_in("submitted", cast)
    client.force_login(cast.reviewer)
    as_reviewer = client.post(
        reverse("licensing:staff_bulk_assign"), {"cases": [application.pk], "reviewer": cast.reviewer2.pk}
    )
    client.force_login(cast.supervisor)
    to_applicant = client.post(
        reverse("licensing:staff_bulk_assign"), {"cases": [application.pk], "reviewer": cast.applicant_a.pk}
    )
    nothing_ticked = client.post(reverse("licensing:staff_bulk_assign"), {"reviewer": cast.reviewer2.pk})

    application.refresh_from_db()
    assert as_reviewer.status_code == 404
    assert to_applicant.status_code == nothing_ticked.status_code == 302
    assert "Tick the cases to assign." in [str(m) for m in get_messages(nothing_ticked.wsgi_request)]
    assert application.state == "submitted"


def test_reassigning_a_case_tells_the_new_reviewer_and_is_audited(client, cast, notices):
    application = make_application_in("under_review", cast)
    client.force_login(cast.supervisor)
    version = client.get(reverse("licensing:staff_case", args=[application.reference])).context["version"]

    response = client.post(
        reverse("licensing:staff_case_assign", args=[application.reference]),
        {"version": version, "reviewer": cast.reviewer2.pk},
    )

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.assigned_reviewer == cast.reviewer2
    assert [n["recipients"] for n in notices if n["kind"] == "case_assigned"] == [[cast.reviewer2]]
    page = client.get(reverse("licensing:staff_case", args=[application.reference])).content.decode()
    assert "supervisor reassigned the case" in page


def test_a_tab_longer_than_the_count_cap_says_more_than(client, cast, monkeypatch):
    monkeypatch.setattr("licensing.staff_selectors.COUNT_CAP", 3)
    with time_machine.travel(NOW, tick=False):
        for n in range(5):
            case(cast, due=TODAY + timedelta(days=n))
        client.force_login(cast.supervisor)
        response = queue(client, tab="unassigned")

    html = response.content.decode()
    assert counts(response)["unassigned"] == 4  # counted to the cap and one beyond, no further
    assert ">3+<" in html
    assert "of more than 3" in html
    assert len(references(response)) == 5
