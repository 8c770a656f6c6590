"""Programmes with a transaction of their own (Capability.SESSION), from
identification to claim.

Identification opens the transaction. Every change of incentives, and once
more before payment, the basket is validated and each rule failure is
written on the incentive it concerns. The transaction is claimed by the
order's posting after payment, held (PENDING) for the counter, and voided
when the order is abandoned, cancelled or its claim refused.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from kiosk.models import Order
from loyalty.http import loyalty_budget
from loyalty.models import (
    OrderLoyalty,
    OutboxMessage,
    OutboxOperation,
    OutboxStatus,
    Redemption,
)
from loyalty.programmes import posting_provider, provider_for
from loyalty.providers.base import (
    BasketCheck,
    Identification,
    LoyaltyError,
    LoyaltyRejected,
    LoyaltyUnavailable,
    OrderPosting,
    Payload,
    SessionProvider,
    as_session,
)
from loyalty.services.outbox import outbox_enqueue
from loyalty.services.postings import posting_from, posting_payment_method

logger = logging.getLogger(__name__)


def _session_of(order: Order) -> OrderLoyalty | None:
    """The member's record on the order, if it has an open programme transaction."""
    return (
        OrderLoyalty.objects.filter(order=order).exclude(session_reference="").first()
    )


def _session_payload(
    provider: SessionProvider, posting: OrderPosting, operation: OutboxOperation
) -> Payload:
    if operation == OutboxOperation.SESSION_VOID:
        return provider.void_payload(posting=posting)
    return provider.hold_payload(posting=posting)


def session_enqueue(
    *, order: Order, operation: OutboxOperation
) -> OutboxMessage | None:
    """Queue a hold (PENDING for the counter) or a void of the member's transaction.

    Once per transaction: a second void of the same one is the first.
    """
    loyalty = _session_of(order)
    if loyalty is None:
        return None
    try:
        provider = as_session(posting_provider(order.store, loyalty.programme))
    except LoyaltyRejected:
        logger.error(
            "programme transaction left open: the store is not connected",
            extra={"order": order.uuid.hex, "operation": operation},
        )
        return None
    if provider is None:
        return None
    posting = posting_from(order, loyalty)
    return outbox_enqueue(
        order=order,
        programme=loyalty.programme,
        operation=operation,
        payload=_session_payload(provider, posting, operation),
        subject=loyalty.session_reference,
    )


def session_discard(
    *, order: Order, provider: SessionProvider, found: Identification
) -> OutboxMessage:
    """A transaction the order will never use (it was cancelled while the
    identification ran): voided from the outbox, never left open."""
    posting = replace(
        posting_from(order, None, programme=provider.name),
        member_reference=found.member.reference,
        session_reference=found.member.session_reference,
    )
    return outbox_enqueue(
        order=order,
        programme=provider.name,
        operation=OutboxOperation.SESSION_VOID,
        payload=provider.void_payload(posting=posting),
        subject=found.member.session_reference,
    )


# The customer may type the same code again at once (the programme then
# answers the same transaction): the search for a lost one waits this long.
LOST_SESSION_GRACE = timedelta(seconds=30)


def _lost_subject(identifier: str) -> str:
    return "lost-" + hashlib.sha256(identifier.encode()).hexdigest()[:16]


def session_lost_enqueue(
    *, order: Order, programme: str, payload: Payload, identifier: str
) -> OutboxMessage:
    """An identification got no answer: the outbox finds the transaction it
    may have opened, and voids it (SessionUnconfirmed.void_payload)."""
    message = outbox_enqueue(
        order=order,
        programme=programme,
        operation=OutboxOperation.SESSION_VOID,
        payload=payload,
        subject=_lost_subject(identifier),
    )
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.PENDING).update(
        next_attempt_at=timezone.now() + LOST_SESSION_GRACE
    )
    return message


def session_lost_forget(*, order: Order, identifier: str) -> None:
    """The same identification answered after all: its transaction is the
    order's now, and must not be voided as lost."""
    OutboxMessage.objects.filter(
        order=order,
        operation=OutboxOperation.SESSION_VOID,
        status=OutboxStatus.PENDING,
        idempotency_key__endswith=f":{_lost_subject(identifier)}",
    ).update(
        status=OutboxStatus.DONE,
        done_at=timezone.now(),
        last_error="superseded: the identification was answered again",
    )


@dataclass(frozen=True)
class ValidationResult:
    is_checked: bool  # False when the programme did not answer
    issues: int = 0


def basket_validate(
    *, order: Order, provider: SessionProvider, payment_method: str = ""
) -> ValidationResult:
    """Dry-run the basket as it will be claimed; each incentive's rule failure
    goes on its redemption.

    `payment_method`: the one the customer is choosing at checkout, before
    the order records it; otherwise the order's own (none while a draft).
    """
    loyalty = _session_of(order)
    if loyalty is None:
        return ValidationResult(is_checked=False)
    posting = posting_from(order, loyalty)
    if payment_method:
        posting = replace(
            posting, payment_method=posting_payment_method(payment_method)
        )
    try:
        with loyalty_budget():
            check = provider.basket_validate(posting=posting)
    except LoyaltyError as err:
        logger.info(
            "basket validation unavailable",
            extra={"code": err.code, "error": err.message},
        )
        return ValidationResult(is_checked=False)
    _record(order, loyalty, check)
    return ValidationResult(is_checked=True, issues=len(check.issues))


@transaction.atomic
def _record(order: Order, loyalty: OrderLoyalty, check: BasketCheck) -> None:
    for redemption in Redemption.objects.filter(order=order):
        issue = next(
            (
                i
                for i in check.issues
                if i.reward_reference
                in {redemption.reward_reference, redemption.engine_reference}
            ),
            None,
        )
        redemption.issue_rule = issue.code if issue else ""
        redemption.issue_current = issue.current if issue else None
        redemption.issue_target = issue.target if issue else None
        redemption.save(update_fields=["issue_rule", "issue_current", "issue_target"])
    if not check.issues:
        loyalty.points_projected = check.points_earned
        loyalty.balance_projected = check.balance_after
        loyalty.save(update_fields=["points_projected", "balance_projected"])


def loyalty_basket_check(*, order: Order, payment_method: str = "") -> ValidationResult:
    """Once more before payment: the programme checks the basket as it will be
    claimed, for the payment method the customer chose."""
    found = provider_for(order.store)
    provider = as_session(found) if found is not None else None
    if provider is None or not Redemption.objects.filter(order=order).exists():
        return ValidationResult(is_checked=False)
    return basket_validate(
        order=order, provider=provider, payment_method=payment_method
    )


class Rescan(StrEnum):
    SAME_MEMBER = "same_member"
    OTHER_MEMBER = "other_member"


def rescan(
    *,
    order: Order,
    provider: SessionProvider,
    current: OrderLoyalty,
    found: Identification,
) -> Rescan:
    """A second scan on the same order (rbi.md §7, rescan rules).

    The same member: the previous transaction is voided (waiting for the
    answer) and the whole basket goes on the new one. Another member: the new
    transaction is voided and the first one kept.
    """
    if found.member.reference != current.member_reference:
        theirs = replace(
            posting_from(order, current),
            member_reference=found.member.reference,
            session_reference=found.member.session_reference,
        )
        _send_now_or_queue(
            order, current, OutboxOperation.SESSION_VOID, provider, theirs
        )
        return Rescan.OTHER_MEMBER
    previous = posting_from(order, current)
    _send_now_or_queue(order, current, OutboxOperation.SESSION_VOID, provider, previous)
    OrderLoyalty.objects.filter(pk=current.pk).update(
        session_reference=found.member.session_reference,
        points_before=found.member.points,
    )
    current.refresh_from_db()
    if Redemption.objects.filter(order=order).exists():
        _send_now_or_queue(
            order,
            current,
            OutboxOperation.SESSION_HOLD,
            provider,
            posting_from(order, current),
        )
    return Rescan.SAME_MEMBER


def _send_now_or_queue(
    order: Order,
    loyalty: OrderLoyalty,
    operation: OutboxOperation,
    provider: SessionProvider,
    posting: OrderPosting,
) -> None:
    """Wait for the programme's answer; if it does not come, the outbox carries on."""
    payload = _session_payload(provider, posting, operation)
    try:
        with loyalty_budget():
            if operation == OutboxOperation.SESSION_VOID:
                provider.void_deliver(payload=payload)
            else:
                provider.hold_deliver(payload=payload)
        return
    except (LoyaltyUnavailable, LoyaltyRejected) as err:
        logger.info(
            "session call left to the outbox",
            extra={"code": err.code, "operation": operation},
        )
    outbox_enqueue(
        order=order,
        programme=loyalty.programme,
        operation=operation,
        payload=payload,
        subject=posting.session_reference,
    )
