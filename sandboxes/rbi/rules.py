"""The rule evaluator shared by Validate, Update and the GraphQL lists.

`Rule` is the one table of rule codes and ruleIds (`rbi.md` §6.3): the
documented rows and our choices side by side, so real values replace ours in
one place. Each rule also says whether the guest can fix it in this order
(spend more, change service mode): the GraphQL lists show fixable failures
and leave absolute ones out.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sandboxes.rbi.incentives import (
    WEEKDAYS,
    DateSpan,
    DaysOfWeek,
    FirstOrderOnly,
    Incentive,
    IncentiveRule,
    MinimumSpend,
    ServiceModeRestriction,
    StoreRestriction,
)


class Rule(enum.Enum):
    """(code, ruleId, English message not meant for guests, fixable in this order)."""

    # One row per rule: the table rbi.md §6.3 asks for, kept on one line each.
    # fmt: off
    MIN_SPEND = ("below-minimum-spend", "min-spend", "Order subtotal is below the minimum spend", True)
    LIMIT_PER_ORDER = ("exceeds-limit-per-order", "limit-per-order", "Incentive exceeds the limit per order", True)
    MAX_REDEMPTION = ("exceeds-max-redemption", "max-redemption", "Incentive has reached its maximum number of redemptions", False)
    POINT_BALANCE = ("insufficient-point-balance", "point-balance", "User does not have sufficient funds to redeem reward", True)
    DAY_OF_WEEK = ("invalid-day-of-the-week", "day-of-the-week", "Incentive is not available on this day of the week", False)
    END_DATE = ("invalid-end-date", "date-span", "Incentive has ended", False)
    START_DATE = ("invalid-start-date", "date-span", "Incentive has not started yet", False)
    ENROLLMENT_START = ("invalid-enrollment-start-date", "user-enrollment", "User enrolled before the incentive's enrolment window", False)
    ENROLLMENT_END = ("invalid-enrollment-end-date", "user-enrollment", "User enrolled after the incentive's enrolment window", False)
    PAYMENT_METHOD = ("invalid-payment-method", "payment-method", "Payment method is not allowed for this incentive", True)
    SCOPE = ("invalid-scope", "scope", "Incentive is not available in this scope", False)
    SERVICE_MODE = ("invalid-service-mode", "service-mode", "Service mode is not allowed for this incentive", True)
    STORE_ID = ("invalid-store-id", "store-restrictions", "Incentive is not available at this store", False)
    NOT_AUTHENTICATED = ("user-not-authenticated", "requires-authentication", "User must be signed in", True)
    FIRST_ORDER = ("not-first-order", "first-order-only", "Incentive is for a first order only", False)
    BIRTHDAY = ("not-user-birthday", "user-birthday", "Incentive is for the user's birthday only", False)
    QUEST_ACTIVATION = ("invalid-quest-activation-date", "quest", "Quest is not active", False)
    CART_REQUIREMENTS = ("unsatisfied-cart-requirements", "cart-requirements", "Cart does not hold the required items", True)
    CART_EXCLUSION = ("unsatisfied-cart-requirements-exclusion", "cart-requirements-exclusion", "Cart holds an excluded item", True)
    COOLDOWN = ("within-cooldown-period", "cool-down", "User is within the cooldown period", False)
    # fmt: on

    def __init__(self, code: str, rule_id: str, message: str, is_fixable: bool) -> None:
        self.code = code
        self.rule_id = rule_id
        self.message = message
        self.is_fixable = is_fixable


@dataclass(frozen=True)
class RuleFailure:
    rule: Rule
    incentive: Incentive
    engine_id: str  # a personalised instance's own id, else the incentive's
    current: object = None
    target: object = None

    def to_json(self) -> dict[str, object]:
        entry: dict[str, object] = {
            "code": self.rule.code,
            "ruleId": self.rule.rule_id,
            "message": self.rule.message,
        }
        if self.current is not None:
            entry["currentValue"] = self.current
        if self.target is not None:
            entry["targetValue"] = self.target
        entry["incentiveId"] = self.incentive.sanity_id
        entry["loyaltyEngineId"] = self.engine_id
        return entry


@dataclass(frozen=True)
class Situation:
    """What rules are checked against; `None` where the caller does not say."""

    moment: datetime  # the sandbox clock in the market's time zone
    store_id: str | None
    service_mode: str | None
    subtotal_cents: int
    is_authenticated: bool
    previous_orders: int | None


@dataclass(frozen=True)
class Selection:
    """One incentive of a basket, over every line that names it."""

    incentive: Incentive
    engine_id: str
    quantity: int
    is_used_up: bool = False  # a personalised instance already claimed


def incentive_check(
    incentive: Incentive, engine_id: str, situation: Situation
) -> list[RuleFailure]:
    """The incentive's own rules (dates, days, store…), basket aside."""
    failures = [
        failure
        for rule in incentive.rules
        for failure in _rule_check(rule, incentive, engine_id, situation)
    ]
    if incentive.requires_authentication and not situation.is_authenticated:
        failures.append(
            RuleFailure(Rule.NOT_AUTHENTICATED, incentive, engine_id, False, True)
        )
    return failures


def basket_check(
    selections: Sequence[Selection], situation: Situation, available_points: int
) -> list[RuleFailure]:
    """Every failure of every incentive in the basket, in basket order.

    Rewards draw on one balance: each reward's target is the cost of the
    rewards up to and including it, so the gap is what the guest lacks.
    """
    failures: list[RuleFailure] = []
    points_needed = 0
    for selection in selections:
        incentive, engine_id = selection.incentive, selection.engine_id
        if selection.quantity > incentive.limit_per_order:
            failures.append(
                RuleFailure(
                    Rule.LIMIT_PER_ORDER,
                    incentive,
                    engine_id,
                    selection.quantity,
                    incentive.limit_per_order,
                )
            )
        if selection.is_used_up:
            failures.append(
                RuleFailure(Rule.MAX_REDEMPTION, incentive, engine_id, 1, 1)
            )
        if incentive.is_reward:
            points_needed += incentive.points * selection.quantity
            if points_needed > available_points:
                failures.append(
                    RuleFailure(
                        Rule.POINT_BALANCE,
                        incentive,
                        engine_id,
                        available_points,
                        points_needed,
                    )
                )
        failures.extend(incentive_check(incentive, engine_id, situation))
    return failures


def _rule_check(
    rule: IncentiveRule, incentive: Incentive, engine_id: str, situation: Situation
) -> list[RuleFailure]:
    def failure(kind: Rule, current: object, target: object) -> list[RuleFailure]:
        return [RuleFailure(kind, incentive, engine_id, current, target)]

    today = situation.moment.date()
    if isinstance(rule, DateSpan):
        if today < rule.start:
            return failure(Rule.START_DATE, today.isoformat(), rule.start.isoformat())
        if today > rule.end:
            return failure(Rule.END_DATE, today.isoformat(), rule.end.isoformat())
    elif isinstance(rule, DaysOfWeek):
        weekday = WEEKDAYS[situation.moment.weekday()]
        if weekday not in rule.days:
            return failure(Rule.DAY_OF_WEEK, weekday, list(rule.days))
    elif isinstance(rule, StoreRestriction):
        store_id = situation.store_id
        if store_id is not None and store_id not in rule.store_ids:
            return failure(Rule.STORE_ID, store_id, list(rule.store_ids))
    elif isinstance(rule, ServiceModeRestriction):
        mode = situation.service_mode
        if mode is not None and mode not in rule.service_modes:
            return failure(Rule.SERVICE_MODE, mode, list(rule.service_modes))
    elif isinstance(rule, MinimumSpend):
        if situation.subtotal_cents < rule.cents:
            return failure(Rule.MIN_SPEND, situation.subtotal_cents, rule.cents)
    elif isinstance(rule, FirstOrderOnly):
        previous = situation.previous_orders
        if previous is not None and previous > 0:
            return failure(Rule.FIRST_ORDER, previous, 0)
    return []


def failures_fixable(failures: Sequence[RuleFailure]) -> bool:
    """Whether the guest could still get the incentive by changing the order."""
    return all(failure.rule.is_fixable for failure in failures)
