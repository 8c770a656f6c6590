"""The RBI emulator's own control routes, beside the shared ones under `/_sandbox/`.

They do what the app and the back office would: mint a one-time code with
pre-selections, set a balance, run the PENDING sweeper; and they show what
the sandbox holds: a transaction's whole state, a user's points.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sandboxes.core.server import ControlHandler, RequestContext
from sandboxes.core.web import (
    ApiError,
    Router,
    SandboxRequest,
    SandboxResponse,
    json_response,
)
from sandboxes.rbi.codes import (
    DEFAULT_CODE_TTL_S,
    MAX_CODE_TTL_S,
    code_mint,
    preselection_parse,
)
from sandboxes.rbi.demo import demo_code_mint, demo_page
from sandboxes.rbi.images import image_response
from sandboxes.rbi.ledger import points_held, points_move, user_find
from sandboxes.rbi.records import (
    transaction_find,
    transaction_state,
    transactions_of_pos,
)
from sandboxes.rbi.transactions import pending_expire


def otp_mint(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    """`POST /_sandbox/otp`: what the app does when the guest opens its code page.

    `{"loyaltyId", "preselect", "ttl_s"}` → `{"otp", "expiresAt", …}`.
    """
    data = request.json_object()
    loyalty_id = data.get("loyaltyId")
    if (
        not isinstance(loyalty_id, str)
        or user_find(context.connection, loyalty_id) is None
    ):
        raise ApiError.message(404, "User not found.")
    ttl_s = data.get("ttl_s", DEFAULT_CODE_TTL_S)
    if (
        isinstance(ttl_s, bool)
        or not isinstance(ttl_s, int)
        or not 1 <= ttl_s <= MAX_CODE_TTL_S
    ):
        raise ApiError.invalid(
            "ttl_s", f"The ttl_s must be 1 to {MAX_CODE_TTL_S} seconds."
        )
    preselect = preselection_parse(data.get("preselect", []))
    minted = code_mint(
        context.connection,
        loyalty_id=loyalty_id,
        preselect=preselect,
        ttl_s=ttl_s,
        now=context.clock.now(),
    )
    answer = {
        "otp": minted.code,
        "expiresAt": minted.expires_at,
        "mintedAt": minted.minted_at,
        "loyaltyId": loyalty_id,
        "preselect": preselect,
    }
    return json_response(answer, 201)


def transaction_show(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    row = transaction_find(context.connection, params["transaction_id"])
    if row is None:
        raise ApiError.message(404, "Transaction not found.")
    return json_response(transaction_state(context.connection, row))


def transactions_show(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    """`GET /_sandbox/transactions?pos=ORDER`: what a POS transaction opened or
    sent (identifications, claims, unclaimed sales), oldest first."""
    pos_transaction = request.query.get("pos", "")
    if not pos_transaction:
        raise ApiError.invalid(
            "pos", "Name the POS transaction (posVendor.transactionId)."
        )
    rows = transactions_of_pos(context.connection, pos_transaction)
    return json_response(
        {"data": [transaction_state(context.connection, row) for row in rows]}
    )


def user_show(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    user = user_find(context.connection, params["loyalty_id"])
    if user is None:
        raise ApiError.message(404, "User not found.")
    return json_response(user_state(context.connection, user))


def points_set(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    """`POST /_sandbox/users/{loyaltyId}/points` `{"points": 0}` sets a balance."""
    points = request.json_object().get("points")
    if isinstance(points, bool) or not isinstance(points, int) or points < 0:
        raise ApiError.invalid("points", "The points must be an integer, 0 or more.")
    user = user_find(context.connection, params["loyalty_id"])
    if user is None:
        raise ApiError.message(404, "User not found.")
    points_move(
        context.connection,
        loyalty_id=user["loyalty_id"],
        transaction_id=None,
        kind="set",
        points=points - int(user["points"]),
        now=context.clock.isoformat(),
    )
    user = user_find(context.connection, params["loyalty_id"])
    assert user is not None
    return json_response(user_state(context.connection, user))


def transactions_expire(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    """`POST /_sandbox/transactions/expire`: the PENDING sweeper, now.

    `{"pending_ttl_s": 0}` expires what is older than that instead of the
    setting: every open transaction, without moving the clock (and without
    the background sweeper getting there first).
    """
    ttl_s = request.json_object().get("pending_ttl_s", context.setting("pending_ttl_s"))
    if isinstance(ttl_s, bool) or not isinstance(ttl_s, int) or ttl_s < 0:
        raise ApiError.invalid("pending_ttl_s", "The pending_ttl_s must be 0 or more.")
    voided = pending_expire(context.connection, now=context.clock.now(), ttl_s=ttl_s)
    return json_response({"voided": voided})


def image_show(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    response = image_response(params["name"])
    if response is None:
        raise ApiError.message(404, "Image not found.")
    return response


def user_state(connection: sqlite3.Connection, user: sqlite3.Row) -> dict[str, Any]:
    held = points_held(connection, user["loyalty_id"])
    instances = connection.execute(
        "SELECT * FROM offer_instances WHERE loyalty_id = ? ORDER BY engine_id",
        (user["loyalty_id"],),
    ).fetchall()
    movements = connection.execute(
        "SELECT * FROM point_movements WHERE loyalty_id = ? ORDER BY id",
        (user["loyalty_id"],),
    ).fetchall()
    return {
        "loyaltyId": user["loyalty_id"],
        "name": user["name"],
        "email": user["email"],
        "created": user["created"],
        "points": user["points"],
        "heldPoints": held,
        "availablePoints": user["points"] - held,
        "previousOrders": user["previous_orders"],
        "offers": [
            {
                "loyaltyEngineId": row["engine_id"],
                "incentiveId": row["config_id"],
                "usedBy": row["used_by"],
            }
            for row in instances
        ],
        "pointMovements": [
            {
                "transactionId": row["transaction_id"],
                "kind": row["kind"],
                "points": row["points"],
                "balance": row["balance"],
                "at": row["at"],
            }
            for row in movements
        ],
    }


def _demo(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    return demo_page(context)


def _demo_mint(
    request: SandboxRequest, context: RequestContext, params: dict[str, str]
) -> SandboxResponse:
    return demo_code_mint(request, context)


def control_router() -> Router[ControlHandler]:
    router: Router[ControlHandler] = Router()
    router.add("GET", "/_sandbox", _demo)
    router.add("GET", "/_sandbox/", _demo)
    router.add("POST", "/_sandbox/", _demo_mint)
    router.add("POST", "/_sandbox/otp", otp_mint)
    router.add("POST", "/_sandbox/transactions/expire", transactions_expire)
    router.add("GET", "/_sandbox/transactions", transactions_show)
    router.add("GET", "/_sandbox/transactions/{transaction_id}", transaction_show)
    router.add("GET", "/_sandbox/users/{loyalty_id}", user_show)
    router.add("POST", "/_sandbox/users/{loyalty_id}/points", points_set)
    router.add("GET", "/_sandbox/images/{name}.svg", image_show)
    return router
