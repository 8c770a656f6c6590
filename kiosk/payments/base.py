"""The payment-terminal contract.

The kiosk never touches card data: it asks a semi-integrated terminal to take
an amount for an order and reads back approved or declined, the card brand and
an authorisation code (PCI SAQ P2PE). Every call names the attempt by the key
the kiosk stored before calling, so a retried call can never charge twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable


class TerminalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"
    FAILED = "failed"


@dataclass(frozen=True)
class TerminalResult:
    status: TerminalStatus
    reference: str = ""
    card_brand: str = ""
    auth_code: str = ""
    message: str = ""

    @property
    def is_final(self) -> bool:
        return self.status != TerminalStatus.PENDING


class TerminalError(Exception):
    pass


class TerminalUnavailable(TerminalError):
    """The terminal could not be reached: what happened on it is not known."""


class TerminalRejected(TerminalError):
    """The terminal refused the request (busy, unknown attempt): nothing was charged."""


class PaymentTerminal(Protocol):
    def payment_start(
        self, *, attempt_key: str, amount: int, currency: str, reference: str
    ) -> None:
        """Show `amount` (minor units) on the terminal and wait for the customer's card.

        Returns as soon as the terminal has taken the request; the outcome comes
        from `payment_status`. Starting a known `attempt_key` again changes
        nothing. Raises TerminalRejected when the terminal refuses, and
        TerminalUnavailable when it cannot be reached; then the attempt may or
        may not have started, so the caller must ask `payment_status`, never
        assume it failed.
        """
        ...

    def payment_status(self, *, attempt_key: str) -> TerminalResult:
        """The attempt's current state: PENDING until the customer is done.

        Raises TerminalUnavailable when the terminal does not answer, and
        TerminalRejected for an attempt it does not know.
        """
        ...

    def payment_cancel(self, *, attempt_key: str) -> TerminalResult:
        """Ask the terminal to abandon a pending attempt.

        Returns the final state, which is APPROVED when the card went through
        before the cancel arrived: the caller must read it, not assume CANCELLED.
        Raises TerminalUnavailable when the terminal does not answer.
        """
        ...


@runtime_checkable
class CustomerPlayable(Protocol):
    """What a terminal may also offer: the kiosk plays its customer (demos, tests).

    A terminal that has it gets keys on the kiosk's payment screen, one per
    outcome, and the key pressed is passed on to the terminal. A real terminal
    leaves it out: its customer is at the terminal.
    """

    def customer_outcomes(self) -> list[tuple[str, str]]:
        """(outcome, label) of each key, in the order the screen shows them."""
        ...

    def customer_action(self, *, attempt_key: str, outcome: str) -> None:
        """The customer does `outcome` at the terminal for this attempt.

        Ignored once the attempt is over; ValueError for an unknown outcome.
        """
        ...
