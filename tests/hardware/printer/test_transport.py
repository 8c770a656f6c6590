from __future__ import annotations

import pytest

from hardware.printer.transport import (
    FilePrinter,
    NetworkPrinter,
    SerialPrinter,
    UsbPrinter,
    printer_target,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("tcp://192.168.1.50:9100", NetworkPrinter("192.168.1.50", 9100)),
        ("tcp://printer.local", NetworkPrinter("printer.local", 9100)),
        ("usb:04b8:0202", UsbPrinter(0x04B8, 0x0202)),
        ("serial:/dev/ttyS0", SerialPrinter("/dev/ttyS0", 19200)),
        (
            "/dev/serial/by-id/usb-Epson-if00",
            SerialPrinter("/dev/serial/by-id/usb-Epson-if00", 19200),
        ),
        ("/dev/ttyUSB0", SerialPrinter("/dev/ttyUSB0", 19200)),
        ("file:/dev/usb/lp0", FilePrinter("/dev/usb/lp0")),
        ("/var/spool/receipts.bin", FilePrinter("/var/spool/receipts.bin")),
    ],
)
def test_the_printer_option(value, expected):
    assert printer_target(value, baudrate=19200) == expected


@pytest.mark.parametrize("value", ["tcp://", "usb:4b8", "usb:zz:01"])
def test_a_malformed_printer_option_is_refused(value):
    with pytest.raises(ValueError):  # noqa: PT011 (each message is specific)
        printer_target(value)


def test_a_pty_behind_a_link_is_a_serial_printer(tmp_path):
    import os

    master, slave = os.openpty()
    link = tmp_path / "printer"
    link.symlink_to(os.ttyname(slave))
    try:
        assert printer_target(str(link)) == SerialPrinter(str(link), 9600)
    finally:
        os.close(master)
        os.close(slave)
