"""Bumping what a station made, recalling it, and the order's readiness.

Every bump carries the id the screen gave it: the same bump sent twice (a
retried tap, a bump bar's repeated key) finds its event and changes nothing.
A bump of something already bumped (from another screen of the station) is
no change either. An order is ready when every station bumped its part.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kitchen.broadcast import kitchen_order_push_after_commit
from kitchen.errors import KitchenError
from kitchen.models import (
    BumpAction,
    BumpEvent,
    KitchenOrder,
    KitchenOrderState,
    KitchenTicket,
    Station,
    TicketState,
)

ACTIVE_ORDER_STATES = (KitchenOrderState.IN_PREPARATION, KitchenOrderState.READY)


def kitchen_order_refresh(kitchen_order: KitchenOrder) -> None:
    """Ready once no ticket is left open; back in preparation when one is again."""
    has_open = kitchen_order.tickets.filter(
        state__in=[TicketState.NEW, TicketState.IN_PREPARATION]
    ).exists()
    if not has_open and kitchen_order.state == KitchenOrderState.IN_PREPARATION:
        kitchen_order.state = KitchenOrderState.READY
        kitchen_order.ready_at = timezone.now()
        kitchen_order.save(update_fields=["state", "ready_at"])
    elif has_open and kitchen_order.state == KitchenOrderState.READY:
        kitchen_order.state = KitchenOrderState.IN_PREPARATION
        kitchen_order.ready_at = None
        kitchen_order.save(update_fields=["state", "ready_at"])


def _locked_ticket(*, station: Station, ticket_id: int) -> KitchenTicket:
    ticket = (
        KitchenTicket.objects.select_for_update()
        .select_related("kitchen_order")
        .filter(pk=ticket_id, station=station)
        .first()
    )
    if ticket is None:
        raise KitchenError(_("This ticket is not on this station."))
    return ticket


def _already_done(bump_id: str) -> bool:
    return BumpEvent.objects.filter(bump_id=bump_id).exists()


def _ticket_close(ticket: KitchenTicket) -> None:
    now = timezone.now()
    ticket.items.filter(bumped_at__isnull=True).update(bumped_at=now)
    ticket.state = TicketState.READY
    ticket.started_at = ticket.started_at or now
    ticket.bumped_at = now
    ticket.save(update_fields=["state", "started_at", "bumped_at"])


@transaction.atomic
def ticket_bump(
    *, station: Station, ticket_id: int, bump_id: str, item_id: int | None = None
) -> KitchenTicket:
    """Bump one item of a ticket, or the whole ticket when `item_id` is None."""
    ticket = _locked_ticket(station=station, ticket_id=ticket_id)
    if _already_done(bump_id) or not ticket.is_open:
        return ticket
    if ticket.kitchen_order.state not in ACTIVE_ORDER_STATES:
        raise KitchenError(_("This order is no longer in the kitchen."))
    item = None
    if item_id is None:
        _ticket_close(ticket)
    else:
        item = ticket.items.filter(pk=item_id).first()
        if item is None:
            raise KitchenError(_("This item is not on this ticket."))
        if item.bumped_at is None:
            item.bumped_at = timezone.now()
            item.save(update_fields=["bumped_at"])
        if ticket.items.filter(bumped_at__isnull=True).exists():
            ticket.state = TicketState.IN_PREPARATION
            ticket.started_at = ticket.started_at or timezone.now()
            ticket.save(update_fields=["state", "started_at"])
        else:
            _ticket_close(ticket)
    BumpEvent.objects.create(
        bump_id=bump_id,
        ticket=ticket,
        item=item,
        action=BumpAction.ITEM if item else BumpAction.TICKET,
    )
    kitchen_order_refresh(ticket.kitchen_order)
    kitchen_order_push_after_commit(ticket.kitchen_order)
    return ticket


@transaction.atomic
def ticket_recall(*, station: Station, bump_id: str) -> KitchenTicket | None:
    """Bring back the station's last bumped ticket, if its order is still in
    the kitchen and it was bumped less than KITCHEN_RECALL_SECONDS ago."""
    done = BumpEvent.objects.filter(bump_id=bump_id).select_related("ticket").first()
    if done is not None:
        return done.ticket
    since = timezone.now() - timedelta(seconds=settings.KITCHEN_RECALL_SECONDS)
    ticket = (
        KitchenTicket.objects.select_for_update()
        .select_related("kitchen_order")
        .filter(
            station=station,
            state=TicketState.READY,
            bumped_at__gte=since,
            kitchen_order__state__in=ACTIVE_ORDER_STATES,
        )
        .order_by("-bumped_at", "-id")
        .first()
    )
    if ticket is None:
        return None
    ticket.items.update(bumped_at=None)
    ticket.state = TicketState.IN_PREPARATION
    ticket.bumped_at = None
    ticket.save(update_fields=["state", "bumped_at"])
    BumpEvent.objects.create(bump_id=bump_id, ticket=ticket, action=BumpAction.RECALL)
    kitchen_order_refresh(ticket.kitchen_order)
    kitchen_order_push_after_commit(ticket.kitchen_order)
    return ticket


@transaction.atomic
def kitchen_order_mark_ready(*, kitchen_order: KitchenOrder) -> KitchenOrder:
    """Expo declares the whole order ready: what is still open is bumped."""
    kitchen_order = KitchenOrder.objects.select_for_update().get(pk=kitchen_order.pk)
    if kitchen_order.state not in ACTIVE_ORDER_STATES:
        raise KitchenError(_("This order is no longer in the kitchen."))
    for ticket in kitchen_order.tickets.filter(
        state__in=[TicketState.NEW, TicketState.IN_PREPARATION]
    ):
        _ticket_close(ticket)
    kitchen_order_refresh(kitchen_order)
    kitchen_order_push_after_commit(kitchen_order)
    return kitchen_order
