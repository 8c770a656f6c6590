"""The RBI emulator as the generic sandbox server drives it.

One table lists every route of the loyalty API. Calls under `/loyalty/` and
`/graphql` must carry the market's headers (`rbi.md` §2): a known
`x-api-key`, `x-region: FR` and a parsable `x-user-datetime`. The Sanity
route needs none, as published content needs no token. Refusals are written
in §6.1's shape, in the spelling the `upper_snake_codes` switch picks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from sandboxes.core.database import schema_replace
from sandboxes.core.faults import FaultKnobs, Setting
from sandboxes.core.server import RequestContext, control_dispatch
from sandboxes.core.web import (
    ApiError,
    RouteMatch,
    Router,
    SandboxRequest,
    SandboxResponse,
    json_response,
)
from sandboxes.rbi.call import RbiCall
from sandboxes.rbi.content import offers_singleton, rewards_singleton
from sandboxes.rbi.controls import control_router
from sandboxes.rbi.errors import (
    ErrorCode,
    RbiError,
    invalid_fields,
    status_error_response,
    unauthorized,
)
from sandboxes.rbi.graphql import (
    MIDDLEWARE_SCHEMA,
    SANITY_SCHEMA,
    RootField,
    graphql_serve,
)
from sandboxes.rbi.identify import identify
from sandboxes.rbi.ledger import EARN_BASIS_PAYMENTS, EARN_BASIS_SUBTOTAL
from sandboxes.rbi.listings import offers_list, rewards_list
from sandboxes.rbi.promo import points_adjust, promo_code_redeem
from sandboxes.rbi.schema import SCHEMA_VERSION, STATEMENTS
from sandboxes.rbi.seed import (
    API_KEY,
    MARKET,
    SANITY_OFFERS_SINGLETON,
    SANITY_REWARDS_SINGLETON,
    seed_load,
)
from sandboxes.rbi.transactions import (
    pending_expire,
    transaction_unclaimed,
    transaction_update,
    transaction_validate,
    transaction_void,
)

SWITCHES = {
    "upper_snake_codes": False,
    "loyalty_id_identifier": True,
    "email_identifier": False,
}
SETTINGS = {
    # A PENDING transaction untouched this long is voided by the sweeper.
    "pending_ttl_s": Setting(1800, minimum=1, maximum=7 * 24 * 3600),
    "earn_basis": Setting(
        EARN_BASIS_SUBTOTAL, choices=(EARN_BASIS_SUBTOTAL, EARN_BASIS_PAYMENTS)
    ),
}

Handler = Callable[[RbiCall], SandboxResponse]

TRANSACTION = "/loyalty/transaction/pos/{transaction_id}"
VALIDATE = "/loyalty/transaction/pos/validate/{transaction_id}"
SANITY_GRAPHQL = "/sanity/v1/graphql/{dataset}/default"
DEFAULT_HOST = "127.0.0.1:8802"


def middleware_graphql(call: RbiCall) -> SandboxResponse:
    resolvers: dict[str, Callable[[RootField], object]] = {
        "loyaltyOffersV2": lambda root: offers_list(call, root),
        "loyaltyRewardsV2": lambda root: rewards_list(call, root),
    }
    return graphql_serve(call.request, MIDDLEWARE_SCHEMA, resolvers)


def sanity_graphql(call: RbiCall) -> SandboxResponse:
    dataset = call.params["dataset"]
    if dataset != MARKET.sanity_dataset:
        message = f"Dataset not found: {dataset}"
        return json_response({"errors": [{"message": message}]}, 404)
    base_url = f"http://{call.request.header('host') or DEFAULT_HOST}"

    def singleton(
        document_id: str, build: Callable[[str], dict[str, object]]
    ) -> Callable[[RootField], object]:
        # Sanity answers null for a document id it does not hold.
        return lambda root: (
            build(base_url) if root.arguments.get("id") == document_id else None
        )

    return graphql_serve(
        call.request,
        SANITY_SCHEMA,
        {
            "LoyaltyOffersUI": singleton(SANITY_OFFERS_SINGLETON, offers_singleton),
            "RewardList": singleton(SANITY_REWARDS_SINGLETON, rewards_singleton),
        },
    )


API_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", "/loyalty/identify", identify),
    ("POST", VALIDATE, transaction_validate),
    # One version of RBI's page shows PUT: both are accepted.
    ("PUT", VALIDATE, transaction_validate),
    ("PUT", TRANSACTION + "/void", transaction_void),
    ("PUT", TRANSACTION, transaction_update),
    ("POST", "/loyalty/transaction/pos", transaction_unclaimed),
    ("POST", "/loyalty/promo-code/redeem", promo_code_redeem),
    ("POST", "/loyalty/user/{loyalty_id}/points", points_adjust),
    ("POST", "/graphql", middleware_graphql),
    ("POST", SANITY_GRAPHQL, sanity_graphql),
    ("GET", SANITY_GRAPHQL, sanity_graphql),
)


def headers_check(request: SandboxRequest) -> None:
    """The market's headers: 401 for the key, then 400 naming every bad one."""
    if request.header("x-api-key") != API_KEY:
        raise unauthorized()
    fields = []
    if request.header("x-region") != MARKET.country:
        fields.append("x-region")
    if not _is_datetime_with_offset(request.header("x-user-datetime")):
        fields.append("x-user-datetime")
    if fields:
        raise invalid_fields(fields, "Invalid request headers")


def _is_datetime_with_offset(value: str | None) -> bool:
    try:
        return value is not None and datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _needs_headers(path: str) -> bool:
    return path.startswith("/loyalty/") or path == "/graphql"


class RbiEmulator:
    name = "rbi"
    schema_version = SCHEMA_VERSION
    switches: Mapping[str, bool] = SWITCHES
    settings: Mapping[str, Setting] = SETTINGS

    def __init__(self) -> None:
        self.router: Router[Handler] = Router()
        for method, template, handler in API_ROUTES:
            self.router.add(method, template, handler)
        self.control_router = control_router()

    def reset(self, context: RequestContext) -> None:
        schema_replace(context.connection, STATEMENTS, SCHEMA_VERSION)
        seed_load(context.connection, now=context.clock.now())

    def housekeeping(self, context: RequestContext) -> None:
        """The PENDING sweeper, every second and whenever the clock moves."""
        ttl_s = context.setting("pending_ttl_s")
        assert isinstance(ttl_s, int)
        pending_expire(context.connection, now=context.clock.now(), ttl_s=ttl_s)

    def handle_api(
        self, request: SandboxRequest, context: RequestContext
    ) -> SandboxResponse:
        try:
            if _needs_headers(request.path):
                headers_check(request)
            match = self._route(request)
            return match.handler(RbiCall(request, context, match.params))
        except RbiError as error:
            is_upper_snake = context.switch("upper_snake_codes")
            raise error.api_error(is_upper_snake=is_upper_snake) from error

    def _route(self, request: SandboxRequest) -> RouteMatch[Handler]:
        try:
            return self.router.match(request.method, request.path)
        except ApiError as error:
            if error.status == 405:
                raise RbiError(
                    405, ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed"
                ) from error
            raise RbiError(404, ErrorCode.NOT_FOUND, "Not found") from error

    def handle_control(
        self, request: SandboxRequest, context: RequestContext
    ) -> SandboxResponse | None:
        return control_dispatch(self.control_router, request, context)

    def error_response(
        self, status: int, retry_after: int | None, knobs: FaultKnobs
    ) -> SandboxResponse:
        is_upper_snake = knobs.switches.get("upper_snake_codes", False)
        return status_error_response(status, retry_after, is_upper_snake=is_upper_snake)

    def client_key(self, request: SandboxRequest) -> str:
        return request.header("x-api-key") or "anonymous"

    def sign_webhook(
        self, body: bytes, secret: str, timestamp: int
    ) -> Mapping[str, str]:
        # The loyalty middleware sends no webhooks to kiosks.
        return {}


def rbi_emulator_create() -> RbiEmulator:
    return RbiEmulator()
