"""The Pongo emulator's seed data: what `/_sandbox/reset` restores.

The SKUs in `external_id` exist in the kiosk's demo catalogue, and the tests
of the kiosk rely on every value here (balances, phones, coupons): change
them together with the contract.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ALL_SCOPES = (
    "customer.create",
    "customer.read",
    "customer.update",
    "reward.create",
    "reward.read",
    "reward.update",
    "contest-game.create",
    "contest-game.read",
    "contest-game.update",
    "order.create",
    "order.read",
    "order.update",
    "checkin.create",
)

FR = "mer_fr00000001"
CH = "mer_ch00000001"


@dataclass(frozen=True)
class FixedToken:
    merchant: str
    scopes: tuple[str, ...]


# Long-lived tokens for tests and the demo, accepted as they are (not JWTs).
FIXED_TOKENS = {
    "sandbox-fr-token": FixedToken(FR, ALL_SCOPES),
    "sandbox-ch-token": FixedToken(CH, ALL_SCOPES),
    "sandbox-fr-readonly-token": FixedToken(FR, ("customer.read", "reward.read")),
}


@dataclass(frozen=True)
class OAuthClient:
    secret: str
    # Redirect URIs must be http on one of these hosts, any port.
    redirect_hosts: tuple[str, ...]


OAUTH_CLIENTS = {
    "kiosk-sandbox": OAuthClient("kiosk-sandbox-secret", ("127.0.0.1", "localhost")),
}

MERCHANTS = (
    # public_id, key, name, country, currency, points per 1.00 of currency
    (FR, "FR", "Brasserie Démo", "FR", "EUR", "1"),
    (CH, "CH", "Café Démo Genève", "CH", "CHF", "1"),
)

USERS = (
    # public_id, merchant, name, e-mail (password grant username), password
    (
        "usr_fr00000001",
        FR,
        "Camille Durand",
        "manager@brasserie-demo.example",
        "sandbox-password",
    ),
    (
        "usr_ch00000001",
        CH,
        "Luca Rossi",
        "manager@cafe-demo-geneve.example",
        "sandbox-password",
    ),
)

STORES = (
    # public_id, merchant, slug, name, address, city, country, timezone
    (
        "sto_fr00000001",
        FR,
        "demo-paris-11",
        "Démo Paris 11",
        "12 rue Oberkampf",
        "Paris",
        "FR",
        "Europe/Paris",
    ),
    (
        "sto_fr00000002",
        FR,
        "demo-lyon-2",
        "Démo Lyon 2",
        "5 place Bellecour",
        "Lyon",
        "FR",
        "Europe/Paris",
    ),
    (
        "sto_ch00000001",
        CH,
        "demo-geneve",
        "Démo Genève",
        "10 rue du Rhône",
        "Genève",
        "CH",
        "Europe/Zurich",
    ),
    (
        "sto_ch00000002",
        CH,
        "demo-lausanne",
        "Démo Lausanne",
        "3 place Saint-François",
        "Lausanne",
        "CH",
        "Europe/Zurich",
    ),
)


@dataclass(frozen=True)
class SeedReward:
    public_id: str
    merchant: str
    name: str
    description: str
    type: str
    points: int
    value: int | None = None
    external_id: str | None = None
    store_slugs: Sequence[str] = ()
    tags: Sequence[str] = ()


REWARDS = (
    SeedReward(
        "rew_0000000001",
        FR,
        "Café offert",
        "Un café au choix, offert.",
        "free_product",
        50,
        external_id="SKU-ESPRESSO,SKU-CAFE-LONG,ZELTY-9912",
    ),
    SeedReward(
        "rew_0000000002",
        FR,
        "Menu offert",
        "Un menu au choix, offert.",
        "free_product",
        400,
        external_id="SKU-MENU-CLASSIC,SKU-MENU-VEGGIE",
    ),
    SeedReward(
        "rew_0000000003",
        FR,
        "5 € de réduction",
        "5 € de moins sur la commande.",
        "voucher_amount",
        100,
        value=500,
    ),
    SeedReward(
        "rew_0000000004",
        FR,
        "-10 % sur la commande",
        "10 % de moins, à Paris 11 seulement.",
        "voucher_percent",
        200,
        value=10,
        store_slugs=("demo-paris-11",),
    ),
    SeedReward(
        "rew_0000000005",
        FR,
        "Cookie étudiant",
        "Un cookie offert aux étudiants.",
        "free_product",
        30,
        external_id="SKU-COOKIE",
        tags=("student",),
    ),
    SeedReward(
        "rew_0000000006",
        FR,
        "Tote bag",
        "Le sac de la brasserie.",
        "free_product",
        250,
        external_id="SHOP-TOTE",
    ),
    SeedReward(
        "rew_0000000007",
        FR,
        "Brunch pour deux",
        "Un brunch complet pour deux.",
        "free_product",
        5000,
        external_id="SKU-BRUNCH-2",
    ),
    SeedReward(
        "rew_0000000008",
        FR,
        "Bon cadeau",
        "Un bon cadeau à offrir.",
        "voucher_gift",
        10,
    ),
    SeedReward(
        "rew_0000000101",
        CH,
        "Espresso offert",
        "Un espresso offert.",
        "free_product",
        50,
        external_id="SKU-ESPRESSO",
    ),
    SeedReward(
        "rew_0000000102",
        CH,
        "CHF 5 de réduction",
        "CHF 5 de moins sur la commande.",
        "voucher_amount",
        100,
        value=500,
    ),
)


@dataclass(frozen=True)
class SeedCustomer:
    public_id: str
    merchant: str
    phone: str
    first_name: str
    last_name: str
    email: str
    gender: str
    points: int
    has_optin_sms: bool
    has_optin_email: bool
    reference_store: str
    tags: Sequence[str] = ()
    pin: str | None = None


CUSTOMERS = (
    SeedCustomer(
        "cust_0000000001",
        FR,
        "33612345678",
        "Léa",
        "Martin",
        "lea@example.com",
        "woman",
        320,
        True,
        True,
        "sto_fr00000001",
    ),
    SeedCustomer(
        "cust_0000000002",
        FR,
        "33698765432",
        "Hugo",
        "Bernard",
        "hugo@example.com",
        "man",
        0,
        True,
        False,
        "sto_fr00000001",
    ),
    SeedCustomer(
        "cust_0000000003",
        FR,
        "33611112222",
        "Chloé",
        "Petit",
        "chloe@example.com",
        "woman",
        150,
        False,
        False,
        "sto_fr00000002",
    ),
    SeedCustomer(
        "cust_0000000004",
        FR,
        "33622223333",
        "Inès",
        "Moreau",
        "ines@example.com",
        "woman",
        80,
        True,
        True,
        "sto_fr00000001",
        tags=("student",),
        pin="1234",
    ),
    SeedCustomer(
        "cust_0000000101",
        CH,
        "41791234567",
        "Noah",
        "Keller",
        "noah@example.com",
        "man",
        120,
        True,
        True,
        "sto_ch00000001",
    ),
)

CUSTOMER_REWARDS = (
    # id, reward, customer, store slug, coupon, used, used_at, bought_at
    (
        "crw_0000000001",
        "rew_0000000001",
        "cust_0000000001",
        "demo-paris-11",
        None,
        False,
        None,
        "2025-03-01T12:00:00+00:00",
    ),
    (
        "crw_0000000002",
        "rew_0000000003",
        "cust_0000000001",
        "demo-paris-11",
        "PONGO-USED0001",
        True,
        "2025-03-05T12:30:00+00:00",
        "2025-03-05T12:00:00+00:00",
    ),
    (
        "crw_0000000003",
        "rew_0000000003",
        "cust_0000000004",
        "demo-paris-11",
        "PONGO-C3D4E5F6",
        False,
        None,
        "2025-03-10T18:00:00+00:00",
    ),
)

SEED_CREATED_AT = "2025-01-10T09:00:00+00:00"


def seed_load(connection: sqlite3.Connection) -> None:
    """Insert the seed rows into freshly created tables."""
    connection.executemany("INSERT INTO merchants VALUES (?, ?, ?, ?, ?, ?)", MERCHANTS)
    connection.executemany("INSERT INTO users VALUES (?, ?, ?, ?, ?)", USERS)
    connection.executemany("INSERT INTO stores VALUES (?, ?, ?, ?, ?, ?, ?, ?)", STORES)
    for reward in REWARDS:
        _insert(connection, "rewards", _reward_row(reward))
    for customer in CUSTOMERS:
        _insert(connection, "customers", _customer_row(customer))
    for row in CUSTOMER_REWARDS:
        _insert(connection, "customer_rewards", _customer_reward_row(*row))


def _insert(
    connection: sqlite3.Connection, table: str, row: Mapping[str, object]
) -> None:
    columns = ", ".join(row)
    placeholders = ", ".join("?" for _ in row)
    connection.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", tuple(row.values())
    )


def _reward_row(reward: SeedReward) -> dict[str, object]:
    return {
        "public_id": reward.public_id,
        "merchant": reward.merchant,
        "name": reward.name,
        "description": reward.description,
        # No image: the kiosk shows its placeholder, and nothing leaves the machine.
        "image": None,
        "type": reward.type,
        "points": reward.points,
        "value": reward.value,
        "external_id": reward.external_id,
        "store_slugs": json.dumps(list(reward.store_slugs)),
        "tags": json.dumps(list(reward.tags)),
        "is_active": 1,
        "expires_at": None,
    }


def _customer_row(customer: SeedCustomer) -> dict[str, object]:
    return {
        "public_id": customer.public_id,
        "merchant": customer.merchant,
        "phone": customer.phone,
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "gender": customer.gender,
        "birthday": None,
        "tags": json.dumps(list(customer.tags)),
        "points": customer.points,
        "has_optin_sms": customer.has_optin_sms,
        "has_optin_email": customer.has_optin_email,
        "pin": customer.pin,
        "reference_store": customer.reference_store,
        "created_at": SEED_CREATED_AT,
        "updated_at": SEED_CREATED_AT,
    }


def _customer_reward_row(
    identifier: str,
    reward_id: str,
    customer: str,
    store_slug: str,
    coupon_code: str | None,
    used: bool,
    used_at: str | None,
    bought_at: str,
) -> dict[str, object]:
    return {
        "id": identifier,
        "reward_id": reward_id,
        "customer": customer,
        "store_slug": store_slug,
        "coupon_code": coupon_code,
        "used": used,
        "used_at": used_at,
        "used_order_id": None,
        "locked_until": None,
        "locked_order_id": None,
        "bought_at": bought_at,
        "expires_at": None,
    }
