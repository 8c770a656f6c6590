"""Card payments on an emulated terminal, timed as the customer lives them.

    .venv/bin/python bench/payments.py [--orders 50] [--terminal adyen|stripe|all]

A daphne process serves the demo's burger kiosk, whose terminal is the
vendor's sandbox (its own process, over HTTP, as the real API would be): the
Adyen terminal, then the Stripe reader, in the same run. For each order:

- pay → amount on the terminal: from the tap on "Pay by card" (the checkout
  request) until the terminal holds a payment of the order's amount (Adyen)
  or the reader's screen asks for the card (Stripe);
- approval → order number: from the card's approval on the terminal until
  the kiosk's status request answers with the confirmation. The kiosk's page
  asks once a second; the bench asks every 20 ms, so the figure is the
  kiosk's own delay and the page adds up to a second of polling on top.

The same server's bare `/healthz/` view is timed in the same run. Prints JSON.
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
    SandboxProcess,
    bench_env,
    daphne_start,
    demo_prepare,
    percentiles,
    provisioning_token,
)

KIOSK = "burger-kiosk-1"
POIID = "V400m-80000001"
READER = "tmr_BenchReader1"
DEVICES = {"adyen": POIID, "stripe": READER}
TERMINALS = ("adyen", "stripe")


def _terminal_setup(kind: str, base_url: str) -> None:
    """The kiosk's terminal becomes the `kind` sandbox's (the row is replaced)."""
    from kiosk.demo.payments import ADYEN_SANDBOX_API_KEY, STRIPE_SANDBOX_SECRET_KEY
    from kiosk.models import Kiosk, KioskTerminal

    kiosk = Kiosk.objects.get(code=KIOSK)
    KioskTerminal.objects.filter(kiosk=kiosk).delete()
    if kind == "adyen":
        terminal = KioskTerminal(
            kiosk=kiosk,
            vendor="adyen",
            terminal_id=POIID,
            endpoint=base_url,
            options={"communication": "cloud", "merchant_account": "KioskSandboxPOS"},
        )
        terminal.credentials = {"api_key": ADYEN_SANDBOX_API_KEY}
    else:
        terminal = KioskTerminal(
            kiosk=kiosk, vendor="stripe", terminal_id=READER, endpoint=base_url
        )
        terminal.credentials = {"secret_key": STRIPE_SANDBOX_SECRET_KEY}
    terminal.save()


def _pending_amount(kind: str, control: object) -> bool:
    if kind == "stripe":
        return "Present card" in control.screen(READER)  # type: ignore[attr-defined]
    payments = control.payments()  # type: ignore[attr-defined]
    return bool(payments) and payments[-1]["state"] == "pending"


def _order(
    browser: Browser,
    kind: str,
    control: object,
    product: int,
    timings: dict[str, list[float]],
) -> None:
    started = time.perf_counter()
    browser.call("bare view", "GET", "/healthz/")
    timings.setdefault("bare view", []).append((time.perf_counter() - started) * 1000)
    browser.call("start", "POST", "/start/")
    browser.call("mode", "POST", "/mode/", data={"mode": "take_away"})
    sheet = browser.call("sheet", "GET", f"/product/{product}/").text
    fields = dict(re.findall(r'name="(group-\d+)" value="(\d+)"[^>]*checked', sheet))
    browser.call(
        "add", "POST", f"/product/{product}/add/", data={"quantity": "1", **fields}
    )
    started = time.perf_counter()
    browser.call("checkout", "POST", "/checkout/submit/", data={"method": "card"})
    while not _pending_amount(kind, control):
        if time.perf_counter() - started > 10:
            raise RuntimeError("the terminal never showed the amount")
        time.sleep(0.005)
    timings.setdefault(f"{kind}: pay → amount on the terminal", []).append(
        (time.perf_counter() - started) * 1000
    )
    control.terminal_action(DEVICES[kind], "approve")  # type: ignore[attr-defined]
    approved = time.perf_counter()
    while (
        "HX-Location"
        not in browser.call("poll", "POST", "/pay/status/", htmx=True).headers
    ):
        if time.perf_counter() - approved > 10:
            raise RuntimeError("the kiosk never saw the approval")
        time.sleep(0.02)
    timings.setdefault(f"{kind}: approval → order number", []).append(
        (time.perf_counter() - approved) * 1000
    )
    browser.call("reset", "POST", "/reset/", data={"reason": "bench"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50)
    parser.add_argument("--terminal", default="all", choices=[*TERMINALS, "all"])
    args = parser.parse_args()
    kinds = TERMINALS if args.terminal == "all" else (args.terminal,)
    with tempfile.TemporaryDirectory() as data_dir:
        sandboxes = {
            kind: SandboxProcess(kind, database=Path(data_dir) / f"{kind}.sqlite3")
            for kind in kinds
        }
        try:
            controls = {kind: sandbox.start() for kind, sandbox in sandboxes.items()}
            env = bench_env(data_dir)
            demo_prepare(env)
            from kiosk.models import Product

            product = Product.objects.get(store__slug="burger-demo", plu="4102").pk
            token = provisioning_token(KIOSK)
            timings: dict[str, list[float]] = {}
            with daphne_start(env) as server:
                browser = Browser(server.base)
                browser.provision(token)
                for kind in kinds:
                    control = controls[kind]
                    _terminal_setup(kind, control.base_url)
                    for _ in range(3):  # warm up
                        _order(browser, kind, control, product, {})
                    for _ in range(args.orders):
                        _order(browser, kind, control, product, timings)
        finally:
            for sandbox in sandboxes.values():
                sandbox.stop()
    print(
        json.dumps(
            {
                "benchmark": "card payment on the terminal sandboxes (daphne, SQLite)",
                "terminals": list(kinds),
                "orders": args.orders,
                "ms": {step: percentiles(v, digits=1) for step, v in timings.items()},
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
