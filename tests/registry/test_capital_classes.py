"""License types are capital classes (SPEC 5): a type allows its class's activities and those below."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from common.errors import DomainError
from registry.models import Activity, LicenseType
from registry.selectors import license_type_for
from registry.services import license_issue
from tests.registry.factories import holder, make_user

pytestmark = pytest.mark.django_db

CLASS_1 = {"advice", "order_transmission", "order_execution", "placing", "portfolio_management", "transfer"}
CLASS_2 = CLASS_1 | {"custody", "dfa_fiat_exchange", "dfa_dfa_exchange"}
CLASS_3 = CLASS_2 | {"trading_platform"}


def activities(*codes: str) -> list[Activity]:
    return list(Activity.objects.filter(code__in=codes))


@pytest.mark.parametrize(("code", "allowed"), [("DAB", CLASS_1), ("DAC", CLASS_2), ("DAX", CLASS_3)])
def test_each_type_allows_its_class_and_every_class_below(code, allowed):
    assert set(LicenseType.objects.get(code=code).allowed_activities().values_list("code", flat=True)) == allowed


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ((), "DAB"),
        (("advice",), "DAB"),
        (("advice", "portfolio_management", "transfer"), "DAB"),
        (("custody",), "DAC"),
        (("dfa_fiat_exchange", "advice"), "DAC"),
        (("trading_platform",), "DAX"),
        (("custody", "trading_platform", "placing", "advice", "portfolio_management"), "DAX"),
    ],
)
def test_an_application_takes_the_lowest_type_covering_every_activity(codes, expected):
    assert license_type_for(activities(*codes)).code == expected


def test_a_closed_type_is_skipped_for_the_next_class_up_and_none_when_nothing_covers():
    LicenseType.objects.filter(code="DAB").update(is_active=False)
    assert license_type_for(activities("advice")).code == "DAC"
    LicenseType.objects.filter(code="DAX").update(is_active=False)
    assert license_type_for(activities("trading_platform")) is None


def test_one_license_carries_custody_trading_platform_placing_advice_and_portfolio_management():
    mix = activities("custody", "trading_platform", "placing", "advice", "portfolio_management")
    with transaction.atomic():
        license = license_issue(
            license_type=LicenseType.objects.get(code="DAX"),
            holder=holder(),
            activities=mix,
            assets=[],
            application_id=None,
            issued_on=date(2026, 12, 2),
            actor=make_user("approver"),
        )
    assert set(license.activities.values_list("code", flat=True)) == {a.code for a in mix}


def test_a_license_below_the_class_of_an_activity_is_refused():
    with pytest.raises(DomainError) as refused, transaction.atomic():
        license_issue(
            license_type=LicenseType.objects.get(code="DAC"),
            holder=holder(),
            activities=activities("custody", "trading_platform"),
            assets=[],
            application_id=None,
            issued_on=date(2026, 12, 2),
            actor=make_user("approver"),
        )
    assert "Not allowed for a DAC license: Operation of a trading platform" in str(refused.value)


@pytest.mark.django_db(transaction=True)
def test_existing_types_migrate_to_classes_keeping_a_superusers_own_type(database_owner):
    executor = MigrationExecutor(connection)
    before = [("registry", "0005_name_words"), ("licensing", "0003_roles")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldType, OldActivity = old.get_model("registry", "LicenseType"), old.get_model("registry", "Activity")
    own = OldType.objects.create(
        code="DAZ", name_en="Own", name_ru="Own", name_kk="Own", min_capital_kzt=1, validity_years=None
    )
    own.activities.set(OldActivity.objects.filter(code__in=["advice", "custody"]))
    user = old.get_model("accounts", "User").objects.create(username="old-applicant")
    organization = old.get_model("licensing", "Organization").objects.create(legal_name="Old LLP", bin="250140001232")
    Application = old.get_model("licensing", "Application")
    draft, submitted = (
        Application.objects.create(
            organization=organization, license_type=OldType.objects.get(code="DAX"), created_by=user, state=state
        )
        for state in ("draft", "submitted")
    )
    for application in (draft, submitted):
        application.activities.set(OldActivity.objects.filter(code="advice"))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    classes = dict(LicenseType.objects.values_list("code", "capital_class"))
    assert classes == {"DAB": 1, "DAC": 2, "DAX": 3, "DAZ": 2}
    assert Activity.objects.get(code="trading_platform").capital_class == 3
    assert LicenseType.objects.get(code="DAC").name_en == "Digital asset custody and exchange (class 2)"
    # A draft follows its activities; a submitted case keeps the type it is assessed under.
    retyped = dict(Application.objects.values_list("state", "license_type__code"))
    assert retyped == {"draft": "DAB", "submitted": "DAX"}
