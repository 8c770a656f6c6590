from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from kiosk.models import UpsellKind, UpsellOffer, UpsellRule, UpsellTrigger
from kiosk.services.orders import order_start

SHOWN = datetime(2026, 3, 2, 12, tzinfo=UTC)


@pytest.fixture
def rule(menu):
    made = UpsellRule.objects.create(
        store=menu.store,
        name="Meal for the burger",
        kind=UpsellKind.MEAL,
        trigger=UpsellTrigger.AFTER_ADD,
    )
    for accepted in (True, False, False, True, False):
        UpsellOffer.objects.create(
            order=order_start(kiosk=menu.kiosk, language="en"),
            rule=made,
            shown_at=SHOWN,
            accepted=accepted,
        )
    return made


def test_the_rules_list_shows_the_take_rate(admin_client, rule):
    page = admin_client.get("/admin/kiosk/upsellrule/").content.decode()

    assert "2 of 5 (40.0 %)" in page
    assert f"/admin/kiosk/upselloffer/?rule__id__exact={rule.pk}" in page


def test_a_rule_not_shown_yet_says_so(admin_client, menu):
    UpsellRule.objects.create(
        store=menu.store, name="Drink", kind="add_product", trigger="before_checkout"
    )

    page = admin_client.get("/admin/kiosk/upsellrule/").content.decode()

    assert "not shown yet" in page


def test_the_rule_page_opens(admin_client, rule):
    response = admin_client.get(f"/admin/kiosk/upsellrule/{rule.pk}/change/")

    assert response.status_code == 200


def test_the_offers_list_is_read_only(admin_client, rule):
    offer = UpsellOffer.objects.first()

    listing = admin_client.get(f"/admin/kiosk/upselloffer/?rule__id__exact={rule.pk}")
    page = admin_client.get(f"/admin/kiosk/upselloffer/{offer.pk}/change/")
    changed = admin_client.post(
        f"/admin/kiosk/upselloffer/{offer.pk}/change/", {"accepted": "on"}
    )

    assert listing.status_code == 200
    assert listing.content.decode().count("Taken") == 2
    assert page.status_code == 200
    assert 'name="accepted"' not in page.content.decode()
    assert changed.status_code == 403
    assert admin_client.get("/admin/kiosk/upselloffer/add/").status_code == 403


def test_a_meal_rule_cannot_wait_for_checkout(menu):
    bad = UpsellRule(
        store=menu.store,
        name="Meal",
        kind=UpsellKind.MEAL,
        trigger=UpsellTrigger.BEFORE_CHECKOUT,
    )

    with pytest.raises(ValidationError):
        bad.full_clean()
