"""Customer routes: look-ups, the paginated list, enrolment, updates, tags."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Mapping
from datetime import date
from urllib.parse import urlencode

from sandboxes.core.server import RequestContext
from sandboxes.core.web import ApiError, SandboxResponse, empty_response, json_response
from sandboxes.pongo.call import ApiCall
from sandboxes.pongo.records import (
    Row,
    customer_by_phone,
    customer_get,
    customer_json,
    identifier_new,
    json_list,
    store_by_id,
    store_by_slug,
)
from sandboxes.pongo.validation import Validator, phone_is_valid
from sandboxes.pongo.webhooks import customer_event_emit

GENDERS = ("man", "woman", "undisclosed", "other")
DEFAULT_PER_PAGE = 15
MAX_PER_PAGE = 100
LIST_FILTERS = ("phone", "email", "tag", "store_slug", "created_from", "created_to")


def customer_show_by_phone(call: ApiCall) -> SandboxResponse:
    phone = call.params["phone"]
    if not phone_is_valid(phone):
        raise ApiError.invalid("phone", "The phone format is invalid.")
    row = customer_by_phone(call.connection, call.merchant, phone)
    if row is None:
        raise ApiError.message(404, "Customer not found.")
    if call.request.method == "HEAD":
        return empty_response(200)
    return json_response({"data": customer_json(call.connection, row)})


def customer_show(call: ApiCall) -> SandboxResponse:
    row = customer_get(call.connection, call.merchant, call.params["customer"])
    return json_response({"data": customer_json(call.connection, row)})


def customer_list(call: ApiCall) -> SandboxResponse:
    query = call.request.query
    page = _query_integer(query.get("page"), "page", default=1, maximum=None)
    per_page = _query_integer(
        query.get("per_page"),
        "per_page",
        default=DEFAULT_PER_PAGE,
        maximum=MAX_PER_PAGE,
    )
    _dates_check(query)
    rows = call.connection.execute(
        "SELECT customers.*, stores.slug AS store_slug FROM customers"
        " JOIN stores ON stores.public_id = customers.reference_store"
        " WHERE customers.merchant = ? ORDER BY customers.created_at, customers.public_id",
        (call.merchant,),
    ).fetchall()
    matching = [row for row in rows if _customer_matches(row, query)]
    last_page = max(1, math.ceil(len(matching) / per_page))
    window = matching[(page - 1) * per_page : page * per_page]
    return json_response(
        {
            "data": [customer_json(call.connection, row) for row in window],
            "links": _page_links(
                call, page=page, per_page=per_page, last_page=last_page
            ),
            "meta": {
                "current_page": page,
                "per_page": per_page,
                "total": len(matching),
                "last_page": last_page,
            },
        }
    )


def customer_create(call: ApiCall) -> SandboxResponse:
    validator = Validator(call.body())
    columns, points_to_add = _customer_fields(call, validator, is_create=True)
    validator.raise_if_invalid()
    columns["points"] = points_to_add
    public_id = customer_insert(call.context, merchant=call.merchant, columns=columns)
    row = customer_get(call.connection, call.merchant, public_id)
    return json_response({"data": customer_json(call.connection, row)}, 201)


def customer_update(call: ApiCall) -> SandboxResponse:
    row = customer_get(call.connection, call.merchant, call.params["customer"])
    validator = Validator(call.body())
    columns, points_to_add = _customer_fields(
        call, validator, is_create=False, current=row
    )
    validator.raise_if_invalid()
    columns["points"] = row["points"] + points_to_add
    columns["updated_at"] = call.now_iso()
    assignments = ", ".join(f"{name} = ?" for name in columns)
    call.connection.execute(
        f"UPDATE customers SET {assignments} WHERE public_id = ?",
        (*columns.values(), row["public_id"]),
    )
    customer_event_emit(
        call.context,
        merchant=call.merchant,
        customer=row["public_id"],
        event="customer.updated",
    )
    row = customer_get(call.connection, call.merchant, row["public_id"])
    return json_response({"data": customer_json(call.connection, row)})


def customer_tags(call: ApiCall) -> SandboxResponse:
    rows = call.connection.execute(
        "SELECT tags FROM customers WHERE merchant = ?", (call.merchant,)
    ).fetchall()
    tags = sorted({tag for row in rows for tag in json_list(row["tags"])})
    return json_response({"data": tags})


def customer_attributes(call: ApiCall) -> SandboxResponse:
    raise ApiError.message(501, "Not implemented in sandbox.")


def customer_insert(
    context: RequestContext, *, merchant: str, columns: dict[str, object]
) -> str:
    """Create a customer and tell the subscribed webhooks."""
    now = context.clock.isoformat()
    public_id = identifier_new("cust_")
    row = {
        "public_id": public_id,
        "merchant": merchant,
        "tags": "[]",
        "points": 0,
        "created_at": now,
        "updated_at": now,
        **columns,
    }
    names = ", ".join(row)
    placeholders = ", ".join("?" for _ in row)
    context.connection.execute(
        f"INSERT INTO customers ({names}) VALUES ({placeholders})", tuple(row.values())
    )
    customer_event_emit(
        context, merchant=merchant, customer=public_id, event="customer.created"
    )
    return public_id


def customer_points_change(
    context: RequestContext, *, merchant: str, customer: str, delta: int
) -> int:
    """Add (or remove) points, never below zero; returns the new balance."""
    context.connection.execute(
        "UPDATE customers SET points = MAX(0, points + ?), updated_at = ? WHERE public_id = ?",
        (delta, context.clock.isoformat(), customer),
    )
    customer_event_emit(
        context, merchant=merchant, customer=customer, event="customer.updated"
    )
    row = context.connection.execute(
        "SELECT points FROM customers WHERE public_id = ?", (customer,)
    ).fetchone()
    return int(row["points"])


def optin_columns(
    *, has_optin: bool | None, sms: bool | None, email: bool | None
) -> dict[str, object]:
    """Separate opt-ins win when given; `has_optin` alone sets both."""
    columns: dict[str, object] = {}
    if sms is not None:
        columns["has_optin_sms"] = sms
    if email is not None:
        columns["has_optin_email"] = email
    if has_optin is not None:
        columns.setdefault("has_optin_sms", has_optin)
        columns.setdefault("has_optin_email", has_optin)
    return columns


def _customer_fields(
    call: ApiCall, validator: Validator, *, is_create: bool, current: Row | None = None
) -> tuple[dict[str, object], int]:
    """Columns to write, and the points to add; errors go to `validator`."""
    columns: dict[str, object] = {}
    phone = validator.phone("phone", is_required=is_create)
    if phone is not None:
        _phone_check_free(call.connection, validator, call.merchant, phone, current)
        columns["phone"] = phone
    store = _reference_store(call, validator, is_required=is_create)
    if store is not None:
        columns["reference_store"] = store["public_id"]
    for name, value in (
        ("email", validator.email("email")),
        ("first_name", validator.string("first_name")),
        ("last_name", validator.string("last_name")),
        ("gender", validator.choice("gender", GENDERS)),
        ("birthday", validator.date_before("birthday", call.now().date())),
        ("pin", validator.pin("pin")),
    ):
        if value is not None:
            columns[name] = value
    tags = validator.string_list("tags")
    if tags is not None:
        columns["tags"] = json.dumps(sorted(set(tags)))
    columns.update(
        optin_columns(
            has_optin=validator.boolean("has_optin"),
            sms=validator.boolean("has_optin_sms"),
            email=validator.boolean("has_optin_email"),
        )
    )
    if validator.string("payment_method_hash") == "unknown":
        validator.error("payment_method_hash", "The payment method hash is invalid.")
    return columns, validator.integer("points", minimum=0) or 0


def _phone_check_free(
    connection: sqlite3.Connection,
    validator: Validator,
    merchant: str,
    phone: str,
    current: Row | None,
) -> None:
    """One person, one customer per merchant: a phone belongs to one customer."""
    owner = customer_by_phone(connection, merchant, phone)
    if owner is not None and (
        current is None or owner["public_id"] != current["public_id"]
    ):
        validator.error("phone", "The phone has already been taken.")


def _reference_store(
    call: ApiCall, validator: Validator, *, is_required: bool
) -> Row | None:
    slug = validator.string("reference_store_slug")
    public_id = validator.string("reference_store_id")
    if slug is None and public_id is None:
        if is_required:
            validator.error(
                "reference_store_slug", "The reference store slug field is required."
            )
        return None
    by_slug = store_by_slug(call.connection, call.merchant, slug) if slug else None
    by_id = (
        store_by_id(call.connection, call.merchant, public_id) if public_id else None
    )
    if slug is not None and by_slug is None:
        validator.error(
            "reference_store_slug", "The selected reference store slug is invalid."
        )
    if public_id is not None and by_id is None:
        validator.error(
            "reference_store_id", "The selected reference store id is invalid."
        )
    if (
        by_slug is not None
        and by_id is not None
        and by_slug["public_id"] != by_id["public_id"]
    ):
        validator.error(
            "reference_store_id", "The reference store id and slug do not match."
        )
    return by_slug or by_id


def _customer_matches(row: Row, query: Mapping[str, str]) -> bool:
    checks: dict[str, Callable[[str], bool]] = {
        "phone": lambda value: row["phone"] == value,
        "email": lambda value: (row["email"] or "").lower() == value.lower(),
        "tag": lambda value: value in json_list(row["tags"]),
        "store_slug": lambda value: row["store_slug"] == value,
        "created_from": lambda value: row["created_at"][:10] >= value,
        "created_to": lambda value: row["created_at"][:10] <= value,
    }
    return all(checks[name](query[name]) for name in LIST_FILTERS if query.get(name))


def _dates_check(query: Mapping[str, str]) -> None:
    validator = Validator(query)
    for field in ("created_from", "created_to"):
        value = query.get(field)
        try:
            is_valid = not value or date.fromisoformat(value).isoformat() == value
        except ValueError:
            is_valid = False
        if not is_valid:
            validator.error(
                field, f"The {field.replace('_', ' ')} does not match the format Y-m-d."
            )
    validator.raise_if_invalid()


def _query_integer(
    raw: str | None, field: str, *, default: int, maximum: int | None
) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ApiError.invalid(
            field, f"The {field.replace('_', ' ')} must be at least 1."
        )
    if maximum is not None and int(raw) > maximum:
        raise ApiError.invalid(
            field, f"The {field.replace('_', ' ')} may not be greater than {maximum}."
        )
    return int(raw)


def _page_links(
    call: ApiCall, *, page: int, per_page: int, last_page: int
) -> dict[str, str | None]:
    host = call.request.header("host")
    base = f"http://{host}" if host else ""
    filters = {
        name: call.request.query[name]
        for name in LIST_FILTERS
        if call.request.query.get(name)
    }

    def link(number: int) -> str:
        query = urlencode({**filters, "page": number, "per_page": per_page})
        return f"{base}{call.request.path}?{query}"

    return {
        "first": link(1),
        "last": link(last_page),
        "prev": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < last_page else None,
    }
