"""The RBI live check, in process, against the RBI sandbox."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from loyalty.providers.base import ProgrammeStore
from loyalty.providers.rbi.assumptions import ASSUMPTIONS
from loyalty.providers.rbi.client import Market, RbiClient
from loyalty.providers.rbi.provider import RbiProvider, RbiStore

ALEX = "00000000-0000-4000-8000-000000000001"
PLACE = ProgrammeStore(
    reference="9999", country="FR", currency="EUR", device_id="2", device_name="K2"
)


@pytest.fixture
def provider(rbi_sandbox) -> RbiProvider:
    cache.clear()
    base = rbi_sandbox.base_url
    return RbiProvider(
        client=RbiClient(
            base_url=base,
            market=Market(
                api_key="rbi-sandbox-kiosk-key", country="FR", timezone="Europe/Paris"
            ),
        ),
        store=RbiStore(
            store_id="9999",
            vendor="partner",
            sanity_url=f"{base}/sanity/v1/graphql/dev_bk_fr/default",
            language="en",
        ),
    )


def test_every_call_keeps_its_assumption_and_nothing_is_left_behind(
    provider, rbi_sandbox
):
    results = provider.live_check(store=PLACE, test_identifier="222222")

    assert [(r.assumption, r.is_ok, r.detail) for r in results] == [
        ("sanity.offers_document", True, ""),
        ("sanity.rewards", True, ""),
        ("identify.answer", True, ""),
        ("identify.order", True, ""),
        ("identify.repeat", True, ""),
        ("validate.answer", True, ""),
        ("eligibility.offers", True, ""),
        ("eligibility.rewards", True, ""),
        ("void.path", True, ""),
    ]
    user = rbi_sandbox.user(ALEX)
    assert (user["points"], user["heldPoints"], user["pointMovements"]) == (
        1200,
        0,
        [],
    )


def test_every_assumption_checked_is_listed_with_its_source(provider):
    keys = {assumption.key for assumption in ASSUMPTIONS}

    results = provider.live_check(store=PLACE, test_identifier="111111")

    assert {result.assumption for result in results} <= keys
    assert len(keys) == len(ASSUMPTIONS)
    assert all(assumption.source for assumption in ASSUMPTIONS)
    assert provider.assumptions == ASSUMPTIONS


def test_a_refused_code_fails_identify_and_checks_no_session(provider):
    results = provider.live_check(store=PLACE, test_identifier="000000")

    assert [(r.call, r.is_ok) for r in results][2:] == [
        ("POST /loyalty/identify", False)
    ]
    assert "HashSetNotFoundError" in results[2].detail


def test_an_unknown_offers_document_fails_the_content_check(provider, rbi_sandbox):
    from dataclasses import replace

    provider.store = replace(provider.store, offers_document="another-singleton")

    results = provider.live_check(store=PLACE)

    assert (results[0].is_ok, results[0].detail) == (
        False,
        "LoyaltyOffersUI is None: no such document in this dataset",
    )
