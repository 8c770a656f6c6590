"""A store as production runs it, with processes killed while customers pay.

Two daphne web processes and two loyalty workers on PostgreSQL and Redis (a
scratch database for the run), the RBI sandbox as the burger store's
programme. Kiosks order and pay by card in a loop, each request sent to a
web process that is up, as the reverse proxy would. Meanwhile a web process
or a worker is killed (SIGKILL) at random moments and started again. At the
end the workers drain the outbox, then:

- every approved card payment belongs to a paid order with its number;
- every paid order was posted to RBI exactly once (the sandbox holds one
  transaction per order), and no posting is left undelivered.

Runs in CI's PostgreSQL + Redis stage (`pytest -m chaos`).
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import requests

from sandboxes.rbi.control import RbiSandboxControl
from tests.processes import (
    ROOT,
    ChildProcess,
    DaphneServer,
    SandboxProcess,
    free_port,
    manage_py,
    scratch_postgres,
    wait_until,
)

pytestmark = pytest.mark.chaos

REDIS = os.environ.get("KIOSK_TEST_REDIS", "redis://127.0.0.1:6379/11")
KIOSKS = 4
SECONDS = 25.0
SEED = 20261204


@pytest.fixture
def scratch_database() -> Iterator[str]:
    with scratch_postgres("kiosk_chaos") as url:
        yield url


class Kiosk(threading.Thread):
    """Customers of one kiosk, one after another; any web process that is up serves."""

    def __init__(
        self,
        servers: list[DaphneServer],
        token: str,
        product: int,
        seed: int,
        deadline: float,
    ):
        super().__init__(daemon=True)
        self.servers = servers
        self.session = requests.Session()
        self.session.trust_env = False
        self.token = token
        self.product = product
        self.random = random.Random(seed)
        self.deadline = deadline
        self.paid = 0
        self.errors: list[str] = []

    def _request(self, verb: str, path: str, **data: str) -> requests.Response:
        for _ in range(20):
            server = self.random.choice(self.servers)
            try:
                response = self.session.request(
                    verb,
                    f"{server.base}{path}",
                    data=data or None,
                    headers={
                        "X-CSRFToken": self.session.cookies.get("csrftoken") or "",
                        "HX-Request": "true",
                    },
                    allow_redirects=False,
                    timeout=10,
                )
            except requests.ConnectionError:
                time.sleep(0.1)  # that process is down: the proxy would try another
                continue
            if response.status_code == 502 or response.status_code >= 500:
                raise AssertionError(f"{verb} {path} answered {response.status_code}")
            return response
        raise AssertionError("no web process answered")

    def _order(self) -> None:
        self._request("POST", "/start/")
        self._request("POST", "/mode/", mode="take_away")
        sheet = self._request("GET", f"/product/{self.product}/").text
        fields = dict(
            re.findall(r'name="(group-\d+)" value="(\d+)"[^>]*checked', sheet)
        )
        self._request("POST", f"/product/{self.product}/add/", quantity="1", **fields)
        self._request("POST", "/checkout/submit/", method="card")
        self._request("POST", "/pay/simulate/", outcome="approve")
        for _ in range(50):
            if "HX-Location" in self._request("POST", "/pay/status/").headers:
                self.paid += 1
                break
            time.sleep(0.1)
        self._request("POST", "/reset/", reason="finished")

    def run(self) -> None:
        try:
            for verb in ("GET", "POST"):
                self._request(verb, f"/provision/{self.token}/")
            while time.monotonic() < self.deadline:
                self._order()
        except Exception as err:  # noqa: BLE001 - reported by the test
            self.errors.append(repr(err))


def _shell(env: dict[str, str], code: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as db:
        return db.execute(sql).fetchall()


def test_paid_orders_survive_killed_web_processes_and_workers(
    scratch_database, tmp_path
):
    rbi = SandboxProcess("rbi", database=tmp_path / "rbi.sqlite3")
    control = rbi.start()
    assert isinstance(control, RbiSandboxControl)
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL"}
        },
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "KIOSK_DATA_DIR": str(tmp_path),
        "KIOSK_DEBUG": "0",
        "DATABASE_URL": scratch_database,
        "REDIS_URL": REDIS,
        "RBI_BASE_URL": control.base_url,
        "RBI_SANITY_URL": "",
        "KIOSK_LOG_LEVEL": "WARNING",
        # A posting whose worker was killed is taken again after this.
        "LOYALTY_OUTBOX_LEASE_SECONDS": "5",
    }
    processes: list[ChildProcess] = []
    try:
        subprocess.run(
            [sys.executable, "manage.py", "demo", "--no-serve"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        subprocess.run(
            ["redis-cli", "-u", REDIS, "FLUSHDB"], capture_output=True, check=False
        )
        out = _shell(
            env,
            "from kiosk.models import Kiosk, Product\n"
            "from kiosk.services.provisioning import kiosk_provisioning_create\n"
            "first = Kiosk.objects.get(code='burger-kiosk-1')\n"
            f"for i in range({KIOSKS}):\n"
            "    k, _ = Kiosk.objects.get_or_create(code=f'chaos-{i}', defaults={'store': first.store, 'name': f'Chaos {i}'})\n"
            "    print('TOKEN', kiosk_provisioning_create(kiosk=k))\n"
            "print('PRODUCT', Product.objects.get(store=first.store, plu='4102').pk)\n",
        )
        tokens = re.findall(r"TOKEN (\S+)", out)
        found = re.search(r"PRODUCT (\d+)", out)
        assert found is not None, out
        product = int(found.group(1))
        servers = [
            DaphneServer(free_port(), env=env, directory=tmp_path) for _ in range(2)
        ]
        workers = [
            manage_py(f"worker{i}", "loyalty_worker", env=env, directory=tmp_path)
            for i in range(2)
        ]
        for server in servers:
            server.start()
            server.wait_ready(server.is_serving, timeout=60, what="serving")
        processes += [*servers, *workers]

        deadline = time.monotonic() + SECONDS
        kiosks = [
            Kiosk(servers, token, product, seed=SEED + i, deadline=deadline)
            for i, token in enumerate(tokens)
        ]
        for kiosk in kiosks:
            kiosk.start()
        chaos = random.Random(SEED)
        kills = 0
        while time.monotonic() < deadline - 3:
            time.sleep(chaos.uniform(1.0, 3.0))
            victim = chaos.choice(processes)
            victim.kill()
            kills += 1
            time.sleep(chaos.uniform(0.2, 1.0))
            victim.start()
            if isinstance(victim, DaphneServer):
                victim.wait_ready(victim.is_serving, timeout=60, what="serving")
        for kiosk in kiosks:
            kiosk.join(timeout=120)

        paid_orders = sum(k.paid for k in kiosks)
        assert kills >= 3
        assert paid_orders >= 10, "too few orders went through to say anything"
        assert [e for k in kiosks for e in k.errors] == []

        # Every approved payment is a paid order with its number.
        orphans = _rows(
            scratch_database,
            "SELECT p.attempt_key FROM kiosk_payment p JOIN kiosk_order o ON o.id = p.order_id "
            "WHERE p.status = 'approved' AND (o.state NOT IN ('paid', 'completed') OR o.number IS NULL)",
        )
        assert orphans == []

        # The workers drain the outbox; nothing is left undelivered.
        def drained() -> bool:
            return not _rows(
                scratch_database,
                "SELECT id FROM loyalty_outboxmessage WHERE status != 'done'",
            )

        wait_until(drained, timeout=90, what="the outbox drained")
        paid = _rows(
            scratch_database,
            "SELECT o.uuid FROM kiosk_order o JOIN kiosk_store s ON s.id = o.store_id "
            "WHERE o.state IN ('paid', 'completed') AND s.slug LIKE 'burger%'",
        )
        assert len(paid) >= paid_orders
        duplicated = [
            order for (order,) in paid if len(control.transactions_of(order.hex)) != 1
        ]
        assert duplicated == []
    finally:
        for process in processes:
            process.stop()
        rbi.stop()
