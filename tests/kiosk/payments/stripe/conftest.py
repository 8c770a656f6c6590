"""A `StripeTerminal` on the Stripe sandbox, through the official library, and a
kiosk whose terminal is that reader."""

from __future__ import annotations

import uuid

import pytest

from kiosk.models import KioskTerminal
from kiosk.payments.base import TerminalConfig
from kiosk.payments.stripe import StripeTerminal
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_start
from kiosk.services.selections import LineSelection
from sandboxes.stripe.control import StripeSandboxControl
from sandboxes.stripe.emulator import SECRET_KEY

READER = "tmr_KioskTest1"


def reader_config(sandbox: StripeSandboxControl, **changes: object) -> TerminalConfig:
    values: dict[str, object] = {
        "vendor": "stripe",
        "terminal_id": READER,
        "endpoint": sandbox.base_url,
        "credentials": {"secret_key": SECRET_KEY},
        "options": {"timeout_seconds": "2"},
        "sale_id": "burger-test-1",
    }
    values.update(changes)
    return TerminalConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def terminal(stripe_sandbox: StripeSandboxControl) -> StripeTerminal:
    return StripeTerminal(config=reader_config(stripe_sandbox))


@pytest.fixture
def attempt_key() -> str:
    return uuid.uuid4().hex


def start(terminal: StripeTerminal, attempt_key: str, amount: int = 1250) -> None:
    terminal.payment_start(
        attempt_key=attempt_key, amount=amount, currency="EUR", reference="A-0142"
    )


@pytest.fixture
def stripe_kiosk(menu, stripe_sandbox):
    terminal = KioskTerminal.objects.create(
        kiosk=menu.kiosk,
        vendor="stripe",
        terminal_id=READER,
        endpoint=stripe_sandbox.base_url,
        options={"timeout_seconds": "2"},
    )
    terminal.credentials = {"secret_key": SECRET_KEY}
    terminal.save()
    return menu


def card_order(menu):
    order = order_start(kiosk=menu.kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    order.refresh_from_db()
    return order_checkout(order=order, method="card").order
