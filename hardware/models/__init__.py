"""Each kiosk's devices, and the print jobs its printer owes its customers."""

from __future__ import annotations

from hardware.models.devices import (
    BLOCKING_PRINTER_STATES,
    Device,
    PrinterState,
    ScannerState,
)
from hardware.models.print_jobs import (
    WAITING_JOB_STATUSES,
    PrintJob,
    PrintJobKind,
    PrintJobStatus,
)

__all__ = [
    "BLOCKING_PRINTER_STATES",
    "WAITING_JOB_STATUSES",
    "Device",
    "PrintJob",
    "PrintJobKind",
    "PrintJobStatus",
    "PrinterState",
    "ScannerState",
]
