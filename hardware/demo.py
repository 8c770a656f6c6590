"""The demo's hardware: for each demo kiosk a virtual printer, a virtual
scanner, and the hardware agent between them and the web server; for each
printer of a demo store's own (its kitchen printer) a virtual printer and
its agent.

Device number i (the kiosks in id order, then the stores' own devices) gets
the printer on HARDWARE_DEMO_PRINTER_PORT + i (its control endpoint 80 ports
above); a kiosk's scanner gets its control endpoint on
HARDWARE_DEMO_SCANNER_PORT + i. Device tokens are made anew at each start and
handed to the agents in files only the user can read.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from hardware.models import Device
from hardware.services.devices import device_token_rotate, kiosk_device_token_rotate
from kiosk.demo.loader import DEMO_STORE_SLUGS
from kiosk.demo.supervisor import ProcessSpec
from kiosk.models import Kiosk

# Where the demo puts each virtual printer's control endpoint: this far above
# its port, where `manage.py virtual_printer --port N` looks by default.
PRINTER_CONTROL_PORT_OFFSET = 80


@dataclass(frozen=True)
class DemoDevice:
    """A kiosk's device (`kiosk`), or a printer of the store's own (`device`)."""

    kiosk: Kiosk | None
    device: Device | None
    printer_port: int
    scanner_control_port: int

    @property
    def printer_control_port(self) -> int:
        return self.printer_port + PRINTER_CONTROL_PORT_OFFSET

    @property
    def name(self) -> str:
        """A name for files and processes."""
        if self.kiosk is not None:
            return self.kiosk.code
        assert self.device is not None
        return f"device-{self.device.pk}"

    @property
    def token_file(self) -> Path:
        return _directory() / f"{self.name}.token"

    @property
    def label(self) -> str:
        return str(self.kiosk if self.kiosk is not None else self.device)

    @property
    def scanner_link(self) -> Path | None:
        """Only a kiosk has a scanner."""
        if self.kiosk is None:
            return None
        return _directory() / f"scanner-{self.kiosk.code}"


def _directory() -> Path:
    return Path(settings.DATA_DIR) / "hardware"


def hardware_demo_devices() -> list[DemoDevice]:
    kiosks = (
        Kiosk.objects.filter(store__slug__in=DEMO_STORE_SLUGS)
        .select_related("store")
        .order_by("pk")
    )
    own = (
        Device.objects.filter(store__slug__in=DEMO_STORE_SLUGS)
        .select_related("store")
        .order_by("pk")
    )
    owners: list[tuple[Kiosk | None, Device | None]] = [
        *((kiosk, None) for kiosk in kiosks),
        *((None, device) for device in own),
    ]
    return [
        DemoDevice(
            kiosk=kiosk,
            device=device,
            printer_port=settings.HARDWARE_DEMO_PRINTER_PORT + index,
            scanner_control_port=settings.HARDWARE_DEMO_SCANNER_PORT + index,
        )
        for index, (kiosk, device) in enumerate(owners)
    ]


def hardware_demo_setup() -> list[DemoDevice]:
    """New device tokens for the demo's devices, written where their agents read them."""
    devices = hardware_demo_devices()
    _directory().mkdir(parents=True, exist_ok=True)
    for device in devices:
        if device.kiosk is not None:
            token = kiosk_device_token_rotate(kiosk=device.kiosk)
        else:
            assert device.device is not None
            token = device_token_rotate(device=device.device)
        device.token_file.touch(mode=0o600)
        device.token_file.chmod(0o600)
        device.token_file.write_text(token, encoding="utf-8")
    return devices


def hardware_demo_processes(*, host: str, port: int) -> list[ProcessSpec]:
    python = sys.executable
    server_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    specs = []
    for device in hardware_demo_devices():
        specs.append(
            ProcessSpec(
                name=f"printer-{device.name}",
                command=[
                    python,
                    "manage.py",
                    "virtual_printer",
                    "--control-port",
                    str(device.printer_control_port),
                    "--port",
                    str(device.printer_port),
                ],
            )
        )
        scanner: list[str] = []
        if device.scanner_link is not None:
            specs.append(
                ProcessSpec(
                    name=f"scanner-{device.name}",
                    command=[
                        python,
                        "manage.py",
                        "virtual_scanner",
                        "--link",
                        str(device.scanner_link),
                        "--control-port",
                        str(device.scanner_control_port),
                    ],
                )
            )
            scanner = ["--scanner", str(device.scanner_link)]
        specs.append(
            ProcessSpec(
                name=f"agent-{device.name}",
                command=[
                    python,
                    "manage.py",
                    "hardware_agent",
                    "--server",
                    f"ws://{server_host}:{port}/ws/device/",
                    "--token-file",
                    str(device.token_file),
                    *scanner,
                    "--printer",
                    f"tcp://127.0.0.1:{device.printer_port}",
                    "--status-interval",
                    "2",
                ],
            )
        )
    return specs


def hardware_demo_instructions(devices: list[DemoDevice]) -> list[str]:
    lines = [
        "  Scan a code: open the “Scan a code” tab at the top of the kiosk page and type it,",
        "  or into a virtual scanner (the agent reads it from the serial line):",
    ]
    for device in devices:
        if device.scanner_link is not None:
            lines.append(
                f"    “{device.label}”: python manage.py virtual_scanner "
                f"--control-port {device.scanner_control_port} --send 3017620422003"
            )
    lines.append(
        "  Receipts and printer faults (paper_out, cover_open, offline, none):"
    )
    for device in devices:
        lines.append(
            f"    “{device.label}”: python manage.py virtual_printer --port "
            f"{device.printer_port} --receipts   (or --fault paper_out)"
        )
    return lines
