"""RBI's loyalty middleware (Burger King…): client, content, provider."""

from __future__ import annotations

from loyalty.providers.rbi.client import Market, RbiClient
from loyalty.providers.rbi.provider import RbiProvider, RbiStore

__all__ = ["Market", "RbiClient", "RbiProvider", "RbiStore"]
