"""What the kitchen's screens, the board and admin read."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import mean

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hardware.models import BLOCKING_PRINTER_STATES, PrinterState
from kitchen.models import (
    KitchenOrder,
    KitchenOrderState,
    KitchenTicket,
    KitchenTicketItem,
    Station,
    TicketState,
)

OPEN_TICKET_STATES = (TicketState.NEW, TicketState.IN_PREPARATION)
ACTIVE_ORDER_STATES = (KitchenOrderState.IN_PREPARATION, KitchenOrderState.READY)


@dataclass(frozen=True)
class TicketGroup:
    """Items of one combo (its name as `title`), or items alone (no title)."""

    title: str
    items: list[KitchenTicketItem]


def station_printer_problem(*, station: Station) -> str | None:
    """What the cooks should know of their ticket printer, when it cannot
    print now (its tickets wait and go out when it is back); None when it
    can, or when the station has no printer."""
    device = station.printer
    if device is None:
        return None
    if not device.is_agent_connected:
        return _("Ticket printer not connected: tickets wait until it is back.")
    state = PrinterState(device.printer_state)
    if state in BLOCKING_PRINTER_STATES or state == PrinterState.UNKNOWN:
        return _("Ticket printer: %(state)s. Tickets wait until it is back.") % {
            "state": state.label
        }
    return None


def ticket_groups(ticket: KitchenTicket) -> list[TicketGroup]:
    groups: dict[int, TicketGroup] = {}
    for item in ticket.items.all():
        group = groups.setdefault(item.group_key, TicketGroup(item.group, []))
        group.items.append(item)
    return list(groups.values())


def station_open_tickets(*, station: Station) -> list[KitchenTicket]:
    """The station's tickets to make, oldest first, their items prefetched."""
    return list(
        KitchenTicket.objects.filter(
            station=station,
            state__in=OPEN_TICKET_STATES,
            kitchen_order__state__in=ACTIVE_ORDER_STATES,
        )
        .select_related("kitchen_order")
        .prefetch_related("items")
        .order_by("created_at", "id")
    )


def all_day_counts(tickets: list[KitchenTicket]) -> list[tuple[str, int]]:
    """How many of each item are still to make across these tickets, most first."""
    counts: Counter[str] = Counter()
    for ticket in tickets:
        for item in ticket.items.all():
            if item.bumped_at is None:
                counts[item.name] += item.quantity
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def expo_orders(*, store_id: int) -> QuerySet[KitchenOrder]:
    """Orders in the kitchen or ready, with each station's ticket."""
    return (
        KitchenOrder.objects.filter(store_id=store_id, state__in=ACTIVE_ORDER_STATES)
        .prefetch_related(
            Prefetch(
                "tickets",
                queryset=KitchenTicket.objects.select_related("station").order_by(
                    "station__position", "station_id"
                ),
            )
        )
        .order_by("paid_at", "id")
    )


@dataclass(frozen=True)
class Board:
    preparing: list[int]
    ready: list[int]
    newest_ready: int | None


def board_numbers(*, store_id: int, now: datetime | None = None) -> Board:
    """Numbers being prepared and ready; a ready number leaves once handed
    over or after KITCHEN_BOARD_READY_SECONDS."""
    now = now or timezone.now()
    since = now - timedelta(seconds=settings.KITCHEN_BOARD_READY_SECONDS)
    orders = KitchenOrder.objects.filter(store_id=store_id)
    preparing = list(
        orders.filter(state=KitchenOrderState.IN_PREPARATION)
        .order_by("paid_at", "id")
        .values_list("number", flat=True)
    )
    ready_rows = list(
        orders.filter(state=KitchenOrderState.READY, ready_at__gte=since)
        .order_by("-ready_at", "-id")
        .values_list("number", flat=True)
    )
    return Board(preparing, ready_rows, ready_rows[0] if ready_rows else None)


def estimated_wait_seconds(
    *, store_id: int, station_ids: list[int], now: datetime | None = None
) -> int:
    """The average time from paid to ready of the store's orders of the last
    KITCHEN_ESTIMATE_MINUTES; without any, the longest target of the stations."""
    now = now or timezone.now()
    since = now - timedelta(minutes=settings.KITCHEN_ESTIMATE_MINUTES)
    recent = KitchenOrder.objects.filter(
        store_id=store_id, ready_at__gte=since, ready_at__isnull=False
    ).values_list("paid_at", "ready_at")
    durations = [
        (ready_at - paid_at).total_seconds() for paid_at, ready_at in recent if ready_at
    ]
    if durations:
        return round(mean(durations))
    targets = Station.objects.filter(pk__in=station_ids).values_list(
        "target_seconds", flat=True
    )
    return max(targets, default=0)


@dataclass(frozen=True)
class PreparationTime:
    label: str
    count: int
    average_seconds: int


def _averages(samples: dict[str, list[float]]) -> list[PreparationTime]:
    return [
        PreparationTime(label, len(values), round(mean(values)))
        for label, values in sorted(samples.items())
    ]


def preparation_times(
    *, store_id: int | None, days: int, now: datetime | None = None
) -> tuple[list[PreparationTime], list[PreparationTime]]:
    """Time from a ticket's arrival to its item's bump, per product and per
    hour of the day (store time), over the last `days` days."""
    now = now or timezone.now()
    items = KitchenTicketItem.objects.filter(
        bumped_at__isnull=False,
        ticket__created_at__gte=now - timedelta(days=days),
    ).select_related("ticket__kitchen_order__store")
    if store_id is not None:
        items = items.filter(ticket__kitchen_order__store_id=store_id)
    per_product: defaultdict[str, list[float]] = defaultdict(list)
    per_hour: defaultdict[str, list[float]] = defaultdict(list)
    for item in items:
        assert item.bumped_at is not None
        created = item.ticket.created_at
        seconds = (item.bumped_at - created).total_seconds()
        per_product[item.name].append(seconds)
        hour = created.astimezone(item.ticket.kitchen_order.store.tz).hour
        per_hour[f"{hour:02d}:00"].append(seconds)
    return _averages(per_product), _averages(per_hour)
