from __future__ import annotations

import pytest

from kiosk.models import OrderLine
from kiosk.selectors import order_line_trees
from kiosk.services.cart import (
    RemovedLine,
    cart_line_add,
    cart_line_remove,
    cart_line_restore,
    cart_line_selection,
    cart_line_update,
)
from kiosk.services.errors import CartError
from kiosk.services.selections import LineSelection
from tests.kiosk.services.test_cart import burger, meal


def names(order) -> list[tuple[str, list[str], int]]:
    return [
        (tree.line.name, [child.line.name for child in tree.children], tree.line.total)
        for tree in order_line_trees(order)
    ]


def test_the_selection_of_a_line_is_what_was_picked(menu, draft_order):
    line = cart_line_add(
        order=draft_order, selection=burger(menu, extras=[menu.bacon], quantity=2)
    )

    selection = cart_line_selection(order=draft_order, line_id=line.pk)

    assert selection == LineSelection(
        product_id=menu.burger.pk,
        quantity=2,
        option_ids={menu.cooking.pk: (menu.rare.pk,), menu.extras.pk: (menu.bacon.pk,)},
    )


def test_the_selection_of_a_combo_line_has_its_slots(menu, draft_order):
    picked = meal(menu, side=menu.large_fries)
    line = cart_line_add(order=draft_order, selection=picked)

    selection = cart_line_selection(order=draft_order, line_id=line.pk)

    assert selection.slots[menu.side_slot.pk] == picked.slots[menu.side_slot.pk]
    assert selection.slots[menu.main_slot.pk].option_ids == {
        menu.cooking.pk: (menu.rare.pk,)
    }


def test_updating_a_line_replaces_its_choices_in_place(menu, draft_order):
    cart_line_add(order=draft_order, selection=LineSelection(product_id=menu.fries.pk))
    line = cart_line_add(order=draft_order, selection=burger(menu))

    updated = cart_line_update(
        order=draft_order,
        line_id=line.pk,
        selection=burger(menu, cooking=menu.well_done, extras=[menu.bacon]),
    )

    draft_order.refresh_from_db()
    assert updated.pk == line.pk
    assert names(draft_order) == [
        ("Fries", [], 350),
        ("Burger", ["Well done", "Bacon"], 1050),
    ]
    assert draft_order.total == 1400


def test_updating_a_line_is_checked_as_adding_is(menu, draft_order):
    line = cart_line_add(order=draft_order, selection=burger(menu))
    no_cooking = LineSelection(product_id=menu.burger.pk, option_ids={})

    with pytest.raises(CartError) as refused:
        cart_line_update(order=draft_order, line_id=line.pk, selection=no_cooking)

    assert refused.value.errors == {
        f"group-{menu.cooking.pk}": "Choose at least 1 option."
    }
    assert names(draft_order) == [("Burger", ["Rare"], 900)]


def test_updating_a_line_to_another_product_is_refused(menu, draft_order):
    line = cart_line_add(order=draft_order, selection=burger(menu))

    with pytest.raises(CartError):
        cart_line_update(
            order=draft_order,
            line_id=line.pk,
            selection=LineSelection(product_id=menu.fries.pk),
        )

    assert names(draft_order) == [("Burger", ["Rare"], 900)]


def test_a_removed_line_comes_back_at_its_place(menu, draft_order):
    cart_line_add(order=draft_order, selection=LineSelection(product_id=menu.fries.pk))
    line = cart_line_add(
        order=draft_order, selection=burger(menu, extras=[menu.bacon], quantity=2)
    )
    cart_line_add(order=draft_order, selection=LineSelection(product_id=menu.cola.pk))

    removed = cart_line_remove(order=draft_order, line_id=line.pk)
    cart_line_restore(
        order=draft_order, removed=RemovedLine.from_data(removed.as_data())
    )

    draft_order.refresh_from_db()
    assert names(draft_order) == [
        ("Fries", [], 350),
        ("Burger", ["Rare", "Bacon"], 2100),
        ("Cola", [], 300),
    ]
    assert draft_order.total == 2750


def test_a_removed_choice_gone_from_the_menu_is_not_put_back(menu, draft_order):
    line = cart_line_add(order=draft_order, selection=burger(menu, extras=[menu.bacon]))
    removed = cart_line_remove(order=draft_order, line_id=line.pk)
    assert removed is not None
    menu.bacon.is_available = False
    menu.bacon.save()

    with pytest.raises(CartError):
        cart_line_restore(order=draft_order, removed=removed)

    assert OrderLine.objects.filter(order=draft_order).count() == 0


def test_a_broken_undo_record_is_refused(menu, draft_order):
    with pytest.raises(CartError) as refused:
        RemovedLine.from_data({"product": "x"})

    assert refused.value.message == "This item can no longer be put back."
