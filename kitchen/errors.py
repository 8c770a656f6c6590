"""Errors raised by the kitchen's services, with messages for the person at the screen."""

from __future__ import annotations


class KitchenError(Exception):
    """A refusal with a message that can be shown as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
