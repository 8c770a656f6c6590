from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kiosk import flow
from kiosk.customer_session import (
    HIGH_CONTRAST_KEY,
    LANGUAGE_KEY,
    LOW_REACH_KEY,
    time_factor,
)


def kiosk(request: HttpRequest) -> dict[str, Any]:
    """The kiosk, its store and the customer's display modes, for kiosk pages."""
    bound = getattr(request, "kiosk", None)
    if bound is None:
        return {}
    session = request.session
    factor = time_factor(session)
    return {
        "kiosk": bound,
        "store": bound.store,
        "low_reach": bool(session.get(LOW_REACH_KEY)),
        "high_contrast": bool(session.get(HIGH_CONTRAST_KEY)),
        # Choices made on the attract screen, undone when nobody goes on.
        "has_preferences": any(
            key in session for key in (LANGUAGE_KEY, LOW_REACH_KEY, HIGH_CONTRAST_KEY)
        ),
        "idle_seconds": settings.KIOSK_IDLE_SECONDS * factor,
        "idle_warning_seconds": settings.KIOSK_IDLE_WARNING_SECONDS * factor,
        "confirmation_seconds": settings.KIOSK_CONFIRMATION_SECONDS * factor,
        "payment_failed_seconds": settings.KIOSK_PAYMENT_FAILED_SECONDS * factor,
        "message_seconds": settings.KIOSK_MESSAGE_SECONDS * factor,
        "page_url": _page_url(request),
    }


def _page_url(request: HttpRequest) -> str:
    """The address of the screen shown, to come back to it (after a language
    change): a page rendered by an action (a form error) is its page's."""
    match = request.resolver_match
    if request.method in ("GET", "HEAD") or match is None:
        return request.get_full_path()
    return flow.action_page_url(match.url_name or "", match.kwargs) or request.path
