"""Services of the hardware app: device tokens, what agents report, print jobs.

A print job is printed at most once on its own. The agent claims it just
before sending it to the printer (`print_job_claim`), and only a waiting job
can be claimed, once. A job whose outcome nobody knows (the agent went away
while printing) is flagged for staff, never printed again by itself;
printing again is a staff action (`print_job_reprint`).
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hardware import protocol
from hardware.broadcast import (
    device_close_broadcast,
    print_jobs_dispatch,
    receipt_status_broadcast,
)
from hardware.models import (
    BLOCKING_PRINTER_STATES,
    WAITING_JOB_STATUSES,
    Device,
    PrinterState,
    PrintJob,
    PrintJobKind,
    PrintJobStatus,
    ScannerState,
)
from hardware.receipt import receipt_to_dict
from hardware.selectors import receipt_for_job
from kiosk.services.provisioning import token_hash

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kiosk.models import Kiosk, Order

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "hw"
# Compared against when the token names no device, so a wrong token takes as
# long to refuse whatever it says.
_NO_DEVICE_HASH = token_hash("no device")

CLAIMED_STATUSES = {PrintJobStatus.SENT, PrintJobStatus.UNKNOWN}
RESULT_STATUSES = {
    "printed": PrintJobStatus.PRINTED,
    "printed_unconfirmed": PrintJobStatus.PRINTED_UNCONFIRMED,
    "failed": PrintJobStatus.FAILED,
}


# --- Device tokens ------------------------------------------------------------


@transaction.atomic
def device_token_rotate(*, kiosk: Kiosk) -> str:
    """A new token for the kiosk's agent, shown once; the previous one stops
    working and an agent connected with it is disconnected."""
    device, _created = Device.objects.get_or_create(kiosk=kiosk)
    token = f"{TOKEN_PREFIX}.{device.pk}.{secrets.token_urlsafe(32)}"
    Device.objects.filter(pk=device.pk).update(
        token_hash=token_hash(token), token_created_at=timezone.now()
    )
    transaction.on_commit(partial(device_close_broadcast, kiosk_id=kiosk.pk))
    return token


def device_for_token(token: str) -> Device | None:
    """The active kiosk's device this token belongs to, compared in constant time."""
    prefix, _dot, rest = token.partition(".")
    device_id, _dot, _secret = rest.partition(".")
    device = None
    if prefix == TOKEN_PREFIX and device_id.isdigit():
        device = (
            Device.objects.select_related("kiosk__store")
            .filter(pk=int(device_id), kiosk__is_active=True)
            .first()
        )
    expected = device.token_hash if device is not None and device.token_hash else ""
    is_valid = hmac.compare_digest(expected or _NO_DEVICE_HASH, token_hash(token))
    return device if is_valid and expected else None


# --- What the agent reports -----------------------------------------------------


@dataclass(frozen=True)
class AgentReport:
    """The devices' states as an agent reports them; unknown values are refused."""

    scanner_state: str
    scanner_detail: str
    printer_state: str
    printer_detail: str

    def __post_init__(self) -> None:
        if self.scanner_state not in ScannerState.values:
            raise ValueError(f"unknown scanner state {self.scanner_state!r}")
        if self.printer_state not in PrinterState.values:
            raise ValueError(f"unknown printer state {self.printer_state!r}")


# What staff should hear about; a kiosk without a printer is no problem.
PRINTER_PROBLEMS = (BLOCKING_PRINTER_STATES | {PrinterState.UNKNOWN}) - {
    PrinterState.NOT_CONFIGURED
}


def _problem(device: str, state: str, detail: str) -> str:
    return f"{device} {state}: {detail}" if detail else f"{device} {state}"


def _apply_report(device: Device, report: AgentReport, now: datetime) -> None:
    device.scanner_state = report.scanner_state
    device.scanner_detail = report.scanner_detail[:200]
    device.printer_state = report.printer_state
    device.printer_detail = report.printer_detail[:200]
    device.last_seen_at = now
    problems = []
    if report.scanner_state == ScannerState.ERROR:
        problems.append(
            _problem("scanner", report.scanner_state, report.scanner_detail)
        )
    if report.printer_state in PRINTER_PROBLEMS:
        problems.append(
            _problem("printer", report.printer_state, report.printer_detail)
        )
    if problems:
        device.last_error = "; ".join(problems)[:200]
        device.last_error_at = now


def _waiting_jobs(kiosk_id: int) -> list[PrintJob]:
    return list(
        PrintJob.objects.filter(
            kiosk_id=kiosk_id, status__in=WAITING_JOB_STATUSES
        ).order_by("created_at", "id")
    )


def _push_receipt_statuses(jobs: list[PrintJob]) -> None:
    for order_id in {job.order_id for job in jobs}:
        transaction.on_commit(partial(receipt_status_broadcast, order_id=order_id))


@transaction.atomic
def device_connect(
    *,
    device: Device,
    channel_name: str,
    agent: dict[str, str],
    report: AgentReport,
) -> Device:
    """An agent authenticated. Jobs it was printing when its last connection
    went are flagged: nobody knows whether they came out."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    now = timezone.now()
    device.is_agent_connected = True
    device.agent_channel = channel_name
    device.connected_at = now
    device.agent_version = agent.get("version", "")[:20]
    device.agent_hostname = agent.get("hostname", "")[:120]
    device.printer_address = agent.get("printer", "")[:200]
    device.printer_profile = agent.get("printer_profile", "")[:40]
    device.scanner_port = agent.get("scanner", "")[:200]
    _apply_report(device, report, now)
    device.save()
    interrupted = list(
        PrintJob.objects.select_for_update().filter(
            kiosk_id=device.kiosk_id, status=PrintJobStatus.SENT
        )
    )
    for job in interrupted:
        job.status = PrintJobStatus.UNKNOWN
        job.last_error = "the agent went away while printing: check the printer"
        job.save(update_fields=["status", "last_error"])
        logger.warning(
            "print job %s: outcome unknown, the agent went away while printing",
            job.pk,
            extra={"job": job.pk, "kiosk": device.kiosk_id},
        )
    _push_receipt_statuses(interrupted + _waiting_jobs(device.kiosk_id))
    return device


def device_disconnect(*, device_id: int, channel_name: str) -> None:
    """The agent's connection closed, unless a newer one replaced it already."""
    with transaction.atomic():
        count = Device.objects.filter(pk=device_id, agent_channel=channel_name).update(
            is_agent_connected=False, agent_channel="", last_seen_at=timezone.now()
        )
        if count:
            kiosk_id = Device.objects.values_list("kiosk_id", flat=True).get(
                pk=device_id
            )
            _push_receipt_statuses(_waiting_jobs(kiosk_id))


@transaction.atomic
def device_status_update(*, device_id: int, report: AgentReport) -> bool:
    """Save what the agent reports; True when the printer just became able to
    print again, so waiting jobs should go to it."""
    device = Device.objects.select_for_update().get(pk=device_id)
    was_blocking = device.printer_state in BLOCKING_PRINTER_STATES
    has_printer_changed = device.printer_state != report.printer_state
    _apply_report(device, report, timezone.now())
    device.save()
    if has_printer_changed:
        logger.info(
            "printer of kiosk %s: %s",
            device.kiosk_id,
            report.printer_state,
            extra={"kiosk": device.kiosk_id, "state": report.printer_state},
        )
        _push_receipt_statuses(_waiting_jobs(device.kiosk_id))
    return was_blocking and device.printer_state not in BLOCKING_PRINTER_STATES


# --- Print jobs -----------------------------------------------------------------


def print_job_create(*, order: Order) -> PrintJob:
    """Queue the receipt of a paid order; called inside the "paid" transaction.

    Idempotent: a second call for the same order returns the existing job.
    The job goes to the kiosk's agent once the transaction has committed.
    """
    job, created = PrintJob.objects.get_or_create(
        order=order,
        kind=PrintJobKind.RECEIPT,
        defaults={"kiosk_id": order.kiosk_id},
    )
    if created and job.kiosk_id is not None:
        transaction.on_commit(partial(print_jobs_dispatch, kiosk_id=job.kiosk_id))
        transaction.on_commit(partial(receipt_status_broadcast, order_id=order.pk))
    return job


@transaction.atomic
def print_job_reprint(*, job: PrintJob, user: User | None = None) -> PrintJob:
    """Staff ask for the receipt of `job`'s order again: a new job, marked as a copy."""
    reprint = PrintJob.objects.create(
        order_id=job.order_id,
        kiosk_id=job.kiosk_id,
        kind=PrintJobKind.REPRINT,
        requested_by=user if user is not None and user.is_authenticated else None,
    )
    if reprint.kiosk_id is not None:
        transaction.on_commit(partial(print_jobs_dispatch, kiosk_id=reprint.kiosk_id))
    logger.info(
        "reprint of order %s requested (job %s)",
        job.order_id,
        reprint.pk,
        extra={"job": reprint.pk, "order": job.order_id},
    )
    return reprint


def print_jobs_expire(*, kiosk_id: int, now: datetime | None = None) -> int:
    """Drop the jobs that waited too long: nobody is there to take the receipt."""
    limit = (now or timezone.now()) - timedelta(
        seconds=settings.HARDWARE_PRINT_JOB_EXPIRY_SECONDS
    )
    count = PrintJob.objects.filter(
        kiosk_id=kiosk_id, status=PrintJobStatus.PENDING, created_at__lt=limit
    ).update(status=PrintJobStatus.EXPIRED, last_error="not printed in time")
    if count:
        logger.warning(
            "%d print job(s) of kiosk %s expired: not printed in time",
            count,
            kiosk_id,
            extra={"kiosk": kiosk_id, "count": count},
        )
    return count


def print_jobs_to_send(*, kiosk_id: int) -> list[PrintJob]:
    """The jobs waiting for this kiosk's printer, oldest first."""
    print_jobs_expire(kiosk_id=kiosk_id)
    return list(
        PrintJob.objects.filter(kiosk_id=kiosk_id, status=PrintJobStatus.PENDING)
        .select_related("order__store")
        .order_by("created_at", "id")
    )


def print_job_messages(*, kiosk_id: int) -> list[str]:
    """A `print_receipt` message for each job waiting for this kiosk's printer."""
    return [
        protocol.message_encode(
            protocol.PRINT_RECEIPT,
            job=job.pk,
            receipt=receipt_to_dict(receipt_for_job(job)),
        )
        for job in print_jobs_to_send(kiosk_id=kiosk_id)
    ]


@transaction.atomic
def print_job_claim(*, job_id: int, kiosk_id: int) -> bool:
    """The agent is about to print this job: grant it once, to a waiting job only."""
    job = (
        PrintJob.objects.select_for_update()
        .filter(pk=job_id, kiosk_id=kiosk_id)
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
    *, job_id: int, kiosk_id: int, outcome: str, reason: str
) -> PrintJob | None:
    """What the agent says became of a job; None when the job is not its to report.

    "not_printed" leaves a waiting job waiting (the printer was not ready):
    it goes out again when the printer recovers.
    """
    job = (
        PrintJob.objects.select_for_update()
        .filter(pk=job_id, kiosk_id=kiosk_id)
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
