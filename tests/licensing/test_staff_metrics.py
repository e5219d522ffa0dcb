"""The supervisors' metrics (SPEC section 14): aggregate figures, an SVG chart and a table of each,
and a CSV of each."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from licensing.metrics import METRICS
from licensing.models import Application, ClockPause
from registry.models import Decision, LicenseType

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ALMATY)
TODAY = NOW.date()


def _case(cast, *, state, license_type="DAX", reviewer=None, **fields) -> Application:
    application = Application.objects.create(
        organization=cast.organization_a,
        license_type=LicenseType.objects.get(code=license_type),
        created_by=cast.applicant_a,
    )
    Application.objects.filter(pk=application.pk).update(state=state, assigned_reviewer=reviewer, **fields)
    return application


def _decided(cast, *, days: int, at, license_type: str = "DAX") -> Application:
    """A refused case with the decision registry records for it (registry.services.decision_record)."""
    application = _case(cast, state="refused", license_type=license_type, closed_at=at, decided_at=at)
    Decision.objects.create(
        application_id=application.pk,
        license_type=application.license_type,
        outcome=Decision.Outcome.REFUSED,
        submitted_on=(at - timedelta(days=days * 1.4)).date(),
        decided_on=at.date(),
        working_days=days,
    )
    return application


@pytest.fixture
def history(cast):
    may = datetime(2026, 5, 20, 12, 0, tzinfo=ALMATY)
    june = datetime(2026, 6, 3, 12, 0, tzinfo=ALMATY)
    for when in (may, may, june, june, june):
        _case(cast, state="withdrawn", closed_at=when)
    # DAX decisions took 10, 20, 30, 40 and 50 working days; DAB one of 12.
    for days in (10, 20, 30, 40, 50):
        _decided(cast, days=days, at=june)
    _decided(cast, days=12, at=june, license_type="DAB")
    late = _case(cast, state="completeness_check", reviewer=cast.reviewer, statutory_due_on=TODAY - timedelta(days=1))
    _case(cast, state="completeness_check", reviewer=cast.reviewer, statutory_due_on=TODAY + timedelta(days=5))
    _case(cast, state="information_requested", reviewer=cast.reviewer2, statutory_due_on=TODAY + timedelta(days=9))
    _case(cast, state="submitted", statutory_due_on=TODAY + timedelta(days=20))
    ClockPause.objects.create(application=late, started_at=june, ended_at=june + timedelta(days=4))
    ClockPause.objects.create(application=late, started_at=june + timedelta(days=5))


def _rows(name: str) -> dict[str, list]:
    with time_machine.travel(NOW, tick=False):
        metric = METRICS[name](TODAY)
    return {str(row[0]): row[1:] for row in metric.rows}


def test_outcomes_per_month(history):
    rows = _rows("outcomes")

    assert rows["May 2026"] == [0, 0, 2, 0]  # approved, refused, withdrawn, lapsed
    assert rows["June 2026"] == [0, 6, 3, 0]
    assert len(rows) == 12


def test_decision_times_median_and_90th_percentile_by_type(history):
    rows = _rows("decision-times")

    assert rows["DAX"] == [5, 30, 50]  # decided, median, 90th percentile (nearest rank) of 10..50
    assert rows["DAB"] == [1, 12, 12]


def test_overdue_cases_by_stage_and_workload_per_reviewer(history):
    overdue = _rows("overdue")
    workload = _rows("workload")

    assert overdue["Completeness check"] == [2, 1]
    assert overdue["Submitted"] == [1, 0]
    assert workload["reviewer"] == [2, 1, 0, 0]
    assert workload["reviewer2"] == [1, 0, 1, 0]
    assert workload["Unassigned"] == [1, 0, 0, 0]


def test_clock_pauses_per_month(history):
    assert _rows("clock-pauses")["June 2026"] == [2, 1, 4.0]


def test_the_page_draws_each_chart_with_its_table_and_a_csv(client, cast, history):
    client.force_login(cast.supervisor)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("licensing:staff_metrics"))
        csv_response = client.get(reverse("licensing:staff_metrics_csv", args=["decision-times"]))

    html = page.content.decode()
    assert html.count('<svg class="chart"') == len(METRICS)
    assert html.count("<table") == len(METRICS)
    assert html.count("<script") == 1  # the site's one script file: the charts need none
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows == [
        ["License type", "Decided", "Median", "90th percentile"],
        ["DAB", "1", "12", "12"],
        ["DAX", "5", "30", "50"],
    ]


def test_the_metrics_cost_the_same_queries_however_many_cases(client, cast, django_assert_max_num_queries):
    client.force_login(cast.supervisor)
    with time_machine.travel(NOW, tick=False):
        client.get(reverse("licensing:staff_metrics"))
        with django_assert_max_num_queries(30) as few:
            client.get(reverse("licensing:staff_metrics"))
        for n in range(60):
            _decided(cast, days=n, at=NOW - timedelta(days=n))
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("licensing:staff_metrics"))
