"""Stations and screens for the demo stores, and their links (run by `make demo`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kitchen.demo import kitchen_demo_instructions, kitchen_demo_setup


class Command(BaseCommand):
    help = "Give the demo stores their kitchen stations and screens; print the links."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base", default="http://127.0.0.1:8000", help="The site's address."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        links = kitchen_demo_setup()
        for line in kitchen_demo_instructions(base=options["base"], links=links):
            self.stdout.write(line)
