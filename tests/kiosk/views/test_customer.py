from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from hardware.models import PrintJob
from kiosk.customer_session import (
    HIGH_CONTRAST_KEY,
    LANGUAGE_KEY,
    LOW_REACH_KEY,
    ORDER_KEY,
    SEEN_KEY,
)
from kiosk.devices import device_cookie_value
from kiosk.models import (
    ActorKind,
    ComboChoice,
    Kiosk,
    Order,
    OrderLine,
    OrderState,
    Payment,
    PaymentStatus,
)
from tests.kiosk.views.conftest import session_order

TAMPERED = "This choice is no longer on the menu. Please choose again."


def choice(slot, product) -> ComboChoice:
    return ComboChoice.objects.get(slot=slot, product=product)


def burger_form(menu, **extra) -> dict[str, str]:
    return {
        f"group-{menu.cooking.pk}": str(menu.rare.pk),
        f"group-{menu.extras.pk}": str(menu.bacon.pk),
        "quantity": "1",
        **extra,
    }


def meal_form(menu, **extra) -> dict[str, str]:
    return {
        f"slot-{menu.main_slot.pk}": str(choice(menu.main_slot, menu.burger).pk),
        f"slot-{menu.main_slot.pk}-group-{menu.cooking.pk}": str(menu.rare.pk),
        f"slot-{menu.side_slot.pk}": str(choice(menu.side_slot, menu.fries).pk),
        f"slot-{menu.drink_slot.pk}": str(choice(menu.drink_slot, menu.cola).pk),
        "quantity": "1",
        **extra,
    }


def test_a_customer_orders_and_pays_by_card_from_start_to_finish(menu, kiosk_client):
    client = kiosk_client
    assertContains(client.get("/"), "Touch to start your order")

    assertRedirects(client.post("/start/"), "/mode/", fetch_redirect_response=False)
    assertContains(client.get("/mode/"), 'id="mode-eat_in"')
    response = client.post("/mode/", {"mode": "eat_in"})
    assertRedirects(response, "/menu/", fetch_redirect_response=False)
    assertContains(client.get("/menu/"), f'id="product-{menu.combo.pk}"')
    assertContains(
        client.get(f"/menu/{menu.mains.pk}/"), f'id="product-{menu.burger.pk}"'
    )
    assertContains(client.get(f"/product/{menu.burger.pk}/"), "Add to order")
    response = client.post(
        f"/product/{menu.burger.pk}/add/", burger_form(menu, quantity="2")
    )
    assertRedirects(response, f"/menu/{menu.mains.pk}/", fetch_redirect_response=False)
    assertContains(client.get("/cart/"), "€21.00")
    assertContains(client.get("/checkout/"), 'id="pay-card"')
    response = client.post("/checkout/submit/", {"method": "card"})
    assertRedirects(response, "/pay/", fetch_redirect_response=False)
    assertContains(client.get("/pay/"), 'data-payment="pending"')
    response = client.post("/pay/simulate/", {"outcome": "approve"})
    assertRedirects(response, "/pay/", fetch_redirect_response=False)
    response = client.post("/pay/status/")
    assertRedirects(response, "/done/", fetch_redirect_response=False)
    assertContains(
        client.get("/done/"),
        '<p class="order-number" id="order-number" aria-label="1">1</p>',
    )
    response = client.post("/reset/", {"reason": "finished"})
    assertRedirects(response, "/", fetch_redirect_response=False)
    assertContains(client.get("/"), "Touch to start your order")

    order = Order.objects.get()
    payment = Payment.objects.get()
    assert (order.state, order.number, order.total, order.tax_total) == (
        OrderState.PAID,
        1,
        2100,
        191,
    )
    assert (order.service_mode, order.payment_method) == ("eat_in", "card")
    assert list(
        OrderLine.objects.order_by("id").values_list("name", "quantity", "total")
    ) == [("Burger", 2, 2100), ("Rare", 1, 0), ("Bacon", 1, 0)]
    assert (payment.status, payment.amount, payment.card_brand) == (
        PaymentStatus.APPROVED,
        2100,
        "VISA",
    )
    assert PrintJob.objects.filter(order=order).count() == 1
    assert list(order.history.values_list("to_state", "actor")) == [
        (OrderState.AWAITING_PAYMENT, ActorKind.CUSTOMER),
        (OrderState.PAID, ActorKind.TERMINAL),
    ]
    assert ORDER_KEY not in client.session


def test_attract_sends_a_customer_with_an_order_back_to_it(menu, with_fries):
    assertRedirects(with_fries.get("/"), "/menu/", fetch_redirect_response=False)


def test_start_creates_a_draft_and_remembers_it_in_the_session(menu, kiosk_client):
    kiosk_client.post("/start/")

    order = Order.objects.get()
    assert (order.state, order.kiosk, order.language) == (
        OrderState.DRAFT,
        menu.kiosk,
        "en",
    )
    assert kiosk_client.session[ORDER_KEY] == str(order.uuid)


def test_start_goes_straight_to_the_menu_when_the_store_has_one_mode(
    menu, kiosk_client
):
    menu.store.service_modes = ["take_away"]
    menu.store.save()

    response = kiosk_client.post("/start/")

    assertRedirects(response, "/menu/", fetch_redirect_response=False)
    assert Order.objects.get().service_mode == "take_away"


def test_start_while_ordering_is_closed_creates_no_order(menu, kiosk_client):
    menu.store.is_ordering_open = False
    menu.store.save()

    response = kiosk_client.post("/start/")

    assertRedirects(response, "/", fetch_redirect_response=False)
    assert Order.objects.count() == 0
    assertContains(kiosk_client.get("/"), "Ordering closed")


def test_start_gives_a_new_session_and_keeps_the_display_choices(menu, kiosk_client):
    kiosk_client.post("/language/", {"language": "fr"})
    kiosk_client.post("/accessibility/", {"toggle": "high_contrast"})
    before = kiosk_client.session.session_key

    kiosk_client.post("/start/")

    session = kiosk_client.session
    assert session.session_key != before
    assert (session[LANGUAGE_KEY], session[HIGH_CONTRAST_KEY]) == ("fr", True)
    assert Order.objects.get().language == "fr"


def test_start_again_abandons_the_earlier_draft(menu, with_fries):
    first = session_order(with_fries)

    with_fries.post("/start/")

    first.refresh_from_db()
    assert first.state == OrderState.CANCELLED
    assert session_order(with_fries).state == OrderState.DRAFT


@pytest.mark.parametrize(
    "path", ["/mode/", "/menu/", "/cart/", "/checkout/", "/pay/", "/done/"]
)
def test_pages_of_an_order_without_one_go_back_to_the_attract_screen(
    menu, kiosk_client, path
):
    assertRedirects(kiosk_client.get(path), "/", fetch_redirect_response=False)


def test_reset_cancels_the_draft_and_clears_the_browser(menu, with_fries):
    order = session_order(with_fries)

    response = with_fries.post("/reset/", {"reason": "cancelled by the customer"})

    assertRedirects(response, "/", fetch_redirect_response=False)
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED
    assert order.history.get().note == "cancelled by the customer"
    assert ORDER_KEY not in with_fries.session
    assertContains(with_fries.get("/"), "Touch to start your order")


def test_reset_keeps_an_order_to_pay_at_the_counter(menu, with_fries):
    with_fries.post("/checkout/submit/", {"method": "counter"})
    order = session_order(with_fries)

    with_fries.post("/reset/", {"reason": "finished"})

    order.refresh_from_db()
    assert order.state == OrderState.AWAITING_PAYMENT
    assert ORDER_KEY not in with_fries.session


def test_reloading_menu_cart_and_product_keeps_the_cart(menu, with_fries):
    order = session_order(with_fries)

    for path in ["/menu/", "/cart/", f"/product/{menu.burger.pk}/", "/menu/"]:
        assert with_fries.get(path).status_code == 200

    response = with_fries.get("/cart/")
    assertContains(response, "Fries")
    assertContains(response, '<dd id="order-total">€3.50</dd>', html=True)
    assert session_order(with_fries) == order
    assert list(OrderLine.objects.values_list("order", "name", "quantity")) == [
        (order.pk, "Fries", 1)
    ]


def test_the_service_mode_can_be_changed_during_the_order(menu, with_fries):
    response = with_fries.post("/mode/", {"mode": "take_away"})

    assertRedirects(response, "/menu/", fetch_redirect_response=False)
    assert session_order(with_fries).service_mode == "take_away"


def test_a_service_mode_the_store_does_not_offer_is_refused(menu, ordering):
    response = ordering.post("/mode/", {"mode": "drive_through"})

    assertContains(response, "This service mode is not offered here.")
    assert session_order(ordering).service_mode == "eat_in"


def test_the_product_sheet_of_a_combo_opens_on_its_first_step(menu, ordering):
    response = ordering.get(f"/product/{menu.combo.pk}/")

    assertContains(response, f'id="slot-{menu.main_slot.pk}"')
    assertNotContains(response, f'id="slot-{menu.side_slot.pk}"')
    assertContains(response, 'id="meal-next"')
    assertContains(response, "Your meal: €12.50")
    assertNotContains(response, "Add to order")


def test_the_product_sheet_of_another_stores_product_goes_back_to_the_menu(
    menu, ordering, other
):
    response = ordering.get(f"/product/{other.product.pk}/")

    assertRedirects(response, "/menu/", fetch_redirect_response=False)


def test_the_sheet_preview_prices_the_choices_so_far(menu, ordering):
    response = ordering.post(
        f"/product/{menu.burger.pk}/preview/",
        {f"group-{menu.extras.pk}": [menu.bacon.pk, menu.cheese.pk], "quantity": "2"},
    )

    assertContains(response, "Add to order · €23.00")
    assertNotContains(response, "<html")
    assert OrderLine.objects.count() == 0


def test_the_sheet_preview_steps_the_quantity(menu, ordering):
    response = ordering.post(
        f"/product/{menu.fries.pk}/preview/", {"quantity": "2", "quantity_step": "1"}
    )

    assertContains(
        response,
        '<output class="stepper-value" id="quantity-value" aria-live="polite">3</output>',
        html=True,
    )
    assertContains(response, "Add to order · €10.50")


def test_adding_a_combo_from_its_sheet(menu, ordering):
    response = ordering.post(f"/product/{menu.combo.pk}/add/", meal_form(menu))

    assertRedirects(
        response, f"/menu/{menu.combo.category_id}/", fetch_redirect_response=False
    )
    order = session_order(ordering)
    assert (order.total, order.tax_total) == (1250, 114)
    assert OrderLine.objects.filter(parent=None).get().name == "Burger meal"


def test_back_from_a_product_goes_to_its_category(menu, ordering):
    response = ordering.get(f"/product/{menu.fries.pk}/")

    assertContains(
        response,
        f'<a class="button button-ghost" href="/menu/{menu.fries.category_id}/"'
        " data-back>Back</a>",
        html=True,
    )


def test_the_added_message_goes_away_by_itself(menu, ordering):
    response = ordering.post(
        f"/product/{menu.fries.pk}/add/", {"quantity": "1"}, follow=True
    )

    assertContains(
        response,
        '<p class="notice notice-success" data-dismiss-after="4">'
        "Added to your order.</p>",
        html=True,
    )


def test_messages_stay_twice_as_long_in_accessibility_modes(menu, ordering):
    session = ordering.session
    session[HIGH_CONTRAST_KEY] = True
    session.save()

    response = ordering.post(f"/product/{menu.fries.pk}/add/", {}, follow=True)

    assertContains(response, 'data-dismiss-after="8">Added to your order.</p>')


def test_an_error_message_stays_twice_as_long(menu, ordering):
    response = ordering.get("/product/0/", follow=True)

    assertContains(
        response, 'data-dismiss-after="8">This product is not on the menu.</p>'
    )


def test_adding_without_a_required_choice_shows_the_sheet_with_the_error(
    menu, ordering
):
    response = ordering.post(f"/product/{menu.burger.pk}/add/", {"quantity": "1"})

    assert response.status_code == 422
    assertContains(
        response,
        f'<p class="field-error" id="group-{menu.cooking.pk}-error">Choose at least 1 option.</p>',
        status_code=422,
        html=True,
    )
    assert OrderLine.objects.count() == 0


def test_a_posted_price_is_ignored(menu, ordering):
    ordering.post(
        f"/product/{menu.fries.pk}/add/",
        {"quantity": "1", "price": "1", "unit_price": "1", "total": "1"},
    )

    line = OrderLine.objects.get()
    assert (line.unit_price, line.total) == (350, 350)
    assert session_order(ordering).total == 350


def test_adding_an_unknown_product_is_refused(menu, ordering):
    response = ordering.post("/product/987654321/add/", {"quantity": "1"}, follow=True)

    assertRedirects(response, "/menu/")
    assertContains(response, "This product is not on the menu.")
    assert OrderLine.objects.count() == 0


def test_adding_a_product_of_another_store_is_refused(menu, ordering, other):
    response = ordering.post(
        f"/product/{other.product.pk}/add/", {"quantity": "1"}, follow=True
    )

    assertContains(response, "This product is not on the menu.")
    assert OrderLine.objects.count() == 0


def test_adding_an_option_of_another_store_is_refused(menu, ordering, other):
    response = ordering.post(
        f"/product/{menu.burger.pk}/add/",
        burger_form(menu, **{f"group-{menu.extras.pk}": str(other.option.pk)}),
        follow=True,
    )

    assertRedirects(response, "/menu/")
    assertContains(response, TAMPERED)
    assert OrderLine.objects.count() == 0


def test_adding_a_group_of_another_store_is_refused(menu, ordering, other):
    response = ordering.post(
        f"/product/{menu.fries.pk}/add/",
        {f"group-{other.option.group_id}": str(other.option.pk), "quantity": "1"},
        follow=True,
    )

    assertContains(response, TAMPERED)
    assert OrderLine.objects.count() == 0


def test_adding_a_combo_slot_of_another_store_is_refused(menu, ordering, other):
    response = ordering.post(
        f"/product/{menu.combo.pk}/add/",
        meal_form(menu, **{f"slot-{other.slot.pk}": str(other.choice.pk)}),
        follow=True,
    )

    assertContains(response, TAMPERED)
    assert OrderLine.objects.count() == 0


def test_adding_a_combo_choice_of_another_slot_is_refused(menu, ordering):
    response = ordering.post(
        f"/product/{menu.combo.pk}/add/",
        meal_form(
            menu,
            **{
                f"slot-{menu.drink_slot.pk}": str(
                    choice(menu.side_slot, menu.large_fries).pk
                )
            },
        ),
        follow=True,
    )

    assertContains(response, TAMPERED)
    assert OrderLine.objects.count() == 0


@pytest.mark.parametrize(
    "field",
    ["group-{cooking}", "slot-{side}", "slot-{main}-group-{cooking}"],
)
def test_adding_with_a_non_numeric_id_is_refused(menu, ordering, field):
    name = field.format(
        cooking=menu.cooking.pk, side=menu.side_slot.pk, main=menu.main_slot.pk
    )

    response = ordering.post(
        f"/product/{menu.combo.pk}/add/", meal_form(menu, **{name: "1 OR 1=1"})
    )

    assertContains(response, TAMPERED, status_code=422)
    assert OrderLine.objects.count() == 0


@pytest.mark.parametrize("quantity", ["0", "-1", "21", "10000"])
def test_adding_a_quantity_out_of_range_is_refused(menu, ordering, quantity):
    response = ordering.post(f"/product/{menu.fries.pk}/add/", {"quantity": quantity})

    # The sheet does not show the quantity's own error (see the report).
    assertContains(response, "Please check your choices.", status_code=422)
    assert OrderLine.objects.count() == 0
    assert session_order(ordering).total == 0


def test_adding_a_quantity_that_is_not_a_number_is_refused(menu, ordering):
    response = ordering.post(f"/product/{menu.fries.pk}/add/", {"quantity": "lots"})

    assertContains(response, "Choose a quantity from 1 to 20.", status_code=422)
    assert OrderLine.objects.count() == 0


def test_adding_an_id_too_large_for_the_database_is_refused(menu, ordering):
    response = ordering.post(
        "/product/99999999999999999999999/add/", {"quantity": "1"}, follow=True
    )

    assertContains(response, "This product is not on the menu.")
    assert OrderLine.objects.count() == 0


def test_changing_a_quantity_in_the_cart(menu, with_fries):
    line = OrderLine.objects.get()

    response = with_fries.post("/cart/quantity/", {"line": line.pk, "quantity": "3"})

    assertContains(response, '<dd id="order-total">€10.50</dd>', html=True)
    line.refresh_from_db()
    assert (line.quantity, line.total) == (3, 1050)
    assert session_order(with_fries).total == 1050


@pytest.mark.parametrize("quantity", ["0", "21", "10000", "many", ""])
def test_a_cart_quantity_out_of_range_is_refused(menu, with_fries, quantity):
    line = OrderLine.objects.get()

    response = with_fries.post(
        "/cart/quantity/", {"line": line.pk, "quantity": quantity}
    )

    assertContains(response, "Choose a quantity from 1 to 20.", status_code=422)
    line.refresh_from_db()
    assert (line.quantity, line.total) == (1, 350)
    assert session_order(with_fries).total == 350


@pytest.mark.parametrize("line", ["abc", "", "987654321", "99999999999999999999999"])
def test_a_cart_change_of_a_line_not_in_the_order_is_refused(menu, with_fries, line):
    response = with_fries.post("/cart/quantity/", {"line": line, "quantity": "2"})

    assertContains(response, "This item is no longer in your order.", status_code=422)
    assert OrderLine.objects.get().quantity == 1


def test_a_cart_change_of_a_line_of_another_order_is_refused(menu, with_fries):
    line = OrderLine.objects.get()
    stranger = Client()
    stranger.cookies[settings.KIOSK_DEVICE_COOKIE] = device_cookie_value(
        Kiosk.objects.create(store=menu.store, name="K2", code="burger-test-2")
    )
    stranger.post("/start/")

    response = stranger.post("/cart/remove/", {"line": line.pk})

    assertContains(response, "This item is no longer in your order.", status_code=422)
    assert OrderLine.objects.filter(pk=line.pk).count() == 1
    assert session_order(with_fries).total == 350


def test_removing_a_line_from_the_cart(menu, with_fries):
    line = OrderLine.objects.get()

    response = with_fries.post("/cart/remove/", {"line": line.pk})

    assertContains(response, "Your order is empty.")
    assert OrderLine.objects.count() == 0
    assert session_order(with_fries).total == 0


def test_the_menu_of_a_submitted_order_shows_the_order_instead(menu, with_fries):
    with_fries.post("/checkout/submit/", {"method": "counter"})

    assertRedirects(with_fries.get("/menu/"), "/done/", fetch_redirect_response=False)


def test_the_confirmation_of_a_draft_goes_back_to_the_cart(menu, with_fries):
    assertRedirects(with_fries.get("/done/"), "/cart/", fetch_redirect_response=False)


def test_switching_language_renders_the_pages_in_french(menu, kiosk_client):
    response = kiosk_client.post("/language/", {"language": "fr", "next": "/"})

    assertRedirects(response, "/", fetch_redirect_response=False)
    assert kiosk_client.session[LANGUAGE_KEY] == "fr"
    page = kiosk_client.get("/")
    assertContains(page, '<html lang="fr">')
    assert page["Content-Language"] == "fr"


def test_switching_language_during_an_order_changes_the_orders_language(
    menu, with_fries
):
    with_fries.post("/language/", {"language": "fr", "next": "/menu/"})

    assert session_order(with_fries).language == "fr"
    page = with_fries.get(f"/menu/{menu.fries.category_id}/")
    assertContains(page, '<html lang="fr">')
    assertContains(page, "Frites")


def test_a_language_the_store_does_not_offer_is_ignored(menu, kiosk_client):
    kiosk_client.post("/language/", {"language": "de"})

    assert LANGUAGE_KEY not in kiosk_client.session
    assertContains(kiosk_client.get("/"), '<html lang="en">')


def test_the_store_default_language_is_used_without_a_choice(menu, kiosk_client):
    menu.store.default_language = "fr"
    menu.store.save()

    page = kiosk_client.get("/")

    assertContains(page, '<html lang="fr">')
    assert page["Content-Language"] == "fr"


def test_switching_language_never_redirects_off_the_site(menu, kiosk_client):
    response = kiosk_client.post(
        "/language/", {"language": "fr", "next": "https://evil.example/"}
    )

    assertRedirects(response, "/", fetch_redirect_response=False)


def test_the_low_reach_toggle_adds_its_body_class(menu, kiosk_client):
    kiosk_client.post("/accessibility/", {"toggle": "low_reach"})

    assert kiosk_client.session[LOW_REACH_KEY] is True
    assertContains(kiosk_client.get("/"), '<body class="kiosk low-reach"')


def test_the_high_contrast_toggle_adds_its_body_class(menu, kiosk_client):
    kiosk_client.post("/accessibility/", {"toggle": "high_contrast"})

    assertContains(kiosk_client.get("/"), '<body class="kiosk high-contrast"')


def test_both_accessibility_toggles_add_both_classes(menu, kiosk_client):
    kiosk_client.post("/accessibility/", {"toggle": "low_reach"})
    kiosk_client.post("/accessibility/", {"toggle": "high_contrast"})

    assertContains(kiosk_client.get("/"), '<body class="kiosk low-reach high-contrast"')


def test_an_accessibility_toggle_pressed_twice_is_off(menu, kiosk_client):
    kiosk_client.post("/accessibility/", {"toggle": "low_reach"})
    kiosk_client.post("/accessibility/", {"toggle": "low_reach"})

    assert kiosk_client.session[LOW_REACH_KEY] is False
    assertContains(kiosk_client.get("/"), '<body class="kiosk"')


def test_accessibility_doubles_the_idle_timers(menu, kiosk_client):
    kiosk_client.post("/accessibility/", {"toggle": "low_reach"})

    assertContains(kiosk_client.get("/"), 'data-idle-seconds="180"')


def idle_for_long(client) -> None:
    session = client.session
    session[SEEN_KEY] = 0.0
    session.save()


def test_an_idle_session_resets_the_draft_on_the_next_request(menu, with_fries):
    order = session_order(with_fries)
    idle_for_long(with_fries)

    response = with_fries.get("/cart/")

    assertRedirects(response, "/", fetch_redirect_response=False)
    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED
    assert order.history.get().note == "idle on the server"
    assert ORDER_KEY not in with_fries.session


def test_an_idle_session_does_not_add_to_the_cart(menu, with_fries):
    idle_for_long(with_fries)

    with_fries.post(f"/product/{menu.cola.pk}/add/", {"quantity": "1"})

    assert list(OrderLine.objects.values_list("name", flat=True)) == ["Fries"]


def test_an_active_session_is_not_reset(menu, with_fries):
    assert with_fries.get("/cart/").status_code == 200
    assert session_order(with_fries).state == OrderState.DRAFT


def test_an_idle_session_paying_by_card_is_not_reset(menu, with_fries):
    with_fries.post("/checkout/submit/", {"method": "card"})
    order = session_order(with_fries)
    idle_for_long(with_fries)

    response = with_fries.get("/pay/")

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.state == OrderState.AWAITING_PAYMENT
    assert with_fries.session[ORDER_KEY] == str(order.uuid)


def test_kiosk_pages_are_never_cached(menu, kiosk_client):
    response = kiosk_client.get("/")

    assert set(response["Cache-Control"].split(", ")) == {
        "no-store",
        "no-cache",
        "max-age=0",
    }


def test_a_boosted_page_load_pushes_its_own_address(menu, with_fries):
    response = with_fries.get(
        "/cart/", headers={"HX-Request": "true", "HX-Boosted": "true"}
    )

    assert response["HX-Push-Url"] == "/cart/"


def test_a_menu_card_shows_the_description_and_the_energy(menu, ordering):
    menu.fries.description_en = "Crisp and golden."
    menu.fries.calories = 340
    menu.fries.save()

    response = ordering.get(f"/menu/{menu.fries.category_id}/")

    assertContains(
        response,
        '<span class="product-card-description">Crisp and golden.</span>',
        html=True,
    )
    assertContains(
        response, '<span class="product-card-calories">340&nbsp;kcal</span>', html=True
    )


def test_a_boosted_tap_gets_the_title_and_main_only(menu, with_fries):
    boosted = with_fries.get(
        "/cart/", headers={"HX-Request": "true", "HX-Boosted": "true"}
    ).content.decode()
    full = with_fries.get("/cart/").content.decode()

    assert boosted.startswith("<title>Burger Test</title>")
    assert '<main id="main"' in boosted
    assert "<head>" not in boosted
    assert 'id="connection-problem"' not in boosted
    assert "<head>" in full
    assert 'id="connection-problem"' in full
    assert len(boosted) < len(full)


def test_a_history_restore_gets_the_whole_page(menu, with_fries):
    restored = with_fries.get(
        "/cart/",
        headers={
            "HX-Request": "true",
            "HX-Boosted": "true",
            "HX-History-Restore-Request": "true",
        },
    )

    assertContains(restored, "<head>")
