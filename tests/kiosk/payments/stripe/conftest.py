"""A `StripeTerminal` on the Stripe sandbox, through the official library."""

from __future__ import annotations

import uuid

import pytest

from kiosk.payments.base import TerminalConfig
from kiosk.payments.stripe import StripeTerminal
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
