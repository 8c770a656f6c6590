"""`manage.py hardware_agent`: the kiosk device's scanner and printer, bridged
to the web server (one per kiosk device).

    manage.py hardware_agent --server ws://127.0.0.1:8000/ws/device/ \\
        --token-file /etc/kiosk/device-token \\
        --scanner /dev/serial/by-id/usb-Honeywell_…-if00 \\
        --printer tcp://192.168.1.50:9100 --printer-profile TM-T88V

The token comes from admin (Devices → "Create a new device token"); keep it in
a file only root and the agent can read.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hardware.agent.cli import (
    ConfigurationError,
    add_arguments,
    agent_config,
    agent_run,
)


class Command(BaseCommand):
    help = "Run the hardware agent of one kiosk device (scanner and receipt printer)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_arguments(parser)

    def run_from_argv(self, argv: list[str]) -> None:
        """From the command line, the agent replaces this process with one
        without Django: it needs neither database nor web framework, and
        takes about a third of the memory then."""
        paths = [str(settings.BASE_DIR), os.environ.get("PYTHONPATH", "")]
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(
            sys.executable,
            [sys.executable, "-m", "hardware.agent", *argv[2:]],
            environment,
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            config = agent_config(argparse.Namespace(**options))
        except ConfigurationError as err:
            raise CommandError(str(err)) from err
        agent_run(config)
