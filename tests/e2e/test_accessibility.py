"""axe-core on every page state of an order, and the low-reach band on each."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    add_simple_product,
    open_product,
    simple_product,
    start_order,
)


def axe_violations(page: Page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "axe.run(document, {resultTypes: ['violations'], runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']})"
    )
    return [
        f"{v['id']} ({v['impact']}): "
        + ", ".join(", ".join(n["target"]) for n in v["nodes"])
        for v in result["violations"]
    ]


def controls_above(page: Page, fraction: float) -> list[str]:
    """Visible controls of the screen whose top edge is above `fraction` of the height."""
    height = page.viewport_size["height"] if page.viewport_size else 0
    above: list[str] = page.locator(
        "#main a, #main button, #main input, #main output"
    ).evaluate_all(
        """(elements, limit) => elements
            .filter(e => e.offsetParent && e.getBoundingClientRect().height > 0)
            .filter(e => e.getBoundingClientRect().top < limit)
            .map(e => e.id || e.outerHTML.slice(0, 60))""",
        fraction * height,
    )
    return above


def covered_controls(page: Page) -> list[str]:
    """Buttons and links of the screen that something else covers at their centre,
    where a finger taps them (the development scan control is on in the flows)."""
    covered: list[str] = page.locator(
        "#main .button, #main .category-tab, #main a.product-card"
    ).evaluate_all(
        """elements => elements
            .filter(e => e.offsetParent && e.getBoundingClientRect().height > 0)
            .filter(e => {
                const box = e.getBoundingClientRect();
                return box.top >= 0 && box.left >= 0
                    && box.bottom <= innerHeight && box.right <= innerWidth;
            })
            .filter(e => {
                const box = e.getBoundingClientRect();
                const hit = document.elementFromPoint(
                    box.left + box.width / 2, box.top + box.height / 2);
                return !(hit && (hit === e || e.contains(hit)));
            })
            .map(e => e.id || e.outerHTML.slice(0, 60))"""
    )
    return covered


def walk_an_order(page: Page, check: Callable[[str], None]) -> None:
    """Visit every screen of an order by card, calling `check` on each."""
    fries = simple_product("burger-demo", "4102")
    check("attract")
    page.click("#start")
    expect(page.locator("#mode-eat_in")).to_be_visible()
    check("service mode")
    page.click("#mode-eat_in")
    expect(page.locator("#category-title")).to_be_visible()
    check("menu")
    open_product(page, fries)
    check("product sheet")
    page.click("#add-to-order")
    page.click("#view-order")
    expect(page.locator("#go-checkout")).to_be_visible()
    check("cart")
    page.click("#go-checkout")
    expect(page.locator("#pay-card")).to_be_visible()
    check("checkout")
    page.click("#pay-card")
    page.click("#simulate-decline")
    expect(page.locator("#payment-failed")).to_be_visible()
    check("failed payment")
    page.click("#payment-retry")
    expect(page.locator("#payment-status")).to_have_attribute("data-payment", "pending")
    check("payment")
    page.click("#simulate-approve")
    expect(page.locator("#order-number")).to_be_visible()
    check("confirmation")


def test_axe_finds_no_violation_on_any_screen(kiosk_page: Page):
    found: dict[str, list[str]] = {}

    def check(screen: str) -> None:
        violations = axe_violations(kiosk_page)
        if violations:
            found[screen] = violations

    walk_an_order(kiosk_page, check)

    assert found == {}


@pytest.mark.parametrize("mode", ["#toggle-low-reach", "#toggle-high-contrast"])
def test_axe_finds_no_violation_in_accessibility_modes(kiosk_page: Page, mode: str):
    kiosk_page.click(mode)
    found: dict[str, list[str]] = {}

    def check(screen: str) -> None:
        violations = axe_violations(kiosk_page)
        if violations:
            found[screen] = violations

    walk_an_order(kiosk_page, check)

    assert found == {}


def test_low_reach_keeps_every_control_of_every_screen_in_the_lower_part(
    kiosk_page: Page,
):
    kiosk_page.click("#toggle-low-reach")
    expect(kiosk_page.locator("body")).to_have_class("kiosk low-reach")
    found: dict[str, list[str]] = {}

    def check(screen: str) -> None:
        above = controls_above(kiosk_page, 0.42)
        if above:
            found[screen] = above

    walk_an_order(kiosk_page, check)

    assert found == {}


def test_nothing_covers_a_control_of_any_screen(kiosk_page: Page):
    expect(kiosk_page.locator("#development-scan")).to_have_count(1)
    found: dict[str, list[str]] = {}

    def check(screen: str) -> None:
        covered = covered_controls(kiosk_page)
        if covered:
            found[screen] = covered

    walk_an_order(kiosk_page, check)

    assert found == {}


def test_the_idle_warning_sits_in_the_lower_part_in_low_reach(kiosk_page: Page):
    page = kiosk_page
    page.clock.install()
    page.click("#toggle-low-reach")
    start_order(page)
    add_simple_product(page, simple_product("burger-demo", "4102"))

    page.clock.run_for(180_000)

    button = page.locator("[data-idle-continue]")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None
    assert box["y"] >= 0.42 * 900


def test_the_checker_reports_a_control_without_a_name(kiosk_page: Page):
    kiosk_page.evaluate(
        "document.getElementById('main').insertAdjacentHTML('beforeend', '<button id=\"nameless\"></button>')"
    )

    violations = axe_violations(kiosk_page)

    assert violations == ["button-name (critical): #nameless"]
