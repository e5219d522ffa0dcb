"""The API names reference data in the language asked for, and in all three languages at once."""

from __future__ import annotations

import pytest

from registry.models import LicenseType

pytestmark = pytest.mark.django_db

NAMES = {"kk", "ru", "en"}


def test_license_answers_name_its_type_and_activities_in_all_three_languages(client, register):
    dax = LicenseType.objects.get(code="DAX")
    body = client.get(f"/api/v1/licenses/{register['steppe'].number}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    listed = client.get("/api/v1/licenses/?license_type=DAX", HTTP_ACCEPT_LANGUAGE="kk").json()["results"][0]

    assert body["license_type_name"] == dax.name_ru
    assert body["license_type_names"] == {"kk": dax.name_kk, "ru": dax.name_ru, "en": dax.name_en}
    assert listed["license_type_name"] == dax.name_kk
    assert listed["license_type_names"] == body["license_type_names"]
    custody = next(activity for activity in body["activity_names"] if activity["code"] == "custody")
    assert custody["name"] == "Хранение цифровых финансовых активов в интересах клиентов"
    assert set(custody["names"]) == NAMES
    assert custody["names"]["kk"] == "Клиенттердің мүддесінде цифрлық қаржы активтерін сақтау"


def test_asset_list_names_each_dfa_class_in_all_three_languages(client, register):
    results = client.get("/api/v1/assets/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    btc = next(asset for asset in results if asset["symbol"] == "BTC")

    assert btc["dfa_class_name"] == "Unsecured digital asset"
    assert btc["dfa_class_names"] == {
        "kk": "Қамтамасыз етілмеген цифрлық актив",
        "ru": "Необеспеченный цифровой актив",
        "en": "Unsecured digital asset",
    }


def test_the_openapi_description_declares_the_names_in_three_languages(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert set(schemas["Names"]["properties"]) == NAMES
    assert schemas["LicenseOut"]["properties"]["license_type_names"] == {"$ref": "#/components/schemas/Names"}
    assert schemas["ActivityOut"]["properties"]["names"] == {"$ref": "#/components/schemas/Names"}
    assert schemas["AssetOut"]["properties"]["dfa_class_names"] == {"$ref": "#/components/schemas/Names"}


def test_license_types_carry_the_statutory_term_in_kazakh_and_russian():
    for license_type in LicenseType.objects.all():
        assert "цифрлық қаржы активтер" in license_type.name_kk.lower()
        assert "цифровы" in license_type.name_ru.lower() and "финансов" in license_type.name_ru.lower()
