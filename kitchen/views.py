"""The kitchen's screens: a station, the expo view and the customers' board.

Each is opened by its secret link (`screen/<token>/`); the page then listens
on its websocket, and its actions post back under the same link.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from kitchen.errors import KitchenError
from kitchen.forms import BumpForm
from kitchen.models import Screen, ScreenKind
from kitchen.rendering import screen_fragment
from kitchen.services.bumps import kitchen_order_mark_ready, ticket_bump, ticket_recall
from kitchen.services.lifecycle import kitchen_order_for_store, kitchen_order_hand_over
from kitchen.services.screens import screen_for_token

TEMPLATES = {
    ScreenKind.STATION: "kitchen/station.html",
    ScreenKind.EXPO: "kitchen/expo.html",
    ScreenKind.BOARD: "kitchen/board.html",
}


def _screen(token: str, kind: str | None = None) -> Screen:
    screen = screen_for_token(token)
    if screen is None or (kind is not None and screen.kind != kind):
        raise Http404("No such kitchen screen.")
    return screen


def _fragment(screen: Screen, status: int = 200) -> HttpResponse:
    return HttpResponse(screen_fragment(screen=screen), status=status)


def _refused(screen: Screen, message: str) -> HttpResponse:
    response = _fragment(screen, status=409)
    # Headers are Latin-1: the message (in any language) travels percent-encoded.
    response["X-Kitchen-Message"] = quote(message)
    return response


@require_safe
def screen_page(request: HttpRequest, token: str) -> HttpResponse:
    screen = _screen(token)
    if request.GET.get("fragment"):
        return _fragment(screen)
    context = {
        "screen": screen,
        "token": token,
        "fragment": screen_fragment(screen=screen),
    }
    return render(request, TEMPLATES[ScreenKind(screen.kind)], context)


@require_POST
def screen_bump(request: HttpRequest, token: str) -> HttpResponse:
    screen = _screen(token, ScreenKind.STATION)
    form = BumpForm(request.POST)
    if not form.is_valid() or screen.station is None:
        return HttpResponse(form.errors.as_text(), status=400)
    data = form.cleaned_data
    try:
        if data["action"] == "recall":
            ticket_recall(station=screen.station, bump_id=data["bump_id"])
        else:
            ticket_bump(
                station=screen.station,
                ticket_id=data["ticket"],
                item_id=data["item"] if data["action"] == "item" else None,
                bump_id=data["bump_id"],
            )
    except KitchenError as err:
        return _refused(screen, err.message)
    return _fragment(screen)


@require_POST
def expo_action(
    request: HttpRequest, token: str, kitchen_order_id: int, action: str
) -> HttpResponse:
    screen = _screen(token, ScreenKind.EXPO)
    try:
        kitchen_order = kitchen_order_for_store(
            store_id=screen.store_id, kitchen_order_id=kitchen_order_id
        )
        if action == "ready":
            kitchen_order_mark_ready(kitchen_order=kitchen_order)
        elif action == "handed-over":
            kitchen_order_hand_over(kitchen_order=kitchen_order)
        else:
            raise Http404("No such action.")
    except KitchenError as err:
        return _refused(screen, err.message)
    return _fragment(screen)
