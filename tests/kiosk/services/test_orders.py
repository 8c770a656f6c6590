from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User

from hardware.models import PrintJob, PrintJobKind
from kiosk.models import (
    ActorKind,
    Kiosk,
    Order,
    OrderNumberSequence,
    OrderState,
    OrderStateChange,
    Payment,
    PaymentChannel,
    PaymentStatus,
)
from kiosk.services.cart import cart_line_add, order_set_service_mode
from kiosk.services.checkout import order_checkout
from kiosk.services.errors import OrderStateError, PaymentMismatch
from kiosk.services.orders import (
    ALLOWED_TRANSITIONS,
    order_cancel,
    order_complete,
    order_confirm_payment,
    order_mark_paid,
    order_refund,
    order_reopen,
    order_reset,
    order_set_language,
    order_start,
    order_submit,
)
from kiosk.services.selections import LineSelection

# Paris is UTC+1 in March 2025 (summer time starts on the 30th).
EVENING = datetime(2025, 3, 10, 22, 30, tzinfo=UTC)  # 23:30 on the 10th in Paris
AFTER_MIDNIGHT = datetime(2025, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 on the 11th


def history(order: Order) -> list[tuple[str, str, str, str]]:
    return list(
        order.history.order_by("id").values_list(
            "from_state", "to_state", "actor", "note"
        )
    )


def submitted(kiosk, product, *, now=None, method="counter") -> Order:
    """A new customer on `kiosk` orders one `product` and checks out."""
    order = order_start(kiosk=kiosk, language="en")
    order_set_service_mode(order=order, service_mode="eat_in")
    cart_line_add(order=order, selection=LineSelection(product_id=product.pk), now=now)
    return order_checkout(order=order, method=method, now=now).order


def fail_card_payment(order: Order, status=PaymentStatus.DECLINED) -> Payment:
    payment = order.payments.get(channel=PaymentChannel.TERMINAL)
    payment.status = status
    payment.save()
    return payment


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user("counter", password="x")


def test_order_start_gives_a_draft_in_the_chosen_language(menu):
    order = order_start(kiosk=menu.kiosk, language="fr")

    menu.kiosk.refresh_from_db()
    assert (order.state, order.language, order.currency, order.service_mode) == (
        OrderState.DRAFT,
        "fr",
        "EUR",
        "",
    )
    assert (order.store, order.kiosk, order.number) == (menu.store, menu.kiosk, None)
    assert menu.kiosk.last_seen_at is not None


def test_order_start_falls_back_to_the_store_language(menu):
    order = order_start(kiosk=menu.kiosk, language="de")

    assert order.language == "en"


def test_order_start_gives_the_only_service_mode_of_the_store(menu):
    menu.store.service_modes = ["take_away"]
    menu.store.save()

    order = order_start(kiosk=menu.kiosk, language="en")

    assert order.service_mode == "take_away"


def test_order_start_cancels_the_kiosks_earlier_draft_as_abandoned(menu):
    earlier = order_start(kiosk=menu.kiosk, language="en")

    later = order_start(kiosk=menu.kiosk, language="en")

    earlier.refresh_from_db()
    assert (earlier.state, later.state) == (OrderState.CANCELLED, OrderState.DRAFT)
    assert earlier.cancelled_at is not None
    assert history(earlier) == [
        (OrderState.DRAFT, OrderState.CANCELLED, ActorKind.SYSTEM, "abandoned")
    ]
    assert history(later) == []


def test_order_start_leaves_the_drafts_of_other_kiosks(menu):
    elsewhere = order_start(
        kiosk=Kiosk.objects.create(store=menu.store, name="K2", code="burger-test-2"),
        language="en",
    )

    order_start(kiosk=menu.kiosk, language="en")

    elsewhere.refresh_from_db()
    assert elsewhere.state == OrderState.DRAFT


def test_order_start_cancels_an_earlier_order_whose_card_payment_failed(
    menu, card_order
):
    fail_card_payment(card_order)

    order_start(kiosk=menu.kiosk, language="en")

    card_order.refresh_from_db()
    assert card_order.state == OrderState.CANCELLED
    assert history(card_order)[-1] == (
        OrderState.AWAITING_PAYMENT,
        OrderState.CANCELLED,
        ActorKind.SYSTEM,
        "abandoned after a failed card payment",
    )


@pytest.mark.parametrize(
    "status", [PaymentStatus.PENDING, PaymentStatus.UNKNOWN, PaymentStatus.APPROVED]
)
def test_order_start_keeps_an_earlier_order_that_may_have_been_charged(
    menu, card_order, status
):
    fail_card_payment(card_order, status=status)

    order_start(kiosk=menu.kiosk, language="en")

    card_order.refresh_from_db()
    assert card_order.state == OrderState.AWAITING_PAYMENT
    assert len(history(card_order)) == 1


def test_order_start_keeps_an_earlier_counter_order(menu, counter_order):
    order_start(kiosk=menu.kiosk, language="en")

    counter_order.refresh_from_db()
    assert counter_order.state == OrderState.AWAITING_PAYMENT


def test_order_set_language_changes_the_language_of_the_order(menu, draft_order):
    order_set_language(order=draft_order, language="fr")

    draft_order.refresh_from_db()
    assert draft_order.language == "fr"


def test_order_set_language_ignores_a_language_the_store_does_not_offer(
    menu, draft_order
):
    order_set_language(order=draft_order, language="de")

    draft_order.refresh_from_db()
    assert draft_order.language == "en"


def test_order_numbers_start_at_one_and_increase(menu):
    first = submitted(menu.kiosk, menu.fries, now=EVENING)
    second = submitted(menu.kiosk, menu.cola, now=EVENING)

    assert (first.number, first.business_date) == (1, date(2025, 3, 10))
    assert (second.number, second.business_date) == (2, date(2025, 3, 10))


def test_order_numbers_are_independent_between_stores(menu, other):
    first = submitted(menu.kiosk, menu.fries, now=EVENING)
    elsewhere = submitted(other.kiosk, other.product, now=EVENING)
    second = submitted(menu.kiosk, menu.cola, now=EVENING)

    assert (first.number, elsewhere.number, second.number) == (1, 1, 2)


def test_order_numbers_restart_on_the_next_business_day(menu):
    submitted(menu.kiosk, menu.fries, now=datetime(2025, 3, 10, 12, tzinfo=UTC))
    submitted(menu.kiosk, menu.fries, now=datetime(2025, 3, 10, 13, tzinfo=UTC))

    next_day = submitted(
        menu.kiosk, menu.cola, now=datetime(2025, 3, 11, 9, tzinfo=UTC)
    )

    assert (next_day.number, next_day.business_date) == (1, date(2025, 3, 11))
    assert list(
        OrderNumberSequence.objects.order_by("business_date").values_list(
            "business_date", "last_number"
        )
    ) == [(date(2025, 3, 10), 2), (date(2025, 3, 11), 1)]


def test_the_business_day_follows_the_store_time_zone(menu):
    before = submitted(menu.kiosk, menu.fries, now=EVENING)
    after = submitted(menu.kiosk, menu.cola, now=AFTER_MIDNIGHT)

    # Both are on March 10th in UTC, but midnight has passed in Paris.
    assert (before.number, before.business_date) == (1, date(2025, 3, 10))
    assert (after.number, after.business_date) == (1, date(2025, 3, 11))


def test_the_business_day_of_a_store_west_of_utc(menu):
    menu.store.timezone = "America/New_York"
    menu.store.save()

    order = submitted(menu.kiosk, menu.fries, now=AFTER_MIDNIGHT)

    assert (order.number, order.business_date) == (1, date(2025, 3, 10))


def test_order_submit_numbers_the_draft_and_waits_for_its_payment(menu, fries_order):
    order = order_submit(order=fries_order, method="counter")

    assert (order.state, order.payment_method, order.number) == (
        OrderState.AWAITING_PAYMENT,
        "counter",
        1,
    )
    assert order.submitted_at is not None
    assert Payment.objects.count() == 0
    assert history(order) == [
        (OrderState.DRAFT, OrderState.AWAITING_PAYMENT, ActorKind.CUSTOMER, "counter")
    ]


def test_order_submit_of_an_order_already_sent_is_refused(menu, counter_order):
    with pytest.raises(OrderStateError, match="already been sent"):
        order_submit(order=counter_order, method="card")

    counter_order.refresh_from_db()
    assert counter_order.payment_method == "counter"
    assert len(history(counter_order)) == 1


def test_mark_paid_writes_one_receipt_job_and_one_history_row(menu, card_order):
    payment = card_order.payments.get()

    order = order_mark_paid(order=card_order, payment=payment, actor=ActorKind.TERMINAL)

    payment.refresh_from_db()
    assert (order.state, payment.status) == (OrderState.PAID, PaymentStatus.APPROVED)
    assert order.paid_at is not None
    assert list(PrintJob.objects.values_list("order", "kiosk", "kind")) == [
        (order.pk, menu.kiosk.pk, PrintJobKind.RECEIPT)
    ]
    assert history(order)[1:] == [
        (OrderState.AWAITING_PAYMENT, OrderState.PAID, ActorKind.TERMINAL, "terminal")
    ]


def test_mark_paid_twice_changes_nothing_the_second_time(menu, card_order):
    payment = card_order.payments.get()
    order_mark_paid(order=card_order, payment=payment, actor=ActorKind.TERMINAL)

    order = order_mark_paid(order=card_order, payment=payment, actor=ActorKind.TERMINAL)

    assert order.state == OrderState.PAID
    assert PrintJob.objects.count() == 1
    assert OrderStateChange.objects.filter(to_state=OrderState.PAID).count() == 1
    assert Payment.objects.count() == 1


def test_counter_staff_confirm_a_payment(menu, counter_order, staff):
    order = order_confirm_payment(
        order=counter_order, channel=PaymentChannel.COUNTER, user=staff
    )

    payment = Payment.objects.get()
    assert order.state == OrderState.PAID
    assert (
        payment.channel,
        payment.status,
        payment.amount,
        payment.currency,
        payment.user,
    ) == (PaymentChannel.COUNTER, PaymentStatus.APPROVED, 350, "EUR", staff)
    assert PrintJob.objects.count() == 1
    change = order.history.get(to_state=OrderState.PAID)
    assert (change.actor, change.user, change.note) == (
        ActorKind.STAFF,
        staff,
        "counter",
    )


def test_the_pos_confirms_a_payment_of_the_exact_total(menu, counter_order):
    order = order_confirm_payment(
        order=counter_order,
        channel=PaymentChannel.POS,
        amount=350,
        reference="POS-42",
    )

    payment = Payment.objects.get()
    assert order.state == OrderState.PAID
    assert (payment.channel, payment.amount, payment.reference, payment.user) == (
        PaymentChannel.POS,
        350,
        "POS-42",
        None,
    )
    assert PrintJob.objects.count() == 1
    assert order.history.get(to_state=OrderState.PAID).actor == ActorKind.POS


@pytest.mark.parametrize("amount", [349, 351, 0, 3500])
def test_the_pos_confirming_another_amount_is_refused(menu, counter_order, amount):
    with pytest.raises(PaymentMismatch):
        order_confirm_payment(
            order=counter_order, channel=PaymentChannel.POS, amount=amount
        )

    counter_order.refresh_from_db()
    assert counter_order.state == OrderState.AWAITING_PAYMENT
    assert Payment.objects.count() == 0
    assert PrintJob.objects.count() == 0
    assert len(history(counter_order)) == 1


def test_confirming_an_order_already_paid_changes_nothing(menu, counter_order):
    order_confirm_payment(order=counter_order, channel=PaymentChannel.POS, amount=350)

    order = order_confirm_payment(
        order=counter_order, channel=PaymentChannel.POS, amount=350
    )

    assert order.state == OrderState.PAID
    assert Payment.objects.count() == 1
    assert PrintJob.objects.count() == 1
    assert len(history(order)) == 2


def test_confirming_a_draft_is_refused(menu, fries_order):
    with pytest.raises(OrderStateError):
        order_confirm_payment(order=fries_order, channel=PaymentChannel.COUNTER)

    fries_order.refresh_from_db()
    assert fries_order.state == OrderState.DRAFT
    assert Payment.objects.count() == 0


def test_confirming_a_cancelled_order_is_refused(menu, counter_order):
    order_cancel(order=counter_order, actor=ActorKind.STAFF)

    with pytest.raises(OrderStateError, match="cancelled: it cannot be paid"):
        order_confirm_payment(order=counter_order, channel=PaymentChannel.COUNTER)

    counter_order.refresh_from_db()
    assert counter_order.state == OrderState.CANCELLED
    assert Payment.objects.count() == 0
    assert PrintJob.objects.count() == 0


def test_confirming_while_a_terminal_payment_is_open_is_refused(menu, card_order):
    with pytest.raises(OrderStateError, match="card payment is in progress"):
        order_confirm_payment(order=card_order, channel=PaymentChannel.COUNTER)

    card_order.refresh_from_db()
    assert card_order.state == OrderState.AWAITING_PAYMENT
    assert list(Payment.objects.values_list("channel", "status")) == [
        (PaymentChannel.TERMINAL, PaymentStatus.PENDING)
    ]
    assert PrintJob.objects.count() == 0


def test_confirming_at_the_counter_after_a_failed_card_payment(menu, card_order):
    fail_card_payment(card_order)

    order = order_confirm_payment(order=card_order, channel=PaymentChannel.COUNTER)

    assert order.state == OrderState.PAID
    assert list(Payment.objects.order_by("id").values_list("channel", "status")) == [
        (PaymentChannel.TERMINAL, PaymentStatus.DECLINED),
        (PaymentChannel.COUNTER, PaymentStatus.APPROVED),
    ]


def test_cancelling_an_unpaid_order_records_who_and_why(menu, counter_order, staff):
    order = order_cancel(
        order=counter_order, actor=ActorKind.STAFF, user=staff, reason="left"
    )

    assert (order.state, order.cancel_reason) == (OrderState.CANCELLED, "left")
    assert order.cancelled_at is not None
    change = order.history.get(to_state=OrderState.CANCELLED)
    assert (change.from_state, change.actor, change.user, change.note) == (
        OrderState.AWAITING_PAYMENT,
        ActorKind.STAFF,
        staff,
        "left",
    )


def test_cancelling_twice_writes_one_history_row(menu, counter_order):
    order_cancel(order=counter_order, actor=ActorKind.POS)

    order = order_cancel(order=counter_order, actor=ActorKind.POS)

    assert order.state == OrderState.CANCELLED
    assert OrderStateChange.objects.filter(to_state=OrderState.CANCELLED).count() == 1


def test_cancelling_a_paid_order_is_refused(menu, counter_order):
    order_confirm_payment(order=counter_order, channel=PaymentChannel.COUNTER)

    with pytest.raises(OrderStateError, match="This order is paid"):
        order_cancel(order=counter_order, actor=ActorKind.STAFF, reason="mistake")

    counter_order.refresh_from_db()
    assert (counter_order.state, counter_order.cancel_reason) == (OrderState.PAID, "")
    assert OrderStateChange.objects.filter(to_state=OrderState.CANCELLED).count() == 0


def test_cancelling_during_an_open_terminal_payment_is_refused(menu, card_order):
    with pytest.raises(OrderStateError, match="card payment is in progress"):
        order_cancel(order=card_order, actor=ActorKind.STAFF, reason="gone")

    card_order.refresh_from_db()
    assert (card_order.state, card_order.cancel_reason) == (
        OrderState.AWAITING_PAYMENT,
        "",
    )
    assert len(history(card_order)) == 1


def test_completing_a_paid_order(menu, counter_order, staff):
    order_confirm_payment(order=counter_order, channel=PaymentChannel.COUNTER)

    order = order_complete(order=counter_order, actor=ActorKind.STAFF, user=staff)

    assert order.state == OrderState.COMPLETED
    assert order.completed_at is not None
    change = order.history.get(to_state=OrderState.COMPLETED)
    assert (change.from_state, change.actor, change.user) == (
        OrderState.PAID,
        ActorKind.STAFF,
        staff,
    )


def test_completing_twice_writes_one_history_row(menu, counter_order):
    order_confirm_payment(order=counter_order, channel=PaymentChannel.COUNTER)
    order_complete(order=counter_order, actor=ActorKind.POS)

    order_complete(order=counter_order, actor=ActorKind.POS)

    assert OrderStateChange.objects.filter(to_state=OrderState.COMPLETED).count() == 1


def test_completing_an_unpaid_order_is_refused(menu, counter_order):
    with pytest.raises(OrderStateError):
        order_complete(order=counter_order, actor=ActorKind.STAFF)

    counter_order.refresh_from_db()
    assert (counter_order.state, counter_order.completed_at) == (
        OrderState.AWAITING_PAYMENT,
        None,
    )
    assert len(history(counter_order)) == 1


def test_reopening_after_a_declined_card_payment_goes_back_to_the_cart(
    menu, card_order
):
    fail_card_payment(card_order)

    order = order_reopen(order=card_order)

    assert (order.state, order.payment_method, order.number) == (
        OrderState.DRAFT,
        "",
        1,
    )
    assert history(order)[-1] == (
        OrderState.AWAITING_PAYMENT,
        OrderState.DRAFT,
        ActorKind.CUSTOMER,
        "back to the cart",
    )


def test_a_reopened_order_keeps_its_number_at_the_next_checkout(menu, card_order):
    fail_card_payment(card_order)
    order_reopen(order=card_order)

    result = order_checkout(order=card_order, method="card")

    assert (result.order.number, OrderNumberSequence.objects.get().last_number) == (
        1,
        1,
    )
    assert Payment.objects.count() == 2


def test_reopening_a_counter_order_is_refused(menu, counter_order):
    with pytest.raises(OrderStateError, match="already been sent"):
        order_reopen(order=counter_order)

    counter_order.refresh_from_db()
    assert counter_order.state == OrderState.AWAITING_PAYMENT
    assert len(history(counter_order)) == 1


def test_reopening_during_an_open_terminal_payment_is_refused(menu, card_order):
    with pytest.raises(OrderStateError, match="card payment is in progress"):
        order_reopen(order=card_order)

    card_order.refresh_from_db()
    assert (card_order.state, card_order.payment_method) == (
        OrderState.AWAITING_PAYMENT,
        "card",
    )


def test_reopening_after_an_unknown_terminal_outcome_is_refused(menu, card_order):
    fail_card_payment(card_order, status=PaymentStatus.UNKNOWN)

    with pytest.raises(OrderStateError, match="already been sent"):
        order_reopen(order=card_order)

    card_order.refresh_from_db()
    assert card_order.state == OrderState.AWAITING_PAYMENT
    assert len(history(card_order)) == 1


def test_reopening_a_paid_order_is_refused(menu, counter_order):
    order_confirm_payment(order=counter_order, channel=PaymentChannel.COUNTER)

    with pytest.raises(OrderStateError):
        order_reopen(order=counter_order)

    counter_order.refresh_from_db()
    assert counter_order.state == OrderState.PAID


def test_reopening_a_draft_changes_nothing(menu, draft_order):
    order = order_reopen(order=draft_order)

    assert order.state == OrderState.DRAFT
    assert OrderStateChange.objects.count() == 0


def test_reset_cancels_a_draft(menu, fries_order):
    order = order_reset(order=fries_order, note="idle")

    assert order.state == OrderState.CANCELLED
    assert history(order) == [
        (OrderState.DRAFT, OrderState.CANCELLED, ActorKind.CUSTOMER, "idle")
    ]


@pytest.mark.parametrize(
    "status",
    [PaymentStatus.DECLINED, PaymentStatus.TIMED_OUT, PaymentStatus.CANCELLED],
)
def test_reset_cancels_an_order_whose_card_payment_failed(menu, card_order, status):
    fail_card_payment(card_order, status=status)

    order = order_reset(order=card_order, note="idle")

    assert order.state == OrderState.CANCELLED
    assert history(order)[-1] == (
        OrderState.AWAITING_PAYMENT,
        OrderState.CANCELLED,
        ActorKind.CUSTOMER,
        "idle",
    )


def test_reset_keeps_an_order_to_be_paid_at_the_counter(menu, counter_order):
    order = order_reset(order=counter_order, note="finished")

    assert order.state == OrderState.AWAITING_PAYMENT
    assert len(history(order)) == 1


@pytest.mark.parametrize(
    "status", [PaymentStatus.PENDING, PaymentStatus.UNKNOWN, PaymentStatus.APPROVED]
)
def test_reset_keeps_an_order_whose_card_payment_may_have_gone_through(
    menu, card_order, status
):
    fail_card_payment(card_order, status=status)

    order = order_reset(order=card_order, note="idle")

    assert order.state == OrderState.AWAITING_PAYMENT
    assert len(history(order)) == 1


def test_reset_keeps_a_paid_order(menu, counter_order):
    order_confirm_payment(order=counter_order, channel=PaymentChannel.COUNTER)

    order = order_reset(order=counter_order, note="finished")

    assert order.state == OrderState.PAID
    assert len(history(order)) == 2


def test_a_cancelled_order_cannot_become_paid(menu, card_order):
    payment = fail_card_payment(card_order)
    order_cancel(order=card_order, actor=ActorKind.STAFF)

    with pytest.raises(OrderStateError, match="cancelled and cannot change"):
        order_mark_paid(order=card_order, payment=payment, actor=ActorKind.TERMINAL)

    card_order.refresh_from_db()
    payment.refresh_from_db()
    assert (card_order.state, payment.status) == (
        OrderState.CANCELLED,
        PaymentStatus.DECLINED,
    )
    assert PrintJob.objects.count() == 0


def test_allowed_transitions_end_at_refunded_and_cancelled():
    assert {
        OrderState.DRAFT: {OrderState.AWAITING_PAYMENT, OrderState.CANCELLED},
        OrderState.AWAITING_PAYMENT: {
            OrderState.PAID,
            OrderState.CANCELLED,
            OrderState.DRAFT,
        },
        OrderState.PAID: {OrderState.COMPLETED, OrderState.REFUNDED},
        OrderState.COMPLETED: {OrderState.REFUNDED},
        OrderState.CANCELLED: set(),
        OrderState.REFUNDED: set(),
    } == ALLOWED_TRANSITIONS


def test_staff_record_the_refund_of_a_handed_over_order(menu, counter_order, staff):
    order = order_confirm_payment(order=counter_order, channel=PaymentChannel.COUNTER)
    order_complete(order=order, actor=ActorKind.STAFF)

    order = order_refund(
        order=order, actor=ActorKind.STAFF, user=staff, reason="cold fries"
    )

    assert (order.state, order.refunded_at is not None) == (OrderState.REFUNDED, True)
    change = order.history.get(to_state=OrderState.REFUNDED)
    assert (change.from_state, change.actor, change.user, change.note) == (
        OrderState.COMPLETED,
        ActorKind.STAFF,
        staff,
        "cold fries",
    )
    # A second refund of the same order changes nothing.
    order_refund(order=order, actor=ActorKind.STAFF, user=staff)
    assert order.history.filter(to_state=OrderState.REFUNDED).count() == 1


def test_an_unpaid_order_cannot_be_refunded(menu, counter_order):
    with pytest.raises(OrderStateError, match="Only a paid order can be refunded."):
        order_refund(order=counter_order, actor=ActorKind.STAFF)

    counter_order.refresh_from_db()
    assert counter_order.state == OrderState.AWAITING_PAYMENT
