"""What the kiosk keeps in a customer's session, under namespaced keys.

The cart itself is a draft order in the database; the session only remembers
which one, plus the customer's language and accessibility choices. Finishing
or an idle reset flushes all of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpResponse
from django.shortcuts import redirect

from kiosk.http import KioskRequest, OrderRequest
from kiosk.models import Order
from kiosk.selectors import order_for_kiosk
from kiosk.services.orders import order_reset, order_start

ORDER_KEY = "kiosk:order"
LANGUAGE_KEY = "kiosk:language"
LOW_REACH_KEY = "kiosk:low_reach"
HIGH_CONTRAST_KEY = "kiosk:high_contrast"
SEEN_KEY = "kiosk:seen"
PHONE_KEY = "kiosk:phone"
PHONE_COUNTRY_KEY = "kiosk:phone_country"
REWARD_PRODUCTS_KEY = "kiosk:reward_products"
INCENTIVE_KEY = "kiosk:incentive"

P = ParamSpec("P")

# A tap stores when the customer was last seen only once this many seconds
# have passed since the stored time: most taps then leave the session (and its
# database row) untouched. The server's idle limit keeps 15 s beyond the
# page's own timers, more than this, so it still never resets a customer the
# page has not warned.
SEEN_RESOLUTION_SECONDS = 10


def accessibility_on(session: SessionBase) -> bool:
    return bool(session.get(LOW_REACH_KEY) or session.get(HIGH_CONTRAST_KEY))


def time_factor(session: SessionBase) -> int:
    return settings.KIOSK_ACCESSIBILITY_TIME_FACTOR if accessibility_on(session) else 1


def idle_limit_seconds(session: SessionBase) -> int:
    """When the server itself treats a silent session as gone (the page's timer
    fires first; this covers a page that stopped running its script)."""
    timers = settings.KIOSK_IDLE_SECONDS + settings.KIOSK_IDLE_WARNING_SECONDS
    return timers * time_factor(session) + 15


def session_reset(request: KioskRequest, *, note: str) -> None:
    """Forget the customer: cancel what nobody will pay, then flush the session."""
    order = order_for_kiosk(
        kiosk=request.kiosk, order_uuid=request.session.get(ORDER_KEY)
    )
    if order is not None:
        order_reset(order=order, note=note)
    request.session.flush()


def session_start(request: KioskRequest) -> Order:
    """A new customer: a new session (keeping the attract screen's choices) and order."""
    session = request.session
    keep = {
        key: session[key]
        for key in (LANGUAGE_KEY, LOW_REACH_KEY, HIGH_CONTRAST_KEY)
        if key in session
    }
    session.flush()
    session.update(keep)
    language = keep.get(LANGUAGE_KEY) or request.kiosk.store.default_language
    order = order_start(kiosk=request.kiosk, language=language)
    session[ORDER_KEY] = str(order.uuid)
    session[SEEN_KEY] = time.time()
    return order


def session_touch(session: SessionBase, *, now: float) -> None:
    """Remember the customer was here, unless the stored time is recent enough."""
    seen = session.get(SEEN_KEY)
    if seen is None or now - seen >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_KEY] = now


def with_order(
    view: Callable[Concatenate[OrderRequest, P], HttpResponse],
) -> Callable[Concatenate[KioskRequest, P], HttpResponse]:
    """Give the view the customer's order; without one, back to the attract screen."""
    return _order_view(view, touch=True)


def with_order_polled(
    view: Callable[Concatenate[OrderRequest, P], HttpResponse],
) -> Callable[Concatenate[KioskRequest, P], HttpResponse]:
    """`with_order` for what the page asks by itself (a status poll): not a
    sign the customer is there, so it never writes the session."""
    return _order_view(view, touch=False)


def _order_view(
    view: Callable[Concatenate[OrderRequest, P], HttpResponse], *, touch: bool
) -> Callable[Concatenate[KioskRequest, P], HttpResponse]:
    def wrapper(
        request: KioskRequest, /, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponse:
        session = request.session
        order = order_for_kiosk(kiosk=request.kiosk, order_uuid=session.get(ORDER_KEY))
        if order is None:
            return redirect("kiosk:attract")
        now = time.time()
        seen = session.get(SEEN_KEY, now)
        if now - seen > idle_limit_seconds(session) and not order.is_paying_by_card:
            session_reset(request, note="idle on the server")
            return redirect("kiosk:attract")
        if touch:
            session_touch(session, now=now)
        order_request: OrderRequest = request  # type: ignore[assignment]
        order_request.order = order
        return view(order_request, *args, **kwargs)

    update_wrapper(wrapper, view)
    return wrapper
