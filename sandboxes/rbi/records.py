"""Loyalty transactions as rows: reading, writing, history and the control view."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sandboxes.rbi.body import PENDING
from sandboxes.rbi.errors import ErrorCode, RbiError, not_found

Row = sqlite3.Row


@dataclass(frozen=True)
class Hold:
    """Points a reward line reserves while its transaction is PENDING."""

    incentive_id: str
    engine_id: str
    points: int

    def to_json(self) -> dict[str, object]:
        return {
            "incentiveId": self.incentive_id,
            "loyaltyEngineId": self.engine_id,
            "points": self.points,
        }


@dataclass(frozen=True)
class NewTransaction:
    loyalty_id: str | None
    status: str
    store_id: str | None
    pos_vendor: Mapping[str, object]
    basket: Sequence[Mapping[str, object]]
    service_mode: str | None = None
    holds: Sequence[Hold] = field(default_factory=tuple)
    is_unclaimed: bool = False
    identifier: str | None = None  # the code or loyalty id Identify took


def transaction_find(connection: sqlite3.Connection, transaction_id: str) -> Row | None:
    row: Row | None = connection.execute(
        "SELECT * FROM transactions WHERE id = ?", (transaction_id,)
    ).fetchone()
    return row


def transactions_of_pos(
    connection: sqlite3.Connection, pos_transaction_id: str
) -> list[Row]:
    """The transactions a POS transaction (posVendor.transactionId) opened or sent."""
    return connection.execute(
        "SELECT * FROM transactions"
        " WHERE json_extract(pos_vendor, '$.transactionId') = ?"
        " ORDER BY created_at, rowid",
        (pos_transaction_id,),
    ).fetchall()


def transaction_get(connection: sqlite3.Connection, transaction_id: str) -> Row:
    row = transaction_find(connection, transaction_id)
    if row is None:
        raise not_found(ErrorCode.TRANSACTION_NOT_FOUND, "Transaction not found")
    return row


def transaction_insert(
    connection: sqlite3.Connection, new: NewTransaction, *, now: str
) -> str:
    identifier = str(uuid.uuid4())
    connection.execute(
        "INSERT INTO transactions (id, loyalty_id, status, store_id, pos_vendor,"
        " service_mode, basket, holds, held_points, burned_points, earned_points,"
        " consumed_offers, is_unclaimed, identifier, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, '[]', ?, ?, ?, ?)",
        (
            identifier,
            new.loyalty_id,
            new.status,
            new.store_id,
            json.dumps(dict(new.pos_vendor)),
            new.service_mode,
            json.dumps([dict(line) for line in new.basket]),
            json.dumps([hold.to_json() for hold in new.holds]),
            sum(hold.points for hold in new.holds),
            new.is_unclaimed,
            new.identifier,
            now,
            now,
        ),
    )
    return identifier


def transaction_change(
    connection: sqlite3.Connection, transaction_id: str, **columns: object
) -> None:
    """Write these columns; JSON ones are given as Python values."""
    values = {
        name: json.dumps(value) if name in JSON_COLUMNS else value
        for name, value in columns.items()
    }
    assignments = ", ".join(f"{name} = ?" for name in values)
    connection.execute(
        f"UPDATE transactions SET {assignments} WHERE id = ?",
        (*values.values(), transaction_id),
    )


JSON_COLUMNS = ("pos_vendor", "basket", "holds", "consumed_offers", "claim_response")


def event_add(
    connection: sqlite3.Connection,
    transaction_id: str,
    event: str,
    *,
    now: str,
    **details: object,
) -> None:
    connection.execute(
        "INSERT INTO transaction_events (transaction_id, at, event, details)"
        " VALUES (?, ?, ?, ?)",
        (transaction_id, now, event, json.dumps(details)),
    )


def transaction_state(connection: sqlite3.Connection, row: Row) -> dict[str, object]:
    """Everything the sandbox knows of one transaction, for tests and demos."""
    events = connection.execute(
        "SELECT * FROM transaction_events WHERE transaction_id = ? ORDER BY id",
        (row["id"],),
    ).fetchall()
    return {
        "transactionId": row["id"],
        "loyaltyId": row["loyalty_id"],
        "status": row["status"],
        "isUnclaimed": bool(row["is_unclaimed"]),
        "storeId": row["store_id"],
        "posVendor": json.loads(row["pos_vendor"]),
        "serviceMode": row["service_mode"],
        "basket": json.loads(row["basket"]),
        "holds": json.loads(row["holds"]) if row["status"] == PENDING else [],
        "heldPoints": row["held_points"] if row["status"] == PENDING else 0,
        "burnedPoints": row["burned_points"],
        "earnedPoints": row["earned_points"],
        "consumedOffers": json.loads(row["consumed_offers"]),
        "createdAt": row["created_at"],
        "updatedAt": row["updated_at"],
        "history": [
            {"at": event["at"], "event": event["event"], **json.loads(event["details"])}
            for event in events
        ],
    }


def not_claimable(message: str) -> RbiError:
    return RbiError(400, ErrorCode.TRANSACTION_NOT_CLAIMABLE, message)


def store_get(connection: sqlite3.Connection, store_id: str | None) -> Row:
    row: Row | None = connection.execute(
        "SELECT * FROM stores WHERE store_id = ?", (store_id,)
    ).fetchone()
    if row is None:
        raise not_found(ErrorCode.STORE_NOT_FOUND, "Store not found")
    return row
