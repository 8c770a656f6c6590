"""A guest adds a burger, takes the meal offered, and checks out without a second offer."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from kiosk.models import Kiosk, Product, UpsellOffer, UpsellRule
from tests.e2e.helpers import choose_required, money, open_product, start_order
from tests.e2e.test_accessibility import axe_violations


def _rules_on(kiosk: Kiosk) -> None:
    """The demo's meal offer, and a drink before checkout that must not show too."""
    UpsellRule.objects.filter(store=kiosk.store, kind="meal").update(is_active=True)
    drink = UpsellRule.objects.create(
        store=kiosk.store,
        name="Drink before checkout",
        kind="add_product",
        trigger="before_checkout",
        title_en="Add a drink?",
        title_fr="Une boisson ?",
    )
    drink.offered_products.set(
        Product.objects.filter(store=kiosk.store, sku__in=["BRG-SHAKE", "BRG-WATER"])
    )


def _placed(page: Page, selector: str) -> tuple[bool, bool]:
    """In the lower half of the screen, and at least 48 px tall."""
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"] if page.viewport_size else 0
    assert box is not None
    return box["y"] >= height / 2, box["height"] >= 48


def test_a_guest_takes_the_meal_offered_and_is_not_asked_twice(
    kiosk_page: Page, burger_kiosk: Kiosk
):
    page = kiosk_page
    _rules_on(burger_kiosk)
    whopper = Product.objects.get(store=burger_kiosk.store, sku="BRG-WHOPPER")
    meal = Product.objects.get(store=burger_kiosk.store, sku="BRG-MEAL-WHOPPER-M")
    start_order(page)
    open_product(page, whopper)
    choose_required(page, whopper)

    page.click("#add-to-order")

    expect(page.locator("#upsell-accept")).to_have_text("Yes, add it")
    expect(page.locator(f"#upsell-card-{meal.pk}")).to_contain_text(
        money(meal.price - whopper.price)
    )
    assert axe_violations(page) == []
    buttons = ("#upsell-accept", "#upsell-decline")
    placed = [(button, *_placed(page, button)) for button in buttons]
    assert placed == [(button, True, True) for button in buttons]

    page.click("#upsell-accept")

    expect(page.locator(".cart-line-name").first).to_contain_text(meal.name)
    expect(page.locator(".cart-line")).to_have_count(1)
    page.click("#go-checkout")
    expect(page.locator("#pay-card")).to_be_visible()
    offers = list(UpsellOffer.objects.values_list("rule__kind", "accepted"))
    assert offers == [("meal", True)]
