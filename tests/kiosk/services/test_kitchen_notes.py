"""Kitchen notes: ticked on the product sheet, kept on the order line in the
kitchen's language, and a line of their own in the cart."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.utils import translation

from hardware.selectors import receipt_for_order
from kiosk.models import KitchenNote, OrderLine
from kiosk.selectors import cart_view
from kiosk.services.cart import (
    RemovedLine,
    cart_line_add,
    cart_line_remove,
    cart_line_restore,
    cart_line_selection,
    cart_line_update,
)
from kiosk.services.errors import CartError
from kiosk.services.selections import LineSelection, kitchen_notes_for
from kiosk.sheet import product_sheet, selection_from_post
from tests.kiosk.services.test_cart import TAMPERED, burger, meal


@pytest.fixture
def notes(menu) -> dict[str, KitchenNote]:
    cut = KitchenNote.objects.create(
        store=menu.store, name_en="Cut in half", name_fr="Coupé en deux", position=0
    )
    cut.categories.set([menu.mains, menu.combo.category])
    salt = KitchenNote.objects.create(
        store=menu.store, name_en="No salt", name_fr="Sans sel", position=1
    )  # no category: every product
    hidden = KitchenNote.objects.create(
        store=menu.store, name_en="Old note", is_active=False, position=2
    )
    sides_only = KitchenNote.objects.create(
        store=menu.store,
        name_en="Extra crispy",
        name_fr="Bien croustillant",
        position=3,
    )
    sides_only.categories.set([menu.fries.category])
    return {"cut": cut, "salt": salt, "hidden": hidden, "crispy": sides_only}


def _with_notes(selection: LineSelection, *notes: KitchenNote) -> LineSelection:
    return LineSelection(
        product_id=selection.product_id,
        quantity=selection.quantity,
        option_ids=selection.option_ids,
        slots=selection.slots,
        note_ids=tuple(note.pk for note in notes),
    )


def test_a_product_offers_its_categorys_notes_and_the_stores_general_ones(menu, notes):
    assert [n.name_en for n in kitchen_notes_for(menu.burger)] == [
        "Cut in half",
        "No salt",
    ]
    assert [n.name_en for n in kitchen_notes_for(menu.fries)] == [
        "No salt",
        "Extra crispy",
    ]


def test_ticked_notes_are_kept_on_the_line_in_the_kitchens_language(
    menu, notes, draft_order
):
    menu.store.default_language = "fr"
    menu.store.save(update_fields=["default_language"])

    line = cart_line_add(
        order=draft_order,
        selection=_with_notes(burger(menu), notes["salt"], notes["cut"]),
    )

    assert line.note == "Coupé en deux · Sans sel"  # in the menu's order
    assert line.kitchen_note_ids == [notes["cut"].pk, notes["salt"].pk]
    assert line.total == 900  # a note costs nothing
    assert not OrderLine.objects.filter(parent=line, note__gt="").exists()


@pytest.mark.parametrize("which", ["hidden", "crispy", "unknown", "twice"])
def test_a_note_not_offered_for_the_product_is_refused(menu, notes, draft_order, which):
    ids = {
        "hidden": (notes["hidden"].pk,),
        "crispy": (notes["crispy"].pk,),
        "unknown": (999_999,),
        "twice": (notes["salt"].pk, notes["salt"].pk),
    }[which]
    selection = LineSelection(
        product_id=menu.burger.pk,
        option_ids=burger(menu).option_ids,
        note_ids=ids,
    )

    with pytest.raises(CartError) as error:
        cart_line_add(order=draft_order, selection=selection)

    assert error.value.message == TAMPERED
    assert not OrderLine.objects.exists()


def test_the_same_item_with_other_notes_is_a_line_of_its_own(menu, notes, draft_order):
    plain = cart_line_add(order=draft_order, selection=burger(menu))
    salted = cart_line_add(
        order=draft_order, selection=_with_notes(burger(menu), notes["salt"])
    )
    again = cart_line_add(
        order=draft_order, selection=_with_notes(burger(menu), notes["salt"])
    )

    assert plain.pk != salted.pk
    assert again.pk == salted.pk
    salted.refresh_from_db()
    assert salted.quantity == 2


def test_a_line_opens_again_with_its_notes_and_takes_new_ones(menu, notes, draft_order):
    line = cart_line_add(
        order=draft_order, selection=_with_notes(burger(menu), notes["cut"])
    )

    selection = cart_line_selection(order=draft_order, line_id=line.pk)
    assert selection.note_ids == (notes["cut"].pk,)

    cart_line_update(
        order=draft_order,
        line_id=line.pk,
        selection=_with_notes(burger(menu), notes["salt"]),
    )
    line.refresh_from_db()
    assert (line.note, line.kitchen_note_ids) == ("No salt", [notes["salt"].pk])


def test_a_removed_line_comes_back_with_its_notes(menu, notes, draft_order):
    line = cart_line_add(
        order=draft_order, selection=_with_notes(burger(menu), notes["cut"])
    )
    removed = cart_line_remove(order=draft_order, line_id=line.pk)
    assert removed is not None

    restored = cart_line_restore(
        order=draft_order, removed=RemovedLine.from_data(removed.as_data())
    )

    assert restored.note == "Cut in half"


def test_a_meals_notes_are_on_the_meal(menu, notes, draft_order):
    line = cart_line_add(
        order=draft_order, selection=_with_notes(meal(menu), notes["cut"])
    )

    assert line.product_id == menu.combo.pk
    assert line.note == "Cut in half"


def test_the_cart_shows_the_notes_in_the_customers_language(menu, notes, draft_order):
    line = cart_line_add(
        order=draft_order,
        selection=_with_notes(burger(menu), notes["cut"], notes["salt"]),
    )
    cart_line_add(order=draft_order, selection=burger(menu, extras=[menu.bacon]))

    with translation.override("fr"):
        view = cart_view(draft_order)

    assert view.notes == {line.pk: "Coupé en deux · Sans sel"}


def test_the_receipt_prints_the_notes_under_their_line(menu, notes, draft_order):
    cart_line_add(order=draft_order, selection=_with_notes(burger(menu), notes["salt"]))

    receipt = receipt_for_order(draft_order)

    names = [(line.name, line.depth) for line in receipt.lines]
    assert names[:2] == [("Burger", 0), ("No salt", 1)]


def test_the_sheet_reads_the_ticked_notes_and_shows_them(menu, notes, draft_order):
    data = QueryDict(mutable=True)
    data.setlist(f"group-{menu.cooking.pk}", [str(menu.rare.pk)])
    data.setlist("note", [str(notes["salt"].pk)])

    selection = selection_from_post(product_id=menu.burger.pk, data=data)
    sheet = product_sheet(
        order=draft_order,
        product=menu.burger,
        selection=selection,
        now=draft_order.created_at,
    )

    assert selection.note_ids == (notes["salt"].pk,)
    assert [(n.name, n.is_checked) for n in sheet.notes] == [
        ("Cut in half", False),
        ("No salt", True),
    ]


def test_a_note_that_is_not_a_number_is_refused(menu):
    data = QueryDict("note=salt")

    with pytest.raises(CartError) as error:
        selection_from_post(product_id=menu.burger.pk, data=data)

    assert error.value.message == TAMPERED
