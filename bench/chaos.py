"""The chaos run of `tests/chaos/` for as long as you like, as a benchmark.

    .venv/bin/python bench/chaos.py [--seconds 600] [--kiosks 4] [--seed N]

A store as production runs it (two daphne processes with the production
settings, two loyalty workers, the payments worker, PostgreSQL in a scratch
database, Redis, one hardware agent and virtual printer per kiosk) while web
processes, workers and agents are killed at random and the RBI sandbox fails
in every way it can. Prints the comparison of the kiosk's orders, payments
and print jobs with what the sandbox and the printers recorded, as JSON;
exits 1 when a paid order lacks its number, a posting or a receipt was lost
or duplicated, or a kiosk got an error.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.chaos.store import run_store_chaos  # noqa: E402
from tests.processes import scratch_postgres  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--kiosks", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20261204)
    options = parser.parse_args()
    with (
        scratch_postgres("kiosk_chaos_bench") as url,
        tempfile.TemporaryDirectory() as directory,
    ):
        report = run_store_chaos(
            database_url=url,
            directory=Path(directory),
            seconds=options.seconds,
            kiosks=options.kiosks,
            seed=options.seed,
        )
    figures = report.as_json()
    figures["orders_per_second"] = round(report.paid_orders / options.seconds, 2)
    print(json.dumps(figures, indent=1))
    bad = (
        report.errors
        or report.paid_without_number
        or report.undelivered_postings
        or report.postings_lost
        or report.postings_duplicated
        or report.receipts_missing
        or report.receipts_twice
        or any("recorded 2" in p for p in report.postings_left_to_staff)
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
