"""Emptying every cache the project configures, between tests."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches


def caches_clear() -> None:
    """Every cache alias emptied: the default one and the shared one (attempt
    counts, which the database keeps without Redis)."""
    for alias in settings.CACHES:
        caches[alias].clear()
