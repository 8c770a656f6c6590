from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kiosk.models import (
    ActorKind,
    KioskTerminal,
    Payment,
    PaymentStatus,
    SimulatedTerminalTransaction,
)
from kiosk.payments.simulator import SimulatedOutcome, SimulatedTerminal
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_refund, order_start
from kiosk.services.payments import payment_refresh
from kiosk.services.reconciliation import (
    MismatchKind,
    reconciliation_default_day,
    reconciliation_for_day,
)
from kiosk.services.refunds import order_refund_to_card
from kiosk.services.selections import LineSelection


@pytest.fixture
def terminal(menu) -> KioskTerminal:
    return KioskTerminal.objects.create(
        kiosk=menu.kiosk, vendor="simulator", terminal_id="SIM-1"
    )


def card_payment(menu, outcome: SimulatedOutcome | None = None) -> Payment:
    order = order_start(kiosk=menu.kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    order = order_checkout(order=order, method="card").order
    payment = order.payments.get()
    if outcome is not None:
        SimulatedTerminal().customer_action(
            attempt_key=payment.attempt_key, outcome=outcome
        )
        payment_refresh(order=order)
    payment.refresh_from_db()
    return payment


def today_of(terminal):
    [item] = reconciliation_for_day(day=reconciliation_default_day()).terminals
    assert item.terminal == terminal
    return item


def kinds(item) -> list[tuple[str, str]]:
    return [(m.kind, m.attempt_key) for m in item.mismatches]


def test_a_day_where_everything_matches_has_no_mismatch(menu, terminal):
    card_payment(menu, SimulatedOutcome.APPROVE)
    card_payment(menu, SimulatedOutcome.DECLINE)

    item = today_of(terminal)

    assert item.mismatches == []
    assert item.is_balanced
    assert (item.kiosk_approved_count, item.kiosk_approved_total) == (1, 350)
    assert (item.terminal_approved_count, item.terminal_approved_total) == (1, 350)
    assert item.currency == "EUR"


def test_an_approval_the_kiosk_does_not_have_is_listed(menu, terminal):
    payment = card_payment(menu, SimulatedOutcome.DECLINE)
    SimulatedTerminalTransaction.objects.update(status="approved")

    item = today_of(terminal)

    assert kinds(item) == [(MismatchKind.TERMINAL_ONLY, payment.attempt_key)]
    assert item.mismatches[0].terminal_amount == 350
    assert not item.is_balanced


def test_amounts_that_differ_are_listed(menu, terminal):
    payment = card_payment(menu, SimulatedOutcome.APPROVE)
    SimulatedTerminalTransaction.objects.update(amount=400)

    item = today_of(terminal)

    assert kinds(item) == [(MismatchKind.AMOUNT_DIFFERS, payment.attempt_key)]
    assert (item.mismatches[0].kiosk_amount, item.mismatches[0].terminal_amount) == (
        350,
        400,
    )


def test_an_approval_unknown_to_the_terminal_is_listed(menu, terminal):
    payment = card_payment(menu, SimulatedOutcome.APPROVE)
    SimulatedTerminalTransaction.objects.all().delete()

    item = today_of(terminal)

    assert kinds(item) == [(MismatchKind.KIOSK_ONLY, payment.attempt_key)]
    assert item.terminal_approved_total == 0


def test_an_unknown_attempt_is_listed(menu, terminal):
    payment = card_payment(menu)
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.UNKNOWN)

    item = today_of(terminal)

    assert kinds(item) == [(MismatchKind.UNKNOWN_ATTEMPT, payment.attempt_key)]


def test_an_approval_that_paid_no_order_is_listed(menu, terminal):
    payment = card_payment(menu, SimulatedOutcome.APPROVE)
    payment.order.state = "cancelled"
    payment.order.save()

    item = today_of(terminal)

    assert kinds(item) == [(MismatchKind.ORDER_NOT_PAID, payment.attempt_key)]


def test_refunds_pending_and_refused_are_listed(menu, terminal, monkeypatch):
    pending = card_payment(menu, SimulatedOutcome.APPROVE)
    refused = card_payment(menu, SimulatedOutcome.APPROVE)
    refunded = card_payment(menu, SimulatedOutcome.APPROVE)
    order_refund(order=pending.order, actor=ActorKind.STAFF)
    order_refund_to_card(order=refunded.order, actor=ActorKind.STAFF)
    SimulatedTerminalTransaction.objects.filter(attempt_key=refused.attempt_key).update(
        amount=1
    )
    order_refund_to_card(order=refused.order, actor=ActorKind.STAFF)
    SimulatedTerminalTransaction.objects.filter(attempt_key=refused.attempt_key).update(
        amount=350
    )

    item = today_of(terminal)

    assert kinds(item) == [
        (MismatchKind.REFUND_PENDING, pending.attempt_key),
        (MismatchKind.REFUND_FAILED, refused.attempt_key),
    ]
    assert item.mismatches[1].detail == "more than the transaction took"
    assert item.refunded_total == 350


def test_another_day_shows_nothing_of_today(menu, terminal):
    card_payment(menu, SimulatedOutcome.APPROVE)

    day = reconciliation_default_day() - timedelta(days=1)
    [item] = reconciliation_for_day(day=day).terminals

    assert (item.kiosk_approved_count, item.terminal_approved_count) == (0, 0)


def test_the_default_day_is_the_stores_today(menu, terminal):
    menu.store.timezone = "Pacific/Kiritimati"
    menu.store.save()

    assert (
        reconciliation_default_day() == timezone.now().astimezone(menu.store.tz).date()
    )


class CardOnlyTerminal:
    def __init__(self, *, config=None) -> None:
        self.config = config


def test_a_terminal_without_a_report_is_said_so(menu, terminal, monkeypatch):
    card_payment(menu, SimulatedOutcome.APPROVE)
    monkeypatch.setattr(
        "kiosk.services.reconciliation.get_terminal", lambda config: CardOnlyTerminal()
    )

    item = today_of(terminal)

    assert (item.is_reported, item.kiosk_approved_total, item.mismatches) == (
        False,
        350,
        [],
    )
