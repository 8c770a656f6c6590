"""The receipt as the server sends it to a kiosk's hardware agent.

The server builds it from the order (`hardware.selectors.receipt_for_order`),
with every text already translated into the order's language and every amount
already formatted, so the agent only lays it out for its printer. It travels as
JSON over the device websocket: an intent ("print this receipt"), never raw
printer bytes.

This module imports nothing from Django, so the agent and the tests can use it
on their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


class ReceiptError(ValueError):
    """A receipt message that does not have the expected shape."""


@dataclass(frozen=True)
class ReceiptLabels:
    """Every fixed text of a receipt, in the order's language."""

    order: str = "Order"
    subtotal: str = "Subtotal"
    total: str = "Total"
    reward: str = "Loyalty reward"
    vat: str = "VAT"
    copy: str = "Copy"
    loyalty: str = "Loyalty"
    points_earned: str = "Points earned"
    points_balance: str = "New balance"
    points_pending: str = "Your points will be added to your account."
    thanks: str = "Thank you for your visit!"


@dataclass(frozen=True)
class ReceiptLine:
    """One line of the order: `depth` 0 for what was ordered, 1 and more for
    what hangs under it (the items of a combo, modifiers)."""

    quantity: int
    name: str
    amount: str = ""
    depth: int = 0
    is_reward: bool = False


@dataclass(frozen=True)
class ReceiptAmount:
    label: str
    amount: str
    is_total: bool = False


@dataclass(frozen=True)
class ReceiptTax:
    """VAT at one rate: `label` names the rate, `base` is the amount it applies to."""

    label: str
    base: str
    tax: str


@dataclass(frozen=True)
class ReceiptLoyalty:
    """What the loyalty programme says about this order's customer."""

    member_first_name: str
    # None until the programme confirmed them (the receipt then says they follow).
    points_earned: int | None = None
    points_balance: int | None = None


@dataclass(frozen=True)
class ReceiptProgrammeText:
    """Text the loyalty programme asked to print (a guest's code to claim points)."""

    header: str = ""
    lines: list[str] = field(default_factory=list)
    footer: str = ""


@dataclass(frozen=True)
class Receipt:
    store_name: str
    order_number: str
    store_address: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    lines: list[ReceiptLine] = field(default_factory=list)
    totals: list[ReceiptAmount] = field(default_factory=list)
    taxes: list[ReceiptTax] = field(default_factory=list)
    payments: list[ReceiptAmount] = field(default_factory=list)
    # What a card payment's receipt must show (brand and masked number,
    # application, authorisation, terminal, reference), as label and value.
    card: list[ReceiptAmount] = field(default_factory=list)
    qr_code: str = ""
    labels: ReceiptLabels = field(default_factory=ReceiptLabels)
    is_copy: bool = False
    # Filled by the loyalty programme when the customer identified; None otherwise.
    loyalty: ReceiptLoyalty | None = None
    # The programme's own text, when its answer came before the receipt left.
    programme_text: ReceiptProgrammeText | None = None


def receipt_to_dict(receipt: Receipt) -> dict[str, Any]:
    return asdict(receipt)


def _text(data: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ReceiptError(f"{key} must be text")
    return value


def _number(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ReceiptError(f"{key} must be a whole number")
    return value


def _items(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ReceiptError(f"{key} must be a list")
    return value


def _mapping(value: object, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ReceiptError(f"{key} must be an object")
    return value


def _texts(data: Mapping[str, Any], key: str) -> list[str]:
    values = _items(data, key)
    if not all(isinstance(value, str) for value in values):
        raise ReceiptError(f"{key} must be a list of texts")
    return values


def _line(value: object) -> ReceiptLine:
    data = _mapping(value, "lines")
    return ReceiptLine(
        quantity=_number(data, "quantity"),
        name=_text(data, "name"),
        amount=_text(data, "amount", ""),
        depth=_number(data, "depth"),
        is_reward=bool(data.get("is_reward", False)),
    )


def _amount(value: object) -> ReceiptAmount:
    data = _mapping(value, "amounts")
    return ReceiptAmount(
        label=_text(data, "label"),
        amount=_text(data, "amount"),
        is_total=bool(data.get("is_total", False)),
    )


def _tax(value: object) -> ReceiptTax:
    data = _mapping(value, "taxes")
    return ReceiptTax(
        label=_text(data, "label"), base=_text(data, "base"), tax=_text(data, "tax")
    )


def _labels(value: object) -> ReceiptLabels:
    data = _mapping(value, "labels")
    defaults = asdict(ReceiptLabels())
    return ReceiptLabels(**{key: _text(data, key, defaults[key]) for key in defaults})


def _loyalty(value: object) -> ReceiptLoyalty | None:
    if value is None:
        return None
    data = _mapping(value, "loyalty")
    return ReceiptLoyalty(
        member_first_name=_text(data, "member_first_name"),
        points_earned=None
        if data.get("points_earned") is None
        else _number(data, "points_earned"),
        points_balance=None
        if data.get("points_balance") is None
        else _number(data, "points_balance"),
    )


def _programme_text(value: object) -> ReceiptProgrammeText | None:
    if value is None:
        return None
    data = _mapping(value, "programme_text")
    return ReceiptProgrammeText(
        header=_text(data, "header", ""),
        lines=_texts(data, "lines"),
        footer=_text(data, "footer", ""),
    )


def receipt_from_dict(data: object) -> Receipt:
    """The receipt of a print message; raises ReceiptError when malformed."""
    source = _mapping(data, "receipt")
    return Receipt(
        store_name=_text(source, "store_name"),
        order_number=_text(source, "order_number"),
        store_address=_texts(source, "store_address"),
        details=_texts(source, "details"),
        lines=[_line(item) for item in _items(source, "lines")],
        totals=[_amount(item) for item in _items(source, "totals")],
        taxes=[_tax(item) for item in _items(source, "taxes")],
        payments=[_amount(item) for item in _items(source, "payments")],
        card=[_amount(item) for item in _items(source, "card")],
        qr_code=_text(source, "qr_code", ""),
        labels=_labels(source.get("labels", {})),
        is_copy=bool(source.get("is_copy", False)),
        loyalty=_loyalty(source.get("loyalty")),
        programme_text=_programme_text(source.get("programme_text")),
    )
