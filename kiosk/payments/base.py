"""The payment-terminal contract.

The kiosk never touches card data: it asks a semi-integrated terminal to take
an amount for an order and reads back approved or declined, with what a card
receipt must show (brand, masked number, application, authorisation code,
terminal and transaction references) and nothing else (PCI SAQ P2PE). Every
call names the attempt by the key the kiosk stored before calling, so a
retried call can never charge twice.

This module is plain Python: a terminal gets its configuration as a
`TerminalConfig` and needs nothing of Django. What only some terminals can
do is a capability of its own (`CardRefunds`, `TerminalCheckable`,
`TransactionsReport`, `CustomerPlayable`): the kiosk asks `isinstance`, never
a vendor's name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable


class TerminalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"
    FAILED = "failed"


class TerminalEnvironment(StrEnum):
    TEST = "test"
    LIVE = "live"


@dataclass(frozen=True)
class TerminalConfig:
    """One kiosk's terminal, as the operator set it up.

    `terminal_id` is the vendor's name for the device (Adyen's POIID, Stripe's
    reader id). `endpoint` replaces the vendor's address when set (a terminal
    on the store's network, an emulator). `credentials` holds secrets (API
    keys, webhook secrets, encryption passphrases), `options` the rest
    (merchant account, communication mode); each terminal documents its keys.
    `sale_id` names the kiosk to the terminal.
    """

    vendor: str
    terminal_id: str = ""
    environment: TerminalEnvironment = TerminalEnvironment.TEST
    endpoint: str = ""
    credentials: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, str] = field(default_factory=dict)
    sale_id: str = "kiosk"


@dataclass(frozen=True)
class CardDetails:
    """What the receipt of a card payment must show, as the terminal gave it.

    `masked_pan` keeps at most the last four digits (for example
    "**** **** **** 1234"): a terminal that answers more is cut to that.
    """

    brand: str = ""
    masked_pan: str = ""
    application_label: str = ""
    aid: str = ""
    auth_code: str = ""
    terminal_id: str = ""
    transaction_reference: str = ""
    entry_mode: str = ""


def mask_pan(value: str) -> str:
    """A card number shown as its last four digits at most, whatever came in."""
    digits = [c for c in value if c.isdigit()]
    if not digits:
        return ""
    return "**** " + "".join(digits[-4:])


@dataclass(frozen=True)
class TerminalResult:
    status: TerminalStatus
    reference: str = ""
    card_brand: str = ""
    auth_code: str = ""
    message: str = ""
    card: CardDetails | None = None

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


class RefundStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class RefundResult:
    status: RefundStatus
    reference: str = ""
    message: str = ""


@runtime_checkable
class CardRefunds(Protocol):
    """Money back to the card of an approved attempt, without the card present."""

    def refund(
        self,
        *,
        refund_key: str,
        attempt_key: str,
        payment_reference: str,
        amount: int,
        currency: str,
    ) -> RefundResult:
        """Give `amount` back for the approved attempt; the same `refund_key` refunds once.

        `payment_reference` is the `TerminalResult.reference` of the approval.
        PENDING when the acquirer has taken the request but not yet settled it.
        Raises TerminalUnavailable when the answer is lost (the caller retries
        with the same key), TerminalRejected when refused (nothing refunded).
        """
        ...


@dataclass(frozen=True)
class TerminalCheck:
    ok: bool
    detail: str


@runtime_checkable
class TerminalCheckable(Protocol):
    def check(self) -> TerminalCheck:
        """Whether the terminal answers and knows its credentials; never raises."""
        ...


@dataclass(frozen=True)
class TerminalTransaction:
    """One transaction as the terminal (or its acquirer) reports it."""

    attempt_key: str
    reference: str
    status: TerminalStatus
    amount: int
    currency: str
    at: datetime | None = None


@runtime_checkable
class TransactionsReport(Protocol):
    def transactions(
        self, *, start: datetime, end: datetime, attempt_keys: list[str]
    ) -> list[TerminalTransaction]:
        """What the terminal reports between `start` and `end`.

        `attempt_keys` are the kiosk's own attempts in that window: a terminal
        that can list everything ignores them, one that can only be asked
        attempt by attempt asks for these. Raises TerminalUnavailable.
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


@dataclass(frozen=True)
class TerminalNotice:
    """A vendor's word that an attempt changed: a hint to read it again, never the truth.

    `attempt_key` names the attempt when the vendor carries it back; else
    `terminal_id` names the device whose current attempt changed.
    """

    attempt_key: str = ""
    terminal_id: str = ""


@dataclass(frozen=True)
class RefundNotice:
    """The acquirer's final word on a refund it had taken (its only answer,
    for a refund there is no status to read back): authenticated by the
    delivery's signature.

    `reference` is the acquirer's reference of the refund (the kiosk keeps it
    from the refund's answer); `payment_reference` and `amount` name the
    refund too when its answer has not been recorded yet.
    """

    reference: str
    payment_reference: str
    amount: int
    status: RefundStatus
    message: str = ""


class NoticeRefused(TerminalError):
    """A notification that is not authentic (signature) or cannot be read."""


class NoticeReader(Protocol):
    def __call__(
        self, *, body: bytes, headers: Mapping[str, str], secrets: list[str]
    ) -> Sequence[TerminalNotice | RefundNotice]:
        """The notices of one vendor webhook delivery, once it is verified.

        `secrets` are the signing secrets the delivery may be signed with (any
        one verifies it). Raises NoticeRefused for a bad signature or a body
        that cannot be read; an event the kiosk does not use gives no notice.
        """
        ...
