"""Validate, Update (PENDING or CLAIMED), Void and Unclaimed (`rbi.md` §5.3–5.6, §7).

Validate and Update share one evaluation, so a basket that validates also
claims. Validate writes nothing. Nothing is idempotent beyond what RBI's
documents say: a second claim of a claimed transaction is refused
(TransactionAlreadyClaimed), a second void of a voided one too
(TransactionNotClaimable), and every unclaimed POST records a new sale.
Void releases holds, or reverses a claim down to 0 points.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from sandboxes.core.clock import iso_format
from sandboxes.core.web import SandboxResponse, json_response
from sandboxes.rbi.basket import Basket, basket_resolve, situation_for_order
from sandboxes.rbi.body import (
    CLAIMED,
    PENDING,
    VOID,
    TransactionBody,
    body_parse,
)
from sandboxes.rbi.call import RbiCall
from sandboxes.rbi.errors import ErrorCode, RbiError, invalid_fields, not_found
from sandboxes.rbi.ledger import (
    earn_basis_cents,
    points_available,
    points_for_spend,
    points_move,
    user_find,
)
from sandboxes.rbi.records import (
    NewTransaction,
    event_add,
    not_claimable,
    store_get,
    transaction_change,
    transaction_get,
    transaction_insert,
)
from sandboxes.rbi.rules import Rule, RuleFailure, basket_check
from sandboxes.rbi.seed import RECEIPT_PRESENTATION

logger = logging.getLogger(__name__)

Row = sqlite3.Row


@dataclass(frozen=True)
class Evaluation:
    """A basket checked against a PENDING transaction, nothing written yet."""

    transaction: Row
    body: TransactionBody
    user: Row
    basket: Basket
    failures: list[RuleFailure]
    available: int  # the user's points, but this transaction's holds
    earned: int

    @property
    def points_after_claim(self) -> int:
        return self.available - self.basket.points + self.earned


def transaction_validate(call: RbiCall) -> SandboxResponse:
    body = body_parse(call.body(), needs_basket=True)
    transaction = transaction_get(call.connection, call.params["transaction_id"])
    if body.status is not None and body.status not in (PENDING, CLAIMED):
        raise not_claimable("Status must be PENDING or CLAIMED")
    if transaction["status"] != PENDING:
        raise not_claimable(f"Transaction is {transaction['status']}")
    evaluation = _evaluate(call, transaction, body)
    if evaluation.failures:
        raise rules_error(evaluation.failures)
    return json_response(
        _points_answer(
            evaluation, points=evaluation.points_after_claim, earned=evaluation.earned
        )
    )


def transaction_update(call: RbiCall) -> SandboxResponse:
    body = body_parse(call.body(), needs_basket=True)
    transaction = transaction_get(call.connection, call.params["transaction_id"])
    if body.status not in (PENDING, CLAIMED):
        raise not_claimable("Status must be PENDING or CLAIMED")
    if transaction["status"] == CLAIMED:
        return _claim_refuse(transaction)
    if transaction["status"] != PENDING:
        raise not_claimable(f"Transaction is {transaction['status']}")
    evaluation = _evaluate(call, transaction, body)
    _update_refuse(evaluation.failures)
    if body.status == PENDING:
        return _pending_apply(call, evaluation)
    return _claim_apply(call, evaluation)


def transaction_void(call: RbiCall) -> SandboxResponse:
    body = body_parse(call.body(), needs_basket=False)
    transaction = transaction_get(call.connection, call.params["transaction_id"])
    _identifiers_check(call, transaction, body)
    if body.status is not None and body.status not in (PENDING, CLAIMED):
        raise not_claimable("Status must be PENDING or CLAIMED")
    if transaction["status"] == PENDING:
        _pending_release(call, transaction, event="voided")
    elif transaction["status"] == CLAIMED:
        _claim_reverse(call, transaction)
    else:
        # Not idempotent: a second void is refused (nothing moves twice).
        raise not_claimable(f"Transaction is {transaction['status']}")
    return json_response({"transactionId": transaction["id"]})


def transaction_unclaimed(call: RbiCall) -> SandboxResponse:
    """A sale without a loyalty user: recorded, no rules, no points."""
    body = body_parse(call.body(), needs_basket=True)
    if body.status != CLAIMED:
        raise invalid_fields(["status"], "An unclaimed transaction is CLAIMED")
    if body.pos_vendor is None or body.pos_vendor.store_id is None:
        raise invalid_fields(["transactionDetails.posVendor.storeId"])
    store_get(call.connection, body.pos_vendor.store_id)
    transaction_id = transaction_insert(
        call.connection,
        NewTransaction(
            loyalty_id=None,
            status=CLAIMED,
            store_id=body.pos_vendor.store_id,
            pos_vendor=body.pos_vendor.data,
            basket=_raw_order(body),
            service_mode=body.service_mode,
            is_unclaimed=True,
        ),
        now=call.now_iso(),
    )
    _totals_compare(body, transaction_id)
    event_add(call.connection, transaction_id, "unclaimed", now=call.now_iso())
    presentation = {
        **RECEIPT_PRESENTATION,
        "identifier": f"Transaction ID: {transaction_id}",
    }
    return json_response(
        {"presentation": presentation, "transactionId": transaction_id}
    )


def pending_expire(
    connection: sqlite3.Connection, *, now: datetime, ttl_s: int
) -> list[str]:
    """Void the PENDING transactions untouched for `ttl_s`: the sweeper."""
    cutoff = iso_format(now - timedelta(seconds=ttl_s))
    rows = connection.execute(
        "SELECT * FROM transactions WHERE status = ? AND updated_at <= ?"
        " ORDER BY created_at, id",
        (PENDING, cutoff),
    ).fetchall()
    for row in rows:
        transaction_change(
            connection,
            row["id"],
            status=VOID,
            holds=[],
            held_points=0,
            updated_at=iso_format(now),
        )
        event_add(
            connection,
            row["id"],
            "expired",
            now=iso_format(now),
            releasedPoints=row["held_points"],
        )
        logger.info(
            "pending transaction expired",
            extra={"transaction_id": row["id"], "pending_ttl_s": ttl_s},
        )
    return [row["id"] for row in rows]


def rules_error(failures: list[RuleFailure]) -> RbiError:
    return RbiError(
        400,
        ErrorCode.RULES_ERROR,
        "Rule evaluation failed",
        {"ruleEvaluation": [failure.to_json() for failure in failures]},
        is_engine_error=True,
    )


# --- Evaluation ---------------------------------------------------------------


def _evaluate(call: RbiCall, transaction: Row, body: TransactionBody) -> Evaluation:
    connection = call.connection
    user = _identifiers_check(call, transaction, body)
    if user is None:
        # Only unclaimed sales have no user, and they are closed from the start.
        raise not_claimable("Transaction has no loyalty user")
    store = _order_store(connection, transaction, body)
    basket = basket_resolve(
        connection,
        body.lines,
        loyalty_id=user["loyalty_id"],
        transaction_id=transaction["id"],
    )
    if basket.has_rewards and not store["is_loyalty_enabled"]:
        raise RbiError(
            400,
            ErrorCode.REDEEM_REWARD_ERROR,
            "Rewards cannot be redeemed at this store",
        )
    situation = situation_for_order(
        connection,
        moment=call.market_now(),
        user=user,
        store_id=store["store_id"],
        service_mode=body.service_mode,
        lines=body.lines,
        transaction_id=transaction["id"],
    )
    available = points_available(
        connection, user["loyalty_id"], excluding=transaction["id"]
    )
    basis = earn_basis_cents(body, basis=call.setting_text("earn_basis"))
    _totals_compare(body, transaction["id"])
    return Evaluation(
        transaction=transaction,
        body=body,
        user=user,
        basket=basket,
        failures=basket_check(basket.selections, situation, available),
        available=available,
        earned=points_for_spend(basis),
    )


def _order_store(
    connection: sqlite3.Connection, transaction: Row, body: TransactionBody
) -> Row:
    """The body's store, else the one Identify was called from."""
    store_id = transaction["store_id"]
    if body.pos_vendor is not None and body.pos_vendor.store_id is not None:
        store_id = body.pos_vendor.store_id
    return store_get(connection, store_id)


def _identifiers_check(
    call: RbiCall, transaction: Row, body: TransactionBody
) -> Row | None:
    """The transaction's user; the body may repeat its ids, never contradict them."""
    if body.transaction_id is not None and body.transaction_id != transaction["id"]:
        raise invalid_fields(["transactionId"], "transactionId does not match the path")
    if body.loyalty_id is not None:
        if user_find(call.connection, body.loyalty_id) is None:
            raise not_found(ErrorCode.USER_NOT_FOUND, "User not found")
        if body.loyalty_id != transaction["loyalty_id"]:
            raise invalid_fields(
                ["loyaltyId"], "loyaltyId is not the transaction's user"
            )
    return user_find(call.connection, transaction["loyalty_id"])


def _update_refuse(failures: list[RuleFailure]) -> None:
    """Update says less than Validate: points alone get their own code."""
    if not failures:
        return
    if all(failure.rule is Rule.POINT_BALANCE for failure in failures):
        last = failures[-1]
        raise RbiError(
            400,
            ErrorCode.TRANSACTION_INSUFFICIENT_POINTS,
            "User does not have sufficient funds to redeem reward",
            {"currentValue": last.current, "targetValue": last.target},
        )
    raise rules_error(failures)


def _totals_compare(body: TransactionBody, transaction_id: str) -> None:
    """RBI's own examples do not add up: a mismatch is logged, never refused."""
    if body.payments_cents and sum(body.payments_cents) != body.lines_cents:
        logger.warning(
            "order lines and payments differ",
            extra={
                "transaction_id": transaction_id,
                "lines_cents": body.lines_cents,
                "payments_cents": sum(body.payments_cents),
            },
        )


# --- State changes ------------------------------------------------------------


def _pending_apply(call: RbiCall, evaluation: Evaluation) -> SandboxResponse:
    """Replace the basket and hold its rewards' points; nothing is earned."""
    transaction_id = evaluation.transaction["id"]
    held = evaluation.basket.points
    transaction_change(
        call.connection,
        transaction_id,
        **_basket_columns(evaluation),
        holds=[hold.to_json() for hold in evaluation.basket.holds],
        held_points=held,
        updated_at=call.now_iso(),
    )
    event_add(
        call.connection, transaction_id, "updated", now=call.now_iso(), heldPoints=held
    )
    return json_response(
        _points_answer(evaluation, points=evaluation.available - held, earned=0)
    )


def _claim_apply(call: RbiCall, evaluation: Evaluation) -> SandboxResponse:
    """Burn the rewards, credit the earn, use up personalised offers; close."""
    connection, now = call.connection, call.now_iso()
    transaction_id = evaluation.transaction["id"]
    loyalty_id = evaluation.user["loyalty_id"]
    burned = evaluation.basket.points
    for kind, points in (("burn", -burned), ("earn", evaluation.earned)):
        if points:
            points_move(
                connection,
                loyalty_id=loyalty_id,
                transaction_id=transaction_id,
                kind=kind,
                points=points,
                now=now,
            )
    instances = evaluation.basket.instance_ids
    connection.executemany(
        "UPDATE offer_instances SET used_by = ?, used_at = ? WHERE engine_id = ?",
        [(transaction_id, now, engine_id) for engine_id in instances],
    )
    # The balance once claimed; this transaction's holds are gone with the burn.
    answer = _points_answer(
        evaluation, points=evaluation.points_after_claim, earned=evaluation.earned
    )
    transaction_change(
        connection,
        transaction_id,
        **_basket_columns(evaluation),
        status=CLAIMED,
        holds=[],
        held_points=0,
        burned_points=burned,
        earned_points=evaluation.earned,
        consumed_offers=instances,
        claim_body=evaluation.body.canonical(),
        claim_response=answer,
        updated_at=now,
    )
    event_add(
        connection,
        transaction_id,
        "claimed",
        now=now,
        burnedPoints=burned,
        earnedPoints=evaluation.earned,
    )
    return json_response(answer)


def _claim_refuse(transaction: Row) -> SandboxResponse:
    """No replay: RBI's documents promise none, so a second claim is refused."""
    raise RbiError(
        409, ErrorCode.TRANSACTION_ALREADY_CLAIMED, "Transaction already claimed"
    )


def _pending_release(call: RbiCall, transaction: Row, *, event: str) -> None:
    transaction_change(
        call.connection,
        transaction["id"],
        status=VOID,
        holds=[],
        held_points=0,
        updated_at=call.now_iso(),
    )
    event_add(
        call.connection,
        transaction["id"],
        event,
        now=call.now_iso(),
        releasedPoints=transaction["held_points"],
    )


def _claim_reverse(call: RbiCall, transaction: Row) -> None:
    """A refund: burned points come back, earned ones go, never below 0."""
    connection, now = call.connection, call.now_iso()
    loyalty_id = transaction["loyalty_id"]
    changes = {"returnedPoints": 0, "removedPoints": 0}
    if loyalty_id is not None:
        for kind, key, points in (
            ("void_burn", "returnedPoints", transaction["burned_points"]),
            ("void_earn", "removedPoints", -transaction["earned_points"]),
        ):
            if points:
                change = points_move(
                    connection,
                    loyalty_id=loyalty_id,
                    transaction_id=transaction["id"],
                    kind=kind,
                    points=points,
                    now=now,
                )
                changes[key] = abs(change)
    connection.execute(
        "UPDATE offer_instances SET used_by = NULL, used_at = NULL WHERE used_by = ?",
        (transaction["id"],),
    )
    transaction_change(connection, transaction["id"], status=VOID, updated_at=now)
    event_add(connection, transaction["id"], "voided", now=now, **changes)


def _basket_columns(evaluation: Evaluation) -> dict[str, object]:
    body = evaluation.body
    columns: dict[str, object] = {
        "basket": _raw_order(body),
        "service_mode": body.service_mode,
    }
    if body.pos_vendor is not None:
        columns["pos_vendor"] = dict(body.pos_vendor.data)
        if body.pos_vendor.store_id is not None:
            columns["store_id"] = body.pos_vendor.store_id
    return columns


def _raw_order(body: TransactionBody) -> list[dict[str, object]]:
    details = body.data.get("transactionDetails")
    order = details.get("order") if isinstance(details, dict) else None
    return [dict(line) for line in order] if isinstance(order, list) else []


def _points_answer(
    evaluation: Evaluation, *, points: int, earned: int
) -> dict[str, object]:
    return {
        "loyaltyId": evaluation.user["loyalty_id"],
        "points": points,
        "pointsEarned": earned,
        "pointsRedeemed": evaluation.basket.points,
        "transactionId": evaluation.transaction["id"],
    }
