"""Amounts of money as the active language writes them."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def kzt(amount: int | Decimal | str) -> str:
    """An amount in tenge, grouped: "1 500 000 теңге", "1 500 000 тенге", "KZT 1,500,000"."""
    amount = Decimal(amount)
    whole = amount == amount.to_integral_value()
    grouped = number_format(amount, decimal_pos=0 if whole else 2, use_l10n=True, force_grouping=True)
    return _("KZT %(amount)s") % {"amount": grouped}
