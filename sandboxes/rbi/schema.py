"""Tables of the RBI emulator's own SQLite database.

Rewards and offers are seed content in Python (`seed`), never rows: only
what changes lives here (balances, codes, personalised offer instances,
transactions and their history). Dates are ISO 8601 UTC strings to the
second, so they also compare correctly as text.
"""

from __future__ import annotations

# Bump when a table changes: an older database file is then seeded again.
SCHEMA_VERSION = 2

STATEMENTS = (
    """CREATE TABLE stores (
        store_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        is_loyalty_enabled INTEGER NOT NULL
    )""",
    """CREATE TABLE users (
        loyalty_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        points INTEGER NOT NULL CHECK (points >= 0),
        previous_orders INTEGER NOT NULL
    )""",
    """CREATE TABLE offer_instances (
        engine_id TEXT PRIMARY KEY,
        config_id TEXT NOT NULL,
        loyalty_id TEXT NOT NULL,
        used_by TEXT,
        used_at TEXT
    )""",
    """CREATE TABLE codes (
        code TEXT PRIMARY KEY,
        loyalty_id TEXT NOT NULL,
        preselect TEXT NOT NULL,
        expires_at TEXT,
        used_at TEXT,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE transactions (
        id TEXT PRIMARY KEY,
        loyalty_id TEXT,
        status TEXT NOT NULL,
        store_id TEXT,
        pos_vendor TEXT NOT NULL,
        service_mode TEXT,
        basket TEXT NOT NULL,
        holds TEXT NOT NULL,
        held_points INTEGER NOT NULL,
        burned_points INTEGER NOT NULL,
        earned_points INTEGER NOT NULL,
        consumed_offers TEXT NOT NULL,
        claim_body TEXT,
        claim_response TEXT,
        is_unclaimed INTEGER NOT NULL,
        identifier TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX transactions_by_user ON transactions (loyalty_id, status)",
    """CREATE TABLE transaction_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        transaction_id TEXT NOT NULL,
        at TEXT NOT NULL,
        event TEXT NOT NULL,
        details TEXT NOT NULL
    )""",
    """CREATE TABLE point_movements (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        loyalty_id TEXT NOT NULL,
        transaction_id TEXT,
        kind TEXT NOT NULL,
        points INTEGER NOT NULL,
        balance INTEGER NOT NULL,
        at TEXT NOT NULL
    )""",
    """CREATE TABLE promo_codes (
        code TEXT PRIMARY KEY,
        sanity_id TEXT NOT NULL,
        redeemed_at TEXT,
        redeemed_by TEXT
    )""",
)
