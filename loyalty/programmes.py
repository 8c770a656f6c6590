"""Which loyalty programme a store runs, and the provider that speaks for it.

Each programme's folder has a connector (named in `PROVIDERS`): it reads the
store's connection to the programme and builds the provider. Everything here
is neutral: the kiosk asks for "the store's provider", never for a vendor.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from kiosk.models import Kiosk, Store
from loyalty.models import StoreLoyalty
from loyalty.providers import PROVIDERS
from loyalty.providers.base import (
    LoyaltyProvider,
    LoyaltyRejected,
    Member,
    Payload,
    ProgrammeStore,
)


class ProgrammeConnector(Protocol):
    """A programme's link to our stores: its folder's `connection.py`."""

    label: str

    def is_ready(self, *, store: Store) -> bool:
        """The store's connection works: kiosks may identify members now."""
        ...

    def is_connected(self, *, store: Store) -> bool:
        """The store still has a connection, even one that needs care: queued
        postings are still attempted (and refused by the programme if need be)."""
        ...

    def provider(self, *, store: Store) -> LoyaltyProvider:
        """The provider for this store, built from its connection."""
        ...

    def store_reference(self, *, store: Store) -> str:
        """The programme's id of this store."""
        ...

    def plu_vendor(self, *, store: Store) -> str:
        """Whose PLUs the programme speaks for this store, or "" (it uses SKUs)."""
        ...

    def connection_refused(self, *, store: Store) -> None:
        """The programme refused the store's credentials: flag it for staff."""
        ...

    def mirrored_member(self, *, store: Store, reference: str) -> Member | None:
        """A member as the programme last described them to us, for when it is
        slow; None when the programme keeps no mirror here."""
        ...

    def admin_status(self, *, store: Store) -> str:
        """One line on the connection's state, for the admin's store list."""
        ...

    def admin_setup(self, *, store: Store) -> SafeString:
        """The set-up steps as HTML (links, buttons), for the admin's store page."""
        ...

    def demo_connect(self, *, store: Store) -> None:
        """Connect the store to the programme's local sandbox (make demo)."""
        ...

    def redact(self, *, payload: Payload) -> Payload:
        """An outbox payload of this programme without the customer's personal
        data (phone number): what is kept once the call is done or given up."""
        ...


@cache
def programme_connector(programme: str) -> ProgrammeConnector:
    """The connector of a programme of PROVIDERS; ValueError for any other."""
    try:
        path = PROVIDERS[programme]
    except KeyError as err:
        raise ValueError(f"unknown loyalty programme {programme!r}") from err
    connector: ProgrammeConnector = import_string(path)()
    return connector


def store_programme(store: Store) -> str:
    """The programme the store runs at its kiosks now, or "" for none."""
    chosen = StoreLoyalty.objects.filter(store=store, is_enabled=True).first()
    if chosen is None or chosen.programme not in PROVIDERS:
        return ""
    if not programme_connector(chosen.programme).is_ready(store=store):
        return ""
    return str(chosen.programme)


def provider_for(store: Store) -> LoyaltyProvider | None:
    """The provider of the programme the store runs now, or None."""
    programme = store_programme(store)
    if not programme:
        return None
    return programme_connector(programme).provider(store=store)


def posting_provider(store: Store, programme: str) -> LoyaltyProvider:
    """The provider that delivers the outbox's calls for a store, even while its
    connection needs care; LoyaltyRejected once the store has no connection."""
    connector = programme_connector(programme)
    if not connector.is_connected(store=store):
        raise LoyaltyRejected("the store is not connected to its programme any more")
    return connector.provider(store=store)


def programme_store(kiosk: Kiosk, *, programme: str = "") -> ProgrammeStore:
    """Where the kiosk stands in the programme (the store's own by default)."""
    return store_in_programme(
        kiosk.store,
        programme=programme,
        device_id=kiosk.code,
        device_name=kiosk.name,
    )


def store_in_programme(
    store: Store, *, programme: str = "", device_id: str, device_name: str
) -> ProgrammeStore:
    """The store in the programme's terms, for a device of the store."""
    chosen = programme or configured_programme(store)
    connector = programme_connector(chosen) if chosen else None
    return ProgrammeStore(
        reference=connector.store_reference(store=store) if connector else "",
        country=store.country,
        currency=store.currency,
        device_id=device_id,
        device_name=device_name,
        plu_vendor=connector.plu_vendor(store=store) if connector else "",
    )


def configured_programme(store: Store) -> str:
    """The programme chosen for the store, on or off, ready or not."""
    chosen = StoreLoyalty.objects.filter(store=store).first()
    if chosen is None or chosen.programme not in PROVIDERS:
        return ""
    return str(chosen.programme)


def programme_connection_refused(*, store: Store, programme: str = "") -> None:
    """The programme refused the store's credentials: staff must reconnect it."""
    chosen = programme or configured_programme(store)
    if chosen:
        programme_connector(chosen).connection_refused(store=store)
