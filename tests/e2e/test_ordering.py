"""A guest orders and pays, in Chromium, against the demo burger store."""

from __future__ import annotations

from contextlib import suppress

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Route, expect

from hardware.models import PrintJob
from kiosk.models import Kiosk, LineKind, Order, Payment, Product
from tests.e2e.helpers import (
    add_simple_product,
    choose_required,
    meal_to_summary,
    money,
    open_product,
    optional_paid_group,
    outside,
    show_category_of,
    simple_product,
    start_order,
)


def test_a_guest_orders_a_combo_with_a_modifier_and_pays_by_card(
    kiosk_page: Page, burger_kiosk: Kiosk
):
    page = kiosk_page
    combo = Product.objects.get(store=burger_kiosk.store, plu="4001")
    main_slot = combo.combo_slots.get(kind="main")
    main = main_slot.choices.get(is_default=True).product
    group, option_id, extra_price = optional_paid_group(main)
    default_surcharges = sum(
        slot.choices.get(is_default=True).price for slot in combo.combo_slots.all()
    )
    # A sold-out choice with a surcharge: a price and a badge in one option.
    Product.objects.filter(store=burger_kiosk.store, plu="4117").update(
        is_available=False
    )
    start_order(page)
    assert outside(page, ".product-card .product-price", ".product-card") == []
    open_product(page, combo)
    choose_required(page, main, prefix=f"slot-{main_slot.pk}-")
    base = combo.price + default_surcharges
    expect(page.locator("#meal-total")).to_contain_text(money(base))

    page.check(f"#slot-{main_slot.pk}-group-{group.pk}-option-{option_id}")

    expect(page.locator("#meal-total")).to_contain_text(money(base + extra_price))
    page.click("#meal-next")
    expect(page.locator(".option .badge-sold-out")).to_have_count(1)
    assert outside(page, ".option-price, .option .badge", ".option") == []
    meal_to_summary(page)
    expect(page.locator("#add-to-order")).to_contain_text(money(base + extra_price))
    page.click("#add-to-order")
    page.click("#view-order")
    expect(page.locator("#order-total")).to_have_text(money(base + extra_price))
    page.click("#go-checkout")
    page.click("#pay-card")
    expect(page.locator("#payment-status")).to_have_attribute("data-payment", "pending")
    page.click("#simulate-approve")
    expect(page.locator("#order-number")).to_have_text("1")

    order = Order.objects.get()
    assert (order.state, order.number, order.total) == ("paid", 1, base + extra_price)
    combo_line = order.lines.get(parent=None)
    assert (combo_line.kind, combo_line.product_id) == (LineKind.COMBO, combo.pk)
    main_line = combo_line.children.get(combo_slot=main_slot)
    assert main_line.children.filter(modifier_option_id=option_id).count() == 1
    assert [p.status for p in Payment.objects.all()] == ["approved"]
    assert PrintJob.objects.filter(order=order).count() == 1


def test_a_declined_card_then_a_successful_retry(kiosk_page: Page):
    page = kiosk_page
    fries = simple_product("burger-demo", "4102")
    start_order(page, mode="take_away")
    add_simple_product(page, fries)
    page.click("#view-order")
    page.click("#go-checkout")
    page.click("#pay-card")
    page.click("#simulate-decline")
    expect(page.locator("#payment-failed")).to_contain_text("Your card was declined.")
    # The choices stay while a countdown shows when the screen goes back.
    expect(page.locator("#payment-back-countdown")).to_contain_text(
        "Back to your order in"
    )
    countdown = page.locator("#payment-back-countdown [data-countdown]")
    assert 1 <= int(countdown.inner_text()) <= 5
    expect(page.locator("#payment-counter")).to_be_visible()

    page.click("#payment-retry")
    expect(page.locator("#payment-status")).to_have_attribute("data-payment", "pending")
    page.click("#simulate-approve")

    expect(page.locator("#order-number")).to_have_text("1")
    order = Order.objects.get()
    assert order.state == "paid"
    assert list(order.payments.values_list("status", flat=True)) == [
        "declined",
        "approved",
    ]


def test_new_order_after_the_confirmation_starts_from_an_empty_cart(kiosk_page: Page):
    page = kiosk_page
    fries = simple_product("burger-demo", "4102")
    start_order(page)
    add_simple_product(page, fries)
    page.click("#view-order")
    page.click("#go-checkout")
    page.click("#pay-card")
    page.click("#simulate-approve")
    expect(page.locator("#order-number")).to_have_text("1")

    page.click("#new-order")
    start_order(page)

    expect(page.locator("#cart-bar")).to_contain_text("Your order is empty.")
    assert Order.objects.filter(state="draft").count() == 1
    assert Order.objects.get(state="paid").number == 1


def _held(page: Page, pattern: str) -> list[Route]:
    """Requests matching `pattern`, held back until the test lets them go."""
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    page.route(pattern, hold)
    return held


def _wait_for(page: Page, held: list[Route]) -> None:
    for _ in range(500):
        if held:
            return
        page.wait_for_timeout(10)
    raise AssertionError("the request never left the page")


def _release(route: Route) -> None:
    with suppress(PlaywrightError):  # the page aborted it: nothing to answer
        route.continue_()


def test_a_tap_on_a_screen_that_is_going_away_is_dropped(kiosk_page: Page):
    """A product tapped while another category loads never covers that category."""
    page = kiosk_page
    start_order(page)
    other = page.locator(".category-tab:not([aria-current])").first
    other_id = other.get_attribute("id")
    other_url = other.get_attribute("href")
    card = page.locator("a.product-card").first
    card_id = card.get_attribute("id")
    card_url = card.get_attribute("href")
    assert other_id
    assert other_url
    assert card_id
    assert card_url
    slow_category = _held(page, f"**{other_url}")
    product_requests = _held(page, f"**{card_url}")

    other.click()
    _wait_for(page, slow_category)
    page.click(f"#{card_id}")
    page.wait_for_timeout(200)
    assert product_requests == []  # it waits its turn behind the category
    _release(slow_category[0])

    expect(page.locator(f"#{other_id}")).to_have_attribute("aria-current", "page")
    page.wait_for_timeout(200)
    assert product_requests == []  # its screen is gone: the tap is dropped
    expect(page.locator("#add-to-order")).to_have_count(0)


def test_add_right_after_one_more_takes_the_new_quantity(kiosk_page: Page):
    """One more still loading when the guest taps Add: Add waits and adds two."""
    page = kiosk_page
    fries = simple_product("burger-demo", "4102")
    start_order(page)
    open_product(page, fries)
    choose_required(page, fries)
    slow_step = _held(page, "**/preview/")

    page.click("#quantity-more")
    _wait_for(page, slow_step)
    page.click("#add-to-order")
    page.wait_for_timeout(200)
    _release(slow_step[0])

    expect(page.locator("#view-order")).to_be_visible()
    line = Order.objects.get().lines.get(parent=None)
    assert (line.product_id, line.quantity) == (fries.pk, 2)


def test_each_tap_on_one_more_counts_while_the_last_is_loading(kiosk_page: Page):
    """Three quick taps on "One more", the first still loading: three more."""
    page = kiosk_page
    fries = simple_product("burger-demo", "4102")
    start_order(page)
    open_product(page, fries)
    choose_required(page, fries)
    slow_step = _held(page, "**/preview/")

    page.click("#quantity-more")
    _wait_for(page, slow_step)
    page.click("#quantity-more")
    page.click("#quantity-more")
    page.unroute("**/preview/")
    _release(slow_step[0])

    expect(page.locator("#quantity-value")).to_have_text("4")
    page.click("#add-to-order")
    expect(page.locator("#view-order")).to_be_visible()
    line = Order.objects.get().lines.get(parent=None)
    assert line.quantity == 4


def test_a_tap_that_does_not_go_through_says_so_and_the_next_one_works(
    kiosk_page: Page,
):
    page = kiosk_page
    fries = simple_product("burger-demo", "4102")
    start_order(page)
    show_category_of(page, fries)
    problem = page.locator("#connection-problem")
    expect(problem).to_be_hidden()

    page.route(
        f"**/product/{fries.pk}/", lambda route: route.abort("internetdisconnected")
    )
    page.click(f"#product-{fries.pk}")
    expect(problem).to_be_visible()
    expect(problem).to_have_text("That did not go through. Please try again.")
    page.unroute(f"**/product/{fries.pk}/")
    page.route(f"**/product/{fries.pk}/", lambda route: route.fulfill(status=500))
    page.click(f"#product-{fries.pk}")
    expect(problem).to_be_visible()
    expect(page.locator("#category-title")).to_be_visible()  # the menu stays usable

    page.unroute(f"**/product/{fries.pk}/")
    page.click(f"#product-{fries.pk}")
    expect(page.locator("#add-to-order")).to_be_visible()
    expect(problem).to_be_hidden()
