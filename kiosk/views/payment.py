"""Checkout and payment: card on the kiosk's terminal, or at the counter."""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kiosk import flow
from kiosk.customer_session import session_touch, with_order, with_order_polled
from kiosk.http import OrderRequest
from kiosk.selectors import cart_view
from kiosk.services.checkout import order_checkout, order_switch_to_counter
from kiosk.services.errors import KioskError
from kiosk.services.orders import order_reopen
from kiosk.services.payments import (
    latest_terminal_payment,
    payment_cancel_by_customer,
    payment_customer_action,
    payment_refresh,
    payment_retry,
)
from kiosk.services.terminals import payment_screen_terminal
from loyalty.selectors import order_loyalty_state
from loyalty.services.redemptions import loyalty_refused_drop
from loyalty.services.sessions import loyalty_basket_check


def _checkout_page(
    request: OrderRequest, *, removed: list[str] | None = None, status: int = 200
) -> HttpResponse:
    state = order_loyalty_state(request.order)
    context = {
        "cart": cart_view(request.order),
        "removed": removed or [],
        "has_voucher": state.has_voucher,
        "issues": state.issues,
    }
    return render(request, "kiosk/checkout.html", context, status=status)


@require_GET
@with_order
def checkout(request: OrderRequest) -> HttpResponse:
    if not request.order.is_draft:
        return redirect(flow.resume_url(request.order))
    return _checkout_page(request)


@require_POST
@with_order
def checkout_submit(request: OrderRequest) -> HttpResponse:
    method = request.POST.get("method", "")
    # The programme checks the basket once more; the customer may pay without
    # the incentives it refuses, which then leave the order.
    refused: list[str] = []
    if request.order.is_draft:
        if request.POST.get("confirmed") == "yes":
            refused = loyalty_refused_drop(order=request.order)
        elif loyalty_basket_check(order=request.order, payment_method=method).issues:
            return _checkout_page(request, status=409)
    try:
        result = order_checkout(order=request.order, method=method)
    except KioskError as err:
        messages.error(request, err.message)
        request.order.refresh_from_db()
        if not request.order.is_draft:
            return redirect(flow.resume_url(request.order))
        return _checkout_page(request, status=422)
    if result.removed:
        request.order.refresh_from_db()
        return _checkout_page(request, removed=result.removed, status=409)
    if refused:
        messages.info(
            request,
            _("Taken out of your order: %(names)s.") % {"names": ", ".join(refused)},
        )
    return redirect(flow.resume_url(result.order))


@require_GET
@with_order
def payment(request: OrderRequest) -> HttpResponse:
    if not request.order.is_paying_by_card:
        return redirect(flow.resume_url(request.order))
    return _payment_page(request, "kiosk/payment.html")


def _payment_page(request: OrderRequest, template: str) -> HttpResponse:
    terminal, screen = payment_screen_terminal(request.order.kiosk)
    context = {
        "order": request.order,
        "payment": latest_terminal_payment(request.order),
        "customer_outcomes": terminal.customer_outcomes() if terminal else [],
        "terminal_screen": screen,
    }
    # The kiosk's middleware lets the page frame that address.
    return render(request, template, context)


@require_POST
@with_order_polled
def payment_status(request: OrderRequest) -> HttpResponse:
    """Polled by the payment page while the terminal works: it writes the
    session only once the payment is over and the customer goes on."""
    payment_refresh(order=request.order)
    request.order.refresh_from_db()
    if not request.order.is_paying_by_card:
        session_touch(request.session, now=time.time())
        return flow.navigate(request, flow.resume_url(request.order))
    return _payment_page(request, "kiosk/payment.html#payment-status")


@require_POST
@with_order
def payment_retry_view(request: OrderRequest) -> HttpResponse:
    try:
        payment_retry(order=request.order)
    except KioskError as err:
        messages.error(request, err.message)
    return redirect(flow.resume_url(request.order))


@require_POST
@with_order
def payment_cancel(request: OrderRequest) -> HttpResponse:
    payment_cancel_by_customer(order=request.order)
    return redirect("kiosk:payment")


@require_POST
@with_order
def payment_back(request: OrderRequest) -> HttpResponse:
    """Back to the order after a card payment that did not go through."""
    try:
        order_reopen(order=request.order)
    except KioskError as err:
        messages.error(request, err.message)
        return redirect(flow.resume_url(request.order))
    return redirect("kiosk:checkout")


@require_POST
@with_order
def payment_counter(request: OrderRequest) -> HttpResponse:
    """Pay at the counter instead, after a card payment that did not go through."""
    try:
        order = order_switch_to_counter(order=request.order)
    except KioskError as err:
        messages.error(request, err.message)
        order = request.order
    return redirect(flow.resume_url(order))


@require_POST
@with_order
def payment_simulate(request: OrderRequest) -> HttpResponse:
    """A key of the payment screen that plays the customer at the terminal."""
    outcome = request.POST.get("outcome", "")
    if not payment_customer_action(order=request.order, outcome=outcome):
        raise Http404
    return (
        HttpResponse(status=204) if request.htmx else redirect(reverse("kiosk:payment"))
    )
