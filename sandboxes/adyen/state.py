"""What the emulated terminals hold: their payments, in memory.

A payment waits on its terminal until the control API (or the auto-approve
delay) ends it; a synchronous request waits on the same condition, outside
any database transaction. The sandbox's SQLite file is not used: a terminal
forgets its payments when the sandbox restarts, as a rebooted terminal
forgets its pending one.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class PaymentState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    ABORTED = "aborted"


class TerminalMode(StrEnum):
    NORMAL = "normal"
    # The card goes through even when the cashier's abort arrives.
    CARD_AFTER_ABORT = "card_after_abort"
    # The terminal takes requests and never answers (cable pulled).
    SILENT = "silent"


@dataclass
class Payment:
    number: int
    sale_id: str
    service_id: str
    poiid: str
    transaction_id: str
    sale_reference: str
    amount: Decimal
    currency: str
    timestamp: str
    state: PaymentState = PaymentState.PENDING
    psp_reference: str = ""

    @property
    def is_final(self) -> bool:
        return self.state != PaymentState.PENDING

    def to_json(self) -> dict[str, Any]:
        return {
            "sale_id": self.sale_id,
            "service_id": self.service_id,
            "poiid": self.poiid,
            "transaction_id": self.transaction_id,
            "sale_reference": self.sale_reference,
            "amount": str(self.amount),
            "currency": self.currency,
            "state": self.state.value,
            "psp_reference": self.psp_reference,
        }


@dataclass
class Refund:
    psp_reference: str
    payment_psp_reference: str
    amount: int
    currency: str
    reference: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Terminals:
    condition: threading.Condition = field(default_factory=threading.Condition)
    payments: dict[tuple[str, str], Payment] = field(default_factory=dict)
    modes: dict[str, TerminalMode] = field(default_factory=dict)
    # Terminals whose next answer carrying a payment's result is cut.
    cut_answers: set[str] = field(default_factory=set)
    refunds: list[Refund] = field(default_factory=list)
    # What the REFUND notification of the refunds to come says: success, or
    # the acquirer's refusal with this reason.
    refund_refusal: str = ""
    generation: int = 0
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def clear(self) -> None:
        with self.condition:
            self.payments.clear()
            self.modes.clear()
            self.cut_answers.clear()
            self.refunds.clear()
            self.refund_refusal = ""
            self._numbers = itertools.count(1)
            # Wakes every waiting request: they answer as the terminal restarts.
            self.generation += 1
            self.condition.notify_all()

    def next_number(self) -> int:
        return next(self._numbers)

    def mode(self, poiid: str) -> TerminalMode:
        return self.modes.get(poiid, TerminalMode.NORMAL)

    def answer_is_cut(self, poiid: str) -> bool:
        """Whether this answer (it carries a payment's result) is lost; once."""
        with self.condition:
            if poiid not in self.cut_answers:
                return False
            self.cut_answers.discard(poiid)
            return True

    def pending(self, poiid: str) -> Payment | None:
        for payment in self.payments.values():
            if payment.poiid == poiid and not payment.is_final:
                return payment
        return None

    def latest(self, poiid: str) -> Payment | None:
        found = [p for p in self.payments.values() if p.poiid == poiid]
        return max(found, key=lambda p: p.number) if found else None

    def by_psp(self, psp_reference: str) -> Payment | None:
        for payment in self.payments.values():
            if payment.psp_reference == psp_reference:
                return payment
        return None

    def settle(self, payment: Payment, state: PaymentState) -> None:
        """End a pending payment (under the condition); ignored once it is over."""
        if payment.is_final:
            return
        payment.state = state
        if state == PaymentState.APPROVED:
            payment.psp_reference = f"SBX{payment.number:013d}"
        self.condition.notify_all()

    def wait_final(self, payment: Payment, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        generation = self.generation
        with self.condition:
            while not payment.is_final and self.generation == generation:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                self.condition.wait(remaining)

    def wait_forever(self, timeout_s: float) -> None:
        """A silent terminal: hold the request until reset or `timeout_s`."""
        generation = self.generation
        deadline = time.monotonic() + timeout_s
        with self.condition:
            while self.generation == generation:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                self.condition.wait(remaining)
