"""Many kiosks ordering at once against real daphne processes.

    .venv/bin/python bench/load.py [--kiosks 20] [--seconds 60] [--services]
                                   [--web 1]

Each simulated kiosk is a thread with its own browser session, bound to a
kiosk of the demo's burger store, ordering in a loop with think times drawn
from a seeded generator: menu, product sheet, the sheet's htmx preview, add,
cart, checkout by card, the simulated terminal approves, the status poll
that finds the order paid, confirmation, reset. Before each order it also
asks `/healthz/`, a bare Django view (one `SELECT 1`) on the same server
under the same load: the ratio of the kiosk's figures to that view's is what
this machine can compare from one run to the next.

`--services` runs on PostgreSQL (a scratch database made for the run) and
Redis, with `--web` daphne processes (the kiosks spread over them, as a
proxy would); without it, SQLite and the in-memory channel layer, one process.
Prints JSON: per request kind p50/p95/p99 (ms), orders per second, errors.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    Browser,
    bench_env,
    daphne_start,
    demo_prepare,
    percentiles,
    provisioning_token,
)
from tests.processes import scratch_postgres  # noqa: E402

STORE_KIOSK = "burger-kiosk-1"
REDIS = "redis://127.0.0.1:6379/"


class Kiosk(threading.Thread):
    """One kiosk's customers, one after another, until the deadline."""

    def __init__(
        self, base: str, token: str, product_id: int, seed: int, deadline: float
    ):
        super().__init__(daemon=True)
        self.browser = Browser(base)
        self.token = token
        self.product_id = product_id
        self.random = random.Random(seed)
        self.deadline = deadline
        self.samples: dict[str, list[float]] = {}
        self.orders = 0
        self.errors: list[str] = []

    def _timed(self, kind: str, method: str, path: str, **kwargs) -> str:
        started = time.perf_counter()
        response = self.browser.request(method, path, **kwargs)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code >= 400:
            raise RuntimeError(f"{kind}: {response.status_code}")
        self.samples.setdefault(kind, []).append(elapsed)
        if kind == "payment poll" and "HX-Location" not in response.headers:
            raise RuntimeError("payment poll: the order was not paid")
        return response.text

    def _think(self) -> None:
        time.sleep(self.random.uniform(0.2, 1.0))

    def _order(self) -> None:
        self._timed("bare view", "GET", "/healthz/")
        self._timed("page", "POST", "/start/")
        self._timed("page", "POST", "/mode/", data={"mode": "eat_in"})
        self._timed("page", "GET", "/menu/")
        self._think()
        sheet = self._timed("page", "GET", f"/product/{self.product_id}/")
        fields = dict(
            re.findall(r'name="(group-\d+)" value="(\d+)"[^>]*checked', sheet)
        )
        data = {"quantity": "1", **fields}
        self._timed(
            "htmx partial",
            "POST",
            f"/product/{self.product_id}/preview/",
            htmx=True,
            data={**data, "quantity_step": "1"},
        )
        self._think()
        self._timed("page", "POST", f"/product/{self.product_id}/add/", data=data)
        self._timed("page", "GET", "/cart/")
        self._think()
        self._timed("page", "POST", "/checkout/submit/", data={"method": "card"})
        self._timed(
            "htmx partial",
            "POST",
            "/pay/simulate/",
            htmx=True,
            data={"outcome": "approve"},
        )
        self._timed("payment poll", "POST", "/pay/status/", htmx=True)
        self._timed("page", "GET", "/done/")
        self._timed("page", "POST", "/reset/", data={"reason": "finished"})
        self.orders += 1

    def run(self) -> None:
        try:
            self.browser.provision(self.token)
        except Exception as err:  # noqa: BLE001 - counted, reported
            self.errors.append(f"provision: {err}")
            return
        while time.monotonic() < self.deadline:
            try:
                self._order()
            except Exception as err:  # noqa: BLE001 - counted, reported
                self.errors.append(str(err)[:200])
                self.browser.request("POST", "/reset/", data={"reason": "error"})
            self._think()


def _prepare(env: dict[str, str], kiosks: int) -> tuple[list[str], int]:
    demo_prepare(env)
    from kiosk.models import Kiosk as KioskModel
    from kiosk.models import Product

    first = KioskModel.objects.get(code=STORE_KIOSK)
    codes = []
    for index in range(kiosks):
        kiosk, _ = KioskModel.objects.get_or_create(
            code=f"load-{index:02d}",
            defaults={"store": first.store, "name": f"Load {index}"},
        )
        codes.append(kiosk.code)
    product = Product.objects.get(store=first.store, plu="4102")
    return [provisioning_token(code) for code in codes], product.pk


def run(args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as data_dir, ExitStack() as stack:
        extra: dict[str, str] = {}
        if args.services:
            extra["DATABASE_URL"] = stack.enter_context(scratch_postgres("kiosk_load"))
            extra["REDIS_URL"] = REDIS + str(args.redis_db)
        env = bench_env(data_dir, **extra)
        tokens, product_id = _prepare(env, args.kiosks)
        servers = [stack.enter_context(daphne_start(env)) for _ in range(args.web)]
        deadline = time.monotonic() + args.warmup + args.seconds
        kiosks = [
            Kiosk(
                servers[i % len(servers)].base,
                token,
                product_id,
                seed=i,
                deadline=deadline,
            )
            for i, token in enumerate(tokens)
        ]
        for kiosk in kiosks:
            kiosk.start()
        # The first seconds load templates and open connections: not counted.
        time.sleep(args.warmup)
        for kiosk in kiosks:
            kiosk.samples.clear()
            kiosk.orders = 0
        started = time.perf_counter()
        for kiosk in kiosks:
            kiosk.join(timeout=args.seconds + 60)
        wall = time.perf_counter() - started
    samples: dict[str, list[float]] = {}
    for kiosk in kiosks:
        for kind, values in kiosk.samples.items():
            samples.setdefault(kind, []).extend(values)
    figures = {kind: percentiles(values, digits=1) for kind, values in samples.items()}
    bare = figures.get("bare view", {}).get("p95") or 0.0
    return {
        "benchmark": "kiosks ordering at once (daphne)",
        "configuration": (
            f"PostgreSQL + Redis, {args.web} web processes"
            if args.services
            else f"SQLite + in-memory layer, {args.web} web process(es)"
        ),
        "kiosks": args.kiosks,
        "seconds": round(wall, 1),
        "orders": sum(k.orders for k in kiosks),
        "orders_per_second": round(sum(k.orders for k in kiosks) / wall, 2),
        "errors": sum(len(k.errors) for k in kiosks),
        "first_errors": [e for k in kiosks for e in k.errors][:5],
        "requests_ms": figures,
        "p95_ratio_to_bare_view": {
            kind: round(f["p95"] / bare, 2) for kind, f in figures.items() if bare
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosks", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--services", action="store_true")
    parser.add_argument("--web", type=int, default=1)
    parser.add_argument("--redis-db", type=int, default=7)
    print(json.dumps(run(parser.parse_args()), indent=2))


if __name__ == "__main__":
    main()
