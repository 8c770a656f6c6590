"""Changing a line of the cart without removing it, and undoing a removal.

The product sheet opens with the line's choices; "Update" replaces them in
place. After "Remove", the cart offers "Undo" for a short while: what the line
was is kept in the session until then.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kiosk.customer_session import time_factor, with_order
from kiosk.http import OrderRequest
from kiosk.selectors import orderable_products
from kiosk.services.cart import (
    RemovedLine,
    cart_line_restore,
    cart_line_selection,
    cart_line_update,
)
from kiosk.services.errors import CartError, KioskError
from kiosk.services.selections import LineSelection
from kiosk.sheet import StepRequest, product_sheet, selection_from_post, step_from_post

UNDO_KEY = "kiosk:undo"
# A tap just as the "Undo" goes away still counts.
UNDO_GRACE_SECONDS = 5


def undo_seconds(request: OrderRequest) -> int:
    """How long "Undo" shows: as long as a warning message."""
    return int(settings.KIOSK_MESSAGE_SECONDS) * 2 * time_factor(request.session)


def undo_remember(request: OrderRequest, removed: RemovedLine) -> None:
    request.session[UNDO_KEY] = {"line": removed.as_data(), "at": time.time()}


def _render_edit_sheet(
    request: OrderRequest,
    line_id: int,
    selection: LineSelection,
    *,
    template: str = "kiosk/product.html",
    status: int = 200,
    errors: dict[str, str] | None = None,
    message: str = "",
    step: StepRequest | None = None,
) -> HttpResponse:
    product = (
        orderable_products(request.kiosk.store).filter(pk=selection.product_id).first()
    )
    if product is None:
        messages.error(request, _("This product is not on the menu."))
        return redirect("kiosk:cart")
    sheet = product_sheet(
        order=request.order,
        product=product,
        selection=selection,
        now=timezone.now(),
        errors=errors,
        message=message,
        step=step,
    )
    context = {"sheet": sheet, "edit_line": line_id}
    return render(request, template, context, status=status)


@require_GET
@with_order
def cart_line_edit(request: OrderRequest, line_id: int) -> HttpResponse:
    if not request.order.is_draft:
        return redirect("kiosk:cart")
    try:
        selection = cart_line_selection(order=request.order, line_id=line_id)
    except CartError as err:
        messages.error(request, err.message)
        return redirect("kiosk:cart")
    # A meal opens on its summary: each step is one "Change" away.
    return _render_edit_sheet(
        request, line_id, selection, step=StepRequest(at_end=True)
    )


@require_POST
@with_order
def cart_line_preview(request: OrderRequest, line_id: int) -> HttpResponse:
    """The sheet being changed, again after a tap: its price follows."""
    template = "kiosk/product.html#sheet-body"
    try:
        current = cart_line_selection(order=request.order, line_id=line_id)
        selection = selection_from_post(
            product_id=current.product_id, data=request.POST
        )
    except CartError as err:
        messages.error(request, err.message)
        return redirect("kiosk:cart")
    return _render_edit_sheet(
        request,
        line_id,
        selection,
        template=template,
        step=step_from_post(request.POST),
    )


@require_POST
@with_order
def cart_line_change(request: OrderRequest, line_id: int) -> HttpResponse:
    try:
        current = cart_line_selection(order=request.order, line_id=line_id)
    except CartError as err:
        messages.error(request, err.message)
        return redirect("kiosk:cart")
    selection = current
    try:
        selection = selection_from_post(
            product_id=current.product_id, data=request.POST
        )
        cart_line_update(order=request.order, line_id=line_id, selection=selection)
    except CartError as err:
        return _render_edit_sheet(
            request,
            line_id,
            selection,
            status=422,
            errors=err.errors,
            message=err.message,
            step=step_from_post(request.POST),
        )
    except KioskError as err:
        messages.error(request, err.message)
        return redirect("kiosk:cart")
    messages.success(request, _("Your order is updated."))
    return redirect("kiosk:cart")


@require_POST
@with_order
def cart_undo(request: OrderRequest) -> HttpResponse:
    """Put back the line just removed, while "Undo" shows."""
    kept = request.session.pop(UNDO_KEY, None)
    if not kept or time.time() - float(kept.get("at", 0)) > (
        undo_seconds(request) + UNDO_GRACE_SECONDS
    ):
        messages.error(request, _("This item can no longer be put back."))
        return redirect("kiosk:cart")
    try:
        removed = RemovedLine.from_data(kept["line"])
        cart_line_restore(order=request.order, removed=removed)
    except KioskError as err:
        messages.error(request, err.message)
        return redirect("kiosk:cart")
    messages.success(request, _("Put back in your order."))
    return redirect("kiosk:cart")
