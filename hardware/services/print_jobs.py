"""Services of the hardware app's print jobs.

A print job is printed at most once on its own. The agent claims it just
before sending it to the printer (`print_job_claim`), and only a waiting job
can be claimed, once. A job whose outcome nobody knows (the agent went away
while printing) is flagged for staff, never printed again by itself;
printing again is a staff action (`print_job_reprint`).

A device prints the jobs addressed to it: its kiosk's (`kiosk_id`: receipts,
and documents sent to the kiosk's printer) and those naming it (`device_id`:
documents for a printer of the store's own, such as a kitchen printer).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hardware import protocol
from hardware.broadcast import print_jobs_dispatch, receipt_status_broadcast
from hardware.models import (
    WAITING_JOB_STATUSES,
    Device,
    PrintJob,
    PrintJobKind,
    PrintJobStatus,
)
from hardware.receipt import Receipt, receipt_to_dict
from hardware.selectors import receipt_for_job
from loyalty.selectors import order_awaits_receipt_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kiosk.models import Order

logger = logging.getLogger(__name__)

CLAIMED_STATUSES = {PrintJobStatus.SENT, PrintJobStatus.UNKNOWN}
# How often a kiosk's held receipts are looked at again.
HOLD_RECHECK_SECONDS = 0.25
RESULT_STATUSES = {
    "printed": PrintJobStatus.PRINTED,
    "printed_unconfirmed": PrintJobStatus.PRINTED_UNCONFIRMED,
    "failed": PrintJobStatus.FAILED,
}


def print_jobs_addressed(*, kiosk_id: int | None, device_id: int | None) -> Q:
    """The jobs a device prints: its kiosk's, and those naming it."""
    if kiosk_id is None and device_id is None:
        raise ValueError("a print job goes to a kiosk's device or to a device")
    query = Q()
    if kiosk_id is not None:
        query |= Q(kiosk_id=kiosk_id)
    if device_id is not None:
        query |= Q(device_id=device_id)
    return query


def print_job_create(*, order: Order) -> PrintJob:
    """Queue the receipt of a paid order; called inside the "paid" transaction,
    after the order's loyalty posting was queued.

    Idempotent: a second call for the same order returns the existing job.
    The job goes to the kiosk's agent once the transaction has committed;
    when the posting may bring text for the receipt (a guest's code to claim
    points), it waits for it at most HARDWARE_RECEIPT_LOYALTY_WAIT_SECONDS.
    The order number is on screen meanwhile.
    """
    hold_until = None
    if order_awaits_receipt_text(order):
        hold_until = timezone.now() + timedelta(
            seconds=settings.HARDWARE_RECEIPT_LOYALTY_WAIT_SECONDS
        )
    job, created = PrintJob.objects.get_or_create(
        order=order,
        kind=PrintJobKind.RECEIPT,
        defaults={"kiosk_id": order.kiosk_id, "hold_until": hold_until},
    )
    if created and job.kiosk_id is not None:
        transaction.on_commit(partial(print_jobs_dispatch, kiosk_id=job.kiosk_id))
        transaction.on_commit(partial(receipt_status_broadcast, order_id=order.pk))
    return job


def print_job_create_document(
    *, order_id: int, device: Device, key: str, receipt: Receipt
) -> PrintJob:
    """Queue a document laid out by another app (a kitchen ticket) for the
    printer of `device` (a store's kitchen printer, or a kiosk's), with the
    receipts' guarantees: claimed once, kept waiting while the printer cannot
    print, reprinted by staff. Idempotent on `key`: a second call returns the
    existing job."""
    job, created = PrintJob.objects.get_or_create(
        key=key,
        defaults={
            "order_id": order_id,
            "kiosk_id": device.kiosk_id,
            "device": device,
            "kind": PrintJobKind.DOCUMENT,
            "document": receipt_to_dict(receipt),
        },
    )
    if created:
        transaction.on_commit(partial(print_jobs_dispatch, device_id=device.pk))
    return job


@transaction.atomic
def print_job_reprint(*, job: PrintJob, user: User | None = None) -> PrintJob:
    """Staff ask for the receipt of `job`'s order again: a new job, marked as a copy."""
    reprint = PrintJob.objects.create(
        order_id=job.order_id,
        kiosk_id=job.kiosk_id,
        device_id=job.device_id,
        kind=PrintJobKind.REPRINT,
        document=job.document,
        requested_by=user if user is not None and user.is_authenticated else None,
    )
    if reprint.kiosk_id is not None or reprint.device_id is not None:
        transaction.on_commit(
            partial(
                print_jobs_dispatch,
                kiosk_id=reprint.kiosk_id,
                device_id=reprint.device_id,
            )
        )
    logger.info(
        "reprint of order %s requested (job %s)",
        job.order_id,
        reprint.pk,
        extra={"job": reprint.pk, "order": job.order_id},
    )
    return reprint


def print_jobs_expire(
    *,
    kiosk_id: int | None = None,
    device_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Drop the jobs that waited too long: nobody is there to take the receipt."""
    limit = (now or timezone.now()) - timedelta(
        seconds=settings.HARDWARE_PRINT_JOB_EXPIRY_SECONDS
    )
    count = PrintJob.objects.filter(
        print_jobs_addressed(kiosk_id=kiosk_id, device_id=device_id),
        status=PrintJobStatus.PENDING,
        created_at__lt=limit,
    ).update(status=PrintJobStatus.EXPIRED, last_error="not printed in time")
    if count:
        logger.warning(
            "%d print job(s) of kiosk %s / device %s expired: not printed in time",
            count,
            kiosk_id,
            device_id,
            extra={"kiosk": kiosk_id, "device": device_id, "count": count},
        )
    return count


def _is_held(job: PrintJob, now: datetime) -> bool:
    """Still waiting for the loyalty programme's text, within its budget."""
    return (
        job.hold_until is not None
        and job.hold_until > now
        and order_awaits_receipt_text(job.order)
    )


def print_jobs_to_send(
    *, kiosk_id: int | None = None, device_id: int | None = None
) -> list[PrintJob]:
    """The jobs waiting for this device's printer, oldest first (but those
    still held for the loyalty programme's text)."""
    print_jobs_expire(kiosk_id=kiosk_id, device_id=device_id)
    now = timezone.now()
    waiting = (
        PrintJob.objects.filter(
            print_jobs_addressed(kiosk_id=kiosk_id, device_id=device_id),
            status=PrintJobStatus.PENDING,
        )
        .select_related("order__store")
        .order_by("created_at", "id")
    )
    return [job for job in waiting if not _is_held(job, now)]


def print_jobs_held(*, kiosk_id: int | None) -> bool:
    """Whether one of the kiosk's receipts is held for the programme's text:
    the agent's connection looks again shortly (HOLD_RECHECK_SECONDS)."""
    if kiosk_id is None:
        return False  # only a kiosk's receipts wait for the programme
    now = timezone.now()
    return any(
        _is_held(job, now)
        for job in PrintJob.objects.filter(
            kiosk_id=kiosk_id, status=PrintJobStatus.PENDING, hold_until__gt=now
        ).select_related("order")
    )


def print_job_messages(
    *, kiosk_id: int | None = None, device_id: int | None = None
) -> list[str]:
    """A `print_receipt` message for each job waiting for this device's printer."""
    return [
        protocol.message_encode(
            protocol.PRINT_RECEIPT,
            job=job.pk,
            receipt=receipt_to_dict(receipt_for_job(job)),
        )
        for job in print_jobs_to_send(kiosk_id=kiosk_id, device_id=device_id)
    ]


@transaction.atomic
def print_job_claim(
    *, job_id: int, kiosk_id: int | None = None, device_id: int | None = None
) -> bool:
    """The agent is about to print this job: grant it once, to a waiting job only."""
    job = (
        PrintJob.objects.select_for_update()
        .filter(print_jobs_addressed(kiosk_id=kiosk_id, device_id=device_id), pk=job_id)
        .first()
    )
    if job is None or job.status != PrintJobStatus.PENDING:
        return False
    limit = timezone.now() - timedelta(
        seconds=settings.HARDWARE_PRINT_JOB_EXPIRY_SECONDS
    )
    if job.created_at < limit:
        job.status = PrintJobStatus.EXPIRED
        job.last_error = "not printed in time"
        job.save(update_fields=["status", "last_error"])
        return False
    job.status = PrintJobStatus.SENT
    job.attempts += 1
    job.sent_at = timezone.now()
    job.save(update_fields=["status", "attempts", "sent_at"])
    transaction.on_commit(partial(receipt_status_broadcast, order_id=job.order_id))
    return True


@transaction.atomic
def print_job_record_result(
    *,
    job_id: int,
    kiosk_id: int | None = None,
    device_id: int | None = None,
    outcome: str,
    reason: str,
) -> PrintJob | None:
    """What the agent says became of a job; None when the job is not its to report.

    "not_printed" leaves a waiting job waiting (the printer was not ready):
    it goes out again when the printer recovers.
    """
    job = (
        PrintJob.objects.select_for_update()
        .filter(print_jobs_addressed(kiosk_id=kiosk_id, device_id=device_id), pk=job_id)
        .first()
    )
    if job is None:
        return None
    if outcome == "not_printed":
        if job.status == PrintJobStatus.PENDING:
            job.last_error = reason[:200]
            job.save(update_fields=["last_error"])
    elif (outcome in RESULT_STATUSES and job.status in CLAIMED_STATUSES) or (
        # The agent could not even lay the receipt out: no use sending it again.
        outcome == "failed" and job.status == PrintJobStatus.PENDING
    ):
        job.status = RESULT_STATUSES[outcome]
        job.last_error = reason[:200]
        if job.is_printed:
            job.printed_at = timezone.now()
        job.save(update_fields=["status", "last_error", "printed_at"])
    else:
        logger.warning(
            "print job %s: result %s ignored, the job is %s",
            job.pk,
            outcome,
            job.status,
            extra={"job": job.pk, "status": job.status, "outcome": outcome},
        )
        return job
    transaction.on_commit(partial(receipt_status_broadcast, order_id=job.order_id))
    return job


def print_jobs_waiting(
    *, kiosk_id: int | None = None, device_id: int | None = None
) -> list[PrintJob]:
    """The device's jobs not finished yet, oldest first."""
    return list(
        PrintJob.objects.filter(
            print_jobs_addressed(kiosk_id=kiosk_id, device_id=device_id),
            status__in=WAITING_JOB_STATUSES,
        ).order_by("created_at", "id")
    )


def receipt_statuses_push(jobs: list[PrintJob]) -> None:
    """After the commit, tell these jobs' orders what became of their receipts."""
    for order_id in {job.order_id for job in jobs}:
        transaction.on_commit(partial(receipt_status_broadcast, order_id=order_id))
