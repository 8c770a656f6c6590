"""Merchant set-up services: connecting a store to Pongo, mapping stores and rewards.

Used from admin by a manager, never while a customer waits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kiosk.models import Product, Store
from loyalty.models.programmes import Programme, StoreLoyalty
from loyalty.providers.base import ProgrammeStore, Reward, RewardKind
from loyalty.providers.pongo.client import PongoClient
from loyalty.providers.pongo.merchant import (
    PongoStore,
    merchant_name,
    stores,
    token_exchange,
    webhook_subscribe,
    webhook_unsubscribe,
)
from loyalty.providers.pongo.models import PongoConnection
from loyalty.providers.pongo.provider import PongoProvider

WEBHOOK_EVENTS = ("customer.created", "customer.updated")


def _client(store: Store) -> PongoClient:
    connection = PongoConnection.objects.get(store=store)
    return PongoClient(token=connection.access_token)


@transaction.atomic
def pongo_connection_connect(
    *, store: Store, code: str, redirect_uri: str
) -> PongoConnection:
    """Exchange the authorisation code and keep the token (encrypted) for the store."""
    token = token_exchange(code=code, redirect_uri=redirect_uri)
    name = merchant_name(PongoClient(token=token))
    connection, _created = PongoConnection.objects.update_or_create(
        store=store,
        defaults={
            "access_token": token,
            "merchant_name": name,
            "connected_at": timezone.now(),
            "needs_reconnect": False,
        },
    )
    StoreLoyalty.objects.update_or_create(
        store=store, defaults={"programme": Programme.PONGO}
    )
    return connection


def pongo_stores(*, store: Store) -> list[PongoStore]:
    return stores(_client(store))


def pongo_store_choose(*, store: Store, slug: str) -> PongoConnection:
    """Map our store to one of the merchant's Pongo stores (its slug goes in every order)."""
    if slug not in {pongo_store.slug for pongo_store in pongo_stores(store=store)}:
        raise ValueError(f"{slug!r} is not one of the merchant's Pongo stores")
    PongoConnection.objects.filter(store=store).update(store_slug=slug)
    return PongoConnection.objects.get(store=store)


@dataclass(frozen=True)
class SkuMatch:
    sku: str
    product: Product | None


@dataclass(frozen=True)
class RewardMapping:
    reward: Reward
    skus: list[SkuMatch]
    problem: str  # why the kiosk cannot honour it, or ""


def _problem(reward: Reward, skus: list[SkuMatch]) -> str:
    if reward.kind == RewardKind.UNSUPPORTED:
        return "Reward type not supported by the kiosk"
    if reward.kind == RewardKind.FREE_PRODUCT and not any(
        match.product for match in skus
    ):
        return "No SKU matches a product of this store"
    if reward.is_voucher and not reward.value:
        return "Voucher without a value"
    return ""


def pongo_rewards_mapping(*, store: Store) -> list[RewardMapping]:
    """Each Pongo reward, its SKUs and whether each is one of our products."""
    connection = PongoConnection.objects.get(store=store)
    products = {p.sku: p for p in Product.objects.filter(store=store)}
    mappings = []
    provider = PongoProvider(client=_client(store))
    where = ProgrammeStore(
        reference=connection.store_slug,
        country=store.country,
        currency=store.currency,
        device_id="",
        device_name="",
    )
    for reward in provider.catalogue(store=where):
        skus = [SkuMatch(sku=sku, product=products.get(sku)) for sku in reward.skus]
        mappings.append(
            RewardMapping(reward=reward, skus=skus, problem=_problem(reward, skus))
        )
    return mappings


def pongo_webhooks_subscribe(*, store: Store, url: str) -> PongoConnection:
    """Subscribe the store's webhook endpoint to customer events (one shared secret)."""
    connection = PongoConnection.objects.get(store=store)
    client = _client(store)
    for old in filter(None, connection.webhook_id.split(",")):
        webhook_unsubscribe(client, webhook_id=old)
    secret = secrets.token_urlsafe(32)
    ids = [
        webhook_subscribe(client, url=url, event=event, secret=secret)
        for event in WEBHOOK_EVENTS
    ]
    connection.webhook_id = ",".join(ids)
    connection.webhook_secret = secret
    connection.save(update_fields=["webhook_id", "webhook_secret"])
    return connection
