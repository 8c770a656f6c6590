"""The middleware's GraphQL lists: `loyaltyOffersV2` and `loyaltyRewardsV2`.

They run the same rules as Validate, against what `where` says of the cart.
Absolute failures (dates, days, store, first order, used up) leave the
incentive out. Fixable ones (minimum spend, service mode, points) come back
with `errors`, unless `omitInvalids` asks to leave them out too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from sandboxes.rbi.basket import previous_orders
from sandboxes.rbi.body import SERVICE_MODES
from sandboxes.rbi.call import RbiCall
from sandboxes.rbi.graphql import FieldError, RootField
from sandboxes.rbi.incentives import Incentive
from sandboxes.rbi.ledger import points_available, user_find
from sandboxes.rbi.rules import (
    Rule,
    RuleFailure,
    Situation,
    failures_fixable,
    incentive_check,
)
from sandboxes.rbi.seed import INCENTIVES_BY_SANITY_ID, REWARDS, SYSTEMWIDE_OFFERS

Row = sqlite3.Row

GLOBAL = "GLOBAL"
PERSONALIZED = "PERSONALIZED"


@dataclass(frozen=True)
class Listing:
    user: Row | None
    situation: Situation
    ids: frozenset[str] | None
    is_omitting_invalids: bool


def offers_list(call: RbiCall, root: RootField) -> list[dict[str, object]]:
    listing = _listing(call, root)
    candidates = [(offer, offer.engine_id, GLOBAL) for offer in SYSTEMWIDE_OFFERS]
    if listing.user is not None:
        instances = call.connection.execute(
            "SELECT * FROM offer_instances WHERE loyalty_id = ? AND used_by IS NULL"
            " ORDER BY engine_id",
            (listing.user["loyalty_id"],),
        ).fetchall()
        candidates += [
            (INCENTIVES_BY_SANITY_ID[row["config_id"]], row["engine_id"], PERSONALIZED)
            for row in instances
        ]
    entries = []
    for incentive, engine_id, kind in candidates:
        if not _is_asked(listing, incentive, engine_id):
            continue
        failures = incentive_check(incentive, engine_id, listing.situation)
        if _is_shown(listing, failures):
            entries.append({**_entry(incentive, engine_id, failures), "type": kind})
    return entries


def rewards_list(call: RbiCall, root: RootField) -> list[dict[str, object]]:
    listing = _listing(call, root)
    available = 0
    if listing.user is not None:
        available = points_available(call.connection, listing.user["loyalty_id"])
    entries = []
    for reward in REWARDS:
        if not _is_asked(listing, reward, reward.engine_id):
            continue
        failures = incentive_check(reward, reward.engine_id, listing.situation)
        if reward.points > available:
            failures.append(
                RuleFailure(
                    Rule.POINT_BALANCE,
                    reward,
                    reward.engine_id,
                    available,
                    reward.points,
                )
            )
        if _is_shown(listing, failures):
            entries.append(_entry(reward, reward.engine_id, failures))
    return entries


def _listing(call: RbiCall, root: RootField) -> Listing:
    loyalty_id = root.arguments.get("loyaltyId")
    user = None
    if loyalty_id is not None:
        user = user_find(call.connection, str(loyalty_id))
        if user is None:
            raise FieldError("User not found", "UserNotFoundError")
    where = root.arguments.get("where") or {}
    if not isinstance(where, Mapping):
        raise FieldError("where must be an object", "ValidationError")
    situation = Situation(
        moment=call.market_now(),
        store_id=_text(where, "storeId"),
        service_mode=_service_mode(where),
        subtotal_cents=_subtotal(where),
        is_authenticated=user is not None,
        previous_orders=(
            None
            if user is None
            else previous_orders(call.connection, user, excluding=None)
        ),
    )
    ids = where.get("ids")
    if ids is not None and not (
        isinstance(ids, list) and all(isinstance(item, str) for item in ids)
    ):
        raise FieldError("where.ids must be a list of ids", "ValidationError")
    return Listing(
        user=user,
        situation=situation,
        ids=None if ids is None else frozenset(ids),
        is_omitting_invalids=where.get("omitInvalids") is True,
    )


def _text(where: Mapping[str, object], name: str) -> str | None:
    value = where.get(name)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise FieldError(f"where.{name} must be a string", "ValidationError")
    return value


def _service_mode(where: Mapping[str, object]) -> str | None:
    mode = _text(where, "serviceMode")
    if mode is not None and mode not in SERVICE_MODES:
        raise FieldError("where.serviceMode is not a service mode", "ValidationError")
    return mode


def _subtotal(where: Mapping[str, object]) -> int:
    """`subtotalAmount` in cents; an empty cart when it is not given."""
    value = where.get("subtotalAmount", 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FieldError("where.subtotalAmount must be cents", "ValidationError")
    return value


def _is_asked(listing: Listing, incentive: Incentive, engine_id: str) -> bool:
    """`where.ids` names an engine id, or the config offer of an instance."""
    if listing.ids is None:
        return True
    return engine_id in listing.ids or incentive.engine_id in listing.ids


def _is_shown(listing: Listing, failures: list[RuleFailure]) -> bool:
    if not failures:
        return True
    return failures_fixable(failures) and not listing.is_omitting_invalids


def _entry(
    incentive: Incentive, engine_id: str, failures: list[RuleFailure]
) -> dict[str, object]:
    return {
        "id": engine_id,
        "name": incentive.name.en,
        "sanityId": incentive.sanity_id,
        "errors": [failure.to_json() for failure in failures] or None,
    }
