"""`manage.py sandbox rbi`: start-up options, default port and database, clean stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from sandboxes.rbi.control import RbiSandboxControl
from tests.processes import MANAGE_PY, SandboxProcess, free_port, manage_py

STOP_WITHIN_S = 3.0


@pytest.fixture
def start_rbi(tmp_path):
    """Start RBI sandboxes for this test; each is stopped whatever happens."""
    processes = []

    def start(*arguments):
        process = SandboxProcess(
            "rbi", database=tmp_path / "rbi.sqlite3", arguments=arguments
        )
        processes.append(process)
        process.start()
        return process

    yield start
    for process in processes:
        process.stop()


def test_sigterm_stops_the_rbi_sandbox_with_exit_code_0(start_rbi):
    process = start_rbi()

    process.process.send_signal(signal.SIGTERM)

    assert process.process.wait(timeout=STOP_WITHIN_S) == 0
    assert "rbi sandbox stopped" in process.output()


def test_the_launcher_hands_out_the_rbi_control_client(start_rbi):
    assert isinstance(start_rbi().control, RbiSandboxControl)


def test_rbi_switches_and_settings_are_start_up_options(start_rbi):
    control = start_rbi(
        "--upper-snake-codes",
        "--no-loyalty-id-identifier",
        "--email-identifier",
        "--pending-ttl-s",
        "60",
        "--earn-basis",
        "payments",
        "--latency-ms",
        "5",
    ).control
    control.faults(pending_ttl_s=30)

    control.reset()

    faults = control.health()["faults"]
    assert {
        name: faults[name]
        for name in (
            "upper_snake_codes",
            "loyalty_id_identifier",
            "email_identifier",
            "pending_ttl_s",
            "earn_basis",
            "latency_ms",
        )
    } == {
        "upper_snake_codes": True,
        "loyalty_id_identifier": False,
        "email_identifier": True,
        "pending_ttl_s": 60,
        "earn_basis": "payments",
        "latency_ms": 5,
    }


def test_the_default_port_and_database_come_from_the_settings(tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "SANDBOX_RBI_PORT": str(port),
        "SANDBOX_DATA_DIR": str(tmp_path),
    }
    child = manage_py("rbi-sandbox", "sandbox", "rbi", env=environment)
    try:
        child.wait_for_output("\n")
        first_line = child.output().splitlines()[0]
    finally:
        child.stop(timeout=STOP_WITHIN_S)

    assert first_line.strip() == (
        f"rbi sandbox listening on http://127.0.0.1:{port}"
        f" (database {tmp_path / 'rbi.sqlite3'})"
    )


def test_a_pongo_switch_is_refused_for_rbi(tmp_path):
    result = _run("rbi", "--strict-enums", "--database", str(tmp_path / "x.sqlite3"))

    assert result.returncode == 1
    assert "--strict-enums: not a switch of rbi" in result.stderr


def test_an_rbi_setting_is_refused_for_pongo(tmp_path):
    result = _run(
        "pongo", "--pending-ttl-s", "60", "--database", str(tmp_path / "x.sqlite3")
    )

    assert result.returncode == 1
    assert "--pending-ttl-s: not a setting of pongo" in result.stderr


def test_an_invalid_earn_basis_is_refused(tmp_path):
    result = _run(
        "rbi", "--earn-basis", "visits", "--database", str(tmp_path / "x.sqlite3")
    )

    assert result.returncode == 1
    assert "earn_basis" in result.stderr


def test_the_background_sweeper_stops_with_the_sandbox(start_rbi):
    process = start_rbi()
    process.control.set_clock(10)
    time.sleep(0.1)

    process.process.send_signal(signal.SIGINT)

    assert process.process.wait(timeout=STOP_WITHIN_S) == 0


def _run(*arguments):
    return subprocess.run(
        [sys.executable, str(MANAGE_PY), "sandbox", *arguments],
        capture_output=True,
        text=True,
        timeout=30,
    )
