from __future__ import annotations

import pytest

from hardware.printer.status import (
    PrinterStatus,
    printer_status_from_replies,
    status_byte_is_valid,
)


@pytest.mark.parametrize(
    ("eot1", "eot2", "eot4", "expected"),
    [
        # What printers answer for each fault (drawer closed).
        (0x12, 0x12, 0x12, PrinterStatus.OK),
        (0x12, 0x12, 0x1E, PrinterStatus.PAPER_NEAR_END),
        (0x1A, 0x32, 0x7E, PrinterStatus.PAPER_OUT),
        (0x1A, 0x16, 0x12, PrinterStatus.COVER_OPEN),
        (0x1A, 0x12, 0x12, PrinterStatus.OFFLINE),
    ],
    ids=["none", "near-end", "paper-out", "cover-open", "offline"],
)
def test_every_fault_of_the_reference_table(eot1, eot2, eot4, expected):
    assert printer_status_from_replies(eot1=eot1, eot2=eot2, eot4=eot4) == expected


def test_paper_out_wins_over_offline_and_cover():
    status = printer_status_from_replies(eot1=0x1A, eot2=0x36, eot4=0x72)

    assert status == PrinterStatus.PAPER_OUT


def test_cover_open_wins_over_offline():
    assert (
        printer_status_from_replies(eot1=0x1A, eot2=0x16, eot4=0x12)
        == PrinterStatus.COVER_OPEN
    )


def test_a_drawer_signal_alone_is_ok():
    assert (
        printer_status_from_replies(eot1=0x16, eot2=0x12, eot4=0x12) == PrinterStatus.OK
    )


@pytest.mark.parametrize(
    "replies",
    [
        {"eot1": None, "eot2": 0x12, "eot4": 0x12},
        {"eot1": 0x12, "eot2": None, "eot4": 0x12},
        {"eot1": 0x12, "eot2": 0x12, "eot4": None},
        {"eot1": None, "eot2": None, "eot4": None},
    ],
    ids=["no-eot1", "no-eot2", "no-eot4", "silent"],
)
def test_no_reply_is_unknown_never_ok(replies):
    assert printer_status_from_replies(**replies) == PrinterStatus.UNKNOWN


@pytest.mark.parametrize(
    "invalid",
    [0x00, 0xFF, 0x13, 0x92, 0x10, 0x02, 0x30],
    ids=["00", "ff", "bit0", "bit7", "no-bit1", "no-bit4", "text-zero"],
)
def test_a_byte_that_is_not_a_status_reply_is_unknown(invalid):
    assert (
        printer_status_from_replies(eot1=0x12, eot2=0x12, eot4=invalid)
        == PrinterStatus.UNKNOWN
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0x12, True),
        (0x1A, True),
        (0x7E, True),
        (0x32, True),
        (0x16, True),
        (0x00, False),
        (0x13, False),
        (0x92, False),
        (0x02, False),
    ],
)
def test_status_byte_validity(value, expected):
    assert status_byte_is_valid(value) is expected
