from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.models import (
    KitchenNote,
    LineKind,
    UpsellKind,
    UpsellOffer,
    UpsellRule,
    UpsellTrigger,
)
from kiosk.selectors import cart_view, upsell_take_rates
from kiosk.services.cart import cart_line_add
from kiosk.services.errors import CartError
from kiosk.services.orders import order_start
from kiosk.services.selections import LineSelection
from kiosk.services.upsell import (
    upsell_offer_accept,
    upsell_offer_choose,
    upsell_offer_decline,
)

AFTER_ADD = UpsellTrigger.AFTER_ADD
BEFORE_CHECKOUT = UpsellTrigger.BEFORE_CHECKOUT


def burger(menu, quantity=1) -> LineSelection:
    return LineSelection(
        product_id=menu.burger.pk,
        quantity=quantity,
        option_ids={menu.cooking.pk: (menu.well_done.pk,)},
    )


def rule(menu, kind, trigger=AFTER_ADD, *, triggers=(), offered=(), priority=0):
    made = UpsellRule.objects.create(
        store=menu.store,
        name=kind,
        kind=kind,
        trigger=trigger,
        title_en="Offer",
        title_fr="Offre",
        priority=priority,
    )
    made.trigger_products.set(triggers)
    made.offered_products.set(offered)
    return made


@pytest.fixture
def meal_rule(menu):
    return rule(menu, UpsellKind.MEAL, triggers=[menu.burger], priority=10)


@pytest.fixture
def drink_rule(menu):
    return rule(menu, UpsellKind.ADD_PRODUCT, BEFORE_CHECKOUT, offered=[menu.cola])


def add_burger(menu, order, quantity=1):
    line = cart_line_add(order=order, selection=burger(menu, quantity))
    return upsell_offer_choose(
        order=order, moment=AFTER_ADD, line=line, quantity=quantity
    )


def root_names(order):
    return [(t.line.name, t.line.quantity) for t in cart_view(order).trees]


def test_adding_a_burger_offers_its_meal_for_the_difference(
    menu, draft_order, meal_rule
):
    panel = add_burger(menu, draft_order)

    assert panel is not None
    assert [(i.product, i.price_difference) for i in panel.items] == [
        (menu.combo, 1250 - 900)
    ]
    assert panel.offer.rule == meal_rule
    assert panel.offer.accepted is False


def test_accepting_the_meal_replaces_the_burger_with_the_combo(
    menu, draft_order, meal_rule
):
    panel = add_burger(menu, draft_order)

    upsell_offer_accept(order=draft_order, offer_id=panel.offer.pk)

    draft_order.refresh_from_db()
    assert root_names(draft_order) == [("Burger meal", 1)]
    main = draft_order.lines.get(kind=LineKind.COMBO_ITEM, product=menu.burger)
    assert [c.modifier_option for c in main.children.all()] == [menu.well_done]
    assert draft_order.total == 1250
    offer = UpsellOffer.objects.get()
    assert offer.accepted is True
    assert offer.accepted_at is not None


def test_the_meal_keeps_the_burgers_notes_it_offers_too(menu, draft_order, meal_rule):
    cut = KitchenNote.objects.create(store=menu.store, name_en="Cut in half")
    cut.categories.set([menu.mains, menu.combo.category])
    crispy = KitchenNote.objects.create(store=menu.store, name_en="Extra crispy")
    crispy.categories.set([menu.mains])  # not offered on meals
    line = cart_line_add(
        order=draft_order,
        selection=replace(burger(menu), note_ids=(cut.pk, crispy.pk)),
    )
    panel = upsell_offer_choose(
        order=draft_order, moment=AFTER_ADD, line=line, quantity=1
    )
    assert panel is not None

    upsell_offer_accept(order=draft_order, offer_id=panel.offer.pk)

    meal = draft_order.lines.get(parent=None)
    assert (meal.product, meal.note) == (menu.combo, "Cut in half")


def test_a_double_tap_adds_the_meal_once(menu, draft_order, meal_rule):
    panel = add_burger(menu, draft_order)

    upsell_offer_accept(order=draft_order, offer_id=panel.offer.pk)
    upsell_offer_accept(order=draft_order, offer_id=panel.offer.pk)

    assert root_names(draft_order) == [("Burger meal", 1)]


def test_the_meal_replaces_only_the_burgers_just_added(menu, draft_order, meal_rule):
    cart_line_add(order=draft_order, selection=burger(menu))
    draft_order.upsell_offers.all().delete()
    panel = add_burger(menu, draft_order)

    upsell_offer_accept(order=draft_order, offer_id=panel.offer.pk)

    assert root_names(draft_order) == [("Burger", 1), ("Burger meal", 1)]


def test_only_one_offer_is_shown_per_order(menu, draft_order, meal_rule, drink_rule):
    first = add_burger(menu, draft_order)
    upsell_offer_decline(order=draft_order, offer_id=first.offer.pk)

    assert add_burger(menu, draft_order) is None
    assert upsell_offer_choose(order=draft_order, moment=BEFORE_CHECKOUT) is None
    assert UpsellOffer.objects.count() == 1


def test_declining_records_the_answer_and_adds_nothing(menu, draft_order, meal_rule):
    panel = add_burger(menu, draft_order)

    upsell_offer_decline(order=draft_order, offer_id=panel.offer.pk)
    upsell_offer_accept(order=draft_order, offer_id=panel.offer.pk)

    offer = UpsellOffer.objects.get()
    assert (offer.accepted, offer.declined_at is not None) == (False, True)
    assert root_names(draft_order) == [("Burger", 1)]


def test_a_sold_out_meal_is_not_offered(menu, draft_order, meal_rule):
    menu.combo.is_available = False
    menu.combo.save()

    assert add_burger(menu, draft_order) is None
    assert UpsellOffer.objects.count() == 0


def test_nothing_is_offered_for_a_product_no_rule_names(menu, draft_order, meal_rule):
    line = cart_line_add(
        order=draft_order, selection=LineSelection(product_id=menu.fries.pk)
    )

    assert upsell_offer_choose(order=draft_order, moment=AFTER_ADD, line=line) is None


def test_a_product_already_in_the_cart_is_not_offered(menu, draft_order, drink_rule):
    cart_line_add(order=draft_order, selection=LineSelection(product_id=menu.cola.pk))

    assert upsell_offer_choose(order=draft_order, moment=BEFORE_CHECKOUT) is None


def test_a_sold_out_product_is_not_offered_before_checkout(
    menu, draft_order, drink_rule
):
    menu.cola.is_available = False
    menu.cola.save()
    cart_line_add(order=draft_order, selection=burger(menu))

    assert upsell_offer_choose(order=draft_order, moment=BEFORE_CHECKOUT) is None


def test_accepting_a_product_before_checkout_adds_it(menu, draft_order, drink_rule):
    cart_line_add(order=draft_order, selection=burger(menu))
    panel = upsell_offer_choose(order=draft_order, moment=BEFORE_CHECKOUT)

    upsell_offer_accept(
        order=draft_order, offer_id=panel.offer.pk, product_id=menu.cola.pk
    )
    upsell_offer_accept(
        order=draft_order, offer_id=panel.offer.pk, product_id=menu.cola.pk
    )

    assert [(i.product, i.price_difference) for i in panel.items] == [(menu.cola, 300)]
    assert root_names(draft_order) == [("Burger", 1), ("Cola", 1)]


def test_a_product_the_offer_did_not_make_is_refused(menu, draft_order, drink_rule):
    cart_line_add(order=draft_order, selection=burger(menu))
    panel = upsell_offer_choose(order=draft_order, moment=BEFORE_CHECKOUT)

    with pytest.raises(CartError):
        upsell_offer_accept(
            order=draft_order, offer_id=panel.offer.pk, product_id=menu.fries.pk
        )
    assert root_names(draft_order) == [("Burger", 1)]
    assert UpsellOffer.objects.get().accepted is False


def test_size_up_replaces_the_fries_with_the_large_ones(menu, draft_order):
    rule(menu, UpsellKind.SIZE_UP, triggers=[menu.fries], offered=[menu.large_fries])
    line = cart_line_add(
        order=draft_order, selection=LineSelection(product_id=menu.fries.pk)
    )
    panel = upsell_offer_choose(order=draft_order, moment=AFTER_ADD, line=line)

    upsell_offer_accept(order=draft_order, offer_id=panel.offer.pk)

    assert [(i.product, i.price_difference) for i in panel.items] == [
        (menu.large_fries, 50)
    ]
    assert root_names(draft_order) == [("Large fries", 1)]


def test_the_highest_priority_rule_that_applies_is_offered(menu, draft_order):
    rule(menu, UpsellKind.ADD_PRODUCT, offered=[menu.cola], priority=1)
    meal = rule(menu, UpsellKind.MEAL, triggers=[menu.burger], priority=5)

    assert add_burger(menu, draft_order).offer.rule == meal


def test_an_inactive_rule_offers_nothing(menu, draft_order, meal_rule):
    meal_rule.is_active = False
    meal_rule.save()

    assert add_burger(menu, draft_order) is None


def test_take_rate_counts_offers_shown_and_taken_in_the_range(menu, meal_rule):
    day = datetime(2026, 3, 2, 12, tzinfo=UTC)
    for index, accepted in enumerate([True, False, True, False, False]):
        order = order_start(kiosk=menu.kiosk, language="en")
        UpsellOffer.objects.create(
            order=order,
            rule=meal_rule,
            shown_at=day + timedelta(hours=index * 12),
            accepted=accepted,
        )

    rates = upsell_take_rates(since=day, until=day + timedelta(days=2))

    assert (rates[meal_rule.pk].shown, rates[meal_rule.pk].accepted) == (4, 2)
    assert rates[meal_rule.pk].rate == 50.0
