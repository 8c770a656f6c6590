from __future__ import annotations

import pytest

from kiosk.models import OrderDiscount
from kiosk.money import TaxLine
from kiosk.selectors import cart_view
from kiosk.services.cart import (
    cart_line_add,
    cart_line_set_quantity,
    order_discount_add,
    order_discount_remove,
    order_set_service_mode,
)
from kiosk.services.checkout import order_checkout
from kiosk.services.errors import CartError, OrderStateError
from kiosk.services.selections import LineSelection
from tests.kiosk.services.test_cart import meal

pytestmark = pytest.mark.django_db


def _fries(menu, order, quantity=1):
    return cart_line_add(
        order=order,
        selection=LineSelection(product_id=menu.fries.pk, quantity=quantity),
    )


def test_an_amount_voucher_lowers_the_total_and_the_tax_base(menu, draft_order):
    _fries(menu, draft_order, quantity=4)  # 1400

    order_discount_add(
        order=draft_order,
        name="5 € off",
        kind="amount",
        value=500,
        source="pongo",
        code="PONGO-X",
    )

    draft_order.refresh_from_db()
    totals = cart_view(draft_order).totals
    assert (draft_order.subtotal, draft_order.discount_total, draft_order.total) == (
        1400,
        500,
        900,
    )
    assert totals.taxes == [TaxLine(rate=1000, gross=900, tax=82)]
    assert [(d.discount.code, d.amount) for d in totals.discounts] == [("PONGO-X", 500)]


def test_a_percentage_voucher_follows_the_lines(menu, draft_order):
    line = _fries(menu, draft_order, quantity=4)  # 1400
    discount = order_discount_add(
        order=draft_order, name="-10 %", kind="percent", value=10, source="pongo"
    )
    assert discount.amount == 140

    cart_line_set_quantity(order=draft_order, line_id=line.pk, quantity=3)  # 1050

    discount.refresh_from_db()
    draft_order.refresh_from_db()
    assert (discount.amount, draft_order.total) == (105, 945)


def test_an_amount_voucher_never_exceeds_the_lines(menu, draft_order):
    _fries(menu, draft_order)  # 350

    order_discount_add(
        order=draft_order, name="5 € off", kind="amount", value=500, source="pongo"
    )

    draft_order.refresh_from_db()
    assert (draft_order.discount_total, draft_order.total, draft_order.tax_total) == (
        350,
        0,
        0,
    )


def test_a_discount_is_shared_over_the_vat_rates_pro_rata(menu, draft_order):
    order_set_service_mode(order=draft_order, service_mode="take_away")
    cart_line_add(order=draft_order, selection=meal(menu, extras=[menu.bacon]))
    # Lines: drinks 5.5 % 241, food 10 % 1159 (subtotal 1400).
    # 500 off → 86 from drinks, 414 from food (the cent left goes to food).

    order_discount_add(
        order=draft_order, name="5 € off", kind="amount", value=500, source="pongo"
    )

    totals = cart_view(draft_order).totals
    assert totals.taxes == [
        TaxLine(rate=550, gross=155, tax=8),
        TaxLine(rate=1000, gross=745, tax=68),
    ]
    assert (totals.total, totals.tax_total) == (900, 76)


def test_removing_a_voucher_restores_the_total(menu, draft_order):
    _fries(menu, draft_order, quantity=2)
    discount = order_discount_add(
        order=draft_order, name="-10 %", kind="percent", value=10, source="pongo"
    )

    order_discount_remove(order=draft_order, discount_id=discount.pk)

    draft_order.refresh_from_db()
    assert (draft_order.discount_total, draft_order.total) == (0, 700)
    assert not OrderDiscount.objects.exists()


@pytest.mark.parametrize(
    ("kind", "value"), [("percent", 0), ("percent", 101), ("amount", 0), ("gift", 5)]
)
def test_a_malformed_voucher_is_refused(menu, draft_order, kind, value):
    _fries(menu, draft_order)

    with pytest.raises(CartError):
        order_discount_add(
            order=draft_order, name="?", kind=kind, value=value, source="pongo"
        )

    assert not OrderDiscount.objects.exists()


def test_a_submitted_order_takes_no_voucher(menu, draft_order):
    _fries(menu, draft_order)
    order_checkout(order=draft_order, method="counter")

    with pytest.raises(OrderStateError):
        order_discount_add(
            order=draft_order, name="x", kind="amount", value=100, source="pongo"
        )

    assert not OrderDiscount.objects.exists()


def test_removing_a_voucher_that_is_gone_is_refused(menu, draft_order):
    _fries(menu, draft_order)

    with pytest.raises(CartError):
        order_discount_remove(order=draft_order, discount_id=999)


def test_an_amount_voucher_larger_than_the_lines_tells_what_is_lost(menu, draft_order):
    _fries(menu, draft_order)  # 350
    order_discount_add(
        order=draft_order, name="5 € off", kind="amount", value=500, source="pongo"
    )

    applied = cart_view(draft_order).totals.discounts[0]

    assert (applied.amount, applied.unused) == (350, 150)


def test_a_voucher_used_in_full_or_a_percentage_loses_nothing(menu, draft_order):
    _fries(menu, draft_order, quantity=4)  # 1400
    order_discount_add(
        order=draft_order, name="5 € off", kind="amount", value=500, source="pongo"
    )
    order_discount_add(
        order=draft_order, name="100 %", kind="percent", value=100, source="pongo"
    )

    totals = cart_view(draft_order).totals

    assert [(d.amount, d.unused) for d in totals.discounts] == [(500, 0), (900, 0)]
