"""From order lines to the incentives they name, and the facts rules check.

A line names its incentive by `loyaltyEngineId` first, then `incentiveId`
(`rbi.md` §5.1). Personalised offers have an engine id of their own, per
user, and cannot be named by their config offer's Sanity id: several
instances share it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sandboxes.rbi.body import CLAIMED, OrderLine
from sandboxes.rbi.errors import ErrorCode, invalid_fields, not_found
from sandboxes.rbi.incentives import Incentive, IncentiveKind
from sandboxes.rbi.records import Hold
from sandboxes.rbi.rules import Selection, Situation
from sandboxes.rbi.seed import INCENTIVES_BY_ENGINE_ID, INCENTIVES_BY_SANITY_ID

Row = sqlite3.Row


@dataclass(frozen=True)
class Resolved:
    incentive: Incentive
    engine_id: str
    instance: Row | None  # a personalised offer instance


@dataclass(frozen=True)
class Basket:
    selections: tuple[Selection, ...]

    @property
    def holds(self) -> tuple[Hold, ...]:
        return tuple(
            Hold(
                selection.incentive.sanity_id,
                selection.engine_id,
                selection.incentive.points * selection.quantity,
            )
            for selection in self.selections
            if selection.incentive.is_reward
        )

    @property
    def points(self) -> int:
        return sum(hold.points for hold in self.holds)

    @property
    def has_rewards(self) -> bool:
        return any(selection.incentive.is_reward for selection in self.selections)

    @property
    def instance_ids(self) -> list[str]:
        return [
            selection.engine_id
            for selection in self.selections
            if selection.incentive.kind is IncentiveKind.CONFIG_OFFER
        ]


def incentive_resolve(
    connection: sqlite3.Connection,
    *,
    incentive_id: str | None,
    engine_id: str | None,
    is_reward: bool,
    loyalty_id: str | None,
) -> Resolved:
    """The incentive a line or a pre-selection names; 404 when there is none."""
    missing = (
        not_found(ErrorCode.REWARD_NOT_FOUND, "Reward not found")
        if is_reward
        else not_found(ErrorCode.OFFER_NOT_FOUND, "Offer not found")
    )
    resolved = None
    if engine_id:
        resolved = _by_engine_id(connection, engine_id, loyalty_id)
    elif incentive_id and incentive_id in INCENTIVES_BY_SANITY_ID:
        incentive = INCENTIVES_BY_SANITY_ID[incentive_id]
        # A config offer is a template: only its instances can be redeemed.
        if incentive.kind is not IncentiveKind.CONFIG_OFFER:
            resolved = Resolved(incentive, incentive.engine_id, None)
    if resolved is None or resolved.incentive.is_reward != is_reward:
        raise missing
    return resolved


def _by_engine_id(
    connection: sqlite3.Connection, engine_id: str, loyalty_id: str | None
) -> Resolved | None:
    incentive = INCENTIVES_BY_ENGINE_ID.get(engine_id)
    if incentive is not None:
        if incentive.kind is IncentiveKind.CONFIG_OFFER:
            return None
        return Resolved(incentive, engine_id, None)
    instance: Row | None = connection.execute(
        "SELECT * FROM offer_instances WHERE engine_id = ? AND loyalty_id IS ?",
        (engine_id, loyalty_id),
    ).fetchone()
    if instance is None:
        return None
    return Resolved(INCENTIVES_BY_SANITY_ID[instance["config_id"]], engine_id, instance)


def basket_resolve(
    connection: sqlite3.Connection,
    lines: Sequence[OrderLine],
    *,
    loyalty_id: str | None,
    transaction_id: str | None,
) -> Basket:
    """The incentives of the basket, in order, each with its total quantity."""
    quantities: dict[str, int] = {}
    found: dict[str, Resolved] = {}
    for index, line in enumerate(lines):
        if not line.is_incentive:
            continue
        if not line.engine_id and not line.incentive_id:
            raise invalid_fields([f"transactionDetails.order[{index}].incentiveId"])
        resolved = incentive_resolve(
            connection,
            incentive_id=line.incentive_id,
            engine_id=line.engine_id,
            is_reward=line.product_type == "reward",
            loyalty_id=loyalty_id,
        )
        found.setdefault(resolved.engine_id, resolved)
        quantities[resolved.engine_id] = (
            quantities.get(resolved.engine_id, 0) + line.quantity
        )
    return Basket(
        tuple(
            Selection(
                resolved.incentive,
                engine_id,
                quantities[engine_id],
                is_used_up=_is_used_up(resolved.instance, transaction_id),
            )
            for engine_id, resolved in found.items()
        )
    )


def _is_used_up(instance: Row | None, transaction_id: str | None) -> bool:
    return (
        instance is not None
        and instance["used_by"] is not None
        and instance["used_by"] != transaction_id
    )


def subtotal_cents(lines: Sequence[OrderLine]) -> int:
    """What the guest buys outside rewards and offers: minimum spends count this."""
    return sum(line.amount_cents for line in lines if not line.is_incentive)


def previous_orders(
    connection: sqlite3.Connection, user: Row, *, excluding: str | None
) -> int:
    """Orders before this one: those of the seed plus the claims made here."""
    row = connection.execute(
        "SELECT COUNT(*) AS claims FROM transactions"
        " WHERE loyalty_id = ? AND status = ? AND id IS NOT ?",
        (user["loyalty_id"], CLAIMED, excluding),
    ).fetchone()
    return int(user["previous_orders"]) + int(row["claims"])


def situation_for_order(
    connection: sqlite3.Connection,
    *,
    moment: datetime,
    user: Row | None,
    store_id: str | None,
    service_mode: str | None,
    lines: Sequence[OrderLine],
    transaction_id: str | None,
) -> Situation:
    return Situation(
        moment=moment,
        store_id=store_id,
        service_mode=service_mode,
        subtotal_cents=subtotal_cents(lines),
        is_authenticated=user is not None,
        previous_orders=(
            None
            if user is None
            else previous_orders(connection, user, excluding=transaction_id)
        ),
    )
