"""The virtual printer's control endpoint and command, over real sockets."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from sandboxes.core.control import ControlError, control_request
from sandboxes.core.http import ControlServer
from sandboxes.printer.emulator import VirtualPrinter
from tests.processes import wait_until

INIT = b"\x1b@"
CP858 = b"\x1bt\x13"
CUT = b"\x1dV\x00"


@pytest.fixture
def control(virtual_printer: VirtualPrinter) -> Iterator[ControlServer]:
    server = virtual_printer.serve_control(0)
    yield server
    server.stop()


def _print(printer: VirtualPrinter, text: str) -> None:
    with socket.create_connection(("127.0.0.1", printer.port), timeout=5) as sock:
        sock.sendall(INIT + CP858 + text.encode("cp858") + b"\n" + CUT)


def test_receipts_printed_over_tcp_are_listed_decoded(virtual_printer, control):
    _print(virtual_printer, "Total 3,50 €")
    wait_until(lambda: virtual_printer.receipts, what="the receipt")

    [receipt] = control_request(control.port, "GET", "/receipts")

    assert (receipt["index"], receipt["text"], receipt["is_cut"]) == (
        1,
        "Total 3,50 €",
        True,
    )


def test_deleting_the_receipts_forgets_them(virtual_printer, control):
    _print(virtual_printer, "Merci")
    wait_until(lambda: virtual_printer.receipts, what="the receipt")

    state = control_request(control.port, "DELETE", "/receipts")

    assert (state["receipts"], control_request(control.port, "GET", "/receipts")) == (
        0,
        [],
    )


def test_faults_are_set_over_the_control_endpoint(virtual_printer, control):
    state = control_request(
        control.port,
        "POST",
        "/faults",
        {"fault": "paper_out", "transport": "slow_reply", "slow_reply_ms": 1500},
    )

    assert (state["fault"], state["transport_fault"]) == ("paper_out", "slow_reply")
    assert virtual_printer.slow_reply_seconds == 1.5


def test_an_unknown_fault_is_refused(control):
    with pytest.raises(ControlError, match="400"):
        control_request(control.port, "POST", "/faults", {"fault": "on_fire"})


def test_the_command_sets_a_fault_on_a_running_printer(virtual_printer, control):
    output = io.StringIO()

    call_command(
        "virtual_printer",
        "--control-port",
        str(control.port),
        "--fault",
        "cover_open",
        stdout=output,
    )

    assert virtual_printer.fault == "cover_open"
    assert '"fault": "cover_open"' in output.getvalue()


def test_the_command_prints_the_receipts_of_a_running_printer(virtual_printer, control):
    _print(virtual_printer, "Commande 42")
    wait_until(lambda: virtual_printer.receipts, what="the receipt")
    output = io.StringIO()

    call_command(
        "virtual_printer",
        "--control-port",
        str(control.port),
        "--receipts",
        stdout=output,
    )

    assert output.getvalue() == "--- receipt 1 ---\nCommande 42\n"
