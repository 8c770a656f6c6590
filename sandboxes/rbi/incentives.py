"""Rewards, offers and products of the seed content, as typed records.

The same records feed the Sanity content, the rule evaluator and the PLUs
Identify returns, so the three can never disagree. Personalised offer
instances are not here: they belong to users and live in the database.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

PARTNER = "partner"
NCR = "ncr"
# Every PLU of the seed exists for both vendors; NCR's is the partner's + 10000.
NCR_PLU_OFFSET = 10000
# A rule without a maximum allows one of each incentive per order (rbi.md §8).
DEFAULT_LIMIT_PER_ORDER = 1

WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


class IncentiveKind(enum.StrEnum):
    REWARD = "reward"
    OFFER = "offer"  # system-wide, for every eligible guest
    CONFIG_OFFER = "config"  # template of personalised offers


@dataclass(frozen=True)
class Text:
    en: str
    fr: str


def vendor_plus(partner: str | None, ncr: str | None = None) -> dict[str, str | None]:
    """Vendor configs of one document: `None` is the Empty PLU type (hidden)."""
    if ncr is None and partner is not None:
        ncr = str(int(partner) + NCR_PLU_OFFSET)
    return {PARTNER: partner, NCR: ncr}


def plu_for(plus: Mapping[str, str | None], vendor: str | None) -> str | None:
    """`vendorConfigs[lower(vendor)].constantPlu`, else the partner's one.

    An Empty config of the vendor stays empty: that vendor must hide it.
    """
    key = (vendor or PARTNER).lower()
    if key in plus:
        return plus[key]
    return plus.get(PARTNER)


@dataclass(frozen=True)
class Product:
    """An Item or Combo of the menu, the benefit of a reward or an offer."""

    sanity_id: str
    typename: str  # "Item" or "Combo"
    name: Text
    plus: Mapping[str, str | None]


# --- Rules an incentive carries (its Sanity rule documents) ---------------------


@dataclass(frozen=True)
class DateSpan:
    start: date
    end: date


@dataclass(frozen=True)
class DaysOfWeek:
    days: tuple[str, ...]  # names from WEEKDAYS


@dataclass(frozen=True)
class StoreRestriction:
    store_ids: tuple[str, ...]


@dataclass(frozen=True)
class ServiceModeRestriction:
    service_modes: tuple[str, ...]


@dataclass(frozen=True)
class MinimumSpend:
    cents: int


@dataclass(frozen=True)
class FirstOrderOnly:
    pass


@dataclass(frozen=True)
class RequiresAuthentication:
    is_required: bool


IncentiveRule = (
    DateSpan
    | DaysOfWeek
    | StoreRestriction
    | ServiceModeRestriction
    | MinimumSpend
    | FirstOrderOnly
    | RequiresAuthentication
)


@dataclass(frozen=True)
class Incentive:
    sanity_id: str
    engine_id: str
    kind: IncentiveKind
    name: Text
    description: Text
    plus: Mapping[str, str | None]
    benefit: Product
    points: int = 0  # rewards: the LoyaltyPoints cost
    price_cents: int = 0  # offers: what the guest pays
    rules: tuple[IncentiveRule, ...] = ()
    limit_per_order: int = DEFAULT_LIMIT_PER_ORDER

    @property
    def is_reward(self) -> bool:
        return self.kind is IncentiveKind.REWARD

    @property
    def requires_authentication(self) -> bool:
        """Offers are for signed-in guests unless a rule says otherwise."""
        for rule in self.rules:
            if isinstance(rule, RequiresAuthentication):
                return rule.is_required
        return True
