"""Error pages. A browser bound to a kiosk never gets a bare error page: its
error page keeps the kiosk's way back, a countdown to the start and "Start
over", so no customer is left on a screen nothing leads away from."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views import csrf, defaults

from kiosk.customer_session import LANGUAGE_KEY, ORDER_KEY
from kiosk.devices import kiosk_from_device_cookie
from kiosk.models import Kiosk

logger = logging.getLogger(__name__)

# Staff and machine addresses keep Django's own error pages, even in a browser
# that is also bound to a kiosk (the demo's single browser).
STAFF_PREFIXES = ("/admin/", "/counter/", "/api/", "/loyalty/", "/hardware/")


def _kiosk_of(request: HttpRequest) -> Kiosk | None:
    bound: Kiosk | None = getattr(request, "kiosk", None)
    if bound is not None:
        return bound
    if request.path.startswith(STAFF_PREFIXES):
        return None
    return kiosk_from_device_cookie(request.COOKIES.get(settings.KIOSK_DEVICE_COOKIE))


def _language(request: HttpRequest, kiosk: Kiosk) -> str:
    session = getattr(request, "session", None)
    chosen = str(session.get(LANGUAGE_KEY, "")) if session is not None else ""
    store = kiosk.store
    return chosen if chosen in store.languages else store.default_language


def kiosk_error_page(
    request: HttpRequest, kiosk: Kiosk, *, status: int
) -> HttpResponse:
    """The kiosk's error screen: back to the order, or to the start by tap or timer."""
    # A kiosk page in every respect: store, display modes and timers come
    # from the kiosk context processor, as on the other screens.
    request.kiosk = kiosk  # type: ignore[attr-defined]
    session = getattr(request, "session", None)
    context = {"has_order": session is not None and ORDER_KEY in session}
    with translation.override(_language(request, kiosk)):
        response = render(request, "kiosk/error.html", context, status=status)
    patch_cache_control(response, no_store=True, no_cache=True, max_age=0)
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    kiosk = _kiosk_of(request)
    if kiosk is None:
        return defaults.page_not_found(request, exception)
    return kiosk_error_page(request, kiosk, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        kiosk = _kiosk_of(request)
        if kiosk is not None:
            return kiosk_error_page(request, kiosk, status=500)
    except Exception:  # the error page must not fail in turn
        logger.exception("kiosk error page failed")
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    kiosk = _kiosk_of(request)
    if kiosk is None:
        return csrf.csrf_failure(request, reason)
    logger.warning("CSRF failure on a kiosk", extra={"reason": reason})
    return kiosk_error_page(request, kiosk, status=403)
