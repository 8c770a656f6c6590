from __future__ import annotations

from django import template
from django.utils import translation

from kiosk.models import Allergen
from kiosk.money import format_money

register = template.Library()


@register.filter
def money(amount: int | None, currency: str) -> str:
    """Minor units as the customer's language writes money: {{ 1250|money:"EUR" }}."""
    return format_money(int(amount or 0), currency, translation.get_language() or "en")


@register.filter
def allergen_names(codes: list[str]) -> list[str]:
    labels = dict(Allergen.choices)
    return [str(labels[code]) for code in codes if code in labels]


@register.filter
def digits(value: object) -> str:
    """An order number spelt digit by digit, for screen readers."""
    return " ".join(str(value))


@register.filter
def item(mapping: dict[object, object] | None, key: object) -> object:
    """A value of a dict by key: {{ issues|item:line.pk }}."""
    return (mapping or {}).get(key, "")
