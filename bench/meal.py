"""The time to order a meal, step by step, with the upsell take rate of the same run.

    .venv/bin/python bench/meal.py [--customers 30] [--seed 7]

A fresh SQLite database with the demo stores, their upsell rules on, and
daphne serving it, at the burger restaurant:

- take rate: scripted customers add a Whopper (offered the meal) or medium
  fries (offered large ones) and say yes with a seeded probability, as in
  `bench/upsell.py`; the rates are read back from the recorded offers;
- time to order a Whopper meal, to its order number: step by step (start,
  eat in, the Meals tab, the meal, the main: Next, a side card (large fries
  for some), Next, the drink: Next, "Add to order", the cart, checkout, card,
  the card on the simulated reader), and from the offer (the Whopper, "make
  it a meal": yes, then the same payment). Taps are the touches a guest makes (the card on the reader counts as
one); seconds are the time of the requests those touches send (client and
server on one machine, no reading time). The same server's bare `/healthz/`
view is timed once per tap in the same run, for comparison. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    bench_env,
    daphne_start,
    percentiles,
)
from bench.upsell import (  # noqa: E402
    BURGER_KIOSK,
    Journey,
    Products,
    _answer,
    _browser,
    _finish,
    _form,
    _meal_with_offer,
    _prepare,
    _rule_active,
    _start,
    _take_rate_customer,
    _take_rates,
)

# How many customers pick large fries on the side step (one more tap).
LARGE_FRIES_PROBABILITY = 0.4


def _meal_ids() -> tuple[int, int, str, str]:
    """The Whopper meal, its category, and the side slot's large-fries field."""
    from kiosk.models import ComboChoice, Product

    meal = Product.objects.get(sku="BRG-MEAL-WHOPPER-M")
    large = ComboChoice.objects.get(slot__combo=meal, product__sku="BRG-FRIES-L")
    return meal.pk, meal.category_id or 0, f"slot-{large.slot_id}", str(large.pk)


def _meal_order(
    journey: Journey, ids: tuple[int, int, str, str], rng: random.Random
) -> str:
    """One meal from the menu to the order number: the offer's kind, if any."""
    meal, category, side_field, large_fries = ids
    _start(journey)
    journey.tap("GET", f"/menu/{category}/")
    sheet = journey.tap("GET", f"/product/{meal}/")
    while 'id="meal-next"' in sheet:
        if f'name="{side_field}" value="{large_fries}"' in sheet and (
            rng.random() < LARGE_FRIES_PROBABILITY
        ):
            # A tap on the large-fries card: the sheet prices it.
            sheet = journey.tap(
                "POST",
                f"/product/{meal}/preview/",
                {**_form(sheet), side_field: large_fries},
            )
        sheet = journey.tap(
            "POST", f"/product/{meal}/preview/", {**_form(sheet), "step_move": "1"}
        )
    page = journey.tap("POST", f"/product/{meal}/add/", _form(sheet))
    kind = _answer(journey, page, rng) or ""
    journey.tap("GET", "/cart/")
    page = journey.tap("GET", "/offer/?at=checkout")
    kind = _answer(journey, page, rng) or kind
    _pay(journey)
    return kind


def _pay(journey: Journey) -> None:
    """From the checkout page: card, the card on the reader, the order number."""
    journey.tap("POST", "/checkout/submit/", {"method": "card"})
    journey.tap("POST", "/pay/simulate/", {"outcome": "approve"})  # the card
    # The page asks the terminal by itself: time, not a tap.
    started = time.perf_counter()
    done = journey.browser.request("POST", "/pay/status/")
    while done.status_code in (301, 302, 303):
        done = journey.browser.request("GET", done.headers["Location"])
    journey.seconds += time.perf_counter() - started
    if 'id="order-number"' not in done.text:
        raise RuntimeError("the meal's order got no number")


def _meal_from_the_offer(journey: Journey, products: Products) -> None:
    """The burger, "make it a meal": yes (the meal with its usual parts), paid."""
    done = _meal_with_offer(journey.browser, products)
    journey.taps += done.taps
    journey.seconds += done.seconds
    _pay(journey)


def _figures(journeys: list[Journey]) -> dict[str, object]:
    return {
        "taps": percentiles([float(j.taps) for j in journeys], digits=1),
        "seconds": percentiles([j.seconds for j in journeys], digits=3),
        "ms_per_tap": percentiles(
            [1000 * j.seconds / j.taps for j in journeys], digits=1
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    customers = max(1, min(args.customers, 300))
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as data_dir:
        env = bench_env(data_dir)
        tokens, products = _prepare(env)
        ids = _meal_ids()
        with daphne_start(env) as server:
            browser = _browser(server.base, tokens[BURGER_KIOSK])
            # Take rates: a Whopper or medium fries, then yes or no to the offer.
            for _ in range(customers):
                _take_rate_customer(browser, products, rng)
            take_rates = _take_rates()
            timed: dict[str, list[Journey]] = {}
            bare_ms: list[float] = []
            for _ in range(customers):
                _rule_active("meal", active=False)
                journey = Journey(browser)
                _meal_order(journey, ids, rng)
                timed.setdefault("step by step from the Meals tab", []).append(journey)
                _finish(journey)
                _rule_active("meal", active=True)
                journey = Journey(browser)
                _meal_from_the_offer(journey, products)
                timed.setdefault("the burger, then yes to the meal offer", []).append(
                    journey
                )
                _finish(journey)
                for _tap in range(journey.taps):
                    started = time.perf_counter()
                    browser.request("GET", "/healthz/")
                    bare_ms.append((time.perf_counter() - started) * 1000)
    report = {
        "benchmark": "a Whopper meal to its order number over HTTP (daphne, SQLite)",
        "customers": customers,
        "seed": args.seed,
        "time_to_order_a_meal": {
            name: _figures(journeys) for name, journeys in timed.items()
        },
        "bare_view_ms_per_request": percentiles(bare_ms, digits=1),
        "upsell_take_rate_per_rule": take_rates,
        "large_fries_probability_percent": round(100 * LARGE_FRIES_PROBABILITY),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    try:
        main()
    except requests.RequestException as err:
        raise SystemExit(f"the kiosk server did not answer: {err}") from err
