"""`manage.py virtual_printer`: an ESC/POS printer to test the agent against.

manage.py virtual_printer [--port 9100] [--pty var/hardware/printer]
manage.py virtual_printer --port 9100 --fault paper_out     # on a running one
manage.py virtual_printer --port 9100 --receipts
"""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hardware.printer.profiles import DEFAULT_PROFILE, PROFILES
from sandboxes.core.control import ControlError, control_request
from sandboxes.printer.emulator import PrinterFault, TransportFault, VirtualPrinter

CONTROL_PORT_OFFSET = 80


def control_port_for(port: int) -> int:
    return port + CONTROL_PORT_OFFSET


class Command(BaseCommand):
    help = "Run a virtual ESC/POS receipt printer, or control a running one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port", type=int, default=9100, help="raw TCP port (9100)"
        )
        parser.add_argument(
            "--control-port",
            type=int,
            help=f"loopback control endpoint (default: port + {CONTROL_PORT_OFFSET})",
        )
        parser.add_argument(
            "--profile", default=DEFAULT_PROFILE, choices=sorted(PROFILES)
        )
        parser.add_argument(
            "--pty", type=Path, help="also a serial line behind this link"
        )
        control = parser.add_argument_group("control a running virtual printer")
        control.add_argument("--fault", choices=[f.value for f in PrinterFault])
        control.add_argument(
            "--transport-fault", choices=[f.value for f in TransportFault]
        )
        control.add_argument(
            "--receipts", action="store_true", help="print the receipts"
        )
        control.add_argument("--clear", action="store_true", help="forget the receipts")

    def handle(self, *args: Any, **options: Any) -> None:
        control_port = options["control_port"] or control_port_for(options["port"])
        if (
            options["fault"]
            or options["transport_fault"]
            or options["receipts"]
            or options["clear"]
        ):
            self._control(control_port, options)
            return
        printer = VirtualPrinter(port=options["port"], profile=options["profile"])
        printer.start()
        control = printer.serve_control(control_port)
        self.stdout.write(
            f"Virtual printer ({options['profile']}) on tcp://127.0.0.1:{printer.port}, "
            f"control on http://127.0.0.1:{control.port}/"
        )
        if options["pty"]:
            device = printer.open_pty(options["pty"])
            self.stdout.write(f"Serial line: {options['pty']} → {device}")
        stopping = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stopping.set())
        stopping.wait()
        control.stop()
        printer.stop()

    def _control(self, port: int, options: dict[str, Any]) -> None:
        try:
            if options["fault"] or options["transport_fault"]:
                body = {
                    "fault": options["fault"],
                    "transport": options["transport_fault"],
                }
                state = control_request(port, "POST", "/faults", body)
                self.stdout.write(json.dumps(state))
            if options["clear"]:
                control_request(port, "DELETE", "/receipts")
            if options["receipts"]:
                for receipt in control_request(port, "GET", "/receipts"):
                    self.stdout.write(f"--- receipt {receipt['index']} ---")
                    self.stdout.write(receipt["text"])
        except ControlError as err:
            raise CommandError(str(err)) from err
