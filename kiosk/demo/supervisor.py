"""Runs the kiosk's processes side by side and stops them all together.

`manage.py demo` starts the web server here; later processes (loyalty worker,
sandboxes, hardware agent, simulators) join the same list. A child that dies
is restarted with a growing delay; Ctrl-C or SIGTERM stops every child, first
politely (SIGTERM), then for good (SIGKILL) after a grace period.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import IO

logger = logging.getLogger(__name__)


@dataclass
class ProcessSpec:
    name: str
    command: Sequence[str]
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class _Child:
    spec: ProcessSpec
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0


class Supervisor:
    def __init__(
        self,
        specs: Sequence[ProcessSpec],
        *,
        output: IO[str] | None = None,
        grace_seconds: float = 5.0,
        max_restart_delay: float = 30.0,
    ) -> None:
        self.children = [_Child(spec) for spec in specs]
        self.output = output or sys.stdout
        self.grace_seconds = grace_seconds
        self.max_restart_delay = max_restart_delay
        self.stopping = threading.Event()
        self._write_lock = threading.Lock()

    def _write(self, name: str, line: str) -> None:
        with self._write_lock:
            self.output.write(f"{name:>10} | {line}\n")
            self.output.flush()

    def _pump(self, name: str, stream: IO[bytes]) -> None:
        for raw in iter(stream.readline, b""):
            self._write(name, raw.decode(errors="replace").rstrip())
        stream.close()

    def _start(self, child: _Child) -> None:
        spec = child.spec
        process = subprocess.Popen(
            list(spec.command),
            env={**os.environ, **spec.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # Its own session: Ctrl-C reaches the supervisor, which stops the children in order.
            start_new_session=True,
        )
        child.process = process
        assert process.stdout is not None
        threading.Thread(
            target=self._pump, args=(spec.name, process.stdout), daemon=True
        ).start()
        self._write(spec.name, f"started (pid {process.pid})")

    def _restart_delay(self, child: _Child) -> float:
        return float(min(self.max_restart_delay, 2 ** min(child.restarts, 5)))

    def _watch(self, child: _Child, now: float) -> None:
        process = child.process
        if process is None:
            if now >= child.next_start:
                self._start(child)
            return
        code = process.poll()
        if code is None:
            return
        delay = self._restart_delay(child)
        self._write(
            child.spec.name, f"exited with code {code}; restarting in {delay:g} s"
        )
        child.process = None
        child.restarts += 1
        child.next_start = now + delay

    def run(self) -> int:
        """Start everything and wait until asked to stop."""
        previous = {
            signal.SIGINT: signal.signal(signal.SIGINT, self._on_signal),
            signal.SIGTERM: signal.signal(signal.SIGTERM, self._on_signal),
        }
        try:
            for child in self.children:
                self._start(child)
            while not self.stopping.wait(0.2):
                now = time.monotonic()
                for child in self.children:
                    self._watch(child, now)
        finally:
            self.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return 0

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    def stop(self) -> None:
        """Stop every child: SIGTERM to its process group, SIGKILL after the grace period."""
        running = [
            c.process for c in self.children if c.process and c.process.poll() is None
        ]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + self.grace_seconds
        for process in running:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        for child in self.children:
            if child.process is not None:
                self._write(
                    child.spec.name, f"stopped (code {child.process.returncode})"
                )
                child.process = None


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
