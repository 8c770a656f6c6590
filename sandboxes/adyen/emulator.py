"""The Adyen emulator as the generic sandbox server drives it.

Routes: cloud `POST /sync` and `/async` (header `X-API-Key`), the local
terminal's `POST /nexo` (encrypted with `crypto.SHARED_KEY`), and Checkout's
`POST /checkout/{version}/payments/{pspReference}/refunds`, replayed by
`Idempotency-Key`. The emulator's control routes are in `controls`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal

from sandboxes.adyen import crypto
from sandboxes.adyen.controls import control_router
from sandboxes.adyen.nexo import (
    Answer,
    Rejected,
    Work,
    reject_event,
    result_terminal,
    terminal_serve,
)
from sandboxes.adyen.notifications import refund_notification
from sandboxes.adyen.state import PaymentState, Refund, Terminals
from sandboxes.core.faults import FaultKnobs, Setting
from sandboxes.core.server import RequestContext, control_dispatch
from sandboxes.core.web import (
    ApiError,
    Router,
    SandboxRequest,
    SandboxResponse,
    json_response,
    status_phrase,
)
from sandboxes.core.webhooks import WebhookMessage

API_KEY = "kiosk-sandbox-api-key"
MERCHANT_ACCOUNT = "KioskSandboxPOS"

SWITCHES = {"honor_idempotency_key": True}
SETTINGS = {
    # A pending payment is approved after this many milliseconds (0: never,
    # a control action decides).
    "auto_approve_ms": Setting(0, maximum=600_000),
}


def _api_key_check(request: SandboxRequest) -> None:
    if request.header("x-api-key") != API_KEY:
        raise _adyen_error(
            401, "000", "HTTP Status Response - Unauthorized", "security"
        )


class AdyenEmulator:
    name = "adyen"
    schema_version = 1
    switches: Mapping[str, bool] = SWITCHES
    settings: Mapping[str, Setting] = SETTINGS

    def __init__(self, *, webhook_url: str = "") -> None:
        # Where its standard webhooks (REFUND notifications) go; none if empty.
        self.webhook_url = self._configured_webhook_url = webhook_url
        self.terminals = Terminals()
        self.router: Router[str] = Router()
        self.router.add("POST", "/sync", "sync")
        self.router.add("POST", "/async", "async")
        self.router.add("POST", "/nexo", "nexo")
        self.router.add("POST", "/checkout/{version}/payments/{psp}/refunds", "refund")
        self.control_router = control_router(self.terminals, self._webhook_set)

    def _webhook_set(self, url: str) -> None:
        self.webhook_url = url

    def reset(self, context: RequestContext) -> None:
        self.webhook_url = self._configured_webhook_url
        self.terminals.clear()
        context.connection.execute("PRAGMA user_version = 1")

    def handle_api(
        self, request: SandboxRequest, context: RequestContext
    ) -> SandboxResponse:
        match = self.router.match(request.method, request.path)
        if match.handler == "nexo":
            return self._nexo(request, context)
        _api_key_check(request)
        if match.handler == "refund":
            return self._refund(request, match.params["psp"], context)
        work = self._work(request.json(), context, is_async=match.handler == "async")
        if match.handler == "async":
            return _finished(lambda: _ok(work))
        return _finished(lambda: self._answer(work()))

    def _answer(self, result: Answer) -> SandboxResponse:
        if self._is_cut(result):
            return SandboxResponse(200, hang_up=True)
        return _json_or_empty(result)

    def _is_cut(self, result: Answer) -> bool:
        """Whether this answer, carrying a payment's result, is to be lost (once)."""
        poiid = result_terminal(result)
        return poiid is not None and self.terminals.answer_is_cut(poiid)

    def _work(
        self, message: object, context: RequestContext, *, is_async: bool
    ) -> Work:
        try:
            return terminal_serve(
                message,
                terminals=self.terminals,
                auto_approve_ms=int(context.setting("auto_approve_ms")),
                is_async=is_async,
                clock_iso=context.clock.isoformat(),
            )
        except Rejected as error:
            event = reject_event(str(error))
            return lambda: event

    def _nexo(
        self, request: SandboxRequest, context: RequestContext
    ) -> SandboxResponse:
        envelope = request.json_object().get("SaleToPOIRequest")
        try:
            if not isinstance(envelope, dict):
                raise crypto.CryptoFailure("SaleToPOIRequest missing")
            clear = json.loads(crypto.decrypt(envelope), parse_float=Decimal)
        except (crypto.CryptoFailure, ValueError):
            return json_response(reject_event("message cannot be decrypted"))
        work = self._work(clear, context, is_async=False)

        def answer() -> SandboxResponse:
            result = work()
            if result is None or "SaleToPOIResponse" not in result:
                return _json_or_empty(result)
            if self._is_cut(result):
                return SandboxResponse(200, hang_up=True)
            text = json.dumps(result).encode()
            header = result["SaleToPOIResponse"]["MessageHeader"]
            return json_response(crypto.encrypt(text, header))

        return _finished(answer)

    def _refund(
        self, request: SandboxRequest, psp: str, context: RequestContext
    ) -> SandboxResponse:
        body = request.json_object()
        amount = body.get("amount")
        value = amount.get("value") if isinstance(amount, dict) else None
        currency = amount.get("currency") if isinstance(amount, dict) else None
        if body.get("merchantAccount") != MERCHANT_ACCOUNT:
            raise _adyen_error(403, "901", "Invalid Merchant Account", "security")
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not isinstance(currency, str)
        ):
            raise _adyen_error(422, "137", "Invalid amount specified", "validation")
        terminals = self.terminals
        with terminals.condition:
            payment = terminals.by_psp(psp)
            if payment is None or payment.state != PaymentState.APPROVED:
                raise _adyen_error(
                    422,
                    "167",
                    "Original pspReference required for this operation",
                    "validation",
                )
            refund = Refund(
                psp_reference=f"SBXR{len(terminals.refunds) + 1:012d}",
                payment_psp_reference=psp,
                amount=value,
                currency=currency,
                reference=str(body.get("reference", "")),
            )
            terminals.refunds.append(refund)
            refusal = terminals.refund_refusal
        if self.webhook_url:
            message = WebhookMessage(
                webhook_id="standard",
                event_id=refund.psp_reference,
                event="REFUND",
                url=self.webhook_url,
                secret="",
                body=refund_notification(
                    refund, merchant_account=MERCHANT_ACCOUNT, refusal=refusal
                ),
            )
            context.on_commit(lambda: context.webhooks.enqueue(message))
        return json_response(
            {
                "merchantAccount": MERCHANT_ACCOUNT,
                "paymentPspReference": psp,
                "pspReference": refund.psp_reference,
                "reference": refund.reference,
                "status": "received",
                "amount": {"value": value, "currency": currency},
            },
            201,
        )

    def handle_control(
        self, request: SandboxRequest, context: RequestContext
    ) -> SandboxResponse | None:
        return control_dispatch(self.control_router, request, context)

    def housekeeping(self, context: RequestContext) -> None:
        """Nothing to do: payments end by control actions or their own timers."""

    def error_response(
        self, status: int, retry_after: int | None, knobs: FaultKnobs
    ) -> SandboxResponse:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        body = {
            "status": status,
            "errorCode": str(status),
            "message": status_phrase(status),
            "errorType": "internal",
        }
        return json_response(body, status, headers)

    def client_key(self, request: SandboxRequest) -> str:
        return request.header("x-api-key") or "anonymous"

    def sign_webhook(
        self, body: bytes, secret: str, timestamp: int
    ) -> Mapping[str, str]:
        return {}


def _adyen_error(status: int, code: str, message: str, kind: str) -> ApiError:
    """A refusal in the shape of Adyen's API errors."""
    body = {"status": status, "errorCode": code, "message": message, "errorType": kind}
    return ApiError(status, body)


def _finished(answer: Callable[[], SandboxResponse]) -> SandboxResponse:
    """Answered after the request's transaction: a payment may wait for its customer."""
    return SandboxResponse(200, finish=answer)


def _ok(work: Work) -> SandboxResponse:
    work()
    return SandboxResponse(200, b"ok", "text/plain")


def _json_or_empty(result: dict[str, object] | None) -> SandboxResponse:
    # An answer with no body: an abort, or a payment that never ended.
    if result is None:
        return SandboxResponse(200, b"", "application/json")
    return json_response(result)


def adyen_emulator_create() -> AdyenEmulator:
    from django.conf import settings

    return AdyenEmulator(webhook_url=getattr(settings, "SANDBOX_ADYEN_WEBHOOK_URL", ""))
