"""The helper that starts the project's processes for tests and benchmarks."""

from __future__ import annotations

import socket

import pytest

from tests.processes import ChildProcess, ProcessStartError, _ephemeral_range, free_port

STUBBORN = (
    "import signal, sys, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "print('ignoring SIGTERM', flush=True)\n"
    "time.sleep(60)\n"
)


def test_a_free_port_is_below_the_ephemeral_range_and_bindable():
    port = free_port()

    assert port < _ephemeral_range()[0]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_a_child_that_ignores_sigterm_is_killed_by_stop():
    child = ChildProcess("stubborn", ["-c", STUBBORN]).start()
    child.wait_for_output("ignoring SIGTERM")

    returncode = child.stop(timeout=0.5)

    assert returncode == -9
    assert child.process.poll() == -9


def test_a_child_that_dies_while_starting_fails_with_its_output():
    child = ChildProcess(
        "broken", ["-c", "import sys; print('no such setting'); sys.exit(3)"]
    ).start()

    with pytest.raises(ProcessStartError, match="broken exited before it was ready"):
        child.wait_ready(lambda: False, timeout=10)

    assert "no such setting" in child.output()


def test_a_child_never_ready_is_killed_when_the_wait_ends():
    child = ChildProcess("slow", ["-c", "import time; time.sleep(60)"]).start()

    with pytest.raises(ProcessStartError, match="slow was not ready within 0.3 s"):
        child.wait_ready(lambda: False, timeout=0.3)

    assert child.process.poll() == -9


def test_a_temporary_log_is_removed_but_its_output_kept():
    child = ChildProcess("talker", ["-c", "print('bonjour')"]).start()
    child.wait_for_output("bonjour")

    child.stop()

    assert not child.log_path.exists()
    assert child.output() == "bonjour\n"


def test_a_log_in_a_directory_stays_for_the_test_to_show(tmp_path):
    talker = ChildProcess("talker", ["-c", "print('salut')"], directory=tmp_path)
    with talker.start() as child:
        child.wait_for_output("salut")

    assert (tmp_path / "talker.log").read_text() == "salut\n"
