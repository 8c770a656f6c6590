"""The Adyen emulator's own control routes, and the terminal's screen.

- `POST /_sandbox/terminal/{poiid}/action` `{"action": ...}` plays the
  terminal: `approve` (the customer presents the test card), `decline`,
  `cancel` (the customer cancels on the terminal), `card_after_abort` (the
  card will go through even if the cashier aborts), `silent` (the terminal
  stops answering), `normal`, and `drop_after_commit` (the next answer
  carrying a finished payment, to the payment itself or to a status request,
  is cut: the payment stays as it is, the connection closes). A form post
  answers with the screen again.
- `GET /_sandbox/terminal/{poiid}/screen`: the terminal's screen as HTML,
  with a button per action (framed by the kiosk's demo).
- `GET /_sandbox/payments`, `GET /_sandbox/refunds`: what the terminals hold.
"""

from __future__ import annotations

from collections.abc import Callable

from sandboxes.adyen.state import PaymentState, TerminalMode, Terminals
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

OUTCOMES = {
    "approve": PaymentState.APPROVED,
    "decline": PaymentState.DECLINED,
    "cancel": PaymentState.CANCELLED,
}
MODES = {
    "card_after_abort": TerminalMode.CARD_AFTER_ABORT,
    "silent": TerminalMode.SILENT,
    "normal": TerminalMode.NORMAL,
}
ACTION_LABELS = {
    "approve": "Present card",
    "decline": "Card declined",
    "cancel": "Customer cancels",
    "card_after_abort": "Card goes through after an abort",
    "drop_after_commit": "Cut the next answer",
    "silent": "Stop answering",
    "normal": "Answer normally",
}


def control_router(
    terminals: Terminals, webhook: Callable[[str], None]
) -> Router[ControlHandler]:
    def action(
        request: SandboxRequest, context: RequestContext, params: dict[str, str]
    ) -> SandboxResponse:
        name = terminal_action_name(request, ACTION_LABELS)
        poiid = params["poiid"]
        _act(terminals, poiid, name)
        if request.is_form():
            return redirect_response(f"/_sandbox/terminal/{poiid}/screen")
        return json_response(_terminal_json(terminals, poiid))

    def screen(
        request: SandboxRequest, context: RequestContext, params: dict[str, str]
    ) -> SandboxResponse:
        return html_response(_screen_html(terminals, params["poiid"]))

    def payments(
        request: SandboxRequest, context: RequestContext, params: dict[str, str]
    ) -> SandboxResponse:
        with terminals.condition:
            data = [
                p.to_json()
                for p in sorted(terminals.payments.values(), key=lambda p: p.number)
            ]
        return json_response({"data": data})

    def refunds(
        request: SandboxRequest, context: RequestContext, params: dict[str, str]
    ) -> SandboxResponse:
        with terminals.condition:
            data = [refund.to_json() for refund in terminals.refunds]
        return json_response({"data": data})

    def refund_outcome(
        request: SandboxRequest, context: RequestContext, params: dict[str, str]
    ) -> SandboxResponse:
        """`{"refuse": "reason"}`: the refunds to come are refused; `{}`: they succeed."""
        reason = request.json_object().get("refuse", "")
        if not isinstance(reason, str) or len(reason) > 200:
            raise ApiError.invalid("refuse", "A reason of at most 200 characters.")
        with terminals.condition:
            terminals.refund_refusal = reason
        return json_response({"refuse": reason})

    def webhook_url(
        request: SandboxRequest, context: RequestContext, params: dict[str, str]
    ) -> SandboxResponse:
        """`{"url": "..."}`: where the standard webhooks go from now on ("" stops them)."""
        url = request.json_object().get("url", "")
        if not isinstance(url, str) or not (
            url == "" or url.startswith(("http://", "https://"))
        ):
            raise ApiError.invalid("url", "An http(s) address, or empty.")
        webhook(url)
        return json_response({"url": url})

    router: Router[ControlHandler] = Router()
    router.add("POST", "/_sandbox/webhook", webhook_url)
    router.add("POST", "/_sandbox/refunds/outcome", refund_outcome)
    router.add("POST", "/_sandbox/terminal/{poiid}/action", action)
    router.add("GET", "/_sandbox/terminal/{poiid}/screen", screen)
    router.add("GET", "/_sandbox/payments", payments)
    router.add("GET", "/_sandbox/refunds", refunds)
    return router


def _act(terminals: Terminals, poiid: str, name: str) -> None:
    if name == "drop_after_commit":
        with terminals.condition:
            terminals.cut_answers.add(poiid)
        return
    with terminals.condition:
        if name in MODES:
            terminals.modes[poiid] = MODES[name]
            if MODES[name] == TerminalMode.NORMAL:
                terminals.condition.notify_all()
            return
        payment = terminals.pending(poiid)
        if payment is None:
            raise ApiError.message(409, "No payment is waiting on this terminal.")
        terminals.settle(payment, OUTCOMES[name])


def _terminal_json(terminals: Terminals, poiid: str) -> dict[str, object]:
    with terminals.condition:
        latest = terminals.latest(poiid)
        return {
            "poiid": poiid,
            "mode": terminals.mode(poiid).value,
            "payment": latest.to_json() if latest else None,
        }


def _screen_text(terminals: Terminals, poiid: str) -> tuple[str, str]:
    with terminals.condition:
        latest = terminals.latest(poiid)
        if latest is None:
            return "", "Welcome"
        amount = f"{latest.amount:.2f} {latest.currency}"
        messages = {
            PaymentState.PENDING: "Present card",
            PaymentState.APPROVED: "Approved",
            PaymentState.DECLINED: "Declined",
            PaymentState.CANCELLED: "Cancelled",
            PaymentState.ABORTED: "Cancelled by the till",
        }
        return amount, messages[latest.state]


def _screen_html(terminals: Terminals, poiid: str) -> str:
    amount, message = _screen_text(terminals, poiid)
    return terminal_screen_html(
        title="Terminal",
        device_id=poiid,
        amount=amount,
        message=message,
        actions=ACTION_LABELS,
    )
