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
