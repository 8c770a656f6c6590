"""A store's RBI connection: what the provider is built with, and its admin form."""

from __future__ import annotations

import pytest

from loyalty.providers.rbi.admin import RbiConnectionForm
from loyalty.providers.rbi.connection import RbiConnector
from loyalty.providers.rbi.models import RbiConnection
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    store = StoreFactory(slug="rbi-connection")
    RbiConnector().demo_connect(store=store)
    return store


def test_a_new_connection_reads_the_usual_offers_document(store):
    connection = RbiConnection.objects.get(store=store)

    assert (
        connection.offers_document,
        connection.pos_operator,
        connection.matching_id,
    ) == ("feature-loyalty-offers-ui-singleton", "", "")


def test_the_provider_speaks_for_the_connection_as_configured(store):
    RbiConnection.objects.filter(store=store).update(
        supporting_pos="NCR",
        pos_operator="300",
        matching_id="SMG-42",
        offers_document="loyalty-offers-fr",
    )

    provider = RbiConnector().provider(store=store)

    rbi = provider.store
    assert (rbi.vendor, rbi.operator, rbi.matching_id, rbi.offers_document) == (
        "NCR",
        "300",
        "SMG-42",
        "loyalty-offers-fr",
    )
    assert (provider.has_personalised_offers, provider.client.market.country) == (
        False,
        "FR",
    )
    assert RbiConnector().plu_vendor(store=store) == "ncr"


def test_the_admin_form_edits_the_pos_vendor_fields_and_the_offers_document():
    fields = RbiConnectionForm.base_fields

    assert {"pos_operator", "matching_id", "offers_document"} <= set(fields)
    assert fields["pos_operator"].required is False
    assert fields["matching_id"].required is False
