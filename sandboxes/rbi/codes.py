"""One-time codes: what the app shows next to its QR, and Identify consumes.

A code is 6 digits, valid 300 s on the sandbox clock unless minted with
another lifetime, and single use. Seed codes never expire. An expired code
is as unknown as one that never existed (404); a used one that is still
valid answers 422, as RBI documents for reuse.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sandboxes.core.clock import iso_format, iso_parse
from sandboxes.core.web import ApiError
from sandboxes.rbi.errors import ErrorCode, RbiError, not_found
from sandboxes.rbi.seed import INCENTIVES_BY_ENGINE_ID, INCENTIVES_BY_SANITY_ID

Row = sqlite3.Row

DEFAULT_CODE_TTL_S = 300
MAX_CODE_TTL_S = 7 * 24 * 3600
CODE_DIGITS = 6
PRESELECTION_KEYS = {"incentiveId", "loyaltyEngineId", "productType"}


@dataclass(frozen=True)
class MintedCode:
    code: str
    minted_at: str
    expires_at: str


def code_mint(
    connection: sqlite3.Connection,
    *,
    loyalty_id: str,
    preselect: Sequence[Mapping[str, str]],
    ttl_s: int,
    now: datetime,
) -> MintedCode:
    while True:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        taken = connection.execute(
            "SELECT 1 FROM codes WHERE code = ?", (code,)
        ).fetchone()
        if taken is None:
            break
    # To the millisecond: a code minted at 12:00:00.9 is still good at 12:05:00.5.
    minted = MintedCode(
        code, _milliseconds(now), _milliseconds(now + timedelta(seconds=ttl_s))
    )
    connection.execute(
        "INSERT INTO codes VALUES (?, ?, ?, ?, NULL, ?)",
        (
            code,
            loyalty_id,
            json.dumps([dict(entry) for entry in preselect]),
            minted.expires_at,
            minted.minted_at,
        ),
    )
    return minted


def _milliseconds(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def code_take(connection: sqlite3.Connection, code: str, *, now: datetime) -> Row:
    """The code's row, marked used; refused when unknown, expired or used."""
    row: Row | None = connection.execute(
        "SELECT * FROM codes WHERE code = ?", (code,)
    ).fetchone()
    if row is None or _is_expired(row, now):
        raise not_found(ErrorCode.HASH_SET_NOT_FOUND, "Code not found")
    if row["used_at"] is not None:
        raise RbiError(
            422, ErrorCode.ORDER_SELECTION_UNCLAIMABLE, "Code has already been used"
        )
    connection.execute(
        "UPDATE codes SET used_at = ? WHERE code = ?", (iso_format(now), code)
    )
    return row


def _is_expired(row: Row, now: datetime) -> bool:
    expires_at = row["expires_at"]
    return expires_at is not None and iso_parse(expires_at) <= now


def preselection(row: Row) -> list[dict[str, str]]:
    return [dict(entry) for entry in json.loads(row["preselect"])]


def preselection_is_reward(entry: Mapping[str, str]) -> bool | None:
    """Whether a pre-selection names a reward; `None` when the id is unknown.

    Personalised offer instances are not in the content, so an unknown
    engine id is taken for one unless the entry says `productType`.
    """
    product_type = entry.get("productType")
    if product_type:
        return product_type.lower() == "reward"
    incentive = INCENTIVES_BY_ENGINE_ID.get(
        entry.get("loyaltyEngineId", "")
    ) or INCENTIVES_BY_SANITY_ID.get(entry.get("incentiveId", ""))
    if incentive is not None:
        return incentive.is_reward
    return False if entry.get("loyaltyEngineId") else None


def preselection_parse(value: object) -> list[dict[str, str]]:
    """Entries naming one incentive each; an unknown `incentiveId` needs `productType`.

    An unknown id is allowed on purpose: Identify then answers
    `RewardNotFoundError` or `OfferNotFoundError`, as for a stale selection.
    """
    if not isinstance(value, list):
        raise ApiError.invalid("preselect", "The preselect must be a list of objects.")
    entries = []
    for item in value:
        if (
            not isinstance(item, dict)
            or set(item) - PRESELECTION_KEYS
            or len(set(item) & {"incentiveId", "loyaltyEngineId"}) != 1
            or not all(isinstance(text, str) and text for text in item.values())
            or item.get("productType", "reward").lower() not in ("reward", "offer")
        ):
            raise ApiError.invalid(
                "preselect",
                "Each preselect entry names one incentiveId or loyaltyEngineId.",
            )
        if preselection_is_reward(item) is None:
            raise ApiError.invalid(
                "preselect",
                "An unknown incentive needs its productType (reward or offer).",
            )
        entries.append(dict(item))
    return entries
