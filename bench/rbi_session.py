"""An RBI loyalty session at the kiosk, over real HTTP end to end.

    .venv/bin/python bench/rbi_session.py [--rounds 200]

A daphne process serves the kiosk (fresh SQLite database, demo stores, the
burger restaurant connected to RBI); the RBI sandbox runs in its own process.
Each round a kiosk browser starts an order, chooses eat-in, then is timed on:

- identify: the app's 6-digit code submitted (the kiosk opens the RBI
  transaction, puts the app's two picks on the order, validates the basket);
- open_panel: the rewards panel (two GraphQL eligibility calls);
- add_offer: an offer added from the panel (the basket validated again; the
  chicken meal is a combo, so the kiosk may answer with its product sheet);
- checkout_counter: pay at the counter (the last validation before payment).

Prints JSON: p50/p95/p99 in milliseconds of each step and of identify plus
panel, with the sandbox answering at once; then identify with the sandbox
3 s slow, where the kiosk must give up at its 2.5 s budget and go on to the
menu without loyalty.

The sandbox's seed code 222222 (Alex, with a reward and an offer picked in
the app) is single use until the sandbox is reset, so each round mints a new
code with the same member and picks, as the app shows a new code to every
customer. The bench does not run the outbox worker, so every round leaves an
open RBI transaction holding points; Alex gets enough points never to run out.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
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
from sandboxes.rbi.control import RbiSandboxControl  # noqa: E402
from sandboxes.rbi.seed import SEED_CODES  # noqa: E402

KIOSK = "burger-kiosk-1"
SEED_CODE = "222222"
OFFER = {"reference": "offer-chicken-meal-299", "engine": "eng-ofr-0001"}
# What the app's picks of code 222222 become on the order: the free drink
# reward, and Whopper at 2.00 (the personalised offer eng-pof-0001).
PICKS = {"reward-free-drink", "config-whopper-2"}
BUDGET_S = 2.5
SLOW_MS = 3000
SLOW_ROUNDS = 10
PANEL = "/loyalty/rewards/"
MENU = "/menu/"


def _prepare(env: dict[str, str]) -> str:
    demo_prepare(env)
    from loyalty.demo import loyalty_demo_setup

    loyalty_demo_setup(stores=("burger-demo",))
    return provisioning_token(KIOSK)


class AppCodes:
    """Fresh one-time codes for the member and picks of the seed code 222222."""

    def __init__(self, control: RbiSandboxControl) -> None:
        seed = next(code for code in SEED_CODES if code.code == SEED_CODE)
        self.control = control
        self.loyalty_id = seed.loyalty_id
        self.preselect = list(seed.preselect)

    def mint(self) -> str:
        return str(self.control.mint_code(self.loyalty_id, self.preselect)["otp"])


@dataclass
class Figures:
    """Milliseconds of each timed step, and where the offer step sent the browser."""

    steps: dict[str, list[float]] = field(default_factory=dict)
    offer_landings: Counter[str] = field(default_factory=Counter)

    def add(self, step: str, ms: float) -> None:
        self.steps.setdefault(step, []).append(ms)


def _timed_post(browser: Browser, path: str, **data: str) -> tuple[float, str]:
    """Post; the milliseconds, and the answer: "302 /where" or "200"."""
    started = time.perf_counter()
    response = browser.post(path, **data)
    ms = (time.perf_counter() - started) * 1000
    location = response.headers.get("Location")
    outcome = f"{response.status_code} {location}" if location else ""
    return ms, outcome or str(response.status_code)


def _order_start(browser: Browser) -> None:
    """A fresh draft order in eat-in, waiting for identification."""
    browser.get("/")
    started = browser.post("/start/")
    # `/start/` always opens a new order; a new one has no service mode yet.
    if started.headers.get("Location") != "/mode/":
        raise RuntimeError(f"/start/ led to {started.headers.get('Location')}")
    mode = browser.post("/mode/", mode="eat_in")
    if mode.headers.get("Location") != "/loyalty/":
        raise RuntimeError(f"/mode/ led to {mode.headers.get('Location')}")


def _expect(step: str, outcome: str, expected: str) -> None:
    if outcome != expected:
        raise RuntimeError(f"{step}: {outcome}, expected {expected}")


def _round(browser: Browser, code: str, figures: Figures) -> None:
    _order_start(browser)
    identify, outcome = _timed_post(browser, "/loyalty/code/submit/", code=code)
    _expect("identify", outcome, f"302 {PANEL}")
    started = time.perf_counter()
    panel = browser.get(PANEL)
    open_panel = (time.perf_counter() - started) * 1000
    if panel.status_code != 200 or "Hello Alex" not in panel.text:
        raise RuntimeError(f"panel: {panel.status_code}, no greeting for Alex")
    add_offer, offer_outcome = _timed_post(browser, "/loyalty/incentives/add/", **OFFER)
    if not offer_outcome.startswith("302 "):
        raise RuntimeError(f"add offer: {offer_outcome}")
    checkout, outcome = _timed_post(browser, "/checkout/submit/", method="counter")
    _expect("checkout", outcome, "302 /done/")
    # The order went to the counter; reset forgets the customer (a new session).
    browser.post("/reset/", reason="bench")
    figures.add("identify", identify)
    figures.add("open_panel", open_panel)
    figures.add("add_offer", add_offer)
    figures.add("checkout_counter", checkout)
    figures.add("identify_to_panel", identify + open_panel)
    figures.offer_landings[offer_outcome] += 1


def _check_picks() -> None:
    """The last order carries the app's picks: identify did all of its work."""
    from loyalty.models import OrderLoyalty

    order = OrderLoyalty.objects.select_related("order").latest("pk").order
    picked = set(order.lines.values_list("reward_reference", flat=True)) - {""}
    if picked != PICKS:
        raise RuntimeError(f"the order carries {sorted(picked)}, not the app's picks")


def _slow_round(browser: Browser, code: str, figures: Figures) -> None:
    """Identify with the sandbox too slow: the kiosk goes on to the menu."""
    _order_start(browser)
    identify, outcome = _timed_post(browser, "/loyalty/code/submit/", code=code)
    _expect("identify", outcome, f"302 {MENU}")
    started = time.perf_counter()
    menu = browser.get(MENU)
    open_menu = (time.perf_counter() - started) * 1000
    if menu.status_code != 200:
        raise RuntimeError(f"menu: {menu.status_code}")
    browser.post("/reset/", reason="bench")
    figures.add("identify", identify)
    figures.add("open_menu", open_menu)
    figures.add("identify_to_menu", identify + open_menu)


def _report(figures: Figures) -> dict[str, object]:
    return {step: percentiles(ms, digits=1) for step, ms in figures.steps.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        sandbox = SandboxProcess("rbi", database=Path(data_dir) / "rbi.sqlite3")
        control = sandbox.start()
        assert isinstance(control, RbiSandboxControl)
        env = bench_env(
            data_dir,
            RBI_BASE_URL=control.base_url,
            RBI_SANITY_URL="",
            # The kiosk limits identify attempts (5 a minute); the benchmark
            # measures latency, so it lifts the limits for its own server.
            LOYALTY_IDENTIFY_PER_KIOSK_MINUTE="1000000",
            LOYALTY_IDENTIFY_PER_IDENTIFIER="1000000",
        )
        try:
            token = _prepare(env)
            codes = AppCodes(control)
            # Each identify holds points until the outbox worker (not run
            # here) voids the transaction: enough points for every round.
            control.set_points(codes.loyalty_id, 10_000_000)
            with daphne_start(env) as server:
                browser = Browser(server.base)
                browser.provision(token)
                for _ in range(3):  # warm up: imports, templates, connections
                    _round(browser, codes.mint(), Figures())
                _check_picks()
                healthy = Figures()
                for _ in range(args.rounds):
                    _round(browser, codes.mint(), healthy)
                # The control API (minting codes) is never slowed down.
                control.faults(latency_ms=SLOW_MS)
                slow = Figures()
                for _ in range(SLOW_ROUNDS):
                    _slow_round(browser, codes.mint(), slow)
        finally:
            sandbox.stop()
    over_budget = sum(ms > BUDGET_S * 1000 for ms in slow.steps["identify"])
    print(
        json.dumps(
            {
                "benchmark": "RBI session over HTTP (kiosk on daphne, RBI sandbox process)",
                "budget_s": BUDGET_S,
                "rounds": args.rounds,
                "rbi_healthy": _report(healthy),
                "add_offer_answers": dict(healthy.offer_landings),
                f"rbi_{SLOW_MS // 1000}s_slow": {
                    **_report(slow),
                    "identify_over_budget": over_budget,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
