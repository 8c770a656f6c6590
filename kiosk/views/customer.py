"""The customer's pages, from the attract screen to the order number.

Views parse the request, call one service, and render a page (htmx swaps its
#main) or a named partial of it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from kiosk import flow
from kiosk.customer_session import (
    HIGH_CONTRAST_KEY,
    LANGUAGE_KEY,
    LOW_REACH_KEY,
    ORDER_KEY,
    session_reset,
    session_start,
    with_order,
)
from kiosk.http import KioskRequest, OrderRequest
from kiosk.models import OrderState, Product, ServiceMode, UpsellTrigger
from kiosk.selectors import (
    attract_content,
    cart_view,
    menu_for_store,
    order_for_kiosk,
    orderable_products,
)
from kiosk.services.cart import (
    cart_line_add,
    cart_line_remove,
    cart_line_set_quantity,
    order_set_service_mode,
)
from kiosk.services.errors import CartError, KioskError
from kiosk.services.orders import order_set_language
from kiosk.services.selections import LineSelection, default_selection
from kiosk.services.upsell import upsell_offer_choose
from kiosk.sheet import StepRequest, product_sheet, selection_from_post, step_from_post
from kiosk.views.cart_edit import undo_remember, undo_seconds
from loyalty.selectors import order_loyalty_state


@require_safe
def attract(request: KioskRequest) -> HttpResponse:
    order = order_for_kiosk(
        kiosk=request.kiosk, order_uuid=request.session.get(ORDER_KEY)
    )
    if order is not None:
        return redirect(flow.resume_url(order))
    store = request.kiosk.store
    content = attract_content(store=store, day=store.business_date())
    return render(request, "kiosk/attract.html", {"attract": content})


@require_POST
def language_set(request: KioskRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language in request.kiosk.store.languages:
        request.session[LANGUAGE_KEY] = language
        order = order_for_kiosk(
            kiosk=request.kiosk, order_uuid=request.session.get(ORDER_KEY)
        )
        if order is not None:
            order_set_language(order=order, language=language)
    return redirect(flow.safe_next(request.POST.get("next"), default="kiosk:attract"))


@require_POST
def accessibility_set(request: KioskRequest) -> HttpResponse:
    for mode, key in (
        ("low_reach", LOW_REACH_KEY),
        ("high_contrast", HIGH_CONTRAST_KEY),
    ):
        if request.POST.get("toggle") == mode:
            request.session[key] = not request.session.get(key, False)
    return redirect(flow.safe_next(request.POST.get("next"), default="kiosk:attract"))


@require_POST
def start(request: KioskRequest) -> HttpResponse:
    """A new customer: a new session key and a fresh draft order."""
    if not request.kiosk.store.is_ordering_open:
        return redirect("kiosk:attract")
    order = session_start(request)
    return redirect(flow.after_start_url(order))


@require_POST
def reset(request: KioskRequest) -> HttpResponse:
    """Idle timeout, "cancel order", or the end of the confirmation screen."""
    session_reset(request, note=request.POST.get("reason", "reset")[:40])
    response = redirect("kiosk:attract")
    # The device cookie stays: it binds this browser to its kiosk.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


@with_order
def service_mode(request: OrderRequest) -> HttpResponse:
    if not request.order.is_draft:
        return redirect(flow.resume_url(request.order))
    if request.method == "POST":
        try:
            order = order_set_service_mode(
                order=request.order, service_mode=request.POST.get("mode", "")
            )
        except KioskError as err:
            messages.error(request, err.message)
        else:
            return redirect(flow.after_service_mode_url(order))
    return render(
        request, "kiosk/service_mode.html", {"modes": _offered_modes(request)}
    )


def _offered_modes(request: OrderRequest) -> list[ServiceMode]:
    return [ServiceMode(mode) for mode in request.kiosk.store.service_modes]


@require_GET
@with_order
def menu(request: OrderRequest, category_id: int | None = None) -> HttpResponse:
    if not request.order.is_draft:
        return redirect(flow.resume_url(request.order))
    categories = menu_for_store(store=request.kiosk.store, now=timezone.now())
    current = next((c for c in categories if c.category.pk == category_id), None)
    if current is None and categories:
        current = categories[0]
    context = {
        "categories": categories,
        "current": current,
        "cart": cart_view(request.order),
    }
    return render(request, "kiosk/menu.html", context)


def _product_or_none(request: OrderRequest, product_id: int) -> Product | None:
    return orderable_products(request.kiosk.store).filter(pk=product_id).first()


def _render_sheet(
    request: OrderRequest,
    found: Product,
    selection: LineSelection,
    *,
    template: str = "kiosk/product.html",
    status: int = 200,
    errors: dict[str, str] | None = None,
    message: str = "",
    step: StepRequest | None = None,
) -> HttpResponse:
    # A loyalty reward (free) or offer (at its price) being put on the order.
    # The price here only previews the sheet: the order takes it from the programme.
    reward = str(request.GET.get("reward") or request.POST.get("reward") or "")[:80]
    raw_price = str(request.GET.get("price") or request.POST.get("price") or "")
    price = int(raw_price) if raw_price.isdigit() else None
    try:
        sheet = product_sheet(
            order=request.order,
            product=found,
            selection=selection,
            now=timezone.now(),
            errors=errors,
            message=message,
            reward_reference=reward,
            reward_price=price,
            step=step,
        )
    except CartError as err:
        messages.error(request, err.message)
        return flow.navigate(request, reverse("kiosk:menu"))
    return render(request, template, {"sheet": sheet}, status=status)


@require_GET
@with_order
def product(request: OrderRequest, product_id: int) -> HttpResponse:
    found = _product_or_none(request, product_id)
    if found is None or not request.order.is_draft:
        messages.error(request, _("This product is not on the menu."))
        return redirect("kiosk:menu")
    return _render_sheet(request, found, default_selection(found))


@require_POST
@with_order
def product_preview(request: OrderRequest, product_id: int) -> HttpResponse:
    """The sheet again after a change: prices and the options of combo choices follow."""
    found = _product_or_none(request, product_id)
    if found is None:
        messages.error(request, _("This product is not on the menu."))
        return flow.navigate(request, reverse("kiosk:menu"))
    template = "kiosk/product.html#sheet-body"
    try:
        selection = selection_from_post(product_id=found.pk, data=request.POST)
    except CartError as err:
        return _render_sheet(
            request,
            found,
            default_selection(found),
            template=template,
            message=err.message,
        )
    return _render_sheet(
        request, found, selection, template=template, step=step_from_post(request.POST)
    )


@require_POST
@with_order
def product_add(request: OrderRequest, product_id: int) -> HttpResponse:
    found = _product_or_none(request, product_id)
    if found is None:
        messages.error(request, _("This product is not on the menu."))
        return redirect("kiosk:menu")
    selection = default_selection(found)
    try:
        selection = selection_from_post(product_id=found.pk, data=request.POST)
        line = cart_line_add(order=request.order, selection=selection)
    except CartError as err:
        return _render_sheet(
            request,
            found,
            selection,
            status=422,
            errors=err.errors,
            message=err.message,
            step=step_from_post(request.POST),
        )
    except KioskError as err:
        messages.error(request, err.message)
        return redirect(flow.resume_url(request.order))
    messages.success(request, _("Added to your order."))
    if upsell_offer_choose(
        order=request.order,
        moment=UpsellTrigger.AFTER_ADD,
        line=line,
        quantity=selection.quantity,
    ):
        return redirect("kiosk:upsell")
    if found.category_id:
        return redirect("kiosk:menu-category", category_id=found.category_id)
    return redirect("kiosk:menu")


@require_GET
@with_order
def cart(request: OrderRequest) -> HttpResponse:
    if not request.order.is_draft:
        return redirect(flow.resume_url(request.order))
    return render(request, "kiosk/cart.html", _cart_context(request))


def _cart_context(request: OrderRequest) -> dict[str, object]:
    state = order_loyalty_state(request.order)
    return {
        "cart": cart_view(request.order),
        "loyalty_on": state.is_on,
        "loyalty": state.loyalty,
        "issues": state.issues,
    }


def _line_id(request: OrderRequest) -> int:
    try:
        return int(request.POST.get("line", ""))
    except ValueError as err:
        raise CartError(_("This item is no longer in your order.")) from err


@require_POST
@with_order
def cart_line_quantity(request: OrderRequest) -> HttpResponse:
    try:
        quantity = int(request.POST.get("quantity", ""))
    except ValueError:
        quantity = 0
    try:
        cart_line_set_quantity(
            order=request.order, line_id=_line_id(request), quantity=quantity
        )
    except KioskError as err:
        messages.error(request, err.message)
        status = 422
    else:
        status = 200
    request.order.refresh_from_db()
    return _cart_response(request, status)


@require_POST
@with_order
def cart_line_delete(request: OrderRequest) -> HttpResponse:
    try:
        removed = cart_line_remove(order=request.order, line_id=_line_id(request))
    except KioskError as err:
        messages.error(request, err.message)
        return _cart_response(request, 422)
    request.order.refresh_from_db()
    if removed is None:
        return _cart_response(request, 200)
    undo_remember(request, removed)
    return _cart_response(
        request, 200, {"undo": removed, "undo_seconds": undo_seconds(request)}
    )


def _cart_response(
    request: OrderRequest, status: int, extra: dict[str, object] | None = None
) -> HttpResponse:
    if not request.order.is_draft:
        return redirect(flow.resume_url(request.order))
    context = _cart_context(request) | (extra or {})
    return render(request, "kiosk/cart.html", context, status=status)


@require_GET
@with_order
def confirmation(request: OrderRequest) -> HttpResponse:
    order = request.order
    if order.state == OrderState.DRAFT:
        return redirect("kiosk:cart")
    return render(request, "kiosk/confirmation.html", {"order": order})


@require_GET
@with_order
def confirmation_loyalty(request: OrderRequest) -> HttpResponse:
    """The points line of the confirmation, asked again until the programme answered."""
    if not request.htmx:
        return redirect("kiosk:confirmation")
    return render(
        request, "kiosk/partials/_loyalty_result.html", {"order": request.order}
    )
