"""The staff counter page: orders waiting for payment, and paid orders to hand over."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from kiosk.http import StaffRequest
from kiosk.models import ActorKind, Order, PaymentChannel, Store
from kiosk.selectors import awaiting_counter_orders, paid_orders_to_hand_over
from kiosk.services.errors import KioskError
from kiosk.services.orders import order_cancel, order_complete, order_confirm_payment

PERMISSION = "kiosk.confirm_counter_payment"


@require_safe
@login_required
@permission_required(PERMISSION, raise_exception=True)
def counter_index(request: StaffRequest) -> HttpResponse:
    stores = list(Store.objects.order_by("name"))
    if len(stores) == 1:
        return redirect("counter:store", store_slug=stores[0].slug)
    return render(request, "counter/index.html", {"stores": stores})


@require_safe
@login_required
@permission_required(PERMISSION, raise_exception=True)
def counter_store(request: StaffRequest, store_slug: str) -> HttpResponse:
    store = get_object_or_404(Store, slug=store_slug)
    context = {
        "store": store,
        "awaiting": awaiting_counter_orders(store=store),
        "paid": paid_orders_to_hand_over(store=store),
    }
    template = (
        "counter/store.html#orders"
        if request.htmx and not request.htmx.boosted
        else "counter/store.html"
    )
    return render(request, template, context)


@require_POST
@login_required
@permission_required(PERMISSION, raise_exception=True)
def counter_order_action(
    request: StaffRequest, store_slug: str, order_id: int, action: str
) -> HttpResponse:
    order = get_object_or_404(Order, pk=order_id, store__slug=store_slug)
    try:
        if action == "paid":
            order_confirm_payment(
                order=order, channel=PaymentChannel.COUNTER, user=request.user
            )
            messages.success(request, f"#{order.number} paid.")
        elif action == "cancel":
            order_cancel(
                order=order,
                actor=ActorKind.STAFF,
                user=request.user,
                reason="cancelled at the counter",
            )
            messages.success(request, f"#{order.number} cancelled.")
        elif action == "complete":
            order_complete(order=order, actor=ActorKind.STAFF, user=request.user)
            messages.success(request, f"#{order.number} handed over.")
        else:
            return HttpResponse(status=404)
    except KioskError as err:
        messages.error(request, err.message)
    return redirect("counter:store", store_slug=store_slug)
