"""The live part of each kitchen screen, rendered from the database.

A screen gets it whole when it connects and after every change: a screen
that was offline is up to date as soon as it is back, with nothing lost.
The fragments name no secret (the screen's link stays in its page).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from kiosk.models import Store
from kitchen.models import Screen, ScreenKind, Station
from kitchen.selectors import (
    all_day_counts,
    board_numbers,
    expo_orders,
    station_open_tickets,
    station_printer_problem,
    ticket_groups,
)


def station_fragment(*, station: Station) -> str:
    tickets = station_open_tickets(station=station)
    with translation.override(station.store.default_language):
        context = {
            "station": station,
            "tickets": [(ticket, ticket_groups(ticket)) for ticket in tickets],
            "all_day": all_day_counts(tickets),
            "warn_seconds": station.target_seconds // 2,
            "printer_problem": station_printer_problem(station=station),
        }
        return render_to_string("kitchen/partials/_station.html", context)


def expo_fragment(*, store: Store) -> str:
    # An order's age turns amber, then red, against the longest station target.
    target = max(
        Station.objects.filter(store=store, is_active=True).values_list(
            "target_seconds", flat=True
        ),
        default=0,
    )
    context = {
        "store": store,
        "orders": expo_orders(store_id=store.pk),
        "target_seconds": target,
        "warn_seconds": target // 2,
    }
    with translation.override(store.default_language):
        return render_to_string("kitchen/partials/_expo.html", context)


def board_fragment(*, store: Store) -> str:
    context = {
        "store": store,
        "board": board_numbers(store_id=store.pk),
        "refresh_seconds": settings.KITCHEN_BOARD_REFRESH_SECONDS,
    }
    with translation.override(store.default_language):
        return render_to_string("kitchen/partials/_board.html", context)


def screen_fragment(*, screen: Screen) -> str:
    if screen.kind == ScreenKind.STATION and screen.station is not None:
        return station_fragment(station=screen.station)
    if screen.kind == ScreenKind.EXPO:
        return expo_fragment(store=screen.store)
    return board_fragment(store=screen.store)
