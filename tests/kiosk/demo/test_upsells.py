from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.demo.loader import demo_load
from kiosk.models import Kiosk, Product, UpsellRule, UpsellTrigger
from kiosk.services.cart import cart_line_add
from kiosk.services.orders import order_start
from kiosk.services.selections import default_selection
from kiosk.services.upsell import upsell_offer_choose

# A Tuesday lunchtime in Paris: every demo category is open.
LUNCH = datetime(2026, 3, 3, 11, 30, tzinfo=UTC)


def order_at(code):
    order = order_start(kiosk=Kiosk.objects.get(code=code), language="en")
    order.service_mode = "eat_in"
    order.save()
    return order


def add(order, sku):
    product = Product.objects.get(store=order.store, sku=sku)
    return cart_line_add(order=order, selection=default_selection(product), now=LUNCH)


@pytest.fixture
def demo(db):
    demo_load(with_images=False)


def test_loading_twice_keeps_one_row_per_rule(demo):
    demo_load(with_images=False)

    assert sorted(UpsellRule.objects.values_list("store__slug", "kind")) == [
        ("brasserie-demo", "add_product"),
        ("burger-demo", "meal"),
        ("burger-demo", "size_up"),
    ]


def test_a_whopper_is_offered_as_a_meal(demo):
    order = order_at("burger-kiosk-1")
    line = add(order, "BRG-WHOPPER")

    panel = upsell_offer_choose(
        order=order, moment=UpsellTrigger.AFTER_ADD, line=line, now=LUNCH
    )

    assert [item.product.sku for item in panel.items] == ["BRG-MEAL-WHOPPER-M"]


def test_medium_fries_are_offered_large_for_50_cents_more(demo):
    order = order_at("burger-kiosk-1")
    line = add(order, "BRG-FRIES-M")

    panel = upsell_offer_choose(
        order=order, moment=UpsellTrigger.AFTER_ADD, line=line, now=LUNCH
    )

    assert [(i.product.sku, i.price_difference) for i in panel.items] == [
        ("BRG-FRIES-L", 50)
    ]


def test_the_brasserie_offers_a_drink_or_dessert_before_checkout(demo):
    order = order_at("brasserie-borne-1")
    add(order, "SKU-CREME-BRULEE")

    panel = upsell_offer_choose(
        order=order, moment=UpsellTrigger.BEFORE_CHECKOUT, now=LUNCH
    )

    assert panel.offer.rule.title_en == "Add a drink or dessert?"
    # In menu order, without the crème brûlée already ordered.
    assert [item.product.sku for item in panel.items] == [
        "SKU-MOUSSE-CHOCOLAT",
        "SKU-TARTE-TATIN",
        "SKU-LIMONADE",
    ]
