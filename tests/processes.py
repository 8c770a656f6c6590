"""The project's processes, started for tests and benchmarks and stopped for sure.

daphne, a sandbox, the virtual printer and scanner, the hardware agent and the
loyalty worker all run as a `ChildProcess`: its output goes to a log file that
a failing test shows, `wait_ready` polls until it serves (and fails with that
output when it died first), `stop` sends SIGTERM and then SIGKILL, and a child
still running when the interpreter exits is killed. Everything listens on
127.0.0.1, on ports picked below the ephemeral range (`free_port`).

Benchmarks import this module too (through `bench.common`): nothing here
needs Django set up, except `child_env`, which points a child at the test
database.
"""

from __future__ import annotations

import atexit
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

import requests
from django.db import connection

from sandboxes import control_client_create
from sandboxes.core.control import (
    ControlError,
    SandboxControl,
    SandboxError,
    control_request,
)

ROOT = Path(__file__).resolve().parents[1]
MANAGE_PY = ROOT / "manage.py"
T = TypeVar("T")

# --- Ports ---------------------------------------------------------------------

_HANDED_OUT: set[int] = set()


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port() -> int:
    """A free loopback port for a child process to listen on.

    Taken below the kernel's ephemeral range: the ports of outgoing connections
    (database, Redis, HTTP clients) come from that range, and one of them could
    take a port handed out from it before the child binds it."""
    low, _ = _ephemeral_range()
    top = min(low, 65536) - 1
    bottom = max(1024, top - 12000)
    for _ in range(200):
        port = random.randint(bottom, top)  # noqa: S311 (not a secret)
        if port in _HANDED_OUT:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    with socket.socket() as sock:  # a crowded range: let the kernel choose
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- Environment and waiting -----------------------------------------------------

# The PostgreSQL server of the machine (CI's has one too), for scratch databases.
POSTGRES_SERVER = os.environ.get(
    "KIOSK_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432"
)


@contextmanager
def scratch_postgres(prefix: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{POSTGRES_SERVER}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_env() -> dict[str, str]:
    """Point a child process at the database the tests use."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return {"KIOSK_SQLITE_PATH": str(db["NAME"])}
    user = db.get("USER") or ""
    password = db.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return {"DATABASE_URL": f"postgres://{auth}{host}/{db['NAME']}"}


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child that uses the test database."""
    return {
        **os.environ,
        **database_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **extra,
    }


class WaitTimeout(AssertionError):
    """What was waited for did not come in time."""


def wait_until(
    check: Callable[[], T | None], *, timeout: float = 15.0, what: str = "a condition"
) -> T:
    """The first truthy value of `check()`, polled until `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise WaitTimeout(f"timed out waiting for {what}")
        time.sleep(0.05)


# --- The production settings ---------------------------------------------------------

REDIS = os.environ.get("KIOSK_TEST_REDIS", "redis://127.0.0.1:6379/11")
# The name the store's kiosks reach the server by, as in deploy/proxy/.
HOST = "kiosk.store.lan"
ORIGIN = f"https://{HOST}"
# What the TLS reverse proxy in front of daphne adds to every request.
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https", "Origin": ORIGIN}


def production_env(
    directory: Path, *, database_url: str | None, **extra: str
) -> dict[str, str]:
    """The settings of `deploy/store.env.example` on this machine's services:
    TLS behind the proxy, the secret key from a file, DEBUG off. Without
    `database_url`, SQLite in `directory`."""
    secret = directory / "secret_key"
    secret.write_text("store-" + os.urandom(24).hex(), encoding="utf-8")
    secret.chmod(0o600)
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL"} and not name.startswith("KIOSK_")
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "KIOSK_DATA_DIR": str(directory),
        "KIOSK_DEBUG": "0",
        "KIOSK_TLS": "1",
        "KIOSK_SECRET_KEY_FILE": str(secret),
        "KIOSK_ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "KIOSK_CSRF_TRUSTED_ORIGINS": ORIGIN,
        "REDIS_URL": REDIS,
        "KIOSK_LOG_LEVEL": "WARNING",
        **({"DATABASE_URL": database_url} if database_url else {}),
        **extra,
    }


# --- One child process -------------------------------------------------------------


class ProcessStartError(Exception):
    """A child died or did not get ready; the message carries its output."""


_RUNNING: set[ChildProcess] = set()


@atexit.register
def _kill_running() -> None:
    for child in list(_RUNNING):
        child.kill()


class ChildProcess:
    """`python <arguments>` (or `program <arguments>`) from the repository's
    root, its output in a log file.

    The log goes to `directory/<name>.log`, kept for the test to show; without
    a directory, to a temporary file removed by `stop` (`output` still has it).
    `env` is the child's whole environment, this process's by default.
    """

    def __init__(
        self,
        name: str,
        arguments: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        directory: Path | None = None,
        program: str | None = None,
    ) -> None:
        self.name = name
        self.command = [program or sys.executable, *arguments]
        self.env = {
            **(os.environ if env is None else env),
            "PYTHONUNBUFFERED": "1",
        }
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None
        self._final_output: str | None = None

    def start(self) -> Self:
        if self.directory is None:
            handle, name = tempfile.mkstemp(prefix=f"{self.name}-", suffix=".log")
            os.close(handle)
            self.log_path = Path(name)
        else:
            self.log_path = self.directory / f"{self.name}.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _RUNNING.add(self)
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def output(self) -> str:
        """What the child printed so far (kept after `stop` removes a temporary log)."""
        if self._final_output is not None:
            return self._final_output
        if self.log_path is None:
            return ""
        return self.log_path.read_text(errors="replace")

    def wait_ready(
        self, check: Callable[[], T | None], *, timeout: float, what: str = "ready"
    ) -> T:
        """The first truthy value of `check()`, while the child lives.

        Raises `ProcessStartError` with the child's output when it exits
        first, or when `timeout` seconds pass (the child is killed then).
        """

        def alive_and_ready() -> T | None:
            if self.process is None or self.process.poll() is not None:
                raise ProcessStartError(self._failure(f"exited before it was {what}"))
            return check()

        try:
            return wait_until(alive_and_ready, timeout=timeout, what=what)
        except WaitTimeout:
            self.kill()
            raise ProcessStartError(
                self._failure(f"was not {what} within {timeout:g} s")
            ) from None

    def wait_for_output(self, text: str, *, timeout: float = 15.0) -> None:
        """Until the child printed `text` (failing if it exits without)."""

        def seen() -> bool:
            output = self.output()
            if text not in output and self.process and self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{output}")
            return text in output

        wait_until(seen, timeout=timeout, what=f"{text!r} from {self.name}")

    def stop(self, *, timeout: float = 10.0) -> int | None:
        """SIGTERM, then SIGKILL after `timeout` seconds; returns the exit code."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._finish()
        return process.returncode

    def kill(self) -> None:
        """Last resort, also run at interpreter exit."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._finish()

    def _finish(self) -> None:
        _RUNNING.discard(self)
        if self.directory is None and self._final_output is None:
            self._final_output = self.output()
            if self.log_path is not None:
                self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _failure(self, what: str) -> str:
        return f"{self.name} {what}: {' '.join(self.command)}\n{self.output()}"


def manage_py(
    name: str,
    *arguments: str,
    env: Mapping[str, str] | None = None,
    directory: Path | None = None,
) -> ChildProcess:
    """`manage.py <arguments>` started as a child."""
    return ChildProcess(
        name, [str(MANAGE_PY), *arguments], env=env, directory=directory
    ).start()


def manage_py_output(
    *arguments: str, env: Mapping[str, str], timeout: float = 300
) -> str:
    """`manage.py <arguments>` run to its end; its standard output (raises
    CalledProcessError when it fails)."""
    return subprocess.run(
        [sys.executable, str(MANAGE_PY), *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    ).stdout


# --- daphne ----------------------------------------------------------------------------


class DaphneServer(ChildProcess):
    """`daphne config.asgi:application` on 127.0.0.1:`port`, as in production."""

    def __init__(
        self,
        port: int,
        *,
        env: Mapping[str, str] | None = None,
        directory: Path | None = None,
    ) -> None:
        arguments = ["-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
        super().__init__(
            "daphne",
            [*arguments, "config.asgi:application"],
            env=env,
            directory=directory,
        )
        self.port = port

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def is_serving(self) -> bool:
        """Django answers over HTTP (with any status)."""
        with requests.Session() as session:
            session.trust_env = False
            try:
                session.get(
                    self.base + "/admin/login/", timeout=1, allow_redirects=False
                )
            except requests.ConnectionError:
                return False
        return True


def daphne_start(
    env: Mapping[str, str] | None = None,
    *,
    directory: Path | None = None,
    port: int | None = None,
    timeout: float = 30.0,
) -> DaphneServer:
    """daphne on a free port, once Django answers; `env` as for `ChildProcess`."""
    server = DaphneServer(port or free_port(), env=env, directory=directory).start()
    server.wait_ready(server.is_serving, timeout=timeout, what="serving")
    return server


# --- A sandbox -----------------------------------------------------------------------

LISTENING_PATTERN = re.compile(r"listening on (http://\S+)")


class SandboxProcess:
    """`manage.py sandbox <name>` on a port the system picks, with its control client.

    The child binds port 0, so no two test runs race for one; it prints its
    address, which is read back from its log. `start` answers the control
    client that knows the emulator's routes (`sandboxes.control_client_create`).
    """

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
        self.startup_timeout_s = startup_timeout_s
        self.child = ChildProcess(
            f"{name}-sandbox",
            [
                str(MANAGE_PY),
                "sandbox",
                name,
                "--host",
                host,
                "--port",
                "0",
                "--database",
                str(database),
                *(["--reset"] if reset else []),
                *arguments,
            ],
        )
        self.control: SandboxControl | None = None

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self.child.process

    def start(self) -> SandboxControl:
        """Start the child and wait until its health route answers."""
        self.child.start()
        self.control = self.child.wait_ready(
            self._control_when_healthy,
            timeout=self.startup_timeout_s,
            what="answering",
        )
        return self.control

    def output(self) -> str:
        return self.child.output()

    def stop(self) -> int | None:
        if self.control is not None:
            self.control.close()
        return self.child.stop()

    def kill(self) -> None:
        self.child.kill()

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


# --- The hardware: virtual printer and scanner, and the agent ------------------------


def _control_answers(port: int) -> bool:
    try:
        control_request(port, "GET", "/state")
    except ControlError:
        return False
    return True


def _virtual_device_start(
    name: str, *arguments: str, control_port: int, directory: Path | None
) -> ChildProcess:
    device = manage_py(
        name, *arguments, "--control-port", str(control_port), directory=directory
    )
    device.wait_ready(
        lambda: _control_answers(control_port),
        timeout=15.0,
        what="answering on its control endpoint",
    )
    return device


def virtual_printer_start(
    *, port: int, control_port: int, directory: Path | None = None
) -> ChildProcess:
    """`manage.py virtual_printer`, once its control endpoint answers."""
    return _virtual_device_start(
        "printer",
        "virtual_printer",
        "--port",
        str(port),
        control_port=control_port,
        directory=directory,
    )


def virtual_scanner_start(
    *, link: Path, control_port: int, directory: Path | None = None
) -> ChildProcess:
    """`manage.py virtual_scanner` behind `link`, once its control endpoint answers."""
    return _virtual_device_start(
        "scanner",
        "virtual_scanner",
        "--link",
        str(link),
        control_port=control_port,
        directory=directory,
    )


def hardware_agent_start(
    *,
    server: str,
    token_file: Path,
    scanner: Path | None,
    printer: str,
    status_interval: float | None = None,
    env: Mapping[str, str] | None = None,
    directory: Path | None = None,
) -> ChildProcess:
    """`manage.py hardware_agent` towards the daphne at `server` (http://…)."""
    options = [
        "--server",
        f"{server.replace('http://', 'ws://')}/ws/device/",
        "--token-file",
        str(token_file),
        "--printer",
        printer,
    ]
    if scanner is not None:
        options += ["--scanner", str(scanner)]
    if status_interval is not None:
        options += ["--status-interval", str(status_interval)]
    return manage_py("agent", "hardware_agent", *options, env=env, directory=directory)


@dataclass
class Hardware:
    """A virtual printer, a virtual scanner (a kiosk's, not a kitchen
    printer's) and the agent between them and daphne.

    As a context manager it stops them all, after writing their logs to
    standard error when the block failed.
    """

    printer: ChildProcess
    scanner: ChildProcess | None
    agent: ChildProcess
    printer_control: int
    scanner_control: int
    directory: Path

    def _processes(self) -> list[ChildProcess]:
        return [p for p in (self.agent, self.scanner, self.printer) if p is not None]

    def stop(self) -> None:
        for process in self._processes():
            process.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is not None:
            sys.stderr.write(self.logs())
        self.stop()

    def receipts(self) -> list[dict[str, Any]]:
        return list(control_request(self.printer_control, "GET", "/receipts"))

    def printer_state(self) -> dict[str, Any]:
        return dict(control_request(self.printer_control, "GET", "/state"))

    def printer_faults(self, **faults: Any) -> None:
        control_request(self.printer_control, "POST", "/faults", faults)

    def scan(self, code: str) -> float:
        answer = control_request(self.scanner_control, "POST", "/scan", {"code": code})
        return float(answer["last_byte_at"])

    def logs(self) -> str:
        return "\n".join(
            f"--- {process.name} ---\n{process.output()}"
            for process in self._processes()
        )


def hardware_start(
    *,
    server: str,
    token: str,
    directory: Path,
    status_interval: float = 0.5,
    with_scanner: bool = True,
) -> Hardware:
    """The processes of a device's hardware, the agent started last: a
    kiosk's printer and scanner, or (`with_scanner=False`) a printer only."""
    printer_port, printer_control, scanner_control = (
        free_port(),
        free_port(),
        free_port(),
    )
    link = directory / "usb-Virtual_Scanner_0001-if00"
    token_file = directory / "device.token"
    token_file.write_text(token)
    printer = virtual_printer_start(
        port=printer_port, control_port=printer_control, directory=directory
    )
    scanner = (
        virtual_scanner_start(
            link=link, control_port=scanner_control, directory=directory
        )
        if with_scanner
        else None
    )
    agent = hardware_agent_start(
        server=server,
        token_file=token_file,
        scanner=link if with_scanner else None,
        printer=f"tcp://127.0.0.1:{printer_port}",
        status_interval=status_interval,
        directory=directory,
    )
    return Hardware(
        printer, scanner, agent, printer_control, scanner_control, directory
    )
