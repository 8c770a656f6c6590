"""A simulated semi-integrated payment terminal.

It keeps its transactions in its own table, as a real terminal keeps them in
its memory. It is `CustomerPlayable`: `customer_action` plays the customer at
the terminal, and the payment screen offers its outcomes as keys. It also has
every other capability (`CardRefunds`, `TerminalCheckable`,
`TransactionsReport`), so refunds and reconciliation work without a vendor.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from kiosk.models import SimulatedTerminalRefund, SimulatedTerminalTransaction
from kiosk.payments.base import (
    CardDetails,
    RefundResult,
    RefundStatus,
    TerminalCheck,
    TerminalConfig,
    TerminalRejected,
    TerminalResult,
    TerminalStatus,
    TerminalTransaction,
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


def _reference(row: SimulatedTerminalTransaction) -> str:
    return f"SIM-{row.pk:06d}"


def _result(row: SimulatedTerminalTransaction) -> TerminalResult:
    status = TerminalStatus(row.status)
    if status == TerminalStatus.APPROVED:
        reference = _reference(row)
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
                terminal_id=row.terminal_id or "SIMULATOR",
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
                "terminal_id": self.config.terminal_id,
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

    @transaction.atomic
    def refund(
        self,
        *,
        refund_key: str,
        attempt_key: str,
        payment_reference: str,
        amount: int,
        currency: str,
    ) -> RefundResult:
        """Refunds an approved transaction, at most what it took; once per key."""
        done = SimulatedTerminalRefund.objects.filter(refund_key=refund_key).first()
        if done is not None:
            return RefundResult(
                RefundStatus.SUCCEEDED, reference=_refund_reference(done)
            )
        row = (
            SimulatedTerminalTransaction.objects.select_for_update()
            .filter(attempt_key=attempt_key)
            .first()
        )
        if row is None or row.status != TerminalStatus.APPROVED:
            raise TerminalRejected("no approved transaction to refund")
        if row.is_unresponsive:
            raise TerminalUnavailable("terminal does not answer")
        if payment_reference != _reference(row):
            raise TerminalRejected("the reference is not this transaction's")
        refunded = row.refunds.aggregate(total=Sum("amount"))["total"] or 0
        if amount <= 0 or refunded + amount > row.amount:
            raise TerminalRejected("more than the transaction took")
        done = SimulatedTerminalRefund.objects.create(
            refund_key=refund_key, transaction=row, amount=amount, currency=currency
        )
        return RefundResult(RefundStatus.SUCCEEDED, reference=_refund_reference(done))

    def check(self) -> TerminalCheck:
        name = self.config.terminal_id or "SIMULATOR"
        return TerminalCheck(ok=True, detail=f"Simulated terminal {name} answers.")

    def transactions(
        self, *, start: datetime, end: datetime, attempt_keys: list[str]
    ) -> list[TerminalTransaction]:
        """Every attempt this simulated device took in the window."""
        rows = SimulatedTerminalTransaction.objects.filter(
            terminal_id=self.config.terminal_id,
            created_at__gte=start,
            created_at__lt=end,
        ).order_by("created_at", "pk")
        return [
            TerminalTransaction(
                attempt_key=row.attempt_key,
                reference=_reference(row)
                if row.status == TerminalStatus.APPROVED
                else "",
                status=TerminalStatus(row.status),
                amount=row.amount,
                currency=row.currency,
                at=row.created_at,
            )
            for row in rows
        ]


def _refund_reference(refund: SimulatedTerminalRefund) -> str:
    return f"SIM-R{refund.pk:06d}"
