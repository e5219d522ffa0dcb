"""The warning list's lookalike check: an organization close to a listed entity by name or domain."""

from datetime import date

import pytest

from registry.models import WarningEntry
from registry.selectors import warning_lookalikes

pytestmark = pytest.mark.django_db


@pytest.fixture
def warnings_list():
    return {
        "fake": WarningEntry.objects.create(
            name="Steppe Crypto Exchange", domains=["steppe-crypto.io", "www.steppe-x.com"], listed_on=date(2026, 4, 1)
        ),
        "other": WarningEntry.objects.create(name="Golden Horde Finance", domains=[], listed_on=date(2026, 4, 2)),
        "settled": WarningEntry.objects.create(
            name="Steppe Crypto Exchanges", domains=["steppe-crypto.net"], listed_on=date(2026, 1, 1), is_active=False
        ),
    }


def test_a_close_name_is_flagged_with_its_score(warnings_list):
    matches = warning_lookalikes(name="Steppe Crypto Exchange LLP", domains=[])

    assert [match.entry for match in matches] == [warnings_list["fake"]]
    assert matches[0].matched_on == "name"
    assert 0.5 <= matches[0].score <= 1


def test_a_close_domain_is_flagged_even_when_the_name_differs(warnings_list):
    matches = warning_lookalikes(name="Nomad Digital JSC", domains=["https://www.steppe-crypto.io/app"])

    assert [(match.entry, match.matched_on) for match in matches] == [(warnings_list["fake"], "domain")]
    assert matches[0].score == 1


def test_an_unrelated_organization_is_not_flagged(warnings_list):
    assert warning_lookalikes(name="Altyn Custody LLP", domains=["altyn-custody.kz"]) == []


def test_entries_no_longer_shown_publicly_are_not_matched(warnings_list):
    matches = warning_lookalikes(name="", domains=["steppe-crypto.net"], threshold=0.99)
    assert matches == []


def test_the_threshold_decides_how_close_is_close(warnings_list):
    loose = warning_lookalikes(name="Steppe Exchange", domains=[], threshold=0.3)
    strict = warning_lookalikes(name="Steppe Exchange", domains=[], threshold=0.95)
    assert warnings_list["fake"] in [match.entry for match in loose]
    assert strict == []


def test_best_matches_come_first(warnings_list):
    WarningEntry.objects.create(name="Steppe Crypto", domains=[], listed_on=date(2026, 4, 3))
    matches = warning_lookalikes(name="Steppe Crypto Exchange", domains=[], threshold=0.4)
    assert matches[0].entry == warnings_list["fake"]
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_malformed_domains_in_an_entry_do_not_break_the_check(warnings_list):
    WarningEntry.objects.create(name="Odd Entry", domains={"not": "a list"}, listed_on=date(2026, 4, 4))
    WarningEntry.objects.create(name="Odd Entry 2", domains=[None, 42, "odd.kz"], listed_on=date(2026, 4, 4))
    assert [m.entry.name for m in warning_lookalikes(name="", domains=["odd.kz"])] == ["Odd Entry 2"]


def test_lookalikes_use_trigram_similarity_on_postgresql(postgres, warnings_list):
    matches = warning_lookalikes(name="Stepe Crypto Exchang", domains=["steppe-crypto.io"])
    assert matches[0].entry == warnings_list["fake"]
