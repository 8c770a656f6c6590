"""What the kiosk relies on about Stripe Terminal that no public document
confirms, or that it chose where Stripe says nothing.

Each is kept here with the document that comes closest, or UNCONFIRMED.
The client (`api`, `intents`, `terminal`, `webhooks`) and the sandbox
(`sandboxes.stripe`) both follow this list; when Stripe answers otherwise,
change it here first, then both sides.
"""

from __future__ import annotations

from kiosk.payments.assumptions import OUR_CHOICE, Assumption

LIBRARY = "stripe-python 16.1.0 (services, params, _error.py, _webhook.py)"
SERVER_DRIVEN = "Stripe, Collect card payments, server-driven (https://docs.stripe.com/terminal/payments/collect-card-payment?terminal-sdk-platform=server-driven)"
TESTING = (
    "Stripe, Test Stripe Terminal (https://docs.stripe.com/terminal/references/testing)"
)
IDEMPOTENCY = (
    "Stripe, Idempotent requests (https://docs.stripe.com/api/idempotent_requests)"
)
SEARCH = "Stripe, Search PaymentIntents (https://docs.stripe.com/api/payment_intents/search); stripe-python's docstring of PaymentIntentService.search"
API_ERROR = (
    "Stripe changelog 2026-05-27.dahlia, terminal reader action failures error details"
)
WEBHOOKS = "Stripe, Check webhook signatures; stripe-python _webhook.py"


ASSUMPTIONS = (
    Assumption(
        "intent.idempotent_create",
        "The PaymentIntent is created under the idempotency key `<attempt>:pi`, "
        "so a start sent twice (double tap, lost answer) finds the same "
        "PaymentIntent; Stripe replays a key's first answer for at least 24 h.",
        IDEMPOTENCY,
    ),
    Assumption(
        "intent.metadata",
        "`metadata[attempt_key]` carries the attempt key; a process that does "
        "not know the PaymentIntent's id finds it by search on that metadata, "
        "then among the 100 latest PaymentIntents, since search may lag up to "
        "a minute (an hour in outages) behind a create.",
        SEARCH,
    ),
    Assumption(
        "intent.manual_capture",
        "PaymentIntents use `capture_method=manual`: the kiosk captures when it "
        "reads `requires_capture`, and cancels (voids) one the customer or the "
        "time-out abandons. Money moves only when the kiosk captures, which "
        "happens only where it reads the approval it then records (an "
        "authorisation the kiosk never reads lapses uncaptured). A capture or "
        "cancel asked twice is refused by state "
        "(`payment_intent_unexpected_state`) and the PaymentIntent is read "
        "instead, so neither carries our own idempotency key (a stored refusal "
        "would be replayed for 24 h).",
        OUR_CHOICE,
    ),
    Assumption(
        "intent.uncaptured_window",
        "An authorised card_present PaymentIntent stays capturable long enough "
        "for the kiosk to capture it at its next poll (seconds); Stripe's exact "
        "window for card_present authorisations was not found.",
    ),
    Assumption(
        "intent.decline",
        "A declined card leaves the PaymentIntent in `requires_payment_method` "
        "with `last_payment_error` (`card_declined` and a `decline_code`); the "
        "kiosk ends that attempt as declined and a retry is a new attempt with "
        "its own PaymentIntent.",
        SERVER_DRIVEN,
    ),
    Assumption(
        "reader.process_key",
        "`process_payment_intent` carries the key `<attempt>:process`: a lost "
        "answer asked again replays the first one instead of a "
        "`terminal_reader_busy`.",
        OUR_CHOICE,
    ),
    Assumption(
        "reader.errors",
        "`terminal_reader_timeout` means Stripe could not reach the reader in "
        "time, so whether it shows the amount is unknown (the kiosk polls); "
        "`terminal_reader_busy`, `terminal_reader_offline` and "
        "`payment_intent_unexpected_state` are refusals (nothing charged).",
        LIBRARY,
    ),
    Assumption(
        "reader.action_failed",
        "A reader action that failed without `last_payment_error` on the "
        "PaymentIntent was cancelled on the reader (customer, time-out) or by "
        "`cancel_action`; its `failure_code` is not parsed beyond being shown "
        "(the sandbox uses `customer_canceled` and `canceled`). With reader "
        "software 2.42+ `action.api_error` tells Stripe's errors apart.",
        API_ERROR,
    ),
    Assumption(
        "reader.not_on_intent",
        "A PaymentIntent waiting for a card that the reader is not processing, "
        "15 s after its creation, will not be charged by the reader: the kiosk "
        "cancels it, which guarantees it.",
        OUR_CHOICE,
    ),
    Assumption(
        "receipt.fields",
        "The receipt reads `latest_charge.payment_method_details.card_present`: "
        "brand, last4, read_method, and receipt.application_preferred_name, "
        "receipt.dedicated_file_name (AID) and receipt.authorization_code.",
        LIBRARY,
    ),
    Assumption(
        "refund.api",
        "A terminal payment is refunded without the card by `POST /v1/refunds` "
        "with the PaymentIntent and the refund's own idempotency key; "
        "`pending` stays pending until Stripe settles it.",
        LIBRARY,
    ),
    Assumption(
        "webhook.hint",
        "Webhooks (`terminal.reader.action_succeeded`, `…action_failed`, "
        "`payment_intent.*`) are a hint to read the PaymentIntent again, never "
        "the truth: a kiosk behind NAT works by polling alone. Signatures: "
        "`Stripe-Signature: t=…,v1=…`, HMAC-SHA256 over `<t>.<body>`, 300 s "
        "tolerance.",
        WEBHOOKS,
    ),
    Assumption(
        "test.cards",
        "Test cards presented with `present_payment_method`: 4242424242424242 "
        "approves, 4000000000000002 declines (`generic_decline`), "
        "4000000000009995 declines (`insufficient_funds`). Amounts that decline "
        "on a physical test card are not emulated.",
        TESTING,
    ),
)
