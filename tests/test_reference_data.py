from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission

from licensing.calendar import get_calendar
from licensing.models import DocumentRequirement
from registry.models import Activity, DFAClass, DigitalAsset, LicenseType

pytestmark = pytest.mark.django_db


def test_the_ten_activities_are_named_in_three_languages():
    activities = list(Activity.objects.all())

    assert len(activities) == 10
    assert {a.code for a in activities} >= {"custody", "trading_platform", "advice", "portfolio_management"}
    assert all(a.name_kk and a.name_ru and a.name_en for a in activities)


@pytest.mark.parametrize(
    ("code", "extra_document"),
    [("DAX", "listing_policy"), ("DAC", "custody_arrangements"), ("DAB", None)],
)
def test_license_types_carry_capital_validity_deadlines_and_documents(code, extra_document):
    license_type = LicenseType.objects.get(code=code)
    documents = set(license_type.document_requirements.values_list("code", flat=True))

    assert license_type.min_capital_kzt > 0
    assert (license_type.completeness_days, license_type.decision_days, license_type.response_days) == (25, 40, 20)
    assert license_type.allowed_activities().exists()
    assert {"charter", "paid_up_capital", "aml_cft_policy", "risk_management", "infosec_audit"} <= documents
    assert {"business_plan", "beneficial_ownership", "fit_and_proper"} <= documents
    if extra_document:
        assert extra_document in documents


def test_custodian_may_not_run_a_trading_platform():
    assert not LicenseType.objects.get(code="DAC").allowed_activities().filter(code="trading_platform").exists()


def test_fit_and_proper_declaration_is_required_per_key_person():
    assert DocumentRequirement.objects.get(code="fit_and_proper").per_key_person


def test_permitted_assets_cover_all_four_dfa_classes():
    classes = set(DigitalAsset.objects.filter(status="permitted").values_list("dfa_class", flat=True))

    assert classes == {choice.value for choice in DFAClass}


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028, 2035])
def test_the_calendar_knows_kazakhstans_holidays_in_every_year(year):
    calendar = get_calendar()
    fixed = [date(year, 1, 1), date(year, 1, 2), date(year, 3, 21), date(year, 3, 22), date(year, 3, 23)]

    # Each is a day off, or a weekend day whose day off moved to a Monday.
    assert not any(calendar.is_working_day(day) for day in [*fixed, date(year, 12, 16)])
    assert not calendar.is_working_day(date(year, 3, 8))


def test_staff_roles_exist_with_their_permissions():
    permissions = {
        group.name: set(group.permissions.values_list("codename", flat=True)) for group in Group.objects.all()
    }

    assert {"view_application", "view_license"} <= permissions["reviewer"]
    assert {"change_warningentry", "change_digitalasset"} <= permissions["supervisor"]
    assert "change_digitalasset" not in permissions["approver"]


def test_no_custom_permission_is_left_that_nothing_checks():
    # The services check staff groups (licensing.permissions); a custom model permission would
    # suggest a rule that nothing enforces.
    custom = Permission.objects.exclude(codename__regex=r"^(add|change|delete|view)_").filter(
        content_type__app_label__in=["licensing", "registry", "accounts", "audit", "notifications"]
    )

    assert list(custom.values_list("codename", flat=True)) == []
