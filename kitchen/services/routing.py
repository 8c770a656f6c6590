"""A paid order reaches the kitchen: one ticket per station that makes part of it.

Called by the kiosk's `order_paid` signal inside the "paid" transaction, so
the tickets exist exactly when the order is paid, never before and never lost.
Each item goes to the stations taking its product's category (a category may
go to several); an item of a combo whose category no station takes follows
the combo's category; what is left goes to the stations that take what
nobody else does. The customer's kitchen notes ("No salt") go with the
line's items: on each item of a meal, since each station makes its part.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from kiosk.models import LineKind, Order, OrderLine
from kitchen.broadcast import kitchen_order_push_after_commit
from kitchen.models import (
    KitchenOrder,
    KitchenOrderState,
    KitchenTicket,
    KitchenTicketItem,
    Station,
)
from kitchen.selectors import estimated_wait_seconds
from kitchen.services.printing import kitchen_ticket_print


@dataclass
class _Routes:
    by_category: dict[int, list[Station]] = field(default_factory=dict)
    unrouted: list[Station] = field(default_factory=list)

    def stations_for(self, *category_ids: int | None) -> list[Station]:
        for category_id in category_ids:
            if category_id is not None and category_id in self.by_category:
                return self.by_category[category_id]
        return self.unrouted


@dataclass(frozen=True)
class _Item:
    line: OrderLine
    quantity: int
    group: str
    group_key: int
    modifiers: list[str]
    note: str


def _routes(store_id: int) -> _Routes:
    routes = _Routes()
    stations = Station.objects.filter(
        store_id=store_id, is_active=True
    ).prefetch_related("categories")
    by_category: defaultdict[int, list[Station]] = defaultdict(list)
    for station in stations:
        for category in station.categories.all():
            by_category[category.pk].append(station)
        if station.takes_unrouted:
            routes.unrouted.append(station)
    routes.by_category = dict(by_category)
    return routes


def _modifier_names(line: OrderLine, children: dict[int, list[OrderLine]]) -> list[str]:
    return [
        child.name if child.quantity == 1 else f"{child.quantity} × {child.name}"
        for child in children.get(line.pk, [])
        if child.kind == LineKind.MODIFIER
    ]


def _items(order: Order) -> list[tuple[_Item, list[Station]]]:
    """Each thing to make with the stations that make it, in the order's order."""
    lines = list(order.lines.select_related("product").order_by("position", "id"))
    children: defaultdict[int, list[OrderLine]] = defaultdict(list)
    for line in lines:
        if line.parent_id is not None:
            children[line.parent_id].append(line)
    routes = _routes(order.store_id)
    found: list[tuple[_Item, list[Station]]] = []
    for root in (line for line in lines if line.parent_id is None):
        root_category = root.product.category_id if root.product else None
        if root.kind == LineKind.COMBO:
            for part in children.get(root.pk, []):
                if part.kind != LineKind.COMBO_ITEM:
                    continue
                category = part.product.category_id if part.product else None
                item = _Item(
                    part,
                    root.quantity * part.quantity,
                    root.name,
                    root.pk,
                    _modifier_names(part, children),
                    root.note,
                )
                found.append((item, routes.stations_for(category, root_category)))
        else:
            item = _Item(
                root,
                root.quantity,
                "",
                0,
                _modifier_names(root, children),
                root.note,
            )
            found.append((item, routes.stations_for(root_category)))
    return found


def kitchen_order_create(*, order: Order) -> KitchenOrder | None:
    """Route a paid order to its stations. None for a store without stations.

    Runs inside the caller's "paid" transaction. Routing an order again
    returns its kitchen order unchanged.
    """
    existing = KitchenOrder.objects.filter(order=order).first()
    if existing is not None:
        return existing
    if not Station.objects.filter(store_id=order.store_id, is_active=True).exists():
        return None
    now = timezone.now()
    kitchen_order = KitchenOrder.objects.create(
        order=order,
        store_id=order.store_id,
        number=order.number or 0,
        service_mode=order.service_mode,
        paid_at=order.paid_at or now,
    )
    tickets: dict[int, KitchenTicket] = {}
    for position, (item, stations) in enumerate(_items(order)):
        for station in stations:
            ticket = tickets.get(station.pk)
            if ticket is None:
                ticket = KitchenTicket.objects.create(
                    kitchen_order=kitchen_order, station=station, created_at=now
                )
                tickets[station.pk] = ticket
            KitchenTicketItem.objects.create(
                ticket=ticket,
                order_line=item.line,
                product=item.line.product,
                name=item.line.name,
                quantity=item.quantity,
                group=item.group,
                group_key=item.group_key,
                modifiers=item.modifiers,
                note=item.note,
                position=position,
            )
    for ticket in tickets.values():
        kitchen_ticket_print(ticket=ticket)
    if not tickets:
        # Nothing for any station to make (drinks poured at the counter…).
        kitchen_order.state = KitchenOrderState.READY
        kitchen_order.ready_at = now
        kitchen_order.save(update_fields=["state", "ready_at"])
    _estimate_store(order, kitchen_order)
    kitchen_order_push_after_commit(kitchen_order)
    return kitchen_order


def _estimate_store(order: Order, kitchen_order: KitchenOrder) -> None:
    """Keep the estimated wait on the order for its confirmation and receipt."""
    if kitchen_order.state == KitchenOrderState.READY:
        seconds = 0
    else:
        seconds = estimated_wait_seconds(
            store_id=order.store_id,
            station_ids=list(
                kitchen_order.tickets.values_list("station_id", flat=True)
            ),
        )
    Order.objects.filter(pk=order.pk).update(estimated_wait_seconds=seconds)
    order.estimated_wait_seconds = seconds
