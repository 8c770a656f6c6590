"""Money is integer minor units inside the project; this module formats and taxes it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_precision

_LOCALES = {"en": "en_IE", "fr": "fr_FR"}


def to_decimal(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-get_currency_precision(currency))


def format_money(amount: int, currency: str, language: str) -> str:
    """12.50 € as the customer's language writes it: "€12.50" or "12,50 €"."""
    locale = _LOCALES.get(language[:2], "en_IE")
    return str(format_currency(to_decimal(amount, currency), currency, locale=locale))


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def spread(amount: int, weights: list[int]) -> list[int]:
    """Share `amount` pro rata to `weights`; the shares add up to `amount` exactly.

    Each share is rounded down and the remainder goes to the largest weight.
    With no weight at all, nothing is shared.
    """
    total = sum(weights)
    if not total:
        return [0 for _weight in weights]
    shares = [amount * weight // total for weight in weights]
    shares[weights.index(max(weights))] += amount - sum(shares)
    return shares


def discount_amount(*, kind: str, value: int, base: int) -> int:
    """What a voucher takes off `base`: an amount (cents) or a percentage, capped at `base`."""
    if kind == "percent":
        return min(base, round_half_up(Decimal(base) * value / 100))
    return min(base, value)


def tax_included(gross: int, rate: int) -> int:
    """The tax inside a tax-inclusive amount; `rate` in basis points (1000 = 10 %)."""
    if rate == 0 or gross == 0:
        return 0
    return round_half_up(Decimal(gross) * rate / (10000 + rate))


@dataclass(frozen=True)
class TaxLine:
    rate: int
    gross: int
    tax: int

    @property
    def net(self) -> int:
        return self.gross - self.tax

    @property
    def rate_percent(self) -> Decimal:
        return Decimal(self.rate) / 100


def tax_breakdown(amounts: Iterable[tuple[int, int]]) -> list[TaxLine]:
    """Group (rate, gross) pairs by rate; the tax is computed once per rate."""
    gross_by_rate: dict[int, int] = {}
    for rate, gross in amounts:
        gross_by_rate[rate] = gross_by_rate.get(rate, 0) + gross
    return [
        TaxLine(rate=rate, gross=gross, tax=tax_included(gross, rate))
        for rate, gross in sorted(gross_by_rate.items())
        if gross
    ]
