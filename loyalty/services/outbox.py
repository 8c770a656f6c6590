"""The loyalty outbox: calls that must reach the programme, written in the same
transaction as their cause and delivered by `manage.py loyalty_worker`.

Delivery is at least once and every operation is idempotent on its key (the
order's uuid for postings), so a crash, a timeout or an outage at any moment
never loses a posting and never posts twice. The claim is a conditional
UPDATE (SQLite has no SKIP LOCKED); a row whose worker died is taken again
when its lease ends.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kiosk.broadcast import order_status_broadcast
from kiosk.models import LineKind, Order, OrderLine, PaymentChannel, plu_for
from kiosk.money import tax_included
from kiosk.selectors import order_line_trees
from loyalty.models import (
    OrderLoyalty,
    OutboxMessage,
    OutboxOperation,
    OutboxStatus,
    PongoConnection,
    Programme,
    RbiConnection,
    Redemption,
    RedemptionKind,
)
from loyalty.providers import posting_provider, programme_store, store_programme
from loyalty.providers.base import (
    LoyaltyProvider,
    LoyaltyRejected,
    LoyaltyUnavailable,
    OrderPosting,
    PostedLine,
)
from loyalty.services.redemptions import redemptions_release
from loyalty.services.sessions import session_enqueue

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 300.0
# After this long, blind retries stop: staff reconcile with the programme.
GIVE_UP_AFTER = timedelta(hours=24)


def _line_kind(line: OrderLine, redemption: Redemption | None) -> str:
    if redemption is not None:
        return "offer" if redemption.kind == RedemptionKind.OFFER else "reward"
    return "combo" if line.kind == LineKind.COMBO else "item"


def _plu(line: OrderLine, vendor: str) -> str:
    if line.product is not None and vendor:
        return plu_for(line.product, vendor)
    return line.plu


def _posted_lines(
    order: Order, redemptions: list[Redemption], vendor: str
) -> list[PostedLine]:
    by_line = {r.line_id: r for r in redemptions if r.line_id is not None}
    lines = []
    for tree in order_line_trees(order):
        redemption = by_line.get(tree.line.pk)
        for line, units in tree.walk():
            own = redemption if line.pk == tree.line.pk else None
            lines.append(
                PostedLine(
                    sku=line.sku or tree.line.sku,
                    name=line.name,
                    quantity=units,
                    unit_amount=line.unit_price,
                    reward_reference=own.reward_reference if own else "",
                    owned_reference=own.owned_reference
                    if own and own.kind != RedemptionKind.OFFER
                    else "",
                    plu=own.line_code if own and own.line_code else _plu(line, vendor),
                    kind=_line_kind(line, own),
                    reference_id=str(line.pk),
                    parent_reference_id=str(line.parent_id) if line.parent_id else "",
                    tax_amount=tax_included(line.unit_price, line.tax_rate),
                    engine_reference=own.engine_reference if own else "",
                    is_personalised=bool(own and own.is_personalised),
                )
            )
    for redemption in redemptions:
        if redemption.discount is None:
            continue
        lines.append(
            PostedLine(
                sku="VOUCHER",
                name=redemption.reward_name,
                quantity=1,
                unit_amount=-redemption.discount.amount,
                reward_reference=redemption.reward_reference,
                owned_reference=redemption.owned_reference,
                coupon_code=redemption.coupon_code,
            )
        )
    return lines


def posting_from(order: Order, loyalty: OrderLoyalty | None) -> OrderPosting:
    """The order as the programme needs it, frozen now (a guest: no member)."""
    # Read afresh: the caller's copy may predate the lines just added.
    order = Order.objects.select_related("kiosk", "store").get(pk=order.pk)
    assert order.kiosk is not None
    redemptions = list(
        Redemption.objects.filter(order=order).select_related("discount")
    )
    card = order.payments.filter(
        channel=PaymentChannel.TERMINAL, status="approved"
    ).first()
    connection = RbiConnection.objects.filter(store_id=order.store_id).first()
    vendor = connection.supporting_pos.lower() if connection else ""
    return OrderPosting(
        order_reference=order.uuid.hex,
        store=programme_store(order.kiosk),
        created_at=order.created_at,
        service_mode=order.service_mode,
        amount=order.total,
        tax_amount=order.tax_total,
        lines=tuple(_posted_lines(order, redemptions, vendor)),
        payment_method="card" if card else "cash",
        member_reference=loyalty.member_reference if loyalty else "",
        member_phone=loyalty.member_phone if loyalty else "",
        reward_references=tuple(
            r.reward_reference for r in redemptions if r.kind != RedemptionKind.OFFER
        ),
        session_reference=loyalty.session_reference if loyalty else "",
        terminal=order.kiosk.code,
        card_brand=card.card_brand if card else "",
    )


def provider_of(order: Order, programme: str) -> LoyaltyProvider:
    """The programme's provider for this order's store, if it is still connected."""
    if programme == Programme.PONGO:
        connected = (
            PongoConnection.objects.filter(store_id=order.store_id)
            .exclude(access_token="")
            .exists()
        )
    else:
        connected = RbiConnection.objects.filter(store_id=order.store_id).exists()
    if not connected:
        raise LoyaltyRejected("the store is not connected to its programme any more")
    return posting_provider(order.store, programme)


def outbox_order_paid(*, order: Order) -> OutboxMessage | None:
    """The order is paid: queue its posting (inside the "paid" transaction).

    Orders without an identified member are not posted: the programme needs a
    phone number or a member id to give points.
    """
    loyalty = OrderLoyalty.objects.filter(order=order).first()
    programme = loyalty.programme if loyalty else store_programme(order.store)
    if order.kiosk is None or not programme:
        return None
    if loyalty is None and programme != Programme.RBI:
        return None  # Pongo gives points to members only; RBI records guests' sales
    provider = posting_provider(order.store, programme)
    payload = provider.posting_payload(posting=posting_from(order, loyalty))
    message, _created = OutboxMessage.objects.get_or_create(
        idempotency_key=f"{order.uuid.hex}:order_post",
        defaults={
            "order": order,
            "programme": programme,
            "operation": OutboxOperation.ORDER_POST,
            "payload": payload,
            "next_attempt_at": timezone.now(),
        },
    )
    return message


def outbox_order_cancelled(*, order: Order) -> None:
    """A cancelled order gives back what it held: Pongo reward locks, RBI points."""
    redemptions_release(order=order)
    session_enqueue(order=order, operation=OutboxOperation.SESSION_VOID)


def outbox_order_refunded(*, order: Order) -> OutboxMessage | None:
    """The paid order was refunded: queue taking back what its posting gave.

    An order that was never posted (a guest at Pongo, or a posting the
    programme refused) has nothing to take back. The refund is sent only once
    the posting has been delivered (see `_call`)."""
    posting = _posting_of(order)
    if posting is None or posting.status == OutboxStatus.FAILED:
        return None
    loyalty = OrderLoyalty.objects.filter(order=order).first()
    provider = posting_provider(order.store, posting.programme)
    payload = provider.refund_payload(posting=posting_from(order, loyalty))
    message, _created = OutboxMessage.objects.get_or_create(
        idempotency_key=f"{order.uuid.hex}:order_refund",
        defaults={
            "order": order,
            "programme": posting.programme,
            "operation": OutboxOperation.ORDER_REFUND,
            "payload": payload,
            "next_attempt_at": timezone.now(),
        },
    )
    return message


def _posting_of(order: Order) -> OutboxMessage | None:
    return OutboxMessage.objects.filter(
        order=order, operation=OutboxOperation.ORDER_POST
    ).first()


def outbox_order_awaiting_counter(*, order: Order) -> None:
    """Paying at the counter: the RBI transaction stays open, its rewards held."""
    session_enqueue(order=order, operation=OutboxOperation.SESSION_HOLD)


def _due(now: datetime) -> Q:
    pending = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=OutboxStatus.IN_FLIGHT, lease_until__lt=now)
    return pending | abandoned


def outbox_claim(*, now: datetime | None = None) -> OutboxMessage | None:
    """Take the oldest due message for this worker, or None when nothing is due."""
    now = now or timezone.now()
    for candidate in OutboxMessage.objects.filter(_due(now)).order_by(
        "next_attempt_at", "id"
    )[:5]:
        claimed = OutboxMessage.objects.filter(_due(now), pk=candidate.pk).update(
            status=OutboxStatus.IN_FLIGHT,
            lease_until=now + timedelta(seconds=settings.LOYALTY_OUTBOX_LEASE_SECONDS),
        )
        if claimed:
            candidate.refresh_from_db()
            return candidate
    return None


def _backoff(attempts: int) -> timedelta:
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempts)
    return timedelta(seconds=random.uniform(0, ceiling))  # noqa: S311 (jitter, not crypto)


def _finish(message: OutboxMessage, **fields: Any) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(lease_until=None, **fields)


def outbox_deliver(message: OutboxMessage, *, now: datetime | None = None) -> None:
    """Make one call for a claimed message and record what happened."""
    now = now or timezone.now()
    attempts = message.attempts + 1
    try:
        _call(message)
    except LoyaltyUnavailable as err:
        if now - message.created_at > GIVE_UP_AFTER:
            _finish(
                message,
                status=OutboxStatus.FAILED,
                attempts=attempts,
                last_error=f"no answer for 24 h, reconcile: {err.message}"[:300],
            )
            logger.error(
                "loyalty posting given up", extra={"outbox_message": message.pk}
            )
            return
        _finish(
            message,
            status=OutboxStatus.PENDING,
            attempts=attempts,
            next_attempt_at=now + _backoff(attempts),
            last_error=err.message[:300],
        )
        logger.warning(
            "loyalty posting will be retried",
            extra={"outbox_message": message.pk, "code": err.code},
        )
    except LoyaltyRejected as err:
        _finish(
            message,
            status=OutboxStatus.FAILED,
            attempts=attempts,
            last_error=err.message[:300],
        )
        logger.error(
            "loyalty posting refused",
            extra={"outbox_message": message.pk, "code": err.code},
        )
        if message.operation == OutboxOperation.ORDER_POST:
            # A refused claim must not leave the member's points held: the
            # transaction is voided (staff see the refusal on this message).
            session_enqueue(order=message.order, operation=OutboxOperation.SESSION_VOID)
    except Exception as err:
        # A message this code cannot handle must not stop the others, nor come
        # back after every lease: staff see it failed and the traceback is logged.
        logger.exception(
            "loyalty posting crashed", extra={"outbox_message": message.pk}
        )
        _finish(
            message,
            status=OutboxStatus.FAILED,
            attempts=attempts,
            last_error=repr(err)[:300],
        )


def _call(message: OutboxMessage) -> None:
    provider = provider_of(message.order, message.programme)
    attempts = message.attempts + 1
    if message.operation == OutboxOperation.ORDER_REFUND:
        _refund(message, provider, attempts)
        return
    deliver = {
        OutboxOperation.SESSION_HOLD: provider.hold_deliver,
        OutboxOperation.SESSION_VOID: provider.void_deliver,
        OutboxOperation.REWARD_UNLOCK: provider.unlock_deliver,
        OutboxOperation.REWARD_USE: provider.use_deliver,
    }.get(OutboxOperation(message.operation))
    if deliver is not None:
        deliver(payload=message.payload)
        _finish(
            message, status=OutboxStatus.DONE, attempts=attempts, done_at=timezone.now()
        )
        return
    result = provider.posting_deliver(payload=message.payload)
    _posted(
        message, result.points_earned, result.balance, result.unused_owned_references
    )
    _finish(
        message,
        status=OutboxStatus.DONE,
        attempts=attempts,
        done_at=timezone.now(),
        result={
            "remote": result.remote_reference,
            "points_earned": result.points_earned,
            "balance": result.balance,
            "already_processed": result.already_processed,
        },
    )


def _refund(message: OutboxMessage, provider: LoyaltyProvider, attempts: int) -> None:
    """Take back a refunded order's points, once its posting has been delivered."""
    posting = _posting_of(message.order)
    if posting is None or posting.status == OutboxStatus.FAILED:
        _finish(
            message,
            status=OutboxStatus.DONE,
            attempts=attempts,
            done_at=timezone.now(),
            result={"skipped": "the order was never posted"},
        )
        return
    if posting.status != OutboxStatus.DONE:
        raise LoyaltyUnavailable(
            "waiting for the order's posting to be delivered first", code="waiting"
        )
    remote = str((posting.result or {}).get("remote", ""))
    provider.refund_deliver(payload=message.payload, remote_reference=remote)
    _finish(
        message,
        status=OutboxStatus.DONE,
        attempts=attempts,
        done_at=timezone.now(),
        result={"remote": remote},
    )


@transaction.atomic
def _posted(
    message: OutboxMessage,
    earned: int | None,
    balance: int | None,
    unused: tuple[str, ...],
) -> None:
    """Record what the order earned, forget the phone, push the figure to the kiosk."""
    order = message.order
    OrderLoyalty.objects.filter(order=order).update(
        points_earned=earned, balance_after=balance, member_phone=""
    )
    payload = message.payload
    customer = (payload.get("customer") or {}).get("public_id")
    for owned in unused:
        OutboxMessage.objects.get_or_create(
            idempotency_key=f"{order.uuid.hex}:use:{owned}",
            defaults={
                "order": order,
                "programme": message.programme,
                "operation": OutboxOperation.REWARD_USE,
                "payload": {
                    "customer": customer,
                    "owned": owned,
                    "order_id": order.uuid.hex,
                    "store_slug": payload.get("loyalty_store_slug"),
                },
                "next_attempt_at": timezone.now(),
            },
        )
    transaction.on_commit(partial(order_status_broadcast, order_id=order.pk))


def outbox_run_once(*, now: datetime | None = None) -> int:
    """Deliver every message due now; returns how many were attempted."""
    count = 0
    while (message := outbox_claim(now=now)) is not None:
        outbox_deliver(message, now=now)
        count += 1
    return count


def outbox_retry(*, message: OutboxMessage) -> None:
    """Staff: try a failed or waiting message again now."""
    OutboxMessage.objects.filter(pk=message.pk).exclude(
        status=OutboxStatus.DONE
    ).update(
        status=OutboxStatus.PENDING, next_attempt_at=timezone.now(), lease_until=None
    )
