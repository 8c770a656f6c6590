"""Local emulators of the loyalty programmes, for the demo, development and tests.

Each emulator is a real HTTP server in its own process, with its own SQLite
database, started by `manage.py sandbox <name>` (see `--help` for the fault
options). The generic parts are shared by every emulator:

- `server`: the HTTP server, request log, clock, housekeeping thread and the
  `/_sandbox/` control API;
- `faults`: latency, errors, dropped or hanging connections, rate limits, rules,
  and each emulator's switches and settings;
- `database`: one SQLite connection, one transaction per request;
- `webhooks`: signed deliveries from a background thread, with retries;
- `control` and `launcher`: a client of the control API (one per emulator),
  and a way to run a sandbox as a child process (tests, benchmarks);
- `qr`: QR codes as inline SVG for the demo pages.

Each programme brings its routes, schema and seed data in its own package
(`pongo`, `rbi`). `EMULATORS` maps a name to the dotted path of the factory
that builds it; it is imported lazily, so starting one emulator never imports
another.
"""

from __future__ import annotations

EMULATORS: dict[str, str] = {
    "pongo": "loyalty.sandbox.pongo.emulator.pongo_emulator_create",
    "rbi": "loyalty.sandbox.rbi.emulator.rbi_emulator_create",
}
