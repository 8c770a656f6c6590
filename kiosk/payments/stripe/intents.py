"""Stripe's PaymentIntent, reader and refund JSON, read into the contract.

`intent_params` builds the card_present PaymentIntent of an attempt;
`intent_outcome` says what a PaymentIntent (its latest charge expanded)
means for the kiosk; `card_details` takes what the receipt must show from
`latest_charge.payment_method_details.card_present`, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.payments.base import (
    CardDetails,
    RefundResult,
    RefundStatus,
    TerminalResult,
    TerminalStatus,
    mask_pan,
)

Json = dict[str, Any]

ATTEMPT_METADATA = "attempt_key"
CAPTURE_METHOD = "manual"

# What Stripe's `read_method` means on a receipt.
ENTRY_MODES = {
    "contactless_emv": "Contactless",
    "contactless_magstripe_mode": "Contactless",
    "contact_emv": "Chip",
    "magnetic_stripe_fallback": "Swipe",
    "magnetic_stripe_track2": "Swipe",
}


class IntentStep(StrEnum):
    """What the kiosk does next with a PaymentIntent."""

    FINAL = "final"  # the result says it all
    WAIT = "wait"  # the reader or Stripe is still at work
    CAPTURE = "capture"  # authorised: capture it (manual capture)
    ASK_READER = "ask_reader"  # waiting for a card: is the reader still on it?


@dataclass(frozen=True)
class Outcome:
    step: IntentStep
    result: TerminalResult


def intent_params(
    *, attempt_key: str, amount: int, currency: str, reference: str, sale_id: str
) -> Json:
    return {
        "amount": amount,
        "currency": currency.lower(),
        "payment_method_types": ["card_present"],
        "capture_method": CAPTURE_METHOD,
        "description": f"Order {reference}"[:1000],
        "metadata": {ATTEMPT_METADATA: attempt_key, "kiosk": sale_id[:500]},
    }


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: object) -> Json:
    return value if isinstance(value, dict) else {}


def intent_attempt_key(intent: Json) -> str:
    return _text(_dict(intent.get("metadata")).get(ATTEMPT_METADATA))


def _decline(intent: Json) -> TerminalResult | None:
    error = _dict(intent.get("last_payment_error"))
    if not error:
        return None
    code = _text(error.get("decline_code")) or _text(error.get("code"))
    return TerminalResult(
        TerminalStatus.DECLINED,
        reference=_text(intent.get("id")),
        message=f"Declined ({code})" if code else "Declined",
    )


def intent_outcome(intent: Json, *, terminal_id: str) -> Outcome:
    status = _text(intent.get("status"))
    reference = _text(intent.get("id"))
    if status == "succeeded":
        card = card_details(intent, terminal_id=terminal_id)
        result = TerminalResult(
            TerminalStatus.APPROVED,
            reference=reference,
            card_brand=card.brand,
            auth_code=card.auth_code,
            card=card,
        )
        return Outcome(IntentStep.FINAL, result)
    if status == "requires_capture":
        return Outcome(IntentStep.CAPTURE, TerminalResult(TerminalStatus.PENDING))
    if status == "canceled":
        declined = _decline(intent)
        if declined is not None:
            return Outcome(IntentStep.FINAL, declined)
        reason = _text(intent.get("cancellation_reason"))
        return Outcome(
            IntentStep.FINAL,
            TerminalResult(
                TerminalStatus.CANCELLED,
                reference=reference,
                message=f"Cancelled ({reason})" if reason else "Cancelled",
            ),
        )
    if status == "requires_payment_method":
        declined = _decline(intent)
        if declined is not None:
            return Outcome(IntentStep.FINAL, declined)
        return Outcome(IntentStep.ASK_READER, TerminalResult(TerminalStatus.PENDING))
    # processing, requires_confirmation, requires_action: Stripe is at work.
    return Outcome(IntentStep.WAIT, TerminalResult(TerminalStatus.PENDING))


def card_details(intent: Json, *, terminal_id: str) -> CardDetails:
    charge = _dict(intent.get("latest_charge"))
    present = _dict(_dict(charge.get("payment_method_details")).get("card_present"))
    receipt = _dict(present.get("receipt"))
    auth_code = _text(receipt.get("authorization_code"))
    return CardDetails(
        brand=_text(present.get("brand")),
        masked_pan=mask_pan(_text(present.get("last4"))),
        application_label=_text(receipt.get("application_preferred_name")),
        aid=_text(receipt.get("dedicated_file_name")),
        auth_code=auth_code,
        terminal_id=_text(present.get("reader")) or terminal_id,
        transaction_reference=_text(charge.get("id")),
        entry_mode=ENTRY_MODES.get(_text(present.get("read_method")), ""),
    )


@dataclass(frozen=True)
class ReaderAction:
    """The reader's current action, as far as one PaymentIntent is concerned."""

    is_on_intent: bool
    status: str = ""
    failure_code: str = ""
    failure_message: str = ""


def reader_action(reader: Json, *, intent_id: str) -> ReaderAction:
    action = _dict(reader.get("action"))
    process = _dict(action.get("process_payment_intent"))
    if (
        _text(action.get("type")) != "process_payment_intent"
        or _text(process.get("payment_intent")) != intent_id
    ):
        return ReaderAction(is_on_intent=False)
    return ReaderAction(
        is_on_intent=True,
        status=_text(action.get("status")),
        failure_code=_text(action.get("failure_code")),
        failure_message=_text(action.get("failure_message")),
    )


def reader_is_online(reader: Json) -> bool:
    return _text(reader.get("status")) == "online"


def refund_result(refund: Json) -> RefundResult:
    status = _text(refund.get("status"))
    mapped = {
        "succeeded": RefundStatus.SUCCEEDED,
        "failed": RefundStatus.FAILED,
        "canceled": RefundStatus.FAILED,
    }.get(status, RefundStatus.PENDING)
    message = _text(refund.get("failure_reason")) or status
    return RefundResult(mapped, reference=_text(refund.get("id")), message=message)
