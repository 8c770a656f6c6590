"""Loyalty programmes: which provider serves a store, and where a kiosk stands in it."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from kiosk.models import Kiosk, Store
from loyalty.models import PongoConnection, Programme, RbiConnection, StoreLoyalty
from loyalty.providers.base import LoyaltyProvider, ProgrammeStore
from loyalty.providers.pongo import PongoClient, PongoProvider
from loyalty.providers.rbi import Market, RbiClient, RbiProvider, RbiStore

SANITY_PROJECT = "czqk28jt"


def _connection_ready(store: Store, programme: str) -> bool:
    if programme == Programme.PONGO:
        pongo = PongoConnection.objects.filter(store=store).first()
        return pongo is not None and pongo.is_ready
    if programme == Programme.RBI:
        rbi = RbiConnection.objects.filter(store=store).first()
        return rbi is not None and rbi.is_ready
    return False


def store_programme(store: Store) -> str:
    """The programme the store runs at its kiosks now, or "" for none."""
    chosen = StoreLoyalty.objects.filter(store=store, is_enabled=True).first()
    if chosen is None or not _connection_ready(store, chosen.programme):
        return ""
    return str(chosen.programme)


def rbi_base_url(connection: RbiConnection) -> str:
    """https://{reg}-{env}-{brand}-loyalty-middleware.rbictg.com (rbi.md §2)."""
    if settings.RBI_BASE_URL:
        return str(settings.RBI_BASE_URL)
    prefix = f"{connection.region}-" if connection.region else ""
    return f"https://{prefix}{connection.environment}-{connection.brand}-loyalty-middleware.rbictg.com"


def rbi_sanity_url(connection: RbiConnection) -> str:
    dataset = f"{connection.environment}_{connection.brand}_{connection.market.lower()}"
    if settings.RBI_SANITY_URL:
        return str(settings.RBI_SANITY_URL)
    if settings.RBI_BASE_URL:
        return f"{str(settings.RBI_BASE_URL).rstrip('/')}/sanity/v1/graphql/{dataset}/default"
    return f"https://{SANITY_PROJECT}.api.sanity.io/v1/graphql/{dataset}/default"


def _rbi(store: Store) -> RbiProvider:
    connection = RbiConnection.objects.get(store=store)
    market = Market(
        api_key=connection.api_key, country=connection.market, timezone=store.timezone
    )
    return RbiProvider(
        client=RbiClient(base_url=rbi_base_url(connection), market=market),
        store=RbiStore(
            store_id=connection.rbi_store_id,
            vendor=connection.supporting_pos.lower(),
            sanity_url=rbi_sanity_url(connection),
            language=(translation.get_language() or store.default_language)[:2],
        ),
    )


def _pongo(store: Store) -> PongoProvider:
    connection = PongoConnection.objects.filter(store=store).first()
    token = connection.access_token if connection is not None else ""
    return PongoProvider(client=PongoClient(token=token))


def provider_for(store: Store) -> LoyaltyProvider | None:
    """The provider of the programme the store runs now, or None."""
    programme = store_programme(store)
    if programme == Programme.PONGO:
        return _pongo(store)
    if programme == Programme.RBI:
        return _rbi(store)
    return None


def posting_provider(store: Store, programme: str) -> LoyaltyProvider:
    """The provider that posts for a store, even while its connection needs care
    (the outbox keeps the message and reports the programme's refusal)."""
    if programme == Programme.PONGO:
        return _pongo(store)
    if programme == Programme.RBI:
        return _rbi(store)
    raise ValueError(f"unknown loyalty programme {programme!r}")


def programme_store(kiosk: Kiosk) -> ProgrammeStore:
    store = kiosk.store
    reference = ""
    pongo = PongoConnection.objects.filter(store=store).first()
    if pongo is not None:
        reference = pongo.store_slug
    rbi = RbiConnection.objects.filter(store=store).first()
    if rbi is not None:
        reference = rbi.rbi_store_id
    return ProgrammeStore(
        reference=reference,
        country=store.country,
        currency=store.currency,
        device_id=kiosk.code,
        device_name=kiosk.name,
    )
