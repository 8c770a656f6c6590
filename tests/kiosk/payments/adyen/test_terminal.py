from __future__ import annotations

import time

import pytest

from kiosk.payments import get_terminal
from kiosk.payments.adyen import AdyenTerminal
from kiosk.payments.base import (
    CardDetails,
    CardRefunds,
    RefundStatus,
    TerminalCheckable,
    TerminalRejected,
    TerminalStatus,
    TerminalUnavailable,
    TransactionsReport,
)
from tests.kiosk.payments.adyen.conftest import POIID, cloud_config, start


def test_it_is_the_terminal_of_the_adyen_vendor(adyen_sandbox):
    terminal = get_terminal(cloud_config(adyen_sandbox))

    assert isinstance(terminal, AdyenTerminal)
    assert isinstance(terminal, CardRefunds)
    assert isinstance(terminal, TerminalCheckable)
    assert isinstance(terminal, TransactionsReport)


def test_a_payment_waits_for_the_card(terminal, adyen_sandbox, attempt_key):
    start(terminal, attempt_key)

    assert terminal.payment_status(attempt_key=attempt_key).status == "pending"
    [payment] = adyen_sandbox.payments()
    assert payment["amount"] == "12.5"
    assert payment["currency"] == "EUR"
    assert payment["transaction_id"] == "A-0142"
    assert payment["sale_reference"] == attempt_key


def test_an_approved_card_gives_the_receipt_details(
    terminal, adyen_sandbox, attempt_key
):
    start(terminal, attempt_key)
    adyen_sandbox.terminal_action(POIID, "approve")

    result = terminal.payment_status(attempt_key=attempt_key)

    assert result.status == TerminalStatus.APPROVED
    assert result.reference == "SBX0000000000001"
    assert result.auth_code == "123456"
    assert result.card == CardDetails(
        brand="mc",
        masked_pan="541333 **** 9999",
        application_label="MASTERCARD",
        aid="A0000000041010",
        auth_code="123456",
        terminal_id=POIID,
        transaction_reference="TND000001.SBX0000000000001",
        entry_mode="CLESS_CHIP",
    )


def test_a_declined_card_is_declined(terminal, adyen_sandbox, attempt_key):
    start(terminal, attempt_key)
    adyen_sandbox.terminal_action(POIID, "decline")

    result = terminal.payment_status(attempt_key=attempt_key)

    assert result.status == TerminalStatus.DECLINED
    assert result.message == "DECLINED"


def test_the_customer_cancelling_on_the_terminal_cancels(
    terminal, adyen_sandbox, attempt_key
):
    start(terminal, attempt_key)
    adyen_sandbox.terminal_action(POIID, "cancel")

    assert terminal.payment_status(attempt_key=attempt_key).status == "cancelled"


def test_the_cashier_aborts_a_waiting_payment(terminal, adyen_sandbox, attempt_key):
    start(terminal, attempt_key)

    result = terminal.payment_cancel(attempt_key=attempt_key)

    assert result.status == TerminalStatus.CANCELLED
    assert adyen_sandbox.payments()[0]["state"] == "aborted"


def test_a_card_that_went_through_before_the_abort_is_approved(
    terminal, adyen_sandbox, attempt_key
):
    start(terminal, attempt_key)
    adyen_sandbox.terminal_action(POIID, "card_after_abort")

    result = terminal.payment_cancel(attempt_key=attempt_key)

    assert result.status == TerminalStatus.APPROVED
    assert result.reference == "SBX0000000000001"


def test_a_lost_answer_is_found_again_by_its_status(
    terminal, adyen_sandbox, attempt_key
):
    start(terminal, attempt_key)
    adyen_sandbox.terminal_action(POIID, "approve")
    adyen_sandbox.terminal_action(POIID, "drop_after_commit")

    with pytest.raises(TerminalUnavailable):
        terminal.payment_status(attempt_key=attempt_key)
    result = terminal.payment_status(attempt_key=attempt_key)

    assert result.status == TerminalStatus.APPROVED


def test_starting_an_attempt_again_never_charges_twice(
    terminal, adyen_sandbox, attempt_key
):
    start(terminal, attempt_key)
    adyen_sandbox.terminal_action(POIID, "approve")

    start(terminal, attempt_key)
    # Another process of the kiosk, which holds nothing of the first.
    start(AdyenTerminal(config=terminal.config), attempt_key)

    assert [p["state"] for p in adyen_sandbox.payments()] == ["approved"]


def test_a_start_whose_answer_is_lost_is_found_by_its_status(
    terminal, adyen_sandbox, attempt_key
):
    adyen_sandbox.faults(
        rules=[{"path": "/async", "action": "commit_then_drop", "times": 1}]
    )

    with pytest.raises(TerminalUnavailable):
        start(terminal, attempt_key)
    adyen_sandbox.terminal_action(POIID, "approve")

    assert terminal.payment_status(attempt_key=attempt_key).status == "approved"
    assert len(adyen_sandbox.payments()) == 1


def test_an_attempt_the_terminal_never_received_is_rejected(terminal, attempt_key):
    with pytest.raises(TerminalRejected):
        terminal.payment_status(attempt_key=attempt_key)


def test_a_terminal_that_never_answers_is_unavailable_within_the_timeout(
    terminal, adyen_sandbox, attempt_key
):
    start(terminal, attempt_key)
    adyen_sandbox.terminal_action(POIID, "silent")
    began = time.monotonic()

    with pytest.raises(TerminalUnavailable):
        terminal.payment_status(attempt_key=attempt_key)

    assert time.monotonic() - began < 4
    adyen_sandbox.terminal_action(POIID, "normal")


def test_a_nonsense_answer_leaves_the_outcome_unknown(
    terminal, adyen_sandbox, attempt_key
):
    start(terminal, attempt_key)
    adyen_sandbox.faults(
        rules=[{"path": "/sync", "action": "answer", "body": {"SaleToPOIResponse": 7}}]
    )

    with pytest.raises(TerminalUnavailable):
        terminal.payment_status(attempt_key=attempt_key)


def test_an_answer_that_is_not_json_leaves_the_outcome_unknown(
    terminal, adyen_sandbox, attempt_key
):
    start(terminal, attempt_key)
    adyen_sandbox.faults(rules=[{"path": "/sync", "action": "status", "status": 502}])

    with pytest.raises(TerminalUnavailable):
        terminal.payment_status(attempt_key=attempt_key)


def test_a_wrong_api_key_is_refused(adyen_sandbox, attempt_key):
    terminal = AdyenTerminal(
        config=cloud_config(adyen_sandbox, credentials={"api_key": "wrong"})
    )

    with pytest.raises(TerminalRejected):
        start(terminal, attempt_key)
    assert adyen_sandbox.payments() == []


def test_a_refund_with_the_same_key_refunds_once(terminal, adyen_sandbox, attempt_key):
    start(terminal, attempt_key)
    adyen_sandbox.terminal_action(POIID, "approve")
    approved = terminal.payment_status(attempt_key=attempt_key)

    results = [
        terminal.refund(
            refund_key="refund-1",
            attempt_key=attempt_key,
            payment_reference=approved.reference,
            amount=1250,
            currency="EUR",
        )
        for _ in range(2)
    ]

    assert results[0] == results[1]
    assert results[0].status == RefundStatus.PENDING
    assert results[0].reference == "SBXR000000000001"
    assert len(adyen_sandbox.refunds()) == 1


def test_a_refund_of_an_unknown_payment_is_rejected(terminal, adyen_sandbox):
    with pytest.raises(TerminalRejected):
        terminal.refund(
            refund_key="refund-2",
            attempt_key="unknown",
            payment_reference="SBX0000000000099",
            amount=100,
            currency="EUR",
        )
    assert adyen_sandbox.refunds() == []


def test_the_check_asks_the_terminal(terminal):
    check = terminal.check()

    assert check.ok is True
    assert check.detail == "The terminal answers."


def test_the_check_of_an_unreachable_terminal_fails_without_raising(adyen_sandbox):
    terminal = AdyenTerminal(
        config=cloud_config(adyen_sandbox, endpoint="http://127.0.0.1:9")
    )

    check = terminal.check()

    assert check.ok is False
    assert check.detail == "the terminal cannot be reached"


def test_the_report_asks_each_attempt(terminal, adyen_sandbox, attempt_key):
    start(terminal, attempt_key)
    adyen_sandbox.terminal_action(POIID, "approve")

    report = terminal.transactions(
        start=None, end=None, attempt_keys=[attempt_key, "never-sent"]
    )

    assert [(t.attempt_key, t.status, t.amount, t.currency) for t in report] == [
        (attempt_key, TerminalStatus.APPROVED, 1250, "EUR")
    ]


def test_the_check_with_a_wrong_api_key_fails_without_raising(adyen_sandbox):
    terminal = AdyenTerminal(
        config=cloud_config(adyen_sandbox, credentials={"api_key": "wrong"})
    )

    check = terminal.check()

    assert check.ok is False
    assert check.detail == "Adyen refused the terminal's credentials"


def test_a_cancel_the_terminal_never_answers_is_unavailable(
    terminal, adyen_sandbox, attempt_key
):
    start(terminal, attempt_key)
    adyen_sandbox.terminal_action(POIID, "silent")

    with pytest.raises(TerminalUnavailable):
        terminal.payment_cancel(attempt_key=attempt_key)
    adyen_sandbox.terminal_action(POIID, "normal")


@pytest.mark.parametrize(
    ("endpoint", "options", "checkout"),
    [
        ("http://127.0.0.1:8803", {}, "http://127.0.0.1:8803/checkout/v72"),
        ("https://terminal-api-live-us.adyen.com", {}, ""),
        ("https://192.0.2.10:8443", {"communication": "local"}, ""),
        (
            "",
            {"checkout_endpoint": "http://127.0.0.1:9/checkout/v72/"},
            "http://127.0.0.1:9/checkout/v72",
        ),
    ],
)
def test_refunds_go_to_checkout_where_the_endpoint_says(
    adyen_sandbox, endpoint, options, checkout
):
    config = cloud_config(adyen_sandbox, endpoint=endpoint, options=options)

    assert AdyenTerminal(config=config)._checkout_url() == checkout
