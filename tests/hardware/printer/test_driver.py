"""The printer driver against the virtual printer, over real sockets and a pty."""

from __future__ import annotations

import time

import pytest

from hardware.printer.driver import JobOutcome, PrinterDriver, PrinterReport
from hardware.printer.profiles import PROFILES
from hardware.printer.render import receipt_to_escpos
from hardware.printer.status import PrinterStatus
from hardware.printer.transport import (
    FilePrinter,
    NetworkPrinter,
    PrinterUnreachable,
    SerialPrinter,
)
from tests.hardware.printer.test_render import GOLDEN_42

PROFILE = PROFILES["TM-T88V"]


def _driver(printer, **options) -> PrinterDriver:
    return PrinterDriver(NetworkPrinter("127.0.0.1", printer.port, **options), PROFILE)


def _print(driver, receipt):
    session = driver.open()
    try:
        before = session.status()
        result = session.print(receipt_to_escpos(receipt, PROFILE))
    finally:
        session.close()
    return before, result


def test_a_receipt_prints_on_the_virtual_printer(virtual_printer, receipt):
    before, result = _print(_driver(virtual_printer), receipt)

    assert before == PrinterStatus.OK
    assert (result.outcome, result.reason, result.printer) == (
        JobOutcome.PRINTED,
        "",
        PrinterReport("ok"),
    )
    [printed] = virtual_printer.receipts
    assert printed.text == GOLDEN_42
    assert "€" in printed.text
    assert "é" in printed.text
    assert "ü" in printed.text
    assert printed.qr_codes == ["5a3c7f6e-1111-4222-8333-444455556666"]
    assert printed.is_cut is True


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("none", PrinterReport("ok")),
        ("near_end", PrinterReport("paper_near_end")),
        ("paper_out", PrinterReport("paper_out")),
        ("cover_open", PrinterReport("cover_open")),
        ("offline", PrinterReport("offline")),
    ],
)
def test_the_status_of_each_fault(virtual_printer, fault, expected):
    virtual_printer.set_faults(fault=fault)

    assert _driver(virtual_printer).report() == expected


@pytest.mark.parametrize("fault", ["paper_out", "cover_open", "offline"])
def test_a_printer_that_cannot_print_blocks_jobs(virtual_printer, fault):
    virtual_printer.set_faults(fault=fault)

    report = _driver(virtual_printer).report()

    assert report.is_blocking is True


def test_a_job_sent_anyway_while_the_paper_is_out_prints_nothing(
    virtual_printer, receipt
):
    virtual_printer.set_faults(fault="paper_out")

    before, result = _print(_driver(virtual_printer), receipt)

    assert before == PrinterStatus.PAPER_OUT
    assert result.outcome == JobOutcome.FAILED
    assert result.reason == "paper_out after the job: the receipt may be incomplete"
    assert virtual_printer.receipts == []
    assert virtual_printer.state()["discarded_jobs"] == 1


def test_paper_near_end_still_prints(virtual_printer, receipt):
    virtual_printer.set_faults(fault="near_end")

    _before, result = _print(_driver(virtual_printer), receipt)

    assert (result.outcome, result.printer.state) == (
        JobOutcome.PRINTED,
        "paper_near_end",
    )
    assert len(virtual_printer.receipts) == 1


def test_a_printer_that_never_answers_is_unknown_within_the_deadline(virtual_printer):
    virtual_printer.set_faults(transport="no_reply")
    driver = _driver(virtual_printer, status_timeout=0.2)

    started = time.monotonic()
    report = driver.report()
    elapsed = time.monotonic() - started

    assert report == PrinterReport("unknown", "the printer does not answer")
    assert report.is_blocking is False
    assert elapsed < 1.0


def test_a_reply_later_than_the_deadline_is_no_reply(virtual_printer):
    virtual_printer.set_faults(transport="slow_reply", slow_reply_ms=600)

    report = _driver(virtual_printer, status_timeout=0.2).report()

    assert report.state == "unknown"


def test_a_job_to_a_silent_printer_is_printed_unconfirmed(virtual_printer, receipt):
    virtual_printer.set_faults(transport="no_reply")

    before, result = _print(_driver(virtual_printer, status_timeout=0.2), receipt)

    assert before == PrinterStatus.UNKNOWN
    assert (result.outcome, result.reason) == (
        JobOutcome.PRINTED_UNCONFIRMED,
        "the printer did not answer after the job",
    )
    assert len(virtual_printer.receipts) == 1


def test_a_connection_dropped_mid_job_fails_the_job(virtual_printer, receipt):
    virtual_printer.set_faults(transport="drop_mid_job")

    _before, result = _print(_driver(virtual_printer), receipt)

    assert result.outcome == JobOutcome.FAILED
    assert result.reason.endswith(": the receipt may be incomplete")
    assert virtual_printer.receipts == []
    assert virtual_printer.state()["dropped_connections"] == 1


def test_a_printer_refusing_connections_is_unreachable(virtual_printer):
    virtual_printer.set_faults(transport="refuse")
    driver = _driver(virtual_printer)

    report = driver.report()

    assert report.state == "unreachable"
    assert report.detail.startswith(
        f"cannot connect to tcp://127.0.0.1:{virtual_printer.port}: "
    )
    assert report.is_blocking is True
    with pytest.raises(PrinterUnreachable):
        driver.open()


def test_a_printer_back_from_refusing_is_reachable_again(virtual_printer):
    virtual_printer.set_faults(transport="refuse")
    virtual_printer.set_faults(transport="none")

    assert _driver(virtual_printer).report() == PrinterReport("ok")


def test_a_printer_that_accepts_and_never_reads_is_unknown(virtual_printer):
    virtual_printer.set_faults(transport="blackhole")

    report = _driver(virtual_printer, status_timeout=0.2).report()

    assert report.state == "unknown"


def test_a_serial_printer_on_a_pty(tmp_path, virtual_printer, receipt):
    link = tmp_path / "usb-Virtual_Printer-if00-port0"
    virtual_printer.open_pty(link)
    driver = PrinterDriver(SerialPrinter(str(link), 115200), PROFILE)

    before, result = _print(driver, receipt)

    assert (before, result.outcome) == (PrinterStatus.OK, JobOutcome.PRINTED)
    deadline = time.monotonic() + 3
    while not virtual_printer.receipts and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [printed.text for printed in virtual_printer.receipts] == [GOLDEN_42]


def test_a_file_printer_has_no_status_so_jobs_are_unconfirmed(tmp_path, receipt):
    path = tmp_path / "receipts.bin"
    driver = PrinterDriver(FilePrinter(str(path)), PROFILE)

    before, result = _print(driver, receipt)

    assert before == PrinterStatus.UNKNOWN
    assert result.outcome == JobOutcome.PRINTED_UNCONFIRMED
    assert result.printer == PrinterReport("unknown", "this printer reports no status")
    assert path.read_bytes() == receipt_to_escpos(receipt, PROFILE)
