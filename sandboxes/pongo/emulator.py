"""The Pongo emulator as the generic sandbox server drives it.

One table lists every route of the API with who may call it: public (the
OAuth form and token), any valid token, or a token with a given scope. The
emulator's own control routes (`controls`: demo page, headless OAuth, balances,
orders) sit beside the shared ones under `/_sandbox/`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sandboxes.core.database import schema_replace
from sandboxes.core.faults import FaultKnobs, Setting
from sandboxes.core.server import RequestContext, control_dispatch
from sandboxes.core.web import (
    Router,
    SandboxRequest,
    SandboxResponse,
    json_response,
    status_phrase,
)
from sandboxes.pongo import customers, oauth, orders, rewards
from sandboxes.pongo.auth import principal_for_token, scope_require
from sandboxes.pongo.call import ApiCall
from sandboxes.pongo.checkins import checkin_create
from sandboxes.pongo.controls import control_router
from sandboxes.pongo.records import store_json
from sandboxes.pongo.schema import SCHEMA_VERSION, STATEMENTS
from sandboxes.pongo.seed import seed_load
from sandboxes.pongo.webhooks import (
    signature_headers,
    webhook_subscribe,
    webhook_unsubscribe,
)

SWITCHES = {
    # Pongo's reference enumerates the order's channel, delivery mode, status
    # and delivery status: values outside the lists are refused (422).
    "strict_enums": True,
    "honor_idempotency_key": False,
    "restore_rewards": True,
    "allow_http_webhooks": False,
}

ERROR_MESSAGES = {
    401: "Unauthenticated.",
    403: "Invalid scope(s) provided.",
    404: "Not Found.",
    429: "Too Many Attempts.",
}

# Who may call a route: nobody needs a token, any valid token, or this scope.
PUBLIC = "public"
TOKEN = "token"


@dataclass(frozen=True)
class ApiRoute:
    handler: Callable[[ApiCall], SandboxResponse]
    access: str  # PUBLIC, TOKEN, or a scope


def store_list(call: ApiCall) -> SandboxResponse:
    rows = call.connection.execute(
        "SELECT * FROM stores WHERE merchant = ? ORDER BY public_id", (call.merchant,)
    ).fetchall()
    return json_response({"data": [store_json(row) for row in rows]})


CUSTOMER = "/v1/customers/{customer}"
OWNED_REWARD = CUSTOMER + "/rewards/{customer_reward}"

API_ROUTES: tuple[tuple[str, str, Callable[[ApiCall], SandboxResponse], str], ...] = (
    ("GET", "/v1/oauth/form", oauth.oauth_form_show, PUBLIC),
    ("POST", "/v1/oauth/form", oauth.oauth_form_submit, PUBLIC),
    ("POST", "/v1/oauth/token", oauth.oauth_token, PUBLIC),
    ("GET", "/v1/oauth/me", oauth.oauth_me, TOKEN),
    ("GET", "/v1/oauth/test", oauth.oauth_test, TOKEN),
    ("GET", "/v1/stores", store_list, TOKEN),
    ("GET", "/v1/customers/attributes", customers.customer_attributes, TOKEN),
    (
        "HEAD",
        "/v1/customers/phone/{phone}",
        customers.customer_show_by_phone,
        "customer.read",
    ),
    (
        "GET",
        "/v1/customers/phone/{phone}",
        customers.customer_show_by_phone,
        "customer.read",
    ),
    ("GET", "/v1/customers", customers.customer_list, "customer.read"),
    ("POST", "/v1/customers", customers.customer_create, "customer.create"),
    ("GET", CUSTOMER, customers.customer_show, "customer.read"),
    ("PUT", CUSTOMER, customers.customer_update, "customer.update"),
    ("PATCH", CUSTOMER, customers.customer_update, "customer.update"),
    ("GET", CUSTOMER + "/attributes", customers.customer_attributes, TOKEN),
    ("POST", CUSTOMER + "/attributes", customers.customer_attributes, TOKEN),
    ("PATCH", CUSTOMER + "/attributes/{key}", customers.customer_attributes, TOKEN),
    ("DELETE", CUSTOMER + "/attributes/{key}", customers.customer_attributes, TOKEN),
    ("GET", CUSTOMER + "/rewards", rewards.customer_rewards, "reward.read"),
    ("POST", OWNED_REWARD + "/lock", rewards.reward_lock, "reward.update"),
    ("DELETE", OWNED_REWARD + "/lock", rewards.reward_unlock, "reward.update"),
    ("PATCH", OWNED_REWARD + "/use", rewards.reward_use, "reward.update"),
    ("GET", "/v1/customer-tags", customers.customer_tags, "customer.read"),
    ("GET", "/v1/rewards", rewards.reward_list, "reward.read"),
    ("POST", "/v1/rewards/{reward}/buy", rewards.reward_buy, "reward.update"),
    ("POST", "/v1/orders", orders.order_create, "order.create"),
    (
        "PATCH",
        "/v1/orders/{order_id}/status",
        orders.order_status_update,
        "order.update",
    ),
    ("POST", "/v1/checkins", checkin_create, "checkin.create"),
    ("POST", "/v1/webhooks", webhook_subscribe, TOKEN),
    ("DELETE", "/v1/webhooks/{webhook}", webhook_unsubscribe, TOKEN),
)


class PongoEmulator:
    name = "pongo"
    schema_version = SCHEMA_VERSION
    switches: Mapping[str, bool] = SWITCHES
    settings: Mapping[str, Setting] = {}

    def __init__(self) -> None:
        self.router: Router[ApiRoute] = Router()
        for method, template, handler, access in API_ROUTES:
            self.router.add(method, template, ApiRoute(handler, access))
        self.control_router = control_router()

    def reset(self, context: RequestContext) -> None:
        schema_replace(context.connection, STATEMENTS, SCHEMA_VERSION)
        seed_load(context.connection)

    def handle_api(
        self, request: SandboxRequest, context: RequestContext
    ) -> SandboxResponse:
        match = self.router.match(request.method, request.path)
        route = match.handler
        principal = None
        if route.access != PUBLIC:
            principal = principal_for_token(
                context.connection,
                request.bearer_token(),
                now=context.clock.timestamp(),
            )
            scope_require(principal, None if route.access == TOKEN else route.access)
        return route.handler(ApiCall(request, context, principal, match.params))

    def handle_control(
        self, request: SandboxRequest, context: RequestContext
    ) -> SandboxResponse | None:
        return control_dispatch(self.control_router, request, context)

    def housekeeping(self, context: RequestContext) -> None:
        """Nothing to do: locks and tokens expire when they are read."""

    def error_response(
        self, status: int, retry_after: int | None, knobs: FaultKnobs
    ) -> SandboxResponse:
        if status >= 500:
            message = "Server Error"
        else:
            message = ERROR_MESSAGES.get(status, status_phrase(status))
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return json_response({"message": message}, status, headers)

    def client_key(self, request: SandboxRequest) -> str:
        return request.bearer_token() or "anonymous"

    def sign_webhook(
        self, body: bytes, secret: str, timestamp: int
    ) -> Mapping[str, str]:
        return signature_headers(body, secret, timestamp)


def pongo_emulator_create() -> PongoEmulator:
    return PongoEmulator()
