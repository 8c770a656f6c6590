"""A day's card payments on a Stripe reader against the PaymentIntents Stripe lists."""

from __future__ import annotations

import stripe

from kiosk.services.payments import payment_refresh
from kiosk.services.reconciliation import (
    MismatchKind,
    reconciliation_default_day,
    reconciliation_for_day,
)
from sandboxes.stripe.emulator import SECRET_KEY
from tests.kiosk.payments.stripe.conftest import READER, card_order


def paid_on_the_reader(menu, sandbox, action: str):
    order = card_order(menu)
    sandbox.reader_action(READER, action)
    payment = payment_refresh(order=order)
    assert payment is not None
    assert payment.is_final
    return payment


def today():
    [item] = reconciliation_for_day(day=reconciliation_default_day()).terminals
    return item


def test_a_day_of_approvals_and_declines_balances(stripe_kiosk, stripe_sandbox):
    paid_on_the_reader(stripe_kiosk, stripe_sandbox, "approve")
    paid_on_the_reader(stripe_kiosk, stripe_sandbox, "decline")

    item = today()

    assert item.mismatches == []
    assert item.is_balanced
    assert (item.kiosk_approved_count, item.kiosk_approved_total) == (1, 350)
    assert (item.terminal_approved_count, item.terminal_approved_total) == (1, 350)


def test_a_charge_the_kiosk_does_not_have_is_listed(stripe_kiosk, stripe_sandbox):
    paid_on_the_reader(stripe_kiosk, stripe_sandbox, "approve")
    client = stripe.StripeClient(
        SECRET_KEY, base_addresses={"api": stripe_sandbox.base_url}
    )
    stray = client.v1.payment_intents.create(
        {"amount": 990, "currency": "eur", "metadata": {"attempt_key": "stray"}}
    )
    client.v1.terminal.readers.process_payment_intent(
        READER, {"payment_intent": stray.id}
    )
    client.v1.test_helpers.terminal.readers.present_payment_method(READER)

    item = today()

    assert [(m.kind, m.attempt_key) for m in item.mismatches] == [
        (MismatchKind.TERMINAL_ONLY, "stray")
    ]
    assert item.mismatches[0].terminal_amount == 990
    assert not item.is_balanced
