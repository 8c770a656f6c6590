"""Small steps shared by the browser flows."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import connections
from playwright.sync_api import BrowserContext, FrameLocator, Page, expect

from kiosk.models import ModifierGroup, Product
from kiosk.money import format_money

T = TypeVar("T")


def money(amount: int, language: str = "en") -> str:
    return format_money(amount, "EUR", language)


def start_order(page: Page, mode: str = "eat_in") -> None:
    page.click("#start")
    page.click(f"#mode-{mode}")
    expect(page.locator("#category-title")).to_be_visible()


def show_category_of(page: Page, product: Product) -> None:
    category = page.locator(f"#category-{product.category_id}")
    if category.get_attribute("aria-current") != "page":
        category.click()
        # As a guest does: the category shows before its product is tapped.
        expect(category).to_have_attribute("aria-current", "page")


def open_product(page: Page, product: Product) -> None:
    show_category_of(page, product)
    page.click(f"#product-{product.pk}")
    # A meal opens on its first step, other products on their sheet.
    expect(page.locator("#add-to-order, #meal-next")).to_be_visible()


def meal_to_summary(page: Page) -> int:
    """Tap "Next" through a meal's steps to its summary; the taps it took."""
    taps = 0
    while page.locator("#meal-next").count():
        step = page.locator("[aria-current='step']").inner_text()
        page.click("#meal-next")
        taps += 1
        expect(page.locator("[aria-current='step']")).not_to_have_text(step)
    expect(page.locator("#add-to-order")).to_be_visible()
    return taps


def choose_required(page: Page, product: Product, prefix: str = "") -> None:
    """Tick the first option of every required group that has no default."""
    for group in product.modifier_groups.all():
        if group.min_choices and not group.options.filter(is_default=True).exists():
            for option in group.options.order_by("position", "id")[: group.min_choices]:
                page.check(f"#{prefix}group-{group.pk}-option-{option.pk}")


def simple_product(store_slug: str, plu: str) -> Product:
    return Product.objects.get(store__slug=store_slug, plu=plu)


def add_simple_product(page: Page, product: Product) -> None:
    open_product(page, product)
    choose_required(page, product)
    page.click("#add-to-order")
    expect(page.locator("#view-order")).to_be_visible()


def optional_paid_group(product: Product) -> tuple[ModifierGroup, int, int]:
    """A group of `product` whose options cost extra and that may take one more."""
    for group in product.modifier_groups.order_by("productmodifiergroup__position"):
        option = (
            group.options.filter(price__gt=0, is_available=True)
            .order_by("position")
            .first()
        )
        if option is not None and not option.is_default and group.max_choices > 1:
            return group, option.pk, option.price
    raise AssertionError(f"{product} has no optional paid extra")


def outside(page: Page, selector: str, container: str) -> list[str]:
    """Elements matching `selector` not wholly inside their closest `container`
    (whose overflow would clip or spill them) and the width of the screen."""
    found: list[str] = page.locator(selector).evaluate_all(
        """(elements, container) => elements.filter(e => {
            const box = e.getBoundingClientRect();
            const around = e.closest(container).getBoundingClientRect();
            const inside = (outer) => box.left >= outer.left - 0.5
                && box.right <= outer.right + 0.5 && box.top >= outer.top - 0.5
                && box.bottom <= outer.bottom + 0.5;
            return !(inside(around) && box.left >= 0 && box.right <= innerWidth);
        }).map(e => e.id || e.textContent.trim())""",
        container,
    )
    return found


def tab_to(page: Page, selector: str, presses: int = 150) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    target = page.locator(selector)
    for _ in range(presses):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with Tab")


def off_the_page_thread(function: Callable[[], T]) -> T:
    """Run server-side code (a broadcast, the outbox) away from Playwright's
    event-loop thread, where channel layer calls cannot run."""

    def run() -> T:
        try:
            return function()
        finally:
            connections.close_all()  # the thread's own connection ends with it

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=30)


def pay_by_card_on_the_terminal_screen(page: Page) -> FrameLocator:
    """Fries to the payment screen; the emulated terminal, framed beside the
    amount in place of the simulator's keys, waits for the card."""
    fries = simple_product("burger-demo", "4102")
    start_order(page, mode="take_away")
    add_simple_product(page, fries)
    page.click("#view-order")
    page.click("#go-checkout")
    page.click("#pay-card")
    expect(page.locator("#payment-amount")).to_have_text(money(fries.price))
    terminal = page.frame_locator("#terminal-screen")
    expect(terminal.locator(".message")).to_have_text("Present card")
    expect(terminal.locator(".amount")).to_contain_text(f"{fries.price / 100:.2f}")
    assert page.locator("#simulate-approve").count() == 0
    return terminal


def refund_from_admin(context: BrowserContext, server: str, order_pk: int) -> Page:
    """A manager refunds the order with admin's action; the admin page after it."""
    User.objects.create_superuser("manager", password="manager-password")
    admin = context.new_page()
    admin.goto(f"{server}/admin/kiosk/order/")
    admin.fill("#id_username", "manager")
    admin.fill("#id_password", "manager-password")
    admin.click("input[type=submit]")
    admin.check(f"input[name=_selected_action][value='{order_pk}']")
    admin.select_option("select[name=action]", "refund_paid")
    admin.click("button[name=index]")
    return admin
