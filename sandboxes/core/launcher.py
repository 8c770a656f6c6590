"""Start a sandbox as a child process and stop it for sure (tests, benchmarks).

The child binds port 0, so the system picks a free port and no two test runs
race for one; it prints its address, which is read back from its log file.
The log file also explains a child that died during start-up.
"""

from __future__ import annotations

import atexit
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from sandboxes import control_client_create
from sandboxes.core.control import SandboxControl, SandboxError

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"
LISTENING_PATTERN = re.compile(r"listening on (http://\S+)")


class SandboxStartError(Exception):
    """The sandbox did not come up; the message carries its output."""


class SandboxProcess:
    def __init__(
        self,
        name: str,
        *,
        database: Path,
        arguments: Sequence[str] = (),
        host: str = "127.0.0.1",
        reset: bool = True,
        startup_timeout_s: float = 20.0,
    ) -> None:
        self.name = name
        self.database = database
        self.arguments = list(arguments)
        self.host = host
        self.reset = reset
        self.startup_timeout_s = startup_timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self.control: SandboxControl | None = None
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (lives as long as the process)
            prefix=f"sandbox-{name}-", suffix=".log", delete=False
        )
        self.log_path = Path(self._log.name)
        self._final_output: str | None = None
        atexit.register(self.kill)

    @property
    def command(self) -> list[str]:
        return [
            sys.executable,
            str(MANAGE_PY),
            "sandbox",
            self.name,
            "--host",
            self.host,
            "--port",
            "0",
            "--database",
            str(self.database),
            *(["--reset"] if self.reset else []),
            *self.arguments,
        ]

    def start(self) -> SandboxControl:
        """Start the child and wait until its health route answers."""
        self.process = subprocess.Popen(
            self.command,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            cwd=MANAGE_PY.parent,
        )
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SandboxStartError(self._failure("exited during start-up"))
            control = self._control_when_healthy()
            if control is not None:
                self.control = control
                return control
            time.sleep(0.05)
        self.kill()
        raise SandboxStartError(self._failure("did not answer in time"))

    def output(self) -> str:
        """What the child printed so far (kept after `stop` removes the log file)."""
        if self._final_output is not None:
            return self._final_output
        return self.log_path.read_text(errors="replace")

    def stop(self, *, timeout_s: float = 5.0) -> int | None:
        """SIGTERM, then SIGKILL after `timeout_s`; returns the exit code."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.control is not None:
            self.control.close()
        if self._final_output is None:
            self._final_output = self.output()
            self._log.close()
            self.log_path.unlink(missing_ok=True)
        return process.returncode

    def kill(self) -> None:
        """Last resort, also run at interpreter exit."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> SandboxControl:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _control_when_healthy(self) -> SandboxControl | None:
        found = LISTENING_PATTERN.search(self.output())
        if found is None:
            return None
        control = control_client_create(self.name, found.group(1), timeout_s=2.0)
        try:
            control.health()
        except SandboxError:
            control.close()
            return None
        control.timeout_s = 5.0
        return control

    def _failure(self, what: str) -> str:
        return f"{self.name} sandbox {what}: {' '.join(self.command)}\n{self.output()}"
