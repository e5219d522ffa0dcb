"""BIN and LEI validators (SPEC section 6).

The expected check digits are worked out by hand in the comments and, independently of
``common.identifiers``, by the small helpers below; the module's internals are never imported.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise

from common.identifiers import is_valid_bin, is_valid_lei, validate_bin, validate_lei

# Reading a lazily translated message needs settings. Under pytest-django the project's settings
# are in place; when these tests run on their own, minimal settings without i18n suffice.
if not settings.configured and "DJANGO_SETTINGS_MODULE" not in os.environ:
    settings.configure(USE_I18N=False)


def _message(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    # English, whatever the project's default language, so the fragments below stay stable.
    with translation.override("en"):
        (message,) = excinfo.value.messages
    return message


# --- independent helpers ------------------------------------------------------------------------


def bin_check_digit(first_eleven: str) -> int | None:
    """Kazakhstan BIN/IIN check digit, written out longhand for the tests."""
    first = 0
    for position, char in enumerate(first_eleven, start=1):
        first += position * int(char)
    if first % 11 != 10:
        return first % 11
    second_weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
    second = 0
    for weight, char in zip(second_weights, first_eleven, strict=True):
        second += weight * int(char)
    if second % 11 != 10:
        return second % 11
    return None


def lei_remainder(text: str) -> int:
    """Remainder mod 97 of an LEI read as a number (A=10 ... Z=35), folded digit by digit."""
    remainder = 0
    for char in text:
        value = ord(char) - ord("0") if char.isdigit() else ord(char) - ord("A") + 10
        shift = 100 if value >= 10 else 10
        remainder = (remainder * shift + value) % 97
    return remainder


# --- BIN ----------------------------------------------------------------------------------------

RESIDENT_BIN = "210340000003"  # 2*1 + 1*2 + 3*4 + 4*5 = 36; 36 mod 11 = 3
NON_RESIDENT_BIN = "150540123459"  # 1+10+0+20+20+0+7+16+27+40+55 = 196; 196 mod 11 = 9
JOINT_ENTREPRENEUR_BIN = "990640012346"  # 9+18+0+24+20+0+0+8+18+30+44 = 171; 171 mod 11 = 6
# First pass: 2+2+0+12+20+0+0+0+0+40+0 = 76, 76 mod 11 = 10, so weights 3..11,1,2:
# 6+4+0+18+28+0+0+0+0+4+0 = 60, 60 mod 11 = 5.
SECOND_PASS_BIN = "210340000405"
# First pass: 76 + 8*11 = 164, 164 mod 11 = 10; second: 60 + 8*2 = 76, 76 mod 11 = 10 again,
# so no 12th digit completes "21034000048".
NO_CHECK_DIGIT_PREFIX = "21034000048"
# IINs of individuals: the same check digit, but the fifth digit is the tens of the birth day.
IIN_BORN_1990_01_01 = "900101300126"  # 9+0+0+4+0+6+21+0+0+10+22 = 72; 72 mod 11 = 6
IIN_BORN_1985_12_31 = "851231501234"  # 8+10+3+8+15+6+35+0+9+20+33 = 147; 147 mod 11 = 4
FIFTH_DIGIT_SEVEN = "210370000007"  # 2+2+0+12+35 = 51; 51 mod 11 = 7


@pytest.mark.parametrize(
    "number",
    [
        RESIDENT_BIN,
        NON_RESIDENT_BIN,
        JOINT_ENTREPRENEUR_BIN,
        SECOND_PASS_BIN,
        IIN_BORN_1990_01_01,
        IIN_BORN_1985_12_31,
        FIFTH_DIGIT_SEVEN,
    ],
)
def test_hand_worked_check_digits_agree_with_independent_helper(number: str) -> None:
    assert bin_check_digit(number[:11]) == int(number[11])


def test_second_pass_example_really_needs_the_second_pass() -> None:
    first_pass = sum(w * int(c) for w, c in zip(range(1, 12), SECOND_PASS_BIN[:11], strict=True))
    assert first_pass % 11 == 10


def test_no_check_digit_example_gives_ten_on_both_passes() -> None:
    assert bin_check_digit(NO_CHECK_DIGIT_PREFIX) is None


@pytest.mark.parametrize(
    "number",
    [RESIDENT_BIN, NON_RESIDENT_BIN, JOINT_ENTREPRENEUR_BIN],
    ids=["resident-4", "non-resident-5", "joint-entrepreneur-6"],
)
def test_legal_entity_bins_of_each_type_are_accepted(number: str) -> None:
    assert is_valid_bin(number)
    validate_bin(number)


def test_bin_whose_first_pass_gives_ten_is_resolved_by_second_pass() -> None:
    assert is_valid_bin(SECOND_PASS_BIN)
    validate_bin(SECOND_PASS_BIN)


def test_bin_with_first_pass_digit_when_second_pass_applies_is_rejected() -> None:
    # A first pass giving 10 must not be read as check digit 0 (or 1 from "10").
    for wrong in ("210340000400", "210340000401"):
        assert not is_valid_bin(wrong)


@pytest.mark.parametrize("last", "0123456789")
def test_bin_whose_both_passes_give_ten_is_rejected_whatever_the_last_digit(last: str) -> None:
    number = NO_CHECK_DIGIT_PREFIX + last
    assert not is_valid_bin(number)
    with pytest.raises(ValidationError) as excinfo:
        validate_bin(number)
    assert "check digit" in _message(excinfo)


@pytest.mark.parametrize(
    "number",
    [
        "210340000004",  # check digit changed from 3
        "210340010003",  # eighth digit changed: sum 36 + 8 = 44, 44 mod 11 = 0, not 3
        "210430000003",  # fourth and fifth digits swapped: 2+2+0+16+15 = 35, 35 mod 11 = 2
        "150540123458",  # non-resident BIN with check digit off by one
    ],
)
def test_bin_with_wrong_check_digit_is_rejected_with_check_digit_message(number: str) -> None:
    assert not is_valid_bin(number)
    with pytest.raises(ValidationError) as excinfo:
        validate_bin(number)
    assert excinfo.value.code == "invalid_bin"
    assert "check digit" in _message(excinfo)


def test_changing_the_eleventh_digit_keeps_the_check_digit_valid() -> None:
    # Weight 11 is 0 mod 11, so the algorithm itself cannot see this change: document it rather
    # than let someone "fix" the validator into rejecting numbers the registry issues.
    assert bin_check_digit("21034000001") == 3
    assert is_valid_bin("210340000013")


@pytest.mark.parametrize(
    "number",
    [IIN_BORN_1990_01_01, IIN_BORN_1985_12_31, FIFTH_DIGIT_SEVEN],
    ids=["iin-day-0x", "iin-day-3x", "fifth-digit-7"],
)
def test_number_with_valid_check_digit_but_not_legal_entity_type_is_rejected(
    number: str,
) -> None:
    assert not is_valid_bin(number)
    with pytest.raises(ValidationError) as excinfo:
        validate_bin(number)
    assert excinfo.value.code == "invalid_bin"
    message = _message(excinfo)
    assert "fifth digit" in message
    assert "IIN" in message


@pytest.mark.parametrize(
    "value",
    [
        "",
        "21034000000",  # 11 digits
        "2103400000030",  # 13 digits
        "21034000000O",  # letter O for zero
        "2103-4000-0003",
        " 210340000003",
        "210340000003 ",
        "210340000003\n",
        "2103 4000 0003",
        "\t21034000003",  # 12 characters, one of them a tab
        # Arabic-Indic digits: str.isdigit() is True for these
        "\u0662\u0661\u0660\u0663\u0664\u0660\u0660\u0660\u0660\u0660\u0660\u0663",
        "\uff12\uff11\uff10\uff13\uff14\uff10\uff10\uff10\uff10\uff10\uff10\uff13",  # full-width digits
    ],
)
def test_bin_that_is_not_twelve_ascii_digits_is_rejected_with_format_message(value: str) -> None:
    assert not is_valid_bin(value)
    with pytest.raises(ValidationError) as excinfo:
        validate_bin(value)
    assert excinfo.value.code == "invalid_bin"
    assert "12 digits" in _message(excinfo)


@pytest.mark.parametrize("value", [None, 210340000003])
def test_is_valid_bin_is_false_for_non_strings(value: object) -> None:
    assert not is_valid_bin(value)  # type: ignore[arg-type]


def test_bin_messages_differ_per_rule_and_are_marked_for_translation() -> None:
    errors = []
    for value in ("2103400000", "210340000004", IIN_BORN_1990_01_01):
        with pytest.raises(ValidationError) as excinfo:
            validate_bin(value)
        assert isinstance(excinfo.value.message, Promise)  # gettext_lazy, not a plain str
        errors.append(_message(excinfo))
    assert len(set(errors)) == 3


# --- LEI ----------------------------------------------------------------------------------------

# LEIs of real entities, as published in the GLEIF register and commonly quoted as examples
# (named in the task brief; each verified below by this file's own mod-97 helper as well):
# Bloomberg Finance L.P.'s LEI, Deutsche Bank AG, Apple Inc.
PUBLIC_LEIS = ["5493001KJTIIGC8Y1R12", "7LTWFZYICNSX8D621K86", "HWUPKR0MPOU8FGXBT394"]

# Found by searching with lei_remainder: this 18-character body is 0 mod 97, so both "98" (the
# check digits ISO 7064 produces) and "01" leave remainder 1.
ZERO_REMAINDER_BODY = "5493000TESTCASE024"
# Found the same way: letters in the check-digit positions that happen to leave remainder 1.
LETTER_CHECK_DIGITS_REMAINDER_ONE = "5493000TESTCASE000TX"


@pytest.mark.parametrize("lei", PUBLIC_LEIS)
def test_public_lei_is_accepted(lei: str) -> None:
    assert lei_remainder(lei) == 1
    assert is_valid_lei(lei)
    validate_lei(lei)


def test_lei_with_check_digits_computed_for_a_new_body_is_accepted() -> None:
    body = "5493000TESTCASE001"
    check = 98 - lei_remainder(body + "00")
    lei = f"{body}{check:02d}"
    assert lei == "5493000TESTCASE00170"  # body * 100 mod 97 = 28; 98 - 28 = 70
    assert is_valid_lei(lei)


def test_lei_check_digits_outside_02_to_98_are_rejected_even_if_mod_97_is_one() -> None:
    assert lei_remainder(ZERO_REMAINDER_BODY) == 0
    assert is_valid_lei(ZERO_REMAINDER_BODY + "98")
    assert lei_remainder(ZERO_REMAINDER_BODY + "01") == 1
    assert not is_valid_lei(ZERO_REMAINDER_BODY + "01")


@pytest.mark.parametrize(
    "lei",
    [
        "5493001KJTIIGC8Y1R13",  # last check digit changed
        "5493001KJTIIGC8Y2R12",  # body digit changed
        "5493001KJTIIGC8Y1R21",  # check digits swapped
        "7LTWFZYICNSX8D612K86",  # two body characters swapped
        "HWUPKR0MPOU8FGXBT395",
    ],
)
def test_lei_with_wrong_check_digits_is_rejected_with_checksum_message(lei: str) -> None:
    assert not is_valid_lei(lei)
    with pytest.raises(ValidationError) as excinfo:
        validate_lei(lei)
    assert excinfo.value.code == "invalid_lei"
    assert "check digits" in _message(excinfo)


def test_lowercase_lei_is_rejected_and_told_to_use_capitals() -> None:
    lowercase = "5493001kjtiigc8y1r12"
    # Letters read case-insensitively would pass the mod 97 test, so this is the format rule.
    assert lei_remainder(lowercase.upper()) == 1
    assert not is_valid_lei(lowercase)
    with pytest.raises(ValidationError) as excinfo:
        validate_lei(lowercase)
    assert "capital letters" in _message(excinfo)


@pytest.mark.parametrize(
    "lei",
    ["5493001KJTIIGC8Y1R1", "5493001KJTIIGC8Y1R123", "", " 5493001KJTIIGC8Y1R12"],
    ids=["19-chars", "21-chars", "empty", "leading-space"],
)
def test_lei_of_wrong_length_is_rejected_with_length_message(lei: str) -> None:
    assert not is_valid_lei(lei)
    with pytest.raises(ValidationError) as excinfo:
        validate_lei(lei)
    assert excinfo.value.code == "invalid_lei"
    assert "20 characters" in _message(excinfo)


@pytest.mark.parametrize(
    "lei",
    [
        LETTER_CHECK_DIGITS_REMAINDER_ONE,
        "5493001KJTIIGC8Y1RAB",
        "5493001KJTII-C8Y1R12",
        "5493001KJTII C8Y1R12",
        "5493001KJTIIGÄ8Y1R12",
        "5493001KJTIIGC8Y1R\uff11\uff12",  # full-width check digits
    ],
)
def test_lei_with_characters_outside_the_format_is_rejected(lei: str) -> None:
    assert len(lei) == 20
    assert not is_valid_lei(lei)
    with pytest.raises(ValidationError) as excinfo:
        validate_lei(lei)
    assert excinfo.value.code == "invalid_lei"
    assert "2 check digits" in _message(excinfo)


def test_letter_check_digit_example_would_pass_mod_97_alone() -> None:
    assert lei_remainder(LETTER_CHECK_DIGITS_REMAINDER_ONE) == 1


@pytest.mark.parametrize("value", [None, 5493001])
def test_is_valid_lei_is_false_for_non_strings(value: object) -> None:
    assert not is_valid_lei(value)  # type: ignore[arg-type]


def test_lei_messages_differ_per_rule_and_are_marked_for_translation() -> None:
    errors = []
    for value in (
        "TOO-SHORT",
        "5493001kjtiigc8y1r12",
        "5493001KJTIIGC8Y1RAB",
        "5493001KJTIIGC8Y1R13",
    ):
        with pytest.raises(ValidationError) as excinfo:
            validate_lei(value)
        assert isinstance(excinfo.value.message, Promise)
        errors.append(_message(excinfo))
    assert len(set(errors)) == 4
