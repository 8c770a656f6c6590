"""Text made printable in a single-byte code page, and laid out in columns.

French number and currency formatting puts no-break spaces in amounts
("12,50 €"), menus use typographic quotes: none of these exist in CP858 or
CP1252 and would print as "?". Accented letters do exist and are kept.
"""

from __future__ import annotations

import unicodedata

_REPLACEMENTS = {
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space
    "\u2007": " ",  # figure space
    "\u2009": " ",  # thin space
    "\u200b": "",  # zero-width space
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2026": "...",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2022": "*",
    "\u00b7": "-",
    "\t": " ",
    "\r": " ",
    "\n": " ",
}


def _encodable(character: str, codec: str) -> bool:
    try:
        character.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _fallback(character: str, codec: str) -> str:
    """A character the code page lacks: its letter without the accent, or "?"."""
    decomposed = unicodedata.normalize("NFKD", character)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if base and all(_encodable(c, codec) for c in base):
        return base
    return "?"


def printable_text(text: str, code_page: str) -> str:
    """`text` with only characters the code page can print, on one line."""
    codec = code_page.lower()
    result = []
    for character in text:
        replaced = _REPLACEMENTS.get(character, character)
        for piece in replaced:
            if unicodedata.category(piece).startswith("C"):
                continue  # control characters would be printer commands
            result.append(
                piece if _encodable(piece, codec) else _fallback(piece, codec)
            )
    return "".join(result)


def wrap(text: str, width: int) -> list[str]:
    """Words into lines of at most `width` characters; long words are cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def two_columns(left: str, right: str, width: int, *, indent: int = 0) -> list[str]:
    """`left` wrapped in the space `right` leaves, `right` flush with the margin
    on the first line."""
    room = width - indent - (len(right) + 1 if right else 0)
    wrapped = wrap(left, max(room, 1))
    lines = []
    for index, part in enumerate(wrapped):
        prefix = " " * indent + part
        if index == 0 and right:
            lines.append(prefix + " " * (width - len(prefix) - len(right)) + right)
        else:
            lines.append(prefix)
    return lines
