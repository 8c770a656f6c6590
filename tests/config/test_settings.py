from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


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


def test_the_sandboxes_are_an_app_of_the_source_tree():
    assert "sandboxes" in settings.INSTALLED_APPS


def test_an_installation_without_the_sandboxes_starts_without_them(tmp_path):
    # What a wheel installation is: every package but `sandboxes`.
    script = (
        "import sys\n"
        "sys.modules['sandboxes'] = None\n"
        "import django\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command, get_commands\n"
        "django.setup()\n"
        "assert 'sandboxes' not in settings.INSTALLED_APPS, settings.INSTALLED_APPS\n"
        "assert 'sandbox' not in get_commands()\n"
        "call_command('check')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "KIOSK_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("size", "pool"),
    [(None, {"min_size": 1, "max_size": 8, "timeout": 10}), ("0", None)],
)
def test_postgresql_keeps_a_pool_of_connections_unless_turned_off(tmp_path, size, pool):
    script = (
        "import json, django\n"
        "from django.conf import settings\n"
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {}).get('pool')))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "KIOSK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://kiosk@127.0.0.1:5432/kiosk",
    }
    env.pop("KIOSK_DB_POOL_SIZE", None)
    if size is not None:
        env["KIOSK_DB_POOL_SIZE"] = size

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    import json

    assert json.loads(result.stdout) == pool
