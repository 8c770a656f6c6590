"""The transaction body shared by Validate, Update, Void and Unclaimed (`rbi.md` §5.1).

Parsing gathers every bad field before refusing, as a 400 `ValidationError`
listing them in `details.fields`. Enumerated fields take the values RBI's
documents list, spelled as they spell them: `productType` item, combo,
REWARD, OFFER (the personalised-offers page) or reward, offer (the field
docs and the unclaimed example), `channel`, `serviceMode` and the payment
`type`; anything else is a bad field. It is lenient where RBI's examples
are: `parentReferenceId` as a string or a number, a repeated
`referenceId`, any `currency`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from sandboxes.rbi.errors import invalid_fields

SERVICE_MODES = ("EAT_IN", "TAKEOUT", "DRIVE_THRU", "CURBSIDE", "TABLE_SERVICE")
# Every spelling RBI's documents use, and no other.
PRODUCT_TYPES = ("combo", "item", "REWARD", "OFFER", "reward", "offer")
CHANNELS = ("Restaurant", "App", "Web")
PAYMENT_TYPES = ("CASH", "CREDIT", "VISA", "MASTERCARD", "AMEX")
PENDING = "PENDING"
CLAIMED = "CLAIMED"
VOID = "VOID"


@dataclass(frozen=True)
class OrderLine:
    reference_id: str
    parent_reference_id: str | None
    product_id: str
    product_type: str  # lower case
    name: str
    quantity: int
    price_cents: int  # one unit, tax included
    incentive_id: str | None
    engine_id: str | None

    @property
    def amount_cents(self) -> int:
        return self.price_cents * self.quantity

    @property
    def is_incentive(self) -> bool:
        return self.product_type in ("reward", "offer")


@dataclass(frozen=True)
class PosVendor:
    store_id: str | None
    pos_type: str | None
    supporting_pos: str | None
    data: Mapping[str, object]

    @property
    def vendor(self) -> str | None:
        """Whose PLUs to answer with: the supporting POS, else the POS type."""
        return self.supporting_pos or self.pos_type


@dataclass(frozen=True)
class TransactionBody:
    data: Mapping[str, object]
    loyalty_id: str | None = None
    transaction_id: str | None = None
    service_mode: str | None = None
    status: str | None = None
    lines: tuple[OrderLine, ...] = ()
    payments_cents: tuple[int, ...] = ()
    pos_vendor: PosVendor | None = None

    @property
    def lines_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    def canonical(self) -> str:
        """The body as text that two equal bodies share, for claim replays."""
        return json.dumps(self.data, sort_keys=True, separators=(",", ":"))


@dataclass
class FieldErrors:
    fields: list[str] = field(default_factory=list)

    def add(self, path: str) -> None:
        self.fields.append(path)

    def raise_if_any(self) -> None:
        if self.fields:
            raise invalid_fields(self.fields, "Invalid request body")


def body_parse(data: Mapping[str, object], *, needs_basket: bool) -> TransactionBody:
    """The body of a transaction call; `needs_basket` for all but Void."""
    errors = FieldErrors()
    details = data.get("transactionDetails")
    if details is None and not needs_basket:
        details = {}
    if not isinstance(details, dict):
        errors.add("transactionDetails")
        details = {}
    body = TransactionBody(
        data=data,
        loyalty_id=text_field(data, "loyaltyId", errors),
        transaction_id=text_field(data, "transactionId", errors),
        service_mode=_service_mode(data, errors, is_required=needs_basket),
        status=text_field(data, "status", errors),
        lines=_lines(details, errors, is_required=needs_basket),
        payments_cents=_payments(details, errors, is_required=needs_basket),
        pos_vendor=pos_vendor_parse(
            details.get("posVendor"), "transactionDetails.posVendor", errors
        ),
    )
    channel = text_field(data, "channel", errors)
    if channel is not None and channel not in CHANNELS:
        errors.add("channel")
    text_field(data, "created", errors)
    text_field(details, "currency", errors, prefix="transactionDetails.")
    errors.raise_if_any()
    return body


def pos_vendor_parse(
    value: object, path: str, errors: FieldErrors, *, is_required: bool = False
) -> PosVendor | None:
    if value is None and not is_required:
        return None
    if not isinstance(value, dict):
        errors.add(path)
        return None
    return PosVendor(
        store_id=identifier_field(value, "storeId", errors, prefix=path + "."),
        pos_type=text_field(value, "posType", errors, prefix=path + "."),
        supporting_pos=text_field(value, "supportingPos", errors, prefix=path + "."),
        data=value,
    )


def text_field(
    data: Mapping[str, object],
    name: str,
    errors: FieldErrors,
    *,
    prefix: str = "",
    is_required: bool = False,
) -> str | None:
    value = data.get(name)
    if value is None and not is_required:
        return None
    if not isinstance(value, str) or (is_required and not value):
        errors.add(prefix + name)
        return None
    return value


def identifier_field(
    data: Mapping[str, object],
    name: str,
    errors: FieldErrors,
    *,
    prefix: str = "",
    is_required: bool = False,
) -> str | None:
    """A string id that some examples send as a number (`storeId`, `productId`)."""
    value = data.get(name)
    if value is None and not is_required:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value:
        errors.add(prefix + name)
        return None
    return value


def _service_mode(
    data: Mapping[str, object], errors: FieldErrors, *, is_required: bool
) -> str | None:
    mode = text_field(data, "serviceMode", errors, is_required=is_required)
    if mode is not None and mode not in SERVICE_MODES:
        errors.add("serviceMode")
        return None
    return mode


def _lines(
    details: Mapping[str, object], errors: FieldErrors, *, is_required: bool
) -> tuple[OrderLine, ...]:
    value = details.get("order")
    if value is None and not is_required:
        return ()
    if not isinstance(value, list):
        errors.add("transactionDetails.order")
        return ()
    lines = []
    for index, item in enumerate(value):
        line = _line(item, f"transactionDetails.order[{index}].", errors)
        if line is not None:
            lines.append(line)
    return tuple(lines)


def _line(item: object, prefix: str, errors: FieldErrors) -> OrderLine | None:
    if not isinstance(item, dict):
        errors.add(prefix.rstrip("."))
        return None
    count = len(errors.fields)
    product_type = text_field(
        item, "productType", errors, prefix=prefix, is_required=True
    )
    if product_type is not None and product_type not in PRODUCT_TYPES:
        errors.add(prefix + "productType")
    quantity = item.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        errors.add(prefix + "quantity")
    line = OrderLine(
        reference_id=identifier_field(
            item, "referenceId", errors, prefix=prefix, is_required=True
        )
        or "",
        parent_reference_id=identifier_field(
            item, "parentReferenceId", errors, prefix=prefix
        ),
        product_id=identifier_field(
            item, "productId", errors, prefix=prefix, is_required=True
        )
        or "",
        product_type=(product_type or "").lower(),
        name=text_field(item, "name", errors, prefix=prefix) or "",
        quantity=quantity if isinstance(quantity, int) else 0,
        price_cents=_cents(item, "price", errors, prefix=prefix, is_required=True),
        incentive_id=text_field(item, "incentiveId", errors, prefix=prefix),
        engine_id=text_field(item, "loyaltyEngineId", errors, prefix=prefix),
    )
    _cents(item, "tax", errors, prefix=prefix)
    return line if len(errors.fields) == count else None


def _cents(
    data: Mapping[str, object],
    name: str,
    errors: FieldErrors,
    *,
    prefix: str,
    is_required: bool = False,
) -> int:
    """A decimal amount in major units as cents: `round(price × 100)`."""
    value = data.get(name)
    if value is None and not is_required:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.add(prefix + name)
        return 0
    try:
        cents = (Decimal(str(value)) * 100).quantize(Decimal(1), ROUND_HALF_EVEN)
    except InvalidOperation:
        errors.add(prefix + name)
        return 0
    if cents < 0:
        errors.add(prefix + name)
        return 0
    return int(cents)


def _payments(
    details: Mapping[str, object], errors: FieldErrors, *, is_required: bool
) -> tuple[int, ...]:
    value = details.get("payments")
    if value is None and not is_required:
        return ()
    if not isinstance(value, list):
        errors.add("transactionDetails.payments")
        return ()
    amounts = []
    for index, item in enumerate(value):
        prefix = f"transactionDetails.payments[{index}]."
        if not isinstance(item, dict):
            errors.add(prefix.rstrip("."))
            continue
        amount = item.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            errors.add(prefix + "amount")
            continue
        kind = text_field(item, "type", errors, prefix=prefix, is_required=True)
        if kind is not None and kind not in PAYMENT_TYPES:
            errors.add(prefix + "type")
        text_field(item, "ccToken", errors, prefix=prefix)
        amounts.append(amount)
    return tuple(amounts)
