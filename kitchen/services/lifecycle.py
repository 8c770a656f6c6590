"""The ends of a kitchen order: handed over to the customer, or void.

Handing over goes through the kiosk's own service (`order_complete`), from
the expo screen or the counter page alike; the kitchen hears it through the
kiosk's `order_handed_over` signal. A paid order refunded is void: it leaves
the screens.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from kiosk.models import ActorKind, Order
from kiosk.services.errors import KioskError
from kiosk.services.orders import order_complete
from kitchen.broadcast import kitchen_order_push_after_commit
from kitchen.errors import KitchenError
from kitchen.models import KitchenOrder, KitchenOrderState, TicketState
from kitchen.services.printing import kitchen_ticket_print


def kitchen_order_hand_over(
    *, kitchen_order: KitchenOrder, user: User | None = None
) -> KitchenOrder:
    """Expo hands the order over: the kiosk completes it, the kitchen follows."""
    try:
        order_complete(order=kitchen_order.order, actor=ActorKind.STAFF, user=user)
    except KioskError as err:
        raise KitchenError(err.message) from err
    kitchen_order.refresh_from_db()
    return kitchen_order


def kitchen_order_handed_over(*, order: Order) -> KitchenOrder | None:
    """The kiosk completed the order (inside its transaction)."""
    kitchen_order = (
        KitchenOrder.objects.select_for_update().filter(order_id=order.pk).first()
    )
    if kitchen_order is None or kitchen_order.state in {
        KitchenOrderState.HANDED_OVER,
        KitchenOrderState.VOID,
    }:
        return kitchen_order
    now = timezone.now()
    kitchen_order.state = KitchenOrderState.HANDED_OVER
    kitchen_order.handed_over_at = now
    kitchen_order.ready_at = kitchen_order.ready_at or now
    kitchen_order.save(update_fields=["state", "handed_over_at", "ready_at"])
    kitchen_order_push_after_commit(kitchen_order)
    return kitchen_order


def kitchen_order_void(*, order: Order) -> KitchenOrder | None:
    """A paid order was refunded: its tickets are void and leave the screens."""
    kitchen_order = (
        KitchenOrder.objects.select_for_update().filter(order_id=order.pk).first()
    )
    if kitchen_order is None or kitchen_order.state == KitchenOrderState.VOID:
        return kitchen_order
    now = timezone.now()
    kitchen_order.state = KitchenOrderState.VOID
    kitchen_order.voided_at = now
    kitchen_order.save(update_fields=["state", "voided_at"])
    for ticket in kitchen_order.tickets.select_related("station__printer"):
        kitchen_ticket_print(ticket=ticket, is_void=True)
    kitchen_order.tickets.exclude(state=TicketState.VOID).update(
        state=TicketState.VOID, voided_at=now
    )
    kitchen_order_push_after_commit(kitchen_order)
    return kitchen_order


def kitchen_order_for_store(*, store_id: int, kitchen_order_id: int) -> KitchenOrder:
    kitchen_order = (
        KitchenOrder.objects.select_related("order")
        .filter(pk=kitchen_order_id, store_id=store_id)
        .first()
    )
    if kitchen_order is None:
        raise KitchenError(_("This order is not in this store's kitchen."))
    return kitchen_order
