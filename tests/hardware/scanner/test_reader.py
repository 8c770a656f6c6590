"""The scanner reader on a real pty, as the agent runs it."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from hardware.scanner.framing import ScanFraming
from hardware.scanner.reader import ScannerConfig, ScannerReader, ScannerState
from sandboxes.scanner.emulator import VirtualScanner


@dataclass
class Running:
    reader: ScannerReader
    scans: queue.Queue[str] = field(default_factory=queue.Queue)
    states: queue.Queue[tuple[ScannerState, str]] = field(default_factory=queue.Queue)

    def next_scan(self, timeout: float = 3.0) -> str:
        return self.scans.get(timeout=timeout)

    def wait_for(self, state: ScannerState, timeout: float = 5.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                seen, detail = self.states.get(timeout=0.1)
            except queue.Empty:
                continue
            if seen == state:
                return detail
        raise AssertionError(f"the scanner never became {state}")


def _start(
    scanner: VirtualScanner, framing: ScanFraming | None = None
) -> Iterator[Running]:
    running: Running
    reader = ScannerReader(
        ScannerConfig(port=str(scanner.link), framing=framing or ScanFraming()),
        on_scan=lambda code: running.scans.put(code),
        on_state=lambda state, detail: running.states.put((state, detail)),
    )
    running = Running(reader)
    thread = threading.Thread(target=reader.run, daemon=True)
    thread.start()
    running.wait_for(ScannerState.CONNECTED)
    yield running
    reader.stop()
    thread.join(timeout=3)


@pytest.fixture
def reading(virtual_scanner) -> Iterator[Running]:
    yield from _start(virtual_scanner)


@pytest.mark.parametrize("suffix", ["\r", "\n", "\r\n"], ids=["cr", "lf", "crlf"])
def test_codes_ending_in_cr_lf_or_crlf_arrive(virtual_scanner, reading, suffix):
    virtual_scanner.type_code("3017620422003", suffix=suffix)
    virtual_scanner.type_code("member-0042", suffix=suffix)

    assert [reading.next_scan(), reading.next_scan()] == [
        "3017620422003",
        "member-0042",
    ]


def test_a_code_without_suffix_arrives_after_a_silence(virtual_scanner, reading):
    typed_at = time.monotonic()
    virtual_scanner.type_code("3017620422003", suffix="")

    assert reading.next_scan() == "3017620422003"
    assert time.monotonic() - typed_at >= 0.05


def test_codes_typed_at_9600_baud_arrive(virtual_scanner, reading):
    virtual_scanner.baudrate = 9600

    virtual_scanner.type_code("3017620422003")

    assert reading.next_scan() == "3017620422003"


def test_configured_prefix_suffix_and_aim_are_stripped(tmp_path):
    scanner = VirtualScanner(tmp_path / "scanner", prefix="#]E0", baudrate=0)
    scanner.plug()
    framing = ScanFraming(prefix="#", suffix="/end", strip_aim=True)
    try:
        for running in _start(scanner, framing):
            scanner.type_code("3017620422003/end")
            assert running.next_scan() == "3017620422003"
    finally:
        scanner.unplug()


def test_an_over_long_code_is_dropped_and_logged(virtual_scanner, reading, caplog):
    caplog.set_level(logging.WARNING, logger="hardware.scanner.reader")

    virtual_scanner.type_code("9" * 300)
    virtual_scanner.type_code("3017620422003")

    assert reading.next_scan() == "3017620422003"
    assert reading.scans.empty()
    assert "scan rejected: longer than 256 bytes" in caplog.messages


def test_binary_garbage_is_dropped_and_logged(virtual_scanner, reading, caplog):
    caplog.set_level(logging.WARNING, logger="hardware.scanner.reader")

    virtual_scanner.write(bytes(range(256)) + b"\r")
    virtual_scanner.type_code("3017620422003")

    assert reading.next_scan() == "3017620422003"
    assert reading.scans.empty()
    assert "scan rejected: binary data" in caplog.messages


def test_unplug_then_replug_on_a_new_device_node(virtual_scanner, reading):
    first_device = virtual_scanner.device_path
    virtual_scanner.type_code("before")
    assert reading.next_scan() == "before"

    virtual_scanner.unplug()
    reading.wait_for(ScannerState.DISCONNECTED)
    # Another pty takes the old node's place, so replugging gets a new one.
    other = VirtualScanner(virtual_scanner.link.with_name("other"), baudrate=0)
    other.plug()
    try:
        second_device = virtual_scanner.plug()
        assert reading.wait_for(ScannerState.CONNECTED) == str(virtual_scanner.link)
        virtual_scanner.type_code("after")

        assert reading.next_scan() == "after"
        assert second_device != first_device
    finally:
        other.unplug()


def test_a_port_held_by_another_reader_is_an_error(virtual_scanner, reading):
    second: Running
    reader = ScannerReader(
        ScannerConfig(port=str(virtual_scanner.link)),
        on_scan=lambda code: None,
        on_state=lambda state, detail: second.states.put((state, detail)),
    )
    second = Running(reader)
    thread = threading.Thread(target=reader.run, daemon=True)
    thread.start()
    try:
        detail = second.wait_for(ScannerState.ERROR)
    finally:
        reader.stop()
        thread.join(timeout=3)

    assert detail.endswith("(another process holds the port)")


def test_a_missing_port_is_disconnected_until_it_appears(tmp_path):
    scanner = VirtualScanner(tmp_path / "late", baudrate=0)
    states: queue.Queue[tuple[ScannerState, str]] = queue.Queue()
    reader = ScannerReader(
        ScannerConfig(port=str(scanner.link)),
        on_scan=lambda code: None,
        on_state=lambda state, detail: states.put((state, detail)),
    )
    thread = threading.Thread(target=reader.run, daemon=True)
    thread.start()
    try:
        assert states.get(timeout=3)[0] == ScannerState.DISCONNECTED
        scanner.plug()
        assert states.get(timeout=5) == (ScannerState.CONNECTED, str(scanner.link))
    finally:
        reader.stop()
        thread.join(timeout=3)
        scanner.unplug()
