from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from kiosk.models import KioskTerminal, PaymentStatus, TerminalVendor
from kiosk.payments import TERMINALS, customer_playable, get_terminal
from kiosk.payments.base import (
    CardDetails,
    TerminalConfig,
    TerminalResult,
    TerminalStatus,
    mask_pan,
)
from kiosk.payments.simulator import SimulatedTerminal
from kiosk.services.payments import payment_refresh
from kiosk.services.terminals import (
    customer_playable_for_kiosk,
    terminal_check,
    terminal_for_kiosk,
)

CALLS: list[tuple[str, TerminalConfig]] = []


class CardOnlyTerminal:
    """A terminal whose customer only the customer can play, as a real one.

    It approves at once, with card details longer than a receipt may show.
    """

    def __init__(self, *, config: TerminalConfig) -> None:
        self.config = config

    def payment_start(
        self, *, attempt_key: str, amount: int, currency: str, reference: str
    ) -> None:
        CALLS.append((attempt_key, self.config))

    def payment_status(self, *, attempt_key: str) -> TerminalResult:
        return TerminalResult(
            TerminalStatus.APPROVED,
            reference="PSP-1",
            card=CardDetails(
                brand="mc",
                masked_pan="5413330000000019",
                application_label="MASTERCARD",
                aid="A0000000041010",
                auth_code="123456",
                terminal_id="V400m-324688179",
                transaction_reference="PSP-1",
                entry_mode="ICC",
            ),
        )

    def payment_cancel(self, *, attempt_key: str) -> TerminalResult:
        return TerminalResult(TerminalStatus.CANCELLED)


def use_card_only_terminal(monkeypatch: pytest.MonkeyPatch, settings) -> None:
    """Every kiosk without a terminal of its own uses the card-only terminal."""
    monkeypatch.setitem(TERMINALS, "card-only", f"{__name__}.CardOnlyTerminal")
    settings.PAYMENT_TERMINAL = "card-only"


@pytest.fixture
def card_only(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(TERMINALS, "card-only", f"{__name__}.CardOnlyTerminal")
    CALLS.clear()
    return CALLS


def test_without_a_terminal_of_its_own_a_kiosk_uses_the_setting(settings, menu):
    settings.PAYMENT_TERMINAL = "simulator"

    assert isinstance(terminal_for_kiosk(menu.kiosk), SimulatedTerminal)


def test_a_terminal_name_that_is_not_registered_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="'cash-drawer' is not one of"):
        get_terminal(TerminalConfig(vendor="cash-drawer"))


def test_the_kiosk_plays_the_customer_of_the_simulator():
    terminal = customer_playable(get_terminal(TerminalConfig(vendor="simulator")))

    assert isinstance(terminal, SimulatedTerminal)
    assert [outcome for outcome, _label in terminal.customer_outcomes()] == [
        "approve",
        "decline",
        "timeout",
        "cancel",
        "unresponsive",
    ]


def test_a_kiosk_with_its_own_terminal_gets_it_with_its_configuration(card_only, menu):
    KioskTerminal.objects.create(
        kiosk=menu.kiosk,
        vendor="card-only",
        terminal_id="V400m-324688179",
        endpoint="https://192.0.2.10:8443",
        credentials_json='{"api_key": "secret"}',
        options={"merchant_account": "BrasserieECOM"},
    )

    terminal = terminal_for_kiosk(menu.kiosk)

    assert isinstance(terminal, CardOnlyTerminal)
    assert terminal.config.terminal_id == "V400m-324688179"
    assert terminal.config.credentials == {"api_key": "secret"}
    assert terminal.config.options == {"merchant_account": "BrasserieECOM"}
    assert terminal.config.sale_id == menu.kiosk.code
    assert customer_playable_for_kiosk(menu.kiosk) is None


def test_an_inactive_terminal_leaves_the_kiosk_on_the_default(settings, menu):
    settings.PAYMENT_TERMINAL = "simulator"
    KioskTerminal.objects.create(
        kiosk=menu.kiosk, vendor=TerminalVendor.STRIPE, is_active=False
    )

    assert isinstance(terminal_for_kiosk(menu.kiosk), SimulatedTerminal)


def test_credentials_are_encrypted_at_rest(menu):
    from django.db import connection

    terminal = KioskTerminal.objects.create(kiosk=menu.kiosk, vendor="stripe")
    terminal.credentials = {"api_key": "sk_test_very_secret"}
    terminal.save()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT credentials_json FROM kiosk_kioskterminal WHERE id = %s",
            [terminal.pk],
        )
        stored = cursor.fetchone()[0]
    assert "sk_test_very_secret" not in stored
    assert KioskTerminal.objects.get(pk=terminal.pk).credentials == {
        "api_key": "sk_test_very_secret"
    }


def test_an_attempt_keeps_its_terminal_and_the_receipt_details_masked(
    card_only, menu, draft_order
):
    from kiosk.services.cart import cart_line_add
    from kiosk.services.checkout import order_checkout
    from kiosk.services.selections import LineSelection

    kiosk_terminal = KioskTerminal.objects.create(
        kiosk=menu.kiosk, vendor="card-only", terminal_id="V400m-324688179"
    )
    cart_line_add(order=draft_order, selection=LineSelection(product_id=menu.fries.pk))
    order = order_checkout(order=draft_order, method="card").order
    # The kiosk's terminal changes while the attempt is under way.
    kiosk_terminal.terminal_id = "V400m-999"
    kiosk_terminal.save()

    payment = payment_refresh(order=order)

    assert payment is not None
    assert payment.status == PaymentStatus.APPROVED
    assert payment.terminal_vendor == "card-only"
    assert payment.kiosk_terminal == kiosk_terminal
    assert CALLS[0][1].terminal_id == "V400m-324688179"
    assert payment.masked_pan == "**** 0019"
    assert payment.card_brand == "mc"
    assert payment.application_label == "MASTERCARD"
    assert payment.aid == "A0000000041010"
    assert payment.auth_code == "123456"
    assert payment.terminal_id == "V400m-324688179"
    assert payment.transaction_reference == "PSP-1"
    order.refresh_from_db()
    assert order.is_paid


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("5413330000000019", "**** 0019"),
        ("541333******0019", "**** 0019"),
        ("0019", "**** 0019"),
        ("", ""),
        ("no digits", ""),
    ],
)
def test_a_card_number_keeps_four_digits_at_most(given, shown):
    assert mask_pan(given) == shown


def test_a_terminal_without_a_test_passes_and_the_result_is_kept(card_only, menu):
    terminal = KioskTerminal.objects.create(kiosk=menu.kiosk, vendor="card-only")

    result = terminal_check(terminal=terminal)

    terminal.refresh_from_db()
    assert (result.ok, result.detail) == (True, "This terminal has no test.")
    assert terminal.last_check_ok is True
    assert terminal.last_check_detail == "This terminal has no test."
    assert terminal.last_check_at is not None
