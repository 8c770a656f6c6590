"""Icons are SVG files, never font glyphs: a symbol missing from the kiosk's
fonts shows as an empty box, and no font on a kiosk is guaranteed."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from django.conf import settings

SCREENS = [
    *sorted((settings.BASE_DIR / "templates").rglob("*.html")),
    *sorted((settings.BASE_DIR / "static").rglob("*.css")),
    *sorted((settings.BASE_DIR / "static").rglob("*.js")),
]
CSS_URL = re.compile(r"url\(\"?([^\")]+)\"?\)")


def test_no_screen_draws_a_symbol_with_a_font():
    symbols = {
        f"{path.relative_to(settings.BASE_DIR)}: {char} ({unicodedata.name(char)})"
        for path in SCREENS
        for char in path.read_text(encoding="utf-8")
        if unicodedata.category(char) == "So"
    }

    assert sorted(symbols) == []


def test_every_icon_the_stylesheets_name_exists():
    missing = [
        f"{path.name}: {url}"
        for path in sorted((settings.BASE_DIR / "static").rglob("*.css"))
        for url in CSS_URL.findall(path.read_text(encoding="utf-8"))
        if not url.startswith("data:") and not (path.parent / url).resolve().is_file()
    ]

    assert missing == []
    assert Path(settings.BASE_DIR / "static/kiosk/img/icons/info.svg").is_file()
