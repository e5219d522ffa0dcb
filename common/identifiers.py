"""Identifiers of organizations and license holders (SPEC section 6): Kazakhstan BIN and ISO 17442 LEI.

Pure functions: no settings, no models, so forms, model fields, services and the seeding commands
can share them. Each identifier has a predicate (``is_valid_*``) and a Django validator
(``validate_*``) that raises ``ValidationError`` with a message telling the person what to fix.

Neither validator strips or upper-cases its input: a validator judges the value that will be stored.
Normalising what a person typed (trimming spaces, upper-casing an LEI) belongs in the form's
``clean_*`` method, before validation.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["bin_check_digit", "is_valid_bin", "is_valid_lei", "validate_bin", "validate_lei"]

# str.isdigit() and regex \d also accept other scripts' digits ("١٢٣", "²"), which would then
# be stored and printed on a license; only ASCII digits are part of either standard.
_DIGITS = frozenset("0123456789")
_LEI_BODY = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")

# --- BIN ----------------------------------------------------------------------------------------

_BIN_LENGTH = 12
_BIN_FIRST_PASS_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_BIN_SECOND_PASS_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# Fifth digit of a BIN: 4 resident legal entity, 5 non-resident legal entity,
# 6 individual entrepreneur operating jointly. An individual's IIN has a day-of-birth digit here.
_BIN_LEGAL_ENTITY_TYPES = frozenset("456")

_BIN_NOT_12_DIGITS = _("A BIN is exactly 12 digits (0-9), with no spaces or other characters.")
_BIN_BAD_CHECK_DIGIT = _(
    "This BIN's last digit does not match the check digit computed from the first 11 digits. "
    "Check the number for a mistyped or swapped digit against the registration certificate."
)
_BIN_NOT_LEGAL_ENTITY = _(
    "This number is not a legal entity's BIN: its fifth digit must be 4, 5 or 6. "
    "It may be an individual's IIN; enter the organization's BIN instead."
)


def bin_check_digit(first_eleven: str) -> int | None:
    """Check digit for the first 11 digits of a BIN/IIN, or None if no check digit exists.

    Weights 1..11, sum mod 11; a result of 10 is recomputed with weights 3..11, 1, 2; a second
    10 means the number cannot be issued, so no 12th digit makes it valid.
    """
    digits = [int(c) for c in first_eleven]
    for weights in (_BIN_FIRST_PASS_WEIGHTS, _BIN_SECOND_PASS_WEIGHTS):
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            return check
    return None


def _bin_error(value: object) -> ValidationError | None:
    if not isinstance(value, str) or len(value) != _BIN_LENGTH or not _DIGITS.issuperset(value):
        return ValidationError(_BIN_NOT_12_DIGITS, code="invalid_bin")
    # Check digit before entity type: a mistyped fifth digit almost always breaks the check
    # digit too, and "look for a mistyped digit" helps where "this is not a legal entity" misleads.
    if bin_check_digit(value[:11]) != int(value[11]):
        return ValidationError(_BIN_BAD_CHECK_DIGIT, code="invalid_bin")
    if value[4] not in _BIN_LEGAL_ENTITY_TYPES:
        return ValidationError(_BIN_NOT_LEGAL_ENTITY, code="invalid_bin")
    return None


def is_valid_bin(value: str) -> bool:
    """Whether ``value`` is a well-formed legal-entity BIN; exactly when ``validate_bin`` passes."""
    return _bin_error(value) is None


def validate_bin(value: str) -> None:
    """Validate a Kazakhstan BIN (business identification number) of a legal entity.

    Rules:

    * exactly 12 ASCII digits;
    * the 12th digit is the check digit: the first 11 digits weighted 1, 2, ..., 11, summed,
      mod 11; if that gives 10, weighted 3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2 instead, mod 11;
      if that also gives 10 the number is invalid (such numbers are never issued);
    * the 5th digit (entity type) is 4 (resident legal entity), 5 (non-resident legal entity)
      or 6 (individual entrepreneur operating jointly). IINs of individuals share the check
      digit algorithm but carry a day-of-birth digit here (0-3), so this rule rejects an IIN
      entered by mistake.

    Raises ``ValidationError`` (code ``invalid_bin``) with a distinct message for each rule.
    """
    error = _bin_error(value)
    if error is not None:
        raise error


# --- LEI ----------------------------------------------------------------------------------------

_LEI_LENGTH = 20

_LEI_WRONG_LENGTH = _("An LEI is exactly 20 characters, with no spaces.")
_LEI_LOWERCASE = _("Write the LEI in capital letters, exactly as the GLEIF register shows it.")
_LEI_BAD_CHARACTERS = _(
    "An LEI is 18 letters A-Z or digits followed by 2 check digits (0-9), with no spaces or punctuation."
)
_LEI_BAD_CHECKSUM = _(
    "This LEI's check digits do not match the rest of the code. Check it for a mistyped or "
    "swapped character against the GLEIF register (search.gleif.org)."
)


def _lei_error(value: object) -> ValidationError | None:
    if not isinstance(value, str) or len(value) != _LEI_LENGTH:
        return ValidationError(_LEI_WRONG_LENGTH, code="invalid_lei")
    body, check = value[:18], value[18:]
    if _LEI_BODY.issuperset(body.upper()) and body != body.upper():
        return ValidationError(_LEI_LOWERCASE, code="invalid_lei")
    if not _LEI_BODY.issuperset(body) or not _DIGITS.issuperset(check):
        return ValidationError(_LEI_BAD_CHARACTERS, code="invalid_lei")
    # ISO 7064 MOD 97-10: letters become two-digit numbers (A=10 ... Z=35); int(c, 36) does
    # exactly that for 0-9A-Z. Check digits are generated as 98 - (n * 100 mod 97), so they lie
    # in 02..98; "00", "01" and "99" can satisfy the mod 97 test by coincidence but are never issued.
    number = int("".join(str(int(c, 36)) for c in value))
    if number % 97 != 1 or not 2 <= int(check) <= 98:
        return ValidationError(_LEI_BAD_CHECKSUM, code="invalid_lei")
    return None


def is_valid_lei(value: str) -> bool:
    """Whether ``value`` is a well-formed LEI; exactly when ``validate_lei`` passes."""
    return _lei_error(value) is None


def validate_lei(value: str) -> None:
    """Validate a Legal Entity Identifier (ISO 17442).

    Rules: 20 characters; the first 18 are capital letters A-Z or digits, the last 2 are digits;
    converting each letter to a number (A=10 ... Z=35) and reading the whole as one integer gives
    1 mod 97 (ISO 7064 MOD 97-10), with check digits in the range 02..98 that algorithm produces.
    Lower case is rejected rather than folded, because the register's form is upper case.
    Whether the LEI is issued and current is a question for the GLEIF register, not this function.

    Raises ``ValidationError`` (code ``invalid_lei``) with a distinct message for each rule.
    """
    error = _lei_error(value)
    if error is not None:
        raise error
