"""Kitchen tickets on a station's printer, through the hardware agent.

A ticket is laid out here once (number large, service mode, time, the
station's items) and queued as a document print job: the agent prints it
once, keeps it waiting while the paper is out, and staff reprint it from
admin. A ticket printed for an order refunded later gets a VOID ticket.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from hardware.models import PrintJob
from hardware.receipt import Receipt, ReceiptLabels, ReceiptLine
from hardware.services.print_jobs import print_job_create_document
from kitchen.models import KitchenTicket
from kitchen.selectors import ticket_groups

TIME_FORMAT = "%H:%M"


def _key(ticket: KitchenTicket, *, is_void: bool) -> str:
    return f"kitchen-{'void' if is_void else 'ticket'}-{ticket.pk}"


def _lines(ticket: KitchenTicket) -> list[ReceiptLine]:
    lines: list[ReceiptLine] = []
    for group in ticket_groups(ticket):
        depth = 0
        if group.title:
            lines.append(ReceiptLine(quantity=1, name=group.title))
            depth = 1
        for item in group.items:
            lines.append(ReceiptLine(item.quantity, item.name, depth=depth))
            lines += [
                ReceiptLine(1, modifier, depth=depth + 1) for modifier in item.modifiers
            ]
            if item.note:
                lines.append(ReceiptLine(1, item.note, depth=depth + 1))
    return lines


def kitchen_ticket_document(ticket: KitchenTicket, *, is_void: bool) -> Receipt:
    kitchen_order = ticket.kitchen_order
    store = kitchen_order.store
    with override(store.default_language):
        details = [
            str(kitchen_order.get_service_mode_display()),
            store.local_now(timezone.now()).strftime(TIME_FORMAT),
        ]
        title = ticket.station.name
        if is_void:
            title = _("VOID · %(station)s") % {"station": title}
            details.insert(0, _("*** VOID: do not prepare ***"))
        return Receipt(
            store_name=title,
            order_number=str(kitchen_order.number),
            details=details,
            lines=_lines(ticket),
            labels=ReceiptLabels(order=_("Order"), thanks=""),
        )


def kitchen_ticket_print(*, ticket: KitchenTicket, is_void: bool = False) -> bool:
    """Queue the ticket (or its VOID) on the station's printer, once.

    Inside the caller's transaction. False when the station has no printer,
    or (for a VOID) when no ticket was printed for it.
    """
    device = ticket.station.printer
    if device is None:
        return False
    if is_void and not _has_ticket_job(ticket):
        return False
    print_job_create_document(
        order_id=ticket.kitchen_order.order_id,
        device=device,
        key=_key(ticket, is_void=is_void),
        receipt=kitchen_ticket_document(ticket, is_void=is_void),
    )
    return True


def _has_ticket_job(ticket: KitchenTicket) -> bool:
    return PrintJob.objects.filter(key=_key(ticket, is_void=False)).exists()
