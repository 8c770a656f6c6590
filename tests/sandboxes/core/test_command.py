"""`manage.py sandbox`: start-up options, and a prompt, clean stop on signals."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import pytest
import requests

from tests.processes import MANAGE_PY, SandboxProcess

STOP_WITHIN_S = 3.0


@pytest.fixture
def start_sandbox(tmp_path):
    """Start sandboxes of this test; each is killed at the end whatever happens."""
    processes = []

    def start(*arguments, database=None, reset=True):
        process = SandboxProcess(
            "pongo",
            database=database or tmp_path / "pongo.sqlite3",
            arguments=arguments,
            reset=reset,
        )
        processes.append(process)
        process.start()
        return process

    yield start
    for process in processes:
        process.stop()


def _wait_for_logged_request(control, timeout_s=5.0):
    deadline = time.monotonic() + timeout_s
    while not control.requests():
        assert time.monotonic() < deadline, "the request never reached the sandbox"
        time.sleep(0.02)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_sandbox_with_exit_code_0(start_sandbox, signum):
    process = start_sandbox()

    process.process.send_signal(signum)

    assert process.process.wait(timeout=STOP_WITHIN_S) == 0
    assert "pongo sandbox stopped" in process.output()


def test_sigterm_stops_promptly_despite_a_hanging_request(start_sandbox):
    process = start_sandbox()
    control = process.control
    control.faults(rules=[{"path": "/v1/stores", "action": "timeout"}])
    session = requests.Session()
    session.trust_env = False
    outcome = []

    def hanging_call():
        try:
            session.get(
                f"{control.base_url}/v1/stores",
                headers={"Authorization": "Bearer sandbox-fr-token"},
                timeout=30,
            )
        except requests.RequestException as error:
            outcome.append(type(error))

    caller = threading.Thread(target=hanging_call)
    caller.start()
    _wait_for_logged_request(control)

    process.process.send_signal(signal.SIGTERM)

    assert process.process.wait(timeout=STOP_WITHIN_S) == 0
    caller.join(timeout=STOP_WITHIN_S)
    assert outcome == [requests.ConnectionError]


def test_start_up_knobs_are_what_reset_comes_back_to(start_sandbox):
    control = start_sandbox(
        "--latency-ms",
        "5",
        "--error-status",
        "502",
        "--no-strict-enums",
        "--allow-http-webhooks",
    ).control
    control.faults(latency_ms=0)

    control.reset()

    faults = control.health()["faults"]
    assert (
        faults["latency_ms"],
        faults["error_status"],
        faults["strict_enums"],
        faults["allow_http_webhooks"],
    ) == (5, 502, False, True)


def test_down_option_drops_api_requests(start_sandbox):
    control = start_sandbox("--down").control

    with pytest.raises(requests.ConnectionError):
        requests.Session().get(f"{control.base_url}/v1/stores", timeout=5)


def test_no_restore_rewards_option(start_sandbox):
    control = start_sandbox("--no-restore-rewards").control

    assert control.health()["faults"]["restore_rewards"] is False


def test_data_is_kept_between_runs_without_reset(start_sandbox, tmp_path):
    first = start_sandbox(database=tmp_path / "kept.sqlite3")
    first.control.set_points("cust_0000000001", 7)
    first.stop()

    second = start_sandbox(database=tmp_path / "kept.sqlite3", reset=False)

    assert second.control.set_points("cust_0000000002", 1)["points"] == 1
    assert _points(second, "cust_0000000001") == 7


def test_reset_option_reloads_the_seed(start_sandbox, tmp_path):
    first = start_sandbox(database=tmp_path / "seeded.sqlite3")
    first.control.set_points("cust_0000000001", 7)
    first.stop()

    second = start_sandbox(database=tmp_path / "seeded.sqlite3", reset=True)

    assert _points(second, "cust_0000000001") == 320


def test_an_unknown_emulator_is_refused():
    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), "sandbox", "nowhere"],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 2
    assert "invalid choice: 'nowhere'" in result.stderr


def test_a_port_in_use_is_refused(start_sandbox, tmp_path):
    port = start_sandbox().control.base_url.rsplit(":", 1)[1]

    result = subprocess.run(
        [
            sys.executable,
            str(MANAGE_PY),
            "sandbox",
            "pongo",
            "--port",
            port,
            "--database",
            str(tmp_path / "other.sqlite3"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_a_host_that_is_not_loopback_is_refused(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(MANAGE_PY),
            "sandbox",
            "pongo",
            "--host",
            "0.0.0.0",
            "--database",
            str(tmp_path / "x.sqlite3"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 1
    assert "--host must be a loopback address, not '0.0.0.0'" in result.stderr


def test_invalid_fault_options_are_refused(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(MANAGE_PY),
            "sandbox",
            "pongo",
            "--error-rate",
            "3",
            "--database",
            str(tmp_path / "x.sqlite3"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 1
    assert "error_rate" in result.stderr


def _points(process, customer):
    response = requests.Session().get(
        f"{process.control.base_url}/v1/customers/{customer}",
        headers={"Authorization": "Bearer sandbox-fr-token"},
        timeout=5,
    )
    return response.json()["data"]["points"]
