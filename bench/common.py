"""What the benchmarks share: a demo database, a daphne server, a kiosk browser.

The processes (daphne, a sandbox, the hardware agent) start and stop as the
tests' do, with `tests/processes.py`.

A benchmark script runs as `.venv/bin/python bench/<name>.py`; it puts the
repository root on `sys.path` and then imports this module as `bench.common`:

    ROOT = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(ROOT))

    from bench.common import ...  # noqa: E402

The usual shape of a benchmark:

    with tempfile.TemporaryDirectory() as data_dir:
        env = bench_env(data_dir)
        demo_prepare(env)  # the demo stores, then django.setup() here
        token = provisioning_token("burger-kiosk-1")
        with daphne_start(env) as server:
            browser = Browser(server.base)
            browser.provision(token)
            ...
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import requests

from tests.processes import (
    DaphneServer,
    SandboxProcess,
    daphne_start,
    free_port,
    hardware_agent_start,
)

__all__ = [
    "ROOT",
    "Browser",
    "DaphneServer",
    "SandboxProcess",
    "bench_env",
    "daphne_start",
    "demo_prepare",
    "free_port",
    "hardware_agent_start",
    "percentiles",
    "provisioning_token",
]

ROOT = Path(__file__).resolve().parents[1]
# Settings a developer's shell may carry that would point the benchmark's
# processes at a shared database or channel layer instead of its own folder.
_SHARED_SERVICES = {"DATABASE_URL", "REDIS_URL"}


def bench_env(data_dir: str, **extra: str) -> dict[str, str]:
    """The environment of the benchmark's processes: SQLite and files in `data_dir`.

    `extra` adds or overrides variables (a sandbox's address, lifted limits).
    """
    return {
        **{k: v for k, v in os.environ.items() if k not in _SHARED_SERVICES},
        "KIOSK_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "KIOSK_LOG_LEVEL": "WARNING",
        **extra,
    }


def demo_prepare(env: dict[str, str]) -> None:
    """Migrate and load the demo stores in a child, then set up Django here.

    `manage.py demo --no-serve` runs with `env` (so in its `KIOSK_DATA_DIR`);
    this process then takes the same environment and calls `django.setup()`,
    so the caller may use the models of that database.
    """
    demo = subprocess.run(
        [sys.executable, "manage.py", "demo", "--no-serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if demo.returncode != 0:
        raise RuntimeError(
            f"manage.py demo --no-serve exited with {demo.returncode}:\n"
            f"{demo.stdout[-2000:]}{demo.stderr[-4000:]}"
        )
    os.environ.update(env)
    import django

    django.setup()


def provisioning_token(kiosk_code: str) -> str:
    """A one-time token binding a browser to the kiosk `kiosk_code` (after setup)."""
    from kiosk.models import Kiosk
    from kiosk.services.provisioning import kiosk_provisioning_create

    return kiosk_provisioning_create(kiosk=Kiosk.objects.get(code=kiosk_code))


def percentiles(
    samples: list[float], *, digits: int = 2, with_max: bool = False
) -> dict[str, float]:
    """p50, p95 and p99 (and the maximum if asked) rounded to `digits`, and `n`."""
    cuts = statistics.quantiles(sorted(samples), n=100, method="inclusive")
    figures = {
        "p50": round(cuts[49], digits),
        "p95": round(cuts[94], digits),
        "p99": round(cuts[98], digits),
    }
    if with_max:
        figures["max"] = round(max(samples), digits)
    return {**figures, "n": len(samples)}


class Browser:
    """A kiosk screen: a requests session that keeps its cookies, sends the CSRF
    token Django set, and never follows redirects (the caller reads `Location`).

    `call` also times the request under a step name in `timings` and raises
    on an error status; `get` and `post` just send.
    """

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        # The server is local: never send its traffic to a proxy of the environment.
        self.session.trust_env = False
        self.timings: dict[str, list[float]] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        htmx: bool = False,
        data: Mapping[str, str] | None = None,
    ) -> requests.Response:
        headers = {"X-CSRFToken": self.session.cookies.get("csrftoken") or ""}
        if htmx:
            headers["HX-Request"] = "true"
        return self.session.request(
            method,
            self.base + path,
            data=data,
            headers=headers,
            allow_redirects=False,
            timeout=10,
        )

    def get(self, path: str) -> requests.Response:
        return self.request("GET", path)

    def post(self, path: str, **data: str) -> requests.Response:
        return self.request("POST", path, data=data)

    def call(
        self,
        step: str,
        method: str,
        path: str,
        *,
        htmx: bool = False,
        data: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Send, raise on a 4xx or 5xx, and record the time in `timings[step]`."""
        started = time.perf_counter()
        response = self.request(method, path, htmx=htmx, data=data)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code >= 400:
            raise RuntimeError(f"{step}: {response.status_code} {response.text[:300]}")
        self.timings.setdefault(step, []).append(elapsed)
        return response

    def provision(self, token: str) -> None:
        """Bind this browser to the token's kiosk (it gets its device cookie)."""
        for method in ("GET", "POST"):
            response = self.request(method, f"/provision/{token}/")
            if response.status_code >= 400:
                raise RuntimeError(f"provision: {method} {response.status_code}")
