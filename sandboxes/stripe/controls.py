"""The Stripe emulator's own control routes, and the reader's screen.

- `POST /_sandbox/terminal/{reader}/action` `{"action": ...}` plays the
  reader: `approve` (the customer presents the test Visa), `decline` (a card
  its issuer declines), `cancel` (the customer cancels on the reader),
  `card_after_abort` (the card goes through even if the kiosk cancels the
  action), `silent` (Stripe cannot reach the reader), `normal`, and
  `drop_after_commit` (the next answer carrying an authorised or captured
  PaymentIntent of this reader is cut: the change stays, the connection
  closes). A form post answers with the screen again.
- `GET /_sandbox/terminal/{reader}/screen`: the reader's screen as HTML,
  with a button per action (framed by the kiosk's demo).
- `GET /_sandbox/payments`, `GET /_sandbox/refunds`: what the account holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandboxes.core.screen import terminal_action_name, terminal_screen_html
from sandboxes.core.server import ControlHandler, RequestContext
from sandboxes.core.web import (
    ApiError,
    Router,
    SandboxRequest,
    SandboxResponse,
    html_response,
    json_response,
    redirect_response,
)
from sandboxes.stripe.state import Json, ReaderMode

if TYPE_CHECKING:
    from sandboxes.stripe.emulator import StripeEmulator

OUTCOMES = ("approve", "decline", "cancel")
MODES = {
    "card_after_abort": ReaderMode.CARD_AFTER_ABORT,
    "silent": ReaderMode.SILENT,
    "normal": ReaderMode.NORMAL,
}
ACTION_LABELS = {
    "approve": "Present card",
    "decline": "Card declined",
    "cancel": "Customer cancels",
    "card_after_abort": "Card goes through after a cancel",
    "drop_after_commit": "Cut the next answer",
    "silent": "Reader unreachable",
    "normal": "Answer normally",
}
SCREEN_MESSAGES = {
    "requires_payment_method": "Present card",
    "requires_capture": "Approved",
    "succeeded": "Approved",
    "canceled": "Cancelled",
}


def control_router(emulator: StripeEmulator) -> Router[ControlHandler]:
    account = emulator.account

    def action(
        request: SandboxRequest, context: RequestContext, params: dict[str, str]
    ) -> SandboxResponse:
        name = terminal_action_name(request, ACTION_LABELS)
        reader_id = params["reader"]
        with account.lock:
            account.reader(reader_id)
            if name == "drop_after_commit":
                account.cut_answers.add(reader_id)
            elif name in MODES:
                account.modes[reader_id] = MODES[name]
            elif not emulator.customer_act(context, reader_id, name):
                raise ApiError.message(409, "No payment is waiting on this reader.")
        if request.is_form():
            return redirect_response(f"/_sandbox/terminal/{reader_id}/screen")
        return json_response(_reader_json(emulator, reader_id))

    def screen(
        request: SandboxRequest, context: RequestContext, params: dict[str, str]
    ) -> SandboxResponse:
        return html_response(_screen_html(emulator, params["reader"]))

    def payments(
        request: SandboxRequest, context: RequestContext, params: dict[str, str]
    ) -> SandboxResponse:
        with account.lock:
            ordered = sorted(account.intents.values(), key=lambda i: i["_number"])
            data = [_payment_json(emulator, intent) for intent in ordered]
        return json_response({"data": data})

    def refunds(
        request: SandboxRequest, context: RequestContext, params: dict[str, str]
    ) -> SandboxResponse:
        with account.lock:
            data = [dict(refund) for refund in account.refunds.values()]
        return json_response({"data": data})

    router: Router[ControlHandler] = Router()
    router.add("POST", "/_sandbox/terminal/{reader}/action", action)
    router.add("GET", "/_sandbox/terminal/{reader}/screen", screen)
    router.add("GET", "/_sandbox/payments", payments)
    router.add("GET", "/_sandbox/refunds", refunds)
    return router


def _payment_json(emulator: StripeEmulator, intent: Json) -> Json:
    charge = emulator.account.charges.get(str(intent.get("latest_charge")))
    return {
        "id": intent["id"],
        "reader": intent["_reader"],
        "attempt_key": intent["metadata"].get("attempt_key", ""),
        "amount": intent["amount"],
        "currency": intent["currency"],
        "status": intent["status"],
        "amount_received": intent["amount_received"],
        "amount_refunded": charge["amount_refunded"] if charge else 0,
    }


def _reader_json(emulator: StripeEmulator, reader_id: str) -> dict[str, object]:
    account = emulator.account
    with account.lock:
        latest = account.latest_intent(reader_id)
        return {
            "reader": reader_id,
            "mode": account.mode(reader_id).value,
            "action": account.reader(reader_id).get("action"),
            "payment": _payment_json(emulator, latest) if latest else None,
        }


def _screen_text(emulator: StripeEmulator, reader_id: str) -> tuple[str, str]:
    account = emulator.account
    with account.lock:
        latest = account.latest_intent(reader_id)
        if latest is None:
            return "", "Welcome"
        amount = f"{latest['amount'] / 100:.2f} {str(latest['currency']).upper()}"
        action = account.reader(reader_id).get("action") or {}
        on_latest = (action.get("process_payment_intent") or {}).get(
            "payment_intent"
        ) == latest["id"]
        if latest.get("last_payment_error"):
            return amount, "Declined"
        if on_latest and action.get("status") == "in_progress":
            return amount, "Present card"
        if on_latest and action.get("status") == "failed":
            return amount, "Cancelled"
        if latest["status"] == "requires_payment_method":
            return "", "Welcome"  # not handed to the reader (yet)
        return amount, SCREEN_MESSAGES.get(str(latest["status"]), "Processing")


def _screen_html(emulator: StripeEmulator, reader_id: str) -> str:
    amount, message = _screen_text(emulator, reader_id)
    return terminal_screen_html(
        title="Reader",
        device_id=reader_id,
        amount=amount,
        message=message,
        actions=ACTION_LABELS,
    )
