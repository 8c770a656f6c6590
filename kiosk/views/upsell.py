"""The offer screen: one suggestion after an "Add" or on the way to checkout.

An offer made after adding a product goes back to the menu (or the cart, when
taken); one made on the way to checkout goes on to the checkout page either way.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kiosk import flow
from kiosk.customer_session import with_order
from kiosk.http import OrderRequest
from kiosk.models import OrderLine, UpsellKind, UpsellOffer, UpsellTrigger
from kiosk.services.errors import KioskError
from kiosk.services.upsell import (
    UpsellPanel,
    upsell_offer_accept,
    upsell_offer_choose,
    upsell_offer_decline,
    upsell_open_offer,
    upsell_panel,
)

CHECKOUT_MOMENT = "checkout"


def _default_title(kind: str) -> str:
    if kind == UpsellKind.MEAL:
        return _("Make it a meal?")
    if kind == UpsellKind.SIZE_UP:
        return _("Go large?")
    return _("Something to go with it?")


def _render_panel(request: OrderRequest, panel: UpsellPanel) -> HttpResponse:
    context = {
        "panel": panel,
        "title": panel.offer.rule.title or _default_title(panel.kind),
        "single": len(panel.items) == 1,
    }
    return render(request, "kiosk/upsell.html", context)


def _is_before_checkout(offer: UpsellOffer) -> bool:
    return offer.rule.trigger == UpsellTrigger.BEFORE_CHECKOUT


def _after_url(offer: UpsellOffer, *, accepted: bool) -> str:
    if _is_before_checkout(offer):
        return reverse("kiosk:checkout")
    if accepted:
        return reverse("kiosk:cart")
    line = (
        OrderLine.objects.filter(pk=offer.line_id or 0)
        .select_related("product")
        .first()
    )
    if line is not None and line.product and line.product.category_id:
        return reverse("kiosk:menu-category", args=[line.product.category_id])
    return reverse("kiosk:menu")


@require_GET
@with_order
def offer(request: OrderRequest) -> HttpResponse:
    """The open offer; `?at=checkout` looks for one on the way to checkout."""
    if not request.order.is_draft:
        return redirect(flow.resume_url(request.order))
    at_checkout = request.GET.get("at") == CHECKOUT_MOMENT
    shown = upsell_open_offer(order=request.order)
    if shown is not None and at_checkout != _is_before_checkout(shown):
        # An offer left unanswered after an "Add" is not put back on the way
        # to checkout: the customer moved on.
        return redirect("kiosk:checkout" if at_checkout else "kiosk:menu")
    if shown is not None:
        panel = upsell_panel(offer=shown)
        if panel.items:
            return _render_panel(request, panel)
        # What it offered left the menu or the order: not a "no", just gone.
        return redirect(_after_url(shown, accepted=False))
    if not at_checkout:
        return redirect("kiosk:menu")
    chosen = upsell_offer_choose(
        order=request.order, moment=UpsellTrigger.BEFORE_CHECKOUT
    )
    if chosen is None:
        return redirect("kiosk:checkout")
    return _render_panel(request, chosen)


def _after_error(request: OrderRequest) -> HttpResponse:
    request.order.refresh_from_db()
    if request.order.is_draft:
        return redirect("kiosk:cart")
    return redirect(flow.resume_url(request.order))


def _offer_id(request: OrderRequest) -> int:
    value = request.POST.get("offer", "")
    return int(value) if value.isdigit() else 0


@require_POST
@with_order
def offer_accept(request: OrderRequest) -> HttpResponse:
    product = request.POST.get("product", "")
    try:
        taken = upsell_offer_accept(
            order=request.order,
            offer_id=_offer_id(request),
            product_id=int(product) if product.isdigit() else None,
        )
    except KioskError as err:
        messages.error(request, err.message)
        return _after_error(request)
    messages.success(request, _("Added to your order."))
    return redirect(_after_url(taken, accepted=True))


@require_POST
@with_order
def offer_decline(request: OrderRequest) -> HttpResponse:
    try:
        declined = upsell_offer_decline(
            order=request.order, offer_id=_offer_id(request)
        )
    except KioskError as err:
        messages.error(request, err.message)
        return _after_error(request)
    return redirect(_after_url(declined, accepted=False))
