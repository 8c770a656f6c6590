"""A simulated semi-integrated payment terminal.

It keeps its transactions in its own table, as a real terminal keeps them in
its memory. It is `CustomerPlayable`: `customer_action` plays the customer at
the terminal, and the payment screen offers its outcomes as keys.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kiosk.models import SimulatedTerminalTransaction
from kiosk.payments.base import (
    CardDetails,
    TerminalConfig,
    TerminalRejected,
    TerminalResult,
    TerminalStatus,
    TerminalUnavailable,
)


class SimulatedOutcome(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    TIMEOUT = "timeout"
    CANCEL = "cancel"
    # The terminal stops answering the kiosk altogether (network cable pulled).
    UNRESPONSIVE = "unresponsive"


OUTCOME_LABELS = {
    SimulatedOutcome.APPROVE: _("Card approved"),
    SimulatedOutcome.DECLINE: _("Card declined"),
    SimulatedOutcome.TIMEOUT: _("No card: terminal times out"),
    SimulatedOutcome.CANCEL: _("Customer cancels on the terminal"),
    SimulatedOutcome.UNRESPONSIVE: _("Terminal stops answering"),
}

_OUTCOME_STATUS = {
    SimulatedOutcome.APPROVE: TerminalStatus.APPROVED,
    SimulatedOutcome.DECLINE: TerminalStatus.DECLINED,
    SimulatedOutcome.TIMEOUT: TerminalStatus.TIMED_OUT,
    SimulatedOutcome.CANCEL: TerminalStatus.CANCELLED,
}

_MESSAGES = {
    TerminalStatus.DECLINED: "Card declined",
    TerminalStatus.TIMED_OUT: "No card presented",
    TerminalStatus.CANCELLED: "Cancelled on the terminal",
}


def _result(row: SimulatedTerminalTransaction) -> TerminalResult:
    status = TerminalStatus(row.status)
    if status == TerminalStatus.APPROVED:
        reference = f"SIM-{row.pk:06d}"
        auth_code = f"{int(row.attempt_key[:8], 16) % 1_000_000:06d}"
        return TerminalResult(
            status=status,
            reference=reference,
            card_brand="VISA",
            auth_code=auth_code,
            card=CardDetails(
                brand="VISA",
                masked_pan="**** 0119",
                application_label="VISA CREDIT",
                aid="A0000000031010",
                auth_code=auth_code,
                terminal_id="SIMULATOR",
                transaction_reference=reference,
                entry_mode="contactless",
            ),
        )
    return TerminalResult(status=status, message=_MESSAGES.get(status, ""))


class SimulatedTerminal:
    def __init__(self, *, config: TerminalConfig | None = None) -> None:
        self.config = config or TerminalConfig(vendor="simulator")

    def payment_start(
        self, *, attempt_key: str, amount: int, currency: str, reference: str
    ) -> None:
        if amount <= 0:
            raise TerminalRejected("amount must be positive")
        SimulatedTerminalTransaction.objects.get_or_create(
            attempt_key=attempt_key,
            defaults={
                "amount": amount,
                "currency": currency,
                "reference": reference,
                "status": TerminalStatus.PENDING,
            },
        )

    def _row(self, attempt_key: str) -> SimulatedTerminalTransaction:
        row = SimulatedTerminalTransaction.objects.filter(
            attempt_key=attempt_key
        ).first()
        if row is None:
            raise TerminalRejected("unknown attempt")
        if row.is_unresponsive:
            raise TerminalUnavailable("terminal does not answer")
        return row

    def payment_status(self, *, attempt_key: str) -> TerminalResult:
        return _result(self._row(attempt_key))

    @transaction.atomic
    def payment_cancel(self, *, attempt_key: str) -> TerminalResult:
        row = self._row(attempt_key)
        if row.status == TerminalStatus.PENDING:
            row.status = TerminalStatus.CANCELLED
            row.save(update_fields=["status", "updated_at"])
        return _result(row)

    def customer_outcomes(self) -> list[tuple[str, str]]:
        return [
            (outcome.value, str(label)) for outcome, label in OUTCOME_LABELS.items()
        ]

    @transaction.atomic
    def customer_action(self, *, attempt_key: str, outcome: str) -> None:
        """What the customer does at the terminal; ignored once the attempt is over."""
        played = SimulatedOutcome(outcome)
        row = (
            SimulatedTerminalTransaction.objects.select_for_update()
            .filter(attempt_key=attempt_key)
            .first()
        )
        if row is None or row.status != TerminalStatus.PENDING:
            return
        if played == SimulatedOutcome.UNRESPONSIVE:
            row.is_unresponsive = True
        else:
            row.status = _OUTCOME_STATUS[played]
        row.save(update_fields=["status", "is_unresponsive", "updated_at"])
