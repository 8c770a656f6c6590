"""Identify-to-panel latency of Pongo loyalty, over real HTTP end to end.

    .venv/bin/python bench/loyalty_identify.py [--rounds 200]

A daphne process serves the kiosk (fresh SQLite database, demo stores); the
Pongo sandbox runs in its own process. Each round a kiosk browser starts an
order, types a member's phone number, submits it (the kiosk asks Pongo for
the customer) and opens the rewards panel (customer, rewards, owned rewards:
three more calls). Prints JSON: p50/p95/p99 in milliseconds of the submit,
the panel, and both together, with Pongo answering at once; then the same
with Pongo 3 s slow, where the kiosk must give up at its 2.5 s budget.
"""

from __future__ import annotations

import argparse
import json
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

PHONE = "0612345678"


def _prepare(env: dict[str, str]) -> str:
    demo_prepare(env)
    from loyalty.demo import loyalty_demo_setup

    loyalty_demo_setup(stores=("brasserie-demo",))

    return provisioning_token("brasserie-borne-1")


def _round(browser: Browser, *, expect: str) -> tuple[float, float]:
    browser.get("/")
    browser.post("/start/")
    browser.post("/mode/", mode="eat_in")
    started = time.perf_counter()
    submitted = browser.post("/loyalty/phone/submit/", digits=PHONE, country="FR")
    middle = time.perf_counter()
    landing = submitted.headers["Location"]
    panel = browser.get(landing)
    ended = time.perf_counter()
    if landing != expect or panel.status_code != 200:
        raise RuntimeError(
            f"landed on {landing} ({panel.status_code}), expected {expect}"
        )
    browser.post("/reset/", reason="bench")
    return (middle - started) * 1000, (ended - middle) * 1000


def _run(browser: Browser, rounds: int, *, expect: str) -> dict[str, object]:
    submits, panels, totals = [], [], []
    for _ in range(rounds):
        submit, panel = _round(browser, expect=expect)
        submits.append(submit)
        panels.append(panel)
        totals.append(submit + panel)
    return {
        "submit_identify": percentiles(submits, digits=1),
        "open_panel": percentiles(panels, digits=1),
        "identify_to_panel": percentiles(totals, digits=1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        sandbox = SandboxProcess("pongo", database=Path(data_dir) / "pongo.sqlite3")
        control = sandbox.start()
        env = bench_env(
            data_dir,
            PONGO_BASE_URL=control.base_url,
            # The kiosk limits identify attempts (5 a minute); the benchmark
            # measures latency, so it lifts the limits for its own server.
            LOYALTY_IDENTIFY_PER_KIOSK_MINUTE="1000000",
            LOYALTY_IDENTIFY_PER_IDENTIFIER="1000000",
        )
        try:
            token = _prepare(env)
            with daphne_start(env) as server:
                browser = Browser(server.base)
                browser.provision(token)
                for _ in range(3):
                    _round(browser, expect="/loyalty/rewards/")
                healthy = _run(browser, args.rounds, expect="/loyalty/rewards/")
                control.faults(latency_ms=3000)
                # Too slow: the kiosk keeps the phone for the posting and goes on.
                slow = _run(browser, 10, expect="/menu/")
        finally:
            sandbox.stop()
    print(
        json.dumps(
            {
                "benchmark": "Pongo identify-to-panel over HTTP (kiosk on daphne, Pongo sandbox process)",
                "budget_s": 2.5,
                "pongo_healthy": healthy,
                "pongo_3s_slow": slow,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
