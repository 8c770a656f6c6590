"""Real-time printer status (DLE EOT), read our own way.

python-escpos 3.1 reads status with `read(16)` and turns an empty reply into
"paper adequate": a printer that never answers would look full of paper. Here
each query reads one byte with a short deadline, and no reply is UNKNOWN,
never OK.
"""

from __future__ import annotations

from enum import StrEnum

DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_OFFLINE_CAUSE = b"\x10\x04\x02"
DLE_EOT_PAPER = b"\x10\x04\x04"


class PrinterStatus(StrEnum):
    OK = "ok"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


# The printer would hold the job, or lose it: don't send.
BLOCKING_STATUSES = frozenset(
    {PrinterStatus.PAPER_OUT, PrinterStatus.COVER_OPEN, PrinterStatus.OFFLINE}
)


def status_byte_is_valid(value: int) -> bool:
    return value & 0x93 == 0x12  # bits 1 and 4 set, bits 0 and 7 clear


def printer_status_from_replies(
    *, eot1: int | None, eot2: int | None, eot4: int | None
) -> PrinterStatus:
    if eot1 is None or eot2 is None or eot4 is None:
        return PrinterStatus.UNKNOWN  # no reply is never "paper OK"
    if not all(status_byte_is_valid(reply) for reply in (eot1, eot2, eot4)):
        return PrinterStatus.UNKNOWN
    if eot4 & 0x60:
        return PrinterStatus.PAPER_OUT
    if eot2 & 0x04:
        return PrinterStatus.COVER_OPEN
    if eot1 & 0x08:
        return PrinterStatus.OFFLINE
    if eot4 & 0x0C:
        return PrinterStatus.PAPER_NEAR_END
    return PrinterStatus.OK
