from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from kiosk.payments import TERMINALS, customer_playable_terminal, get_terminal
from kiosk.payments.base import TerminalResult, TerminalStatus
from kiosk.payments.simulator import SimulatedTerminal


class CardOnlyTerminal:
    """A terminal whose customer only the customer can play, as a real one."""

    def payment_start(
        self, *, attempt_key: str, amount: int, currency: str, reference: str
    ) -> None:
        return None

    def payment_status(self, *, attempt_key: str) -> TerminalResult:
        return TerminalResult(TerminalStatus.PENDING)

    def payment_cancel(self, *, attempt_key: str) -> TerminalResult:
        return TerminalResult(TerminalStatus.CANCELLED)


def use_card_only_terminal(monkeypatch: pytest.MonkeyPatch, settings) -> None:
    monkeypatch.setitem(TERMINALS, "card-only", f"{__name__}.CardOnlyTerminal")
    settings.PAYMENT_TERMINAL = "card-only"


def test_the_terminal_is_the_one_the_setting_names(settings):
    settings.PAYMENT_TERMINAL = "simulator"

    assert isinstance(get_terminal(), SimulatedTerminal)


def test_a_terminal_name_that_is_not_registered_is_a_configuration_error(settings):
    settings.PAYMENT_TERMINAL = "cash-drawer"

    with pytest.raises(ImproperlyConfigured, match="'cash-drawer' is not one of"):
        get_terminal()


def test_the_kiosk_plays_the_customer_of_the_simulator(settings):
    settings.PAYMENT_TERMINAL = "simulator"

    terminal = customer_playable_terminal()

    assert isinstance(terminal, SimulatedTerminal)
    assert [outcome for outcome, _label in terminal.customer_outcomes()] == [
        "approve",
        "decline",
        "timeout",
        "cancel",
        "unresponsive",
    ]


def test_a_terminal_without_customer_outcomes_is_not_played(monkeypatch, settings):
    use_card_only_terminal(monkeypatch, settings)

    assert isinstance(get_terminal(), CardOnlyTerminal)
    assert customer_playable_terminal() is None
