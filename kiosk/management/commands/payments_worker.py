"""`manage.py payments_worker`: finish what the payment screens left, forever or once."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from kiosk.services.payments import payments_recover
from kiosk.services.refunds import card_refunds_retry

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Poll card attempts no payment screen is polling any more (and unknown "
        "ones), so a charged card always ends with a paid order; send pending "
        "card refunds again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Do what is due, then exit."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=10.0,
            help="Seconds between rounds.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self.stdout.write(f"payments looked at {payments_recover()}")
            self.stdout.write(f"refunds sent {card_refunds_retry()}")
            return
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        logger.info("payments worker started")
        while not stopping.is_set():
            close_old_connections()
            payments_recover()
            card_refunds_retry()
            stopping.wait(options["interval"])
        logger.info("payments worker stopped")
