"""Time a scan from the serial line to the element swapped in Chromium.

    .venv/bin/python bench/scan_to_screen.py [--scans 200] [--chromium /usr/bin/chromium]

A fresh SQLite database in a temporary folder with the demo stores, daphne,
the hardware agent (with a virtual printer), a virtual scanner at 9600 baud
in this process, and Chromium bound to the burger kiosk on its attract screen.
For each scan: from the moment the last byte (the CR) is written on the pty to
the moment the page's `#scan-event` element is replaced (a MutationObserver
stamps it). Nothing is subtracted; the payload's wire time at 9600 baud is
reported beside, so the margin over the serial line shows. Then the agent's
resident memory. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from sandboxes.scanner.emulator import VirtualScanner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    bench_env,
    daphne_start,
    demo_prepare,
    hardware_agent_start,
    percentiles,
    provisioning_token,
)

KIOSK = "burger-kiosk-1"

BAUDRATE = 9600
OBSERVER = """
() => {
  window.__scans = [];
  new MutationObserver((records) => {
    const now = performance.timeOrigin + performance.now();
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.id === "scan-event") {
          const input = node.querySelector("input[name=code]");
          window.__scans.push({code: input ? input.value : "", at: now});
        }
      }
    }
  }).observe(document.body, {childList: true, subtree: true});
}
"""


def _prepare(env: dict[str, str]) -> tuple[str, Path]:
    """Migrate, load the demo; the burger kiosk's provisioning token and device token file."""
    demo_prepare(env)
    from hardware.services.devices import kiosk_device_token_rotate
    from kiosk.models import Kiosk

    token_file = Path(env["KIOSK_DATA_DIR"]) / "device.token"
    token_file.write_text(
        kiosk_device_token_rotate(kiosk=Kiosk.objects.get(code=KIOSK))
    )
    return provisioning_token(KIOSK), token_file


def _resident_memory_kib(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _sep, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def _clock_offset_ms(page: Page) -> tuple[float, float]:
    """Chromium's clock minus ours, from the tightest of several round trips."""
    best = None
    for _ in range(20):
        before = time.time() * 1000
        browser = page.evaluate("performance.timeOrigin + performance.now()")
        after = time.time() * 1000
        if best is None or after - before < best[1]:
            best = (browser - (before + after) / 2, after - before)
    assert best is not None
    return best


def _run(args: argparse.Namespace, data_dir: str) -> dict[str, object]:
    env = bench_env(data_dir)
    provisioning, token_file = _prepare(env)
    from hardware.models import Device
    from sandboxes.printer.emulator import VirtualPrinter
    from sandboxes.scanner.emulator import VirtualScanner

    printer = VirtualPrinter(port=0)
    printer.start()
    scanner = VirtualScanner(Path(data_dir) / "scanner", baudrate=BAUDRATE)
    scanner.plug()
    try:
        with daphne_start(env) as server:
            agent = hardware_agent_start(
                server=server.base,
                token_file=token_file,
                scanner=scanner.link,
                printer=f"tcp://127.0.0.1:{printer.port}",
                env=env,
            )
            try:
                deadline = time.monotonic() + 30
                while not Device.objects.filter(
                    kiosk__code=KIOSK,
                    is_agent_connected=True,
                    scanner_state="connected",
                ).exists():
                    if time.monotonic() > deadline:
                        raise RuntimeError("the agent did not connect")
                    time.sleep(0.1)
                latencies, payload, offset, round_trip = _scan(
                    args, server.base, provisioning, scanner
                )
                memory = _resident_memory_kib(agent.pid)
            finally:
                agent.stop()
    finally:
        scanner.unplug()
        printer.stop()
    wire_ms = payload * 10 / BAUDRATE * 1000
    result = percentiles(latencies, with_max=True)
    return {
        "benchmark": "scan to screen: last byte on the pty → #scan-event swapped in Chromium",
        "scans": args.scans,
        "payload_bytes": payload,
        "wire_time_ms_at_9600_baud": round(wire_ms, 2),
        "last_byte_to_swap_ms": result,
        "first_byte_to_swap_ms_p95": round(result["p95"] + wire_ms, 2),
        "service_level": "p95 ≤ 30 ms beyond the wire time",
        "clock_offset_ms": round(offset, 3),
        "clock_calibration_round_trip_ms": round(round_trip, 3),
        "agent_resident_memory_mib": round(memory["VmRSS"] / 1024, 1),
        "agent_peak_resident_memory_mib": round(memory["VmHWM"] / 1024, 1),
    }


def _scan(
    args: argparse.Namespace, base: str, provisioning: str, scanner: VirtualScanner
) -> tuple[list[float], int, float, float]:
    """Chromium on the attract screen, then the scans: latencies (ms), payload
    bytes of the last code, and the clock offset with its calibration round trip."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto(f"{base}/provision/{provisioning}/")
        page.get_by_role("button", name="Use this screen as the kiosk").click()
        page.wait_for_selector("#start")
        page.wait_for_timeout(500)  # the page websocket connects
        page.evaluate(OBSERVER)
        offset, round_trip = _clock_offset_ms(page)
        latencies, payload = [], 0
        for index in range(args.warmup + args.scans):
            code = f"BENCH{index:06d}"
            payload = len(code) + 1  # and the CR
            written_at = scanner.type_code(code) * 1000
            page.wait_for_function(
                "code => window.__scans.some(scan => scan.code === code)", arg=code
            )
            swapped_at = page.evaluate(
                "code => window.__scans.find(scan => scan.code === code).at", code
            )
            if index >= args.warmup:
                latencies.append(swapped_at - offset - written_at)
            # Stay under the agent's flood limit (5 scans a second).
            time.sleep(0.25)
        browser.close()
    return latencies, payload, offset, round_trip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument(
        "--chromium", default=os.environ.get("KIOSK_TEST_CHROMIUM", "/usr/bin/chromium")
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        report = _run(args, data_dir)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
