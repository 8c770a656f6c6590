from __future__ import annotations

import time

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kiosk.models import OrderLine
from kiosk.services.cart import order_discount_add
from kiosk.views.cart_edit import UNDO_KEY
from tests.kiosk.views.conftest import session_order
from tests.kiosk.views.test_customer import burger_form


def lines(client) -> list[tuple[str, list[str], int, int]]:
    order = session_order(client)
    return [
        (
            line.name,
            [child.name for child in line.children.order_by("position")],
            line.quantity,
            line.total,
        )
        for line in order.lines.filter(parent=None).order_by("position")
    ]


def with_burger(menu, ordering) -> OrderLine:
    ordering.post(f"/product/{menu.burger.pk}/add/", burger_form(menu))
    return OrderLine.objects.get(product=menu.burger)


def test_the_cart_links_each_line_to_its_sheet(menu, ordering):
    line = with_burger(menu, ordering)

    response = ordering.get("/cart/")

    assertContains(response, f'href="/cart/line/{line.pk}/edit/"')


def test_the_sheet_of_a_line_opens_with_its_choices(menu, ordering):
    line = with_burger(menu, ordering)

    response = ordering.get(f"/cart/line/{line.pk}/edit/")

    assertContains(response, f'action="/cart/line/{line.pk}/update/"')
    assertContains(response, f'id="group-{menu.cooking.pk}-option-{menu.rare.pk}"')
    sheet = response.context["sheet"]
    assert [o.is_checked for g in sheet.groups for o in g.options] == [
        True,  # rare
        False,
        True,  # bacon
        False,
    ]
    assertContains(response, "Update · €10.50")


def test_the_sheet_of_a_line_previews_with_update(menu, ordering):
    line = with_burger(menu, ordering)

    response = ordering.post(
        f"/cart/line/{line.pk}/preview/",
        {f"group-{menu.cooking.pk}": str(menu.well_done.pk), "quantity": "2"},
        HTTP_HX_REQUEST="true",
    )

    assertContains(response, "Update · €18.00")
    assertContains(response, f'hx-post="/cart/line/{line.pk}/preview/"')


def test_update_replaces_the_lines_choices(menu, ordering):
    line = with_burger(menu, ordering)

    response = ordering.post(
        f"/cart/line/{line.pk}/update/",
        {f"group-{menu.cooking.pk}": str(menu.well_done.pk), "quantity": "1"},
    )

    assertRedirects(response, "/cart/", fetch_redirect_response=False)
    assert lines(ordering) == [("Burger", ["Well done"], 1, 900)]
    assert OrderLine.objects.get(parent=None).pk == line.pk


def test_an_update_without_a_required_choice_shows_the_sheet_again(menu, ordering):
    line = with_burger(menu, ordering)

    response = ordering.post(f"/cart/line/{line.pk}/update/", {"quantity": "1"})

    assertContains(response, "Choose at least 1 option.", status_code=422)
    assertContains(response, f'action="/cart/line/{line.pk}/update/"', status_code=422)
    assert lines(ordering) == [("Burger", ["Rare", "Bacon"], 1, 1050)]


def test_the_sheet_of_a_line_no_longer_there_goes_back_to_the_cart(menu, ordering):
    response = ordering.get("/cart/line/999999/edit/")

    assertRedirects(response, "/cart/", fetch_redirect_response=False)


def test_get_on_the_new_actions_goes_to_their_page(menu, ordering):
    line = with_burger(menu, ordering)

    assertRedirects(
        ordering.get(f"/cart/line/{line.pk}/update/"),
        f"/cart/line/{line.pk}/edit/",
        fetch_redirect_response=False,
    )
    assertRedirects(
        ordering.get(f"/cart/line/{line.pk}/preview/"),
        f"/cart/line/{line.pk}/edit/",
        fetch_redirect_response=False,
    )
    assertRedirects(
        ordering.get("/cart/undo/"), "/cart/", fetch_redirect_response=False
    )


def test_remove_offers_undo(menu, ordering):
    line = with_burger(menu, ordering)

    response = ordering.post("/cart/remove/", {"line": str(line.pk)})

    assertContains(response, 'id="undo-remove"')
    assertContains(response, "Burger removed.")
    assertContains(response, 'data-dismiss-after="8"')
    assert lines(ordering) == []


def test_undo_puts_the_line_back_as_it_was(menu, ordering):
    line = with_burger(menu, ordering)
    ordering.post("/cart/remove/", {"line": str(line.pk)})

    response = ordering.post("/cart/undo/")

    assertRedirects(response, "/cart/", fetch_redirect_response=False)
    assert lines(ordering) == [("Burger", ["Rare", "Bacon"], 1, 1050)]
    assert UNDO_KEY not in ordering.session


def test_undo_works_once(menu, ordering):
    line = with_burger(menu, ordering)
    ordering.post("/cart/remove/", {"line": str(line.pk)})
    ordering.post("/cart/undo/")

    response = ordering.post("/cart/undo/", follow=True)

    assertContains(response, "This item can no longer be put back.")
    assert len(lines(ordering)) == 1


def test_undo_too_late_is_refused(menu, ordering):
    line = with_burger(menu, ordering)
    ordering.post("/cart/remove/", {"line": str(line.pk)})
    session = ordering.session
    session[UNDO_KEY] = {**session[UNDO_KEY], "at": time.time() - 60}
    session.save()

    response = ordering.post("/cart/undo/", follow=True)

    assertContains(response, "This item can no longer be put back.")
    assert lines(ordering) == []


def test_the_cart_and_checkout_warn_of_a_voucher_larger_than_the_order(
    menu, with_fries
):
    order = session_order(with_fries)
    discount = order_discount_add(
        order=order, name="Voucher", kind="amount", value=500, source="pongo"
    )
    warning = (
        "Voucher is worth €5.00, more than your order: the €1.50 left over "
        "will be lost. Add something to use all of it."
    )

    for address in ("/cart/", "/checkout/"):
        response = with_fries.get(address)
        assertContains(response, f'id="discount-{discount.pk}-unused"')
        assertContains(response, warning)


def test_no_warning_when_the_voucher_is_used_in_full(menu, with_fries):
    order_discount_add(
        order=session_order(with_fries),
        name="Voucher",
        kind="amount",
        value=200,
        source="pongo",
    )

    assertNotContains(with_fries.get("/cart/"), "-unused")
