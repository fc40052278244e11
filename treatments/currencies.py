"""ISO 4217 currency codes, from pycountry's copy of the standard."""

from functools import cache

import pycountry


@cache
def iso_currency_codes() -> frozenset[str]:
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def is_iso_currency(code: str) -> bool:
    return code in iso_currency_codes()
