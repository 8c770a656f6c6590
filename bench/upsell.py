"""Upsell offers against a real daphne process: take rates, and the time to a meal.

    .venv/bin/python bench/upsell.py [--customers 50] [--seed 7]

A fresh SQLite database with the demo stores and their upsell rules. Scripted
customers, each deciding with a seeded random draw, so two runs give the same
answers (only the timings move):

- take rate: at the burger restaurant a customer adds a Whopper (offered the
  meal) or medium fries (offered large ones) and answers; at the brasserie a
  customer adds a main and is offered a drink or dessert on the way to
  checkout. The figures are read back from the recorded offers, per rule.
- time to order a Whopper meal, from "start" to the checkout page, in the same
  run: with the meal offer (the burger, then "Yes, add it"), and without it
  (the rule off): the guest who starts from the burger and changes to the meal
  by hand, and the guest who goes straight to the meal.

Taps are the screen touches a guest makes; seconds are the time of the
requests those touches send (client and server on one machine, no reading
time). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

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

BURGER_KIOSK = "burger-kiosk-1"
BRASSERIE_KIOSK = "brasserie-borne-1"
# How likely a scripted customer is to say yes, by rule kind.
TAKE_PROBABILITY = {"meal": 0.5, "size_up": 0.35, "add_product": 0.3}
_CHECKED = re.compile(r'name="([\w-]+)" value="(\d+)"[^>]*checked')
_HIDDEN = re.compile(
    r'<input type="hidden" name="((?:slot|group)-[\w-]+|step)" value="(\d+)">'
)


@dataclass
class Products:
    whopper: int
    whopper_category: int
    meal: int
    fries: int
    fries_category: int
    brasserie_mains: list[int]


@dataclass
class Journey:
    """One customer's touches and the time of the requests they sent."""

    browser: Browser
    taps: int = 0
    seconds: float = 0.0
    pages: list[str] = field(default_factory=list)

    def tap(self, method: str, path: str, data: dict[str, str] | None = None) -> str:
        """A touch: the request it sends and the redirects the browser follows."""
        self.taps += 1
        started = time.perf_counter()
        response = self.browser.request(method, path, data=data)
        while response.status_code in (301, 302, 303):
            response = self.browser.request("GET", response.headers["Location"])
        self.seconds += time.perf_counter() - started
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code}")
        self.pages.append(response.url)
        return response.text


def _prepare(env: dict[str, str]) -> tuple[dict[str, str], Products]:
    demo_prepare(env)
    from kiosk.models import Product

    def product(sku: str) -> Product:
        return Product.objects.get(sku=sku)

    whopper, fries = product("BRG-WHOPPER"), product("BRG-FRIES-M")
    mains = Product.objects.filter(
        store__slug="brasserie-demo",
        category__name_en="Mains",
        is_active=True,
        modifier_groups__isnull=True,
    ).order_by("position")
    tokens = {
        code: provisioning_token(code) for code in (BURGER_KIOSK, BRASSERIE_KIOSK)
    }
    products = Products(
        whopper=whopper.pk,
        whopper_category=whopper.category_id or 0,
        meal=product("BRG-MEAL-WHOPPER-M").pk,
        fries=fries.pk,
        fries_category=fries.category_id or 0,
        brasserie_mains=[p.pk for p in mains[:4]],
    )
    return tokens, products


def _rule_active(kind: str, *, active: bool) -> None:
    from kiosk.models import UpsellRule

    UpsellRule.objects.filter(kind=kind).update(is_active=active)


def _start(journey: Journey) -> None:
    journey.tap("POST", "/start/")
    journey.tap("POST", "/mode/", {"mode": "eat_in"})
    journey.tap("GET", "/menu/")  # "skip" on the loyalty step


def _form(sheet: str) -> dict[str, str]:
    """What the sheet's form would post: choices ticked and fields carried along."""
    return {
        "quantity": "1",
        **dict(_HIDDEN.findall(sheet)),
        **dict(_CHECKED.findall(sheet)),
    }


def _add(journey: Journey, category: int, product: int) -> str:
    """Tap the category, the product, "Next" through a meal's steps, then "Add":
    the page shown after it."""
    journey.tap("GET", f"/menu/{category}/")
    sheet = journey.tap("GET", f"/product/{product}/")
    while 'id="meal-next"' in sheet:
        sheet = journey.tap(
            "POST", f"/product/{product}/preview/", {**_form(sheet), "step_move": "1"}
        )
    return journey.tap("POST", f"/product/{product}/add/", _form(sheet))


def _answer(journey: Journey, page: str, rng: random.Random) -> str | None:
    """Yes or no to the offer on `page`, if there is one: the rule kind and yes/no."""
    offer = re.search(r'name="offer" value="(\d+)"', page)
    if offer is None:
        return None
    from kiosk.models import UpsellOffer

    kind = UpsellOffer.objects.get(pk=offer[1]).rule.kind
    taken = rng.random() < TAKE_PROBABILITY[kind]
    if taken:
        chosen = _CHECKED.search(page.split('id="upsell-form"', 1)[1])
        data = {"offer": offer[1], **({"product": chosen[2]} if chosen else {})}
        journey.tap("POST", "/offer/accept/", data)
    else:
        journey.tap("POST", "/offer/decline/", {"offer": offer[1]})
    return kind


def _finish(journey: Journey) -> None:
    journey.browser.post("/reset/", reason="finished")


def _take_rate_customer(
    browser: Browser, products: Products, rng: random.Random
) -> None:
    journey = Journey(browser)
    _start(journey)
    if rng.random() < 0.6:
        page = _add(journey, products.whopper_category, products.whopper)
    else:
        page = _add(journey, products.fries_category, products.fries)
    _answer(journey, page, rng)
    journey.tap("GET", "/offer/?at=checkout")  # "Checkout": no second offer
    _finish(journey)


def _brasserie_customer(
    browser: Browser, products: Products, rng: random.Random
) -> None:
    from kiosk.models import Product

    journey = Journey(browser)
    _start(journey)
    main = Product.objects.get(pk=rng.choice(products.brasserie_mains))
    _add(journey, main.category_id or 0, main.pk)
    journey.tap("GET", "/cart/")
    page = journey.tap("GET", "/offer/?at=checkout")
    _answer(journey, page, rng)
    _finish(journey)


def _meal_with_offer(browser: Browser, products: Products) -> Journey:
    journey = Journey(browser)
    _start(journey)
    page = _add(journey, products.whopper_category, products.whopper)
    offer = re.search(r'name="offer" value="(\d+)"', page)
    if offer is None:
        raise RuntimeError("no meal offered after the Whopper")
    journey.tap("POST", "/offer/accept/", {"offer": offer[1]})  # lands on the cart
    journey.tap("GET", "/offer/?at=checkout")
    return journey


def _meal_by_hand(browser: Browser, products: Products) -> Journey:
    """Burger first, then the meal from the Meals tab, then the burger removed."""
    journey = Journey(browser)
    _start(journey)
    _add(journey, products.whopper_category, products.whopper)
    _add(journey, _meal_category(), products.meal)
    cart = journey.tap("GET", "/cart/")
    burger_line = re.findall(r'<li class="cart-line" id="line-(\d+)"', cart)[0]
    journey.tap("POST", "/cart/remove/", {"line": burger_line})
    journey.tap("GET", "/offer/?at=checkout")
    return journey


def _meal_first(browser: Browser, products: Products) -> Journey:
    journey = Journey(browser)
    _start(journey)
    _add(journey, _meal_category(), products.meal)
    journey.tap("GET", "/cart/")
    journey.tap("GET", "/offer/?at=checkout")
    return journey


def _meal_category() -> int:
    from kiosk.models import Product

    return Product.objects.get(sku="BRG-MEAL-WHOPPER-M").category_id or 0


def _figures(journeys: list[Journey]) -> dict[str, object]:
    if not all(j.pages[-1].endswith("/checkout/") for j in journeys):
        raise RuntimeError("a journey did not reach the checkout page")
    return {
        "taps": percentiles([float(j.taps) for j in journeys], digits=1),
        "seconds": percentiles([j.seconds for j in journeys], digits=3),
    }


def _take_rates() -> dict[str, dict[str, object]]:
    from kiosk.models import UpsellRule
    from kiosk.selectors import upsell_take_rates

    rates = upsell_take_rates()
    report: dict[str, dict[str, object]] = {}
    for rule in UpsellRule.objects.select_related("store"):
        rate = rates.get(rule.pk)
        if rate is None:
            continue
        report[f"{rule.store.slug}: {rule.name}"] = {
            "kind": rule.kind,
            "shown": rate.shown,
            "accepted": rate.accepted,
            "take_rate_percent": rate.rate,
            "scripted_probability_percent": round(100 * TAKE_PROBABILITY[rule.kind]),
        }
    return report


def _browser(base: str, token: str) -> Browser:
    browser = Browser(base)
    browser.provision(token)
    return browser


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    customers = max(1, min(args.customers, 500))
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as data_dir:
        env = bench_env(data_dir)
        tokens, products = _prepare(env)
        with daphne_start(env) as server:
            burger = _browser(server.base, tokens[BURGER_KIOSK])
            brasserie = _browser(server.base, tokens[BRASSERIE_KIOSK])
            for _ in range(customers):
                _take_rate_customer(burger, products, rng)
                _brasserie_customer(brasserie, products, rng)
            take_rates = _take_rates()
            timed: dict[str, list[Journey]] = {}
            for _ in range(customers):
                _rule_active("meal", active=True)
                journey = _meal_with_offer(burger, products)
                timed.setdefault("with the meal offer", []).append(journey)
                _finish(journey)
                _rule_active("meal", active=False)
                for name, script in (
                    ("without: burger first, meal by hand", _meal_by_hand),
                    ("without: straight to the meal", _meal_first),
                ):
                    journey = script(burger, products)
                    timed.setdefault(name, []).append(journey)
                    _finish(journey)
    report = {
        "benchmark": "upsell offers over HTTP (daphne, SQLite), scripted customers",
        "customers_per_store": customers,
        "seed": args.seed,
        "take_rate_per_rule": take_rates,
        "time_to_a_whopper_meal_at_checkout": {
            name: _figures(journeys) for name, journeys in timed.items()
        },
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    try:
        main()
    except requests.RequestException as err:
        raise SystemExit(f"the kiosk server did not answer: {err}") from err
