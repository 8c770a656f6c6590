"""Idle reset, language, accessibility modes and keyboard-only ordering."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from kiosk.models import Order
from tests.e2e.helpers import (
    add_simple_product,
    open_product,
    outside,
    simple_product,
    start_order,
    tab_to,
)


def test_idle_reset_clears_the_cart(kiosk_page: Page):
    page = kiosk_page
    page.clock.install()
    page.reload()
    start_order(page)
    add_simple_product(page, simple_product("burger-demo", "4102"))

    page.clock.run_for(90_000)
    dialog = page.locator("#idle-warning")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-idle-countdown]")).to_have_text("20")
    page.clock.run_for(21_000)

    expect(page.locator("#start")).to_be_visible()
    assert Order.objects.get().state == "cancelled"
    start_order(page)
    expect(page.locator("#cart-bar")).to_contain_text("Your order is empty.")


def test_i_am_still_here_keeps_the_order(kiosk_page: Page):
    page = kiosk_page
    page.clock.install()
    page.reload()
    start_order(page)
    add_simple_product(page, simple_product("burger-demo", "4102"))
    # "Added" lies over the screen, the title bar still at the top, and goes.
    added = page.locator(".messages .notice-success")
    expect(added).to_have_text("Added to your order.")
    header = page.locator(".topbar").bounding_box()
    assert header is not None
    assert header["y"] == 0
    page.clock.run_for(5_000)
    expect(added).to_have_count(0)

    page.clock.run_for(90_000)
    page.click("[data-idle-continue]")
    page.clock.run_for(60_000)

    expect(page.locator("#idle-warning")).to_be_hidden()
    expect(page.locator("#view-order")).to_be_visible()
    assert Order.objects.get().state == "draft"


def test_no_idle_reset_during_payment(kiosk_page: Page):
    page = kiosk_page
    page.clock.install()
    page.reload()
    start_order(page)
    add_simple_product(page, simple_product("burger-demo", "4102"))
    page.click("#view-order")
    page.click("#go-checkout")
    page.click("#pay-card")
    expect(page.locator("#payment-status")).to_have_attribute("data-payment", "pending")

    page.clock.run_for(200_000)

    expect(page.locator("#idle-warning")).to_be_hidden()
    expect(page.locator("#payment-status")).to_have_attribute("data-payment", "pending")
    assert Order.objects.get().state == "awaiting_payment"


def test_language_switch_and_back_to_the_store_default_at_reset(kiosk_page: Page):
    page = kiosk_page
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Français").click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#start")).to_have_text("Touchez pour commencer votre commande")
    start_order(page)
    expect(page.locator("#cart-bar")).to_contain_text("Votre commande est vide.")
    page.click("#cancel-order")
    page.click("[data-confirm-yes]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#start")).to_have_text("Touch to start your order")


def test_keyboard_only_order(kiosk_page: Page):
    page = kiosk_page
    fries = simple_product("burger-demo", "4102")

    for selector in [
        "#start",
        "#mode-take_away",
        f"#category-{fries.category_id}",
        f"#product-{fries.pk}",
    ]:
        tab_to(page, selector)
        page.keyboard.press("Enter")
    tab_to(page, "#quantity-more")
    page.keyboard.press("Enter")
    expect(page.locator("#quantity-value")).to_have_text("2")
    for selector in ["#add-to-order", "#view-order", "#go-checkout", "#pay-card"]:
        tab_to(page, selector)
        page.keyboard.press("Enter")
    tab_to(page, "#simulate-approve")
    page.keyboard.press("Enter")

    expect(page.locator("#order-number")).to_have_text("1")
    order = Order.objects.get()
    assert (order.state, order.service_mode) == ("paid", "take_away")
    assert order.lines.get(parent=None).quantity == 2


def test_a_reload_after_a_form_error_shows_the_product_and_escape_goes_back(
    kiosk_page: Page,
):
    page = kiosk_page
    angus = simple_product("burger-demo", "4108")  # its cooking must be chosen
    start_order(page)
    open_product(page, angus)
    page.click("#add-to-order")
    expect(page.locator(".field-error")).to_be_visible()

    page.reload()

    expect(page.locator("#product-title")).to_have_text(angus.name)
    expect(page.locator(".field-error")).to_have_count(0)
    page.keyboard.press("Escape")
    # Back where the product was chosen: its category, not the first one.
    expect(page.locator(f"#category-{angus.category_id}")).to_have_attribute(
        "aria-current", "page"
    )


def test_high_contrast_mode_enlarges_text_and_keeps_it_in_view(kiosk_page: Page):
    """On a portrait screen: every category on screen, every price inside its option."""
    page = kiosk_page
    page.set_viewport_size({"width": 900, "height": 1600})
    combo = simple_product("burger-demo", "4001")

    page.click("#toggle-high-contrast")

    expect(page.locator("body")).to_have_class("kiosk high-contrast")
    size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert size == "27px"
    start_order(page)
    assert page.locator(".category-tab").count() == 7
    assert outside(page, ".category-tab", ".categories") == []
    open_product(page, combo)
    prices = page.locator(".option-price").count()
    assert outside(page, ".option-price", ".option") == []
    page.click("#meal-next")
    expect(page.locator("[aria-current='step']")).to_contain_text("2")
    prices += page.locator(".option-price").count()
    assert prices > 5
    assert outside(page, ".option-price", ".option") == []
