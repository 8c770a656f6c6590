"""`StripeTerminal` against the Stripe sandbox over HTTP, with the official library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.payments import get_terminal
from kiosk.payments.base import (
    CardRefunds,
    CustomerPlayable,
    RefundStatus,
    TerminalCheckable,
    TerminalRejected,
    TerminalStatus,
    TerminalUnavailable,
    TransactionsReport,
)
from kiosk.payments.stripe import StripeTerminal
from kiosk.payments.stripe import terminal as terminal_module
from tests.kiosk.payments.stripe.conftest import READER, reader_config, start


def forget_ids() -> None:
    """As a process that did not start the payment (the worker, a restart)."""
    with terminal_module._INTENT_IDS_LOCK:
        terminal_module._INTENT_IDS.clear()


def test_it_is_the_terminal_of_the_stripe_vendor(stripe_sandbox):
    terminal = get_terminal(reader_config(stripe_sandbox))

    assert isinstance(terminal, StripeTerminal)
    assert isinstance(terminal, CardRefunds)
    assert isinstance(terminal, TerminalCheckable)
    assert isinstance(terminal, TransactionsReport)
    assert not isinstance(terminal, CustomerPlayable)


def test_a_payment_is_a_manual_capture_payment_intent_on_the_reader(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)

    assert terminal.payment_status(attempt_key=attempt_key).status == "pending"
    [payment] = stripe_sandbox.payments()
    assert payment["amount"] == 1250
    assert payment["currency"] == "eur"
    assert payment["attempt_key"] == attempt_key
    assert payment["reader"] == READER
    assert payment["status"] == "requires_payment_method"
    screen = stripe_sandbox.screen(READER)
    assert "12.50 EUR" in screen
    assert "Present card" in screen


def test_an_approved_card_is_captured_with_the_receipt_details(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)
    stripe_sandbox.reader_action(READER, "approve")

    result = terminal.payment_status(attempt_key=attempt_key)

    assert result.status == TerminalStatus.APPROVED
    assert result.reference.startswith("pi_")
    assert result.card is not None
    assert result.card.brand == "visa"
    assert result.card.masked_pan == "**** 4242"
    assert result.card.application_label == "Visa Credit"
    assert result.card.aid == "A0000000031010"
    assert len(result.card.auth_code) == 6
    assert result.card.terminal_id == READER
    assert result.card.transaction_reference.startswith("ch_")
    assert result.card.entry_mode == "Contactless"
    [payment] = stripe_sandbox.payments()
    assert payment["status"] == "succeeded"
    assert payment["amount_received"] == 1250


def test_a_declined_card_ends_the_attempt_declined(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)
    stripe_sandbox.reader_action(READER, "decline")

    result = terminal.payment_status(attempt_key=attempt_key)

    assert result.status == TerminalStatus.DECLINED
    assert result.message == "Declined (generic_decline)"
    assert stripe_sandbox.payments()[0]["amount_received"] == 0


def test_a_cancel_on_the_reader_cancels_the_payment_intent(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)
    stripe_sandbox.reader_action(READER, "cancel")

    result = terminal.payment_status(attempt_key=attempt_key)

    assert result.status == TerminalStatus.CANCELLED
    assert result.message == "Cancelled on the reader (customer_canceled)"
    assert stripe_sandbox.payments()[0]["status"] == "canceled"


def test_the_kiosk_cancels_a_payment_waiting_for_the_card(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)

    result = terminal.payment_cancel(attempt_key=attempt_key)

    assert result.status == TerminalStatus.CANCELLED
    assert stripe_sandbox.payments()[0]["status"] == "canceled"
    assert stripe_sandbox.reader_action(READER, "normal")["action"]["status"] == (
        "failed"
    )


def test_a_card_that_beats_the_cancel_is_voided_not_charged(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)
    stripe_sandbox.reader_action(READER, "card_after_abort")

    result = terminal.payment_cancel(attempt_key=attempt_key)

    assert result.status == TerminalStatus.CANCELLED
    [payment] = stripe_sandbox.payments()
    assert payment["status"] == "canceled"
    assert payment["amount_received"] == 0


def test_a_cancel_after_the_capture_answers_approved(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)
    stripe_sandbox.reader_action(READER, "approve")
    terminal.payment_status(attempt_key=attempt_key)

    result = terminal.payment_cancel(attempt_key=attempt_key)

    assert result.status == TerminalStatus.APPROVED


def test_a_second_start_of_the_same_attempt_creates_nothing(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)
    start(terminal, attempt_key)
    forget_ids()
    start(terminal, attempt_key)

    assert len(stripe_sandbox.payments()) == 1


def test_another_process_finds_the_payment_by_its_attempt_key(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)
    stripe_sandbox.reader_action(READER, "approve")
    forget_ids()

    result = StripeTerminal(config=terminal.config).payment_status(
        attempt_key=attempt_key
    )

    assert result.status == TerminalStatus.APPROVED


def test_an_attempt_stripe_never_saw_is_refused(terminal, stripe_sandbox):
    forget_ids()
    with pytest.raises(TerminalRejected):
        terminal.payment_status(attempt_key="never-sent")

    assert terminal.payment_cancel(attempt_key="never-sent").status == "cancelled"


def test_a_lost_answer_after_approval_is_read_again(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)
    stripe_sandbox.reader_action(READER, "approve")
    stripe_sandbox.reader_action(READER, "drop_after_commit")

    with pytest.raises(TerminalUnavailable):
        terminal.payment_status(attempt_key=attempt_key)
    result = terminal.payment_status(attempt_key=attempt_key)

    assert result.status == TerminalStatus.APPROVED
    assert stripe_sandbox.payments()[0]["amount_received"] == 1250


def test_a_busy_reader_refuses_a_second_payment_and_voids_it(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)

    with pytest.raises(TerminalRejected, match="busy"):
        start(terminal, "another-attempt")

    statuses = [p["status"] for p in stripe_sandbox.payments()]
    assert statuses == ["requires_payment_method", "canceled"]


def test_an_unreachable_reader_leaves_the_outcome_to_polling(
    terminal, stripe_sandbox, attempt_key
):
    stripe_sandbox.reader_action(READER, "silent")

    with pytest.raises(TerminalUnavailable):
        start(terminal, attempt_key)

    assert terminal.payment_status(attempt_key=attempt_key).status == "pending"


def test_a_wrong_secret_key_is_a_refusal(stripe_sandbox, attempt_key):
    config = reader_config(stripe_sandbox, credentials={"secret_key": "sk_test_nope"})

    with pytest.raises(TerminalRejected, match="secret key"):
        start(StripeTerminal(config=config), attempt_key)


def test_a_sandbox_that_is_down_is_unavailable(terminal, stripe_sandbox, attempt_key):
    stripe_sandbox.faults(down=True)

    with pytest.raises(TerminalUnavailable):
        start(terminal, attempt_key)


def test_a_refund_goes_back_to_the_card_once_per_key(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)
    stripe_sandbox.reader_action(READER, "approve")
    reference = terminal.payment_status(attempt_key=attempt_key).reference

    first = terminal.refund(
        refund_key="refund-1",
        attempt_key=attempt_key,
        payment_reference=reference,
        amount=1250,
        currency="EUR",
    )
    again = terminal.refund(
        refund_key="refund-1",
        attempt_key=attempt_key,
        payment_reference=reference,
        amount=1250,
        currency="EUR",
    )

    assert first.status == RefundStatus.SUCCEEDED
    assert again.reference == first.reference
    [refund] = stripe_sandbox.refunds()
    assert refund["amount"] == 1250
    assert refund["payment_intent"] == reference
    assert stripe_sandbox.payments()[0]["amount_refunded"] == 1250


def test_a_second_refund_of_the_whole_amount_is_refused(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)
    stripe_sandbox.reader_action(READER, "approve")
    reference = terminal.payment_status(attempt_key=attempt_key).reference
    arguments = {
        "attempt_key": attempt_key,
        "payment_reference": reference,
        "amount": 1250,
        "currency": "EUR",
    }
    terminal.refund(refund_key="refund-1", **arguments)

    with pytest.raises(TerminalRejected, match="already been refunded"):
        terminal.refund(refund_key="refund-2", **arguments)


def test_a_refund_needs_the_payment_intent(terminal, attempt_key):
    with pytest.raises(TerminalRejected):
        terminal.refund(
            refund_key="r",
            attempt_key=attempt_key,
            payment_reference="",
            amount=100,
            currency="EUR",
        )


def test_the_check_tells_an_online_reader(terminal, stripe_sandbox):
    check = terminal.check()

    assert check.ok
    assert check.detail.endswith("is online.")


def test_the_check_fails_without_the_right_key(stripe_sandbox):
    config = reader_config(stripe_sandbox, credentials={"secret_key": "sk_test_nope"})

    assert not StripeTerminal(config=config).check().ok


def test_transactions_list_the_kiosk_payment_intents(
    terminal, stripe_sandbox, attempt_key
):
    start(terminal, attempt_key)
    stripe_sandbox.reader_action(READER, "approve")
    terminal.payment_status(attempt_key=attempt_key)
    now = datetime.now(tz=UTC)

    [found] = terminal.transactions(
        start=now - timedelta(minutes=5),
        end=now + timedelta(minutes=5),
        attempt_keys=[],
    )

    assert found.attempt_key == attempt_key
    assert found.status == TerminalStatus.APPROVED
    assert found.amount == 1250
    assert found.currency == "EUR"
    assert found.reference.startswith("pi_")
