"""Public statistics of decisions (issue 11.6): recorded by licensing through a registry service."""

import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from common.errors import DomainError
from licensing import services
from licensing.models import Application
from registry.models import Decision, LicenseType
from registry.selectors import decision_statistics, nearest_rank
from registry.services import decision_record
from tests.licensing.conftest import make_application_in

pytestmark = pytest.mark.django_db

SUBMITTED = datetime(2026, 4, 6, 5, 0, tzinfo=UTC)  # Monday 6 April, 10:00 in Almaty
DECIDED = datetime(2026, 4, 20, 6, 0, tzinfo=UTC)  # Monday 20 April: ten working days later


def _decided(cast, outcome: str) -> Application:
    with time_machine.travel(SUBMITTED, tick=False):
        application = make_application_in("pending_decision", cast)
    with time_machine.travel(DECIDED, tick=False):
        if outcome == "granted":
            return services.application_approve(application=application, actor=cast.approver)
        return services.application_refuse(application=application, actor=cast.approver, reasons="Capital unproven.")


@pytest.mark.parametrize("outcome", ["granted", "refused"])
def test_a_decision_leaves_a_public_record_with_its_working_days(cast, outcome):
    application = _decided(cast, outcome)

    record = Decision.objects.get(application_id=application.pk)
    assert (record.outcome, record.license_type, record.submitted_on, record.decided_on) == (
        outcome,
        application.license_type,
        date(2026, 4, 6),
        date(2026, 4, 20),
    )
    assert record.working_days == 10


def test_statistics_per_type_and_year_give_count_share_median_and_90th_percentile():
    dax, dab = LicenseType.objects.get(code="DAX"), LicenseType.objects.get(code="DAB")
    days = [12, 30, 41, 25, 60, 18, 33, 29, 45, 22]
    for pk, working_days in enumerate(days, start=1):
        decision_record(
            application_id=pk,
            license_type=dax,
            outcome="granted" if pk % 4 else "refused",
            submitted_on=date(2026, 1, 5),
            decided_on=date(2026, 3, 1),
            working_days=working_days,
        )
    decision_record(
        application_id=99,
        license_type=dab,
        outcome="refused",
        submitted_on=date(2025, 11, 3),
        decided_on=date(2025, 12, 30),
        working_days=None,
    )

    rows = {(row.license_type.code, row.year): row for row in decision_statistics()}

    dax_2026 = rows[("DAX", 2026)]
    assert (dax_2026.decided, dax_2026.granted, dax_2026.refused, dax_2026.granted_share) == (10, 8, 2, 0.8)
    assert dax_2026.median_days == 29.5
    assert dax_2026.p90_days == 45
    dab_2025 = rows[("DAB", 2025)]
    assert (dab_2025.decided, dab_2025.granted_share, dab_2025.median_days, dab_2025.p90_days) == (1, 0.0, None, None)
    assert [row.year for row in decision_statistics()] == [2026, 2025]


def test_nearest_rank_percentiles():
    assert nearest_rank([], 90) is None
    assert nearest_rank([7], 90) == 7
    assert nearest_rank(list(range(1, 11)), 90) == 9
    assert nearest_rank(list(range(1, 12)), 90) == 10


def test_a_decision_before_its_submission_is_refused():
    with pytest.raises(DomainError, match="cannot precede"):
        decision_record(
            application_id=1,
            license_type=LicenseType.objects.get(code="DAX"),
            outcome="granted",
            submitted_on=date(2026, 3, 2),
            decided_on=date(2026, 3, 1),
            working_days=0,
        )


def test_the_page_and_the_api_publish_the_figures_and_nobody_s_name(client, cast):
    application = _decided(cast, "granted")

    page = client.get("/registry/statistics/").content.decode()
    body = json.loads(client.get("/api/v1/statistics/").content)

    assert body["results"] == [
        {
            "license_type": application.license_type.code,
            "license_type_name": application.license_type.name,
            "year": 2026,
            "decided": 1,
            "granted": 1,
            "refused": 0,
            "granted_share": 1.0,
            "median_working_days": 10.0,
            "p90_working_days": 10,
        }
    ]
    assert "working days" in body["method"]
    assert "100\xa0%" in page and ">10<" in page  # the share as the other pages write it
    for private in (application.organization.legal_name, application.organization.bin):
        assert private not in json.dumps(body)
    assert application.organization.legal_name not in page


@pytest.mark.django_db(transaction=True)
def test_decisions_taken_before_the_records_existed_are_backfilled(database_owner):
    # Back to the schema before the backfill (licensing 0008), where the holiday table still was.
    executor = MigrationExecutor(connection)
    before = [("licensing", "0007_applicant_face"), ("registry", "0010_decisions")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("licensing", "Holiday").objects.create(date=date(2026, 1, 1), name_en="New Year")
    organization = old.get_model("licensing", "Organization").objects.create(legal_name="Old LLP", bin="250140001232")
    application = old.get_model("licensing", "Application").objects.create(
        organization=organization,
        license_type=old.get_model("registry", "LicenseType").objects.get(code="DAB"),
        created_by=old.get_model("accounts", "User").objects.create(username="old-applicant"),
        state="refused",
        submitted_at=SUBMITTED,
        decided_at=DECIDED,
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    record = Decision.objects.get(application_id=application.pk)
    assert (record.outcome, record.working_days) == ("refused", 10)
