"""Pongo (heypongo.com): the client, the provider, merchant set-up, webhooks."""

from __future__ import annotations

from loyalty.providers.pongo.client import PongoClient
from loyalty.providers.pongo.provider import PongoProvider

__all__ = ["PongoClient", "PongoProvider"]
