from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.models import ComboChoice, LineKind
from kiosk.services.errors import CartError
from kiosk.services.selections import (
    LineSelection,
    SlotSelection,
    default_selection,
    modifier_groups_of,
    product_orderable_now,
    selection_resolve,
)
from tests.kiosk.services.test_cart import meal

NOON = datetime(2025, 3, 10, 11, 0, tzinfo=UTC)
TAMPERED = "This choice is no longer on the menu. Please choose again."


def choice(slot, product) -> ComboChoice:
    return ComboChoice.objects.get(slot=slot, product=product)


def test_a_combo_is_priced_with_its_supplements_and_its_shares(menu, draft_order):
    resolved, errors = selection_resolve(
        order=draft_order,
        selection=meal(menu, side=menu.large_fries, extras=[menu.bacon]),
        now=NOON,
    )

    assert errors == {}
    assert (resolved.kind, resolved.name, resolved.unit_total) == (
        LineKind.COMBO,
        "Burger meal",
        1250 + 50 + 150,
    )
    items = [
        (child.name, child.unit_price, child.allocated_price)
        for child in resolved.children
    ]
    assert items == [("Burger", 0, 704), ("Large fries", 50, 312), ("Cola", 0, 234)]
    assert [option.name for option in resolved.children[0].children] == [
        "Rare",
        "Bacon",
    ]


def test_a_sheet_being_filled_in_gets_its_problems_beside_the_partial_line(
    menu, draft_order
):
    resolved, errors = selection_resolve(
        order=draft_order,
        selection=LineSelection(product_id=menu.burger.pk, quantity=0),
        now=NOON,
        strict=False,
    )

    assert (resolved.name, resolved.unit_total, resolved.children) == (
        "Burger",
        900,
        [],
    )
    assert errors == {"quantity": "Choose a quantity from 1 to 20."}


def test_ids_of_another_product_are_refused_even_on_a_sheet_being_filled_in(
    menu, draft_order
):
    selection = LineSelection(
        product_id=menu.fries.pk, option_ids={menu.cooking.pk: (menu.rare.pk,)}
    )

    with pytest.raises(CartError, match=TAMPERED):
        selection_resolve(
            order=draft_order, selection=selection, now=NOON, strict=False
        )


def test_a_reward_is_at_its_own_price_and_its_paid_options_stay_paid(menu, draft_order):
    selection = LineSelection(
        product_id=menu.burger.pk,
        option_ids={menu.cooking.pk: (menu.rare.pk,), menu.extras.pk: (menu.bacon.pk,)},
    )

    resolved, _errors = selection_resolve(
        order=draft_order, selection=selection, now=NOON, reward_reference="R-1"
    )

    assert (resolved.unit_price, resolved.unit_total, resolved.reward_reference) == (
        0,
        150,
        "R-1",
    )


def test_a_product_sold_only_inside_combos_is_not_orderable_alone(menu):
    assert product_orderable_now(product=menu.fries, now=NOON)

    menu.fries.category = None

    assert not product_orderable_now(product=menu.fries, now=NOON)


def test_a_sold_out_product_is_not_orderable(menu):
    menu.fries.is_available = False

    assert not product_orderable_now(product=menu.fries, now=NOON)


def test_the_modifier_groups_of_a_product_come_in_menu_order(menu):
    groups = modifier_groups_of(menu.burger)

    assert groups == [menu.cooking, menu.extras]
    assert [option.name for option in groups[0].options.all()] == ["Rare", "Well done"]


def test_default_selection_picks_the_default_choices_of_a_combo(menu):
    selection = default_selection(menu.combo)

    assert selection == LineSelection(
        product_id=menu.combo.pk,
        quantity=1,
        option_ids={},
        slots={
            menu.main_slot.pk: SlotSelection(
                choice_id=choice(menu.main_slot, menu.burger).pk,
                option_ids={menu.cooking.pk: (), menu.extras.pk: ()},
            ),
            menu.side_slot.pk: SlotSelection(
                choice_id=choice(menu.side_slot, menu.fries).pk
            ),
            menu.drink_slot.pk: SlotSelection(
                choice_id=choice(menu.drink_slot, menu.cola).pk
            ),
        },
    )


def test_default_selection_skips_a_sold_out_default_choice(menu):
    menu.cola.is_available = False
    menu.cola.save()

    assert menu.drink_slot.pk not in default_selection(menu.combo).slots


def test_default_selection_picks_available_default_options(menu):
    menu.well_done.is_default = True
    menu.well_done.save()
    menu.bacon.is_default = True
    menu.bacon.is_available = False
    menu.bacon.save()

    selection = default_selection(menu.burger)

    assert selection.option_ids == {
        menu.cooking.pk: (menu.well_done.pk,),
        menu.extras.pk: (),
    }


def test_default_selection_picks_the_default_option_of_a_combo_item(menu):
    menu.well_done.is_default = True
    menu.well_done.save()

    selection = default_selection(menu.combo)

    assert selection.slots[menu.main_slot.pk].option_ids == {
        menu.cooking.pk: (menu.well_done.pk,),
        menu.extras.pk: (),
    }
