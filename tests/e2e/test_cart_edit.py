"""Changing and undoing from the cart, and the store's attract screen, in Chromium."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from kiosk.models import Kiosk, ModifierGroup, Order, OrderLine, Product
from tests.e2e.helpers import (
    add_simple_product,
    money,
    open_product,
    optional_paid_group,
    simple_product,
    start_order,
)
from tests.e2e.test_accessibility import (
    axe_violations,
    controls_above,
    covered_controls,
    walk_an_order,
)


def _cooking(product: Product) -> ModifierGroup:
    return product.modifier_groups.get(min_choices=1, max_choices=1)


def test_a_guest_changes_the_cooking_of_a_burger_from_the_cart(
    kiosk_page: Page, burger_kiosk: Kiosk
):
    page = kiosk_page
    angus = Product.objects.get(store=burger_kiosk.store, plu="4108")
    cooking = _cooking(angus)
    pink, _medium, well_done = cooking.options.order_by("position")
    extras, extra_id, extra_price = optional_paid_group(angus)
    start_order(page)
    open_product(page, angus)
    page.check(f"#group-{cooking.pk}-option-{pink.pk}")
    page.check(f"#group-{extras.pk}-option-{extra_id}")
    price = angus.price + extra_price
    expect(page.locator("#add-to-order")).to_contain_text(money(price))
    page.click("#add-to-order")
    page.click("#view-order")
    line = OrderLine.objects.get(parent=None)

    page.click(f"#line-{line.pk}-edit")
    expect(page.locator(f"#group-{cooking.pk}-option-{pink.pk}")).to_be_checked()
    expect(page.locator(f"#group-{extras.pk}-option-{extra_id}")).to_be_checked()
    assert axe_violations(page) == []
    page.check(f"#group-{cooking.pk}-option-{well_done.pk}")
    expect(page.locator("#add-to-order")).to_have_text(f"Update · {money(price)}")
    page.click("#add-to-order")

    row = page.locator(f"#line-{line.pk}")
    expect(row).to_contain_text("Well done")
    expect(row).not_to_contain_text("Pink")
    expect(page.locator("#order-total")).to_have_text(money(price))
    assert page.url.endswith("/cart/")
    updated = OrderLine.objects.get(parent=None)
    assert updated.pk == line.pk
    assert sorted(updated.children.values_list("modifier_option_id", flat=True)) == (
        sorted([well_done.pk, extra_id])
    )
    assert Order.objects.get().total == price


def test_a_guest_removes_a_line_then_puts_it_back(kiosk_page: Page):
    page = kiosk_page
    fries = simple_product("burger-demo", "4102")
    start_order(page)
    add_simple_product(page, fries)
    page.click("#view-order")
    line = OrderLine.objects.get(parent=None)
    total = page.locator("#order-total").inner_text()

    page.click(f"#line-{line.pk}-remove")
    expect(page.locator("#undo")).to_be_visible()
    expect(page.locator(f"#line-{line.pk}")).to_have_count(0)
    assert axe_violations(page) == []
    page.click("#undo-remove")

    expect(page.locator(".cart-line")).to_have_count(1)
    expect(page.locator("#order-total")).to_have_text(total)
    assert [line.product_id for line in OrderLine.objects.filter(parent=None)] == [
        fries.pk
    ]


def test_undo_goes_away_by_itself(kiosk_page: Page):
    page = kiosk_page
    start_order(page)
    add_simple_product(page, simple_product("burger-demo", "4102"))
    page.click("#view-order")
    page.click(".cart-line [id$='-remove']")

    expect(page.locator("#undo")).to_be_visible()
    expect(page.locator("#undo")).to_have_count(0, timeout=15_000)


def test_the_attract_screen_shows_the_stores_slides_in_turn(
    kiosk_page: Page, burger_kiosk: Kiosk
):
    page = kiosk_page
    slides = page.locator(".attract-slide")

    expect(slides).to_have_count(3)
    expect(slides.nth(0)).to_be_visible()
    expect(slides.nth(0)).to_contain_text("Flame-grilled menus")
    expect(page.locator("#start")).to_be_visible()
    background = page.locator("#main").evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert background == "rgb(139, 26, 14)"
    assert axe_violations(page) == []

    expect(slides.nth(1)).to_be_visible(timeout=15_000)
    expect(slides.nth(0)).to_be_hidden()
    expect(page.locator("#start")).to_be_visible()


def test_the_language_switch_keeps_the_guest_on_the_cart(kiosk_page: Page):
    page = kiosk_page
    start_order(page)
    add_simple_product(page, simple_product("burger-demo", "4102"))
    page.click("#view-order")

    page.click("#language-fr")

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#go-checkout")).to_have_text("Valider la commande")
    assert page.url.endswith("/cart/")


def test_every_screen_with_the_language_switch_stays_accessible(kiosk_page: Page):
    """The walk of the accessibility checks, with this branch's screens: the
    branded attract screen and the language switch in every header."""
    page = kiosk_page
    found: dict[str, list[str]] = {}

    def check(screen: str) -> None:
        # Covered controls first: the failed payment screen goes back to the
        # order by itself a few seconds later, sooner than axe may take.
        problems = covered_controls(page)
        problems += [] if page.locator("#main .language-switch").count() else ["switch"]
        problems += axe_violations(page)
        if problems and not (screen == "attract" and problems == ["switch"]):
            found[screen] = problems

    walk_an_order(page, check)

    assert found == {}


def test_low_reach_keeps_the_new_controls_in_the_lower_part(kiosk_page: Page):
    page = kiosk_page
    page.click("#toggle-low-reach")
    expect(page.locator("body")).to_have_class("kiosk low-reach")
    found: dict[str, list[str]] = {}

    def check(screen: str) -> None:
        above = controls_above(page, 0.42)
        if above:
            found[screen] = above

    walk_an_order(page, check)

    assert found == {}


def test_the_branded_attract_screen_passes_axe_in_high_contrast(kiosk_page: Page):
    page = kiosk_page
    page.click("#toggle-high-contrast")
    expect(page.locator("#toggle-high-contrast")).to_have_attribute(
        "aria-pressed", "true"
    )

    expect(page.locator(".attract-slides")).to_be_hidden()
    expect(page.locator("#start")).to_be_in_viewport()
    expect(page.locator("#toggle-low-reach")).to_be_in_viewport()
    assert axe_violations(page) == []
