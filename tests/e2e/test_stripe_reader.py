"""Paying on an emulated Stripe smart reader, as a customer at the kiosk does.

The payment screen frames the reader's screen (the Stripe sandbox's); the
customer presents, declines or cancels the card there, and the kiosk reads
the outcome from Stripe's PaymentIntent, as it would from Stripe itself.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from kiosk.demo.payments import STRIPE_SANDBOX_SECRET_KEY
from kiosk.models import (
    CardRefund,
    Kiosk,
    KioskTerminal,
    Order,
    Payment,
    TerminalVendor,
)
from sandboxes.stripe.control import StripeSandboxControl
from tests.e2e.conftest import provision
from tests.e2e.helpers import pay_by_card_on_the_terminal_screen, refund_from_admin

READER = "tmr_BurgerE2E1"


@pytest.fixture
def stripe_page(
    page: Page,
    kiosk_server: str,
    burger_kiosk: Kiosk,
    stripe_sandbox: StripeSandboxControl,
) -> Page:
    """The burger kiosk paying on a Stripe reader (the sandbox), set up in
    place of the demo's simulated terminal before its browser is."""
    terminal, _ = KioskTerminal.objects.update_or_create(
        kiosk=burger_kiosk,
        defaults={
            "vendor": TerminalVendor.STRIPE,
            "terminal_id": READER,
            "endpoint": stripe_sandbox.base_url,
            "options": {
                "screen_url": f"{stripe_sandbox.base_url}/_sandbox/terminal/{READER}/screen",
            },
        },
    )
    terminal.credentials = {"secret_key": STRIPE_SANDBOX_SECRET_KEY}
    terminal.save()
    provision(page, kiosk_server, burger_kiosk)
    return page


def test_a_card_declined_on_the_reader_then_approved(
    stripe_page: Page, stripe_sandbox: StripeSandboxControl
):
    reader = pay_by_card_on_the_terminal_screen(stripe_page)

    reader.locator("button[value=decline]").click()
    expect(stripe_page.locator("#payment-failed")).to_contain_text(
        "You have not been charged."
    )
    stripe_page.click("#payment-retry")
    reader = stripe_page.frame_locator("#terminal-screen")
    expect(reader.locator(".message")).to_have_text("Present card")
    reader.locator("button[value=approve]").click()

    expect(stripe_page.locator("#order-number")).to_have_text("1")
    assert [p.status for p in Payment.objects.order_by("pk")] == [
        "declined",
        "approved",
    ]
    approved = Payment.objects.get(status="approved")
    assert approved.masked_pan == "**** 4242"
    assert approved.application_label == "Visa Credit"
    assert Order.objects.get().is_paid
    # One charge only: the declined PaymentIntent never took money.
    received = [p["amount_received"] for p in stripe_sandbox.payments()]
    assert received == [0, approved.amount]


def test_the_customer_cancels_on_the_reader(
    stripe_page: Page, stripe_sandbox: StripeSandboxControl
):
    reader = pay_by_card_on_the_terminal_screen(stripe_page)

    reader.locator("button[value=cancel]").click()

    expect(stripe_page.locator("#payment-failed")).to_contain_text(
        "You have not been charged."
    )
    assert Payment.objects.get().status == "cancelled"
    assert not Order.objects.get().is_paid
    assert [p["status"] for p in stripe_sandbox.payments()] == ["canceled"]


def test_a_card_payment_refunded_from_admin_goes_back_to_the_card(
    stripe_page: Page,
    stripe_sandbox: StripeSandboxControl,
    kiosk_server: str,
    second_context: BrowserContext,
):
    reader = pay_by_card_on_the_terminal_screen(stripe_page)
    reader.locator("button[value=approve]").click()
    expect(stripe_page.locator("#order-number")).to_have_text("1")
    order = Order.objects.get()
    payment = Payment.objects.get()
    assert payment.terminal_vendor == "stripe"

    admin = refund_from_admin(second_context, kiosk_server, order.pk)

    expect(admin.locator(".messagelist")).to_contain_text("refunded")
    order.refresh_from_db()
    assert order.state == "refunded"
    refund = CardRefund.objects.get()
    assert (refund.payment, refund.amount) == (payment, payment.amount)
    assert refund.status == "succeeded", refund.message
    (sent,) = stripe_sandbox.refunds()
    assert (sent["payment_intent"], sent["amount"]) == (
        payment.reference,
        payment.amount,
    )
