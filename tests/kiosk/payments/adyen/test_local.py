"""The terminal on the store's network: `/nexo`, every message encrypted."""

from __future__ import annotations

import pytest

from kiosk.payments.adyen import AdyenTerminal
from kiosk.payments.base import TerminalRejected, TerminalResult, TerminalStatus
from tests.kiosk.payments.adyen.conftest import POIID, local_config, start
from tests.processes import wait_until


def final_status(terminal: AdyenTerminal, attempt_key: str) -> TerminalResult:
    """The attempt's result once final (the local payment answers in a thread)."""

    def final() -> TerminalResult | None:
        result = terminal.payment_status(attempt_key=attempt_key)
        return result if result.is_final else None

    return wait_until(final, timeout=5, what="a final result")


def test_an_encrypted_payment_is_approved(local_terminal, adyen_sandbox, attempt_key):
    start(local_terminal, attempt_key)
    wait_until(adyen_sandbox.payments, timeout=5, what="the payment on the terminal")

    adyen_sandbox.terminal_action(POIID, "approve")

    result = final_status(local_terminal, attempt_key)
    assert result.status == TerminalStatus.APPROVED
    assert result.card.masked_pan == "541333 **** 9999"


def test_an_encrypted_abort_then_status(local_terminal, adyen_sandbox, attempt_key):
    start(local_terminal, attempt_key)
    wait_until(adyen_sandbox.payments, timeout=5, what="the payment on the terminal")

    result = local_terminal.payment_cancel(attempt_key=attempt_key)

    assert result.status == TerminalStatus.CANCELLED


def test_a_wrong_passphrase_is_refused(adyen_sandbox, attempt_key):
    terminal = AdyenTerminal(config=local_config(adyen_sandbox, passphrase="wrong"))

    with pytest.raises(TerminalRejected, match="cannot be decrypted"):
        start(terminal, attempt_key)
    assert adyen_sandbox.payments() == []


def test_the_check_of_a_local_terminal(local_terminal):
    assert local_terminal.check().ok is True


def test_a_payment_whose_answer_is_cut_is_found_by_its_status(
    local_terminal, adyen_sandbox, attempt_key
):
    adyen_sandbox.terminal_action(POIID, "drop_after_commit")
    start(local_terminal, attempt_key)
    wait_until(adyen_sandbox.payments, timeout=5, what="the payment on the terminal")

    adyen_sandbox.terminal_action(POIID, "approve")

    result = final_status(local_terminal, attempt_key)
    assert result.status == TerminalStatus.APPROVED
    assert [p["state"] for p in adyen_sandbox.payments()] == ["approved"]
