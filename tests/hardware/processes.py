"""Real processes for the hardware flows: daphne, the simulators and the agent.

Shared by the agent process test and the browser flows. Everything listens on
127.0.0.1; each process logs to a file the failing test can show.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sandboxes.core.control import ControlError, control_request
from tests.processes import database_env, free_port

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def wait_until(
    check: Callable[[], T | None], *, timeout: float = 10.0, what: str = "it"
) -> T:
    """The first truthy value of `check()`, polled until `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Process:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def wait_for_output(self, text: str, timeout: float = 15.0) -> None:
        def seen() -> bool:
            if self.process.poll() is not None and text not in self.output():
                raise AssertionError(f"{self.name} exited:\n{self.output()}")
            return text in self.output()

        wait_until(seen, timeout=timeout, what=f"{text!r} from {self.name}")


def start(
    name: str, arguments: list[str], directory: Path, env: dict[str, str] | None = None
) -> Process:
    log = directory / f"{name}.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, *arguments],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Process(name, process, log)


def start_daphne(
    port: int, directory: Path, env: dict[str, str] | None = None
) -> Process:
    server = start(
        "daphne",
        ["-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        directory,
        {**database_env(), **(env or {})},
    )

    def is_listening() -> bool:
        if server.process.poll() is not None:
            raise AssertionError(f"daphne exited:\n{server.output()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            return False
        return True

    wait_until(is_listening, timeout=30, what="daphne")
    return server


def control(
    port: int, method: str, path: str, body: dict[str, Any] | None = None
) -> Any:
    return control_request(port, method, path, body)


def control_ready(port: int) -> bool:
    try:
        control_request(port, "GET", "/state")
    except ControlError:
        return False
    return True


@dataclass
class Hardware:
    """A virtual printer, a virtual scanner and the agent between them and daphne."""

    printer: Process
    scanner: Process
    agent: Process
    printer_control: int
    scanner_control: int
    directory: Path

    def stop(self) -> None:
        for process in (self.agent, self.scanner, self.printer):
            process.stop()

    def receipts(self) -> list[dict[str, Any]]:
        return list(control(self.printer_control, "GET", "/receipts"))

    def printer_state(self) -> dict[str, Any]:
        return dict(control(self.printer_control, "GET", "/state"))

    def printer_faults(self, **faults: Any) -> None:
        control(self.printer_control, "POST", "/faults", faults)

    def scan(self, code: str) -> float:
        return float(
            control(self.scanner_control, "POST", "/scan", {"code": code})[
                "last_byte_at"
            ]
        )

    def logs(self) -> str:
        return "\n".join(
            f"--- {process.name} ---\n{process.output()}"
            for process in (self.agent, self.scanner, self.printer)
        )


def start_hardware(
    *, server: str, token: str, directory: Path, status_interval: float = 0.5
) -> Hardware:
    printer_port, printer_control, scanner_control = (
        free_port(),
        free_port(),
        free_port(),
    )
    link = directory / "usb-Virtual_Scanner_0001-if00"
    token_file = directory / "device.token"
    token_file.write_text(token)
    printer = start(
        "printer",
        [
            "manage.py",
            "virtual_printer",
            "--port",
            str(printer_port),
            "--control-port",
            str(printer_control),
        ],
        directory,
    )
    scanner = start(
        "scanner",
        [
            "manage.py",
            "virtual_scanner",
            "--link",
            str(link),
            "--control-port",
            str(scanner_control),
        ],
        directory,
    )
    wait_until(lambda: control_ready(printer_control), what="the virtual printer")
    wait_until(lambda: control_ready(scanner_control), what="the virtual scanner")
    agent = start(
        "agent",
        [
            "manage.py",
            "hardware_agent",
            "--server",
            f"{server.replace('http://', 'ws://')}/ws/device/",
            "--token-file",
            str(token_file),
            "--scanner",
            str(link),
            "--printer",
            f"tcp://127.0.0.1:{printer_port}",
            "--status-interval",
            str(status_interval),
        ],
        directory,
    )
    return Hardware(
        printer, scanner, agent, printer_control, scanner_control, directory
    )
