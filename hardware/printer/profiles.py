"""The receipt printers the agent knows how to lay a receipt out for.

Each profile names the python-escpos capability profile and, above all, the
code page the driver pins: the `ESC t n` number of a code page differs from one
printer to the next, and letting python-escpos pick a page the printer lacks
prints garbage instead of "€".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from escpos.capabilities import get_profile


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    code_page: str
    columns: int
    width_pixels: int
    has_native_qr: bool
    has_cutter: bool
    # Cheap clones never answer DLE EOT: every job is then "printed, unconfirmed".
    has_status: bool = True

    @property
    def escpos_profile(self) -> str:
        return self.name


PROFILES: dict[str, PrinterProfile] = {
    profile.name: profile
    for profile in (
        PrinterProfile(
            name="TM-T88V",
            code_page="CP858",
            columns=42,
            width_pixels=512,
            has_native_qr=True,
            has_cutter=True,
        ),
        PrinterProfile(
            name="TM-T20II",
            code_page="CP858",
            columns=48,
            width_pixels=576,
            has_native_qr=True,
            has_cutter=True,
        ),
        PrinterProfile(
            name="POS-5890",
            code_page="CP858",
            columns=32,
            width_pixels=384,
            has_native_qr=False,
            has_cutter=False,
        ),
        # No CP858 on this one: CP1252 has "€" too.
        PrinterProfile(
            name="ZJ-5870",
            code_page="CP1252",
            columns=32,
            width_pixels=384,
            has_native_qr=False,
            has_cutter=False,
            has_status=False,
        ),
    )
}

DEFAULT_PROFILE = "TM-T88V"


class UnknownProfile(ValueError):
    pass


def printer_profile(name: str) -> PrinterProfile:
    try:
        return PROFILES[name]
    except KeyError as err:
        known = ", ".join(sorted(PROFILES))
        raise UnknownProfile(
            f"unknown printer profile {name!r}; known: {known}"
        ) from err


@cache
def code_page_numbers(profile_name: str) -> dict[int, str]:
    """`ESC t n` → Python codec name, as the printer of this profile reads it."""
    code_pages: dict[str, str] = get_profile(profile_name).codePages
    return {
        int(number): name.lower()
        for number, name in code_pages.items()
        if _is_python_codec(name)
    }


def _is_python_codec(name: str) -> bool:
    try:
        "".encode(name.lower())
    except LookupError:
        return False
    return True
