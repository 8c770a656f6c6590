"""Tables of the Pongo emulator's own SQLite database.

Lists (tags, store slugs, scopes, order payloads) are stored as JSON text:
the sandbox never queries inside them with SQL. Dates are ISO 8601 UTC
strings to the second, so they also compare correctly as text.
"""

from __future__ import annotations

# Bump when a table changes: an older database file is then seeded again.
SCHEMA_VERSION = 1

STATEMENTS = (
    """CREATE TABLE merchants (
        public_id TEXT PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        country TEXT NOT NULL,
        currency TEXT NOT NULL,
        earn_rate TEXT NOT NULL
    )""",
    """CREATE TABLE users (
        public_id TEXT PRIMARY KEY,
        merchant TEXT NOT NULL,
        name TEXT NOT NULL,
        email TEXT NOT NULL UNIQUE,
        password TEXT NOT NULL
    )""",
    """CREATE TABLE stores (
        public_id TEXT PRIMARY KEY,
        merchant TEXT NOT NULL,
        slug TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        city TEXT NOT NULL,
        country TEXT NOT NULL,
        timezone TEXT NOT NULL
    )""",
    """CREATE TABLE rewards (
        public_id TEXT PRIMARY KEY,
        merchant TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        image TEXT,
        type TEXT NOT NULL,
        points INTEGER NOT NULL,
        value INTEGER,
        external_id TEXT,
        store_slugs TEXT NOT NULL,
        tags TEXT NOT NULL,
        is_active INTEGER NOT NULL,
        expires_at TEXT
    )""",
    """CREATE TABLE customers (
        public_id TEXT PRIMARY KEY,
        merchant TEXT NOT NULL,
        phone TEXT NOT NULL,
        email TEXT,
        first_name TEXT,
        last_name TEXT,
        gender TEXT,
        birthday TEXT,
        tags TEXT NOT NULL,
        points INTEGER NOT NULL CHECK (points >= 0),
        has_optin_sms INTEGER,
        has_optin_email INTEGER,
        pin TEXT,
        reference_store TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (merchant, phone)
    )""",
    """CREATE TABLE customer_rewards (
        id TEXT PRIMARY KEY,
        reward_id TEXT NOT NULL,
        customer TEXT NOT NULL,
        store_slug TEXT NOT NULL,
        coupon_code TEXT UNIQUE,
        used INTEGER NOT NULL,
        used_at TEXT,
        used_order_id TEXT,
        locked_until TEXT,
        locked_order_id TEXT,
        bought_at TEXT NOT NULL,
        expires_at TEXT
    )""",
    """CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        merchant TEXT NOT NULL,
        order_id TEXT NOT NULL,
        loyalty_store_slug TEXT NOT NULL,
        customer TEXT,
        status TEXT NOT NULL,
        delivery_status TEXT NOT NULL,
        amount INTEGER NOT NULL,
        points_earned INTEGER NOT NULL,
        is_credited INTEGER NOT NULL,
        payload TEXT NOT NULL,
        receipts INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (loyalty_store_slug, order_id)
    )""",
    """CREATE TABLE order_rewards (
        order_pk TEXT NOT NULL,
        customer_reward_id TEXT NOT NULL,
        PRIMARY KEY (order_pk, customer_reward_id)
    )""",
    """CREATE TABLE checkins (
        id TEXT PRIMARY KEY,
        merchant TEXT NOT NULL,
        customer TEXT NOT NULL,
        store_slug TEXT NOT NULL,
        amount INTEGER,
        points_earned INTEGER NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE webhooks (
        id TEXT PRIMARY KEY,
        merchant TEXT NOT NULL,
        event TEXT NOT NULL,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE oauth_codes (
        code TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        merchant TEXT NOT NULL,
        scopes TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        is_used INTEGER NOT NULL
    )""",
)
