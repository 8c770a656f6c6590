"""Binds kiosk pages to the kiosk of the browser's device cookie."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

from kiosk import flow
from kiosk.customer_session import LANGUAGE_KEY
from kiosk.devices import kiosk_from_device_cookie
from kiosk.models import Kiosk
from kiosk.services.terminals import terminal_screen_url
from kiosk.views.errors import kiosk_error_page

KIOSK_NAMESPACE = "kiosk"


class KioskDeviceMiddleware:
    """For the customer pages (URL namespace "kiosk"):

    - refuse a browser that no provisioning link has bound to a kiosk;
    - speak the customer's language, or the store's default one;
    - forbid caching, so nothing of one customer stays for the next;
    - on htmx page loads, put the page's own address in the history, so a
      reload shows the page and never repeats a POST; a page rendered by an
      action (a form error) gets the address of its page, not the action's;
    - an action's address asked with GET (a reload, a history entry) goes to
      its page; any other method it refuses gets the kiosk's error screen.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        kiosk = getattr(request, "kiosk", None)
        if kiosk is not None:
            response = self._kiosk_response(request, response, kiosk)
            patch_cache_control(response, no_store=True, no_cache=True, max_age=0)
        return response

    def _kiosk_response(
        self, request: HttpRequest, response: HttpResponse, kiosk: Kiosk
    ) -> HttpResponse:
        match = request.resolver_match
        if match is None:
            return response
        page = flow.action_page_url(match.url_name or "", match.kwargs)
        if response.status_code == 405:
            if request.method in ("GET", "HEAD"):
                # The attract screen resumes the order, if there is one.
                return redirect(page or reverse("kiosk:attract"))
            return kiosk_error_page(request, kiosk, status=405)
        htmx = getattr(request, "htmx", None)
        if not htmx:
            self._allow_terminal_screen(response, kiosk)
        if not (htmx and htmx.boosted):
            return response
        if request.method == "GET" and response.status_code == 200:
            response["HX-Push-Url"] = request.get_full_path()
        elif request.method == "POST" and response.status_code in (200, 409, 422):
            response["HX-Push-Url"] = page or request.path
        return response

    @staticmethod
    def _allow_terminal_screen(response: HttpResponse, kiosk: Kiosk) -> None:
        """A kiosk whose emulated terminal shows its screen in a frame (demos)
        gets that address in the policy of the document it loads first: the
        pages htmx swaps in later keep that document's policy."""
        screen = terminal_screen_url(kiosk)
        if screen:
            parts = urlsplit(screen)
            # django-csp (outside this middleware) reads this attribute.
            response._csp_update = {"frame-src": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.namespace != KIOSK_NAMESPACE:
            return None
        kiosk = kiosk_from_device_cookie(
            request.COOKIES.get(settings.KIOSK_DEVICE_COOKIE)
        )
        if kiosk is None:
            return render(request, "kiosk/unprovisioned.html", status=403)
        request.kiosk = kiosk  # type: ignore[attr-defined]
        store = kiosk.store
        chosen = str(request.session.get(LANGUAGE_KEY, ""))
        language = chosen if chosen in store.languages else store.default_language
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return None
