"""Terminal vendors' webhooks: a hint that an attempt changed, or a refund's end.

A notice about an attempt is never taken as the outcome: the attempt it
names is read again from its terminal and resolved as the payment screen
would (`payment_poll`), so it reaches the one "paid" path (`order_mark_paid`)
once, whether the webhook, the screen or the worker reads the answer first.
A refund notice is the acquirer's final word on a refund that has no status
to read back (Adyen's REFUND): it settles the pending refund it names.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import StrEnum

from django.conf import settings

from kiosk.models import Payment, PaymentChannel, PaymentStatus
from kiosk.payments import notice_reader
from kiosk.payments.base import NoticeRefused, RefundNotice, TerminalNotice
from kiosk.services.payments import payment_poll, payment_unknown_settle
from kiosk.services.refunds import card_refund_notified
from kiosk.services.terminals import kiosk_terminal_secrets

logger = logging.getLogger(__name__)

_OPEN = [PaymentStatus.CREATED, PaymentStatus.PENDING, PaymentStatus.UNKNOWN]


class NoticeOutcome(StrEnum):
    ACCEPTED = "accepted"
    IGNORED = "ignored"  # authentic, but about nothing the kiosk has open
    REFUSED = "refused"  # not authentic, or not readable
    UNKNOWN_VENDOR = "unknown vendor"


def payment_terminal_notified(
    *, vendor: str, body: bytes, headers: Mapping[str, str]
) -> NoticeOutcome:
    """Verify a vendor's delivery, then read again each attempt it names."""
    reader = notice_reader(vendor)
    if reader is None:
        return NoticeOutcome.UNKNOWN_VENDOR
    secrets = _secrets(vendor)
    try:
        notices = reader(body=body, headers=headers, secrets=secrets)
    except NoticeRefused as err:
        logger.warning(
            "terminal webhook refused", extra={"vendor": vendor, "why": str(err)}
        )
        return NoticeOutcome.REFUSED
    outcome = NoticeOutcome.IGNORED
    for notice in notices:
        if isinstance(notice, RefundNotice):
            if card_refund_notified(notice=notice, vendor=vendor) is not None:
                outcome = NoticeOutcome.ACCEPTED
            continue
        payment = _open_payment(vendor, notice)
        if payment is None:
            continue
        outcome = NoticeOutcome.ACCEPTED
        if payment.status == PaymentStatus.UNKNOWN:
            payment_unknown_settle(payment=payment)
        else:
            payment_poll(payment=payment)
    return outcome


def _secrets(vendor: str) -> list[str]:
    configured = str(settings.PAYMENT_WEBHOOK_SECRETS.get(vendor, ""))
    return [s for s in [configured, *kiosk_terminal_secrets(vendor=vendor)] if s]


def _open_payment(vendor: str, notice: TerminalNotice) -> Payment | None:
    payments = Payment.objects.filter(
        channel=PaymentChannel.TERMINAL, terminal_vendor=vendor, status__in=_OPEN
    )
    if notice.attempt_key:
        return payments.filter(attempt_key=notice.attempt_key).first()
    if notice.terminal_id:
        return (
            payments.filter(terminal_id=notice.terminal_id)
            .order_by("created_at", "id")
            .last()
        )
    return None
