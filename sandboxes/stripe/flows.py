"""What happens on an emulated reader: a card approved or declined, a customer
who cancels, the integration cancelling the action. Called under the
account's lock; each change names the webhook events it causes (`Emit`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandboxes.stripe.state import Account, Json, object_id

Emit = Callable[[str, Json], None]

DEFAULT_CARD = "4242424242424242"


@dataclass(frozen=True)
class TestCard:
    brand: str
    label: str
    aid: str
    funding: str = "credit"
    decline_code: str = ""


# Stripe's documented card_present test card numbers (Terminal testing page).
CARDS = {
    "4242424242424242": TestCard("visa", "Visa Credit", "A0000000031010"),
    "4000056655665556": TestCard("visa", "Visa Debit", "A0000000031010", "debit"),
    "5555555555554444": TestCard("mastercard", "Mastercard", "A0000000041010"),
    "5200828282828210": TestCard(
        "mastercard", "Debit Mastercard", "A0000000041010", "debit"
    ),
    "378282246310005": TestCard("amex", "American Express", "A000000025010801"),
    "4000000000000002": TestCard(
        "visa", "Visa Credit", "A0000000031010", decline_code="generic_decline"
    ),
    "4000000000009995": TestCard(
        "visa", "Visa Credit", "A0000000031010", decline_code="insufficient_funds"
    ),
}
DECLINE_MESSAGES = {
    "generic_decline": "Your card was declined.",
    "insufficient_funds": "Your card has insufficient funds.",
}
DECLINE_CARD = "4000000000000002"
CUSTOMER_CANCELED = "customer_canceled"
INTEGRATION_CANCELED = "canceled"


def card_for(number: str) -> tuple[TestCard, str]:
    """The test card of `number` (the default Visa for any other number)."""
    if number in CARDS:
        return CARDS[number], number
    return CARDS[DEFAULT_CARD], DEFAULT_CARD


def _charge(
    account: Account, intent: Json, card: TestCard, number: str, now: int
) -> Json:
    approved = not card.decline_code
    charge = {
        "id": object_id("ch"),
        "object": "charge",
        "amount": intent["amount"],
        "amount_captured": 0,
        "amount_refunded": 0,
        "captured": False,
        "created": now,
        "currency": intent["currency"],
        "failure_code": None if approved else "card_declined",
        "failure_message": None if approved else DECLINE_MESSAGES[card.decline_code],
        "livemode": False,
        "metadata": {},
        "outcome": {
            "network_status": "approved_by_network"
            if approved
            else "declined_by_network",
            "reason": None if approved else card.decline_code,
            "type": "authorized" if approved else "issuer_declined",
        },
        "paid": approved,
        "payment_intent": intent["id"],
        "payment_method": intent["payment_method"],
        "payment_method_details": {
            "type": "card_present",
            "card_present": {
                "amount_authorized": intent["amount"] if approved else None,
                "brand": card.brand,
                "cardholder_name": None,
                "country": "US",
                "exp_month": 12,
                "exp_year": 2030,
                "funding": card.funding,
                "last4": number[-4:],
                "network": card.brand,
                "read_method": "contactless_emv",
                "reader": intent["_reader"],
                "receipt": {
                    "account_type": card.funding,
                    "application_cryptogram": secrets.token_hex(8).upper(),
                    "application_preferred_name": card.label,
                    "authorization_code": f"{secrets.randbelow(10**6):06d}"
                    if approved
                    else None,
                    "authorization_response_code": "3030" if approved else "3035",
                    "cardholder_verification_method": "none",
                    "dedicated_file_name": card.aid,
                    "terminal_verification_results": "0000000000",
                    "transaction_status_information": "0000",
                },
            },
        },
        "refunded": False,
        "status": "succeeded" if approved else "failed",
    }
    account.charges[charge["id"]] = charge
    return charge


def card_present(
    account: Account, reader: Json, intent: Json, number: str, now: int, emit: Emit
) -> None:
    """The customer presents a card: approved, or declined by its issuer."""
    card, number = card_for(number)
    intent["payment_method"] = object_id("pm")
    charge = _charge(account, intent, card, number, now)
    intent["latest_charge"] = charge["id"]
    action = reader["action"]
    if card.decline_code:
        error = {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": card.decline_code,
            "message": DECLINE_MESSAGES[card.decline_code],
            "charge": charge["id"],
            "doc_url": "https://stripe.com/docs/error-codes/card-declined",
        }
        intent["status"] = "requires_payment_method"
        intent["last_payment_error"] = error
        intent["payment_method"] = None
        action.update(
            status="failed",
            failure_code="card_declined",
            failure_message=error["message"],
            api_error={
                k: error[k] for k in ("type", "code", "decline_code", "message")
            },
        )
        emit("terminal.reader.action_failed", reader)
        emit("payment_intent.payment_failed", intent)
        return
    intent["last_payment_error"] = None
    if intent["capture_method"] == "manual":
        intent["status"] = "requires_capture"
        intent["amount_capturable"] = intent["amount"]
        emit_type = "payment_intent.amount_capturable_updated"
    else:
        capture(account, intent, intent["amount"])
        emit_type = "payment_intent.succeeded"
    action.update(status="succeeded")
    emit("terminal.reader.action_succeeded", reader)
    emit(emit_type, intent)


def capture(account: Account, intent: Json, amount: int) -> None:
    intent["status"] = "succeeded"
    intent["amount_received"] = amount
    intent["amount_capturable"] = 0
    charge = account.charges[intent["latest_charge"]]
    charge.update(captured=True, amount_captured=amount)


def action_fail(reader: Json, code: str, message: str, emit: Emit) -> None:
    reader["action"].update(
        status="failed", failure_code=code, failure_message=message, api_error=None
    )
    emit("terminal.reader.action_failed", reader)


def intent_void(account: Account, intent: Json) -> None:
    """Cancel the PaymentIntent; an authorisation is released (nothing captured)."""
    if intent["status"] == "requires_capture" and intent["latest_charge"]:
        charge = account.charges[intent["latest_charge"]]
        charge.update(refunded=True, amount_refunded=charge["amount"])
    intent["status"] = "canceled"
    intent["amount_capturable"] = 0


def action_new(intent_id: str, process_config: Any) -> Json:
    return {
        "type": "process_payment_intent",
        "status": "in_progress",
        "failure_code": None,
        "failure_message": None,
        "api_error": None,
        "process_payment_intent": {
            "payment_intent": intent_id,
            "process_config": process_config
            if isinstance(process_config, dict)
            else {},
        },
    }
