from __future__ import annotations

import pytest

from kiosk.models import UpsellKind, UpsellOffer, UpsellRule, UpsellTrigger
from tests.kiosk.views.conftest import session_order


def burger_post(menu):
    return {f"group-{menu.cooking.pk}": str(menu.rare.pk), "quantity": "1"}


@pytest.fixture
def meal_rule(menu):
    rule = UpsellRule.objects.create(
        store=menu.store,
        name="Meal",
        kind=UpsellKind.MEAL,
        trigger=UpsellTrigger.AFTER_ADD,
        title_en="Make it a meal?",
        title_fr="Et en menu ?",
    )
    rule.trigger_products.set([menu.burger])
    return rule


@pytest.fixture
def drink_rule(menu):
    rule = UpsellRule.objects.create(
        store=menu.store,
        name="Drink",
        kind=UpsellKind.ADD_PRODUCT,
        trigger=UpsellTrigger.BEFORE_CHECKOUT,
        title_en="Add a drink?",
        title_fr="Une boisson ?",
    )
    rule.offered_products.set([menu.cola])
    return rule


@pytest.fixture
def offered(menu, ordering, meal_rule):
    """The customer added a burger and sees the meal offer."""
    response = ordering.post(f"/product/{menu.burger.pk}/add/", burger_post(menu))
    assert response["Location"] == "/offer/"
    return ordering


def offer_id(client) -> str:
    return str(UpsellOffer.objects.get(order=session_order(client)).pk)


def root_lines(client):
    order = session_order(client)
    return list(order.lines.filter(parent=None).values_list("name", "quantity"))


def test_it_shows_the_meal_with_its_price_difference(menu, offered):
    response = offered.get("/offer/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Make it a meal?" in page
    assert "Burger meal" in page
    assert "+&nbsp;€3.50" in page
    assert 'id="upsell-accept"' in page
    assert 'id="upsell-decline"' in page


def test_yes_puts_the_meal_in_the_cart(menu, offered):
    response = offered.post("/offer/accept/", {"offer": offer_id(offered)})

    assert response["Location"] == "/cart/"
    assert root_lines(offered) == [("Burger meal", 1)]


def test_a_double_tap_on_yes_adds_one_meal(menu, offered):
    offer = offer_id(offered)
    offered.post("/offer/accept/", {"offer": offer})
    offered.post("/offer/accept/", {"offer": offer})

    assert root_lines(offered) == [("Burger meal", 1)]


def test_no_goes_back_to_the_burgers_and_keeps_the_burger(menu, offered):
    response = offered.post("/offer/decline/", {"offer": offer_id(offered)})

    assert response["Location"] == f"/menu/{menu.mains.pk}/"
    assert root_lines(offered) == [("Burger", 1)]
    assert UpsellOffer.objects.get().declined_at is not None


def test_a_second_burger_is_not_offered_a_meal_again(menu, offered):
    offered.post("/offer/decline/", {"offer": offer_id(offered)})

    response = offered.post(f"/product/{menu.burger.pk}/add/", burger_post(menu))

    assert response["Location"] == f"/menu/{menu.mains.pk}/"


@pytest.mark.parametrize("address", ["/offer/accept/", "/offer/decline/"])
def test_it_redirects_a_get_on_an_answer_to_the_offer(offered, address):
    response = offered.get(address)

    assert (response.status_code, response["Location"]) == (302, "/offer/")


def test_it_redirects_to_the_menu_without_an_offer(ordering):
    response = ordering.get("/offer/")

    assert (response.status_code, response["Location"]) == (302, "/menu/")


def test_it_redirects_to_the_attract_screen_without_an_order(kiosk_client):
    response = kiosk_client.get("/offer/")

    assert (response.status_code, response["Location"]) == (302, "/")


def test_checkout_offers_a_drink_first(menu, with_fries, drink_rule):
    response = with_fries.get("/offer/?at=checkout")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Add a drink?" in page
    assert "Cola" in page


def test_yes_before_checkout_adds_the_drink_and_goes_on_to_checkout(
    menu, with_fries, drink_rule
):
    with_fries.get("/offer/?at=checkout")

    response = with_fries.post(
        "/offer/accept/", {"offer": offer_id(with_fries), "product": menu.cola.pk}
    )

    assert response["Location"] == "/checkout/"
    assert root_lines(with_fries) == [("Fries", 1), ("Cola", 1)]


def test_checkout_goes_straight_on_without_a_rule(with_fries):
    response = with_fries.get("/offer/?at=checkout")

    assert (response.status_code, response["Location"]) == (302, "/checkout/")


def test_the_cart_checkout_button_asks_for_the_offer_first(with_fries):
    page = with_fries.get("/cart/").content.decode()

    assert 'href="/offer/?at=checkout" id="go-checkout"' in page


def test_an_unknown_offer_is_refused_with_a_message(with_fries):
    response = with_fries.post("/offer/accept/", {"offer": "999"}, follow=True)

    assert "This offer is no longer available." in response.content.decode()
    assert root_lines(with_fries) == [("Fries", 1)]


def test_the_offer_is_in_french(menu, ordering, meal_rule):
    ordering.post("/language/", {"language": "fr"})
    ordering.post(f"/product/{menu.burger.pk}/add/", burger_post(menu))

    page = ordering.get("/offer/").content.decode()

    assert "Et en menu ?" in page
    assert "Menu burger" in page
    assert "Oui, j’ajoute" in page
    assert "Non merci" in page


def test_a_meal_offer_left_unanswered_is_not_shown_again_at_checkout(
    menu, offered, drink_rule
):
    response = offered.get("/offer/?at=checkout")

    assert (response.status_code, response["Location"]) == (302, "/checkout/")
    assert UpsellOffer.objects.count() == 1


def test_an_offer_whose_meal_sold_out_meanwhile_is_skipped(menu, offered):
    menu.combo.is_available = False
    menu.combo.save()

    response = offered.get("/offer/")

    assert (response.status_code, response["Location"]) == (
        302,
        f"/menu/{menu.mains.pk}/",
    )
    assert UpsellOffer.objects.get().declined_at is None


def test_yes_on_a_sold_out_meal_keeps_the_burger_and_says_why(menu, offered):
    menu.combo.is_available = False
    menu.combo.save()

    response = offered.post("/offer/accept/", {"offer": offer_id(offered)})

    assert response["Location"] == "/cart/"
    assert root_lines(offered) == [("Burger", 1)]
    assert UpsellOffer.objects.get().accepted is False
