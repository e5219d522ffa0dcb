"""``seed_bulk``: synthetic licenses and pending documents in batches, consistent with the real rules."""

import re
from collections import Counter
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction

from accounts.models import REVIEWER
from common.domains import normalise_host
from common.identifiers import is_valid_bin
from common.names import name_key
from licensing.bulk import bin_generate, documents_bulk_create
from licensing.calendar import add_working_days, local_date
from licensing.deadlines import statutory_due_on
from licensing.models import Application, Document, Organization
from registry.bulk import licenses_bulk_create
from registry.models import DigitalAsset, License, LicenseEvent, LicenseSequence, LicenseType
from registry.services import Holder, license_issue

pytestmark = pytest.mark.django_db

# A Wednesday in 2026: the holiday calendar covers the year, and the week has no holiday.
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
NUMBER = re.compile(r"^(DAX|DAC|DAB)-2026-(\d{4,})$")
STATUS_AFTER = {
    "issued": "active",
    "reinstated": "active",
    "suspended": "suspended",
    "revoked": "revoked",
    "surrendered": "surrendered",
    "expired": "expired",
}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _seed(**options):
    call_command("seed_bulk", verbosity=0, **options)


def test_seeded_licenses_have_unique_well_formed_numbers_and_valid_bins():
    _seed(licenses=300, batch_size=120, seed=1)

    licenses = list(License.objects.select_related("license_type"))
    assert len(licenses) == 300
    assert len({license.number for license in licenses}) == 300
    for license in licenses:
        match = NUMBER.match(license.number)
        assert match, license.number
        assert match.group(1) == license.license_type.code
        assert is_valid_bin(license.holder_bin), license.holder_bin
        assert license.holder_name.strip()
        assert license.holder_website == normalise_host(license.holder_website)
        assert license.search_key == name_key(*license.names())
        assert license.holder_website not in license.holder_domains
        assert date(2026, 1, 15) <= license.issued_at < NOW.date()


def test_numbers_run_gap_free_per_type_and_the_sequence_ends_at_the_last_one():
    _seed(licenses=300, batch_size=70, seed=2)

    for sequence in LicenseSequence.objects.select_related("license_type"):
        code = sequence.license_type.code
        values = sorted(
            int(n.rsplit("-", 1)[1])
            for n in License.objects.filter(license_type__code=code).values_list("number", flat=True)
        )
        assert values == list(range(1, sequence.last_value + 1))
    assert sum(LicenseSequence.objects.values_list("last_value", flat=True)) == 300


def test_validity_follows_the_license_type():
    _seed(licenses=200, seed=3)

    for license in License.objects.select_related("license_type"):
        years = license.license_type.validity_years
        if years:
            assert license.valid_until == license.issued_at.replace(year=license.issued_at.year + years)
        else:
            assert license.valid_until is None


def test_status_matches_the_last_public_history_event_which_starts_with_issued():
    _seed(licenses=300, seed=4)

    histories: dict[int, list[LicenseEvent]] = {}
    for event in LicenseEvent.objects.order_by("at", "id"):
        histories.setdefault(event.license_id, []).append(event)
    statuses = Counter()
    for license in License.objects.all():
        history = histories[license.pk]
        assert history[0].event == "issued"
        assert [e.at for e in history] == sorted(e.at for e in history)
        assert all(e.at <= NOW for e in history)
        assert all(e.reason for e in history[1:]), "every later event gives a public reason"
        assert STATUS_AFTER[history[-1].event] == license.status, license.number
        statuses[license.status] += 1
    # Mostly in force, but the register shows every kind of history.
    assert statuses["active"] > 200
    assert {"suspended", "revoked", "surrendered"} <= set(statuses)


def test_activities_are_allowed_for_the_type_and_assets_are_permitted():
    _seed(licenses=300, seed=5)

    permitted = set(DigitalAsset.objects.filter(status="permitted").values_list("pk", flat=True))
    allowed = {t.pk: set(t.allowed_activities().values_list("pk", flat=True)) for t in LicenseType.objects.all()}
    for license in License.objects.prefetch_related("activities", "assets"):
        activities = {a.pk for a in license.activities.all()}
        assert activities, license.number
        assert activities <= allowed[license.license_type_id], license.number
        assert {a.pk for a in license.assets.all()} <= permitted
    custody = License.objects.filter(license_type__code="DAC", activities__code="custody").count()
    assert custody == License.objects.filter(license_type__code="DAC").count()


def test_a_license_issued_later_continues_the_numbering_without_collision():
    _seed(licenses=300, seed=6)
    dax = LicenseType.objects.get(code="DAX")
    last = LicenseSequence.objects.get(license_type=dax, year=2026).last_value

    with transaction.atomic():
        issued = license_issue(
            license_type=dax,
            holder=Holder(name="Later Exchange JSC", bin="250140001232"),
            activities=list(dax.allowed_activities()[:1]),
            assets=[],
            application_id=None,
            issued_on=date(2026, 11, 25),
            actor=None,
        )

    assert issued.number == f"DAX-2026-{last + 1:04d}"
    assert License.objects.filter(number=issued.number).count() == 1


def test_a_second_run_adds_more_after_licenses_issued_through_the_services():
    _seed(licenses=100, seed=7)
    dac = LicenseType.objects.get(code="DAC")
    with transaction.atomic():
        license_issue(
            license_type=dac,
            holder=Holder(name="Between Runs Custody LLP", bin="241240005673"),
            activities=list(dac.allowed_activities()[:1]),
            assets=[],
            application_id=None,
            issued_on=date(2026, 11, 25),
            actor=None,
        )
    _seed(licenses=100, seed=7)

    numbers = list(License.objects.values_list("number", flat=True))
    assert len(numbers) == 201
    assert len(set(numbers)) == 201


def test_query_count_depends_on_batches_not_on_licenses(django_assert_max_num_queries):
    # Reference data cached by the database first.
    licenses_bulk_create(make_bin=bin_generate, count=10, batch_size=1000, seed=8)
    # One batch of 10 and one batch of 900 cost the same statements.
    with django_assert_max_num_queries(30) as small:
        licenses_bulk_create(make_bin=bin_generate, count=10, batch_size=1000, seed=8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        licenses_bulk_create(make_bin=bin_generate, count=900, batch_size=1000, seed=8)
    # Three batches cost at most three times one batch.
    with django_assert_max_num_queries(3 * len(small.captured_queries)):
        licenses_bulk_create(make_bin=bin_generate, count=900, batch_size=300, seed=8)
    assert License.objects.count() == 1820


def test_seeded_documents_are_pending_with_exactly_the_due_fraction_due():
    reviewer = get_user_model().objects.create_user(username="rev", password="unused-in-tests-0123")
    reviewer.groups.add(Group.objects.get(name=REVIEWER))

    _seed(documents=200, due_fraction=0.05, batch_size=64, seed=9)

    documents = list(Document.objects.select_related("application"))
    assert len(documents) == 200
    assert {d.state for d in documents} == {"pending"}
    assert len({d.storage_name for d in documents}) == 200
    assert all(re.fullmatch(r"[0-9a-f]{64}", d.sha256) for d in documents)
    assert all(d.size > 0 for d in documents)
    assert {d.application.state for d in documents} <= {"completeness_check", "under_review"}
    assert {d.application.assigned_reviewer_id for d in documents} == {reviewer.pk}
    today = local_date(NOW)
    # First reminder one working day before review is due (5 working days after arrival).
    due = [d for d in documents if add_working_days(local_date(d.uploaded_at), 4) <= today]
    assert len(due) == 10
    assert all((NOW - d.uploaded_at).days <= 60 for d in documents)
    assert all(d.uploaded_at <= NOW for d in documents)


def test_seeded_documents_belong_to_fresh_organizations_with_valid_bins_and_slots_are_unique():
    _seed(documents=150, batch_size=50, seed=10)
    _seed(documents=50, seed=10)  # same seed again: still fresh BINs, more rows

    assert Document.objects.count() == 200
    assert all(is_valid_bin(b) for b in Organization.objects.values_list("bin", flat=True))
    assert Application.objects.filter(assigned_reviewer__isnull=True).count() == Application.objects.count()
    slots = Counter(Document.objects.values_list("application_id", "requirement_id", "version"))
    assert max(slots.values()) == 1
    for application in Application.objects.prefetch_related("documents"):
        allowed = set(application.license_type.document_requirements.values_list("pk", flat=True))
        assert {d.requirement_id for d in application.documents.all()} <= allowed


def test_document_query_count_depends_on_batches_not_on_documents(django_assert_max_num_queries):
    documents_bulk_create(count=10, batch_size=1000, seed=11)
    with django_assert_max_num_queries(40) as small:
        documents_bulk_create(count=10, batch_size=1000, seed=11)
    with django_assert_max_num_queries(len(small.captured_queries)):
        documents_bulk_create(count=900, batch_size=1000, seed=11)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "Nothing to do"),
        ({"licenses": -1}, "must not be negative"),
        ({"documents": 10, "due_fraction": 1.5}, "between 0 and 1"),
        ({"licenses": 10, "batch_size": 0}, "at least 1"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_written(options, message):
    with pytest.raises(CommandError, match=message):
        _seed(**options)
    assert License.objects.count() == 0
    assert Document.objects.count() == 0


def test_bulk_licenses_on_postgresql_use_copy_and_keep_every_rule(postgres, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        licenses_bulk_create(make_bin=bin_generate, count=2000, batch_size=5000, seed=12)
    assert License.objects.count() == 2000
    assert License.objects.values("number").distinct().count() == 2000
    assert LicenseEvent.objects.filter(event="issued").count() == 2000


def test_seeded_applications_carry_the_due_date_their_clock_computes():
    reviewer = get_user_model().objects.create_user(username="rev", password="unused-in-tests-0123")
    reviewer.groups.add(Group.objects.get(name=REVIEWER))

    _seed(applications=300, batch_size=128, seed=13)
    _seed(documents=20, seed=14)

    applications = list(Application.objects.select_related("license_type").prefetch_related("clock_pauses"))
    assert len(applications) == 300 + Application.objects.filter(documents__isnull=False).distinct().count()
    assert {a.state for a in applications} >= {"submitted", "under_review", "pending_decision", "refused", "lapsed"}
    today = local_date(NOW)
    for application in applications:
        assert application.statutory_due_on == statutory_due_on(application, today=today), application.state
        if application.state != "submitted" and application.state in Application.UNDER_CONSIDERATION:
            assert application.assigned_reviewer == reviewer
    assert Application.objects.filter(statutory_due_on__lt=today).exists()  # some are overdue, as at a real desk
