"""deploy/backup.sh on the store's PostgreSQL: a dump restores into an empty
database with the schema and the data, and the restored database migrates
as an upgrade would."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.processes import manage_py_output, scratch_postgres

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    with (
        scratch_postgres("kiosk_backup_src") as source,
        scratch_postgres("kiosk_backup_dst") as target,
    ):
        yield source, target


def _manage(url: str, data_dir: Path, *args: str) -> str:
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "KIOSK_DATA_DIR": str(data_dir),
    }
    return manage_py_output(*args, env=env)


def test_a_backup_restores_the_orders_into_an_empty_database(databases, tmp_path):
    source, target = databases
    _manage(source, tmp_path, "migrate", "--noinput")
    _manage(
        source,
        tmp_path,
        "shell",
        "-c",
        "from kiosk.models import Store, Kiosk;"
        "s = Store.objects.create(name='Backup bistro', slug='backup-bistro', currency='EUR');"
        "Kiosk.objects.create(store=s, name='K1', code='backup-k1')",
    )
    env = {**os.environ, "DATABASE_URL": source, "BACKUP_DIR": str(tmp_path / "b")}

    dump = subprocess.run(
        ["sh", str(ROOT / "deploy" / "backup.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.strip()
    subprocess.run(
        ["sh", str(ROOT / "deploy" / "backup.sh"), "restore", dump, target],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    with psycopg.connect(target) as restored:
        kiosks = restored.execute(
            "SELECT k.code, s.name FROM kiosk_kiosk k JOIN kiosk_store s ON s.id = k.store_id"
        ).fetchall()
    assert kiosks == [("backup-k1", "Backup bistro")]
    # Nothing left to apply: the restored schema is the one that was dumped.
    plan = _manage(target, tmp_path, "migrate", "--plan")
    assert "No planned migration operations." in plan
