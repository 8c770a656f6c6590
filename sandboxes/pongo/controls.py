"""The Pongo emulator's own control routes, beside the shared ones under `/_sandbox/`.

They let tests and demos set what the API alone cannot: a balance, a reward's
expiry, a merchant's consent without a browser; and see what the sandbox
stored, such as how many times an order was received.
"""

from __future__ import annotations

from sandboxes.core.clock import iso_format, iso_parse
from sandboxes.core.server import ControlHandler, RequestContext
from sandboxes.core.web import (
    ApiError,
    Router,
    SandboxRequest,
    SandboxResponse,
    json_response,
)
from sandboxes.pongo import oauth
from sandboxes.pongo.demo import demo_page
from sandboxes.pongo.orders import order_json
from sandboxes.pongo.records import (
    customer_json,
    fetch_existing,
    fetch_one,
    reward_json,
)
from sandboxes.pongo.validation import Validator
from sandboxes.pongo.webhooks import customer_event_emit


def points_set(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    """`POST /_sandbox/customers/{customer}/points` `{"points": 0}` sets a balance."""
    points = request.json_object().get("points")
    if isinstance(points, bool) or not isinstance(points, int) or points < 0:
        raise ApiError.invalid("points", "The points must be an integer, 0 or more.")
    row = context.connection.execute(
        "SELECT * FROM customers WHERE public_id = ?", (params["customer"],)
    ).fetchone()
    if row is None:
        raise ApiError.message(404, "Customer not found.")
    context.connection.execute(
        "UPDATE customers SET points = ?, updated_at = ? WHERE public_id = ?",
        (points, context.clock.isoformat(), row["public_id"]),
    )
    customer_event_emit(
        context,
        merchant=row["merchant"],
        customer=row["public_id"],
        event="customer.updated",
    )
    row = context.connection.execute(
        "SELECT * FROM customers WHERE public_id = ?", (row["public_id"],)
    ).fetchone()
    return json_response({"data": customer_json(context.connection, row)})


def reward_update(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    """`PATCH /_sandbox/rewards/{reward}` `{"is_active", "expires_at"}`: age a reward."""
    body = request.json_object()
    row = fetch_one(
        context.connection,
        "SELECT * FROM rewards WHERE public_id = ?",
        (params["reward"],),
    )
    if row is None:
        raise ApiError.message(404, "Reward not found.")
    validator = Validator(body)
    is_active = validator.boolean("is_active")
    expires_at = validator.moment("expires_at")
    validator.raise_if_invalid()
    if is_active is not None:
        context.connection.execute(
            "UPDATE rewards SET is_active = ? WHERE public_id = ?",
            (is_active, row["public_id"]),
        )
    if "expires_at" in body:
        stored = iso_format(iso_parse(expires_at)) if expires_at else None
        context.connection.execute(
            "UPDATE rewards SET expires_at = ? WHERE public_id = ?",
            (stored, row["public_id"]),
        )
    row = fetch_existing(
        context.connection,
        "SELECT * FROM rewards WHERE public_id = ?",
        (row["public_id"],),
    )
    return json_response({"data": reward_json(row)})


def orders_received(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    """`GET /_sandbox/orders?order_id=…`: the orders stored, with their receipts."""
    clauses, values = [], []
    for field in ("order_id", "loyalty_store_slug"):
        if request.query.get(field):
            clauses.append(f"{field} = ?")
            values.append(request.query[field])
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = context.connection.execute(
        f"SELECT * FROM orders {where} ORDER BY created_at, id", values
    ).fetchall()
    data = [
        {
            **order_json(row),
            "amount": row["amount"],
            "receipts": row["receipts"],
            "is_credited": bool(row["is_credited"]),
            "created_at": row["created_at"],
        }
        for row in rows
    ]
    return json_response({"data": data})


def _demo(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    return demo_page(request, context)


def _authorize(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    return oauth.authorize_control(request, context)


def control_router() -> Router[ControlHandler]:
    router: Router[ControlHandler] = Router()
    router.add("GET", "/_sandbox", _demo)
    router.add("GET", "/_sandbox/", _demo)
    router.add("POST", "/_sandbox/oauth/authorize", _authorize)
    router.add("POST", "/_sandbox/customers/{customer}/points", points_set)
    router.add("GET", "/_sandbox/orders", orders_received)
    router.add("PATCH", "/_sandbox/rewards/{reward}", reward_update)
    return router
