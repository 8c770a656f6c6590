"""The point ledger: balance, holds of open transactions, burns and earns.

`available = balance − holds`, where holds are the reward points of the
user's PENDING transactions. Claiming turns a transaction's holds into a
burn and adds its earn; voiding a claim gives the burn back and takes the
earn away, never below 0. Every movement is written with the balance it
left, and all of it happens inside the request's one transaction.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from sandboxes.rbi.body import PENDING, TransactionBody
from sandboxes.rbi.seed import EARN_EXCLUDED_PLUS, MARKET

Row = sqlite3.Row

EARN_BASIS_SUBTOTAL = "subtotal"
EARN_BASIS_PAYMENTS = "payments"


def user_find(connection: sqlite3.Connection, loyalty_id: str | None) -> Row | None:
    if not loyalty_id:
        return None
    row: Row | None = connection.execute(
        "SELECT * FROM users WHERE loyalty_id = ?", (loyalty_id,)
    ).fetchone()
    return row


def points_held(
    connection: sqlite3.Connection, loyalty_id: str, *, excluding: str | None = None
) -> int:
    """Points reserved by the user's PENDING transactions (but `excluding`)."""
    row = connection.execute(
        "SELECT COALESCE(SUM(held_points), 0) AS held FROM transactions"
        " WHERE loyalty_id = ? AND status = ? AND id IS NOT ?",
        (loyalty_id, PENDING, excluding),
    ).fetchone()
    return int(row["held"])


def points_available(
    connection: sqlite3.Connection, loyalty_id: str, *, excluding: str | None = None
) -> int:
    user = user_find(connection, loyalty_id)
    assert user is not None, loyalty_id
    return int(user["points"]) - points_held(
        connection, loyalty_id, excluding=excluding
    )


def points_move(
    connection: sqlite3.Connection,
    *,
    loyalty_id: str,
    transaction_id: str | None,
    kind: str,
    points: int,
    now: str,
) -> int:
    """Add `points` (negative to take), clamped at 0; returns the change made."""
    user = user_find(connection, loyalty_id)
    assert user is not None, loyalty_id
    balance = max(0, int(user["points"]) + points)
    change = balance - int(user["points"])
    connection.execute(
        "UPDATE users SET points = ? WHERE loyalty_id = ?", (balance, loyalty_id)
    )
    connection.execute(
        "INSERT INTO point_movements"
        " (loyalty_id, transaction_id, kind, points, balance, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (loyalty_id, transaction_id, kind, change, balance, now),
    )
    return change


def earn_basis_cents(body: TransactionBody, *, basis: str) -> int:
    """What the guest paid for: lines but rewards and excluded PLUs, or payments."""
    if basis == EARN_BASIS_PAYMENTS:
        return sum(body.payments_cents)
    return sum(
        line.amount_cents
        for line in body.lines
        if line.product_type != "reward" and line.product_id not in EARN_EXCLUDED_PLUS
    )


def points_for_spend(basis_cents: int) -> int:
    """floor(cents / 100 × rate), nothing below the minimum spend."""
    if basis_cents < MARKET.minimum_spend_cents:
        return 0
    return int(Decimal(basis_cents) * MARKET.points_per_unit // 100)
