from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def pragma(name: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_database_url_selects_postgresql_and_sqlite_is_the_default():
    expected = "postgresql" if settings.DATABASE_URL else "sqlite"

    assert connection.vendor == expected


def test_the_default_connection_journals_in_wal_mode():
    if settings.DATABASE_URL:
        assert connection.vendor == "postgresql"
        assert connection.settings_dict["CONN_MAX_AGE"] == 0
    else:
        assert pragma("journal_mode") == "wal"


def test_the_default_connection_syncs_fully_on_every_commit():
    if settings.DATABASE_URL:
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
    else:
        assert pragma("synchronous") == 2  # FULL


def test_sqlite_starts_write_transactions_immediately():
    if settings.DATABASE_URL:
        assert connection.vendor == "postgresql"
    else:
        assert connection.transaction_mode == "IMMEDIATE"  # type: ignore[attr-defined]
