"""The shape of a terminal vendor's list of assumptions (`<vendor>/assumptions.py`).

Each vendor's folder keeps, in one place, what its client and its sandbox rely
on about the vendor: with the public document that comes closest, or marked
unconfirmed, or our own choice where the vendor says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

UNCONFIRMED = "unconfirmed"
OUR_CHOICE = "our choice"


@dataclass(frozen=True)
class Assumption:
    key: str
    statement: str
    source: str = UNCONFIRMED

    @property
    def is_confirmed(self) -> bool:
        return self.source not in (UNCONFIRMED, OUR_CHOICE)
