"""Where the customer goes next.

The steps: attract → service mode → [loyalty identification, when the store
runs a loyalty programme] → menu ⇄ product ⇄ cart → checkout → payment →
confirmation.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_htmx.http import HttpResponseLocation

from kiosk.http import HtmxRequest
from kiosk.models import Order, OrderState
from loyalty.models import OrderLoyalty
from loyalty.programmes import store_programme


def after_start_url(order: Order) -> str:
    if not order.service_mode:
        return reverse("kiosk:service-mode")
    return after_service_mode_url(order)


def after_service_mode_url(order: Order) -> str:
    """Identification comes first when the store runs a loyalty programme."""
    if not store_programme(order.store):
        return reverse("kiosk:menu")
    if not OrderLoyalty.objects.filter(order=order).exists():
        return reverse("kiosk:loyalty-identify")
    return after_identify_url(order)


def after_identify_url(order: Order, *, show_panel: bool = True) -> str:
    """After identification: the service mode if not chosen yet, then the rewards."""
    if not order.service_mode:
        return reverse("kiosk:service-mode")
    if (
        show_panel
        and OrderLoyalty.objects.filter(order=order, is_verified=True).exists()
    ):
        return reverse("kiosk:loyalty-panel")
    return reverse("kiosk:menu")


def resume_url(order: Order) -> str:
    """The page that shows an order in its current state."""
    if order.state == OrderState.DRAFT:
        return after_start_url(order)
    if order.is_paying_by_card:
        return reverse("kiosk:payment")
    return reverse("kiosk:confirmation")


# The page each action (a POST-only address) belongs to: where a browser that
# shows the action's address (a reload after a form error, a history entry)
# is sent on GET, and the address the page gets after a POST that renders it.
_ACTION_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "product-preview": ("kiosk:product", ("product_id",)),
    "product-add": ("kiosk:product", ("product_id",)),
    "cart-quantity": ("kiosk:cart", ()),
    "cart-remove": ("kiosk:cart", ()),
    "cart-undo": ("kiosk:cart", ()),
    "cart-line-preview": ("kiosk:cart-line-edit", ("line_id",)),
    "cart-line-update": ("kiosk:cart-line-edit", ("line_id",)),
    "checkout-submit": ("kiosk:checkout", ()),
    "payment-status": ("kiosk:payment", ()),
    "payment-retry": ("kiosk:payment", ()),
    "payment-cancel": ("kiosk:payment", ()),
    "payment-back": ("kiosk:payment", ()),
    "payment-counter": ("kiosk:payment", ()),
    "payment-simulate": ("kiosk:payment", ()),
    "loyalty-phone-submit": ("kiosk:loyalty-phone", ()),
    "loyalty-code-submit": ("kiosk:loyalty-code", ()),
    "loyalty-forget": ("kiosk:loyalty-identify", ()),
    "loyalty-incentive-add": ("kiosk:loyalty-panel", ()),
    "loyalty-use": ("kiosk:loyalty-panel", ()),
    "loyalty-add": ("kiosk:loyalty-panel", ()),
    "loyalty-remove": ("kiosk:cart", ()),
    "upsell-accept": ("kiosk:upsell", ()),
    "upsell-decline": ("kiosk:upsell", ()),
}


def action_page_url(url_name: str, kwargs: dict[str, Any]) -> str | None:
    """The address of the page an action belongs to; None for the others (a
    page of its own, or an action whose page is the attract screen)."""
    if url_name not in _ACTION_PAGES:
        return None
    page, kept = _ACTION_PAGES[url_name]
    return reverse(page, kwargs={name: kwargs[name] for name in kept})


def reward_sheet_url(product_id: int, reference: str, price: int | None = None) -> str:
    """The product sheet of a product given by a reward (free) or an offer (at its price)."""
    query = {"reward": reference} | ({"price": str(price)} if price else {})
    return f"{reverse('kiosk:product', args=[product_id])}?{urlencode(query)}"


def safe_next(value: str | None, *, default: str) -> str:
    """A same-site path to go back to, or the default page."""
    if value and value.startswith("/") and url_has_allowed_host_and_scheme(value, None):
        return value
    return reverse(default)


def navigate(request: HtmxRequest, url: str) -> HttpResponse:
    """Go to a page: a redirect, or for an htmx fragment request, an htmx page load."""
    if request.htmx and not request.htmx.boosted:
        return HttpResponseLocation(
            url, target="#main", select="#main", swap="outerHTML"
        )
    return redirect(url)
