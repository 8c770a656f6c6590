"""The day's card payments, as the kiosk has them and as each terminal reports them.

For each kiosk terminal that can report its transactions, every difference is
listed for staff: a card approved on the terminal that the kiosk does not
have as approved, amounts that differ, an approval the terminal does not
know, attempts whose outcome is unknown, approvals that paid no order, and
card refunds still pending or refused.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import Count
from django.utils import timezone

from kiosk.models import (
    CardRefund,
    KioskTerminal,
    OrderState,
    Payment,
    PaymentChannel,
    PaymentStatus,
    RefundStatusChoice,
    Store,
)
from kiosk.payments import get_terminal
from kiosk.payments.base import (
    TerminalStatus,
    TerminalTransaction,
    TerminalUnavailable,
    TransactionsReport,
)
from kiosk.services.terminals import terminal_config

logger = logging.getLogger(__name__)

_PAID_STATES = {OrderState.PAID, OrderState.COMPLETED, OrderState.REFUNDED}


class MismatchKind(StrEnum):
    TERMINAL_ONLY = "terminal_only"
    AMOUNT_DIFFERS = "amount_differs"
    KIOSK_ONLY = "kiosk_only"
    UNKNOWN_ATTEMPT = "unknown_attempt"
    ORDER_NOT_PAID = "order_not_paid"
    REFUND_PENDING = "refund_pending"
    REFUND_FAILED = "refund_failed"


MISMATCH_LABELS = {
    MismatchKind.TERMINAL_ONLY: "Approved on the terminal, not on the kiosk",
    MismatchKind.AMOUNT_DIFFERS: "Amounts differ",
    MismatchKind.KIOSK_ONLY: "Approved on the kiosk, unknown to the terminal",
    MismatchKind.UNKNOWN_ATTEMPT: "Outcome unknown: check the terminal",
    MismatchKind.ORDER_NOT_PAID: "Approved, but the order was not paid by it: refund",
    MismatchKind.REFUND_PENDING: "Card refund pending",
    MismatchKind.REFUND_FAILED: "Card refund refused: refund by other means",
}


@dataclass(frozen=True)
class Mismatch:
    kind: MismatchKind
    attempt_key: str
    payment: Payment | None = None
    kiosk_amount: int | None = None
    terminal_amount: int | None = None
    detail: str = ""

    @property
    def label(self) -> str:
        return MISMATCH_LABELS[self.kind]


@dataclass(frozen=True)
class TerminalReconciliation:
    terminal: KioskTerminal
    currency: str
    is_reported: bool = True
    error: str = ""
    kiosk_approved_count: int = 0
    kiosk_approved_total: int = 0
    terminal_approved_count: int = 0
    terminal_approved_total: int = 0
    refunded_total: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def is_balanced(self) -> bool:
        return self.is_reported and not self.error and not self.mismatches


@dataclass(frozen=True)
class Reconciliation:
    day: date
    terminals: list[TerminalReconciliation]

    @property
    def mismatch_count(self) -> int:
        return sum(len(item.mismatches) for item in self.terminals)


def reconciliation_default_day() -> date:
    """Today in the store's time zone (the first store's, with several)."""
    store = Store.objects.order_by("pk").first()
    return store.local_now().date() if store else timezone.localdate()


def reconciliation_for_day(*, day: date) -> Reconciliation:
    terminals = KioskTerminal.objects.select_related("kiosk__store").order_by(
        "kiosk__store__name", "kiosk__name"
    )
    return Reconciliation(
        day=day, terminals=[terminal_reconcile(terminal=t, day=day) for t in terminals]
    )


def _window(store: Store, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=store.tz)
    return start, start + timedelta(days=1)


def terminal_reconcile(*, terminal: KioskTerminal, day: date) -> TerminalReconciliation:
    """One terminal's day: the kiosk's attempts against the terminal's report."""
    store = terminal.kiosk.store
    start, end = _window(store, day)
    payments = list(
        Payment.objects.filter(
            kiosk_terminal=terminal,
            channel=PaymentChannel.TERMINAL,
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("order")
        .order_by("created_at", "id")
    )
    approved = [p for p in payments if p.status == PaymentStatus.APPROVED]
    base = TerminalReconciliation(
        terminal=terminal,
        currency=store.currency,
        kiosk_approved_count=len(approved),
        kiosk_approved_total=sum(p.amount for p in approved),
        refunded_total=_refunded_total(terminal, start, end),
    )
    device = get_terminal(terminal_config(terminal))
    if not isinstance(device, TransactionsReport):
        return replace(base, is_reported=False)
    try:
        reported = device.transactions(
            start=start, end=end, attempt_keys=[p.attempt_key for p in payments]
        )
    except TerminalUnavailable as err:
        logger.warning("terminal report unavailable", extra={"terminal": terminal.pk})
        return replace(base, error=str(err) or "No answer.")
    terminal_approved = [t for t in reported if t.status == TerminalStatus.APPROVED]
    mismatches = [
        *_compare(payments, reported),
        *_payment_issues(payments, _paid_otherwise(approved)),
        *_refund_issues(terminal, start, end),
    ]
    return replace(
        base,
        terminal_approved_count=len(terminal_approved),
        terminal_approved_total=sum(t.amount for t in terminal_approved),
        mismatches=mismatches,
    )


def _compare(
    payments: list[Payment], reported: list[TerminalTransaction]
) -> Iterable[Mismatch]:
    ours = {p.attempt_key: p for p in payments}
    # An attempt the terminal reports may have started just before the window.
    keys = [t.attempt_key for t in reported if t.attempt_key not in ours]
    ours.update(
        {p.attempt_key: p for p in Payment.objects.filter(attempt_key__in=keys)}
    )
    theirs = {t.attempt_key: t for t in reported}
    for item in reported:
        if item.status != TerminalStatus.APPROVED:
            continue
        payment = ours.get(item.attempt_key)
        if payment is None or payment.status not in {
            PaymentStatus.APPROVED,
            PaymentStatus.UNKNOWN,
        }:
            yield Mismatch(
                MismatchKind.TERMINAL_ONLY,
                item.attempt_key,
                payment=payment,
                kiosk_amount=payment.amount if payment else None,
                terminal_amount=item.amount,
                detail=item.reference,
            )
        elif payment.amount != item.amount:
            yield Mismatch(
                MismatchKind.AMOUNT_DIFFERS,
                item.attempt_key,
                payment=payment,
                kiosk_amount=payment.amount,
                terminal_amount=item.amount,
                detail=item.reference,
            )
    for payment in payments:
        other = theirs.get(payment.attempt_key)
        if payment.status == PaymentStatus.APPROVED and (
            other is None or other.status != TerminalStatus.APPROVED
        ):
            yield Mismatch(
                MismatchKind.KIOSK_ONLY,
                payment.attempt_key,
                payment=payment,
                kiosk_amount=payment.amount,
                terminal_amount=other.amount if other else None,
                detail=payment.reference,
            )


def _paid_otherwise(approved: list[Payment]) -> set[int]:
    """Orders of these approvals that have more than one approved payment."""
    return set(
        Payment.objects.filter(
            order__in=[p.order_id for p in approved], status=PaymentStatus.APPROVED
        )
        .values("order_id")
        .annotate(approvals=Count("id"))
        .filter(approvals__gt=1)
        .values_list("order_id", flat=True)
    )


def _payment_issues(
    payments: list[Payment], paid_otherwise: set[int]
) -> Iterable[Mismatch]:
    for payment in payments:
        if payment.status == PaymentStatus.UNKNOWN:
            yield Mismatch(
                MismatchKind.UNKNOWN_ATTEMPT,
                payment.attempt_key,
                payment=payment,
                kiosk_amount=payment.amount,
                detail=payment.message,
            )
        elif payment.status == PaymentStatus.APPROVED and (
            payment.order.state not in _PAID_STATES
            or payment.order_id in paid_otherwise
        ):
            yield Mismatch(
                MismatchKind.ORDER_NOT_PAID,
                payment.attempt_key,
                payment=payment,
                kiosk_amount=payment.amount,
                detail=f"order {payment.order} is {payment.order.get_state_display()}",
            )


def _refund_issues(
    terminal: KioskTerminal, start: datetime, end: datetime
) -> Iterable[Mismatch]:
    refunds = CardRefund.objects.filter(
        payment__kiosk_terminal=terminal,
        created_at__gte=start,
        created_at__lt=end,
        status__in=[RefundStatusChoice.PENDING, RefundStatusChoice.FAILED],
    ).select_related("payment")
    for refund in refunds.order_by("created_at", "id"):
        kind = (
            MismatchKind.REFUND_PENDING
            if refund.status == RefundStatusChoice.PENDING
            else MismatchKind.REFUND_FAILED
        )
        yield Mismatch(
            kind,
            refund.payment.attempt_key,
            payment=refund.payment,
            kiosk_amount=refund.amount,
            detail=refund.message,
        )


def _refunded_total(terminal: KioskTerminal, start: datetime, end: datetime) -> int:
    refunds = CardRefund.objects.filter(
        payment__kiosk_terminal=terminal,
        created_at__gte=start,
        created_at__lt=end,
        status=RefundStatusChoice.SUCCEEDED,
    )
    return sum(refund.amount for refund in refunds)
