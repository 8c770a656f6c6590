"""The Stripe emulator as the generic sandbox server drives it.

Routes (Bearer `SECRET_KEY`, form-encoded bodies, Stripe-shaped errors;
a POST's `Idempotency-Key` replays its first answer, or refuses other
parameters with `idempotency_error`): `/v1/payment_intents` (create, retrieve,
list, search by metadata, capture, cancel), `/v1/terminal/readers/{id}`
(retrieve, `process_payment_intent`, `cancel_action`),
`/v1/test_helpers/terminal/readers/{id}/present_payment_method`,
`/v1/refunds`, `/v1/webhook_endpoints`. Every change sends its events,
signed like Stripe's (`Stripe-Signature`), to the registered endpoints.
The emulator's control routes are in `controls`.

Not emulated: search beyond one metadata value, amounts that decline on a
physical test card, keys pruned after 24 h.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

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
from sandboxes.stripe import flows
from sandboxes.stripe.controls import control_router
from sandboxes.stripe.forms import FormError, body_decode, form_decode
from sandboxes.stripe.state import Account, Json, ReaderMode, object_id

SECRET_KEY = "sk_test_kiosk_sandbox"
WEBHOOK_SECRET = "whsec_kiosk_sandbox"
API_VERSION = "2026-10-28.endive"

# Stripe always honours idempotency keys: the emulator replays them itself
# (the shared server's replay does not compare parameters).
SWITCHES: dict[str, bool] = {}
MAX_KEY_LENGTH = 255
SETTINGS = {
    # A reader's action gets the default card after this many milliseconds
    # (0: never, a control action or the test helper decides).
    "auto_approve_ms": Setting(0, maximum=600_000),
}
CANCELABLE = {
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
}
_SEARCH = re.compile(r"^metadata\['([^']+)'\]:'([^']*)'$")

Handler = Callable[[dict[str, Any], dict[str, str], RequestContext], Json]


def stripe_error(
    status: int, message: str, *, kind: str = "invalid_request_error", **extra: object
) -> ApiError:
    error: dict[str, object] = {"type": kind, "message": message}
    error.update({key: value for key, value in extra.items() if value is not None})
    return ApiError(status, {"error": error})


def _missing(kind: str, object_id_: str) -> ApiError:
    return stripe_error(
        404,
        f"No such {kind}: '{object_id_}'",
        code="resource_missing",
        param="id",
    )


def _unexpected_state(intent: Json, verb: str) -> ApiError:
    return stripe_error(
        400,
        f"You cannot {verb} this PaymentIntent because it has a status of "
        f"{intent['status']}.",
        code="payment_intent_unexpected_state",
    )


def public(obj: Json) -> Json:
    return {key: value for key, value in obj.items() if not key.startswith("_")}


def _int(params: Mapping[str, Any], name: str, *, required: bool = False) -> int | None:
    value = params.get(name)
    if value is None:
        if required:
            raise stripe_error(400, f"Missing required param: {name}.", param=name)
        return None
    if not isinstance(value, str) or not value.isdigit() or len(value) > 12:
        raise stripe_error(400, f"Invalid integer: {value}", param=name)
    return int(value)


class StripeEmulator:
    name = "stripe"
    schema_version = 1
    switches: Mapping[str, bool] = SWITCHES
    settings: Mapping[str, Setting] = SETTINGS

    def __init__(self, *, webhook_url: str = "") -> None:
        self.account = Account()
        self.webhook_url = webhook_url
        self._endpoint_default()
        self.router: Router[Handler] = Router()
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/v1/payment_intents/search", self.intent_search),
            ("POST", "/v1/payment_intents", self.intent_create),
            ("GET", "/v1/payment_intents", self.intent_list),
            ("GET", "/v1/payment_intents/{id}", self.intent_retrieve),
            ("POST", "/v1/payment_intents/{id}/capture", self.intent_capture),
            ("POST", "/v1/payment_intents/{id}/cancel", self.intent_cancel),
            ("GET", "/v1/terminal/readers/{id}", self.reader_retrieve),
            (
                "POST",
                "/v1/terminal/readers/{id}/process_payment_intent",
                self.reader_process,
            ),
            ("POST", "/v1/terminal/readers/{id}/cancel_action", self.reader_cancel),
            (
                "POST",
                "/v1/test_helpers/terminal/readers/{id}/present_payment_method",
                self.reader_present,
            ),
            ("POST", "/v1/refunds", self.refund_create),
            ("GET", "/v1/refunds/{id}", self.refund_retrieve),
            ("POST", "/v1/webhook_endpoints", self.endpoint_create),
            ("GET", "/v1/webhook_endpoints", self.endpoint_list),
        ]
        for method, template, handler in routes:
            self.router.add(method, template, handler)
        self.control_router = control_router(self)

    def _endpoint_default(self) -> None:
        if self.webhook_url:
            self.account.endpoints["we_sandbox"] = {
                "id": "we_sandbox",
                "object": "webhook_endpoint",
                "url": self.webhook_url,
                "enabled_events": ["*"],
                "secret": WEBHOOK_SECRET,
                "status": "enabled",
            }

    def reset(self, context: RequestContext) -> None:
        self.account.clear()
        self._endpoint_default()
        context.connection.execute("PRAGMA user_version = 1")

    # --- Serving -------------------------------------------------------------------

    def handle_api(
        self, request: SandboxRequest, context: RequestContext
    ) -> SandboxResponse:
        if request.bearer_token() != SECRET_KEY:
            raise stripe_error(
                401,
                "Invalid API Key provided: "
                + (request.bearer_token() or "")[:8]
                + "*****",
            )
        try:
            match = self.router.match(request.method, request.path)
        except ApiError as error:
            raise stripe_error(
                error.status,
                f"Unrecognized request URL ({request.method}: {request.path}).",
            ) from error
        try:
            if request.method == "POST":
                params = body_decode(request.body)
            else:
                params = form_decode(list(request.query.items()))
        except FormError as error:
            raise stripe_error(400, str(error)) from error
        key = request.header("idempotency-key") if request.method == "POST" else None
        with self.account.lock:
            if key is None:
                response, is_cut = self._serve(
                    match.handler, params, match.params, context
                )
            else:
                response, is_cut = self._serve_once(
                    request, key, match.handler, params, match.params, context
                )
        # Done (and kept for a replay of its key), but this answer is lost.
        return SandboxResponse(200, hang_up=True) if is_cut else response

    def _serve(
        self,
        handler: Handler,
        params: dict[str, Any],
        path: dict[str, str],
        context: RequestContext,
    ) -> tuple[SandboxResponse, bool]:
        body = handler(params, path, context)
        response = json_response(body, headers={"Stripe-Version": API_VERSION})
        return response, self._is_cut(body)

    def _serve_once(
        self,
        request: SandboxRequest,
        key: str,
        handler: Handler,
        params: dict[str, Any],
        path: dict[str, str],
        context: RequestContext,
    ) -> tuple[SandboxResponse, bool]:
        """A POST under an idempotency key: its first answer, whatever came after."""
        if len(key) > MAX_KEY_LENGTH:
            raise stripe_error(400, "Idempotency keys are at most 255 characters.")
        slot = (request.bearer_token() or "", key)
        fingerprint = request.path + "?" + hashlib.sha256(request.body).hexdigest()
        stored = self.account.replays.get(slot)
        if stored is not None:
            if stored[0] != fingerprint:
                raise stripe_error(
                    400,
                    "Keys for idempotent requests can only be used with the same "
                    "parameters they were first used with.",
                    kind="idempotency_error",
                )
            kept: SandboxResponse = stored[1]
            replayed = kept.headers | {"Idempotent-Replayed": "true"}
            return SandboxResponse(
                kept.status, kept.body, kept.content_type, replayed
            ), False
        try:
            response, is_cut = self._serve(handler, params, path, context)
        except ApiError as error:
            # A refusal by state is kept; one of the parameters is not.
            details = error.payload.get("error")
            if isinstance(details, dict) and "code" in details:
                self.account.replays[slot] = (fingerprint, error.response())
            raise
        self.account.replays[slot] = (fingerprint, response)
        return response, is_cut

    def _is_cut(self, body: Json) -> bool:
        """An answer carrying an authorised payment, for a reader whose next is lost."""
        if body.get("object") != "payment_intent":
            return False
        if body.get("status") not in ("requires_capture", "succeeded"):
            return False
        intent = self.account.intents.get(str(body.get("id")))
        reader = intent.get("_reader") if intent else None
        return bool(reader) and self.account.answer_is_cut(str(reader))

    def handle_control(
        self, request: SandboxRequest, context: RequestContext
    ) -> SandboxResponse | None:
        return control_dispatch(self.control_router, request, context)

    def housekeeping(self, context: RequestContext) -> None:
        """Readers waiting longer than `auto_approve_ms` get the default card."""
        delay_ms = int(context.setting("auto_approve_ms"))
        if delay_ms <= 0:
            return
        now = time.monotonic()
        with self.account.lock:
            for reader_id, started in list(self.account.action_started.items()):
                if (now - started) * 1000 >= delay_ms:
                    self.customer_act(context, reader_id, "approve")

    def error_response(
        self, status: int, retry_after: int | None, knobs: FaultKnobs
    ) -> SandboxResponse:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        kind = "api_error" if status >= 500 else "invalid_request_error"
        body = {"error": {"type": kind, "message": status_phrase(status)}}
        return json_response(body, status, headers)

    def client_key(self, request: SandboxRequest) -> str:
        return request.bearer_token() or "anonymous"

    def sign_webhook(
        self, body: bytes, secret: str, timestamp: int
    ) -> Mapping[str, str]:
        signed = f"{timestamp}.".encode() + body
        digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        return {"Stripe-Signature": f"t={timestamp},v1={digest}"}

    # --- Events ---------------------------------------------------------------------

    def emitter(self, context: RequestContext) -> flows.Emit:
        def emit(kind: str, obj: Json) -> None:
            event_id = object_id("evt")
            event = {
                "id": event_id,
                "object": "event",
                "api_version": API_VERSION,
                "created": int(context.clock.timestamp()),
                "data": {"object": self._view(obj, expand=[])},
                "livemode": False,
                "pending_webhooks": 1,
                "request": {"id": None, "idempotency_key": None},
                "type": kind,
            }
            body = json.dumps(event).encode()
            for endpoint in self.account.endpoints.values():
                events = endpoint["enabled_events"]
                if "*" not in events and kind not in events:
                    continue
                message = WebhookMessage(
                    webhook_id=endpoint["id"],
                    event_id=event_id,
                    event=kind,
                    url=endpoint["url"],
                    secret=endpoint["secret"],
                    body=body,
                )
                context.on_commit(
                    lambda message=message: context.webhooks.enqueue(message)  # type: ignore[misc]
                )

        return emit

    def _view(self, obj: Json, *, expand: list[str]) -> Json:
        view = public(obj)
        if obj.get("object") == "payment_intent" and "latest_charge" in expand:
            charge = self.account.charges.get(str(obj.get("latest_charge")))
            view["latest_charge"] = public(charge) if charge else None
        return view

    # --- PaymentIntents -----------------------------------------------------------------

    def _intent(self, intent_id: str) -> Json:
        intent = self.account.intents.get(intent_id)
        if intent is None:
            raise _missing("payment_intent", intent_id)
        return intent

    def intent_create(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        amount = _int(params, "amount", required=True)
        currency = params.get("currency")
        if not amount:
            raise stripe_error(400, "Amount must be at least 1.", param="amount")
        if not isinstance(currency, str) or not re.fullmatch(r"[a-z]{3}", currency):
            raise stripe_error(400, "Invalid currency.", param="currency")
        capture_method = params.get("capture_method", "automatic")
        if capture_method not in ("automatic", "automatic_async", "manual"):
            raise stripe_error(400, "Invalid capture_method.", param="capture_method")
        metadata = params.get("metadata") or {}
        types = params.get("payment_method_types") or ["card"]
        if not isinstance(metadata, dict) or not isinstance(types, list):
            raise stripe_error(400, "Invalid parameters.")
        intent = {
            "id": object_id("pi"),
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_received": 0,
            "canceled_at": None,
            "cancellation_reason": None,
            "capture_method": capture_method,
            "created": int(context.clock.timestamp()),
            "currency": currency,
            "description": params.get("description"),
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": metadata,
            "payment_method": None,
            "payment_method_types": types,
            "status": "requires_payment_method",
            "_number": self.account.number(),
            "_reader": None,
        }
        self.account.intents[intent["id"]] = intent
        self.emitter(context)("payment_intent.created", intent)
        return self._view(intent, expand=params.get("expand") or [])

    def intent_retrieve(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        return self._view(self._intent(path["id"]), expand=params.get("expand") or [])

    def intent_list(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        limit = min(_int(params, "limit") or 10, 100)
        created = (
            params.get("created") if isinstance(params.get("created"), dict) else {}
        )
        assert isinstance(created, dict)
        low = _int(created, "gte") or 0
        high = _int(created, "lte")
        intents = sorted(
            self.account.intents.values(),
            key=lambda i: (i["created"], i["_number"]),
            reverse=True,
        )
        intents = [
            i
            for i in intents
            if i["created"] >= low and (high is None or i["created"] <= high)
        ]
        after = params.get("starting_after")
        if after:
            ids = [i["id"] for i in intents]
            if after not in ids:
                raise _missing("payment_intent", str(after))
            intents = intents[ids.index(after) + 1 :]
        page = intents[:limit]
        return {
            "object": "list",
            "data": [self._view(i, expand=[]) for i in page],
            "has_more": len(intents) > limit,
            "url": "/v1/payment_intents",
        }

    def intent_search(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        query = params.get("query")
        found = _SEARCH.match(query) if isinstance(query, str) else None
        if found is None:
            raise stripe_error(
                400,
                "This emulator searches PaymentIntents by one metadata value only.",
                param="query",
            )
        key, value = found.groups()
        data = [
            self._view(i, expand=[])
            for i in self.account.intents.values()
            if str(i["metadata"].get(key)) == value
        ]
        return {
            "object": "search_result",
            "data": data,
            "has_more": False,
            "next_page": None,
            "url": "/v1/payment_intents/search",
        }

    def intent_capture(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        intent = self._intent(path["id"])
        if intent["status"] != "requires_capture":
            raise _unexpected_state(intent, "capture")
        amount = _int(params, "amount_to_capture") or intent["amount"]
        if amount > intent["amount"]:
            raise stripe_error(
                400, "amount_to_capture is too large.", param="amount_to_capture"
            )
        flows.capture(self.account, intent, amount)
        self.emitter(context)("payment_intent.succeeded", intent)
        return self._view(intent, expand=params.get("expand") or [])

    def intent_cancel(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        intent = self._intent(path["id"])
        if intent["status"] not in CANCELABLE:
            raise _unexpected_state(intent, "cancel")
        emit = self.emitter(context)
        reader_id = intent.get("_reader")
        if reader_id and self.account.pending_reader_intent(reader_id) is intent:
            self._action_end(context, reader_id)
        if intent["status"] in CANCELABLE:
            flows.intent_void(self.account, intent)
            intent["canceled_at"] = int(context.clock.timestamp())
            intent["cancellation_reason"] = params.get("cancellation_reason")
            emit("payment_intent.canceled", intent)
        return self._view(intent, expand=params.get("expand") or [])

    # --- Readers --------------------------------------------------------------------

    def _reader(self, reader_id: str) -> Json:
        if not re.fullmatch(r"tmr_[A-Za-z0-9]{1,40}", reader_id):
            raise _missing("terminal.reader", reader_id)
        return self.account.reader(reader_id)

    def reader_retrieve(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        return public(self._reader(path["id"]))

    def reader_process(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        reader = self._reader(path["id"])
        reader_id = reader["id"]
        intent = self._intent(str(params.get("payment_intent", "")))
        if self.account.mode(reader_id) == ReaderMode.SILENT:
            raise stripe_error(
                400,
                "Stripe could not reach the reader in time.",
                code="terminal_reader_timeout",
            )
        if self.account.pending_reader_intent(reader_id) is not None:
            raise stripe_error(
                400,
                "Reader is currently busy processing another request.",
                code="terminal_reader_busy",
            )
        if intent["status"] != "requires_payment_method":
            raise _unexpected_state(intent, "process")
        intent["_reader"] = reader_id
        intent["last_payment_error"] = None
        reader["action"] = flows.action_new(intent["id"], params.get("process_config"))
        self.account.action_started[reader_id] = time.monotonic()
        return public(reader)

    def reader_cancel(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        reader = self._reader(path["id"])
        reader_id = reader["id"]
        if self.account.mode(reader_id) == ReaderMode.SILENT:
            raise stripe_error(
                400,
                "Stripe could not reach the reader in time.",
                code="terminal_reader_timeout",
            )
        if self.account.pending_reader_intent(reader_id) is None:
            raise stripe_error(400, "This reader has no action in progress to cancel.")
        self._action_end(context, reader_id)
        return public(reader)

    def _action_end(self, context: RequestContext, reader_id: str) -> None:
        """The integration stops the reader's action; the card may beat it."""
        if self.account.mode(reader_id) == ReaderMode.CARD_AFTER_ABORT:
            self.customer_act(context, reader_id, "approve")
            return
        reader = self.account.reader(reader_id)
        self.account.action_started.pop(reader_id, None)
        flows.action_fail(
            reader,
            flows.INTEGRATION_CANCELED,
            "The action was canceled by the integration.",
            self.emitter(context),
        )

    def reader_present(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        reader = self._reader(path["id"])
        if params.get("type", "card_present") != "card_present":
            raise stripe_error(400, "Only card_present is emulated.", param="type")
        if self.account.pending_reader_intent(reader["id"]) is None:
            raise stripe_error(
                400,
                "The reader has no payment waiting for a card.",
                code="terminal_reader_busy",
            )
        present = params.get("card_present")
        number = present.get("number") if isinstance(present, dict) else None
        self.customer_act(
            context, reader["id"], "approve", number=str(number or flows.DEFAULT_CARD)
        )
        return public(reader)

    def customer_act(
        self,
        context: RequestContext,
        reader_id: str,
        outcome: str,
        *,
        number: str = flows.DEFAULT_CARD,
    ) -> bool:
        """The customer at the reader: `approve`, `decline` or `cancel`.

        False when the reader has no payment waiting for a card.
        """
        intent = self.account.pending_reader_intent(reader_id)
        if intent is None:
            return False
        reader = self.account.reader(reader_id)
        self.account.action_started.pop(reader_id, None)
        emit = self.emitter(context)
        if outcome == "cancel":
            flows.action_fail(
                reader,
                flows.CUSTOMER_CANCELED,
                "The customer canceled the payment on the reader.",
                emit,
            )
            return True
        if outcome == "decline":
            number = flows.DECLINE_CARD
        now = int(context.clock.timestamp())
        flows.card_present(self.account, reader, intent, number, now, emit)
        return True

    # --- Refunds and webhook endpoints --------------------------------------------------------

    def refund_create(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        intent = self._intent(str(params.get("payment_intent", "")))
        if intent["status"] != "succeeded":
            raise stripe_error(
                400,
                "This PaymentIntent does not have a successful charge to refund.",
                code="charge_not_refundable",
            )
        charge = self.account.charges[intent["latest_charge"]]
        left = charge["amount_captured"] - charge["amount_refunded"]
        if left <= 0:
            raise stripe_error(
                400,
                f"Charge {charge['id']} has already been refunded.",
                code="charge_already_refunded",
            )
        amount = _int(params, "amount") or left
        if amount > left:
            raise stripe_error(
                400,
                "Refund amount is greater than unrefunded amount on charge.",
                code="amount_too_large",
                param="amount",
            )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount_captured"]
        refund = {
            "id": object_id("re"),
            "object": "refund",
            "amount": amount,
            "charge": charge["id"],
            "created": int(context.clock.timestamp()),
            "currency": intent["currency"],
            "metadata": params.get("metadata") or {},
            "payment_intent": intent["id"],
            "reason": params.get("reason"),
            "status": "succeeded",
        }
        self.account.refunds[refund["id"]] = refund
        emit = self.emitter(context)
        emit("refund.created", refund)
        emit("charge.refunded", charge)
        return dict(refund)

    def refund_retrieve(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        refund = self.account.refunds.get(path["id"])
        if refund is None:
            raise _missing("refund", path["id"])
        return dict(refund)

    def endpoint_create(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        url = params.get("url")
        events = params.get("enabled_events")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise stripe_error(400, "Invalid URL.", param="url")
        if not isinstance(events, list) or not events:
            raise stripe_error(
                400, "Missing required param: enabled_events.", param="enabled_events"
            )
        endpoint: Json = {
            "id": object_id("we"),
            "object": "webhook_endpoint",
            "url": url,
            "enabled_events": events,
            "secret": "whsec_" + secrets.token_hex(16),
            "status": "enabled",
        }
        self.account.endpoints[str(endpoint["id"])] = endpoint
        return dict(endpoint)

    def endpoint_list(
        self, params: dict[str, Any], path: dict[str, str], context: RequestContext
    ) -> Json:
        data = [
            {k: v for k, v in e.items() if k != "secret"}
            for e in self.account.endpoints.values()
        ]
        return {
            "object": "list",
            "data": data,
            "has_more": False,
            "url": "/v1/webhook_endpoints",
        }


def stripe_emulator_create() -> StripeEmulator:
    from django.conf import settings

    return StripeEmulator(
        webhook_url=getattr(settings, "SANDBOX_STRIPE_WEBHOOK_URL", "")
    )
