"""Pongo loyalty at the brasserie's kiosk, in Chromium, against the sandbox."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Page, expect

from kiosk.models import Kiosk, Order, Product
from loyalty.models import ConsentEvent, OrderLoyalty, OutboxMessage
from loyalty.services.worker import outbox_run_once
from sandboxes.pongo.control import PongoSandboxControl
from tests.caching import caches_clear
from tests.e2e.conftest import provision
from tests.e2e.helpers import money, off_the_page_thread, open_product
from tests.processes import Hardware


@pytest.fixture
def brasserie_page(
    page: Page,
    kiosk_server: str,
    brasserie_kiosk: Kiosk,
    pongo_sandbox: PongoSandboxControl,
) -> Page:
    """The brasserie's kiosk, switched to English, at the identification step."""
    caches_clear()
    provision(page, kiosk_server, brasserie_kiosk)
    page.get_by_role("button", name="English").click()
    page.click("#start")
    page.click("#mode-eat_in")
    expect(page.locator("#identify-phone")).to_be_visible()
    return page


def type_number(page: Page, digits: str) -> None:
    page.click("#identify-phone")
    for digit in digits:
        page.click(f"#key-{digit}")
    expect(page.locator("[data-masked]")).to_have_text(
        "•" * (len(digits) - 4) + digits[-4:]
    )
    page.click("#phone-ok")


def test_a_member_scans_their_pass_on_the_identification_step(
    brasserie_page: Page, brasserie_hardware: Hardware
):
    page = brasserie_page

    brasserie_hardware.scan("cust_0000000004")

    expect(page.locator("#member-greeting")).to_have_text("Hello Inès!")
    expect(page.locator("#points-balance")).to_have_text("80 points")


def test_a_pass_scanned_on_the_attract_screen_starts_the_order(
    page: Page,
    kiosk_server: str,
    brasserie_kiosk: Kiosk,
    pongo_sandbox: PongoSandboxControl,
    brasserie_hardware: Hardware,
):
    caches_clear()
    provision(page, kiosk_server, brasserie_kiosk)

    brasserie_hardware.scan("cust_0000000004")

    # Identified first, then the service mode, then the rewards.
    page.click("#mode-eat_in")
    expect(page.locator("#member-greeting")).to_contain_text("Inès")
    assert OrderLoyalty.objects.get().member_first_name == "Inès"


def test_a_scan_that_is_no_pass_says_so_and_asks_nothing_of_pongo(
    brasserie_page: Page,
    pongo_sandbox: PongoSandboxControl,
    brasserie_hardware: Hardware,
):
    page = brasserie_page
    before = len(pongo_sandbox.requests())

    brasserie_hardware.scan("3017620422003")

    expect(page.locator(".messages")).to_be_visible()
    assert OrderLoyalty.objects.count() == 0
    assert not [
        r for r in pongo_sandbox.requests()[before:] if "/customers" in r["path"]
    ]


def test_the_keypad_takes_fast_taps_keys_and_corrections(brasserie_page: Page):
    page = brasserie_page
    page.click("#identify-phone")
    for digit in "0699":
        page.click(f"#key-{digit}")
    page.click("#key-delete")
    page.click("#key-delete")
    page.keyboard.type("12345678")
    expect(page.locator("[data-masked]")).to_have_text("••••••5678")
    page.click("#phone-show")
    expect(page.locator("[data-clear]")).to_have_text("0612345678")
    page.keyboard.press("Delete")
    expect(page.locator("[data-masked]")).to_have_text("–")
    page.keyboard.type("0612345678")

    page.click("#phone-ok")

    expect(page.locator("#member-greeting")).to_have_text("Hello Léa!")


def test_a_member_identifies_with_their_phone_number(brasserie_page: Page):
    page = brasserie_page

    type_number(page, "0612345678")

    expect(page.locator("#member-greeting")).to_have_text("Hello Léa!")
    expect(page.locator("#points-balance")).to_have_text("320 points")
    expect(page.locator("#owned-crw_0000000001")).to_contain_text("Café offert")
    expect(page.locator("#reward-rew_0000000006")).to_contain_text(
        "Not available at this kiosk"
    )
    expect(page.locator("#reward-rew_0000000007")).to_contain_text(
        "You need 4680 more points"
    )
    expect(page.locator("#main")).not_to_contain_text("0612345678")


def test_a_new_customer_joins_with_the_opt_ins_they_chose(
    brasserie_page: Page, pongo_sandbox: PongoSandboxControl
):
    page = brasserie_page
    type_number(page, "0600000001")
    expect(page.locator("#join-sms")).not_to_be_checked()
    expect(page.locator("#join-email")).not_to_be_checked()

    page.check("#join-sms")
    page.click("#join-yes")

    expect(page.locator("#member-greeting")).to_have_text("Hello!")
    expect(page.locator("#points-balance")).to_have_text("0 points")
    created = next(
        r
        for r in pongo_sandbox.requests()
        if r["path"] == "/v1/customers" and r["method"] == "POST"
    )
    assert (created["body"]["has_optin_sms"], created["body"]["has_optin_email"]) == (
        True,
        False,
    )
    assert list(ConsentEvent.objects.values_list("channel", "is_granted")) == [
        ("sms", True),
        ("email", False),
    ]


def test_buy_a_voucher_use_a_free_coffee_and_pay(
    brasserie_page: Page, pongo_sandbox: PongoSandboxControl
):
    page = brasserie_page
    type_number(page, "0612345678")
    page.click("#buy-rew_0000000003")
    page.click("#buy-yes")
    expect(page.locator("#points-balance")).to_have_text("220 points")
    voucher = page.locator("#owned-rewards li", has_text="5 € de réduction")
    voucher.get_by_role("button", name="Add to my order").click()
    expect(voucher).to_contain_text("On your order")
    page.click("#use-crw_0000000001")
    espresso = Product.objects.get(store__slug="brasserie-demo", sku="SKU-ESPRESSO")
    page.click(f"#reward-product-{espresso.pk}")
    expect(page.locator("#reward-note")).to_be_visible()
    page.click("#add-to-order")
    expect(page.locator(".badge-reward").first).to_be_visible()
    cookie = Product.objects.get(store__slug="brasserie-demo", sku="SKU-COOKIE")
    page.goto(page.url.replace("/cart/", f"/product/{cookie.pk}/"))
    page.click("#quantity-more")
    expect(page.locator("#quantity-value")).to_have_text("2")
    page.click("#quantity-more")
    page.click("#add-to-order")
    page.click("#view-order")

    expect(page.locator("#order-total")).to_have_text(money(400))
    page.click("#go-checkout")
    page.click("#pay-card")
    page.click("#simulate-approve")
    expect(page.locator("#order-number")).to_have_text("1")
    expect(page.locator("#loyalty-result")).to_have_text(
        "Your points will be added to your account."
    )

    # The order, then its voucher marked used apart (no order line carries one).
    assert off_the_page_thread(outbox_run_once) == 2
    expect(page.locator("#loyalty-result")).to_contain_text("You earned 4 points.")
    expect(page.locator("#loyalty-result")).to_contain_text("Your balance: 224 points.")
    order = Order.objects.get(state="paid")
    posted = pongo_sandbox.orders(order_id=order.uuid.hex)[0]
    assert posted["amount"] == 400
    uses = [r for r in pongo_sandbox.requests() if r["path"].endswith("/use")]
    assert [(r["body"]["order_id"], r["status"]) for r in uses] == [
        (order.uuid.hex, 200)
    ]


def test_pongo_down_at_checkout_still_gives_the_number_and_points_follow(
    brasserie_page: Page, pongo_sandbox: PongoSandboxControl
):
    page = brasserie_page
    type_number(page, "0612345678")
    page.click("#rewards-to-menu")
    cookie = Product.objects.get(store__slug="brasserie-demo", sku="SKU-COOKIE")
    open_product(page, cookie)
    page.click("#add-to-order")
    page.click("#view-order")
    page.click("#go-checkout")
    pongo_sandbox.faults(down=True)

    page.click("#pay-card")
    page.click("#simulate-approve")

    expect(page.locator("#order-number")).to_have_text("1")
    expect(page.locator("#loyalty-result")).to_have_text(
        "Your points will be added to your account."
    )
    off_the_page_thread(outbox_run_once)
    assert OutboxMessage.objects.get().status == "pending"
    pongo_sandbox.clear_faults()
    OutboxMessage.objects.update(next_attempt_at=OutboxMessage.objects.get().created_at)
    off_the_page_thread(outbox_run_once)
    expect(page.locator("#loyalty-result")).to_contain_text("You earned 3 points.")
    assert OrderLoyalty.objects.get().points_earned == 3


def test_pongo_down_at_identification_asks_before_the_number_goes_with_the_order(
    brasserie_page: Page, pongo_sandbox: PongoSandboxControl
):
    page = brasserie_page
    pongo_sandbox.faults(force_status=503)

    type_number(page, "0699887766")

    expect(page.locator("#offline-title")).to_be_visible()
    expect(page.locator("#offline-sms")).not_to_be_checked()
    expect(page.locator("#offline-email")).not_to_be_checked()
    page.check("#offline-sms")
    page.click("#offline-yes")
    expect(page.locator(".messages")).to_contain_text(
        "We cannot show your rewards right now; your points will still be added."
    )
    cookie = Product.objects.get(store__slug="brasserie-demo", sku="SKU-COOKIE")
    open_product(page, cookie)
    page.click("#add-to-order")
    page.click("#view-order")
    page.click("#go-checkout")
    page.click("#pay-card")
    page.click("#simulate-approve")
    expect(page.locator("#order-number")).to_have_text("1")

    pongo_sandbox.clear_faults()
    off_the_page_thread(outbox_run_once)

    sent = [
        r["body"]["customer"]
        for r in pongo_sandbox.requests()
        if (r["method"], r["path"]) == ("POST", "/v1/orders")
    ]
    assert sent == [
        {
            "public_id": None,
            "phone": "33699887766",
            "has_optin_sms": True,
            "has_optin_email": False,
            "has_optin": False,
        }
    ]
    order = Order.objects.get(state="paid")
    member = pongo_sandbox.orders(order_id=order.uuid.hex)[0]["customer"]
    enlisted = requests.get(
        f"{pongo_sandbox.base_url}/v1/customers/{member}",
        headers={"Authorization": "Bearer sandbox-fr-token"},
        timeout=5,
    ).json()["data"]
    assert (
        enlisted["phone"],
        enlisted["has_optin_sms"],
        enlisted["has_optin_email"],
    ) == ("33699887766", True, False)
    assert list(ConsentEvent.objects.values_list("channel", "is_granted")) == [
        ("sms", True),
        ("email", False),
    ]
    assert OrderLoyalty.objects.get().member_phone == ""


def test_pongo_down_at_identification_lets_the_customer_order_without_the_number(
    brasserie_page: Page, pongo_sandbox: PongoSandboxControl
):
    page = brasserie_page
    pongo_sandbox.faults(force_status=503)
    type_number(page, "0699887766")

    page.click("#offline-no")

    expect(page.locator("#category-title")).to_be_visible()
    assert not OrderLoyalty.objects.exists()
    assert not ConsentEvent.objects.exists()
