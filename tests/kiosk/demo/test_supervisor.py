from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# A supervisor over two children that record their pid, one of which exits
# after its first start so that the restart can be observed.
SCRIPT = textwrap.dedent(
    """
    import sys
    from kiosk.demo.supervisor import ProcessSpec, Supervisor

    workdir = sys.argv[1]
    child = (
        "import os, sys, time, pathlib;"
        "p = pathlib.Path(sys.argv[1]);"
        "p.open('a').write(f'{os.getpid()}\\\\n');"
        "n = len(p.read_text().split());"
        "sys.exit(3) if sys.argv[2] == 'flaky' and n == 1 else time.sleep(600)"
    )
    specs = [
        ProcessSpec("steady", [sys.executable, "-c", child, f"{workdir}/steady", "steady"]),
        ProcessSpec("flaky", [sys.executable, "-c", child, f"{workdir}/flaky", "flaky"]),
    ]
    print("supervisor up", flush=True)
    sys.exit(Supervisor(specs, grace_seconds=3, max_restart_delay=0.5).run())
    """
)


def _wait_for(condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def _pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_it_restarts_a_child_and_stops_all_on_ctrl_c(tmp_path):
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(
            lambda: len(_pids(tmp_path / "flaky")) == 2 and _pids(tmp_path / "steady")
        )
        children = _pids(tmp_path / "steady")[-1:] + _pids(tmp_path / "flaky")[-1:]
        assert all(_alive(pid) for pid in children)

        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=10) == 0
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    output = supervisor.stdout.read().decode() if supervisor.stdout else ""

    _wait_for(lambda: not any(_alive(pid) for pid in children), timeout=5)
    assert len(_pids(tmp_path / "steady")) == 1
    assert "flaky | exited with code 3; restarting in 0.5 s" in output
    assert "steady | stopped (code -15)" in output


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for its new parent to reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_killed_supervisor_takes_its_children_with_it(tmp_path):
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(lambda: _pids(tmp_path / "steady") and _pids(tmp_path / "flaky"))
        children = _pids(tmp_path / "steady")[-1:]
        assert all(_running(pid) for pid in children)

        supervisor.kill()
        supervisor.wait(timeout=10)

        _wait_for(lambda: not any(_running(pid) for pid in children), timeout=5)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()


def test_it_starts_nothing_when_a_port_it_needs_is_taken(tmp_path):
    import io
    import socket

    from kiosk.demo.supervisor import PortNeed, ProcessSpec, Supervisor

    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    marker = tmp_path / "started"
    spec = ProcessSpec(
        "pongo",
        [sys.executable, "-c", f"open({str(marker)!r}, 'w')"],
        ports=[PortNeed(port, "the Pongo sandbox", "SANDBOX_PONGO_PORT")],
    )
    output = io.StringIO()
    try:
        code = Supervisor([spec], output=output).run()
    finally:
        holder.close()

    assert code == 2
    assert (
        f"Port {port} (the Pongo sandbox) is in use: stop what holds it or set "
        "SANDBOX_PONGO_PORT."
    ) in output.getvalue()
    time.sleep(0.2)
    assert not marker.exists()


def test_a_child_that_ran_a_while_restarts_at_the_shortest_delay():
    import io

    from kiosk.demo.supervisor import STABLE_SECONDS, ProcessSpec, Supervisor, _Child

    class Exited:
        returncode = 1

        def poll(self) -> int:
            return 1

    supervisor = Supervisor([ProcessSpec("x", ["true"])], output=io.StringIO())
    flapping = _Child(ProcessSpec("x", ["true"]), restarts=4, started_at=100.0)
    flapping.process = Exited()  # type: ignore[assignment]
    stable = _Child(ProcessSpec("y", ["true"]), restarts=4, started_at=100.0)
    stable.process = Exited()  # type: ignore[assignment]

    supervisor._watch(flapping, now=101.0)
    supervisor._watch(stable, now=100.0 + STABLE_SECONDS)

    assert flapping.next_start == 101.0 + 16
    assert stable.next_start == 100.0 + STABLE_SECONDS + 1
    assert stable.restarts == 1
