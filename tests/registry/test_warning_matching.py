"""Lookalike screening against the warning list (registry.warning_list.matching).

The set of lookalikes and innocent names is in ``lookalike_cases``; the same tests run in the
PostgreSQL and the SQLite pass of the suite, so both databases are held to the same figures.
"""

from __future__ import annotations

from datetime import date

import idna
import pytest

from common.domains import normalise_host
from registry.models import WarningEntry
from registry.warning_list.matching import DEFAULT_THRESHOLD, name_similarity, site_similarity, warning_lookalikes
from tests.registry.lookalike_cases import INNOCENTS, LISTED_ON, LOOKALIKES, WARNING_LIST

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning_list():
    return {
        name: WarningEntry.objects.create(name=name, domains=domains, listed_on=LISTED_ON)
        for name, domains in WARNING_LIST
    }


def _screen(names, domains):
    return warning_lookalikes(names=names, hosts=[normalise_host(domain) for domain in domains])


def test_the_test_set_is_large_enough():
    assert len(LOOKALIKES) >= 30
    assert len(INNOCENTS) >= 30


def test_at_least_95_percent_of_lookalikes_are_caught_and_no_innocent_name_is_flagged(warning_list):
    missed = [
        (names, domains, imitated)
        for names, domains, imitated in LOOKALIKES
        if imitated not in {match.entry.name for match in _screen(names, domains)}
    ]
    flagged = [
        (names, [(m.entry.name, m.score, m.reason) for m in found])
        for names, domains in INNOCENTS
        if (found := _screen(names, domains))
    ]

    assert len(missed) <= len(LOOKALIKES) * 0.05, f"missed: {missed}"
    assert flagged == []


def test_every_kind_of_lookalike_is_caught(warning_list):
    # One of each kind the screening must recognise, whatever the overall rate.
    cases = {
        "spelling": (["Stepe Crypto Exchange"], []),
        "added_words": (["Steppe Crypto Global Exchange JSC"], []),
        "lookalike_letters": (["St\u0435\u0440\u0440\u0435 Crypto Exchange"], []),
        "other_tld": ([], ["steppe-crypto.com"]),
        "domain_spelling": ([], ["stepe-crypto.io"]),
        "same_site": ([], ["app.steppe-crypto.io"]),
    }
    for reason, (names, domains) in cases.items():
        matches = _screen(names, domains)
        assert [(m.entry.name, m.reason) for m in matches] == [("Steppe Crypto Exchange", reason)], reason


def test_a_match_says_which_name_matched_which_entry_and_how_closely(warning_list):
    [match] = _screen(["Aksu Digital LLP", "Tengri Profits"], ["aksu.kz"])

    assert (match.entry.name, match.kind, match.value, match.listed) == (
        "Tengri Profit",
        "name",
        "Tengri Profits",
        "Tengri Profit",
    )
    assert DEFAULT_THRESHOLD <= match.score < 1


def test_a_name_and_a_domain_of_one_entry_are_two_matches_best_first(warning_list):
    matches = _screen(["Bitkassa"], ["bitkassa.com"])

    assert [(m.kind, m.score) for m in matches] == [("name", 1.0), ("domain", 0.9)]


def test_a_removed_entry_is_not_matched(warning_list):
    entry = warning_list["Bitkassa"]
    WarningEntry.objects.filter(pk=entry.pk).update(status="removed", removed_on=date(2026, 1, 1))

    assert _screen(["Bitkassa"], ["bitkassa.io"]) == []


def test_a_lower_threshold_flags_more():
    assert name_similarity("Tengri Partners", "Tengri Profit")[0] < DEFAULT_THRESHOLD
    assert name_similarity("Tengri Partners", "Tengri Profit")[0] > 0.5


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        ("Steppe Crypto Exchange LLP", "STEPPE crypto exchange", "same_name"),
        ("ТОО «Steppe Crypto Exchange»", "Steppe Crypto Exchange", "same_name"),
        ("Stéppe Crypto Exchange", "Steppe Crypto Exchange", "same_name"),
        ("Exchange Steppe Crypto", "Steppe Crypto Exchange", "same_name"),
    ],
)
def test_case_accents_legal_forms_and_word_order_do_not_make_a_name_different(first, second, reason):
    assert name_similarity(first, second) == (1.0, reason)


def test_a_lookalike_domain_in_its_ascii_form_is_read_in_its_own_letters():
    host = idna.encode("bitk\u0430ssa", uts46=True).decode() + ".io"

    assert host.startswith("xn--")
    assert site_similarity(host, "bitkassa.io") == (0.95, "lookalike_letters")


def test_a_site_on_a_country_second_level_domain_is_compared_by_its_own_name():
    assert site_similarity("steppe-crypto.com.kz", "steppe-crypto.io") == (0.9, "other_tld")
    assert site_similarity("example.com.kz", "other.com.kz") == (0.0, "")
