from __future__ import annotations

import pytest
from django.core.cache import cache

from kiosk.models import OrderDiscount, OrderLine, Product
from kiosk.services.selections import LineSelection, SlotSelection
from loyalty.models import OutboxMessage, Redemption
from loyalty.services.identification import loyalty_identify_phone
from loyalty.services.panel import loyalty_panel
from loyalty.services.redemptions import (
    BuyStatus,
    UseStatus,
    loyalty_redemption_remove,
    loyalty_reward_buy,
    loyalty_reward_use,
)

LEA = "0612345678"  # 320 points, owns crw_0000000001 (Café offert)
HUGO = "0698765432"  # 0 points
INES = "0622223333"  # 80 points, student, PIN 1234, owns crw_0000000003 (5 € voucher)


@pytest.fixture(autouse=True)
def _no_attempts_left_over():
    cache.clear()


def identify(order, digits):
    loyalty_identify_phone(order=order, digits=digits, country="FR")


def choice_of(panel, reference):
    return next(c for c in panel.rewards if c.reward.reference == reference)


def test_the_panel_shows_balance_rewards_and_owned_rewards_apart(brasserie_order):
    identify(brasserie_order, LEA)

    panel = loyalty_panel(order=brasserie_order)

    assert panel is not None
    assert (panel.member.first_name, panel.member.points) == ("Léa", 320)
    assert [c.owned.reference for c in panel.owned] == ["crw_0000000001"]
    assert "rew_0000000005" not in [
        c.reward.reference for c in panel.rewards
    ]  # students only


def test_unaffordable_rewards_say_how_many_points_are_missing(brasserie_order):
    identify(brasserie_order, LEA)

    panel = loyalty_panel(order=brasserie_order)

    brunch = choice_of(panel, "rew_0000000007")
    assert (brunch.points_missing, brunch.reason, brunch.can_buy) == (4680, "", False)
    assert choice_of(panel, "rew_0000000001").can_buy is True


def test_rewards_the_kiosk_cannot_honour_are_disabled_with_the_reason(brasserie_order):
    identify(brasserie_order, LEA)

    panel = loyalty_panel(order=brasserie_order)

    assert (
        choice_of(panel, "rew_0000000006").reason == "Not available at this kiosk"
    )  # tote bag
    assert (
        choice_of(panel, "rew_0000000008").reason == "Not available at this kiosk"
    )  # gift voucher


def test_a_free_product_keeps_only_our_skus(brasserie_order):
    identify(brasserie_order, LEA)

    panel = loyalty_panel(order=brasserie_order)

    coffee = choice_of(panel, "rew_0000000001")
    assert [p.sku for p in coffee.products] == ["SKU-ESPRESSO", "SKU-CAFE-LONG"]


def test_buying_spends_points_and_the_panel_shows_the_new_reward(brasserie_order):
    identify(brasserie_order, LEA)

    outcome = loyalty_reward_buy(
        order=brasserie_order, reward_reference="rew_0000000003"
    )

    panel = loyalty_panel(order=brasserie_order)
    assert outcome.status == BuyStatus.BOUGHT
    assert outcome.owned.coupon_code.startswith("PONGO-")
    assert panel.member.points == 220
    assert outcome.owned.reference in [c.owned.reference for c in panel.owned]


def test_buying_without_enough_points_is_refused_and_spends_nothing(brasserie_order):
    identify(brasserie_order, HUGO)

    outcome = loyalty_reward_buy(
        order=brasserie_order, reward_reference="rew_0000000001"
    )

    assert (outcome.status, outcome.message) == (
        BuyStatus.REFUSED,
        "You do not have enough points for this reward.",
    )
    assert loyalty_panel(order=brasserie_order).member.points == 0


def test_a_member_with_a_pin_must_give_it(brasserie_order):
    identify(brasserie_order, INES)

    wrong = loyalty_reward_buy(
        order=brasserie_order, reward_reference="rew_0000000005", pin="0000"
    )
    right = loyalty_reward_buy(
        order=brasserie_order, reward_reference="rew_0000000005", pin="1234"
    )

    assert wrong.status == BuyStatus.REFUSED
    assert right.status == BuyStatus.BOUGHT


def test_a_buy_that_timed_out_but_went_through_is_found_not_bought_again(
    brasserie_order, pongo_sandbox
):
    identify(brasserie_order, LEA)
    pongo_sandbox.faults(
        rules=[
            {
                "method": "POST",
                "path": "/v1/rewards/*",
                "action": "commit_then_drop",
                "times": 1,
            }
        ]
    )

    outcome = loyalty_reward_buy(
        order=brasserie_order, reward_reference="rew_0000000001"
    )

    buys = [
        r
        for r in pongo_sandbox.requests()
        if r["method"] == "POST" and r["path"].endswith("/buy")
    ]
    assert outcome.status == BuyStatus.BOUGHT
    assert len(buys) == 1
    assert loyalty_panel(order=brasserie_order).member.points == 270


def test_a_buy_that_did_not_go_through_spends_nothing(brasserie_order, pongo_sandbox):
    identify(brasserie_order, LEA)
    pongo_sandbox.faults(
        rules=[
            {"method": "POST", "path": "/v1/rewards/*", "action": "drop", "times": 1}
        ]
    )

    outcome = loyalty_reward_buy(
        order=brasserie_order, reward_reference="rew_0000000001"
    )

    assert outcome.status == BuyStatus.UNAVAILABLE
    assert outcome.message == "Rewards are unavailable right now. No points were spent."
    assert loyalty_panel(order=brasserie_order).member.points == 320


def test_a_free_product_with_several_products_asks_which(brasserie_order):
    identify(brasserie_order, LEA)

    outcome = loyalty_reward_use(
        order=brasserie_order, owned_reference="crw_0000000001"
    )

    assert outcome.status == UseStatus.CHOOSE
    assert [p.sku for p in outcome.products] == ["SKU-ESPRESSO", "SKU-CAFE-LONG"]
    assert not OrderLine.objects.exists()


def test_the_chosen_free_product_goes_on_the_order_at_price_zero_and_is_locked(
    brasserie_order, pongo_sandbox
):
    identify(brasserie_order, LEA)
    espresso = Product.objects.get(store=brasserie_order.store, sku="SKU-ESPRESSO")

    outcome = loyalty_reward_use(
        order=brasserie_order,
        owned_reference="crw_0000000001",
        selection=LineSelection(product_id=espresso.pk),
    )

    line = OrderLine.objects.get(parent=None)
    assert outcome.status == UseStatus.ADDED
    assert (line.product_id, line.unit_price, line.total, line.reward_reference) == (
        espresso.pk,
        0,
        0,
        "rew_0000000001",
    )
    assert Redemption.objects.get().line_id == line.pk
    locks = [r for r in pongo_sandbox.requests() if r["path"].endswith("/lock")]
    assert [(r["method"], r["body"]["order_id"]) for r in locks] == [
        ("POST", brasserie_order.uuid.hex)
    ]


def test_paid_options_of_a_free_product_stay_paid(brasserie_order):
    identify(brasserie_order, LEA)
    espresso = Product.objects.get(store=brasserie_order.store, sku="SKU-ESPRESSO")
    group = espresso.modifier_groups.filter(options__price__gt=0).first()
    if group is None:
        pytest.fail("the demo espresso needs a paid option for this test")
    option = group.options.filter(price__gt=0).first()

    loyalty_reward_use(
        order=brasserie_order,
        owned_reference="crw_0000000001",
        selection=LineSelection(
            product_id=espresso.pk, option_ids={group.pk: (option.pk,)}
        ),
    )

    brasserie_order.refresh_from_db()
    assert brasserie_order.total == option.price


def test_a_product_outside_the_reward_is_refused(brasserie_order):
    identify(brasserie_order, LEA)
    cookie = Product.objects.get(store=brasserie_order.store, sku="SKU-COOKIE")

    outcome = loyalty_reward_use(
        order=brasserie_order,
        owned_reference="crw_0000000001",
        selection=LineSelection(product_id=cookie.pk),
    )

    assert (outcome.status, outcome.message) == (
        UseStatus.REFUSED,
        "This product is not part of the reward.",
    )
    assert not OrderLine.objects.exists()


def test_a_voucher_applies_its_coupon_code_as_a_discount(brasserie_order):
    identify(brasserie_order, INES)
    cookie = Product.objects.get(store=brasserie_order.store, sku="SKU-COOKIE")
    from kiosk.services.cart import cart_line_add

    cart_line_add(
        order=brasserie_order, selection=LineSelection(product_id=cookie.pk, quantity=3)
    )

    outcome = loyalty_reward_use(
        order=brasserie_order, owned_reference="crw_0000000003"
    )

    discount = OrderDiscount.objects.get()
    brasserie_order.refresh_from_db()
    assert outcome.status == UseStatus.ADDED
    assert (discount.code, discount.kind, discount.value, discount.amount) == (
        "PONGO-C3D4E5F6",
        "amount",
        500,
        500,
    )
    assert (brasserie_order.subtotal, brasserie_order.total) == (900, 400)


def test_one_voucher_per_order(brasserie_order):
    identify(brasserie_order, LEA)
    first = loyalty_reward_buy(
        order=brasserie_order, reward_reference="rew_0000000003"
    ).owned
    second = loyalty_reward_buy(
        order=brasserie_order, reward_reference="rew_0000000003"
    ).owned
    loyalty_reward_use(order=brasserie_order, owned_reference=first.reference)

    outcome = loyalty_reward_use(
        order=brasserie_order, owned_reference=second.reference
    )

    assert (outcome.status, outcome.message) == (
        UseStatus.REFUSED,
        "One voucher per order",
    )
    assert OrderDiscount.objects.count() == 1


def test_a_reward_locked_by_another_order_is_refused(brasserie_order, pongo_sandbox):
    identify(brasserie_order, INES)
    import requests

    requests.post(
        f"{pongo_sandbox.base_url}/v1/customers/cust_0000000004/rewards/crw_0000000003/lock",
        json={"order_id": "another-kiosk-order", "store_slug": "demo-paris-11"},
        headers={"Authorization": "Bearer sandbox-fr-token"},
        timeout=5,
    ).raise_for_status()

    outcome = loyalty_reward_use(
        order=brasserie_order, owned_reference="crw_0000000003"
    )

    assert (outcome.status, outcome.message) == (
        UseStatus.REFUSED,
        "This reward is being used on another order.",
    )
    assert not OrderDiscount.objects.exists()


def test_removing_a_reward_releases_it_through_the_outbox(brasserie_order):
    identify(brasserie_order, INES)
    loyalty_reward_use(order=brasserie_order, owned_reference="crw_0000000003")

    loyalty_redemption_remove(
        order=brasserie_order, redemption_id=Redemption.objects.get().pk
    )

    message = OutboxMessage.objects.get()
    assert not Redemption.objects.exists()
    assert not OrderDiscount.objects.exists()
    assert (
        message.operation,
        message.payload["owned"],
        message.payload["order_id"],
    ) == (
        "reward_unlock",
        "crw_0000000003",
        brasserie_order.uuid.hex,
    )


def test_a_combo_reward_keeps_its_slot_choices(brasserie_order, pongo_sandbox):
    pongo_sandbox.set_points("cust_0000000001", 1000)
    identify(brasserie_order, LEA)
    bought = loyalty_reward_buy(
        order=brasserie_order, reward_reference="rew_0000000002"
    ).owned
    menu = Product.objects.get(store=brasserie_order.store, sku="SKU-MENU-CLASSIC")
    slots = {}
    for slot in menu.combo_slots.all():
        product = slot.choices.get(is_default=True).product
        required = {
            g.pk: (g.options.first().pk,)
            for g in product.modifier_groups.filter(min_choices__gt=0)
        }
        slots[slot.pk] = SlotSelection(
            choice_id=slot.choices.get(is_default=True).pk, option_ids=required
        )

    outcome = loyalty_reward_use(
        order=brasserie_order,
        owned_reference=bought.reference,
        selection=LineSelection(product_id=menu.pk, slots=slots),
    )

    assert outcome.status == UseStatus.ADDED
    root = OrderLine.objects.get(parent=None)
    assert (root.unit_price, root.reward_reference, root.children.count()) == (
        0,
        "rew_0000000002",
        3,
    )


def test_a_reward_taken_off_and_put_back_before_its_release_went_out_is_locked_again(
    brasserie_order, pongo_sandbox
):
    identify(brasserie_order, INES)
    loyalty_reward_use(order=brasserie_order, owned_reference="crw_0000000003")
    loyalty_redemption_remove(
        order=brasserie_order, redemption_id=Redemption.objects.get().pk
    )

    # Pongo still holds this order's lock, and refuses to lock it again.
    outcome = loyalty_reward_use(
        order=brasserie_order, owned_reference="crw_0000000003"
    )

    locks = [r for r in pongo_sandbox.requests() if r["path"].endswith("/lock")]
    assert outcome.status == UseStatus.ADDED
    assert [(r["method"], r["status"]) for r in locks] == [("POST", 200), ("POST", 409)]
    assert OutboxMessage.objects.get().status == "done"  # the release was superseded
    assert OrderDiscount.objects.get().code == "PONGO-C3D4E5F6"
