from __future__ import annotations

import pytest

from hardware.models import Device, PrintJob, PrintJobKind
from hardware.selectors import receipt_for_job
from hardware.services.print_jobs import print_job_reprint
from kiosk.models import ActorKind
from kiosk.services.orders import order_refund
from tests.kitchen.conftest import burger, cola, meal

pytestmark = pytest.mark.django_db


@pytest.fixture
def grill_printer(kitchen, menu) -> Device:
    device = Device.objects.create(kiosk=menu.kiosk)
    kitchen.grill.printer = device
    kitchen.grill.save()
    return device


def _tickets():
    return PrintJob.objects.filter(kind=PrintJobKind.DOCUMENT).order_by("id")


def test_a_station_with_a_printer_gets_a_ticket_of_its_items(
    grill_printer, paid_order, menu
):
    order = paid_order(meal(menu), cola(menu))

    [job] = _tickets()
    ticket = receipt_for_job(job)
    assert (job.order_id, job.kiosk_id) == (order.pk, grill_printer.kiosk_id)
    assert (ticket.store_name, ticket.order_number) == ("Grill", str(order.number))
    assert ticket.details[0] == "Take away"
    assert [(line.depth, line.quantity, line.name) for line in ticket.lines] == [
        (0, 1, "Burger meal"),
        (1, 1, "Burger"),
        (2, 1, "Well done"),
    ]
    assert (ticket.totals, ticket.qr_code) == ([], "")


def test_a_store_on_tickets_alone_prints_without_any_screen(
    grill_printer, kitchen, paid_order, menu
):
    kitchen.drinks.printer = grill_printer
    kitchen.drinks.save()

    paid_order(burger(menu), cola(menu))

    assert [receipt_for_job(job).store_name for job in _tickets()] == [
        "Grill",
        "Drinks",
    ]


def test_a_refunded_order_prints_a_void_where_a_ticket_was_printed(
    grill_printer, paid_order, menu
):
    order = paid_order(burger(menu), cola(menu))

    order_refund(order=order, actor=ActorKind.STAFF, reason="mistake")
    order_refund(order=order, actor=ActorKind.STAFF, reason="mistake")

    ticket, void = _tickets()
    printed = receipt_for_job(void)
    assert printed.store_name == "VOID · Grill"
    assert printed.details[0] == "*** VOID: do not prepare ***"
    assert [line.name for line in printed.lines] == ["Burger", "Rare", "Bacon"]
    assert ticket.key != void.key


def test_staff_reprint_a_kitchen_ticket_as_a_copy(grill_printer, paid_order, menu):
    paid_order(burger(menu))
    [job] = _tickets()

    reprint = print_job_reprint(job=job)

    copy = receipt_for_job(reprint)
    assert (copy.store_name, copy.is_copy) == ("Grill", True)
    assert copy.lines == receipt_for_job(job).lines
