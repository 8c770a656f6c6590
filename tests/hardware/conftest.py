"""Fixtures of the hardware tests: a receipt, and paid orders to print."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hardware.receipt import (
    Receipt,
    ReceiptAmount,
    ReceiptLabels,
    ReceiptLine,
    ReceiptLoyalty,
    ReceiptTax,
)
from kiosk.models import Order
from kiosk.services.cart import (
    cart_line_add,
    order_discount_add,
    order_set_service_mode,
)
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_confirm_payment, order_start
from kiosk.services.selections import LineSelection
from tests.kiosk.services.test_cart import meal
from tests.loyalty.conftest import burger, burger_order  # noqa: F401 (RBI's demo store)


@pytest.fixture
def receipt() -> Receipt:
    """A French receipt with a combo, modifiers, a reward, a voucher and loyalty."""
    nbsp = "\u00a0"
    return Receipt(
        store_name="Brasserie Démo",
        order_number="42",
        store_address=["48 rue Oberkampf", "75011 Paris"],
        details=["22/11/2026 14:05", "Sur place"],
        lines=[
            ReceiptLine(1, "Menu burger", f"12,50{nbsp}€"),
            ReceiptLine(1, "Burger", "", depth=1),
            ReceiptLine(1, "Bacon", f"+1,50{nbsp}€", depth=2),
            ReceiptLine(1, "Grandes frites", f"+0,50{nbsp}€", depth=1),
            ReceiptLine(2, "Crème brûlée", f"9,00{nbsp}€"),
            ReceiptLine(1, "Müller-Thurgau", f"6,00{nbsp}€"),
            ReceiptLine(1, "Café", f"0,00{nbsp}€", is_reward=True),
        ],
        totals=[
            ReceiptAmount("Sous-total", f"29,00{nbsp}€"),
            ReceiptAmount("Bon “bienvenue”", f"-2,00{nbsp}€"),
            ReceiptAmount("Total", f"27,00{nbsp}€", is_total=True),
        ],
        taxes=[
            ReceiptTax("TVA 10 %", f"21,00{nbsp}€", f"1,91{nbsp}€"),
            ReceiptTax("TVA 20 %", f"6,00{nbsp}€", f"1,00{nbsp}€"),
        ],
        payments=[ReceiptAmount("Payé par carte", f"27,00{nbsp}€")],
        qr_code="5a3c7f6e-1111-4222-8333-444455556666",
        labels=ReceiptLabels(
            order="Commande",
            reward="Récompense fidélité",
            loyalty="Fidélité",
            points_earned="Points gagnés",
            points_balance="Nouveau solde",
            thanks="Merci de votre visite !",
        ),
        loyalty=ReceiptLoyalty(
            member_first_name="Zoë", points_earned=27, points_balance=340
        ),
    )


PAID_AT = datetime(2026, 11, 22, 13, 5, tzinfo=UTC)


def paid_order_of(menu, *, language: str = "en", method: str = "counter") -> Order:
    """A meal (large fries, bacon), two colas, fries as a loyalty reward and a
    2.00 voucher, eaten in and paid (at 14:05 in Paris)."""
    order = order_start(kiosk=menu.kiosk, language=language)
    order_set_service_mode(order=order, service_mode="eat_in")
    cart_line_add(
        order=order, selection=meal(menu, side=menu.large_fries, extras=(menu.bacon,))
    )
    cart_line_add(
        order=order, selection=LineSelection(product_id=menu.cola.pk, quantity=2)
    )
    cart_line_add(
        order=order,
        selection=LineSelection(product_id=menu.fries.pk),
        reward_reference="pongo-reward-7",
    )
    order_discount_add(
        order=order,
        name="Welcome voucher",
        kind="amount",
        value=200,
        source="pongo",
        code="WELCOME",
    )
    order = order_checkout(order=order, method="counter").order
    if method == "card":
        Order.objects.filter(pk=order.pk).update(payment_method="card")
        order.refresh_from_db()
    order = order_confirm_payment(order=order, channel="counter")
    Order.objects.filter(pk=order.pk).update(paid_at=PAID_AT)
    return Order.objects.select_related("store").get(pk=order.pk)


@pytest.fixture
def paid_order(menu) -> Order:
    return paid_order_of(menu)


def guest_paid_by_card(order: Order, sku: str = "BRG-WHOPPER") -> Order:
    """A guest's order at the RBI demo store, paid on the simulated terminal:
    its sale goes to RBI unclaimed, whose answer brings text for the receipt."""
    from kiosk.models import Product
    from kiosk.payments.simulator import SimulatedOutcome, SimulatedTerminal
    from kiosk.services.payments import payment_refresh

    product = Product.objects.get(store=order.store, sku=sku)
    cart_line_add(order=order, selection=LineSelection(product_id=product.pk))
    order_checkout(order=order, method="card")
    attempt = order.payments.order_by("id").last()
    assert attempt is not None
    SimulatedTerminal().customer_action(
        attempt_key=attempt.attempt_key, outcome=SimulatedOutcome.APPROVE
    )
    payment_refresh(order=order)
    return Order.objects.select_related("store").get(pk=order.pk)
