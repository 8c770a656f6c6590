from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils.translation import trans_real

from hardware.models import Device, PrintJob, PrintJobKind
from hardware.receipt import ReceiptAmount, ReceiptLine, ReceiptTax
from hardware.selectors import (
    receipt_for_job,
    receipt_for_order,
    receipt_status_for_order,
)
from kiosk.models import Kiosk, Order
from kiosk.services.cart import cart_line_add, order_discount_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_start
from kiosk.services.selections import LineSelection
from tests.hardware.conftest import paid_order_of

pytestmark = pytest.mark.django_db


def test_the_receipt_of_a_paid_order(menu, paid_order):
    menu.store.address = "102 boulevard de Sébastopol\n\n75003 Paris\n"
    menu.store.save()
    paid_order.refresh_from_db()

    receipt = receipt_for_order(paid_order)

    assert (receipt.store_name, receipt.store_address, receipt.order_number) == (
        "Burger Test",
        ["102 boulevard de Sébastopol", "75003 Paris"],
        "1",
    )
    assert receipt.details == ["22/11/2026 14:05", "Eat in"]
    assert receipt.lines == [
        ReceiptLine(1, "Burger meal", "€14.50"),
        ReceiptLine(1, "Burger", "", depth=1),
        ReceiptLine(1, "Rare", "", depth=2),
        ReceiptLine(1, "Bacon", "+€1.50", depth=2),
        ReceiptLine(1, "Large fries", "+€0.50", depth=1),
        ReceiptLine(1, "Cola", "", depth=1),
        ReceiptLine(2, "Cola", "€6.00"),
        ReceiptLine(1, "Fries", "€0.00", is_reward=True),
    ]
    assert receipt.totals == [
        ReceiptAmount("Subtotal", "€20.50"),
        ReceiptAmount("Welcome voucher", "-€2.00"),
        ReceiptAmount("Total", "€18.50", is_total=True),
    ]
    assert receipt.taxes == [ReceiptTax("VAT 10 %", "€18.50", "€1.68")]
    assert receipt.payments == [ReceiptAmount("Paid at the counter", "€18.50")]
    assert receipt.qr_code == str(paid_order.uuid)
    assert (receipt.is_copy, receipt.loyalty) == (False, None)


def test_a_card_payment_says_so(menu):
    order = paid_order_of(menu, method="card")

    assert receipt_for_order(order).payments == [
        ReceiptAmount("Paid by card", "€18.50")
    ]


def test_an_order_with_nothing_to_pay_says_so(menu):
    order = order_start(kiosk=menu.kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    order_discount_add(
        order=order, name="5 € off", kind="amount", value=500, source="pongo"
    )

    paid = order_checkout(order=order, method="card").order

    assert receipt_for_order(paid).payments == [
        ReceiptAmount("Nothing to pay", "€0.00")
    ]


@pytest.fixture
def compiled_translations():
    call_command("compile_translations", verbosity=0)
    trans_real._translations.clear()  # type: ignore[attr-defined]


@pytest.mark.usefixtures("compiled_translations")
def test_the_receipt_speaks_the_order_language(menu):
    order = paid_order_of(menu, language="fr")

    receipt = receipt_for_order(order)

    assert receipt.details == ["22/11/2026 14:05", "Sur place"]
    assert receipt.totals == [
        ReceiptAmount("Sous-total", "20,50\u00a0€"),
        ReceiptAmount("Welcome voucher", "-2,00\u00a0€"),
        ReceiptAmount("Total", "18,50\u00a0€", is_total=True),
    ]
    assert receipt.taxes == [ReceiptTax("TVA 10 %", "18,50\u00a0€", "1,68\u00a0€")]
    assert receipt.payments == [ReceiptAmount("Payé au comptoir", "18,50\u00a0€")]
    assert (receipt.labels.order, receipt.labels.reward, receipt.labels.thanks) == (
        "Commande",
        "Récompense fidélité",
        "Merci de votre visite !",
    )


def test_a_reprint_is_a_copy(paid_order):
    job = PrintJob.objects.create(
        order=paid_order, kiosk=paid_order.kiosk, kind=PrintJobKind.REPRINT
    )

    assert receipt_for_job(job).is_copy is True


def test_a_kiosk_without_printer_says_nothing_about_receipts(paid_order):
    assert receipt_status_for_order(paid_order).state == "none"


def _device(order: Order, **fields) -> Device:
    return Device.objects.create(kiosk=Kiosk.objects.get(orders=order), **fields)


def test_a_waiting_receipt_with_a_ready_printer_is_printing(paid_order):
    _device(paid_order, is_agent_connected=True, printer_state="ok")

    assert receipt_status_for_order(paid_order).state == "printing"


@pytest.mark.parametrize(
    "printer_state", ["paper_out", "cover_open", "offline", "unreachable"]
)
def test_a_waiting_receipt_with_a_blocked_printer_is_unavailable(
    paid_order, printer_state
):
    _device(paid_order, is_agent_connected=True, printer_state=printer_state)

    assert receipt_status_for_order(paid_order).state == "unavailable"


def test_a_waiting_receipt_without_agent_is_unavailable(paid_order):
    _device(paid_order, is_agent_connected=False, printer_state="ok")

    assert receipt_status_for_order(paid_order).is_unavailable is True


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("printed", "printed"),
        ("printed_unconfirmed", "printed"),
        ("failed", "unavailable"),
        ("unknown", "unavailable"),
        ("expired", "unavailable"),
    ],
)
def test_what_became_of_the_receipt(paid_order, status, state):
    _device(paid_order, is_agent_connected=True, printer_state="ok")
    PrintJob.objects.filter(order=paid_order).update(status=status)

    assert receipt_status_for_order(paid_order).state == state


def test_an_order_waiting_for_the_counter_has_no_receipt_yet(menu):
    order = order_start(kiosk=menu.kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    order = order_checkout(order=order, method="counter").order
    _device(order, is_agent_connected=True, printer_state="ok")

    assert receipt_status_for_order(order).state == "none"


def _identified(order, **figures):
    from loyalty.models import OrderLoyalty

    return OrderLoyalty.objects.create(
        order=order,
        programme="pongo",
        member_reference="cust_1",
        member_first_name="Léa",
        **figures,
    )


def test_a_guest_receipt_has_no_loyalty_block(menu, paid_order):
    assert receipt_for_order(paid_order).loyalty is None


def test_points_the_programme_confirmed_are_on_the_receipt(menu, paid_order):
    _identified(paid_order, points_earned=13, balance_after=333, points_projected=12)

    loyalty = receipt_for_order(paid_order).loyalty

    assert (
        loyalty.member_first_name,
        loyalty.points_earned,
        loyalty.points_balance,
    ) == ("Léa", 13, 333)


def test_the_programmes_forecast_stands_in_until_it_confirms(menu, paid_order):
    _identified(paid_order, points_projected=12, balance_projected=962)

    loyalty = receipt_for_order(paid_order).loyalty

    assert (loyalty.points_earned, loyalty.points_balance) == (12, 962)


def test_points_not_known_yet_are_left_to_follow(menu, paid_order):
    _identified(paid_order)

    loyalty = receipt_for_order(paid_order).loyalty

    assert (
        loyalty.member_first_name,
        loyalty.points_earned,
        loyalty.points_balance,
    ) == ("Léa", None, None)


def card_paid_on_the_terminal(menu) -> Order:
    from kiosk.payments.simulator import SimulatedOutcome, SimulatedTerminal
    from kiosk.services.payments import payment_refresh

    order = order_start(kiosk=menu.kiosk, language="fr")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    order = order_checkout(order=order, method="card").order
    payment = order.payments.get()
    SimulatedTerminal().customer_action(
        attempt_key=payment.attempt_key, outcome=SimulatedOutcome.APPROVE
    )
    payment_refresh(order=order)
    return Order.objects.select_related("store").get(pk=order.pk)


@pytest.mark.usefixtures("compiled_translations")
def test_a_card_receipt_carries_what_the_terminal_gave_of_the_card(menu):
    order = card_paid_on_the_terminal(menu)
    payment = order.payments.get()

    card = receipt_for_order(order).card

    assert card == [
        ReceiptAmount("VISA", "**** 0119"),
        ReceiptAmount("VISA CREDIT", "A0000000031010"),
        ReceiptAmount("Autorisation", payment.auth_code),
        ReceiptAmount("Terminal", "SIMULATOR"),
        ReceiptAmount("Référence", payment.reference),
    ]
    assert payment.reference.startswith("SIM-")


def test_an_order_paid_at_the_counter_has_no_card_section(paid_order):
    assert receipt_for_order(paid_order).card == []


def test_a_refunded_card_order_prints_nothing_new(menu):
    from kiosk.services.refunds import order_refund_to_card

    order = card_paid_on_the_terminal(menu)
    jobs = PrintJob.objects.filter(order=order).count()

    order_refund_to_card(order=order, actor="staff")

    assert jobs == 1
    assert PrintJob.objects.filter(order=order).count() == 1
