from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from kiosk.models import ComboChoice, Kiosk, LineKind, OrderLine, OrderState
from kiosk.money import TaxLine
from kiosk.selectors import cart_view
from kiosk.services.cart import (
    cart_line_add,
    cart_line_remove,
    cart_line_set_quantity,
    cart_remove_unavailable,
    order_set_service_mode,
)
from kiosk.services.errors import CartError, OrderStateError
from kiosk.services.orders import order_start
from kiosk.services.selections import LineSelection, SlotSelection

TAMPERED = "This choice is no longer on the menu. Please choose again."
# 2025-03-10 is a Monday; Paris is UTC+1 that day.
MORNING = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 in Paris
LUNCH = datetime(2025, 3, 10, 10, 30, tzinfo=UTC)  # 11:30 in Paris


def burger(menu, cooking=None, extras=(), quantity=1) -> LineSelection:
    return LineSelection(
        product_id=menu.burger.pk,
        quantity=quantity,
        option_ids={
            menu.cooking.pk: ((cooking or menu.rare).pk,),
            menu.extras.pk: tuple(option.pk for option in extras),
        },
    )


def choice(slot, product) -> ComboChoice:
    return ComboChoice.objects.get(slot=slot, product=product)


def meal(menu, side=None, extras=(), quantity=1) -> LineSelection:
    return LineSelection(
        product_id=menu.combo.pk,
        quantity=quantity,
        slots={
            menu.main_slot.pk: SlotSelection(
                choice_id=choice(menu.main_slot, menu.burger).pk,
                option_ids={
                    menu.cooking.pk: (menu.rare.pk,),
                    menu.extras.pk: tuple(option.pk for option in extras),
                },
            ),
            menu.side_slot.pk: SlotSelection(
                choice_id=choice(menu.side_slot, side or menu.fries).pk
            ),
            menu.drink_slot.pk: SlotSelection(
                choice_id=choice(menu.drink_slot, menu.cola).pk
            ),
        },
    )


def rows(line: OrderLine) -> list[tuple[str, str, int, int, int, int]]:
    """The line and its subtree, depth first: kind, name, quantity, unit price,
    tax rate, total."""
    result = [
        (
            line.kind,
            line.name,
            line.quantity,
            line.unit_price,
            line.tax_rate,
            line.total,
        )
    ]
    for child in line.children.order_by("position", "id"):
        result += rows(child)
    return result


def test_adding_an_item_writes_one_line_priced_from_the_menu(menu, draft_order):
    line = cart_line_add(
        order=draft_order, selection=LineSelection(product_id=menu.fries.pk)
    )

    draft_order.refresh_from_db()
    assert OrderLine.objects.count() == 1
    assert (line.kind, line.product_id, line.sku, line.plu, line.name) == (
        LineKind.ITEM,
        menu.fries.pk,
        "FRIES",
        "4102",
        "Fries",
    )
    assert (line.quantity, line.unit_price, line.tax_rate, line.total) == (
        1,
        350,
        1000,
        350,
    )
    assert (draft_order.total, draft_order.tax_total) == (350, 32)


def test_modifiers_add_their_prices_to_the_line(menu, draft_order):
    line = cart_line_add(
        order=draft_order, selection=burger(menu, extras=(menu.bacon, menu.cheese))
    )

    draft_order.refresh_from_db()
    assert rows(line) == [
        (LineKind.ITEM, "Burger", 1, 900, 1000, 1150),
        (LineKind.MODIFIER, "Rare", 1, 0, 1000, 0),
        (LineKind.MODIFIER, "Bacon", 1, 150, 1000, 0),
        (LineKind.MODIFIER, "Cheese", 1, 100, 1000, 0),
    ]
    # 1150 x 1000 / 11000 = 104.55
    assert (draft_order.total, draft_order.tax_total) == (1150, 105)


def test_a_combo_is_written_with_its_slot_choices_and_their_supplements(
    menu, draft_order
):
    line = cart_line_add(order=draft_order, selection=meal(menu, side=menu.large_fries))

    draft_order.refresh_from_db()
    assert rows(line) == [
        (LineKind.COMBO, "Burger meal", 1, 1250, 1000, 1300),
        (LineKind.COMBO_ITEM, "Burger", 1, 0, 1000, 0),
        (LineKind.MODIFIER, "Rare", 1, 0, 1000, 0),
        (LineKind.COMBO_ITEM, "Large fries", 1, 50, 1000, 0),
        (LineKind.COMBO_ITEM, "Cola", 1, 0, 1000, 0),
    ]
    assert [child.combo_slot_id for child in line.children.order_by("position")] == [
        menu.main_slot.pk,
        menu.side_slot.pk,
        menu.drink_slot.pk,
    ]
    # 1300 x 1000 / 11000 = 118.18
    assert (draft_order.total, draft_order.tax_total) == (1300, 118)


def test_modifiers_of_a_combo_item_add_to_the_combo_price(menu, draft_order):
    line = cart_line_add(
        order=draft_order, selection=meal(menu, extras=(menu.bacon,), quantity=2)
    )

    draft_order.refresh_from_db()
    assert line.total == 2800
    assert (draft_order.total, draft_order.tax_total) == (2800, 255)


def test_the_same_configuration_added_twice_is_one_line_of_quantity_two(
    menu, draft_order
):
    first = cart_line_add(
        order=draft_order, selection=burger(menu, extras=[menu.bacon])
    )
    second = cart_line_add(
        order=draft_order, selection=burger(menu, extras=[menu.bacon])
    )

    draft_order.refresh_from_db()
    assert second.pk == first.pk
    assert OrderLine.objects.filter(parent=None).count() == 1
    assert OrderLine.objects.count() == 3
    second.refresh_from_db()
    assert (second.quantity, second.total) == (2, 2100)
    assert (draft_order.total, draft_order.tax_total) == (2100, 191)


def test_the_same_combo_added_twice_is_one_line_of_quantity_two(menu, draft_order):
    cart_line_add(order=draft_order, selection=meal(menu))
    line = cart_line_add(order=draft_order, selection=meal(menu))

    line.refresh_from_db()
    draft_order.refresh_from_db()
    assert OrderLine.objects.filter(parent=None).count() == 1
    assert (line.quantity, line.total) == (2, 2500)
    assert draft_order.total == 2500


def test_different_configurations_are_separate_lines(menu, draft_order):
    cart_line_add(order=draft_order, selection=burger(menu, extras=[menu.bacon]))
    cart_line_add(
        order=draft_order,
        selection=burger(menu, cooking=menu.well_done, extras=[menu.bacon]),
    )

    draft_order.refresh_from_db()
    assert OrderLine.objects.filter(parent=None).count() == 2
    assert draft_order.total == 2100


def test_tax_is_computed_once_per_rate_on_the_grouped_amount(menu, draft_order):
    cart_line_add(order=draft_order, selection=burger(menu, extras=[menu.bacon]))
    cart_line_add(
        order=draft_order,
        selection=burger(menu, cooking=menu.well_done, extras=[menu.bacon]),
    )

    draft_order.refresh_from_db()
    # Per line 1050 x 1000 / 11000 = 95.45 twice (190); grouped 2100 -> 190.9.
    assert cart_view(draft_order).totals.taxes == [
        TaxLine(rate=1000, gross=2100, tax=191)
    ]
    assert draft_order.tax_total == 191


def test_merging_beyond_the_maximum_quantity_is_refused(menu, draft_order):
    line = cart_line_add(
        order=draft_order,
        selection=LineSelection(product_id=menu.fries.pk, quantity=20),
    )

    with pytest.raises(CartError) as caught:
        cart_line_add(
            order=draft_order, selection=LineSelection(product_id=menu.fries.pk)
        )

    assert caught.value.errors == {"quantity": "Choose a quantity from 1 to 20."}
    line.refresh_from_db()
    draft_order.refresh_from_db()
    assert (line.quantity, line.total) == (20, 7000)
    assert draft_order.total == 7000


def test_the_maximum_quantity_is_accepted(menu, draft_order):
    line = cart_line_add(
        order=draft_order,
        selection=LineSelection(product_id=menu.cola.pk, quantity=20),
    )

    draft_order.refresh_from_db()
    assert (line.quantity, line.total) == (20, 6000)
    assert (draft_order.total, draft_order.tax_total) == (6000, 545)


def test_changing_the_quantity_recomputes_line_and_order_totals(menu, draft_order):
    line = cart_line_add(order=draft_order, selection=burger(menu, extras=[menu.bacon]))

    cart_line_set_quantity(order=draft_order, line_id=line.pk, quantity=3)

    line.refresh_from_db()
    draft_order.refresh_from_db()
    assert (line.quantity, line.total) == (3, 3150)
    assert (draft_order.total, draft_order.tax_total) == (3150, 286)
    assert list(line.children.values_list("quantity", flat=True)) == [1, 1]


@pytest.mark.parametrize("quantity", [0, -1, 21, 10000])
def test_setting_a_quantity_out_of_range_is_refused(menu, fries_order, quantity):
    line = fries_order.lines.get()

    with pytest.raises(CartError):
        cart_line_set_quantity(order=fries_order, line_id=line.pk, quantity=quantity)

    line.refresh_from_db()
    fries_order.refresh_from_db()
    assert (line.quantity, line.total) == (1, 350)
    assert fries_order.total == 350


def test_setting_the_quantity_of_a_modifier_line_is_refused(menu, draft_order):
    line = cart_line_add(order=draft_order, selection=burger(menu))
    modifier = line.children.get()

    with pytest.raises(CartError, match="no longer in your order"):
        cart_line_set_quantity(order=draft_order, line_id=modifier.pk, quantity=5)

    modifier.refresh_from_db()
    assert modifier.quantity == 1


def test_removing_a_line_removes_its_subtree_and_recomputes_totals(menu, draft_order):
    cart_line_add(order=draft_order, selection=LineSelection(product_id=menu.fries.pk))
    line = cart_line_add(order=draft_order, selection=meal(menu))

    cart_line_remove(order=draft_order, line_id=line.pk)

    draft_order.refresh_from_db()
    assert list(OrderLine.objects.values_list("name", flat=True)) == ["Fries"]
    assert (draft_order.total, draft_order.tax_total) == (350, 32)


def test_removing_a_line_of_another_order_is_refused(menu, fries_order):
    line = fries_order.lines.get()
    kiosk = Kiosk.objects.create(store=menu.store, name="K2", code="burger-test-2")
    newcomer = order_start(kiosk=kiosk, language="en")

    with pytest.raises(CartError, match="no longer in your order"):
        cart_line_remove(order=newcomer, line_id=line.pk)

    fries_order.refresh_from_db()
    assert OrderLine.objects.filter(pk=line.pk).count() == 1
    assert fries_order.total == 350


def test_take_away_recomputes_tax_rates_and_keeps_prices(menu, draft_order):
    cart_line_add(order=draft_order, selection=burger(menu, extras=[menu.bacon]))
    cola = cart_line_add(
        order=draft_order,
        selection=LineSelection(product_id=menu.cola.pk, quantity=2),
    )

    order_set_service_mode(order=draft_order, service_mode="take_away")

    draft_order.refresh_from_db()
    cola.refresh_from_db()
    assert draft_order.service_mode == "take_away"
    assert (cola.tax_rate, cola.total) == (550, 600)
    assert cart_view(draft_order).totals.taxes == [
        TaxLine(rate=550, gross=600, tax=31),
        TaxLine(rate=1000, gross=1050, tax=95),
    ]
    assert (draft_order.total, draft_order.tax_total) == (1650, 126)


def test_eat_in_again_restores_the_eat_in_rates(menu, draft_order):
    cart_line_add(order=draft_order, selection=burger(menu, extras=[menu.bacon]))
    cart_line_add(
        order=draft_order,
        selection=LineSelection(product_id=menu.cola.pk, quantity=2),
    )
    order_set_service_mode(order=draft_order, service_mode="take_away")

    order_set_service_mode(order=draft_order, service_mode="eat_in")

    draft_order.refresh_from_db()
    assert cart_view(draft_order).totals.taxes == [
        TaxLine(rate=1000, gross=1650, tax=150)
    ]
    assert (draft_order.total, draft_order.tax_total) == (1650, 150)


def test_take_away_changes_the_rate_of_a_drink_inside_a_combo(menu, draft_order):
    line = cart_line_add(order=draft_order, selection=meal(menu))

    order_set_service_mode(order=draft_order, service_mode="take_away")

    assert list(line.children.order_by("position").values_list("name", "tax_rate")) == [
        ("Burger", 1000),
        ("Fries", 1000),
        ("Cola", 550),
    ]


def test_an_item_added_for_take_away_gets_the_take_away_rate(menu, draft_order):
    order_set_service_mode(order=draft_order, service_mode="take_away")

    line = cart_line_add(
        order=draft_order, selection=LineSelection(product_id=menu.cola.pk)
    )

    draft_order.refresh_from_db()
    assert line.tax_rate == 550
    # 300 x 550 / 10550 = 15.64
    assert (draft_order.total, draft_order.tax_total) == (300, 16)


def test_a_service_mode_the_store_does_not_offer_is_refused(menu, draft_order):
    menu.store.service_modes = ["eat_in"]
    menu.store.save()

    with pytest.raises(CartError, match="not offered"):
        order_set_service_mode(order=draft_order, service_mode="take_away")

    draft_order.refresh_from_db()
    assert draft_order.service_mode == "eat_in"


def test_a_missing_required_choice_is_refused_with_the_group_field(menu, draft_order):
    selection = LineSelection(product_id=menu.burger.pk)

    with pytest.raises(CartError) as caught:
        cart_line_add(order=draft_order, selection=selection)

    assert caught.value.errors == {
        f"group-{menu.cooking.pk}": "Choose at least 1 option."
    }
    assert OrderLine.objects.count() == 0
    draft_order.refresh_from_db()
    assert draft_order.total == 0


def test_a_missing_required_choice_in_a_combo_slot_names_the_slot_group(
    menu, draft_order
):
    selection = meal(menu)
    slots = dict(selection.slots)
    slots[menu.main_slot.pk] = SlotSelection(
        choice_id=choice(menu.main_slot, menu.burger).pk
    )

    with pytest.raises(CartError) as caught:
        cart_line_add(
            order=draft_order,
            selection=LineSelection(product_id=menu.combo.pk, slots=slots),
        )

    assert caught.value.errors == {
        f"slot-{menu.main_slot.pk}-group-{menu.cooking.pk}": "Choose at least 1 option."
    }
    assert OrderLine.objects.count() == 0


def test_a_missing_combo_slot_choice_is_refused_with_the_slot_field(menu, draft_order):
    selection = meal(menu)
    slots = {
        key: value
        for key, value in selection.slots.items()
        if key != menu.drink_slot.pk
    }

    with pytest.raises(CartError) as caught:
        cart_line_add(
            order=draft_order,
            selection=LineSelection(product_id=menu.combo.pk, slots=slots),
        )

    assert caught.value.errors == {f"slot-{menu.drink_slot.pk}": "Choose your drink."}
    assert OrderLine.objects.count() == 0


def test_too_many_options_in_a_group_are_refused(menu, draft_order):
    selection = LineSelection(
        product_id=menu.burger.pk,
        option_ids={menu.cooking.pk: (menu.rare.pk, menu.well_done.pk)},
    )

    with pytest.raises(CartError) as caught:
        cart_line_add(order=draft_order, selection=selection)

    assert caught.value.errors == {
        f"group-{menu.cooking.pk}": "Choose at most 1 option."
    }
    assert OrderLine.objects.count() == 0


def test_the_same_option_twice_is_refused(menu, draft_order):
    selection = LineSelection(
        product_id=menu.burger.pk,
        option_ids={
            menu.cooking.pk: (menu.rare.pk,),
            menu.extras.pk: (menu.bacon.pk, menu.bacon.pk),
        },
    )

    with pytest.raises(CartError, match=TAMPERED):
        cart_line_add(order=draft_order, selection=selection)

    assert OrderLine.objects.count() == 0


def test_an_option_of_another_group_is_refused(menu, draft_order):
    selection = LineSelection(
        product_id=menu.burger.pk, option_ids={menu.cooking.pk: (menu.bacon.pk,)}
    )

    with pytest.raises(CartError, match=TAMPERED):
        cart_line_add(order=draft_order, selection=selection)

    assert OrderLine.objects.count() == 0


def test_a_group_of_another_product_is_refused(menu, draft_order):
    selection = LineSelection(
        product_id=menu.fries.pk, option_ids={menu.cooking.pk: (menu.rare.pk,)}
    )

    with pytest.raises(CartError, match=TAMPERED):
        cart_line_add(order=draft_order, selection=selection)

    assert OrderLine.objects.count() == 0


def test_an_option_of_another_store_is_refused(menu, draft_order, other):
    selection = LineSelection(
        product_id=menu.burger.pk,
        option_ids={
            menu.cooking.pk: (menu.rare.pk,),
            menu.extras.pk: (other.option.pk,),
        },
    )

    with pytest.raises(CartError, match=TAMPERED):
        cart_line_add(order=draft_order, selection=selection)

    assert OrderLine.objects.count() == 0


def test_a_combo_choice_of_another_slot_is_refused(menu, draft_order):
    selection = meal(menu)
    slots = dict(selection.slots)
    slots[menu.drink_slot.pk] = SlotSelection(
        choice_id=choice(menu.side_slot, menu.large_fries).pk
    )

    with pytest.raises(CartError, match=TAMPERED):
        cart_line_add(
            order=draft_order,
            selection=LineSelection(product_id=menu.combo.pk, slots=slots),
        )

    assert OrderLine.objects.count() == 0


def test_a_combo_slot_of_another_store_is_refused(menu, draft_order, other):
    selection = meal(menu)
    slots = {**selection.slots, other.slot.pk: SlotSelection(choice_id=other.choice.pk)}

    with pytest.raises(CartError, match=TAMPERED):
        cart_line_add(
            order=draft_order,
            selection=LineSelection(product_id=menu.combo.pk, slots=slots),
        )

    assert OrderLine.objects.count() == 0


def test_slots_posted_for_an_item_are_refused(menu, draft_order):
    selection = LineSelection(
        product_id=menu.fries.pk,
        slots={
            menu.side_slot.pk: SlotSelection(
                choice_id=choice(menu.side_slot, menu.fries).pk
            )
        },
    )

    with pytest.raises(CartError, match=TAMPERED):
        cart_line_add(order=draft_order, selection=selection)

    assert OrderLine.objects.count() == 0


def test_an_unknown_product_is_refused(menu, draft_order):
    with pytest.raises(CartError, match="This product is not on the menu."):
        cart_line_add(order=draft_order, selection=LineSelection(product_id=987654321))

    assert OrderLine.objects.count() == 0


def test_a_product_of_another_store_is_refused(menu, draft_order, other):
    with pytest.raises(CartError, match="This product is not on the menu."):
        cart_line_add(
            order=draft_order, selection=LineSelection(product_id=other.product.pk)
        )

    assert OrderLine.objects.count() == 0


def test_a_product_off_the_menu_is_refused(menu, draft_order):
    menu.fries.is_active = False
    menu.fries.save()

    with pytest.raises(CartError, match="This product is not on the menu."):
        cart_line_add(
            order=draft_order, selection=LineSelection(product_id=menu.fries.pk)
        )

    assert OrderLine.objects.count() == 0


def test_a_sold_out_product_is_refused(menu, draft_order):
    menu.fries.is_available = False
    menu.fries.save()

    with pytest.raises(CartError, match="Fries is not available right now."):
        cart_line_add(
            order=draft_order, selection=LineSelection(product_id=menu.fries.pk)
        )

    assert OrderLine.objects.count() == 0


def test_a_product_sold_only_inside_combos_is_refused_alone(menu, draft_order):
    menu.large_fries.category = None
    menu.large_fries.save()

    with pytest.raises(CartError, match="Large fries is not available right now."):
        cart_line_add(
            order=draft_order,
            selection=LineSelection(product_id=menu.large_fries.pk),
        )

    assert OrderLine.objects.count() == 0


def test_a_sold_out_combo_choice_is_refused_with_the_slot_field(menu, draft_order):
    menu.cola.is_available = False
    menu.cola.save()

    with pytest.raises(CartError) as caught:
        cart_line_add(order=draft_order, selection=meal(menu))

    assert caught.value.errors == {f"slot-{menu.drink_slot.pk}": "Cola is sold out."}
    assert OrderLine.objects.count() == 0


def test_an_unavailable_option_is_refused_with_the_group_field(menu, draft_order):
    menu.bacon.is_available = False
    menu.bacon.save()

    with pytest.raises(CartError) as caught:
        cart_line_add(order=draft_order, selection=burger(menu, extras=[menu.bacon]))

    assert caught.value.errors == {
        f"group-{menu.extras.pk}": "Bacon is not available right now."
    }
    assert OrderLine.objects.count() == 0


def test_a_category_before_its_time_window_is_refused(menu, draft_order):
    menu.mains.available_from = time(11, 0)
    menu.mains.available_until = time(14, 0)
    menu.mains.save()

    with pytest.raises(CartError, match="Burger is not available right now."):
        cart_line_add(order=draft_order, selection=burger(menu), now=MORNING)

    assert OrderLine.objects.count() == 0


def test_a_category_inside_its_time_window_in_store_time_is_accepted(menu, draft_order):
    menu.mains.available_from = time(11, 0)
    menu.mains.available_until = time(14, 0)
    menu.mains.save()

    cart_line_add(order=draft_order, selection=burger(menu), now=LUNCH)

    assert OrderLine.objects.filter(parent=None).count() == 1


def test_an_overnight_window_is_open_after_midnight(menu, draft_order):
    menu.mains.available_from = time(22, 0)
    menu.mains.available_until = time(2, 0)
    menu.mains.save()
    after_midnight = datetime(2025, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 in Paris

    cart_line_add(order=draft_order, selection=burger(menu), now=after_midnight)

    assert OrderLine.objects.filter(parent=None).count() == 1


def test_a_hidden_category_is_refused(menu, draft_order):
    menu.mains.is_active = False
    menu.mains.save()

    with pytest.raises(CartError, match="Burger is not available right now."):
        cart_line_add(order=draft_order, selection=burger(menu))

    assert OrderLine.objects.count() == 0


@pytest.mark.parametrize("quantity", [0, -1, 21, 10000])
def test_a_quantity_out_of_range_is_refused(menu, draft_order, quantity):
    with pytest.raises(CartError) as caught:
        cart_line_add(
            order=draft_order,
            selection=LineSelection(product_id=menu.fries.pk, quantity=quantity),
        )

    assert caught.value.errors == {"quantity": "Choose a quantity from 1 to 20."}
    assert OrderLine.objects.count() == 0
    draft_order.refresh_from_db()
    assert draft_order.total == 0


def test_a_full_cart_refuses_another_line(menu, draft_order, settings):
    settings.KIOSK_MAX_CART_LINES = 1
    cart_line_add(order=draft_order, selection=LineSelection(product_id=menu.fries.pk))

    with pytest.raises(CartError, match="Your order is full."):
        cart_line_add(
            order=draft_order, selection=LineSelection(product_id=menu.cola.pk)
        )

    assert list(OrderLine.objects.values_list("name", flat=True)) == ["Fries"]


def test_remove_unavailable_takes_out_a_sold_out_product(menu, draft_order):
    cart_line_add(order=draft_order, selection=burger(menu, extras=[menu.bacon]))
    cart_line_add(order=draft_order, selection=LineSelection(product_id=menu.fries.pk))
    menu.fries.is_available = False
    menu.fries.save()

    removed = cart_remove_unavailable(order=draft_order)

    draft_order.refresh_from_db()
    assert removed == ["Fries"]
    assert list(
        OrderLine.objects.filter(parent=None).values_list("name", flat=True)
    ) == ["Burger"]
    assert (draft_order.total, draft_order.tax_total) == (1050, 95)


def test_remove_unavailable_takes_out_a_combo_whose_item_sold_out(menu, draft_order):
    cart_line_add(order=draft_order, selection=meal(menu))
    menu.cola.is_available = False
    menu.cola.save()

    removed = cart_remove_unavailable(order=draft_order)

    draft_order.refresh_from_db()
    assert removed == ["Burger meal"]
    assert OrderLine.objects.count() == 0
    assert (draft_order.total, draft_order.tax_total) == (0, 0)


def test_remove_unavailable_takes_out_a_line_whose_option_ran_out(menu, draft_order):
    cart_line_add(order=draft_order, selection=burger(menu, extras=[menu.cheese]))
    menu.cheese.is_available = False
    menu.cheese.save()

    removed = cart_remove_unavailable(order=draft_order)

    assert removed == ["Burger"]
    assert OrderLine.objects.count() == 0


def test_remove_unavailable_takes_out_a_line_whose_category_closed(menu, draft_order):
    cart_line_add(order=draft_order, selection=burger(menu), now=LUNCH)
    menu.mains.available_from = time(11, 0)
    menu.mains.available_until = time(14, 0)
    menu.mains.save()

    removed = cart_remove_unavailable(order=draft_order, now=MORNING)

    assert removed == ["Burger"]
    assert OrderLine.objects.count() == 0


def test_remove_unavailable_keeps_a_cart_that_is_all_available(menu, draft_order):
    cart_line_add(order=draft_order, selection=meal(menu))
    draft_order.refresh_from_db()
    updated_at = draft_order.updated_at

    removed = cart_remove_unavailable(order=draft_order)

    draft_order.refresh_from_db()
    assert removed == []
    assert OrderLine.objects.count() == 5
    assert (draft_order.total, draft_order.updated_at) == (1250, updated_at)


def test_adding_to_a_submitted_order_is_refused(menu, counter_order):
    with pytest.raises(OrderStateError):
        cart_line_add(
            order=counter_order, selection=LineSelection(product_id=menu.cola.pk)
        )

    counter_order.refresh_from_db()
    assert list(OrderLine.objects.values_list("name", flat=True)) == ["Fries"]
    assert (counter_order.state, counter_order.total) == (
        OrderState.AWAITING_PAYMENT,
        350,
    )


def test_changing_a_quantity_of_a_submitted_order_is_refused(menu, counter_order):
    line = counter_order.lines.get()

    with pytest.raises(OrderStateError):
        cart_line_set_quantity(order=counter_order, line_id=line.pk, quantity=2)

    line.refresh_from_db()
    assert (line.quantity, line.total) == (1, 350)


def test_removing_a_line_of_a_submitted_order_is_refused(menu, counter_order):
    line = counter_order.lines.get()

    with pytest.raises(OrderStateError):
        cart_line_remove(order=counter_order, line_id=line.pk)

    assert OrderLine.objects.filter(pk=line.pk).count() == 1


def test_changing_the_service_mode_of_a_submitted_order_is_refused(menu, counter_order):
    with pytest.raises(OrderStateError):
        order_set_service_mode(order=counter_order, service_mode="take_away")

    counter_order.refresh_from_db()
    assert (counter_order.service_mode, counter_order.tax_total) == ("eat_in", 32)


def test_remove_unavailable_on_a_submitted_order_is_refused(menu, counter_order):
    menu.fries.is_available = False
    menu.fries.save()

    with pytest.raises(OrderStateError):
        cart_remove_unavailable(order=counter_order)

    assert OrderLine.objects.count() == 1


def test_a_combo_price_is_shared_over_its_items_pro_rata_to_their_prices(
    menu, draft_order
):
    # Burger 900, fries 350, cola 300 = 1550 → 1250 × 900/1550 = 725.8 → 725,
    # 282.2 → 282, 241.9 → 241; the 2 cents left go to the dearest item.
    line = cart_line_add(order=draft_order, selection=meal(menu))

    shares = line.children.order_by("position").values_list("name", "allocated_price")

    assert list(shares) == [("Burger", 727), ("Fries", 282), ("Cola", 241)]


def test_a_dearer_choice_changes_the_shares_not_the_supplement(menu, draft_order):
    # Burger 900, large fries 400, cola 300 = 1600 → 703.1, 312.5, 234.4.
    line = cart_line_add(order=draft_order, selection=meal(menu, side=menu.large_fries))

    shares = line.children.order_by("position").values_list(
        "name", "allocated_price", "unit_price"
    )

    assert list(shares) == [
        ("Burger", 704, 0),
        ("Large fries", 312, 50),
        ("Cola", 234, 0),
    ]


def test_a_take_away_combo_taxes_its_drink_share_at_the_drink_rate(menu, draft_order):
    order_set_service_mode(order=draft_order, service_mode="take_away")
    cart_line_add(order=draft_order, selection=meal(menu, extras=[menu.bacon]))

    totals = cart_view(draft_order).totals

    # Food 10 %: burger 727 + fries 282 + bacon 150 = 1159 → tax 105.36 → 105.
    # Drinks 5.5 %: cola 241 → tax 12.56 → 13.
    assert totals.taxes == [
        TaxLine(rate=550, gross=241, tax=13),
        TaxLine(rate=1000, gross=1159, tax=105),
    ]
    assert (totals.total, totals.tax_total) == (1400, 118)


def test_two_combos_tax_twice_each_share(menu, draft_order):
    order_set_service_mode(order=draft_order, service_mode="take_away")
    cart_line_add(order=draft_order, selection=meal(menu, quantity=2))

    totals = cart_view(draft_order).totals

    assert totals.taxes == [
        TaxLine(rate=550, gross=482, tax=25),
        TaxLine(rate=1000, gross=2018, tax=183),
    ]
    assert totals.total == 2500
