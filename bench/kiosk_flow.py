"""Time every request of a customer's order against a real daphne process.

    .venv/bin/python bench/kiosk_flow.py [--orders 200]

A fresh SQLite database in a temporary folder, the demo stores, one kiosk
browser (a requests session with its device cookie). Each order goes attract →
start → mode → menu → product → preview → add → cart → checkout → simulated
terminal approve → status poll → confirmation → reset. Prints JSON: for each
step p50/p95/p99 in milliseconds, client and server on the same machine.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
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

KIOSK = "burger-kiosk-1"


def _prepare(env: dict[str, str]) -> tuple[str, int]:
    """Migrate, load the demo, and return a provisioning token and a product id."""
    demo_prepare(env)
    from kiosk.models import Kiosk, Product

    kiosk = Kiosk.objects.get(code=KIOSK)
    product = Product.objects.get(store=kiosk.store, plu="4102")
    return provisioning_token(KIOSK), product.pk


def _order(browser: Browser, product_id: int) -> None:
    browser.call("attract", "GET", "/")
    browser.call("start", "POST", "/start/")
    browser.call("service mode", "POST", "/mode/", data={"mode": "eat_in"})
    browser.call("menu page", "GET", "/menu/")
    sheet = browser.call("product sheet", "GET", f"/product/{product_id}/").text
    fields = dict(re.findall(r'name="(group-\d+)" value="(\d+)"[^>]*checked', sheet))
    data = {"quantity": "1", **fields}
    browser.call(
        "sheet preview (htmx partial)",
        "POST",
        f"/product/{product_id}/preview/",
        htmx=True,
        data={**data, "quantity_step": "1"},
    )
    browser.call("add to order", "POST", f"/product/{product_id}/add/", data=data)
    browser.call("cart page", "GET", "/cart/")
    browser.call("checkout: card", "POST", "/checkout/submit/", data={"method": "card"})
    browser.call(
        "terminal approves",
        "POST",
        "/pay/simulate/",
        htmx=True,
        data={"outcome": "approve"},
    )
    status = browser.call("payment poll → paid", "POST", "/pay/status/", htmx=True)
    if "HX-Location" not in status.headers:
        raise RuntimeError("the order was not paid")
    browser.call("confirmation page", "GET", "/done/")
    browser.call("reset", "POST", "/reset/", data={"reason": "finished"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        env = bench_env(data_dir)
        token, product_id = _prepare(env)
        with daphne_start(env) as server:
            browser = Browser(server.base)
            browser.provision(token)
            for _ in range(3):  # warm up: imports, template loading, connections
                _order(browser, product_id)
            browser.timings.clear()
            started = time.perf_counter()
            for _ in range(args.orders):
                _order(browser, product_id)
            wall = time.perf_counter() - started
    report = {
        "benchmark": "kiosk order flow over HTTP (daphne, SQLite WAL synchronous=FULL)",
        "orders": args.orders,
        "orders_per_second_one_client": round(args.orders / wall, 2),
        "steps_ms": {
            step: percentiles(samples) for step, samples in browser.timings.items()
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
