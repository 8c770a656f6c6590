"""What one kiosk whose loyalty programme is slow costs the other kiosks.

    .venv/bin/python bench/slow_programme.py [--kiosks 20] [--seconds 30]
                                             [--latency-ms 2000]

One daphne process (SQLite, fresh demo) and the Pongo sandbox in its own
process. `--kiosks - 1` kiosks of the burger store order in a loop as in
bench/load.py; one kiosk of the brasserie identifies a Pongo member again and
again (start, phone number, rewards panel, reset). Two rounds on the same
server: Pongo answering at once, then Pongo answering in `--latency-ms` (the
sandbox's latency fault). Prints JSON: the other kiosks' p50/p95 per request
kind in each round, the p95 ratio of the slow round to the healthy one (the
goal: at most 1.2), and the bare view's figures as the machine's baseline.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    Browser,
    SandboxProcess,
    bench_env,
    daphne_start,
    percentiles,
    provisioning_token,
)
from bench.load import Kiosk, _prepare  # noqa: E402

PHONE = "0612345678"
MEMBER_KIOSK = "brasserie-borne-1"


class MemberKiosk(threading.Thread):
    """The brasserie's kiosk: a member identifies, opens the panel, leaves."""

    def __init__(self, base: str, token: str, deadline: float) -> None:
        super().__init__(daemon=True)
        self.browser = Browser(base)
        self.token = token
        self.deadline = deadline
        self.rounds = 0
        self.errors: list[str] = []

    def run(self) -> None:
        self.browser.provision(self.token)
        while time.monotonic() < self.deadline:
            try:
                self.browser.post("/start/")
                self.browser.post("/mode/", mode="eat_in")
                answer = self.browser.post(
                    "/loyalty/phone/submit/", digits=PHONE, country="FR"
                )
                if answer.status_code >= 400:
                    raise RuntimeError(f"identify: {answer.status_code}")
                self.browser.get(answer.headers.get("Location", "/menu/"))
                self.rounds += 1
            except Exception as err:  # noqa: BLE001 - counted, reported
                self.errors.append(str(err)[:200])
            self.browser.post("/reset/", reason="bench")
            time.sleep(0.5)


def _round(
    base: str,
    tokens: list[str],
    member_token: str,
    product_id: int,
    seconds: float,
    warmup: float,
):
    deadline = time.monotonic() + warmup + seconds
    kiosks = [
        Kiosk(base, token, product_id, seed=i, deadline=deadline)
        for i, token in enumerate(tokens)
    ]
    member = MemberKiosk(base, member_token, deadline)
    for thread in [*kiosks, member]:
        thread.start()
    time.sleep(warmup)
    for kiosk in kiosks:
        kiosk.samples.clear()
    for thread in [*kiosks, member]:
        thread.join(timeout=seconds + 60)
    samples: dict[str, list[float]] = {}
    for kiosk in kiosks:
        for kind, values in kiosk.samples.items():
            samples.setdefault(kind, []).extend(values)
    return {
        "requests_ms": {k: percentiles(v, digits=1) for k, v in samples.items()},
        "orders": sum(k.orders for k in kiosks),
        "errors": sum(len(k.errors) for k in kiosks),
        "member_identifications": member.rounds,
        "member_errors": len(member.errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosks", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--latency-ms", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        sandbox = SandboxProcess("pongo", database=Path(data_dir) / "pongo.sqlite3")
        control = sandbox.start()
        try:
            env = bench_env(
                data_dir,
                PONGO_BASE_URL=control.base_url,
                # One member identifies again and again: no attempt limits here.
                LOYALTY_IDENTIFY_PER_KIOSK_MINUTE="1000000",
                LOYALTY_IDENTIFY_PER_IDENTIFIER="1000000",
            )
            tokens, product_id = _prepare(env, args.kiosks - 1)
            from loyalty.demo import loyalty_demo_setup

            loyalty_demo_setup(stores=("brasserie-demo",))
            with daphne_start(env) as server:
                rounds = {}
                for name, latency in (("healthy", 0), ("slow", args.latency_ms)):
                    control.faults(latency_ms=latency)
                    member_token = provisioning_token(MEMBER_KIOSK)
                    fresh = [
                        provisioning_token(f"load-{i:02d}") for i in range(len(tokens))
                    ]
                    rounds[name] = _round(
                        server.base,
                        fresh,
                        member_token,
                        product_id,
                        args.seconds,
                        args.warmup,
                    )
        finally:
            sandbox.stop()
    healthy, slow = rounds["healthy"]["requests_ms"], rounds["slow"]["requests_ms"]
    print(
        json.dumps(
            {
                "benchmark": "one kiosk's slow loyalty programme, the other kiosks' p95",
                "kiosks": args.kiosks,
                "pongo_latency_ms": args.latency_ms,
                "rounds": rounds,
                "p95_ratio_slow_to_healthy": {
                    kind: round(slow[kind]["p95"] / healthy[kind]["p95"], 2)
                    for kind in healthy
                    if kind in slow and healthy[kind]["p95"]
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
