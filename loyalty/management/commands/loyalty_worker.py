"""`manage.py loyalty_worker`: deliver the loyalty outbox, forever or once."""

from __future__ import annotations

import logging
import signal
import threading
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from loyalty.services.retention import loyalty_personal_data_purge
from loyalty.services.worker import outbox_run_once

logger = logging.getLogger(__name__)

# How often the worker clears phone numbers past their retention period.
PURGE_EVERY_SECONDS = 3600.0


class Command(BaseCommand):
    help = (
        "Deliver loyalty postings (paid orders, reward releases) with retries, "
        "and clear phone numbers past their retention period."
    )

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
            self.stdout.write(f"phone numbers cleared {loyalty_personal_data_purge()}")
            return
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        logger.info("loyalty worker started")
        purged_at = 0.0
        while not stopping.is_set():
            close_old_connections()
            if time.monotonic() - purged_at >= PURGE_EVERY_SECONDS:
                loyalty_personal_data_purge()
                purged_at = time.monotonic()
            if not outbox_run_once():
                stopping.wait(options["interval"])
        logger.info("loyalty worker stopped")
