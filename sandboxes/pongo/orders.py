"""Order routes: create (201, then 202 for the same order), and status changes.

An order is identified by (`loyalty_store_slug`, `order_id`): a second post
with the same pair answers 202 whatever its payload, which is what lets the
kiosk's outbox retry blindly. Points and owned rewards move only while the
order is paid or completed; cancelling or refunding moves them back.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from sandboxes.core.web import ApiError, SandboxResponse, json_response
from sandboxes.pongo.call import ApiCall
from sandboxes.pongo.customers import (
    customer_insert,
    customer_points_change,
    optin_columns,
)
from sandboxes.pongo.records import (
    Row,
    customer_by_phone,
    customer_find,
    fetch_existing,
    fetch_one,
    identifier_new,
    lock_is_active,
    store_by_slug,
)
from sandboxes.pongo.rewards import customer_reward_mark_used
from sandboxes.pongo.validation import Validator

CHANNELS = (
    "pos",
    "kiosk",
    "click_and_collect",
    "order_and_pay",
    "delivery",
    "payment_terminal",
    "web",
    "app",
)
DELIVERY_MODES = ("on_site", "take_away", "delivery", "click_and_collect")
STATUSES = ("pending", "paid", "completed", "cancelled", "refunded")
DELIVERY_STATUSES = ("pending", "in_progress", "ready", "delivered", "cancelled")
EARNING_STATUSES = ("paid", "completed")
NOT_OWNED = "reward not owned or already used"


@dataclass(frozen=True)
class OrderInput:
    order_id: str
    store: Row
    status: str
    delivery_status: str
    amount: int
    payload: dict[str, object]


def points_for_amount(
    connection: sqlite3.Connection, merchant: str, amount: int
) -> int:
    """floor(amount / 100 × earn rate): amounts are cents, the rate per 1.00."""
    rate = connection.execute(
        "SELECT earn_rate FROM merchants WHERE public_id = ?", (merchant,)
    ).fetchone()["earn_rate"]
    return int(Decimal(amount) * Decimal(rate) // 100)


def order_json(row: Row) -> dict[str, object]:
    return {
        "id": row["id"],
        "order_id": row["order_id"],
        "loyalty_store_slug": row["loyalty_store_slug"],
        "customer": row["customer"],
        "points_earned": row["points_earned"],
        "status": row["status"],
        "delivery_status": row["delivery_status"],
    }


def order_create(call: ApiCall) -> SandboxResponse:
    body = call.body()
    existing = _order_find(call, body.get("loyalty_store_slug"), body.get("order_id"))
    if existing is not None:
        call.connection.execute(
            "UPDATE orders SET receipts = receipts + 1 WHERE id = ?", (existing["id"],)
        )
        return json_response(
            {
                "message": "This order has already been processed.",
                "id": existing["id"],
                "order_id": existing["order_id"],
            },
            202,
        )
    order = _order_input(call, body)
    customer = _order_customer(call, order)
    row = _order_insert(call, order, customer)
    warnings: list[dict[str, object]] = []
    if order.status in EARNING_STATUSES:
        warnings = _order_credit(call, row)
    payload: dict[str, object] = {"data": order_json(_order_reload(call, row))}
    if warnings:
        payload["warnings"] = warnings
    return json_response(payload, 201)


def order_status_update(call: ApiCall) -> SandboxResponse:
    slug, status, delivery_status = _status_input(call)
    row = _order_find(call, slug, call.params["order_id"])
    if row is None:
        raise ApiError.message(404, "Order not found.")
    if status is not None:
        is_earning = status in EARNING_STATUSES
        if row["is_credited"] and not is_earning:
            _order_debit(call, row)
        elif not row["is_credited"] and is_earning:
            _order_credit(call, row)
    call.connection.execute(
        "UPDATE orders SET status = ?, delivery_status = ?, updated_at = ? WHERE id = ?",
        (
            status or row["status"],
            delivery_status or row["delivery_status"],
            call.now_iso(),
            row["id"],
        ),
    )
    return json_response({"data": order_json(_order_reload(call, row))})


def _status_input(call: ApiCall) -> tuple[str, str | None, str | None]:
    """The store slug, and the new status and delivery status (one at least)."""
    body = call.body()
    validator = Validator(body)
    slug = validator.string("loyalty_store_slug", is_required=True)
    strict = call.context.switch("strict_enums")
    status = _enum(validator, "status", STATUSES, strict=strict, is_required=False)
    delivery_status = _enum(
        validator,
        "delivery_status",
        DELIVERY_STATUSES,
        strict=strict,
        is_required=False,
    )
    if body.get("status") is None and body.get("delivery_status") is None:
        validator.error(
            "status",
            "The status field is required when delivery status is not present.",
        )
    validator.raise_if_invalid()
    assert slug is not None
    return slug, status, delivery_status


def _order_find(call: ApiCall, slug: object, order_id: object) -> Row | None:
    if not isinstance(slug, str) or not isinstance(order_id, str):
        return None
    return fetch_one(
        call.connection,
        "SELECT * FROM orders WHERE merchant = ? AND loyalty_store_slug = ? AND order_id = ?",
        (call.merchant, slug, order_id),
    )


def _order_reload(call: ApiCall, row: Row) -> Row:
    return fetch_existing(
        call.connection, "SELECT * FROM orders WHERE id = ?", (row["id"],)
    )


def _order_insert(call: ApiCall, order: OrderInput, customer: Row | None) -> Row:
    identifier = identifier_new("ord_")
    now = call.now_iso()
    call.connection.execute(
        "INSERT INTO orders (id, merchant, order_id, loyalty_store_slug, customer, status,"
        " delivery_status, amount, points_earned, is_credited, payload, receipts,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, 1, ?, ?)",
        (
            identifier,
            call.merchant,
            order.order_id,
            order.store["slug"],
            customer["public_id"] if customer else None,
            order.status,
            order.delivery_status,
            order.amount,
            json.dumps(order.payload, ensure_ascii=False),
            now,
            now,
        ),
    )
    return fetch_existing(
        call.connection, "SELECT * FROM orders WHERE id = ?", (identifier,)
    )


# --- Points and rewards ----------------------------------------------------------


def _order_credit(call: ApiCall, row: Row) -> list[dict[str, object]]:
    """Earn the order's points and consume the rewards it used; returns warnings."""
    payload = json.loads(row["payload"])
    customer = row["customer"]
    points = (
        points_for_amount(call.connection, call.merchant, row["amount"])
        if customer
        else 0
    )
    if customer and points:
        customer_points_change(
            call.context, merchant=call.merchant, customer=customer, delta=points
        )
    warnings = _rewards_consume(call, row, payload)
    call.connection.execute(
        "UPDATE orders SET points_earned = ?, is_credited = 1 WHERE id = ?",
        (points, row["id"]),
    )
    return warnings


def _order_debit(call: ApiCall, row: Row) -> None:
    """Take the earned points back (never below 0); give back the used rewards."""
    customer = row["customer"]
    if customer and row["points_earned"]:
        customer_points_change(
            call.context,
            merchant=call.merchant,
            customer=customer,
            delta=-row["points_earned"],
        )
    if call.context.switch("restore_rewards"):
        # Used by the order's lines, or marked used for the order apart (PATCH use).
        call.connection.execute(
            "UPDATE customer_rewards SET used = 0, used_at = NULL, used_order_id = NULL"
            " WHERE id IN (SELECT customer_reward_id FROM order_rewards WHERE order_pk = ?)"
            " OR (customer = ? AND used_order_id = ?)",
            (row["id"], customer, row["order_id"]),
        )
        call.connection.execute(
            "DELETE FROM order_rewards WHERE order_pk = ?", (row["id"],)
        )
    call.connection.execute(
        "UPDATE orders SET is_credited = 0 WHERE id = ?", (row["id"],)
    )


def _rewards_consume(
    call: ApiCall, row: Row, payload: dict[str, object]
) -> list[dict[str, object]]:
    """Each reward line uses one owned reward; `reward_ids` adds any not on a line."""
    warnings: list[dict[str, object]] = []
    line_counts: Counter[str] = Counter()
    lines = payload.get("lines")
    for index, line in enumerate(lines if isinstance(lines, list) else []):
        if not isinstance(line, dict) or not (
            line.get("reward_id") or line.get("customer_reward_id")
        ):
            continue
        line_counts[str(line.get("reward_id"))] += 1
        if not _reward_consume(call, row, line):
            warnings.append({"line": index, "message": NOT_OWNED})
    reward_ids = payload.get("reward_ids")
    listed = Counter(
        str(item) for item in (reward_ids if isinstance(reward_ids, list) else [])
    )
    for reward_id, count in listed.items():
        for _ in range(count - line_counts[reward_id]):
            if not _reward_consume(call, row, {"reward_id": reward_id}):
                warnings.append({"reward_id": reward_id, "message": NOT_OWNED})
    return warnings


def _reward_consume(call: ApiCall, row: Row, line: dict[str, object]) -> bool:
    if row["customer"] is None:
        return False
    candidates = call.connection.execute(
        "SELECT * FROM customer_rewards WHERE customer = ? AND used = 0 ORDER BY bought_at, id",
        (row["customer"],),
    ).fetchall()
    now = call.now()
    usable = [
        owned
        for owned in candidates
        if _owned_matches(owned, line)
        and not (
            lock_is_active(owned, now) and owned["locked_order_id"] != row["order_id"]
        )
    ]
    if not usable:
        return False
    # A reward locked for this very order is the one the kiosk meant.
    usable.sort(key=lambda owned: owned["locked_order_id"] != row["order_id"])
    chosen = usable[0]["id"]
    customer_reward_mark_used(
        call.connection, chosen, order_id=row["order_id"], now=call.now_iso()
    )
    call.connection.execute(
        "INSERT INTO order_rewards VALUES (?, ?)", (row["id"], chosen)
    )
    return True


def _owned_matches(owned: Row, line: dict[str, object]) -> bool:
    expected = {
        "id": line.get("customer_reward_id"),
        "reward_id": line.get("reward_id"),
        "coupon_code": line.get("coupon_code"),
    }
    return all(
        value is None or owned[column] == value for column, value in expected.items()
    )


# --- Validation ----------------------------------------------------------------------


def _enum(
    validator: Validator,
    field: str,
    choices: tuple[str, ...],
    *,
    strict: bool,
    is_required: bool,
) -> str | None:
    """One of `choices` (422 otherwise); any non-empty string with `strict_enums` off."""
    if strict:
        return validator.choice(field, choices, is_required=is_required)
    return validator.string(field, is_required=is_required)


def _order_input(call: ApiCall, body: dict[str, object]) -> OrderInput:
    validator = Validator(body)
    order_id = validator.string("order_id", is_required=True)
    slug = validator.string("loyalty_store_slug", is_required=True)
    store = store_by_slug(call.connection, call.merchant, slug) if slug else None
    if slug and store is None:
        validator.error(
            "loyalty_store_slug", "The selected loyalty store slug is invalid."
        )
    strict = call.context.switch("strict_enums")
    status = _enum(validator, "status", STATUSES, strict=strict, is_required=True)
    delivery_status = _enum(
        validator, "delivery_status", DELIVERY_STATUSES, strict=strict, is_required=True
    )
    _enum(validator, "channel", CHANNELS, strict=strict, is_required=True)
    _enum(validator, "delivery_mode", DELIVERY_MODES, strict=strict, is_required=True)
    amount = validator.integer("amount", is_required=True, minimum=0)
    validator.integer("tax_amount", minimum=0)
    validator.integer("tablet_id")
    validator.moment("created_at", is_required=True)
    validator.moment("withdrawal_at")
    for field in ("partner_order_id", "comment", "device_id", "device_name"):
        validator.string(field, max_length=2000)
    validator.string_list("reward_ids")
    lines_total = _lines_validate(validator)
    # A discount applied by the till (a voucher's coupon) is no line: the
    # amount paid may be less than the lines, never more.
    if amount is not None and lines_total is not None and amount > lines_total:
        validator.error(
            "amount", "The amount may not be greater than the sum of the line amounts."
        )
    _customer_validate(validator)
    _payments_validate(validator)
    validator.raise_if_invalid()
    assert order_id is not None
    assert store is not None
    assert status is not None
    assert delivery_status is not None
    assert amount is not None
    return OrderInput(order_id, store, status, delivery_status, amount, body)


def _lines_validate(validator: Validator) -> int | None:
    """Check every line; the sum of their amounts when they are all valid."""
    lines = validator.objects("lines", is_required=True)
    if lines is None:
        return None
    errors_before = len(validator.errors)
    total = 0
    for index, line in enumerate(lines):
        line_validator = validator.nested(line, f"lines.{index}.")
        line_validator.string("external_id")
        line_validator.string("name", is_required=True)
        for field in ("reward_id", "customer_reward_id", "coupon_code"):
            line_validator.string(field)
        quantity = line_validator.integer("quantity", is_required=True, minimum=1)
        unit_amount = line_validator.integer("unit_amount", is_required=True)
        amount = line_validator.integer("amount", is_required=True)
        if quantity is None or unit_amount is None or amount is None:
            continue
        if amount != unit_amount * quantity:
            line_validator.error(
                "amount", "The amount must equal unit amount × quantity."
            )
        if (amount < 0 or unit_amount < 0) and not line.get("reward_id"):
            line_validator.error("amount", "Only reward lines may be negative.")
        total += amount
    return total if len(validator.errors) == errors_before else None


def _customer_validate(validator: Validator) -> None:
    customer = validator.mapping("customer")
    if customer is None:
        return
    nested = validator.nested(customer, "customer.")
    nested.string("public_id")
    nested.phone("phone")
    for field in ("first_name", "last_name"):
        nested.string(field)
    nested.email("email")
    for field in ("has_optin", "has_optin_sms", "has_optin_email"):
        nested.boolean(field)
    if not customer.get("public_id") and not customer.get("phone"):
        nested.error(
            "phone",
            "The customer.phone field is required when customer.public_id is not present.",
        )


def _payments_validate(validator: Validator) -> None:
    for index, payment in enumerate(validator.objects("payments") or []):
        nested = validator.nested(payment, f"payments.{index}.")
        nested.string("method", is_required=True)
        nested.integer("amount", is_required=True)


def _order_customer(call: ApiCall, order: OrderInput) -> Row | None:
    """The identified customer; a phone nobody has enrols a new customer."""
    data = order.payload.get("customer")
    if not isinstance(data, dict):
        return None
    public_id, phone = data.get("public_id"), data.get("phone")
    if public_id:
        row = customer_find(call.connection, call.merchant, public_id)
        if row is not None:
            return row
        if not phone:
            raise ApiError.invalid(
                "customer.public_id", "The selected customer.public_id is invalid."
            )
    assert isinstance(phone, str)
    row = customer_by_phone(call.connection, call.merchant, phone)
    if row is not None:
        return row
    columns: dict[str, object] = {
        "phone": phone,
        "reference_store": order.store["public_id"],
    }
    for field in ("first_name", "last_name", "email"):
        if data.get(field) is not None:
            columns[field] = data[field]
    columns.update(
        optin_columns(
            has_optin=_bool_or_none(data.get("has_optin")),
            sms=_bool_or_none(data.get("has_optin_sms")),
            email=_bool_or_none(data.get("has_optin_email")),
        )
    )
    public_id = customer_insert(call.context, merchant=call.merchant, columns=columns)
    return customer_find(call.connection, call.merchant, public_id)


def _bool_or_none(value: object) -> bool | None:
    return value if isinstance(value, bool) else None
