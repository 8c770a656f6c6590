"""Reading the emulator's rows and writing them as Pongo's JSON resources.

Every lookup takes the merchant of the request's token: a customer, reward,
store or order of another merchant is simply not found.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from sandboxes.core.clock import iso_parse
from sandboxes.core.web import ApiError

Row = sqlite3.Row


def fetch_one(
    connection: sqlite3.Connection, sql: str, parameters: Sequence[object] = ()
) -> Row | None:
    row: Row | None = connection.execute(sql, parameters).fetchone()
    return row


def fetch_existing(
    connection: sqlite3.Connection, sql: str, parameters: Sequence[object] = ()
) -> Row:
    """A row the request itself just wrote or checked."""
    row = fetch_one(connection, sql, parameters)
    assert row is not None, sql
    return row


def identifier_new(prefix: str) -> str:
    """`cust_`, `crw_`, `ord_`… followed by 10 lowercase hex digits."""
    return prefix + secrets.token_hex(5)


def json_list(text: str) -> list[str]:
    return [str(item) for item in json.loads(text)]


def optional_bool(value: object) -> bool | None:
    return None if value is None else bool(value)


def has_optin(sms: bool | None, email: bool | None) -> bool | None:
    """True only when both opt-ins are; false when either is refused."""
    if sms is False or email is False:
        return False
    if sms is None or email is None:
        return None
    return True


# --- Stores ---------------------------------------------------------------------


def store_json(row: Row) -> dict[str, object]:
    return {
        "public_id": row["public_id"],
        "slug": row["slug"],
        "name": row["name"],
        "address": row["address"],
        "city": row["city"],
        "country": row["country"],
        "timezone": row["timezone"],
    }


def merchant_row(
    connection: sqlite3.Connection,
    table: str,
    merchant: str,
    column: str,
    value: object,
) -> Row | None:
    """The merchant's row of `table` whose `column` is `value`; None for a non-string.

    `table` and `column` are names from this module, never from a request.
    """
    if not isinstance(value, str):
        return None
    return fetch_one(
        connection,
        f"SELECT * FROM {table} WHERE merchant = ? AND {column} = ?",
        (merchant, value),
    )


def store_by_slug(
    connection: sqlite3.Connection, merchant: str, slug: object
) -> Row | None:
    return merchant_row(connection, "stores", merchant, "slug", slug)


def store_by_id(
    connection: sqlite3.Connection, merchant: str, public_id: object
) -> Row | None:
    return merchant_row(connection, "stores", merchant, "public_id", public_id)


# --- Customers --------------------------------------------------------------------


def customer_json(connection: sqlite3.Connection, row: Row) -> dict[str, object]:
    store = connection.execute(
        "SELECT public_id, slug FROM stores WHERE public_id = ?",
        (row["reference_store"],),
    ).fetchone()
    sms, email = (
        optional_bool(row["has_optin_sms"]),
        optional_bool(row["has_optin_email"]),
    )
    return {
        "public_id": row["public_id"],
        "phone": row["phone"],
        "email": row["email"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "gender": row["gender"],
        "birthday": row["birthday"],
        "tags": json_list(row["tags"]),
        "points": row["points"],
        "has_optin": has_optin(sms, email),
        "has_optin_sms": sms,
        "has_optin_email": email,
        "has_pin": row["pin"] is not None,
        "reference_store": (
            {"public_id": store["public_id"], "slug": store["slug"]} if store else None
        ),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def customer_find(
    connection: sqlite3.Connection, merchant: str, public_id: object
) -> Row | None:
    return merchant_row(connection, "customers", merchant, "public_id", public_id)


def customer_get(connection: sqlite3.Connection, merchant: str, public_id: str) -> Row:
    """Raises `ApiError` 404 when the merchant has no such customer."""
    row = customer_find(connection, merchant, public_id)
    if row is None:
        raise ApiError.message(404, "Customer not found.")
    return row


def customer_by_phone(
    connection: sqlite3.Connection, merchant: str, phone: str
) -> Row | None:
    return merchant_row(connection, "customers", merchant, "phone", phone)


# --- Rewards ----------------------------------------------------------------------


def reward_json(row: Row) -> dict[str, object]:
    return {
        "public_id": row["public_id"],
        "name": row["name"],
        "description": row["description"],
        "image": row["image"],
        "type": row["type"],
        "points": row["points"],
        "value": row["value"],
        "external_id": row["external_id"],
        "store_slugs": json_list(row["store_slugs"]),
        "tags": json_list(row["tags"]),
        "is_active": bool(row["is_active"]),
        "expires_at": row["expires_at"],
    }


def reward_get(connection: sqlite3.Connection, merchant: str, public_id: str) -> Row:
    row = fetch_one(
        connection,
        "SELECT * FROM rewards WHERE merchant = ? AND public_id = ?",
        (merchant, public_id),
    )
    if row is None:
        raise ApiError.message(404, "Reward not found.")
    return row


def reward_is_available(row: Row, now: datetime) -> bool:
    """Active and not expired: the only catalogue rewards anyone can get."""
    expires_at = row["expires_at"]
    return bool(row["is_active"]) and (
        expires_at is None or iso_parse(expires_at) > now
    )


# --- Rewards a customer owns ------------------------------------------------------------


def lock_is_active(row: Row, now: datetime) -> bool:
    locked_until = row["locked_until"]
    return locked_until is not None and iso_parse(locked_until) > now


def customer_reward_json(
    connection: sqlite3.Connection, row: Row, now: datetime
) -> dict[str, object]:
    reward = connection.execute(
        "SELECT * FROM rewards WHERE public_id = ?", (row["reward_id"],)
    ).fetchone()
    # A lock past its time is no lock: show it as released.
    is_locked = lock_is_active(row, now)
    return {
        "id": row["id"],
        "reward_id": row["reward_id"],
        "reward": reward_json(reward),
        "customer": row["customer"],
        "store_slug": row["store_slug"],
        # The guides: a won free product carries `external_id`, a voucher `coupon_code`.
        "external_id": reward["external_id"],
        "coupon_code": row["coupon_code"],
        "used": bool(row["used"]),
        "used_at": row["used_at"],
        "used_order_id": row["used_order_id"],
        "locked_until": row["locked_until"] if is_locked else None,
        "locked_order_id": row["locked_order_id"] if is_locked else None,
        "bought_at": row["bought_at"],
        "expires_at": row["expires_at"],
    }


def customer_reward_get(
    connection: sqlite3.Connection, customer: str, identifier: str
) -> Row:
    row = fetch_one(
        connection,
        "SELECT * FROM customer_rewards WHERE customer = ? AND id = ?",
        (customer, identifier),
    )
    if row is None:
        raise ApiError.message(404, "Reward not found.")
    return row
