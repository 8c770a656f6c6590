"""The RBI emulator's seed data (`rbi.md` §12.3): what `/_sandbox/reset` restores.

The PLUs exist in the kiosk's demo catalogue, and the kiosk's tests rely on
every value here (balances, codes, rules): change them together with the
contract. Two rules go beyond §12.3's table because the contract's rule
failures need an incentive to fail on: "Fries 1.00" runs from 2025-01-01 to
2035-12-31 (dates), and "Store Special" is for EAT_IN and TAKEOUT only
(service mode), which a kiosk order always is.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sandboxes.core.clock import iso_format
from sandboxes.rbi.incentives import (
    DateSpan,
    DaysOfWeek,
    FirstOrderOnly,
    Incentive,
    IncentiveKind,
    IncentiveRule,
    MinimumSpend,
    Product,
    RequiresAuthentication,
    ServiceModeRestriction,
    StoreRestriction,
    Text,
    vendor_plus,
)


@dataclass(frozen=True)
class Market:
    region: str
    environment: str
    brand: str
    country: str
    currency: str
    timezone: str
    sanity_dataset: str
    points_per_unit: int  # points per 1.00 of the currency, rounded down
    minimum_spend_cents: int  # below it, an order earns nothing


MARKET = Market(
    region="euc1",
    environment="dev",
    brand="bk",
    country="FR",
    currency="EUR",
    timezone="Europe/Paris",
    sanity_dataset="dev_bk_fr",
    points_per_unit=10,
    minimum_spend_cents=100,
)

API_KEY = "rbi-sandbox-kiosk-key"  # vendor Partner, brand bk, env dev
# PLUs that earn nothing (bottle deposits, say); none in this market.
EARN_EXCLUDED_PLUS: frozenset[str] = frozenset()

SANITY_OFFERS_SINGLETON = "feature-loyalty-offers-ui-singleton"
SANITY_REWARDS_SINGLETON = "reward-list-singleton"
REWARD_CATEGORY_ID = "reward-category-rewards"
REWARD_CATEGORY_LABEL = Text("Rewards", "Récompenses")

RECEIPT_PRESENTATION = {
    "header": "Burger King France",
    "footer": "Thank you for your visit",
    "marketing": "Earn points on this order: scan it in the BK app",
}


@dataclass(frozen=True)
class SeedStore:
    store_id: str
    name: str
    is_loyalty_enabled: bool


STORES = (
    SeedStore("9999", "Burger King Paris Opéra", True),
    SeedStore("7777", "Burger King Lyon Part-Dieu", True),
    SeedStore("8888", "Burger King Marseille Vieux-Port", False),
)

ALEX = "00000000-0000-4000-8000-000000000001"
SAM = "00000000-0000-4000-8000-000000000002"
KIM = "00000000-0000-4000-8000-000000000003"
ROBIN = "00000000-0000-4000-8000-000000000004"


@dataclass(frozen=True)
class SeedUser:
    loyalty_id: str
    name: str
    email: str
    points: int
    # None: enrolled on the day the seed is loaded.
    created: str | None
    previous_orders: int


USERS = (
    SeedUser(
        ALEX, "Alex", "alex@bk-sandbox.example", 1200, "2021-08-10T12:18:39.180Z", 12
    ),
    SeedUser(SAM, "Sam", "sam@bk-sandbox.example", 0, "2023-02-14T09:30:00.000Z", 3),
    SeedUser(KIM, "Kim", "kim@bk-sandbox.example", 240, "2024-06-01T18:45:12.000Z", 5),
    SeedUser(ROBIN, "Robin", "robin@bk-sandbox.example", 3000, None, 0),
)

# --- Menu products (the benefits of rewards and offers) ----------------------

WHOPPER_MEAL = Product(
    "combo-whopper-meal-m",
    "Combo",
    Text("Whopper Meal M", "Menu Whopper M"),
    vendor_plus("4001"),
)
CHICKEN_MEAL = Product(
    "combo-chicken-sandwich-meal-m",
    "Combo",
    Text("Chicken Sandwich Meal M", "Menu Chicken Sandwich M"),
    vendor_plus("4002"),
)
SPECIAL_MEAL = Product(
    "combo-store-special-meal",
    "Combo",
    Text("Store Special Meal", "Menu spécial du restaurant"),
    vendor_plus("4003"),
)
WHOPPER = Product(
    "item-whopper", "Item", Text("Whopper", "Whopper"), vendor_plus("4101")
)
FRIES = Product(
    "item-fries-m", "Item", Text("Fries M", "Frites M"), vendor_plus("4102")
)
NUGGETS = Product(
    "item-nuggets-6",
    "Item",
    Text("King Nuggets x6", "King Nuggets x6"),
    vendor_plus("4103"),
)
SOFT_DRINK = Product(
    "item-soft-drink-m", "Item", Text("Soft Drink M", "Boisson M"), vendor_plus("4201")
)
SHAKE = Product(
    "item-shake", "Item", Text("Milkshake", "Milkshake"), vendor_plus("4202")
)
# Merchandise: not on the kiosk's menu, so the reward shows as unavailable.
CAP = Product(
    "item-bk-cap", "Item", Text("BK Cap", "Casquette BK"), vendor_plus("4901")
)

PRODUCTS = (
    WHOPPER_MEAL,
    CHICKEN_MEAL,
    SPECIAL_MEAL,
    WHOPPER,
    FRIES,
    NUGGETS,
    SOFT_DRINK,
    SHAKE,
    CAP,
)


def _reward(
    sanity_id: str,
    engine_id: str,
    name: Text,
    points: int,
    plus: dict[str, str | None],
    benefit: Product,
) -> Incentive:
    return Incentive(
        sanity_id=sanity_id,
        engine_id=engine_id,
        kind=IncentiveKind.REWARD,
        name=name,
        description=Text(
            f"{benefit.name.en} for {points} points.",
            f"{benefit.name.fr} pour {points} points.",
        ),
        plus=plus,
        benefit=benefit,
        points=points,
    )


REWARDS = (
    _reward(
        "reward-free-drink",
        "eng-rwd-0001",
        Text("Free Drink", "Boisson offerte"),
        250,
        vendor_plus("9001"),
        SOFT_DRINK,
    ),
    _reward(
        "reward-free-fries",
        "eng-rwd-0002",
        Text("Free Fries", "Frites offertes"),
        400,
        vendor_plus("9002"),
        FRIES,
    ),
    _reward(
        "reward-free-whopper",
        "eng-rwd-0003",
        Text("Free Whopper", "Whopper offert"),
        750,
        vendor_plus("9003"),
        WHOPPER,
    ),
    _reward(
        "reward-whopper-meal",
        "eng-rwd-0004",
        Text("Whopper Meal", "Menu Whopper"),
        1500,
        vendor_plus("9004"),
        WHOPPER_MEAL,
    ),
    _reward(
        "reward-merch-cap",
        "eng-rwd-0005",
        Text("BK Cap", "Casquette BK"),
        2000,
        vendor_plus(None, ncr="19005"),
        CAP,
    ),
)


def _offer(
    sanity_id: str,
    engine_id: str,
    name: Text,
    price_cents: int,
    plu: str,
    benefit: Product,
    *rules: IncentiveRule,
    kind: IncentiveKind = IncentiveKind.OFFER,
) -> Incentive:
    return Incentive(
        sanity_id=sanity_id,
        engine_id=engine_id,
        kind=kind,
        name=name,
        description=Text(
            f"{benefit.name.en} at a special price.",
            f"{benefit.name.fr} à prix spécial.",
        ),
        plus=vendor_plus(plu),
        benefit=benefit,
        price_cents=price_cents,
        rules=rules,
    )


# In the order of `sortedSystemwideOffers`.
SYSTEMWIDE_OFFERS = (
    _offer(
        "offer-chicken-meal-299",
        "eng-ofr-0001",
        Text("Chicken Sandwich Meal 2.99", "Menu Chicken Sandwich à 2,99 €"),
        299,
        "8001",
        CHICKEN_MEAL,
        RequiresAuthentication(True),
    ),
    _offer(
        "offer-open-fries",
        "eng-ofr-0002",
        Text("Fries 1.00", "Frites à 1,00 €"),
        100,
        "8002",
        FRIES,
        RequiresAuthentication(False),
        DateSpan(date(2025, 1, 1), date(2035, 12, 31)),
    ),
    _offer(
        "offer-weekend-whopper",
        "eng-ofr-0003",
        Text("Weekend Whopper 3.99", "Whopper du week-end à 3,99 €"),
        399,
        "8003",
        WHOPPER,
        DaysOfWeek(("saturday", "sunday")),
    ),
    _offer(
        "offer-store-special",
        "eng-ofr-0004",
        Text("Store Special 4.49", "Spécial du restaurant à 4,49 €"),
        449,
        "8004",
        SPECIAL_MEAL,
        StoreRestriction(("9999",)),
        ServiceModeRestriction(("EAT_IN", "TAKEOUT")),
    ),
    _offer(
        "offer-nuggets-min-spend",
        "eng-ofr-0005",
        Text("Nuggets 1.00 with 10.00 spend", "Nuggets à 1,00 € dès 10,00 € d'achat"),
        100,
        "8005",
        NUGGETS,
        MinimumSpend(1000),
    ),
    _offer(
        "offer-first-order",
        "eng-ofr-0006",
        Text("Welcome Shake 0.99", "Milkshake de bienvenue à 0,99 €"),
        99,
        "8006",
        SHAKE,
        FirstOrderOnly(),
    ),
)

CONFIG_OFFERS = (
    _offer(
        "config-whopper-2",
        "eng-cfg-0001",
        Text("Your Whopper for 2.00", "Votre Whopper à 2,00 €"),
        200,
        "8007",
        WHOPPER,
        kind=IncentiveKind.CONFIG_OFFER,
    ),
)

INCENTIVES = REWARDS + SYSTEMWIDE_OFFERS + CONFIG_OFFERS

# Personalised offer instances: (their own engine id, config offer, user).
OFFER_INSTANCES = (
    ("eng-pof-0001", "config-whopper-2", ALEX),
    ("eng-pof-0002", "config-whopper-2", ALEX),
)


@dataclass(frozen=True)
class SeedCode:
    code: str
    loyalty_id: str
    # What the guest picked in the app: {"incentiveId"} or {"loyaltyEngineId"}.
    preselect: tuple[Mapping[str, str], ...] = ()
    is_used: bool = False


# Seed codes never expire; `/_sandbox/reset` makes them unused again.
SEED_CODES = (
    SeedCode("111111", ALEX),
    SeedCode(
        "222222",
        ALEX,
        ({"incentiveId": "reward-free-drink"}, {"loyaltyEngineId": "eng-pof-0001"}),
    ),
    SeedCode("333333", SAM),
    SeedCode("444444", ALEX, ({"incentiveId": "offer-chicken-meal-299"},)),
    SeedCode("555555", KIM),
    SeedCode("999999", ALEX, is_used=True),
)

PROMO_CODES = (("A00001", "offer-chicken-meal-299"),)

SEED_CREATED_AT = "2025-01-10T09:00:00+00:00"


def created_format(moment: datetime) -> str:
    """`2021-08-10T12:18:39.180Z`, as `loyaltyUser.created` is written."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def seed_load(connection: sqlite3.Connection, *, now: datetime) -> None:
    for store in STORES:
        connection.execute(
            "INSERT INTO stores VALUES (?, ?, ?)",
            (store.store_id, store.name, store.is_loyalty_enabled),
        )
    for user in USERS:
        connection.execute(
            "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)",
            (
                user.loyalty_id,
                user.name,
                user.email,
                user.created or created_format(now),
                user.points,
                user.previous_orders,
            ),
        )
    connection.executemany(
        "INSERT INTO offer_instances (engine_id, config_id, loyalty_id) VALUES (?, ?, ?)",
        OFFER_INSTANCES,
    )
    for code in SEED_CODES:
        connection.execute(
            "INSERT INTO codes VALUES (?, ?, ?, NULL, ?, ?)",
            (
                code.code,
                code.loyalty_id,
                json.dumps([dict(entry) for entry in code.preselect]),
                iso_format(now) if code.is_used else None,
                SEED_CREATED_AT,
            ),
        )
    connection.executemany(
        "INSERT INTO promo_codes (code, sanity_id) VALUES (?, ?)", PROMO_CODES
    )


INCENTIVES_BY_ENGINE_ID = {incentive.engine_id: incentive for incentive in INCENTIVES}
INCENTIVES_BY_SANITY_ID = {incentive.sanity_id: incentive for incentive in INCENTIVES}
