"""`POST /loyalty/identify`: who is at the kiosk, and what they picked in the app.

Identify opens the loyalty transaction (PENDING) and consumes the one-time
code in the same database transaction. Pre-selected rewards are held at
once, so the balance it answers already has their cost taken off.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from sandboxes.core.web import SandboxResponse, json_response
from sandboxes.rbi.basket import Resolved, incentive_resolve
from sandboxes.rbi.body import (
    PENDING,
    FieldErrors,
    PosVendor,
    pos_vendor_parse,
    text_field,
)
from sandboxes.rbi.call import RbiCall
from sandboxes.rbi.codes import code_take, preselection, preselection_is_reward
from sandboxes.rbi.errors import ErrorCode, RbiError, not_found
from sandboxes.rbi.incentives import plu_for
from sandboxes.rbi.ledger import points_available, user_find
from sandboxes.rbi.records import (
    Hold,
    NewTransaction,
    event_add,
    store_get,
    transaction_insert,
    transactions_of_pos,
)

Row = sqlite3.Row

CODE_PATTERN = re.compile(r"\d{6}")
UUID_PATTERN = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Identified:
    user: Row
    method: str  # "code", "loyaltyId" or "email"
    preselect: list[dict[str, str]]


def identify(call: RbiCall) -> SandboxResponse:
    identifier, pos_vendor = _identify_input(call)
    store_get(call.connection, pos_vendor.store_id)
    repeated = _repeated(call, identifier, pos_vendor)
    if repeated is not None:
        return repeated
    identified = _identified(call, identifier)
    user = identified.user
    picked = [_preselected(call, entry, user) for entry in identified.preselect]
    holds = _holds(call, user, picked)
    lines = _order_lines(picked, pos_vendor)
    transaction_id = transaction_insert(
        call.connection,
        NewTransaction(
            loyalty_id=user["loyalty_id"],
            status=PENDING,
            store_id=pos_vendor.store_id,
            pos_vendor=pos_vendor.data,
            basket=lines,
            holds=holds,
            identifier=identifier,
        ),
        now=call.now_iso(),
    )
    event_add(
        call.connection,
        transaction_id,
        "identified",
        now=call.now_iso(),
        method=identified.method,
        heldPoints=sum(hold.points for hold in holds),
    )
    return json_response(_answer(call, identified, transaction_id, lines))


def _repeated(
    call: RbiCall, identifier: str, pos_vendor: PosVendor
) -> SandboxResponse | None:
    """Identify again from the POS transaction it answered: the same answer.

    While that transaction is PENDING, the same identifier from the same
    store, terminal and posVendor.transactionId gets it again (nothing taken
    or held twice): how a kiosk whose answer was lost learns the id.
    """
    pos_transaction = pos_vendor.data.get("transactionId")
    if not isinstance(pos_transaction, str) or not pos_transaction:
        return None
    for row in transactions_of_pos(call.connection, pos_transaction):
        vendor = json.loads(row["pos_vendor"])
        if (
            row["status"] == PENDING
            and row["identifier"] == identifier
            and row["store_id"] == pos_vendor.store_id
            and vendor.get("terminal") == pos_vendor.data.get("terminal")
        ):
            user = user_find(call.connection, row["loyalty_id"])
            assert user is not None
            event_add(
                call.connection, row["id"], "identified_again", now=call.now_iso()
            )
            identified = Identified(user, _method(identifier), [])
            return json_response(
                _answer(call, identified, row["id"], json.loads(row["basket"]))
            )
    return None


def _method(identifier: str) -> str:
    if CODE_PATTERN.fullmatch(identifier):
        return "code"
    return "email" if EMAIL_PATTERN.fullmatch(identifier) else "loyaltyId"


def _identify_input(call: RbiCall) -> tuple[str, PosVendor]:
    data = call.body()
    errors = FieldErrors()
    identifier = text_field(data, "identifier", errors, is_required=True)
    pos_vendor = pos_vendor_parse(
        data.get("posVendor"), "posVendor", errors, is_required=True
    )
    if pos_vendor is not None and pos_vendor.store_id is None:
        errors.add("posVendor.storeId")
    errors.raise_if_any()
    assert identifier is not None
    assert pos_vendor is not None
    return identifier, pos_vendor


def _identified(call: RbiCall, identifier: str) -> Identified:
    """The user behind a code, a loyalty ID or an e-mail, as the market allows."""
    connection = call.connection
    if CODE_PATTERN.fullmatch(identifier):
        code = code_take(connection, identifier, now=call.now())
        user = _user_get(connection, code["loyalty_id"])
        return Identified(user, "code", preselection(code))
    if UUID_PATTERN.fullmatch(identifier):
        if not call.context.switch("loyalty_id_identifier"):
            raise RbiError(
                400,
                ErrorCode.IDENTIFICATION_FAILED,
                "Identification by loyalty ID is not allowed in this market",
            )
        return Identified(_user_get(connection, identifier.lower()), "loyaltyId", [])
    if EMAIL_PATTERN.fullmatch(identifier):
        if not call.context.switch("email_identifier"):
            raise RbiError(
                422,
                ErrorCode.IDENTIFIER_TYPE_DISABLED,
                "Identification by e-mail is disabled in this market",
                {"identifierType": "email"},
            )
        row = connection.execute(
            "SELECT loyalty_id FROM users WHERE lower(email) = lower(?)", (identifier,)
        ).fetchone()
        return Identified(
            _user_get(connection, row["loyalty_id"] if row else None), "email", []
        )
    raise RbiError(422, ErrorCode.INVALID_IDENTIFIER, "Identifier is not valid")


def _user_get(connection: sqlite3.Connection, loyalty_id: str | None) -> Row:
    user = user_find(connection, loyalty_id)
    if user is None:
        raise not_found(ErrorCode.USER_NOT_FOUND, "User not found")
    return user


def _preselected(call: RbiCall, entry: Mapping[str, str], user: Row) -> Resolved:
    """A picked incentive that still exists and can still be used."""
    resolved = incentive_resolve(
        call.connection,
        incentive_id=entry.get("incentiveId"),
        engine_id=entry.get("loyaltyEngineId"),
        is_reward=bool(preselection_is_reward(entry)),
        loyalty_id=user["loyalty_id"],
    )
    instance = resolved.instance
    if instance is not None and instance["used_by"] is not None:
        raise not_found(ErrorCode.OFFER_NOT_FOUND, "Offer not found")
    return resolved


def _holds(call: RbiCall, user: Row, picked: list[Resolved]) -> list[Hold]:
    holds = [
        Hold(item.incentive.sanity_id, item.engine_id, item.incentive.points)
        for item in picked
        if item.incentive.is_reward
    ]
    needed = sum(hold.points for hold in holds)
    available = points_available(call.connection, user["loyalty_id"])
    if needed > available:
        raise RbiError(
            400,
            ErrorCode.TRANSACTION_INSUFFICIENT_POINTS,
            "User does not have sufficient funds to redeem reward",
            {"currentValue": available, "targetValue": needed},
        )
    return holds


def _order_lines(
    picked: list[Resolved], pos_vendor: PosVendor
) -> list[dict[str, object]]:
    """The pre-selections as Identify lists them, with the vendor's PLUs."""
    lines = []
    for index, item in enumerate(picked, start=1):
        incentive = item.incentive
        line: dict[str, object] = {
            "referenceId": f"{index:02d}",
            "productType": "REWARD" if incentive.is_reward else "OFFER",
            "productId": plu_for(incentive.plus, pos_vendor.vendor),
            "quantity": 1,
            "incentiveId": incentive.sanity_id,
            "loyaltyEngineId": item.engine_id,
        }
        if incentive.is_reward:
            line["price"] = 0
        lines.append(line)
    return lines


def _answer(
    call: RbiCall,
    identified: Identified,
    transaction_id: str,
    lines: list[dict[str, object]],
) -> dict[str, object]:
    user = identified.user
    loyalty_user = {
        "id": user["loyalty_id"],
        "name": user["name"],
        "created": user["created"],
    }
    if identified.method == "email":
        loyalty_user["email"] = user["email"]
    return {
        "transactionId": transaction_id,
        "balances": [
            {
                "amount": points_available(call.connection, user["loyalty_id"]),
                "currency": "points",
            }
        ],
        "loyaltyUser": loyalty_user,
        "order": lines,
    }
