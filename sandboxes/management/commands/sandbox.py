"""`manage.py sandbox pongo` or `sandbox rbi`: run the local emulator of an API.

The emulator serves the programme's API and the `/_sandbox/` control API
until SIGINT or SIGTERM, then stops at once, even with requests hanging on a
`timeout` fault. Fault knobs given here are the start-up values that
`/_sandbox/reset` and `DELETE /_sandbox/faults` come back to.
"""

from __future__ import annotations

import ipaddress
import signal
import threading
from argparse import BooleanOptionalAction
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from sandboxes import EMULATORS
from sandboxes.core.database import SandboxDatabase
from sandboxes.core.faults import FaultKnobs, KnobError, knobs_parse
from sandboxes.core.server import Emulator, SandboxServer
from sandboxes.core.webhooks import DEFAULT_RETRY_SCHEDULE_S

KNOB_OPTIONS = (
    "latency_ms",
    "jitter_ms",
    "error_rate",
    "error_status",
    "force_status",
    "down",
    "rate_limit_per_min",
    "seed",
)
# Behaviour switches an emulator may declare; each has --name and --no-name.
SWITCH_OPTIONS = (
    "allow_http_webhooks",
    "strict_enums",
    "honor_idempotency_key",
    "restore_rewards",
    "upper_snake_codes",
    "loyalty_id_identifier",
    "email_identifier",
)
# Tunable values an emulator may declare, with how to read them.
SETTING_OPTIONS: dict[str, type[int] | type[str]] = {
    "pending_ttl_s": int,
    "earn_basis": str,
    "auto_approve_ms": int,
}


def retry_schedule_parse(text: str) -> tuple[float, ...]:
    """`1,5,25`: seconds before each retry of a failed webhook delivery."""
    try:
        delays = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise CommandError(
            f"--webhook-retry-schedule: {text!r} is not a list of seconds"
        ) from error
    if any(delay < 0 for delay in delays):
        raise CommandError("--webhook-retry-schedule: delays cannot be negative")
    return delays


def host_is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def knobs_from_options(emulator: Emulator, options: dict[str, Any]) -> FaultKnobs:
    given = {name: options[name] for name in KNOB_OPTIONS if options[name] is not None}
    for name in SWITCH_OPTIONS:
        if options[name] is None:
            continue
        if name not in emulator.switches:
            raise CommandError(
                f"--{name.replace('_', '-')}: not a switch of {emulator.name}"
            )
        given[name] = options[name]
    for name in SETTING_OPTIONS:
        if options[name] is None:
            continue
        if name not in emulator.settings:
            raise CommandError(
                f"--{name.replace('_', '-')}: not a setting of {emulator.name}"
            )
        given[name] = options[name]
    baseline = FaultKnobs(
        switches=dict(emulator.switches), settings=dict(emulator.settings)
    )
    try:
        return knobs_parse(given, baseline=baseline)
    except KnobError as error:
        raise CommandError(f"invalid fault options: {error.errors}") from error


@contextmanager
def stop_signals() -> Iterator[threading.Event]:
    """An event set by SIGINT or SIGTERM; the previous handlers come back after."""
    stopping = threading.Event()

    def handler(signum: int, frame: object) -> None:
        stopping.set()

    previous = {
        signum: signal.signal(signum, handler)
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield stopping
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


class Command(BaseCommand):
    help = "Run the local emulator (sandbox) of an API until stopped."
    # The sandbox uses none of the kiosk's models: starting it must not wait
    # for, or fail on, the kiosk's system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("emulator", choices=sorted(EMULATORS))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, help="0 picks a free port")
        parser.add_argument("--database", type=Path, help="SQLite file of the emulator")
        parser.add_argument(
            "--reset", action="store_true", help="Reload the seed data first."
        )
        parser.add_argument("--latency-ms", type=int)
        parser.add_argument("--jitter-ms", type=int)
        parser.add_argument("--error-rate", type=float)
        parser.add_argument("--error-status", type=int)
        parser.add_argument("--force-status", type=int)
        parser.add_argument("--down", action="store_true", default=None)
        parser.add_argument("--rate-limit-per-min", type=int)
        parser.add_argument("--seed", type=int)
        for name in SWITCH_OPTIONS:
            parser.add_argument(
                f"--{name.replace('_', '-')}", action=BooleanOptionalAction
            )
        for name, kind in SETTING_OPTIONS.items():
            parser.add_argument(f"--{name.replace('_', '-')}", type=kind)
        parser.add_argument(
            "--webhook-retry-schedule",
            default=",".join(f"{delay:g}" for delay in DEFAULT_RETRY_SCHEDULE_S),
            help="Seconds before each webhook retry, comma-separated.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["emulator"]
        if not host_is_loopback(options["host"]):
            # The control API has no authentication: it must stay on this machine.
            raise CommandError(
                f"--host must be a loopback address, not {options['host']!r}"
            )
        emulator: Emulator = import_string(EMULATORS[name])()
        knobs = knobs_from_options(emulator, options)
        port = options["port"]
        if port is None:
            port = getattr(settings, f"SANDBOX_{name.upper()}_PORT")
        database_path = (
            options["database"] or settings.SANDBOX_DATA_DIR / f"{name}.sqlite3"
        )
        database = SandboxDatabase(database_path)
        try:
            server = SandboxServer(
                (options["host"], port),
                emulator=emulator,
                database=database,
                knobs=knobs,
                retry_schedule_s=retry_schedule_parse(
                    options["webhook_retry_schedule"]
                ),
            )
        except OSError as error:
            database.close()
            raise CommandError(
                f"cannot listen on {options['host']}:{port}: {error}"
            ) from error
        self._serve(server, reset=options["reset"])

    def _serve(self, server: SandboxServer, *, reset: bool) -> None:
        with stop_signals() as stopping:
            try:
                server.data_prepare(reset=reset)
                server.start()
                self.stdout.write(
                    f"{server.emulator.name} sandbox listening on {server.base_url}"
                    f" (database {server.database.path})"
                )
                self.stdout.flush()
                stopping.wait()
            finally:
                server.stop()
        self.stdout.write(f"{server.emulator.name} sandbox stopped")
