"""One receipt printer: its status, and a job printed by the printing rules.

Before a job the status is read: paper out, cover open or offline means the
job is not sent, and the server keeps it for later. After the job the status
is read again, because a successful write only means the bytes reached the
printer's buffer. "No reply" is never taken for "printed".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from hardware.printer.profiles import PrinterProfile
from hardware.printer.status import (
    BLOCKING_STATUSES,
    DLE_EOT_OFFLINE_CAUSE,
    DLE_EOT_PAPER,
    DLE_EOT_PRINTER,
    PrinterStatus,
    printer_status_from_replies,
)
from hardware.printer.transport import (
    PrinterConnection,
    PrinterConnectionLost,
    PrinterTarget,
    PrinterUnreachable,
)

logger = logging.getLogger(__name__)

# The printer state the agent reports when it cannot reach the printer at all.
UNREACHABLE = "unreachable"


class JobOutcome(StrEnum):
    NOT_PRINTED = "not_printed"  # never sent: the server keeps the job
    PRINTED = "printed"
    PRINTED_UNCONFIRMED = "printed_unconfirmed"  # sent, but the printer did not say
    FAILED = "failed"  # sent, and something went wrong: maybe incomplete


@dataclass(frozen=True)
class PrinterReport:
    """What the agent knows about its printer: a status, or why there is none."""

    state: str
    detail: str = ""

    @property
    def is_blocking(self) -> bool:
        """The printer cannot take a job now (paper out, cover open, offline, unreachable)."""
        return self.state == UNREACHABLE or self.state in BLOCKING_STATUSES


@dataclass(frozen=True)
class JobResult:
    outcome: JobOutcome
    reason: str
    printer: PrinterReport


def outcome_after_job(status: PrinterStatus) -> tuple[JobOutcome, str]:
    """What the status read after sending a job says about the receipt."""
    if status in (PrinterStatus.OK, PrinterStatus.PAPER_NEAR_END):
        return JobOutcome.PRINTED, ""
    if status == PrinterStatus.UNKNOWN:
        return (
            JobOutcome.PRINTED_UNCONFIRMED,
            "the printer did not answer after the job",
        )
    return (
        JobOutcome.FAILED,
        f"{status.value} after the job: the receipt may be incomplete",
    )


class PrinterSession:
    """One open connection to the printer, for a status read or a job."""

    def __init__(self, driver: PrinterDriver, connection: PrinterConnection) -> None:
        self.driver = driver
        self.connection = connection

    def status(self) -> PrinterStatus:
        if not self.driver.has_status:
            return PrinterStatus.UNKNOWN
        eot1 = self.connection.query(DLE_EOT_PRINTER)
        if eot1 is None:
            # Silent once: don't wait out two more deadlines for the same answer.
            return PrinterStatus.UNKNOWN
        eot2 = self.connection.query(DLE_EOT_OFFLINE_CAUSE)
        eot4 = self.connection.query(DLE_EOT_PAPER)
        return printer_status_from_replies(eot1=eot1, eot2=eot2, eot4=eot4)

    def print(self, data: bytes) -> JobResult:
        """Send a job and read the status after it."""
        try:
            self.connection.write(data)
        except PrinterConnectionLost as err:
            return self._lost(str(err))
        try:
            after = self.status()
        except PrinterConnectionLost as err:
            return self._lost(str(err))
        outcome, reason = outcome_after_job(after)
        return JobResult(outcome, reason, self.driver.report_of(after))

    def _lost(self, error: str) -> JobResult:
        reason = f"{error}: the receipt may be incomplete"
        return JobResult(
            JobOutcome.FAILED, reason, PrinterReport(PrinterStatus.UNKNOWN.value, error)
        )

    def close(self) -> None:
        self.connection.close()


class PrinterDriver:
    def __init__(self, target: PrinterTarget, profile: PrinterProfile) -> None:
        self.target = target
        self.profile = profile

    @property
    def has_status(self) -> bool:
        return self.target.has_status and self.profile.has_status

    def report_of(self, status: PrinterStatus) -> PrinterReport:
        if status != PrinterStatus.UNKNOWN:
            return PrinterReport(status.value)
        if not self.has_status:
            return PrinterReport(status.value, "this printer reports no status")
        return PrinterReport(status.value, "the printer does not answer")

    def open(self) -> PrinterSession:
        """Raises PrinterUnreachable."""
        return PrinterSession(self, self.target.connect())

    def report(self) -> PrinterReport:
        """The printer's status now, on a connection of its own."""
        try:
            session = self.open()
        except PrinterUnreachable as err:
            return PrinterReport(UNREACHABLE, str(err))
        try:
            status = session.status()
        except PrinterConnectionLost as err:
            return PrinterReport(UNREACHABLE, str(err))
        finally:
            session.close()
        return self.report_of(status)
