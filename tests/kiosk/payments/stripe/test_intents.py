"""Reading Stripe's PaymentIntent, reader and refund JSON into the contract."""

from __future__ import annotations

import pytest

from kiosk.payments.base import RefundStatus, TerminalStatus
from kiosk.payments.stripe.intents import (
    IntentStep,
    card_details,
    intent_outcome,
    intent_params,
    reader_action,
    refund_result,
)


def intent(status: str, **extra: object) -> dict[str, object]:
    return {"id": "pi_1", "object": "payment_intent", "status": status, **extra}


CHARGE = {
    "id": "ch_1",
    "payment_method_details": {
        "type": "card_present",
        "card_present": {
            "brand": "mastercard",
            "last4": "5555555555554444",  # more than it should: cut to four
            "read_method": "contact_emv",
            "reader": "tmr_1",
            "receipt": {
                "application_preferred_name": "Mastercard",
                "dedicated_file_name": "A0000000041010",
                "authorization_code": "123456",
                "application_cryptogram": "ABCDEF",
            },
        },
    },
}


def test_the_payment_intent_is_card_present_with_manual_capture():
    params = intent_params(
        attempt_key="a1", amount=1250, currency="EUR", reference="42", sale_id="k1"
    )

    assert params == {
        "amount": 1250,
        "currency": "eur",
        "payment_method_types": ["card_present"],
        "capture_method": "manual",
        "description": "Order 42",
        "metadata": {"attempt_key": "a1", "kiosk": "k1"},
    }


def test_a_succeeded_intent_is_approved_with_only_the_receipt_s_card_details():
    outcome = intent_outcome(
        intent("succeeded", latest_charge=CHARGE), terminal_id="tmr_1"
    )

    assert outcome.step == IntentStep.FINAL
    assert outcome.result.status == TerminalStatus.APPROVED
    assert outcome.result.reference == "pi_1"
    card = outcome.result.card
    assert card is not None
    assert (card.brand, card.masked_pan, card.entry_mode) == (
        "mastercard",
        "**** 4444",
        "Chip",
    )
    assert (card.application_label, card.aid, card.auth_code) == (
        "Mastercard",
        "A0000000041010",
        "123456",
    )
    assert (card.terminal_id, card.transaction_reference) == ("tmr_1", "ch_1")


@pytest.mark.parametrize(
    ("payment_intent", "step", "status", "message"),
    [
        (intent("requires_capture"), IntentStep.CAPTURE, "pending", ""),
        (intent("processing"), IntentStep.WAIT, "pending", ""),
        (intent("requires_payment_method"), IntentStep.ASK_READER, "pending", ""),
        (
            intent(
                "requires_payment_method",
                last_payment_error={
                    "code": "card_declined",
                    "decline_code": "lost_card",
                },
            ),
            IntentStep.FINAL,
            "declined",
            "Declined (lost_card)",
        ),
        (intent("canceled"), IntentStep.FINAL, "cancelled", "Cancelled"),
        (
            intent("canceled", cancellation_reason="abandoned"),
            IntentStep.FINAL,
            "cancelled",
            "Cancelled (abandoned)",
        ),
        (
            intent("canceled", last_payment_error={"code": "card_declined"}),
            IntentStep.FINAL,
            "declined",
            "Declined (card_declined)",
        ),
    ],
)
def test_each_status_says_what_the_kiosk_does_next(
    payment_intent, step, status, message
):
    outcome = intent_outcome(payment_intent, terminal_id="tmr_1")

    assert (outcome.step, outcome.result.status, outcome.result.message) == (
        step,
        status,
        message,
    )


def test_nonsense_is_read_as_work_in_progress_not_as_an_approval():
    outcome = intent_outcome({"status": 42, "latest_charge": "x"}, terminal_id="t")

    assert outcome.step == IntentStep.WAIT
    assert card_details({"latest_charge": ["x"]}, terminal_id="t").masked_pan == ""


def test_the_reader_s_action_counts_only_for_its_payment_intent():
    reader = {
        "action": {
            "type": "process_payment_intent",
            "status": "failed",
            "failure_code": "customer_canceled",
            "process_payment_intent": {"payment_intent": "pi_1"},
        }
    }

    assert reader_action(reader, intent_id="pi_1").failure_code == "customer_canceled"
    assert not reader_action(reader, intent_id="pi_2").is_on_intent
    assert not reader_action({"action": None}, intent_id="pi_1").is_on_intent


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("succeeded", RefundStatus.SUCCEEDED),
        ("pending", RefundStatus.PENDING),
        ("requires_action", RefundStatus.PENDING),
        ("failed", RefundStatus.FAILED),
        ("canceled", RefundStatus.FAILED),
    ],
)
def test_a_refund_s_status(status, expected):
    assert refund_result({"id": "re_1", "status": status}).status == expected
