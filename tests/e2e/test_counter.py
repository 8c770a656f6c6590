"""Pay at the counter: the kiosk shows the number, staff confirm on the counter page."""

from __future__ import annotations

from django.contrib.auth.models import Permission, User
from playwright.sync_api import BrowserContext, Page, expect

from kiosk.models import Order
from tests.e2e.helpers import add_simple_product, money, simple_product, start_order


def _counter_user() -> None:
    user = User.objects.create_user("till", password="till-password", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="confirm_counter_payment")
    )


def test_pay_at_counter_confirmed_from_the_staff_page(
    kiosk_page: Page, kiosk_server: str, second_context: BrowserContext
):
    page = kiosk_page
    nuggets = simple_product("burger-demo", "4103")
    start_order(page)
    add_simple_product(page, nuggets)
    page.click("#view-order")
    page.click("#go-checkout")
    page.click("#pay-counter")
    expect(page.locator(".order-status")).to_contain_text("Please pay at the counter")
    expect(page.locator("#order-number")).to_have_text("1")
    order = Order.objects.get()
    expect(page.locator(".order-amount")).to_contain_text(money(order.total))
    assert order.state == "awaiting_payment"

    _counter_user()
    staff = second_context.new_page()
    staff.goto(f"{kiosk_server}/counter/burger-demo/")
    staff.fill("#id_username", "till")
    staff.fill("#id_password", "till-password")
    staff.click("input[type=submit]")
    staff.click("#counter-paid-1")
    expect(staff.locator(".notice-success")).to_contain_text("#1 paid.")

    # The kiosk's confirmation screen hears it over its websocket.
    expect(page.locator(".order-status")).to_contain_text(
        "Thank you! Your order number is"
    )
    order.refresh_from_db()
    payment = order.payments.get()
    assert payment.user is not None
    assert (order.state, payment.channel, payment.user.username) == (
        "paid",
        "counter",
        "till",
    )

    # The next customer is on the menu when the order is handed over: its new
    # state reaches the kiosk's page, which drops it without an error.
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    with page.expect_websocket() as opened:
        page.click("#new-order")
    start_order(page)
    with opened.value.expect_event("framereceived") as pushed:
        staff.click("#counter-complete-1")
    assert f"order-status-{order.uuid.hex}" in str(pushed.value)
    expect(page.locator("#category-title")).to_be_visible()
    page.wait_for_timeout(200)
    assert errors == []
