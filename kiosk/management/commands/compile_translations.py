"""Compile the .po catalogues to .mo with Babel, so no gettext tools are needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every django.po under LOCALE_PATHS to django.mo."

    def handle(self, *args: Any, **options: Any) -> None:
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/django.po")):
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file, abort_invalid=True)
                mo_path = po_path.with_suffix(".mo")
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog, use_fuzzy=False)
                self.stdout.write(f"compiled {mo_path.relative_to(settings.BASE_DIR)}")
