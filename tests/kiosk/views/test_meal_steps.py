"""A meal built step by step: main, side, drink, then the meal as one line."""

from __future__ import annotations

from pytest_django.asserts import assertContains, assertNotContains

from kiosk.models import OrderLine
from tests.kiosk.views.test_customer import choice, meal_form


def preview(ordering, menu, **data):
    return ordering.post(f"/product/{menu.combo.pk}/preview/", data)


def test_next_moves_on_to_the_side_with_the_main_kept(menu, ordering):
    response = preview(ordering, menu, **meal_form(menu, step="0", step_move="1"))

    assertContains(response, f'id="slot-{menu.side_slot.pk}"')
    assertContains(response, "Large fries")
    assertContains(response, 'id="meal-back"')
    main_choice = choice(menu.main_slot, menu.burger).pk
    assertContains(
        response,
        f'<input type="hidden" name="slot-{menu.main_slot.pk}" value="{main_choice}">',
        html=True,
    )
    assert response.context["sheet"].step == 1


def test_next_without_a_required_choice_stays_and_says_why(menu, ordering):
    form = meal_form(menu, step="0", step_move="1")
    del form[f"slot-{menu.main_slot.pk}-group-{menu.cooking.pk}"]

    response = preview(ordering, menu, **form)

    assert response.context["sheet"].step == 0
    assertContains(response, "Choose at least 1 option.")


def test_back_goes_to_the_step_before(menu, ordering):
    response = preview(ordering, menu, **meal_form(menu, step="2", step_move="-1"))

    assert response.context["sheet"].step == 1


def test_the_last_step_shows_the_meal_and_adds_it(menu, ordering):
    response = preview(ordering, menu, **meal_form(menu, step="2", step_move="1"))

    sheet = response.context["sheet"]
    assert sheet.on_summary
    assertContains(response, "Add to order · €12.50")
    assertContains(response, 'id="meal-change-1"')
    assertContains(response, "Cola")


def test_change_from_the_summary_goes_to_that_step(menu, ordering):
    response = preview(ordering, menu, **meal_form(menu, step="3", step_goto="2"))

    assert response.context["sheet"].step == 2
    assertContains(response, f'id="slot-{menu.drink_slot.pk}"')


def test_malformed_steps_stay_on_the_first_one(menu, ordering):
    for data in ({"step": "x"}, {"step": "-4"}, {"step_move": "7"}, {"step": "9999"}):
        response = preview(ordering, menu, **meal_form(menu, **data))
        assert response.status_code == 200
        assert response.context["sheet"].step == 0


def test_a_step_beyond_the_meal_is_its_summary(menu, ordering):
    response = preview(ordering, menu, **meal_form(menu, step="99"))

    assert response.context["sheet"].on_summary


def test_adding_without_a_drink_shows_the_drink_step(menu, ordering):
    form = meal_form(menu, step="3")
    del form[f"slot-{menu.drink_slot.pk}"]

    response = ordering.post(f"/product/{menu.combo.pk}/add/", form)

    assert response.status_code == 422
    assert response.context["sheet"].step == 2
    assertNotContains(response, "Add to order", status_code=422)
    assert OrderLine.objects.count() == 0


def test_changing_a_meal_from_the_cart_opens_its_summary(menu, ordering):
    ordering.post(f"/product/{menu.combo.pk}/add/", meal_form(menu))
    line = OrderLine.objects.get(parent=None)

    response = ordering.get(f"/cart/line/{line.pk}/edit/")

    assert response.context["sheet"].on_summary
    assertContains(response, "Update · €12.50")
    assertContains(response, f'hx-post="/cart/line/{line.pk}/preview/"')

    side = ordering.post(
        f"/cart/line/{line.pk}/preview/", meal_form(menu, step="3", step_goto="1")
    )
    assert side.context["sheet"].step == 1
    assertContains(side, f'id="slot-{menu.side_slot.pk}"')
