"""Helpers for tests that run the project's own processes (daphne, the worker)."""

from __future__ import annotations

import os
import random
import socket
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


_HANDED_OUT: set[int] = set()


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port() -> int:
    """A free loopback port for a child process to listen on.

    Taken below the kernel's ephemeral range: the ports of outgoing connections
    (database, Redis, HTTP clients) come from that range, and one of them could
    take a port handed out from it before the child binds it."""
    low, _ = _ephemeral_range()
    top = min(low, 65536) - 1
    bottom = max(1024, top - 12000)
    for _ in range(200):
        port = random.randint(bottom, top)  # noqa: S311 (not a secret)
        if port in _HANDED_OUT:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    with socket.socket() as sock:  # a crowded range: let the kernel choose
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_env() -> dict[str, str]:
    """Point a child process at the database the tests use."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return {"KIOSK_SQLITE_PATH": str(db["NAME"])}
    user = db.get("USER") or ""
    password = db.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return {"DATABASE_URL": f"postgres://{auth}{host}/{db['NAME']}"}


def child_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        **database_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def wait_until(
    condition: Callable[[], bool], *, timeout: float = 15.0, what: str = ""
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or 'a condition'}")
