"""The screen checks of `make screenshots` on a few screens, so CI guards them.

The full walk (`tests/e2e/walk_screenshots.py`) takes minutes; here the menu
and a meal step, portrait and landscape, normal and high contrast, and the
checker itself on a page built to fail it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kiosk.models import Kiosk, Product
from tests.e2e.helpers import open_product, start_order
from tests.e2e.screens import screen_problems


@pytest.mark.parametrize(
    ("width", "height", "look"),
    [
        (1080, 1920, "normal"),
        (1920, 1080, "normal"),
        (1080, 1920, "high-contrast"),
        (1920, 1080, "high-contrast"),
    ],
    ids=["portrait", "landscape", "portrait-large-text", "landscape-large-text"],
)
def test_the_menu_and_a_meal_step_have_no_clipped_overlapping_or_empty_boxes(
    kiosk_page: Page, burger_kiosk: Kiosk, width: int, height: int, look: str
):
    page = kiosk_page
    page.set_viewport_size({"width": width, "height": height})
    if look == "high-contrast":
        page.click("#toggle-high-contrast")
        expect(page.locator("body")).to_have_class("kiosk high-contrast")
    found: dict[str, list[str]] = {"attract": screen_problems(page)}
    start_order(page)
    found["menu"] = screen_problems(page)
    open_product(page, Product.objects.get(store=burger_kiosk.store, plu="4001"))
    page.click("#meal-next")
    expect(page.locator("[aria-current='step']")).to_contain_text("2")
    found["meal side"] = screen_problems(page)

    assert {screen: problems for screen, problems in found.items() if problems} == {}


def test_the_checker_finds_clipped_text_overlapping_controls_and_empty_boxes(
    kiosk_page: Page,
):
    page = kiosk_page
    # A blank page: the kiosk's own pages allow no inline style.
    page.goto("about:blank")
    page.set_content(
        """<!doctype html><body>
        <p id="narrow" style="width:40px;overflow:hidden;white-space:nowrap">A sentence far too long</p>
        <button id="one" style="position:absolute;top:100px;left:100px;width:120px;height:60px">One</button>
        <button id="two" style="position:absolute;top:120px;left:150px;width:120px;height:60px">Two</button>
        <button id="blank" style="position:absolute;top:300px;left:100px;width:60px;height:60px"></button>
        <p>Price \ufffd</p>
        </body>"""
    )

    problems = screen_problems(page)

    assert any(p.startswith("clipped text: #narrow") for p in problems)
    assert any(
        p.startswith("overlapping controls: #one") and "#two" in p for p in problems
    )
    assert "empty box: #blank" in problems
    assert "missing glyph: U+FFFD" in problems


def _low_and_large(page: Page, selector: str) -> list[str]:
    """Controls matching `selector` smaller than 48 px or not in the lower half."""
    height = page.viewport_size["height"] if page.viewport_size else 0
    wrong: list[str] = page.locator(selector).evaluate_all(
        """(elements, half) => elements
            .filter(e => e.offsetParent)
            .filter(e => {
                const box = e.getBoundingClientRect();
                return box.height < 48 || box.width < 48 || box.top < half;
            })
            .map(e => e.id || e.outerHTML.slice(0, 60))""",
        height / 2,
    )
    assert page.locator(selector).count() > 0, selector
    return wrong


def test_portrait_puts_every_critical_action_low_as_a_large_button(
    kiosk_page: Page, burger_kiosk: Kiosk
):
    page = kiosk_page
    page.set_viewport_size({"width": 1080, "height": 1920})
    fries = Product.objects.get(store=burger_kiosk.store, plu="4102")
    found: dict[str, list[str]] = {}
    start_order(page)
    found["menu"] = _low_and_large(page, "#cancel-order")
    open_product(page, fries)
    found["product"] = _low_and_large(page, "#cancel-order, [data-back], #add-to-order")
    page.click("#add-to-order")
    page.click("#view-order")
    expect(page.locator("#go-checkout")).to_be_visible()
    found["cart"] = _low_and_large(
        page, "#cancel-order, [data-back], .cart-line [id$='-remove'], #go-checkout"
    )
    page.click("#go-checkout")
    expect(page.locator("#pay-card")).to_be_visible()
    found["checkout"] = _low_and_large(page, "#cancel-order, [data-back], #pay-card")
    page.click("#pay-card")
    expect(page.locator("#payment-cancel")).to_be_visible()
    found["payment"] = _low_and_large(page, "#payment-cancel")

    assert {screen: wrong for screen, wrong in found.items() if wrong} == {}
