"""Every programme of the registry keeps the contract: the core methods, and
exactly the methods of the capabilities it declares (no stubs)."""

from __future__ import annotations

import inspect

import pytest

from kiosk.models import Store
from loyalty.programmes import programme_connector
from loyalty.providers import PROVIDERS
from loyalty.providers.base import (
    CAPABILITY_PROTOCOLS,
    Capability,
    LoyaltyProvider,
    as_content,
    as_enrolment,
    as_owned_rewards,
    as_session,
)
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


def _methods(protocol: type) -> set[str]:
    return {
        name
        for name, member in vars(protocol).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }


CORE = _methods(LoyaltyProvider)


@pytest.fixture(params=sorted(PROVIDERS))
def provider(request) -> LoyaltyProvider:
    """Each programme's provider, built by its connector from a connected store."""
    store = StoreFactory(slug=f"contract-{request.param}")
    connector = programme_connector(request.param)
    connector.demo_connect(store=store)
    return connector.provider(store=store)


def test_it_implements_the_core_contract(provider):
    assert isinstance(provider, LoyaltyProvider)
    assert all(callable(getattr(provider, name)) for name in CORE)
    assert provider.identifiers


@pytest.mark.parametrize("capability", sorted(CAPABILITY_PROTOCOLS))
def test_it_has_the_methods_of_a_capability_exactly_when_it_declares_it(
    provider, capability
):
    methods = _methods(CAPABILITY_PROTOCOLS[capability])

    present = {name for name in methods if hasattr(provider, name)}

    if capability in provider.capabilities:
        assert present == methods
    else:
        assert present == set()


def test_its_capabilities_are_known_ones(provider):
    assert provider.capabilities <= set(Capability)


def test_the_capability_views_follow_the_declaration(provider):
    views = {
        Capability.ENROLMENT: as_enrolment(provider),
        Capability.OWNED_REWARDS: as_owned_rewards(provider),
        Capability.SESSION: as_session(provider),
        Capability.CONTENT: as_content(provider),
    }

    assert {cap for cap, view in views.items() if view is not None} == (
        provider.capabilities - {Capability.GUEST_POSTINGS}
    )


def test_the_connector_names_the_store_as_the_programme_knows_it(provider):
    store = Store.objects.get()
    connector = programme_connector(provider.name)

    assert connector.is_ready(store=store) is True
    assert connector.is_connected(store=store) is True
    assert connector.store_reference(store=store) != ""
