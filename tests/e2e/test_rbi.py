"""RBI loyalty at the burger kiosk, in Chromium, against the RBI sandbox.

Seed codes: 222222 is Alex (1200 points) with a Free Drink and a personalised
"Your Whopper for 2.00" picked in the app; 111111 is Alex with nothing picked;
555555 is Kim (240 points).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from playwright.sync_api import BrowserContext, Page, expect

from kiosk.models import Kiosk, Order
from loyalty.demo import loyalty_demo_setup
from loyalty.models import OrderLoyalty
from loyalty.services.worker import outbox_run_once
from sandboxes.rbi.control import RbiSandboxControl
from tests.caching import caches_clear
from tests.e2e.helpers import (
    add_simple_product,
    money,
    off_the_page_thread,
    simple_product,
)
from tests.processes import Hardware

ALEX = "00000000-0000-4000-8000-000000000001"
KIM = "00000000-0000-4000-8000-000000000003"


@pytest.fixture
def rbi_page(
    kiosk_page: Page, burger_kiosk: Kiosk, rbi_sandbox: RbiSandboxControl
) -> Page:
    """The burger kiosk on RBI, at the identification step of an eat-in order."""
    caches_clear()  # Sanity content is cached per sandbox URL
    loyalty_demo_setup(stores=("burger-demo",))
    page = kiosk_page
    page.click("#start")
    page.click("#mode-eat_in")
    expect(page.locator("#identify-code")).to_be_visible()
    return page


def type_code(page: Page, code: str) -> None:
    page.click("#identify-code")
    for digit in code:
        page.click(f"#key-{digit}")
    page.click("#code-ok")


def session_of(order: Order) -> str:
    return OrderLoyalty.objects.get(order=order).session_reference


def pay_by_card(page: Page) -> None:
    page.click("#view-order")
    page.click("#go-checkout")
    page.click("#pay-card")
    page.click("#simulate-approve")
    expect(page.locator("#order-number")).to_be_visible()


def test_the_app_qr_code_brings_its_picks_and_the_points_follow_payment(
    rbi_page: Page, rbi_sandbox: RbiSandboxControl, hardware: Hardware
):
    page = rbi_page

    hardware.scan("222222")

    expect(page.locator("#member-greeting")).to_have_text("Hello Alex!")
    expect(page.locator("#incentive-eng-rwd-0001")).to_contain_text("On your order")
    expect(page.locator("#incentive-eng-pof-0001")).to_contain_text("On your order")
    page.click("#rewards-to-cart")
    expect(page.locator("#main")).to_contain_text("Soft Drink M")
    expect(page.locator("#main")).to_contain_text(money(200))
    order = Order.objects.get()
    assert rbi_sandbox.transaction(session_of(order))["status"] == "PENDING"

    page.click("#go-checkout")
    page.click("#pay-card")
    page.click("#simulate-approve")
    order.refresh_from_db()
    expect(page.locator("#order-number")).to_have_text(str(order.number))
    expect(page.locator("#loyalty-result")).to_contain_text("This order earns you 20")

    assert off_the_page_thread(outbox_run_once) == 1
    # The confirmation asks again on its own and shows what the claim gave.
    expect(page.locator("#loyalty-result")).to_contain_text("You earned 20 points.")
    expect(page.locator("#loyalty-result")).to_contain_text("Your balance: 970 points.")
    remote = rbi_sandbox.transaction(session_of(order))
    assert (remote["status"], remote["burnedPoints"]) == ("CLAIMED", 250)
    # The receipt printed at payment carries the validated forecast.
    expect(page.locator("#receipt-printed")).to_be_visible()
    [receipt] = hardware.receipts()
    text = " ".join(receipt["text"].split())
    assert "Points earned 20" in text
    assert "New balance 970" in text


def test_a_reward_short_of_points_is_disabled_until_the_points_are_there(
    rbi_page: Page, rbi_sandbox: RbiSandboxControl
):
    page = rbi_page
    type_code(page, "555555")
    expect(page.locator("#member-greeting")).to_have_text("Hello Kim!")
    expect(page.locator("#incentive-eng-rwd-0001")).to_contain_text(
        "You need 10 more points"
    )
    expect(page.locator("#add-eng-rwd-0001")).to_be_disabled()

    # Points earned elsewhere meanwhile: "Not you?" goes back to identification,
    # and a fresh code from the app brings the new balance.
    rbi_sandbox.set_points(KIM, 250)
    page.click("#not-me")
    type_code(page, rbi_sandbox.mint_code(KIM)["otp"])
    expect(page.locator("#points-balance")).to_have_text("250 points")
    page.click("#add-eng-rwd-0001")  # the drink needs its flavour
    expect(page.locator("#reward-note")).to_be_visible()
    page.click("#add-to-order")
    expect(page.locator(".cart-line .reward-note")).to_have_text(
        "Free with your points"
    )
    page.click("#add-more")
    add_simple_product(page, simple_product("burger-demo", "4103"))  # nuggets
    pay_by_card(page)

    off_the_page_thread(outbox_run_once)
    order = Order.objects.get(state="paid")
    remote = rbi_sandbox.transaction(session_of(order))
    assert (remote["status"], remote["burnedPoints"]) == ("CLAIMED", 250)


def test_pay_at_the_counter_holds_the_basket_and_the_counter_claims_it(
    rbi_page: Page,
    rbi_sandbox: RbiSandboxControl,
    kiosk_server: str,
    second_context: BrowserContext,
):
    page = rbi_page
    type_code(page, "222222")
    expect(page.locator("#member-greeting")).to_have_text("Hello Alex!")
    page.click("#rewards-to-cart")
    page.click("#go-checkout")
    page.click("#pay-counter")
    expect(page.locator(".order-status")).to_contain_text("Please pay at the counter")
    off_the_page_thread(outbox_run_once)
    order = Order.objects.get()
    held = rbi_sandbox.transaction(session_of(order))
    assert (held["status"], held["heldPoints"]) == ("PENDING", 250)

    user = User.objects.create_user("till", password="till-password", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="confirm_counter_payment")
    )
    staff = second_context.new_page()
    staff.goto(f"{kiosk_server}/counter/burger-demo/")
    staff.fill("#id_username", "till")
    staff.fill("#id_password", "till-password")
    staff.click("input[type=submit]")
    staff.click(f"#counter-paid-{order.number}")
    expect(staff.locator(".notice-success")).to_contain_text(f"#{order.number} paid.")

    off_the_page_thread(outbox_run_once)
    expect(page.locator("#loyalty-result")).to_contain_text("You earned 20 points.")
    assert rbi_sandbox.transaction(session_of(order))["status"] == "CLAIMED"


def test_an_abandoned_order_voids_the_transaction(
    rbi_page: Page, rbi_sandbox: RbiSandboxControl
):
    page = rbi_page
    type_code(page, "222222")
    expect(page.locator("#member-greeting")).to_have_text("Hello Alex!")
    order = Order.objects.get()
    assert rbi_sandbox.user(ALEX)["heldPoints"] == 250

    page.click("#cancel-order")
    page.click("[data-confirm-yes]")
    expect(page.locator("#start")).to_be_visible()

    off_the_page_thread(outbox_run_once)
    assert rbi_sandbox.transaction(session_of(order))["status"] == "VOID"
    assert rbi_sandbox.user(ALEX)["heldPoints"] == 0


def test_a_guest_order_is_posted_unclaimed(
    rbi_page: Page, rbi_sandbox: RbiSandboxControl
):
    page = rbi_page
    page.click("#identify-skip")
    add_simple_product(page, simple_product("burger-demo", "4103"))
    pay_by_card(page)
    expect(page.locator("#loyalty-result")).to_have_count(0)

    assert off_the_page_thread(outbox_run_once) == 1
    unclaimed = [
        r
        for r in rbi_sandbox.requests()
        if (r["method"], r["path"]) == ("POST", "/loyalty/transaction/pos")
    ]
    assert len(unclaimed) == 1
    assert unclaimed[0]["status"] == 200
