"""The virtual scanner's control endpoint and command, on a real pty."""

from __future__ import annotations

import io
import os
import select
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from sandboxes.core.control import ControlError, control_request
from sandboxes.core.http import ControlServer
from sandboxes.scanner.emulator import VirtualScanner


@pytest.fixture
def control(virtual_scanner: VirtualScanner) -> Iterator[ControlServer]:
    server = virtual_scanner.serve_control(0)
    yield server
    server.stop()


@pytest.fixture
def line(virtual_scanner: VirtualScanner) -> Iterator[int]:
    """The scanner's serial line, opened the way the agent opens it."""
    descriptor = os.open(virtual_scanner.link, os.O_RDONLY | os.O_NOCTTY)
    yield descriptor
    os.close(descriptor)


def _read(descriptor: int, size: int) -> bytes:
    data = b""
    while len(data) < size:
        readable, _w, _x = select.select([descriptor], [], [], 5)
        assert readable, f"only {data!r} arrived"
        data += os.read(descriptor, size - len(data))
    return data


def test_a_code_scanned_over_the_control_endpoint_arrives_on_the_line(control, line):
    answer = control_request(
        control.port, "POST", "/scan", {"code": "3017620422003", "suffix": "crlf"}
    )

    assert _read(line, 15) == b"3017620422003\r\n"
    assert isinstance(answer["last_byte_at"], float)


def test_raw_bytes_go_down_the_line_as_they_are(control, line):
    control_request(control.port, "POST", "/raw", {"hex": "00ff0d", "paced": False})

    assert _read(line, 3) == b"\x00\xff\r"


def test_a_scan_without_a_code_is_refused(control):
    with pytest.raises(ControlError, match="400"):
        control_request(control.port, "POST", "/scan", {"code": ""})


def test_unplug_then_plug_puts_a_device_behind_the_link_again(virtual_scanner, control):
    before = control_request(control.port, "GET", "/state")

    unplugged = control_request(control.port, "POST", "/unplug", {})
    plugged = control_request(control.port, "POST", "/plug", {})

    assert (before["is_plugged"], unplugged["is_plugged"], plugged["is_plugged"]) == (
        True,
        False,
        True,
    )
    assert unplugged["device"] == ""
    assert plugged["link"] == str(virtual_scanner.link)
    assert plugged["device"] == os.readlink(virtual_scanner.link)


def test_the_command_scans_a_code_on_a_running_scanner(control, line):
    output = io.StringIO()

    call_command(
        "virtual_scanner",
        "--control-port",
        str(control.port),
        "--send",
        "member-42",
        stdout=output,
    )

    assert _read(line, 10) == b"member-42\r"
    assert output.getvalue() == "scanned member-42\n"
