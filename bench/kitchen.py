"""Paid → on the kitchen screens: how long a paid order takes to show.

    .venv/bin/python bench/kitchen.py [--kiosks 20] [--orders 5]

A daphne process serves the demo's burger restaurant with `--kiosks` kiosks
(browsers over HTTP, each in its own thread) ordering 6 nuggets and paying on
the simulated terminal, `--orders` times each, all at once (with the think
times of bench/load.py between taps). Five kitchen
screens listen on their websockets as wall screens do: two grill screens,
the drinks screen, the expo view and the order-ready board. A cook bumps
each ticket once it is on screen, so the screens carry the load of bumps too.

- paid → on screen: from the order's `paid_at` (set in the "paid"
  transaction, before the kitchen's tickets are written and committed) until
  each grill screen receives the fragment showing its ticket. The benchmark
  and the server share the machine's clock.
- the bare `/healthz/` view, timed in the same run under the same load.

Prints JSON. Goal: p95 under 300 ms with 20 kiosks and 5 screens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
from datetime import datetime
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
from hardware.agent.websocket import WebSocketError, connect  # noqa: E402

STORE = "burger-demo"
NUGGETS = "4103"
TICKET = re.compile(r'id="ticket-(\d+)" data-ticket="(\d+)"')


class Screen:
    """A kitchen screen's websocket, noting when each order number first shows."""

    def __init__(self, name: str, url: str, origin: str) -> None:
        self.name = name
        self.url = url
        self.origin = origin
        self.first_seen: dict[int, float] = {}
        self.tickets: dict[int, int] = {}
        self.messages = 0

    async def listen(self, stop: asyncio.Event) -> None:
        socket = await connect(self.url, headers={"Origin": self.origin})
        receiving = asyncio.ensure_future(self._receive(socket))
        await stop.wait()
        receiving.cancel()
        await socket.close()

    async def _receive(self, socket: object) -> None:
        while True:
            try:
                html = await socket.receive()  # type: ignore[attr-defined]
            except WebSocketError:
                return
            now = time.time()
            self.messages += 1
            for number, ticket in TICKET.findall(html):
                self.first_seen.setdefault(int(number), now)
                self.tickets.setdefault(int(number), int(ticket))


def _setup(kiosks: int) -> tuple[list[str], dict[str, str], int]:
    from kiosk.models import Kiosk, Product
    from kitchen.demo import kitchen_demo_setup
    from kitchen.models import Screen as ScreenRow
    from kitchen.models import ScreenKind, Station
    from kitchen.services.screens import screen_token_rotate

    first = Kiosk.objects.get(code="burger-kiosk-1")
    codes = [first.code]
    for index in range(2, kiosks + 1):
        kiosk = Kiosk.objects.create(
            store=first.store, name=f"Bench {index}", code=f"bench-kiosk-{index}"
        )
        codes.append(kiosk.code)
    # The grill prints no ticket here: no agent runs in this benchmark.
    Station.objects.filter(store=first.store).update(printer=None)
    links = {
        str(link.screen.name): link.path for link in kitchen_demo_setup(slugs=(STORE,))
    }
    second = ScreenRow.objects.create(
        store=first.store,
        kind=ScreenKind.STATION,
        station=Station.objects.get(store=first.store, name="Grill"),
        name="Second grill screen",
    )
    links["Second grill screen"] = (
        f"/kitchen/screen/{screen_token_rotate(screen=second)}/"
    )
    product = Product.objects.get(store=first.store, plu=NUGGETS).pk
    return [provisioning_token(code) for code in codes], links, product


def _order(browser: Browser, product: int, think: random.Random) -> None:
    # Think times as bench/load.py's: a customer reads before each tap.
    browser.call("start", "POST", "/start/")
    browser.call("mode", "POST", "/mode/", data={"mode": "take_away"})
    time.sleep(think.uniform(0.2, 1.0))
    browser.call("add", "POST", f"/product/{product}/add/", data={"quantity": "1"})
    time.sleep(think.uniform(0.2, 1.0))
    browser.call("checkout", "POST", "/checkout/submit/", data={"method": "card"})
    time.sleep(think.uniform(0.2, 1.0))
    browser.call("approve", "POST", "/pay/simulate/", data={"outcome": "approve"})
    started = time.perf_counter()
    while (
        "HX-Location"
        not in browser.call("poll", "POST", "/pay/status/", htmx=True).headers
    ):
        if time.perf_counter() - started > 20:
            raise RuntimeError("the kiosk never saw the approval")
        time.sleep(0.05)
    browser.call("reset", "POST", "/reset/", data={"reason": "bench"})


def _kiosk(
    base: str, token: str, product: int, orders: int, seed: int, errors: list[str]
) -> None:
    think = random.Random(seed)
    try:
        browser = Browser(base)
        browser.provision(token)
        for _ in range(orders):
            _order(browser, product, think)
    except Exception as err:  # noqa: BLE001 - reported in the JSON, the run goes on
        errors.append(repr(err))


def _cook(base: str, screen: Screen, bump_path: str, stop: threading.Event) -> None:
    """Bumps every ticket shown on the grill, as a cook does."""
    browser = Browser(base)
    browser.get(bump_path.replace("bump/", ""))  # the CSRF cookie
    bumped: set[int] = set()
    while not stop.is_set():
        for number, ticket in list(screen.tickets.items()):
            if number not in bumped:
                bumped.add(number)
                response = browser.post(
                    bump_path,
                    action="ticket",
                    ticket=str(ticket),
                    bump_id=f"bench-bump-{ticket}",
                )
                if response.status_code != 200:
                    raise RuntimeError(f"bump: {response.status_code}")
        time.sleep(0.05)


def _bare_view(base: str, samples: list[float], stop: threading.Event) -> None:
    browser = Browser(base)
    while not stop.is_set():
        started = time.perf_counter()
        browser.get("/healthz/")
        samples.append((time.perf_counter() - started) * 1000)
        time.sleep(0.05)


def _paid_at() -> dict[int, datetime]:
    from kiosk.models import Order

    rows = Order.objects.filter(store__slug=STORE, paid_at__isnull=False).values_list(
        "number", "paid_at"
    )
    return {number: paid_at for number, paid_at in rows if number and paid_at}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosks", type=int, default=20)
    parser.add_argument("--orders", type=int, default=5, help="orders per kiosk")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        env = bench_env(data_dir)
        demo_prepare(env)
        tokens, links, product = _setup(args.kiosks)
        names = [
            "Grill screen",
            "Second grill screen",
            "Drinks screen",
            "Expo",
            "Order-ready board",
        ]
        with daphne_start(
            env, directory=Path(os.environ.get("KITCHEN_BENCH_LOGS", data_dir))
        ) as server:
            ws_base = server.base.replace("http://", "ws://")
            # /kitchen/screen/<token>/ is read on /ws/kitchen/<token>/.
            screens = [
                Screen(
                    name,
                    ws_base + links[name].replace("/kitchen/screen/", "/ws/kitchen/"),
                    server.base,
                )
                for name in names
            ]
            loop = asyncio.new_event_loop()
            stop_screens = asyncio.Event()

            async def listen_all() -> None:
                await asyncio.gather(*(s.listen(stop_screens) for s in screens))

            listening = threading.Thread(
                target=loop.run_until_complete, args=(listen_all(),), daemon=True
            )
            listening.start()
            time.sleep(1)  # the screens connect and get their first state
            stop = threading.Event()
            bare: list[float] = []
            helpers = [
                threading.Thread(
                    target=_cook,
                    args=(
                        server.base,
                        screens[0],
                        links["Grill screen"] + "bump/",
                        stop,
                    ),
                ),
                threading.Thread(target=_bare_view, args=(server.base, bare, stop)),
            ]
            for helper in helpers:
                helper.start()
            errors: list[str] = []
            kiosks = [
                threading.Thread(
                    target=_kiosk,
                    args=(server.base, token, product, args.orders, seed, errors),
                )
                for seed, token in enumerate(tokens)
            ]
            started = time.perf_counter()
            for kiosk in kiosks:
                kiosk.start()
            for kiosk in kiosks:
                kiosk.join()
            elapsed = time.perf_counter() - started
            time.sleep(1)  # the last pushes arrive
            stop.set()
            for helper in helpers:
                helper.join()
            loop.call_soon_threadsafe(stop_screens.set)
            listening.join(timeout=5)
            paid = _paid_at()
    latencies: dict[str, list[float]] = {}
    missing = 0
    for screen in screens[:2]:
        for number, paid_at in paid.items():
            seen = screen.first_seen.get(number)
            if seen is None:
                missing += 1
                continue
            latencies.setdefault(screen.name, []).append(
                (seen - paid_at.timestamp()) * 1000
            )
    everything = [value for values in latencies.values() for value in values]
    print(
        json.dumps(
            {
                "benchmark": "paid → kitchen screen (daphne, SQLite, in-memory channel layer)",
                "kiosks": args.kiosks,
                "screens": len(screens),
                "orders paid": len(paid),
                "orders per second": round(len(paid) / elapsed, 1),
                "ms": {
                    "paid → on the grill screens": percentiles(everything, digits=1),
                    **{
                        f"paid → on {name}": percentiles(values, digits=1)
                        for name, values in latencies.items()
                    },
                    "bare view": percentiles(bare, digits=1),
                },
                "messages received": {s.name: s.messages for s in screens},
                "not shown": missing,
                "kiosk errors": errors[:5],
                "goal": "p95 under 300 ms",
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
