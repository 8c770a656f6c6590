"""Paying on an emulated card terminal, as a customer at the kiosk does.

The payment screen frames the emulated terminal's own screen; the customer
presents, declines or cancels the card there, and the kiosk learns the
outcome from the terminal, as it would from a real one.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from kiosk.demo.payments import ADYEN_SANDBOX_API_KEY, ADYEN_SANDBOX_MERCHANT_ACCOUNT
from kiosk.models import (
    CardRefund,
    Kiosk,
    KioskTerminal,
    Order,
    Payment,
    TerminalVendor,
)
from sandboxes.adyen.control import AdyenSandboxControl
from tests.e2e.conftest import provision
from tests.e2e.helpers import pay_by_card_on_the_terminal_screen, refund_from_admin

POIID = "V400m-80000001"


@pytest.fixture
def adyen_page(
    page: Page,
    kiosk_server: str,
    burger_kiosk: Kiosk,
    adyen_sandbox: AdyenSandboxControl,
) -> Page:
    """The burger kiosk paying on an Adyen terminal (the sandbox, cloud API),
    set up before its browser is, as an installer does."""
    # The demo gave the kiosk a simulated terminal: the operator changes it.
    terminal, _ = KioskTerminal.objects.update_or_create(
        kiosk=burger_kiosk,
        defaults={
            "vendor": TerminalVendor.ADYEN,
            "terminal_id": POIID,
            "endpoint": adyen_sandbox.base_url,
            "options": {
                "communication": "cloud",
                "merchant_account": ADYEN_SANDBOX_MERCHANT_ACCOUNT,
                "screen_url": f"{adyen_sandbox.base_url}/_sandbox/terminal/{POIID}/screen",
            },
        },
    )
    terminal.credentials = {"api_key": ADYEN_SANDBOX_API_KEY}
    terminal.save()
    provision(page, kiosk_server, burger_kiosk)
    return page


def test_pay_by_card_on_the_adyen_terminal(
    adyen_page: Page, adyen_sandbox: AdyenSandboxControl
):
    terminal = pay_by_card_on_the_terminal_screen(adyen_page)

    terminal.locator("button[value=approve]").click()

    expect(adyen_page.locator("#order-number")).to_have_text("1")
    payment = Payment.objects.get()
    assert payment.status == "approved"
    assert payment.terminal_vendor == "adyen"
    assert payment.masked_pan.startswith("**** ")
    assert payment.card_brand
    assert payment.auth_code
    assert Order.objects.get().is_paid
    assert len([p for p in adyen_sandbox.payments() if p["state"] == "approved"]) == 1


def test_a_card_declined_on_the_terminal_then_approved(adyen_page: Page):
    terminal = pay_by_card_on_the_terminal_screen(adyen_page)

    terminal.locator("button[value=decline]").click()
    expect(adyen_page.locator("#payment-failed")).to_contain_text(
        "Your card was declined."
    )
    expect(adyen_page.locator("#payment-failed")).to_contain_text(
        "You have not been charged."
    )
    adyen_page.click("#payment-retry")
    terminal = adyen_page.frame_locator("#terminal-screen")
    expect(terminal.locator(".message")).to_have_text("Present card")
    terminal.locator("button[value=approve]").click()

    expect(adyen_page.locator("#order-number")).to_have_text("1")
    assert [p.status for p in Payment.objects.order_by("pk")] == [
        "declined",
        "approved",
    ]


def test_the_customer_cancels_on_the_terminal(adyen_page: Page):
    terminal = pay_by_card_on_the_terminal_screen(adyen_page)

    terminal.locator("button[value=cancel]").click()

    expect(adyen_page.locator("#payment-failed")).to_contain_text(
        "You have not been charged."
    )
    assert Payment.objects.get().status == "cancelled"
    assert not Order.objects.get().is_paid


def test_a_refund_from_admin_goes_back_to_the_card(
    adyen_page: Page,
    adyen_sandbox: AdyenSandboxControl,
    kiosk_server: str,
    second_context: BrowserContext,
):
    terminal = pay_by_card_on_the_terminal_screen(adyen_page)
    terminal.locator("button[value=approve]").click()
    expect(adyen_page.locator("#order-number")).to_have_text("1")
    order = Order.objects.get()
    payment = Payment.objects.get()

    admin = refund_from_admin(second_context, kiosk_server, order.pk)

    expect(admin.locator(".messagelist")).to_contain_text("refunded")
    order.refresh_from_db()
    assert order.state == "refunded"
    refund = CardRefund.objects.get()
    assert (refund.payment, refund.amount) == (payment, payment.amount)
    # Adyen takes the refund and settles it later: it is on its way to the card.
    assert refund.status in {"pending", "succeeded"}, refund.message
    (sent,) = adyen_sandbox.refunds()
    assert sent["amount"] == payment.amount
