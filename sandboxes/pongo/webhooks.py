"""Webhook subscriptions and the customer events they receive.

Every change to a customer, whatever caused it (API call, enrolment by an
order, points earned or spent, the control API), emits `customer.created` or
`customer.updated` to the merchant's subscriptions. Deliveries leave after the
transaction commits, signed as Pongo signs them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from functools import partial
from urllib.parse import urlsplit

from sandboxes.core.clock import iso_format
from sandboxes.core.server import RequestContext
from sandboxes.core.web import ApiError, SandboxResponse, empty_response, json_response
from sandboxes.core.webhooks import WebhookMessage
from sandboxes.pongo.call import ApiCall
from sandboxes.pongo.records import customer_json, identifier_new
from sandboxes.pongo.validation import Validator

EVENTS = ("customer.created", "customer.updated")


def signature_headers(body: bytes, secret: str, timestamp: int) -> dict[str, str]:
    """`Pongo-Signature: t=…,v1=…`: HMAC-SHA256 of the body then the timestamp."""
    signed = body + str(timestamp).encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return {"Pongo-Signature": f"t={timestamp},v1={digest}"}


def customer_event_emit(
    context: RequestContext, *, merchant: str, customer: str, event: str
) -> None:
    """Queue `event` with the customer as it is now, for delivery after commit."""
    connection = context.connection
    hooks = connection.execute(
        "SELECT * FROM webhooks WHERE merchant = ? AND event = ? ORDER BY created_at, id",
        (merchant, event),
    ).fetchall()
    if not hooks:
        return
    row = connection.execute(
        "SELECT * FROM customers WHERE public_id = ?", (customer,)
    ).fetchone()
    event_id = identifier_new("evt_")
    payload = {
        "id": event_id,
        "event": event,
        "created_at": iso_format(context.clock.now()),
        "data": customer_json(connection, row),
    }
    body = json.dumps(payload, ensure_ascii=False).encode()
    for hook in hooks:
        message = WebhookMessage(
            hook["id"], event_id, event, hook["url"], hook["secret"], body
        )
        context.on_commit(partial(context.webhooks.enqueue, message))


def webhook_subscribe(call: ApiCall) -> SandboxResponse:
    validator = Validator(call.body())
    event = validator.choice("event", EVENTS, is_required=True)
    url = validator.string("url", is_required=True, max_length=2000)
    secret = validator.string("secret")
    if url is not None and not _url_is_allowed(
        url, call.context.switch("allow_http_webhooks")
    ):
        validator.error("url", "The url must start with https://.")
    validator.raise_if_invalid()
    hook = {
        "id": identifier_new("wh_"),
        "event": event,
        "url": url,
        "secret": secret or "whsec_" + secrets.token_hex(16),
    }
    call.connection.execute(
        "INSERT INTO webhooks (id, merchant, event, url, secret, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (hook["id"], call.merchant, event, url, hook["secret"], call.now_iso()),
    )
    return json_response({"data": hook}, 201)


def webhook_unsubscribe(call: ApiCall) -> SandboxResponse:
    deleted = call.connection.execute(
        "DELETE FROM webhooks WHERE merchant = ? AND id = ?",
        (call.merchant, call.params["webhook"]),
    ).rowcount
    if not deleted:
        raise ApiError.message(404, "Webhook not found.")
    return empty_response()


def _url_is_allowed(url: str, is_http_allowed: bool) -> bool:
    parts = urlsplit(url)
    schemes = ("https", "http") if is_http_allowed else ("https",)
    return parts.scheme in schemes and bool(parts.hostname)
