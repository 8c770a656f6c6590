"""`manage.py loyalty_worker`: deliver the loyalty outbox, forever or once."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from loyalty.services.worker import outbox_run_once

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Deliver loyalty postings (paid orders, reward releases) with retries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Deliver what is due, then exit."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between polls when idle.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self.stdout.write(f"delivered {outbox_run_once()}")
            return
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        logger.info("loyalty worker started")
        while not stopping.is_set():
            close_old_connections()
            if not outbox_run_once():
                stopping.wait(options["interval"])
        logger.info("loyalty worker stopped")
