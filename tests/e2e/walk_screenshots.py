"""`make screenshots`: every customer screen, photographed and checked.

Starts the app as the browser flows do (daphne on a free port, the demo
stores, the Pongo sandbox, Debian's Chromium), then walks an order at the
burger restaurant and the loyalty screens at the brasserie on a portrait
(1080x1920) and a landscape (1920x1080) screen, in English and French, in the
normal look and in high contrast with large text. Each screen becomes a PNG
in `SCREENSHOTS_DIR` (default `screenshots/`) and is checked for clipped
text, overlapping controls and empty boxes (`tests/e2e/screens.py`). A JSON
summary is printed; any problem fails the run.

Not collected with the suite (its name does not start with `test_`): the
walk takes minutes. `tests/e2e/test_screens.py` keeps CI on a few screens.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product as combinations
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from kiosk.models import Kiosk, Product
from sandboxes.pongo.control import PongoSandboxControl
from tests.caching import caches_clear
from tests.e2e.conftest import provision
from tests.e2e.helpers import choose_required, open_product
from tests.e2e.screens import screen_problems

VIEWPORTS = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
LANGUAGES = ("en", "fr")
LOOKS = ("normal", "high-contrast")

Shoot = Callable[[str], None]


def _folder() -> Path:
    folder = Path(os.environ.get("SCREENSHOTS_DIR", "screenshots")).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _choose_look(page: Page, language: str, look: str) -> None:
    """On the attract screen: the language, then the accessibility mode."""
    page.click(f".toggle-row button[name=language][value={language}]")
    expect(page.locator("html")).to_have_attribute("lang", language)
    if look == "high-contrast":
        page.click("#toggle-high-contrast")
        expect(page.locator("#toggle-high-contrast")).to_have_attribute(
            "aria-pressed", "true"
        )


def _burger_walk(page: Page, shoot: Shoot, store: str) -> None:
    angus = Product.objects.get(store__slug=store, plu="4108")
    meal = Product.objects.get(store__slug=store, plu="4001")
    shoot("attract")
    page.click("#start")
    expect(page.locator("#mode-eat_in")).to_be_visible()
    shoot("service-mode")
    page.click("#mode-eat_in")
    expect(page.locator("#category-title")).to_be_visible()
    shoot("menu")
    open_product(page, angus)
    shoot("product-sheet")
    choose_required(page, angus)
    page.click("#add-to-order")
    expect(page.locator("#view-order")).to_be_visible()
    shoot("menu-after-adding")
    open_product(page, meal)
    for step in ("main", "side", "drink"):
        shoot(f"meal-{step}")
        current = page.locator("[aria-current='step']").inner_text()
        page.click("#meal-next")
        expect(page.locator("[aria-current='step']")).not_to_have_text(current)
    shoot("meal-summary")
    page.click("#add-to-order")
    page.click("#view-order")
    expect(page.locator("#go-checkout")).to_be_visible()
    shoot("cart")
    page.click("#go-checkout")
    expect(page.locator("#pay-card")).to_be_visible()
    shoot("checkout")
    page.click("#pay-card")
    expect(page.locator("#payment-status")).to_have_attribute("data-payment", "pending")
    shoot("payment")
    page.click("#simulate-decline")
    expect(page.locator("#payment-failed")).to_be_visible()
    shoot("payment-declined")
    page.click("#payment-retry")
    expect(page.locator("#payment-status")).to_have_attribute("data-payment", "pending")
    page.click("#simulate-approve")
    expect(page.locator("#order-number")).to_be_visible()
    shoot("confirmation")
    page.goto(page.url.replace("/done/", "/nowhere/"))
    expect(page.locator("#error-start-over")).to_be_visible()
    shoot("error")
    page.click("#error-start-over")
    expect(page.locator("#start")).to_be_visible()


def _counter_walk(page: Page, shoot: Shoot, store: str) -> None:
    """A second order paid at the counter: the number to take there."""
    fries = Product.objects.get(store__slug=store, plu="4102")
    page.click("#start")
    page.click("#mode-take_away")
    open_product(page, fries)
    page.click("#add-to-order")
    page.click("#view-order")
    page.click("#go-checkout")
    page.click("#pay-counter")
    expect(page.locator("#order-number")).to_be_visible()
    shoot("pay-at-counter")


def _brasserie_walk(page: Page, shoot: Shoot) -> None:
    page.click("#start")
    page.click("#mode-eat_in")
    expect(page.locator("#identify-phone")).to_be_visible()
    shoot("identify")
    page.click("#identify-phone")
    for digit in "0612345678":
        page.click(f"#key-{digit}")
    shoot("phone-keypad")
    page.click("#phone-ok")
    expect(page.locator("#member-greeting")).to_be_visible()
    shoot("rewards-panel")


@dataclass
class Camera:
    """Photographs and checks the screens of one walk into the shared results."""

    folder: Path
    results: list[dict[str, object]]
    page: Page
    walk: str
    orientation: str
    language: str
    look: str

    def __call__(self, screen: str) -> None:
        page = self.page
        name = (
            f"{self.walk}-{screen}-{self.orientation}-{self.language}-{self.look}.png"
        )
        # The swap settled and its pictures loaded, as a customer sees it.
        page.wait_for_function(
            "() => [...document.images].every(image => image.complete)"
        )
        page.wait_for_timeout(150)
        page.screenshot(path=str(self.folder / name))
        self.results.append(
            {
                "screen": f"{self.walk}/{screen}",
                "orientation": self.orientation,
                "language": self.language,
                "look": self.look,
                "file": name,
                "problems": screen_problems(page),
            }
        )


def test_walk_every_screen(
    browser: Browser,
    kiosk_server: str,
    burger_kiosk: Kiosk,
    brasserie_kiosk: Kiosk,
    pongo_sandbox: PongoSandboxControl,
) -> None:
    folder = _folder()
    results: list[dict[str, object]] = []
    for (orientation, size), language, look in combinations(
        VIEWPORTS.items(), LANGUAGES, LOOKS
    ):
        for kiosk, walk in ((burger_kiosk, "burger"), (brasserie_kiosk, "brasserie")):
            caches_clear()
            context = browser.new_context(
                viewport={"width": size[0], "height": size[1]}, locale="en-GB"
            )
            page = context.new_page()
            shoot = Camera(folder, results, page, walk, orientation, language, look)
            try:
                provision(page, kiosk_server, kiosk)
                _choose_look(page, language, look)
                if walk == "burger":
                    store = kiosk.store.slug
                    _burger_walk(page, shoot, store)
                    _choose_look(page, language, look)
                    _counter_walk(page, shoot, store)
                else:
                    _brasserie_walk(page, shoot)
            finally:
                context.close()
    failing = [result for result in results if result["problems"]]
    summary = {
        "folder": str(folder),
        "screenshots": len(results),
        "screens": sorted({str(r["screen"]) for r in results}),
        "with_problems": len(failing),
        "problems": failing,
    }
    sys.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    assert failing == [], f"{len(failing)} screens with problems, see summary.json"
