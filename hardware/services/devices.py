"""Services of the hardware app's devices: tokens, and what agents report.

An agent authenticates with a device token, of which only the hash is kept;
what it reports of its scanner and printer is saved on its device (a
kiosk's, or a printer of the store's own), and a printer able to print again
sends the waiting jobs its way.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hardware.broadcast import device_close_broadcast
from hardware.models import (
    BLOCKING_PRINTER_STATES,
    Device,
    PrinterState,
    PrintJob,
    PrintJobStatus,
    ScannerState,
)
from hardware.services.print_jobs import (
    print_jobs_addressed,
    print_jobs_waiting,
    receipt_statuses_push,
)
from hardware.signals import printer_state_changed
from kiosk.services.provisioning import token_hash

if TYPE_CHECKING:
    from kiosk.models import Kiosk, Store

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "hw"
# Compared against when the token names no device, so a wrong token takes as
# long to refuse whatever it says.
_NO_DEVICE_HASH = token_hash("no device")


# --- Device tokens ------------------------------------------------------------


@transaction.atomic
def device_token_rotate(*, device: Device) -> str:
    """A new token for the device's agent, shown once; the previous one stops
    working and an agent connected with it is disconnected."""
    token = f"{TOKEN_PREFIX}.{device.pk}.{secrets.token_urlsafe(32)}"
    Device.objects.filter(pk=device.pk).update(
        token_hash=token_hash(token), token_created_at=timezone.now()
    )
    transaction.on_commit(partial(device_close_broadcast, device_id=device.pk))
    return token


@transaction.atomic
def kiosk_device_token_rotate(*, kiosk: Kiosk) -> str:
    """A new token for the kiosk's agent (its device made if need be)."""
    device, _created = Device.objects.get_or_create(kiosk=kiosk)
    return device_token_rotate(device=device)


@transaction.atomic
def store_device_ensure(*, store: Store, name: str) -> Device:
    """The store's own device called `name` (a kitchen printer), made if need be."""
    device, _created = Device.objects.get_or_create(store=store, name=name)
    return device


def device_for_token(token: str) -> Device | None:
    """The device this token belongs to (an active kiosk's, or a store's
    own), compared in constant time."""
    prefix, _dot, rest = token.partition(".")
    device_id, _dot, _secret = rest.partition(".")
    device = None
    if prefix == TOKEN_PREFIX and device_id.isdigit():
        device = (
            Device.objects.select_related("kiosk__store", "store")
            .filter(
                Q(kiosk__is_active=True) | Q(store__isnull=False),
                pk=int(device_id),
            )
            .first()
        )
    expected = device.token_hash if device is not None and device.token_hash else ""
    is_valid = hmac.compare_digest(expected or _NO_DEVICE_HASH, token_hash(token))
    return device if is_valid and expected else None


def _printer_state_changed_after_commit(device_id: int) -> None:
    transaction.on_commit(
        partial(printer_state_changed.send, sender=Device, device_id=device_id)
    )


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
            print_jobs_addressed(kiosk_id=device.kiosk_id, device_id=device.pk),
            status=PrintJobStatus.SENT,
        )
    )
    for job in interrupted:
        job.status = PrintJobStatus.UNKNOWN
        job.last_error = "the agent went away while printing: check the printer"
        job.save(update_fields=["status", "last_error"])
        logger.warning(
            "print job %s: outcome unknown, the agent went away while printing",
            job.pk,
            extra={"job": job.pk, "kiosk": device.kiosk_id, "device": device.pk},
        )
    receipt_statuses_push(
        interrupted + print_jobs_waiting(kiosk_id=device.kiosk_id, device_id=device.pk)
    )
    _printer_state_changed_after_commit(device.pk)
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
            receipt_statuses_push(
                print_jobs_waiting(kiosk_id=kiosk_id, device_id=device_id)
            )
            _printer_state_changed_after_commit(device_id)


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
            "printer of device %s (kiosk %s): %s",
            device.pk,
            device.kiosk_id,
            report.printer_state,
            extra={
                "kiosk": device.kiosk_id,
                "device": device.pk,
                "state": report.printer_state,
            },
        )
        receipt_statuses_push(
            print_jobs_waiting(kiosk_id=device.kiosk_id, device_id=device.pk)
        )
        _printer_state_changed_after_commit(device.pk)
    return was_blocking and device.printer_state not in BLOCKING_PRINTER_STATES
