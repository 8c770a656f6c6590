"""The POS endpoint: an external POS confirms or cancels pay-at-counter orders.

Authenticated by the store's POS token (`Authorization: Bearer pos_…`, made
in admin). A token only ever sees its own store's orders.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import update_wrapper
from typing import Any, Concatenate, ParamSpec
from uuid import UUID

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from kiosk.models import (
    ActorKind,
    CardRefund,
    Order,
    OrderState,
    PaymentChannel,
    Store,
)
from kiosk.services.errors import OrderStateError, PaymentMismatch
from kiosk.services.orders import (
    order_cancel,
    order_complete,
    order_confirm_payment,
)
from kiosk.services.provisioning import store_for_pos_token
from kiosk.services.refunds import order_refund_to_card

P = ParamSpec("P")


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def with_store(
    view: Callable[Concatenate[HttpRequest, Store, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    def wrapper(
        request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponse:
        scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
        store = (
            store_for_pos_token(token.strip()) if scheme.lower() == "bearer" else None
        )
        if store is None:
            response = _error(
                401, "unauthorized", "A valid store POS token is required."
            )
            response["WWW-Authenticate"] = 'Bearer realm="pos"'
            return response
        return view(request, store, *args, **kwargs)

    update_wrapper(wrapper, view)
    return csrf_exempt(wrapper)


def order_json(order: Order) -> dict[str, Any]:
    return {
        "id": order.uuid.hex,
        "number": order.number,
        "business_date": order.business_date.isoformat()
        if order.business_date
        else None,
        "state": order.state,
        "service_mode": order.service_mode,
        "total": order.total,
        "tax_total": order.tax_total,
        "currency": order.currency,
        "kiosk": order.kiosk.code if order.kiosk else None,
        "lines": [
            {
                "id": line.pk,
                "parent": line.parent_id,
                "kind": line.kind,
                "sku": line.sku,
                "plu": line.plu,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "total": line.total,
            }
            for line in order.lines.all()
        ],
    }


@require_GET
@with_store
def orders_list(request: HttpRequest, store: Store) -> HttpResponse:
    """Today's orders of the store; `?state=` and `?number=` narrow the list."""
    orders = Order.objects.filter(
        store=store, business_date=store.business_date(timezone.now())
    )
    state = request.GET.get("state")
    if state:
        if state not in OrderState.values:
            return _error(400, "bad_request", f"Unknown state {state!r}.")
        orders = orders.filter(state=state)
    number = request.GET.get("number")
    if number:
        if not number.isdigit():
            return _error(400, "bad_request", "number must be a positive integer.")
        orders = orders.filter(number=int(number))
    orders = orders.select_related("kiosk").prefetch_related("lines").order_by("number")
    return JsonResponse({"orders": [order_json(order) for order in orders]})


def card_refunds_json(order: Order) -> list[dict[str, Any]]:
    """What went back to cards; a failed one is for the POS to refund in cash."""
    refunds = CardRefund.objects.filter(payment__order=order).order_by("created_at")
    return [
        {"amount": refund.amount, "status": refund.status, "message": refund.message}
        for refund in refunds
    ]


def _body(request: HttpRequest) -> dict[str, Any] | None:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):
        # Not JSON, not UTF-8, or nested deeper than the parser goes.
        return None
    return data if isinstance(data, dict) else None


def _order(store: Store, order_id: str) -> Order | None:
    try:
        key = UUID(order_id)
    except ValueError:
        return None
    return Order.objects.filter(store=store, uuid=key).select_related("kiosk").first()


def _refund(*, order: Order, actor: str, reason: str) -> Order:
    """Refunded, with the card payments sent back to their cards."""
    order_refund_to_card(order=order, actor=actor, reason=reason)
    order.refresh_from_db()
    return order


# Actions that take an optional "reason": the service, and the reason by default.
_WITH_REASON: dict[str, tuple[Callable[..., Order], str]] = {
    "cancel": (order_cancel, "cancelled by the POS"),
    "refund": (_refund, "refunded by the POS"),
}


def _confirm_payment(order: Order, data: dict[str, Any]) -> Order | JsonResponse:
    """The POS took `amount` (minor units) for the order, under its `reference`."""
    amount = data.get("amount")
    reference = data.get("reference", "")
    if (
        not isinstance(amount, int)
        or isinstance(amount, bool)
        or not isinstance(reference, str)
    ):
        return _error(
            422,
            "invalid",
            "amount (integer, minor units) is required; reference is a string.",
        )
    return order_confirm_payment(
        order=order, channel=PaymentChannel.POS, amount=amount, reference=reference
    )


def _change(order: Order, action: str, data: dict[str, Any]) -> Order | JsonResponse:
    """The order after `action`, or the error that refuses the request's body."""
    if action == "paid":
        return _confirm_payment(order, data)
    if action in _WITH_REASON:
        change, default_reason = _WITH_REASON[action]
        reason = data.get("reason", default_reason)
        if not isinstance(reason, str):
            return _error(422, "invalid", "reason must be a string.")
        return change(order=order, actor=ActorKind.POS, reason=reason)
    if action == "complete":
        return order_complete(order=order, actor=ActorKind.POS)
    return _error(404, "not_found", f"Unknown action {action!r}.")


@require_POST
@with_store
def order_action(
    request: HttpRequest, store: Store, order_id: str, action: str
) -> HttpResponse:
    data = _body(request)
    if data is None:
        return _error(400, "bad_request", "The body must be a JSON object.")
    order = _order(store, order_id)
    if order is None:
        return _error(404, "not_found", "No such order in this store.")
    try:
        changed = _change(order, action, data)
    except PaymentMismatch as err:
        return _error(422, "amount_mismatch", err.message)
    except OrderStateError as err:
        return _error(409, "conflict", err.message)
    if isinstance(changed, JsonResponse):
        return changed
    body: dict[str, Any] = {"order": order_json(changed)}
    if action == "refund":
        body["card_refunds"] = card_refunds_json(changed)
    return JsonResponse(body)
