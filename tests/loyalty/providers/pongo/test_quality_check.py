"""Pongo's quality check for kiosk integrations, one named test per criterion.

pongo.md §11.1 lists the documented rows (those that apply to a kiosk are
here) and §11.2 the kiosk rows reconstructed from Pongo's kiosk guide.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection as db_connection

from kiosk.models import OrderDiscount, PaymentChannel, Product
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_confirm_payment
from kiosk.services.selections import LineSelection
from loyalty.models import OrderLoyalty, OutboxMessage, PongoConnection, StoreLoyalty
from loyalty.providers.base import IdentifierKind
from loyalty.services.identification import (
    ConsentWording,
    IdentifyStatus,
    loyalty_enrol,
    loyalty_identify,
    loyalty_identify_phone,
)
from loyalty.services.panel import loyalty_panel
from loyalty.services.redemptions import (
    loyalty_reward_buy,
    loyalty_reward_use,
)
from loyalty.services.worker import outbox_run_once

LEA, INES = "0612345678", "0622223333"


@pytest.fixture(autouse=True)
def _no_attempts_left_over():
    cache.clear()


@pytest.fixture
def manager(db):
    from django.test import Client

    # As in a browser on the kiosk box: Pongo only sends codes back to known addresses.
    client = Client(HTTP_HOST="127.0.0.1:8000")
    client.force_login(User.objects.create_superuser("manager", password="x"))
    return client


def _paid(order, *, free_coffee=False, voucher=False):
    cookie = Product.objects.get(store=order.store, sku="SKU-COOKIE")
    cart_line_add(
        order=order, selection=LineSelection(product_id=cookie.pk, quantity=2)
    )
    if free_coffee:
        espresso = Product.objects.get(store=order.store, sku="SKU-ESPRESSO")
        loyalty_reward_use(
            order=order,
            owned_reference="crw_0000000001",
            selection=LineSelection(product_id=espresso.pk),
        )
    if voucher:
        loyalty_reward_use(order=order, owned_reference="crw_0000000003")
    order_checkout(order=order, method="counter")
    order_confirm_payment(order=order, channel=PaymentChannel.COUNTER)
    order.refresh_from_db()
    return OutboxMessage.objects.get(operation="order_post").payload


# --- §11.1 documented rows ----------------------------------------------------------


def test_qa_authentication_the_merchant_starts_the_oauth_connection_themselves(
    manager, brasserie, pongo_sandbox
):
    PongoConnection.objects.all().delete()

    start = manager.post(f"/loyalty/pongo/stores/{brasserie.store_id}/connect/")

    target = urlparse(start["Location"])
    query = parse_qs(target.query)
    assert (
        f"{target.scheme}://{target.netloc}{target.path}"
        == f"{pongo_sandbox.base_url}/v1/oauth/form"
    )
    assert query["client_id"] == ["kiosk-sandbox"]
    assert query["redirect_uri"] == ["http://127.0.0.1:8000/loyalty/pongo/callback/"]
    granted = pongo_sandbox.authorize(
        redirect_uri=query["redirect_uri"][0], state=query["state"][0]
    )
    back = manager.get(
        "/loyalty/pongo/callback/",
        {"code": granted["code"], "state": query["state"][0]},
    )
    assert back["Location"] == f"/loyalty/pongo/stores/{brasserie.store_id}/store/"
    connection = PongoConnection.objects.get()
    assert connection.merchant_name == "Brasserie Démo"
    with db_connection.cursor() as cursor:
        cursor.execute("select access_token from loyalty_pongoconnection")
        stored = cursor.fetchone()[0]
    assert stored != connection.access_token  # encrypted at rest
    assert connection.access_token.count(".") == 2  # the JWT, readable by the kiosk


def test_qa_authentication_a_callback_with_another_state_is_refused(
    manager, brasserie, pongo_sandbox
):
    manager.post(f"/loyalty/pongo/stores/{brasserie.store_id}/connect/")
    granted = pongo_sandbox.authorize(
        redirect_uri="http://127.0.0.1:8000/loyalty/pongo/callback/", state="forged"
    )

    response = manager.get(
        "/loyalty/pongo/callback/", {"code": granted["code"], "state": "forged"}
    )

    assert response.status_code == 400
    assert PongoConnection.objects.get().access_token == "sandbox-fr-token"


def test_qa_configuration_each_store_is_mapped_to_a_pongo_store(manager, brasserie):
    PongoConnection.objects.update(store_slug="")

    page = manager.get(
        f"/loyalty/pongo/stores/{brasserie.store_id}/store/"
    ).content.decode()
    manager.post(
        f"/loyalty/pongo/stores/{brasserie.store_id}/store/", {"slug": "demo-lyon-2"}
    )

    assert 'value="demo-paris-11"' in page
    assert 'value="demo-lyon-2"' in page
    assert PongoConnection.objects.get().store_slug == "demo-lyon-2"


def test_qa_order_is_sent_once_payment_succeeded_and_the_order_is_closed(
    brasserie_order, pongo_sandbox
):
    loyalty_identify_phone(order=brasserie_order, digits=LEA, country="FR")
    cookie = Product.objects.get(store=brasserie_order.store, sku="SKU-COOKIE")
    cart_line_add(order=brasserie_order, selection=LineSelection(product_id=cookie.pk))
    order_checkout(order=brasserie_order, method="counter")
    outbox_run_once()
    assert pongo_sandbox.order_count(order_id=brasserie_order.uuid.hex) == 0

    order_confirm_payment(order=brasserie_order, channel=PaymentChannel.COUNTER)
    outbox_run_once()

    assert pongo_sandbox.order_count(order_id=brasserie_order.uuid.hex) == 1


def test_qa_order_contains_the_pongo_store_slug(brasserie_order):
    loyalty_identify_phone(order=brasserie_order, digits=LEA, country="FR")

    assert _paid(brasserie_order)["loyalty_store_slug"] == "demo-paris-11"


def test_qa_order_contains_the_phone_and_the_public_id(brasserie_order):
    loyalty_identify_phone(order=brasserie_order, digits=LEA, country="FR")

    assert _paid(brasserie_order)["customer"] == {
        "public_id": "cust_0000000001",
        "phone": "33612345678",
    }


def test_qa_order_contains_the_items_and_rewards_with_their_public_id_and_amount(
    brasserie_order,
):
    loyalty_identify_phone(order=brasserie_order, digits=LEA, country="FR")
    bought = loyalty_reward_buy(
        order=brasserie_order, reward_reference="rew_0000000003"
    ).owned

    payload = _paid(brasserie_order, free_coffee=True)

    lines = payload["lines"]
    assert [(line["external_id"], line["amount"]) for line in lines] == [
        ("SKU-COOKIE", 600),
        ("SKU-ESPRESSO", 0),
    ]
    assert (lines[1]["reward_id"], lines[1]["customer_reward_id"]) == (
        "rew_0000000001",
        "crw_0000000001",
    )
    assert payload["reward_ids"] == []  # named on the lines only, never twice
    assert bought is not None


def test_qa_digital_pass_a_scanned_public_id_identifies_the_customer(brasserie_order):
    outcome = loyalty_identify(
        order=brasserie_order, identifier="cust_0000000001", kind=IdentifierKind.PASS
    )

    assert outcome.status == IdentifyStatus.IDENTIFIED
    assert OrderLoyalty.objects.get().member_reference == "cust_0000000001"


def test_qa_digital_pass_the_scanned_customer_must_exist_in_the_merchants_base(
    brasserie_order,
):
    outcome = loyalty_identify(
        order=brasserie_order, identifier="cust_0000000101", kind=IdentifierKind.PASS
    )

    assert (
        outcome.status == IdentifyStatus.NOT_A_MEMBER_CODE
    )  # a Swiss merchant's customer
    assert not OrderLoyalty.objects.exists()


def test_qa_enrolment_a_customer_registers_with_their_phone_number(
    brasserie_order, pongo_sandbox
):
    outcome = loyalty_enrol(
        order=brasserie_order,
        phone="33600000001",
        sms_optin=False,
        email_optin=False,
        wording=ConsentWording(sms="s", email="e", language="fr"),
    )

    created = [
        r
        for r in pongo_sandbox.requests()
        if r["method"] == "POST" and r["path"] == "/v1/customers"
    ]
    assert outcome.status == IdentifyStatus.IDENTIFIED
    assert created[0]["body"]["phone"] == "33600000001"


def test_qa_enrolment_the_opt_in_is_recorded_and_sent(brasserie_order, pongo_sandbox):
    loyalty_enrol(
        order=brasserie_order,
        phone="33600000001",
        sms_optin=True,
        email_optin=True,
        wording=ConsentWording(sms="s", email="e", language="fr"),
    )

    body = next(r for r in pongo_sandbox.requests() if r["path"] == "/v1/customers")[
        "body"
    ]
    assert (body["has_optin"], body["has_optin_sms"], body["has_optin_email"]) == (
        True,
        True,
        True,
    )


def test_qa_customer_experience_search_by_phone_and_attach_to_the_open_order(
    brasserie_order,
):
    loyalty_identify_phone(order=brasserie_order, digits=LEA, country="FR")

    assert OrderLoyalty.objects.get().order_id == brasserie_order.pk


def test_qa_customer_experience_available_points_are_shown(brasserie_order):
    loyalty_identify_phone(order=brasserie_order, digits=LEA, country="FR")

    assert loyalty_panel(order=brasserie_order).member.points == 320


# --- §11.2 kiosk rows --------------------------------------------------------------


def test_qa_kiosk_identification_at_the_start_of_the_order(kiosk_screen_started):
    assert (
        kiosk_screen_started.post("/mode/", {"mode": "eat_in"})["Location"]
        == "/loyalty/"
    )


def test_qa_kiosk_rewards_are_filtered_with_customer_and_store(
    brasserie_order, pongo_sandbox
):
    loyalty_identify_phone(order=brasserie_order, digits=LEA, country="FR")

    loyalty_panel(order=brasserie_order)

    listing = next(r for r in pongo_sandbox.requests() if r["path"] == "/v1/rewards")
    assert listing["query"] == {
        "customer": "cust_0000000001",
        "store_slug": "demo-paris-11",
    }


def test_qa_kiosk_rewards_already_bought_are_shown_apart(brasserie_order):
    loyalty_identify_phone(order=brasserie_order, digits=LEA, country="FR")

    panel = loyalty_panel(order=brasserie_order)

    assert [c.owned.reference for c in panel.owned] == ["crw_0000000001"]
    assert "crw_0000000001" not in [c.reward.reference for c in panel.rewards]


def test_qa_kiosk_redeeming_refreshes_balance_and_owned_rewards(brasserie_order):
    loyalty_identify_phone(order=brasserie_order, digits=LEA, country="FR")

    loyalty_reward_buy(order=brasserie_order, reward_reference="rew_0000000001")

    panel = loyalty_panel(order=brasserie_order)
    assert panel.member.points == 270
    assert len(panel.owned) == 2


def test_qa_kiosk_free_product_skus_are_filtered_to_ours_and_paid_options_stay_paid(
    brasserie_order,
):
    loyalty_identify_phone(order=brasserie_order, digits=LEA, country="FR")

    coffee = next(c for c in loyalty_panel(order=brasserie_order).owned)

    assert [p.sku for p in coffee.products] == [
        "SKU-ESPRESSO",
        "SKU-CAFE-LONG",
    ]  # ZELTY-9912 dropped


def test_qa_kiosk_a_voucher_applies_the_same_coupon_code(
    brasserie_order, pongo_sandbox
):
    loyalty_identify_phone(order=brasserie_order, digits=INES, country="FR")

    payload = _paid(brasserie_order, voucher=True)
    outbox_run_once()

    discount = OrderDiscount.objects.get(order=brasserie_order)
    assert (discount.code, payload["amount"]) == ("PONGO-C3D4E5F6", 100)
    # Pongo documents no order line for a voucher: it is marked used apart.
    uses = [r for r in pongo_sandbox.requests() if r["path"].endswith("/use")]
    assert [(r["path"], r["status"]) for r in uses] == [
        ("/v1/customers/cust_0000000004/rewards/crw_0000000003/use", 200)
    ]


def test_qa_kiosk_order_posted_after_payment_with_reward_ids_on_the_lines(
    brasserie_order, pongo_sandbox
):
    loyalty_identify_phone(order=brasserie_order, digits=LEA, country="FR")
    _paid(brasserie_order, free_coffee=True)

    outbox_run_once()

    owned = {o.owned.reference for o in loyalty_panel(order=brasserie_order).owned}
    assert "crw_0000000001" not in owned  # Pongo consumed the reward with the order


def test_qa_kiosk_counter_payment_posts_only_after_confirmation_and_keeps_the_voucher(
    kiosk_screen_started,
):
    """The counter confirms the kiosk's order at its total, voucher taken off:
    the reward is honoured there, so there is nothing to warn about."""
    from tests.loyalty.test_screens import order_of, type_phone

    kiosk_screen_started.post("/mode/", {"mode": "eat_in"})
    type_phone(kiosk_screen_started, INES)
    kiosk_screen_started.post("/loyalty/owned/crw_0000000003/use/")
    cookie = Product.objects.get(sku="SKU-COOKIE", store__slug="brasserie-demo")
    kiosk_screen_started.post(f"/product/{cookie.pk}/add/", {"quantity": "2"})

    kiosk_screen_started.post("/checkout/submit/", {"method": "counter"})

    order = order_of(kiosk_screen_started)
    assert (order.state, order.total) == ("awaiting_payment", 100)
    assert order.discounts.get().code == "PONGO-C3D4E5F6"
    assert not OutboxMessage.objects.filter(operation="order_post").exists()
    order_confirm_payment(order=order, channel=PaymentChannel.COUNTER)
    assert OutboxMessage.objects.filter(operation="order_post").count() == 1


@pytest.fixture
def kiosk_screen_started(brasserie):
    from django.conf import settings
    from django.test import Client

    from kiosk.devices import device_cookie_value

    client = Client()
    client.cookies[settings.KIOSK_DEVICE_COOKIE] = device_cookie_value(brasserie)
    client.post("/start/")
    assert StoreLoyalty.objects.get().programme == "pongo"
    return client
