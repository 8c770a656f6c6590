from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.http import QueryDict

from kiosk.models import ComboChoice, ModifierGroup
from kiosk.services.errors import CartError
from kiosk.services.selections import LineSelection, SlotSelection, default_selection
from kiosk.sheet import (
    GroupField,
    StepRequest,
    product_sheet,
    selection_from_post,
    step_from_post,
)

NOON = datetime(2025, 3, 10, 11, 0, tzinfo=UTC)
TAMPERED = "This choice is no longer on the menu. Please choose again."


def post(data: str) -> QueryDict:
    return QueryDict(data)


def choice(slot, product) -> ComboChoice:
    return ComboChoice.objects.get(slot=slot, product=product)


def test_selection_from_post_reads_groups_and_quantity(menu):
    data = post(
        f"group-{menu.cooking.pk}={menu.rare.pk}"
        f"&group-{menu.extras.pk}={menu.bacon.pk}"
        f"&group-{menu.extras.pk}={menu.cheese.pk}&quantity=3"
    )

    selection = selection_from_post(product_id=menu.burger.pk, data=data)

    assert selection == LineSelection(
        product_id=menu.burger.pk,
        quantity=3,
        option_ids={
            menu.cooking.pk: (menu.rare.pk,),
            menu.extras.pk: (menu.bacon.pk, menu.cheese.pk),
        },
    )


def test_selection_from_post_reads_slots_and_their_options(menu):
    main = choice(menu.main_slot, menu.burger)
    data = post(
        f"slot-{menu.main_slot.pk}={main.pk}"
        f"&slot-{menu.main_slot.pk}-group-{menu.cooking.pk}={menu.well_done.pk}"
    )

    selection = selection_from_post(product_id=menu.combo.pk, data=data)

    assert selection.slots == {
        menu.main_slot.pk: SlotSelection(
            choice_id=main.pk, option_ids={menu.cooking.pk: (menu.well_done.pk,)}
        )
    }
    assert selection.quantity == 1


def test_selection_from_post_ignores_an_empty_none_choice(menu):
    data = post(f"group-{menu.cooking.pk}={menu.rare.pk}&group-{menu.extras.pk}=")

    selection = selection_from_post(product_id=menu.burger.pk, data=data)

    assert selection.option_ids == {
        menu.cooking.pk: (menu.rare.pk,),
        menu.extras.pk: (),
    }


def test_selection_from_post_ignores_unknown_fields(menu):
    selection = selection_from_post(
        product_id=menu.fries.pk, data=post("price=1&name=Free+fries&csrf=x")
    )

    assert selection == LineSelection(product_id=menu.fries.pk)


@pytest.mark.parametrize(
    ("quantity", "step", "expected"),
    [("3", "1", 4), ("3", "-1", 2), ("1", "-1", 1), ("20", "1", 20), ("3", "5", 3)],
)
def test_selection_from_post_steps_the_quantity_within_range(
    menu, quantity, step, expected
):
    data = post(f"quantity={quantity}&quantity_step={step}")

    assert selection_from_post(product_id=menu.fries.pk, data=data).quantity == (
        expected
    )


@pytest.mark.parametrize(
    "data",
    ["group-{group}=abc", "slot-{slot}=1.5", "slot-{slot}={choice}&slot-{slot}=1"],
)
def test_selection_from_post_refuses_malformed_ids(menu, data):
    filled = data.format(
        group=menu.cooking.pk,
        slot=menu.side_slot.pk,
        choice=choice(menu.side_slot, menu.fries).pk,
    )

    with pytest.raises(CartError, match=TAMPERED):
        selection_from_post(product_id=menu.combo.pk, data=post(filled))


def test_selection_from_post_refuses_options_of_a_slot_without_its_choice(menu):
    data = post(f"slot-{menu.main_slot.pk}-group-{menu.cooking.pk}={menu.rare.pk}")

    with pytest.raises(CartError, match=TAMPERED):
        selection_from_post(product_id=menu.combo.pk, data=data)


@pytest.mark.parametrize("data", ["quantity=two", "quantity=1&quantity_step=up"])
def test_selection_from_post_refuses_a_quantity_that_is_not_a_number(menu, data):
    with pytest.raises(CartError) as caught:
        selection_from_post(product_id=menu.fries.pk, data=post(data))

    assert caught.value.errors == {"quantity": "Enter a number."}


def test_product_sheet_prices_what_is_picked_so_far(menu, draft_order):
    selection = LineSelection(
        product_id=menu.burger.pk,
        quantity=2,
        option_ids={menu.extras.pk: (menu.bacon.pk, menu.cheese.pk)},
    )

    sheet = product_sheet(
        order=draft_order, product=menu.burger, selection=selection, now=NOON
    )

    # The cooking is still missing: a sheet being filled in is not an error.
    assert (sheet.unit_total, sheet.total, sheet.errors) == (1150, 2300, {})
    assert [(group.key, group.input_type) for group in sheet.groups] == [
        (f"group-{menu.cooking.pk}", "radio"),
        (f"group-{menu.extras.pk}", "checkbox"),
    ]
    assert [option.is_checked for option in sheet.groups[1].options] == [True, True]


def test_product_sheet_shows_the_options_of_the_chosen_combo_item(menu, draft_order):
    sheet = product_sheet(
        order=draft_order,
        product=menu.combo,
        selection=default_selection(menu.combo),
        now=NOON,
    )

    assert sheet.unit_total == 1250
    assert [slot.key for slot in sheet.slots] == [
        f"slot-{menu.main_slot.pk}",
        f"slot-{menu.side_slot.pk}",
        f"slot-{menu.drink_slot.pk}",
    ]
    assert [group.key for group in sheet.slots[0].groups] == [
        f"slot-{menu.main_slot.pk}-group-{menu.cooking.pk}",
        f"slot-{menu.main_slot.pk}-group-{menu.extras.pk}",
    ]
    assert [(c.product.name, c.price) for c in sheet.slots[1].choices] == [
        ("Fries", 0),
        ("Large fries", 50),
    ]


def test_product_sheet_reports_an_unavailable_option_on_its_group(menu, draft_order):
    menu.bacon.is_available = False
    menu.bacon.save()
    selection = LineSelection(
        product_id=menu.burger.pk, option_ids={menu.extras.pk: (menu.bacon.pk,)}
    )

    sheet = product_sheet(
        order=draft_order, product=menu.burger, selection=selection, now=NOON
    )

    assert sheet.errors == {
        f"group-{menu.extras.pk}": "Bacon is not available right now."
    }
    assert sheet.groups[1].error == "Bacon is not available right now."


@pytest.mark.parametrize(
    ("minimum", "maximum", "hint"),
    [(1, 1, "Choose 1."), (0, 2, "Optional, up to 2."), (1, 3, "Choose 1 to 3.")],
)
def test_a_group_field_hints_how_many_to_choose(menu, minimum, maximum, hint):
    group = ModifierGroup.objects.create(
        store=menu.store,
        internal_name="sauces",
        min_choices=minimum,
        max_choices=maximum,
    )

    assert GroupField(key="group-1", group=group, options=[]).hint == hint


def test_default_selection_skips_an_unavailable_default_option_of_a_combo_item(
    menu, draft_order
):
    menu.rare.is_default = True
    menu.rare.is_available = False
    menu.rare.save()

    selection = default_selection(menu.combo)
    sheet = product_sheet(
        order=draft_order, product=menu.combo, selection=selection, now=NOON
    )

    assert selection.slots[menu.main_slot.pk].option_ids == {
        menu.cooking.pk: (),
        menu.extras.pk: (),
    }
    assert sheet.errors == {}


def test_step_from_post_reads_the_step_and_the_move():
    assert step_from_post(post("step=2&step_move=-1")) == StepRequest(step=2, move=-1)
    assert step_from_post(post("step=1&step_goto=3")) == StepRequest(step=1, goto=3)
    for data in ("step=x", "step=-3", "step_move=5", "step=12345", ""):
        request = step_from_post(post(data))
        assert (request.step, request.move) == (0, 0), data


def test_a_meal_sheet_drops_the_options_of_a_slots_previous_choice(menu, draft_order):
    """The main's cooking posted after the side was changed to fries: dropped,
    not refused (the form still carried them)."""
    fries = choice(menu.side_slot, menu.fries)
    selection = LineSelection(
        product_id=menu.combo.pk,
        slots={
            menu.main_slot.pk: SlotSelection(
                choice_id=choice(menu.main_slot, menu.burger).pk,
                option_ids={menu.cooking.pk: (menu.rare.pk,)},
            ),
            menu.side_slot.pk: SlotSelection(
                choice_id=fries.pk, option_ids={menu.cooking.pk: (menu.rare.pk,)}
            ),
        },
    )

    sheet = product_sheet(
        order=draft_order, product=menu.combo, selection=selection, now=NOON
    )

    assert sheet.slots[1].picked is not None
    assert sheet.slots[1].groups == []
    assert sheet.slots[0].picked_options == ["Rare"]


def test_next_from_a_step_missing_a_required_option_stays_on_it(menu, draft_order):
    selection = default_selection(menu.combo)

    sheet = product_sheet(
        order=draft_order,
        product=menu.combo,
        selection=selection,
        now=NOON,
        step=StepRequest(step=0, move=1),
    )

    assert sheet.step == 0
    assert sheet.slots[0].groups[0].error == "Choose at least 1 option."
