"""Runs the kiosk's processes side by side and stops them all together.

`manage.py demo` starts the web server here; later processes (loyalty worker,
sandboxes, hardware agent, simulators) join the same list. A child that dies
is restarted with a growing delay, back to the shortest once it had run for
STABLE_SECONDS; Ctrl-C or SIGTERM stops every child, first politely
(SIGTERM), then for good (SIGKILL) after a grace period. A supervisor killed
outright takes its children with it (Linux: each child asks the kernel to
kill it when its parent dies), so none is left holding a port. It starts
nothing when a port one of its children needs is taken.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import IO

logger = logging.getLogger(__name__)


# A child that ran this long before exiting starts again at the shortest delay.
STABLE_SECONDS = 30.0
# prctl(2): the signal a child gets when its parent dies.
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class PortNeed:
    """A port a child listens on: what it is for, and the setting that moves it."""

    port: int
    what: str
    setting: str = ""
    host: str = "127.0.0.1"


@dataclass
class ProcessSpec:
    name: str
    command: Sequence[str]
    env: dict[str, str] = field(default_factory=dict)
    ports: Sequence[PortNeed] = ()


@dataclass
class _Child:
    spec: ProcessSpec
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = 0.0


def port_taken(need: PortNeed) -> bool:
    """Whether something already listens on (or holds) the port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((need.host, need.port))
        except OSError as err:
            return err.errno in (errno.EADDRINUSE, errno.EACCES)
    return False


def taken_ports_message(specs: Sequence[ProcessSpec]) -> str:
    """One line per port already in use, naming what needs it ("" when all are free)."""
    lines = []
    for spec in specs:
        for need in spec.ports:
            if port_taken(need):
                how = f"set {need.setting}" if need.setting else "choose another port"
                lines.append(
                    f"Port {need.port} ({need.what}) is in use: stop what holds it or {how}."
                )
    return "\n".join(lines)


def _die_with_parent(parent: int) -> None:
    """In the child, before exec: be killed when the supervisor dies (Linux)."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return
    libc = ctypes.CDLL(libc_name, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The supervisor may have died before the call: then nobody will signal.
    if os.getppid() != parent:
        os._exit(1)


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
        parent = os.getpid()
        process = subprocess.Popen(
            list(spec.command),
            env={**os.environ, **spec.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # Its own session: Ctrl-C reaches the supervisor, which stops the children in order.
            start_new_session=True,
            preexec_fn=(lambda: _die_with_parent(parent))
            if sys.platform.startswith("linux")
            else None,
        )
        child.process = process
        child.started_at = time.monotonic()
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
        if now - child.started_at >= STABLE_SECONDS:
            child.restarts = 0
        delay = self._restart_delay(child)
        self._write(
            child.spec.name, f"exited with code {code}; restarting in {delay:g} s"
        )
        child.process = None
        child.restarts += 1
        child.next_start = now + delay

    def run(self) -> int:
        """Start everything and wait until asked to stop.

        Returns 2 without starting anything when a port a child needs is taken.
        """
        taken = taken_ports_message([child.spec for child in self.children])
        if taken:
            for line in taken.splitlines():
                self._write("supervisor", line)
            return 2
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
