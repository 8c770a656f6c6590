"""Check-ins: a visit recorded by phone or customer id, credited like an order."""

from __future__ import annotations

from sandboxes.core.web import SandboxResponse, json_response
from sandboxes.pongo.call import ApiCall
from sandboxes.pongo.customers import customer_points_change
from sandboxes.pongo.orders import points_for_amount
from sandboxes.pongo.records import (
    customer_by_phone,
    customer_find,
    identifier_new,
    store_by_slug,
)
from sandboxes.pongo.validation import Validator


def checkin_create(call: ApiCall) -> SandboxResponse:
    validator = Validator(call.body())
    slug = validator.string("store_slug", is_required=True)
    amount = validator.integer("amount", minimum=0)
    created_at = validator.moment("created_at")
    if slug and store_by_slug(call.connection, call.merchant, slug) is None:
        validator.error("store_slug", "The selected store slug is invalid.")
    customer = _checkin_customer(call, validator)
    validator.raise_if_invalid()
    assert customer is not None
    points = points_for_amount(call.connection, call.merchant, amount) if amount else 0
    if points:
        customer_points_change(
            call.context, merchant=call.merchant, customer=customer, delta=points
        )
    checkin = {
        "id": identifier_new("chk_"),
        "customer": customer,
        "store_slug": slug,
        "amount": amount,
        "points_earned": points,
        "created_at": created_at or call.now_iso(),
    }
    call.connection.execute(
        "INSERT INTO checkins (id, merchant, customer, store_slug, amount, points_earned,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            checkin["id"],
            call.merchant,
            customer,
            slug,
            amount,
            points,
            checkin["created_at"],
        ),
    )
    return json_response({"data": checkin}, 201)


def _checkin_customer(call: ApiCall, validator: Validator) -> str | None:
    """The customer's id, found by `customer` or else by `phone`."""
    customer_id = validator.string("customer")
    phone = validator.phone("phone")
    if customer_id is not None:
        row = customer_find(call.connection, call.merchant, customer_id)
        if row is None:
            validator.error("customer", "The selected customer is invalid.")
    elif phone is not None:
        row = customer_by_phone(call.connection, call.merchant, phone)
        if row is None:
            validator.error("phone", "The selected phone is invalid.")
    else:
        row = None
        if "phone" not in validator.errors:
            validator.error(
                "phone", "The phone field is required when customer is not present."
            )
    return None if row is None else str(row["public_id"])
