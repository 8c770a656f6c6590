from __future__ import annotations

from decimal import Decimal

import pytest

from kiosk.money import TaxLine, format_money, tax_breakdown, tax_included, to_decimal


@pytest.mark.parametrize(
    ("amount", "language", "expected"),
    [
        (1250, "en", "€12.50"),
        (1250, "fr", "12,50\xa0€"),
        (5, "en", "€0.05"),
        (5, "fr", "0,05\xa0€"),
        (0, "en", "€0.00"),
        (123456, "en", "€1,234.56"),
        (123456, "fr", "1\u202f234,56\xa0€"),
    ],
)
def test_format_money_writes_euros_as_the_language_does(amount, language, expected):
    assert format_money(amount, "EUR", language) == expected


def test_format_money_reads_only_the_language_part_of_a_locale_code():
    assert format_money(1250, "EUR", "fr-ca") == "12,50\xa0€"


def test_format_money_falls_back_to_english_for_other_languages():
    assert format_money(1250, "EUR", "de") == "€12.50"


def test_format_money_follows_the_minor_units_of_the_currency():
    assert format_money(1250, "JPY", "en") == "JP¥1,250"


def test_format_money_names_a_foreign_currency_in_french():
    assert format_money(1250, "USD", "fr") == "12,50\xa0$US"


def test_to_decimal_scales_by_the_currency_precision():
    assert (to_decimal(1250, "EUR"), to_decimal(1250, "JPY")) == (
        Decimal("12.50"),
        Decimal("1250"),
    )


@pytest.mark.parametrize(
    ("gross", "rate", "tax"),
    [
        (1100, 1000, 100),  # exactly 100
        (1050, 1000, 95),  # 95.45
        (350, 1000, 32),  # 31.82
        (1000, 550, 52),  # 52.13
        (600, 550, 31),  # 31.28
        (1, 1000, 0),  # 0.09
        (6, 1000, 1),  # 0.545
    ],
)
def test_tax_included_is_the_tax_inside_a_tax_inclusive_amount(gross, rate, tax):
    assert tax_included(gross, rate) == tax


@pytest.mark.parametrize(
    ("gross", "rate", "tax"),
    [
        (3, 2000, 1),  # 0.5
        (15, 2000, 3),  # 2.5: half up, where banker's rounding gives 2
        (5, 10000, 3),  # 2.5 at 100 %
    ],
)
def test_tax_included_rounds_half_up(gross, rate, tax):
    assert tax_included(gross, rate) == tax


def test_tax_included_of_a_zero_rate_is_zero():
    assert tax_included(1000, 0) == 0


def test_tax_included_of_a_zero_amount_is_zero():
    assert tax_included(0, 1000) == 0


def test_tax_breakdown_groups_amounts_by_rate_sorted_by_rate():
    taxes = tax_breakdown([(1000, 1050), (550, 600), (1000, 1050)])

    assert taxes == [
        TaxLine(rate=550, gross=600, tax=31),
        TaxLine(rate=1000, gross=2100, tax=191),
    ]


def test_tax_breakdown_rounds_once_per_rate_not_per_line():
    # Per line: 95.45 + 95.45 rounded each = 190; grouped 190.9 = 191.
    assert sum(tax.tax for tax in tax_breakdown([(1000, 1050), (1000, 1050)])) == 191


def test_tax_breakdown_leaves_out_rates_with_nothing_to_tax():
    assert tax_breakdown([(550, 0), (1000, 350)]) == [
        TaxLine(rate=1000, gross=350, tax=32)
    ]


def test_tax_breakdown_of_nothing_is_empty():
    assert tax_breakdown([]) == []


def test_a_tax_line_gives_its_net_amount_and_percentage():
    line = TaxLine(rate=550, gross=600, tax=31)

    assert (line.net, line.rate_percent) == (569, Decimal("5.5"))
