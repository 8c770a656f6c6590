"""RBI's transaction through the kiosk's services, against the RBI sandbox.

Seed (sandboxes/rbi/seed.py): code 222222 is Alex (1200 points) with a
Free Drink (250 points) and a personalised "Your Whopper for 2.00" picked in
the app; 111111 is Alex with nothing picked; 555555 is Kim (240 points).
"""

from __future__ import annotations

import pytest

from kiosk.models import ActorKind, OrderState, PaymentChannel, Product
from kiosk.payments.simulator import SimulatedOutcome, SimulatedTerminal
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_confirm_payment, order_refund, order_reset
from kiosk.services.payments import payment_refresh
from kiosk.services.selections import LineSelection, default_selection
from loyalty.models import OrderLoyalty, OutboxMessage, OutboxStatus, Redemption
from loyalty.providers.base import IdentifierKind
from loyalty.services.identification import IdentifyStatus, loyalty_identify
from loyalty.services.panel import loyalty_panel
from loyalty.services.redemptions import (
    UseStatus,
    loyalty_incentive_add,
    loyalty_redemption_remove,
    loyalty_refused_drop,
)
from loyalty.services.sessions import loyalty_basket_check
from loyalty.services.worker import outbox_run_once
from loyalty.texts import redemption_rule_text
from sandboxes.rbi.control import RbiSandboxControl

ALEX = "00000000-0000-4000-8000-000000000001"
KIM = "00000000-0000-4000-8000-000000000003"


def identify(order, code):
    return loyalty_identify(order=order, identifier=code, kind=IdentifierKind.CODE)


def add(order, sku, quantity=1):
    product = Product.objects.get(store=order.store, sku=sku)
    cart_line_add(
        order=order, selection=LineSelection(product_id=product.pk, quantity=quantity)
    )


def add_drink(order):
    """The Free Drink reward, with the drink's default flavour."""
    drink = Product.objects.get(store=order.store, sku="BRG-SOFT-M")
    outcome = loyalty_incentive_add(
        order=order,
        reference="reward-free-drink",
        selection=default_selection(drink),
    )
    assert outcome.status == UseStatus.ADDED, outcome
    return outcome


def pay_by_card(order):
    order_checkout(order=order, method="card")
    order.refresh_from_db()
    attempt = order.payments.order_by("id").last()
    SimulatedTerminal().customer_action(
        attempt_key=attempt.attempt_key, outcome=SimulatedOutcome.APPROVE
    )
    payment_refresh(order=order)
    order.refresh_from_db()


def session_of(order) -> str:
    return OrderLoyalty.objects.get(order=order).session_reference


def test_the_app_code_brings_its_picks_into_the_cart(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    outcome = identify(burger_order, "222222")

    assert outcome.status == IdentifyStatus.IDENTIFIED
    loyalty = OrderLoyalty.objects.get(order=burger_order)
    assert (loyalty.member_reference, loyalty.member_first_name) == (ALEX, "Alex")
    lines = {
        r.reward_name: (r.line.product.sku, r.line.unit_price, r.is_personalised)
        for r in Redemption.objects.filter(order=burger_order).select_related("line")
    }
    assert lines == {
        "Free Drink": ("BRG-SOFT-M", 0, False),
        "Your Whopper for 2.00": ("BRG-WHOPPER", 200, True),
    }
    remote = rbi_sandbox.transaction(loyalty.session_reference)
    assert remote["status"] == "PENDING"
    # The drink's points are held by the programme while the order is open.
    assert rbi_sandbox.user(ALEX)["heldPoints"] == 250


def test_paying_claims_the_transaction_once_and_shows_the_points(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    identify(burger_order, "222222")
    add(burger_order, "BRG-FRIES-M")  # 3.20
    pay_by_card(burger_order)

    assert outbox_run_once() == 1
    message = OutboxMessage.objects.get(order=burger_order)
    assert (message.operation, message.status) == ("order_post", OutboxStatus.DONE), (
        message.last_error
    )
    remote = rbi_sandbox.transaction(session_of(burger_order))
    assert remote["status"] == "CLAIMED"
    assert remote["burnedPoints"] == 250
    # Earn: 10 points per euro on what was paid for (2.00 + 3.20), rounded down.
    assert remote["earnedPoints"] == 52
    loyalty = OrderLoyalty.objects.get(order=burger_order)
    assert (loyalty.points_earned, loyalty.balance_after) == (52, 1200 - 250 + 52)
    assert rbi_sandbox.user(ALEX)["points"] == 1002


def test_a_member_without_enough_points_sees_why_and_pays_without_it(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    assert identify(burger_order, "555555").status == IdentifyStatus.IDENTIFIED
    add(burger_order, "BRG-FRIES-M")

    outcome = add_drink(burger_order)

    redemption = Redemption.objects.get(order=burger_order)
    assert redemption.issue_rule == "insufficient_points"
    assert outcome.message == redemption_rule_text(redemption)
    assert "10 more points" in outcome.message
    assert loyalty_basket_check(order=burger_order).issues == 1
    assert loyalty_refused_drop(order=burger_order) == ["Free Drink"]
    assert not Redemption.objects.filter(order=burger_order).exists()
    assert loyalty_basket_check(order=burger_order).issues == 0

    pay_by_card(burger_order)
    outbox_run_once()
    remote = rbi_sandbox.transaction(session_of(burger_order))
    assert (remote["status"], remote["burnedPoints"], remote["earnedPoints"]) == (
        "CLAIMED",
        0,
        32,
    )


def test_the_panel_marks_what_the_member_cannot_afford(burger_order, rbi_sandbox):
    identify(burger_order, "555555")

    view = loyalty_panel(order=burger_order)

    assert view is not None
    by_reference = {choice.reward.reference: choice for choice in view.rewards}
    # The programme decides on the order; the panel says what is missing.
    assert by_reference["reward-free-drink"].points_missing == 10
    assert by_reference["reward-free-fries"].points_missing == 160
    assert by_reference["offer-chicken-meal-299"].can_add


def test_removing_a_reward_releases_its_points(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    identify(burger_order, "111111")
    add(burger_order, "BRG-WHOPPER")
    add_drink(burger_order)
    redemption = Redemption.objects.get(order=burger_order)
    assert redemption.issue_rule == ""

    loyalty_redemption_remove(order=burger_order, redemption_id=redemption.pk)

    assert not Redemption.objects.filter(order=burger_order).exists()
    loyalty = OrderLoyalty.objects.get(order=burger_order)
    # Validation forecasts what the order will earn: 6.90 → 69 points.
    assert loyalty.points_projected == 69


def test_paying_at_the_counter_holds_the_basket_then_the_counter_claims_it(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    identify(burger_order, "222222")
    add(burger_order, "BRG-FRIES-M")

    order_checkout(order=burger_order, method="counter")
    outbox_run_once()

    remote = rbi_sandbox.transaction(session_of(burger_order))
    assert remote["status"] == "PENDING"
    assert {line["productId"] for line in remote["basket"]} >= {"4102", "9001"}
    assert not OrderLoyalty.objects.get(order=burger_order).points_earned

    order_confirm_payment(order=burger_order, channel=PaymentChannel.COUNTER)
    outbox_run_once()

    assert rbi_sandbox.transaction(session_of(burger_order))["status"] == "CLAIMED"
    assert OrderLoyalty.objects.get(order=burger_order).points_earned == 52


def test_an_abandoned_order_voids_the_transaction_and_returns_the_points(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    identify(burger_order, "222222")
    session = session_of(burger_order)
    assert rbi_sandbox.user(ALEX)["heldPoints"] == 250

    order_reset(order=burger_order, note="idle")
    outbox_run_once()

    assert rbi_sandbox.transaction(session)["status"] == "VOID"
    assert rbi_sandbox.user(ALEX)["heldPoints"] == 0
    assert rbi_sandbox.user(ALEX)["points"] == 1200


def test_a_guest_order_is_posted_unclaimed(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    add(burger_order, "BRG-WHOPPER")
    pay_by_card(burger_order)

    assert outbox_run_once() == 1

    message = OutboxMessage.objects.get(order=burger_order)
    assert message.status == OutboxStatus.DONE
    posted = [
        r
        for r in rbi_sandbox.requests()
        if r["method"] == "POST" and r["path"] == "/loyalty/transaction/pos"
    ]
    assert len(posted) == 1
    remote = rbi_sandbox.transaction(message.result["remote"])
    assert (remote["status"], remote.get("loyaltyId")) == ("CLAIMED", None)


def test_a_claim_whose_answer_is_lost_is_retried_and_counted_once(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    identify(burger_order, "222222")
    add(burger_order, "BRG-FRIES-M")
    pay_by_card(burger_order)
    rbi_sandbox.faults(
        rules=[
            {
                "method": "PUT",
                "path": f"/loyalty/transaction/pos/{session_of(burger_order)}",
                "action": "commit_then_drop",
                "times": 1,
            }
        ]
    )

    outbox_run_once()
    message = OutboxMessage.objects.get(order=burger_order)
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)

    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=message.created_at
    )
    outbox_run_once()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.DONE, 2)
    claims = [r for r in rbi_sandbox.requests() if r["method"] == "PUT"]
    assert len(claims) == 2
    assert rbi_sandbox.user(ALEX)["points"] == 1200 - 250 + 52


def test_rescanning_the_same_member_moves_the_basket_to_the_new_transaction(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    identify(burger_order, "111111")
    add(burger_order, "BRG-WHOPPER")
    add_drink(burger_order)
    first = session_of(burger_order)

    code = rbi_sandbox.mint_code(ALEX)["otp"]
    assert identify(burger_order, code).status == IdentifyStatus.IDENTIFIED

    second = session_of(burger_order)
    assert second != first
    assert rbi_sandbox.transaction(first)["status"] == "VOID"
    assert rbi_sandbox.transaction(second)["status"] == "PENDING"
    assert {
        line["productId"] for line in rbi_sandbox.transaction(second)["basket"]
    } >= {"9001"}
    assert rbi_sandbox.user(ALEX)["heldPoints"] == 250


def test_another_members_scan_keeps_the_first_member(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    identify(burger_order, "111111")
    first = session_of(burger_order)

    outcome = identify(burger_order, "555555")

    assert outcome.status == IdentifyStatus.OTHER_ACCOUNT
    assert session_of(burger_order) == first
    assert OrderLoyalty.objects.get(order=burger_order).member_reference == ALEX
    voids = [r["path"] for r in rbi_sandbox.requests() if r["path"].endswith("/void")]
    assert len(voids) == 1
    kims = voids[0].split("/")[-2]
    remote = rbi_sandbox.transaction(kims)
    assert (remote["loyaltyId"], remote["status"]) == (KIM, "VOID")
    assert rbi_sandbox.transaction(first)["status"] == "PENDING"


@pytest.mark.parametrize("code", ["999999", "000000"])
def test_a_used_or_unknown_code_asks_for_a_fresh_one(burger_order, rbi_sandbox, code):
    outcome = identify(burger_order, code)

    assert outcome.status != IdentifyStatus.IDENTIFIED
    assert "app" in outcome.message or "code" in outcome.message
    assert not OrderLoyalty.objects.filter(order=burger_order).exists()


def test_a_garbage_scan_is_not_a_member_code(burger_order, rbi_sandbox):
    outcome = identify(burger_order, "https://example.com/not-a-code")

    assert outcome.status == IdentifyStatus.NOT_A_MEMBER_CODE
    assert rbi_sandbox.requests() == []


def test_rbi_down_keeps_selling_without_loyalty(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    rbi_sandbox.faults(down=True)

    outcome = identify(burger_order, "222222")

    assert outcome.status in {IdentifyStatus.OFFLINE, IdentifyStatus.UNAVAILABLE}
    add(burger_order, "BRG-WHOPPER")
    pay_by_card(burger_order)
    assert burger_order.state in {OrderState.PAID, OrderState.COMPLETED}


def test_a_claim_refused_after_payment_voids_so_no_points_stay_held(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    identify(burger_order, "222222")  # the Free Drink holds 250 of Alex's points
    pay_by_card(burger_order)
    # Between validation and the claim, the member spent points elsewhere.
    rbi_sandbox.set_points(ALEX, 100)

    outbox_run_once()

    claim = OutboxMessage.objects.get(order=burger_order, operation="order_post")
    assert claim.status == OutboxStatus.FAILED
    assert "TransactionInsufficientPoints" in claim.last_error
    void = OutboxMessage.objects.get(order=burger_order, operation="session_void")
    assert void.status == OutboxStatus.DONE
    assert rbi_sandbox.transaction(session_of(burger_order))["status"] == "VOID"
    assert rbi_sandbox.user(ALEX)["heldPoints"] == 0
    assert burger_order.number  # the customer has their order all the same


def test_a_refund_voids_the_claimed_transaction(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    identify(burger_order, "222222")
    add(burger_order, "BRG-FRIES-M")
    pay_by_card(burger_order)
    outbox_run_once()
    assert rbi_sandbox.user(ALEX)["points"] == 1002

    order_refund(order=burger_order, actor=ActorKind.STAFF, reason="cold fries")
    assert outbox_run_once() == 1

    refund = OutboxMessage.objects.get(operation="order_refund")
    assert refund.status == OutboxStatus.DONE, refund.last_error
    assert rbi_sandbox.transaction(session_of(burger_order))["status"] == "VOID"
    # The reward's 250 points come back and the 52 earned go.
    assert rbi_sandbox.user(ALEX)["points"] == 1200


def test_a_refunded_guest_sale_is_voided_by_the_id_rbi_gave_it(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    add(burger_order, "BRG-WHOPPER")
    pay_by_card(burger_order)
    outbox_run_once()
    sale = OutboxMessage.objects.get(operation="order_post").result["remote"]

    order_refund(order=burger_order, actor=ActorKind.POS)
    outbox_run_once()

    refund = OutboxMessage.objects.get(operation="order_refund")
    assert refund.status == OutboxStatus.DONE, refund.last_error
    voids = [r["path"] for r in rbi_sandbox.requests() if r["path"].endswith("/void")]
    assert voids == [f"/loyalty/transaction/pos/{sale}/void"]
    assert rbi_sandbox.transaction(sale)["status"] == "VOID"


def validations(rbi_sandbox):
    """(status, payments) of every validate the sandbox received, in order."""
    return [
        (r["body"]["status"], r["body"]["transactionDetails"]["payments"])
        for r in rbi_sandbox.requests()
        if "/validate/" in r["path"]
    ]


def test_before_a_payment_is_chosen_the_basket_is_validated_pending(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    identify(burger_order, "111111")
    add(burger_order, "BRG-WHOPPER")

    add_drink(burger_order)

    assert validations(rbi_sandbox) == [("PENDING", [])]


@pytest.mark.parametrize(
    ("method", "payment"),
    [
        ("card", {"amount": 690, "type": "CREDIT"}),
        ("counter", {"amount": 690, "type": "CASH"}),
    ],
)
def test_at_checkout_the_basket_is_validated_as_it_will_be_claimed(
    burger_order, rbi_sandbox: RbiSandboxControl, method, payment
):
    identify(burger_order, "111111")
    add(burger_order, "BRG-WHOPPER")
    add_drink(burger_order)

    loyalty_basket_check(order=burger_order, payment_method=method)

    assert validations(rbi_sandbox)[-1] == ("CLAIMED", [payment])


def test_the_claim_names_the_card_brand_the_terminal_gave(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    identify(burger_order, "111111")
    add(burger_order, "BRG-WHOPPER")
    pay_by_card(burger_order)

    outbox_run_once()

    claim = next(r for r in rbi_sandbox.requests() if r["method"] == "PUT")
    assert (
        claim["body"]["status"],
        claim["body"]["transactionDetails"]["payments"],
    ) == (
        "CLAIMED",
        [{"amount": 690, "type": "VISA"}],  # the simulated terminal's brand
    )


def test_a_transaction_opened_for_an_order_cancelled_meanwhile_is_voided(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    # The customer cancelled while their code was on its way to RBI.
    order_reset(order=burger_order, note="cancel")

    outcome = identify(burger_order, "222222")
    outbox_run_once()

    assert outcome.status == IdentifyStatus.UNAVAILABLE
    assert not OrderLoyalty.objects.filter(order=burger_order).exists()
    void = OutboxMessage.objects.get(order=burger_order, operation="session_void")
    assert void.status == OutboxStatus.DONE
    assert rbi_sandbox.user(ALEX)["heldPoints"] == 0
    transaction = void.payload["transaction"]
    assert rbi_sandbox.transaction(transaction)["status"] == "VOID"


def test_an_identification_whose_answer_was_lost_finds_its_transaction_again(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    rbi_sandbox.faults(
        rules=[
            {
                "method": "POST",
                "path": "/loyalty/identify",
                "action": "commit_then_drop",
                "times": 1,
            }
        ]
    )

    outcome = identify(burger_order, "222222")

    assert outcome.status == IdentifyStatus.IDENTIFIED
    session = session_of(burger_order)
    identifies = [r for r in rbi_sandbox.requests() if r["path"] == "/loyalty/identify"]
    assert [r["status"] for r in identifies] == [None, 200]
    assert rbi_sandbox.user(ALEX)["heldPoints"] == 250  # held once, not twice
    order_reset(order=burger_order, note="idle")
    outbox_run_once()
    assert rbi_sandbox.transaction(session)["status"] == "VOID"
    assert rbi_sandbox.user(ALEX)["heldPoints"] == 0


def lose_identify_answers(rbi_sandbox, times=2):
    rbi_sandbox.faults(
        rules=[
            {
                "method": "POST",
                "path": "/loyalty/identify",
                "action": "commit_then_drop",
                "times": times,
            }
        ]
    )


def test_a_transaction_whose_identification_never_answered_is_found_and_voided(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    from datetime import timedelta

    from django.utils import timezone

    lose_identify_answers(rbi_sandbox)

    outcome = identify(burger_order, "222222")

    # The customer is told the truth: no rewards now, the sale still recorded.
    assert outcome.status == IdentifyStatus.UNAVAILABLE
    assert "keep your receipt" in outcome.message
    [opened] = rbi_sandbox.transactions_of(burger_order.uuid.hex)
    assert (opened["status"], rbi_sandbox.user(ALEX)["heldPoints"]) == ("PENDING", 250)
    lost = OutboxMessage.objects.get(operation="session_void")
    assert lost.next_attempt_at > timezone.now() + timedelta(seconds=25)

    outbox_run_once(now=timezone.now() + timedelta(seconds=31))

    lost.refresh_from_db()
    assert lost.status == OutboxStatus.DONE, lost.last_error
    assert [
        t["status"] for t in rbi_sandbox.transactions_of(burger_order.uuid.hex)
    ] == ["VOID"]
    assert rbi_sandbox.user(ALEX)["heldPoints"] == 0


def test_typing_the_same_code_again_keeps_the_transaction_it_opened(
    burger_order, rbi_sandbox: RbiSandboxControl
):
    from datetime import timedelta

    from django.utils import timezone

    lose_identify_answers(rbi_sandbox)
    identify(burger_order, "222222")

    outcome = identify(burger_order, "222222")
    outbox_run_once(now=timezone.now() + timedelta(seconds=31))

    assert outcome.status == IdentifyStatus.IDENTIFIED
    lost = OutboxMessage.objects.get(operation="session_void")
    assert (lost.status, lost.last_error) == (
        OutboxStatus.DONE,
        "superseded: the identification was answered again",
    )
    [opened] = rbi_sandbox.transactions_of(burger_order.uuid.hex)
    assert (opened["transactionId"], opened["status"]) == (
        session_of(burger_order),
        "PENDING",
    )
    assert not [r for r in rbi_sandbox.requests() if r["path"].endswith("/void")]
