"""The loyalty worker: delivers the outbox's messages, with retries.

Delivery is at least once and every call is idempotent on its key (the
order's uuid for postings), so a crash, a timeout or an outage at any moment
never loses a posting and never posts twice. Each delivery runs inside
`loyalty_delivery`, so the provider can send the message's key with it. A
call the programme cannot take twice, whose answer was lost, comes back
UNCONFIRMED: it is not sent again by itself but left failed for staff, and a
staff retry that then goes through is marked as a possible duplicate on the
message. What a delivered call leads to (a reward to mark used, a transaction
to void after a refused claim) is queued here too.

The worker takes the due messages a batch at a time: the claim marks them in
flight with a lease in one transaction (on PostgreSQL it skips the rows
another worker is claiming, `FOR UPDATE SKIP LOCKED`; SQLite's IMMEDIATE
transactions let one claim run at a time), so several workers share the
outbox without taking the same message. It then makes the calls, outside any
transaction, writing what each gave as soon as it comes; the kiosk screens
hear of the batch's postings once. No call starts too late for its answer to
be written within the lease. A row whose worker died between a call and its
answer is taken again when its lease ends (resumed): it is sent again under
the same idempotency key, which the programme counts once, except a call the
programme cannot take twice, which is left to staff as after a lost answer.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from kiosk.broadcast import orders_status_broadcast
from loyalty.http import loyalty_delivery
from loyalty.models import (
    OrderLoyalty,
    OutboxMessage,
    OutboxOperation,
    OutboxStatus,
)
from loyalty.programmes import posting_provider
from loyalty.providers.base import (
    ErrorCode,
    LoyaltyProvider,
    LoyaltyRejected,
    LoyaltyUnavailable,
    OwnedRewardsProvider,
    Payload,
    PostingResult,
    as_owned_rewards,
    as_session,
)
from loyalty.services.outbox import outbox_enqueue, outbox_posting_of
from loyalty.services.retention import order_phone_forget, outbox_payload_redact
from loyalty.services.sessions import session_enqueue

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 2.0
# The batch's clock (a test may make calls seem slow).
_clock = time.monotonic
# After this long, blind retries stop: staff reconcile with the programme.
GIVE_UP_AFTER = timedelta(hours=24)


def _due(now: datetime) -> Q:
    pending = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=OutboxStatus.IN_FLIGHT, lease_until__lt=now)
    return pending | abandoned


def _backoff(attempts: int) -> timedelta:
    ceiling = min(
        settings.LOYALTY_OUTBOX_BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempts
    )
    return timedelta(seconds=random.uniform(0, ceiling))  # noqa: S311 (jitter, not crypto)


def _finish(message: OutboxMessage, **fields: Any) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(lease_until=None, **fields)
    if fields.get("status") in {OutboxStatus.DONE, OutboxStatus.FAILED}:
        # Done, refused or given up: the call keeps no phone number, nor the order.
        outbox_payload_redact(message=message)
        if message.operation == OutboxOperation.ORDER_POST:
            order_phone_forget(order=message.order)


def outbox_claim_batch(
    *, now: datetime | None = None, limit: int | None = None
) -> list[OutboxMessage]:
    """Take up to `limit` due messages, oldest first, at most one per order
    (an order's next call may wait for what this one leads to). A lease with
    room for one call only takes one message."""
    return [message for message, _resumed in _claim_batch(now=now, limit=limit)]


def _claim_batch(
    *, now: datetime | None = None, limit: int | None = None
) -> list[tuple[OutboxMessage, bool]]:
    """`outbox_claim_batch`, telling for each message whether it is resumed:
    taken again after the lease of a worker that stopped (it may have sent
    the call before it stopped, and not written the answer)."""
    now = now or timezone.now()
    limit = limit or settings.LOYALTY_OUTBOX_BATCH_SIZE
    if 2 * _call_budget_s() > settings.LOYALTY_OUTBOX_LEASE_SECONDS:
        limit = 1
    lease = now + timedelta(seconds=settings.LOYALTY_OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        due = OutboxMessage.objects.filter(_due(now)).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        chosen: dict[int, int] = {}
        resumed: set[int] = set()
        for pk, order_id, status in due.values_list("pk", "order_id", "status")[
            : limit * 2
        ]:
            if order_id in chosen:
                continue
            chosen[order_id] = pk
            if status == OutboxStatus.IN_FLIGHT:
                resumed.add(pk)
            if len(chosen) == limit:
                break
        if not chosen:
            return []
        OutboxMessage.objects.filter(_due(now), pk__in=chosen.values()).update(
            status=OutboxStatus.IN_FLIGHT, lease_until=lease
        )
    return [
        (message, message.pk in resumed)
        for message in OutboxMessage.objects.filter(
            pk__in=chosen.values(), status=OutboxStatus.IN_FLIGHT, lease_until=lease
        )
        .select_related("order__store")
        .order_by("next_attempt_at", "id")
    ]


# What a call gave, to write once the calls of the batch are made.
Record = Callable[[], None]


def _attempt_batch(
    batch: list[tuple[OutboxMessage, bool]],
    *,
    now: datetime | None,
    posted: list[int],
) -> list[Record | None]:
    """Call for each message and write what it gave at once; those a slow
    programme leaves no time for go back to the outbox untried (None). No call
    starts later than a whole call's time (connect and read timeouts, and a
    margin) before the lease ends: another worker never takes a message whose
    answer is still to be written, and sends it twice. The first is always
    tried, so each batch moves on."""
    providers: dict[tuple[int, str], LoyaltyProvider] = {}
    deadline = _clock() + settings.LOYALTY_OUTBOX_LEASE_SECONDS - _call_budget_s()
    records: list[Record | None] = []
    for message, resumed in batch:
        if records and _clock() > deadline:
            records.append(None)
            continue
        record = _attempt(
            message,
            now=now or timezone.now(),
            providers=providers,
            posted=posted,
            resumed=resumed,
        )
        # Written at once: a worker killed later in the batch leaves no call
        # made and not written, which another worker would send again.
        with transaction.atomic():
            _record(message, record)
        records.append(record)
    return records


# Time kept between the last call's end and the lease's end, to write the results.
WRITE_MARGIN_S = 2.0


def _call_budget_s() -> float:
    """The longest one call may take, and the writing after it."""
    return (
        settings.LOYALTY_POST_CONNECT_TIMEOUT
        + settings.LOYALTY_POST_READ_TIMEOUT
        + WRITE_MARGIN_S
    )


def _release(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.PENDING, lease_until=None
    )


def _attempt(
    message: OutboxMessage,
    *,
    now: datetime,
    providers: dict[tuple[int, str], LoyaltyProvider],
    posted: list[int],
    resumed: bool = False,
) -> Record:
    """Make the call; return what to write (nothing is written here). The
    record of a posting adds its order to `posted`, for the kiosk screens."""
    attempts = message.attempts + 1
    try:
        with loyalty_delivery(message.idempotency_key, resumed=resumed):
            return _call(message, _provider(message, providers), attempts, posted)
    except LoyaltyUnavailable as err:
        if err.code == ErrorCode.UNCONFIRMED:
            return partial(_unconfirmed, message, err, attempts)
        return partial(_unavailable, message, err, attempts, now)
    except LoyaltyRejected as err:
        return partial(_rejected, message, err, attempts)
    except Exception as err:
        # A message this code cannot handle must not stop the others, nor come
        # back after every lease: staff see it failed and the traceback is logged.
        logger.exception(
            "loyalty posting crashed", extra={"outbox_message": message.pk}
        )
        return partial(
            _finish,
            message,
            status=OutboxStatus.FAILED,
            attempts=attempts,
            last_error=repr(err)[:300],
        )


def _provider(
    message: OutboxMessage, providers: dict[tuple[int, str], LoyaltyProvider]
) -> LoyaltyProvider:
    """The store's provider, made once per batch (and its HTTP connection kept)."""
    key = (message.order.store_id, message.programme)
    if key not in providers:
        providers[key] = posting_provider(message.order.store, message.programme)
    return providers[key]


def _record(message: OutboxMessage, record: Record) -> None:
    """Write what one call gave, in a savepoint: a failure marks only it failed."""
    try:
        with transaction.atomic():
            record()
    except Exception as err:
        logger.exception(
            "loyalty posting not recorded", extra={"outbox_message": message.pk}
        )
        _finish(
            message,
            status=OutboxStatus.FAILED,
            attempts=message.attempts + 1,
            last_error=repr(err)[:300],
        )


def _unavailable(
    message: OutboxMessage, err: LoyaltyUnavailable, attempts: int, now: datetime
) -> None:
    if now - message.created_at > GIVE_UP_AFTER:
        _finish(
            message,
            status=OutboxStatus.FAILED,
            attempts=attempts,
            last_error=f"no answer for 24 h, reconcile: {err.message}"[:300],
        )
        logger.error("loyalty posting given up", extra={"outbox_message": message.pk})
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


def _rejected(message: OutboxMessage, err: LoyaltyRejected, attempts: int) -> None:
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


def _unconfirmed(
    message: OutboxMessage, err: LoyaltyUnavailable, attempts: int
) -> None:
    """It may have happened: sending it again could count it twice. Staff decide."""
    _finish(
        message,
        status=OutboxStatus.FAILED,
        attempts=attempts,
        last_error=f"unconfirmed, not sent again: {err.message}"[:300],
        result={**(message.result or {}), "unconfirmed": True},
    )
    logger.error(
        "loyalty posting unconfirmed: left to staff",
        extra={"outbox_message": message.pk},
    )


def _simple_call(
    provider: LoyaltyProvider, operation: str
) -> Callable[..., None] | None:
    """The provider's delivery of a call that answers nothing but success."""
    owned = as_owned_rewards(provider)
    session = as_session(provider)
    calls: dict[str, Callable[..., None]] = {}
    if owned is not None:
        calls[OutboxOperation.REWARD_UNLOCK] = owned.unlock_deliver
        calls[OutboxOperation.REWARD_USE] = owned.use_deliver
    if session is not None:
        calls[OutboxOperation.SESSION_HOLD] = session.hold_deliver
        calls[OutboxOperation.SESSION_VOID] = session.void_deliver
    return calls.get(operation)


def _call(
    message: OutboxMessage,
    provider: LoyaltyProvider,
    attempts: int,
    posted: list[int],
) -> Record:
    if message.operation == OutboxOperation.ORDER_REFUND:
        return _refund(message, provider, attempts)
    if message.operation == OutboxOperation.ORDER_POST:
        result = provider.posting_deliver(payload=message.payload)
        return partial(_posted, message, provider, result, attempts, posted)
    deliver = _simple_call(provider, message.operation)
    if deliver is None:
        raise LoyaltyRejected(
            f"{provider.name} does not take {message.operation} calls",
            code=ErrorCode.REFUSED,
        )
    deliver(payload=message.payload)
    return partial(
        _finish,
        message,
        status=OutboxStatus.DONE,
        attempts=attempts,
        done_at=timezone.now(),
    )


def _refund(message: OutboxMessage, provider: LoyaltyProvider, attempts: int) -> Record:
    """Take back a refunded order's points, once its posting has been delivered."""
    posting = outbox_posting_of(message.order)
    if posting is None or posting.status == OutboxStatus.FAILED:
        return partial(
            _finish,
            message,
            status=OutboxStatus.DONE,
            attempts=attempts,
            done_at=timezone.now(),
            result={"skipped": "the order was never posted"},
        )
    if posting.status != OutboxStatus.DONE:
        raise LoyaltyUnavailable(
            "waiting for the order's posting to be delivered first",
            code=ErrorCode.WAITING,
        )
    if _rewards_being_used(message):
        # A reward marked used after the refund would stay used.
        raise LoyaltyUnavailable(
            "waiting for the order's rewards to be marked used first",
            code=ErrorCode.WAITING,
        )
    remote = str((posting.result or {}).get("remote", ""))
    provider.refund_deliver(payload=message.payload, remote_reference=remote)
    return partial(
        _finish,
        message,
        status=OutboxStatus.DONE,
        attempts=attempts,
        done_at=timezone.now(),
        result={"remote": remote},
    )


def _rewards_being_used(message: OutboxMessage) -> bool:
    return OutboxMessage.objects.filter(
        order=message.order,
        operation=OutboxOperation.REWARD_USE,
        status__in=[OutboxStatus.PENDING, OutboxStatus.IN_FLIGHT],
    ).exists()


@transaction.atomic
def _posted(
    message: OutboxMessage,
    provider: LoyaltyProvider,
    result: PostingResult,
    attempts: int,
    posted: list[int],
) -> None:
    """Record what the order earned and forget the phone; rewards the programme
    did not take as used are marked used apart; the kiosk shows the figure."""
    order = message.order
    OrderLoyalty.objects.filter(order=order).update(
        points_earned=result.points_earned,
        balance_after=result.balance,
        member_phone="",
    )
    owned = as_owned_rewards(provider)
    if owned is not None:
        for reference in result.unused_owned_references:
            _use_enqueue(message, owned, reference)
    _finish(
        message,
        status=OutboxStatus.DONE,
        attempts=attempts,
        done_at=timezone.now(),
        result=_posting_result(message, result),
    )
    posted.append(order.pk)


def _posting_result(message: OutboxMessage, result: PostingResult) -> dict[str, Any]:
    """What the posting gave, kept on the message (the receipt reads its text)."""
    recorded: dict[str, Any] = {
        "remote": result.remote_reference,
        "points_earned": result.points_earned,
        "balance": result.balance,
        "already_processed": result.already_processed,
    }
    if (message.result or {}).get("unconfirmed"):
        # An earlier attempt may have reached the programme too.
        recorded["possible_duplicate"] = True
    if result.receipt is not None:
        recorded["receipt"] = {
            "header": result.receipt.header,
            "lines": list(result.receipt.lines),
            "footer": result.receipt.footer,
        }
    return recorded


def _use_enqueue(
    message: OutboxMessage, owned: OwnedRewardsProvider, reference: str
) -> None:
    payload: Payload = owned.use_payload(
        posting_payload=message.payload, owned_reference=reference
    )
    outbox_enqueue(
        order=message.order,
        programme=message.programme,
        operation=OutboxOperation.REWARD_USE,
        payload=payload,
        subject=reference,
    )


def outbox_run_once(*, now: datetime | None = None) -> int:
    """Deliver every message due now, a batch at a time; returns how many
    calls were attempted."""
    count = 0
    while claimed := _claim_batch(now=now):
        posted: list[int] = []
        records = _attempt_batch(claimed, now=now, posted=posted)
        for (message, _resumed), record in zip(claimed, records, strict=True):
            if record is None:
                _release(message)
        # The screens hear of the batch's postings once.
        orders_status_broadcast(order_ids=posted)
        count += sum(record is not None for record in records)
    return count
