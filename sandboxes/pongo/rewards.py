"""Reward routes: the catalogue, buying, owned rewards, lock, unlock and use.

Buying deducts points with one conditional UPDATE inside the request's
transaction, so the balance never goes negative even when two kiosks buy at
the same moment. Locks expire on the sandbox clock.

Pongo's documents do not say that a repeated call is recognised, so the
sandbox recognises none: locking a locked reward is 409 `reward_locked` and
using a used one 409 `reward_used`, even for the order that did it (a client
that resends after a lost answer must read the reward back). Releasing a
free reward changes nothing and is 204.
"""

from __future__ import annotations

import secrets
import sqlite3
import string
from datetime import timedelta

from sandboxes.core.clock import iso_format
from sandboxes.core.web import ApiError, SandboxResponse, empty_response, json_response
from sandboxes.pongo.call import ApiCall
from sandboxes.pongo.records import (
    Row,
    customer_find,
    customer_get,
    customer_reward_get,
    customer_reward_json,
    identifier_new,
    json_list,
    lock_is_active,
    reward_get,
    reward_is_available,
    reward_json,
    store_by_slug,
)
from sandboxes.pongo.validation import Validator
from sandboxes.pongo.webhooks import customer_event_emit

COUPON_ALPHABET = string.ascii_uppercase + string.digits
DEFAULT_LOCK_MINUTES = 15
MAX_LOCK_MINUTES = 24 * 60


def conflict(code: str, message: str) -> ApiError:
    return ApiError.message(409, message, code=code)


def reward_allows_customer(reward: Row, customer: Row) -> bool:
    """Segment rewards (with tags) go only to customers with one of those tags."""
    tags = set(json_list(reward["tags"]))
    return not tags or bool(tags & set(json_list(customer["tags"])))


def reward_allows_store(reward: Row, store_slug: str) -> bool:
    slugs = json_list(reward["store_slugs"])
    return not slugs or store_slug in slugs


def reward_list(call: ApiCall) -> SandboxResponse:
    query = call.request.query
    validator = Validator(query)
    customer = customer_find(call.connection, call.merchant, query.get("customer"))
    if query.get("customer") and customer is None:
        validator.error("customer", "The selected customer is invalid.")
    store_slug = query.get("store_slug") or None
    if store_slug and store_by_slug(call.connection, call.merchant, store_slug) is None:
        validator.error("store_slug", "The selected store slug is invalid.")
    bounds = {
        name: _points_bound(validator, name, query.get(name))
        for name in ("points_min", "points_max")
    }
    validator.raise_if_invalid()
    rows = call.connection.execute(
        "SELECT * FROM rewards WHERE merchant = ? ORDER BY points, public_id",
        (call.merchant,),
    ).fetchall()
    now = call.now()
    selected = [
        row
        for row in rows
        if reward_is_available(row, now)
        and (customer is None or reward_allows_customer(row, customer))
        and (store_slug is None or reward_allows_store(row, store_slug))
        and (bounds["points_min"] is None or row["points"] >= bounds["points_min"])
        and (bounds["points_max"] is None or row["points"] <= bounds["points_max"])
    ]
    return json_response({"data": [reward_json(row) for row in selected]})


def reward_buy(call: ApiCall) -> SandboxResponse:
    reward = reward_get(call.connection, call.merchant, call.params["reward"])
    validator = Validator(call.body())
    customer_id = validator.string("customer", is_required=True)
    store_slug = validator.string("store_slug", is_required=True)
    is_used = validator.boolean("used") or False
    pin = validator.string("pin")
    validator.raise_if_invalid()
    assert customer_id is not None
    assert store_slug is not None
    customer = customer_get(call.connection, call.merchant, customer_id)
    _buy_check(call, reward=reward, customer=customer, store_slug=store_slug, pin=pin)
    _points_spend(call, customer=customer, points=reward["points"])
    identifier = _customer_reward_insert(
        call, reward=reward, customer=customer, store_slug=store_slug, is_used=is_used
    )
    customer_event_emit(
        call.context,
        merchant=call.merchant,
        customer=customer_id,
        event="customer.updated",
    )
    balance = call.connection.execute(
        "SELECT points FROM customers WHERE public_id = ?", (customer_id,)
    ).fetchone()["points"]
    owned = customer_reward_get(call.connection, customer_id, identifier)
    return json_response(
        {
            "data": customer_reward_json(call.connection, owned, call.now()),
            "customer": {"public_id": customer_id, "points": balance},
        },
        201,
    )


def customer_rewards(call: ApiCall) -> SandboxResponse:
    customer = customer_get(call.connection, call.merchant, call.params["customer"])
    used = call.request.query.get("used")
    if used not in (None, "", "true", "false"):
        raise ApiError.invalid("used", "The used field must be true or false.")
    rows = call.connection.execute(
        "SELECT * FROM customer_rewards WHERE customer = ? ORDER BY bought_at, id",
        (customer["public_id"],),
    ).fetchall()
    now = call.now()
    selected = [
        row
        for row in rows
        if (row["expires_at"] is None or row["expires_at"] > iso_format(now))
        and (not used or bool(row["used"]) == (used == "true"))
    ]
    return json_response(
        {"data": [customer_reward_json(call.connection, row, now) for row in selected]}
    )


def reward_lock(call: ApiCall) -> SandboxResponse:
    owned = _owned_reward(call)
    validator = Validator(call.body())
    order_id = validator.string("order_id", is_required=True)
    _store_slug_check(call, validator)
    minutes = validator.integer("duration_minutes", minimum=1)
    if minutes is not None and minutes > MAX_LOCK_MINUTES:
        validator.error(
            "duration_minutes",
            f"The duration minutes may not be greater than {MAX_LOCK_MINUTES}.",
        )
    validator.raise_if_invalid()
    if owned["used"]:
        raise conflict("reward_used", "This reward has already been used.")
    _lock_check(call, owned, order_id)
    if lock_is_active(owned, call.now()):
        raise conflict("reward_locked", "This reward is already locked.")
    locked_until = call.now() + timedelta(minutes=minutes or DEFAULT_LOCK_MINUTES)
    call.connection.execute(
        "UPDATE customer_rewards SET locked_until = ?, locked_order_id = ? WHERE id = ?",
        (iso_format(locked_until), order_id, owned["id"]),
    )
    return _owned_reward_response(call, owned["id"])


def reward_unlock(call: ApiCall) -> SandboxResponse:
    owned = _owned_reward(call)
    order_id = call.body().get("order_id") or call.request.query.get("order_id")
    if order_id:
        _lock_check(call, owned, str(order_id))
    call.connection.execute(
        "UPDATE customer_rewards SET locked_until = NULL, locked_order_id = NULL WHERE id = ?",
        (owned["id"],),
    )
    return empty_response()


def reward_use(call: ApiCall) -> SandboxResponse:
    owned = _owned_reward(call)
    validator = Validator(call.body())
    order_id = validator.string("order_id", is_required=True)
    _store_slug_check(call, validator)
    validator.raise_if_invalid()
    if owned["used"]:
        raise conflict("reward_used", "This reward has already been used.")
    _lock_check(call, owned, order_id)
    customer_reward_mark_used(
        call.connection, owned["id"], order_id=order_id, now=call.now_iso()
    )
    return _owned_reward_response(call, owned["id"])


def customer_reward_mark_used(
    connection: sqlite3.Connection, identifier: str, *, order_id: str | None, now: str
) -> None:
    connection.execute(
        "UPDATE customer_rewards SET used = 1, used_at = ?, used_order_id = ?,"
        " locked_until = NULL, locked_order_id = NULL WHERE id = ?",
        (now, order_id, identifier),
    )


def _buy_check(
    call: ApiCall, *, reward: Row, customer: Row, store_slug: str, pin: str | None
) -> None:
    """Everything but the balance; raises `ApiError` 422."""
    if store_by_slug(call.connection, call.merchant, store_slug) is None:
        raise ApiError.invalid("store_slug", "The selected store slug is invalid.")
    if not reward_is_available(reward, call.now()):
        raise ApiError.invalid("customer", "This reward is no longer available.")
    if not reward_allows_customer(reward, customer):
        raise ApiError.invalid(
            "customer", "This reward is not available for this customer."
        )
    if not reward_allows_store(reward, store_slug):
        raise ApiError.invalid(
            "store_slug", "This reward is not available in this store."
        )
    if customer["pin"] is not None and pin != customer["pin"]:
        raise ApiError.invalid("pin", "The pin is incorrect.")


def _points_spend(call: ApiCall, *, customer: Row, points: int) -> None:
    """Deduct in one statement that refuses to go below zero (409 otherwise)."""
    spent = call.connection.execute(
        "UPDATE customers SET points = points - ?, updated_at = ?"
        " WHERE public_id = ? AND points >= ?",
        (points, call.now_iso(), customer["public_id"], points),
    ).rowcount
    if not spent:
        raise conflict(
            "insufficient_points", "The customer does not have enough points."
        )


def _customer_reward_insert(
    call: ApiCall, *, reward: Row, customer: Row, store_slug: str, is_used: bool
) -> str:
    identifier = identifier_new("crw_")
    is_voucher = str(reward["type"]).startswith("voucher_")
    now = call.now_iso()
    call.connection.execute(
        "INSERT INTO customer_rewards (id, reward_id, customer, store_slug, coupon_code,"
        " used, used_at, used_order_id, locked_until, locked_order_id, bought_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, NULL)",
        (
            identifier,
            reward["public_id"],
            customer["public_id"],
            store_slug,
            _coupon_code_new(call.connection) if is_voucher else None,
            is_used,
            now if is_used else None,
            now,
        ),
    )
    return identifier


def _coupon_code_new(connection: sqlite3.Connection) -> str:
    """`PONGO-` and 8 uppercase letters or digits, unique in the sandbox."""
    while True:
        code = "PONGO-" + "".join(secrets.choice(COUPON_ALPHABET) for _ in range(8))
        taken = connection.execute(
            "SELECT 1 FROM customer_rewards WHERE coupon_code = ?", (code,)
        ).fetchone()
        if taken is None:
            return code


def _owned_reward(call: ApiCall) -> Row:
    customer = customer_get(call.connection, call.merchant, call.params["customer"])
    return customer_reward_get(
        call.connection, customer["public_id"], call.params["customer_reward"]
    )


def _owned_reward_response(call: ApiCall, identifier: str) -> SandboxResponse:
    row = call.connection.execute(
        "SELECT * FROM customer_rewards WHERE id = ?", (identifier,)
    ).fetchone()
    return json_response(
        {"data": customer_reward_json(call.connection, row, call.now())}
    )


def _lock_check(call: ApiCall, owned: Row, order_id: str | None) -> None:
    """409 `reward_locked` while another order holds an unexpired lock."""
    if lock_is_active(owned, call.now()) and owned["locked_order_id"] != order_id:
        raise conflict("reward_locked", "This reward is locked by another order.")


def _store_slug_check(call: ApiCall, validator: Validator) -> None:
    slug = validator.string("store_slug")
    if slug is not None and store_by_slug(call.connection, call.merchant, slug) is None:
        validator.error("store_slug", "The selected store slug is invalid.")


def _points_bound(validator: Validator, field: str, raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        validator.error(field, f"The {field.replace('_', ' ')} must be an integer.")
        return None
    return int(raw)
