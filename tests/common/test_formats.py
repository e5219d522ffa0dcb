"""Dates and amounts as each language writes them; dates read back as ISO or day first, never guessed."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from common.dates import DateField, parse_written_date
from common.money import kzt

DECEMBER_2 = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "2 желтоқсан 2026 ж."), ("ru", "2 декабря 2026 г."), ("en", "2 December 2026")],
)
def test_each_language_writes_a_date_its_own_way(language, expected):
    with translation.override(language):
        assert date_format(DECEMBER_2, "DATE_FORMAT") == expected
        # One style per language: the short format is the same, so no page can show another.
        assert date_format(DECEMBER_2, "SHORT_DATE_FORMAT") == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "2 желтоқсан 2026 ж., 14:30"), ("ru", "2 декабря 2026 г., 14:30"), ("en", "2 December 2026, 14:30")],
)
def test_date_and_time_in_the_templates_named_format(language, expected):
    moment = datetime(2026, 12, 2, 14, 30, tzinfo=ZoneInfo("Asia/Almaty"))
    with translation.override(language):
        rendered = Template('{{ moment|date:"DATETIME_FORMAT" }}').render(Context({"moment": moment}))

    assert rendered == expected


def test_kazakh_months_are_written_in_lower_case_in_every_month():
    with translation.override("kk"):
        months = [date_format(date(2026, month, 1), "DATE_FORMAT").split()[1] for month in range(1, 13)]

    assert months == [
        "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
        "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "1\xa0500\xa0000\xa0000 теңге"), ("ru", "1\xa0500\xa0000\xa0000 тенге"), ("en", "KZT 1,500,000,000")],
)
def test_amounts_in_tenge_are_grouped_in_the_languages_way(language, expected):
    with translation.override(language):
        assert kzt(1_500_000_000) == expected
        assert Template("{% load portal %}{{ amount|kzt }}").render(Context({"amount": 1_500_000_000})) == expected


def test_an_amount_with_tiyn_keeps_two_decimals_and_no_amount_shows_nothing():
    with translation.override("ru"):
        assert kzt(Decimal("1234.5")) == "1\xa0234,50 тенге"
        assert Template("{% load portal %}[{{ amount|kzt }}]").render(Context({"amount": None})) == "[]"


class DeadlineForm(forms.Form):
    deadline = DateField()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2025-02-12", date(2025, 2, 12)),
        ("12.02.2025", date(2025, 2, 12)),
        ("12/02/2025", date(2025, 2, 12)),  # ESMA's registers: 12 February, never 2 December
        ("31/01/2026", date(2026, 1, 31)),
    ],
)
def test_a_typed_date_is_read_as_iso_or_day_first_in_every_language(language, typed, expected):
    with translation.override(language):
        form = DeadlineForm({"deadline": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["deadline"] == expected


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_month_first_date_is_refused_with_a_message_not_guessed(language):
    with translation.override(language):
        form = DeadlineForm({"deadline": "01/31/2026"})  # US order: there is no 31st month

        assert not form.is_valid()
        assert "02.12.2026" in form.errors["deadline"][0]


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("kk", "2 желтоқсан 2026 ж."),
        ("kk", "2 Желтоқсан 2026"),
        ("ru", "2 декабря 2026 г."),
        ("ru", "2 декабрь 2026"),
        ("en", "2 December 2026"),
        ("en", "2 december 2026"),
    ],
)
def test_a_date_written_as_the_pages_write_it_is_read_back(language, typed):
    with translation.override(language):
        assert parse_written_date(typed) == DECEMBER_2
        form = DeadlineForm({"deadline": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["deadline"] == DECEMBER_2


@pytest.mark.parametrize("typed", ["31 февраля 2026 г.", "2 Brumaire 2026", "2026 2 декабря", "декабря 2026"])
def test_a_written_date_that_is_no_date_is_refused(typed):
    with translation.override("ru"):
        assert parse_written_date(typed) is None
        assert not DeadlineForm({"deadline": typed}).is_valid()


@pytest.mark.django_db
def test_the_admin_reads_esmas_date_as_12_february(client):
    from licensing.models import WorkdayTransfer

    admin = get_user_model().objects.create_superuser("root", "root@example.kz", "a-long-password-123")
    client.force_login(admin)
    response = client.post(
        "/admin/licensing/workdaytransfer/add/",
        {"day_off": "12/02/2025", "working_day": "", "decree": "Check"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert WorkdayTransfer.objects.get(decree="Check").day_off == date(2025, 2, 12)


def test_templates_write_dates_only_in_the_named_formats():
    # Machine-readable values ('c', 'Y-m-d' in datetime attributes) aside, every date a person reads
    # goes through DATE_FORMAT or DATETIME_FORMAT, so one language shows one style everywhere.
    allowed = {'"DATE_FORMAT"', '"DATETIME_FORMAT"', "'c'", '"c"', "'Y-m-d'", '"Y-m-d"'}
    uses = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.*"):
        for argument in re.findall(r"\|date:(\S+?)(?=[\s%}|])", path.read_text()):
            if argument not in allowed:
                uses.append(f"{path.name}: |date:{argument}")

    assert not uses
