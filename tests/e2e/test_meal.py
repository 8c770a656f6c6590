"""A meal built step by step in Chromium: main, side, drink, then one line."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from kiosk.models import ComboChoice, Kiosk, LineKind, OrderLine, Product
from tests.e2e.helpers import choose_required, money, open_product, start_order
from tests.e2e.test_accessibility import axe_violations, controls_above


def _choice(combo: Product, kind: str, sku: str) -> ComboChoice:
    return ComboChoice.objects.get(slot__combo=combo, slot__kind=kind, product__sku=sku)


def _step(page: Page, number: int) -> None:
    expect(page.locator("[aria-current='step']")).to_contain_text(str(number))


def test_a_guest_builds_a_meal_step_by_step_then_changes_its_drink(
    kiosk_page: Page, burger_kiosk: Kiosk
):
    page = kiosk_page
    combo = Product.objects.get(store=burger_kiosk.store, plu="4001")
    side, large_fries = combo.combo_slots.get(kind="side"), None
    large_fries = _choice(combo, "side", "BRG-FRIES-L")
    shake = _choice(combo, "drink", "BRG-SHAKE")
    water = _choice(combo, "drink", "BRG-WATER")
    start_order(page)
    open_product(page, combo)

    # Main: picture cards, the running price, and no "Add" yet.
    _step(page, 1)
    cards = page.locator(".choice-card")
    expect(cards).to_have_count(3)
    assert cards.locator("img").count() == 3
    expect(page.locator("#meal-total")).to_have_text(f"Your meal: {money(combo.price)}")
    expect(page.locator("#add-to-order")).to_have_count(0)
    assert axe_violations(page) == []
    page.click("#meal-next")

    # Side: large fries add to the running price.
    _step(page, 2)
    page.click(f"label[for='slot-{side.pk}-choice-{large_fries.pk}']")
    expect(page.locator("#meal-total")).to_have_text(
        f"Your meal: {money(combo.price + large_fries.price)}"
    )
    # Back keeps what was chosen, and forward again.
    page.click("#meal-back")
    _step(page, 1)
    page.click("#meal-next")
    _step(page, 2)
    expect(page.locator(f"#slot-{side.pk}-choice-{large_fries.pk}")).to_be_checked()
    page.click("#meal-next")

    # Drink, then the meal.
    _step(page, 3)
    page.click(f"label[for='slot-{shake.slot_id}-choice-{shake.pk}']")
    price = combo.price + large_fries.price + shake.price
    expect(page.locator("#meal-total")).to_have_text(f"Your meal: {money(price)}")
    # The shake's flavour is required: "Next" stays and says so.
    page.click("#meal-next")
    expect(page.locator(".field-error")).to_be_visible()
    _step(page, 3)
    # "Next" at once after the flavour: it waits for the card's price, then goes.
    choose_required(page, shake.product, prefix=f"slot-{shake.slot_id}-")
    page.click("#meal-next")
    _step(page, 4)
    summary = page.locator(".meal-summary")
    expect(summary).to_contain_text(large_fries.product.name)
    expect(summary).to_contain_text(shake.product.name)
    expect(page.locator("#add-to-order")).to_have_text(f"Add to order · {money(price)}")
    assert axe_violations(page) == []
    page.click("#add-to-order")
    expect(page.locator("#view-order")).to_be_visible()

    line = OrderLine.objects.get(parent=None)
    assert (line.kind, line.product_id, line.total) == (LineKind.COMBO, combo.pk, price)
    assert line.children.count() == 3

    # From the cart: the meal opens on its summary; change the drink only.
    page.click("#view-order")
    page.click(f"#line-{line.pk}-edit")
    expect(page.locator(".meal-summary")).to_contain_text(shake.product.name)
    page.click("#meal-change-2")
    _step(page, 3)
    page.click(f"label[for='slot-{water.slot_id}-choice-{water.pk}']")
    page.click("#meal-next")
    _step(page, 4)
    new_price = combo.price + large_fries.price + water.price
    expect(page.locator("#add-to-order")).to_have_text(f"Update · {money(new_price)}")
    page.click("#add-to-order")

    expect(page.locator(f"#line-{line.pk}")).to_contain_text(water.product.name)
    updated = OrderLine.objects.get(parent=None)
    assert (updated.pk, updated.total) == (line.pk, new_price)
    assert set(updated.children.values_list("product_id", flat=True)) == {
        _choice(combo, "main", "BRG-WHOPPER").product_id,
        large_fries.product_id,
        water.product_id,
    }


def test_meal_steps_keep_their_buttons_low_in_low_reach(
    kiosk_page: Page, burger_kiosk: Kiosk
):
    page = kiosk_page
    combo = Product.objects.get(store=burger_kiosk.store, plu="4001")
    page.click("#toggle-low-reach")
    start_order(page)
    open_product(page, combo)
    page.click("#meal-next")
    _step(page, 2)

    assert controls_above(page, 0.42) == []
    assert axe_violations(page) == []
