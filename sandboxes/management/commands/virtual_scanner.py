"""`manage.py virtual_scanner`: a serial barcode scanner on a pseudo-terminal.

manage.py virtual_scanner --link var/hardware/scanner [--stdin]
manage.py virtual_scanner --send 3017620422003          # on a running one
manage.py virtual_scanner --unplug / --plug
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandboxes.core.control import ControlError, control_request
from sandboxes.scanner.emulator import SUFFIXES, VirtualScanner

DEFAULT_CONTROL_PORT = 9190


class Command(BaseCommand):
    help = "Run a virtual serial scanner (a pty), or type codes into a running one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--link",
            type=Path,
            default=Path(settings.DATA_DIR) / "hardware" / "scanner",
            help="the stable name the agent opens, like /dev/serial/by-id/…",
        )
        parser.add_argument("--control-port", type=int, default=DEFAULT_CONTROL_PORT)
        parser.add_argument("--suffix", choices=sorted(SUFFIXES), default="cr")
        parser.add_argument("--prefix", default="", help="e.g. an AIM identifier ]E0")
        parser.add_argument("--baudrate", type=int, default=9600, help="0: no pacing")
        parser.add_argument(
            "--stdin",
            action="store_true",
            help="type each line read from standard input",
        )
        control = parser.add_argument_group("control a running virtual scanner")
        control.add_argument("--send", metavar="CODE", help="scan this code")
        control.add_argument("--unplug", action="store_true")
        control.add_argument("--plug", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["control_port"]
        if options["send"] or options["unplug"] or options["plug"]:
            self._control(port, options)
            return
        scanner = VirtualScanner(
            options["link"],
            suffix=SUFFIXES[options["suffix"]],
            prefix=options["prefix"],
            baudrate=options["baudrate"],
        )
        device = scanner.plug()
        control = scanner.serve_control(port)
        self.stdout.write(
            f"Virtual scanner: {options['link']} → {device}, "
            f"control on http://127.0.0.1:{control.port}/"
        )
        self.stdout.write(
            f"Scan a code: manage.py virtual_scanner --control-port {control.port} --send CODE"
        )
        stopping = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stopping.set())
        if options["stdin"]:
            threading.Thread(
                target=self._type_stdin, args=(scanner, stopping), daemon=True
            ).start()
        stopping.wait()
        control.stop()
        scanner.unplug()

    def _type_stdin(self, scanner: VirtualScanner, stopping: threading.Event) -> None:
        for line in sys.stdin:
            code = line.strip()
            if code:
                scanner.type_code(code)
        stopping.set()

    def _control(self, port: int, options: dict[str, Any]) -> None:
        try:
            if options["unplug"]:
                self.stdout.write(
                    json.dumps(control_request(port, "POST", "/unplug", {}))
                )
            if options["plug"]:
                self.stdout.write(
                    json.dumps(control_request(port, "POST", "/plug", {}))
                )
            if options["send"]:
                control_request(port, "POST", "/scan", {"code": options["send"]})
                self.stdout.write(f"scanned {options['send']}")
        except ControlError as err:
            raise CommandError(str(err)) from err
