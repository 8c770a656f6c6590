"""Kitchen notes through the customer's pages: the sheet offers them, the
cart shows them, a tampered note is refused without a 500."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from kiosk.models import KitchenNote, OrderLine
from tests.kiosk.views.test_customer import TAMPERED, burger_form


@pytest.fixture
def salt(menu) -> KitchenNote:
    note = KitchenNote.objects.create(
        store=menu.store, name_en="No salt", name_fr="Sans sel"
    )
    note.categories.set([menu.mains])
    return note


def test_the_sheet_offers_the_products_notes_as_checkboxes(menu, ordering, salt):
    response = ordering.get(f"/product/{menu.burger.pk}/")

    assertContains(response, 'id="kitchen-notes"')
    assertContains(
        response,
        f'<input type="checkbox" id="note-{salt.pk}" name="note" value="{salt.pk}">',
    )
    fries = ordering.get(f"/product/{menu.fries.pk}/")
    assertNotContains(fries, 'id="kitchen-notes"')


def test_a_ticked_note_goes_to_the_order_and_shows_in_the_cart(menu, ordering, salt):
    response = ordering.post(
        f"/product/{menu.burger.pk}/add/",
        burger_form(menu, note=str(salt.pk)),
        follow=True,
    )

    line = OrderLine.objects.get(parent=None)
    assert line.note == "No salt"
    cart = ordering.get("/cart/")
    assertContains(cart, f'id="line-{line.pk}-note"')
    assertContains(cart, "No salt")
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["999999", "salt", "-1"])
def test_a_tampered_note_is_refused_and_nothing_is_added(menu, ordering, salt, value):
    response = ordering.post(
        f"/product/{menu.burger.pk}/add/", burger_form(menu, note=value), follow=True
    )

    # Back to the menu (a note not offered) or the sheet again (not even an
    # id), saying why either way.
    assert response.status_code in (200, 422)
    assertContains(response, TAMPERED, status_code=response.status_code)
    assert OrderLine.objects.count() == 0


def test_a_note_of_another_store_is_refused(menu, ordering, other):
    foreign = KitchenNote.objects.create(store=other.store, name_en="No salt")

    response = ordering.post(
        f"/product/{menu.burger.pk}/preview/",
        burger_form(menu, note=str(foreign.pk)),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code < 500
    assert OrderLine.objects.count() == 0
