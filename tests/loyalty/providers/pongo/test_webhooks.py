"""The Pongo webhook endpoint: signature on the raw bytes, dedupe, mirror."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from loyalty.models import MirroredMember, PongoConnection, WebhookEvent

SECRET = "whsec-test"


def signed(body: bytes, *, secret: str = SECRET, at: int | None = None) -> str:
    """Pongo-Signature as pongo.md §7.6 defines it, computed independently here."""
    timestamp = str(at if at is not None else int(time.time()))
    digest = hmac.new(
        secret.encode(), body + timestamp.encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_id="evt_1", name="customer.created", points=10):
    return json.dumps(
        {
            "id": event_id,
            "event": name,
            "created_at": "2026-11-22T10:00:00+00:00",
            "data": {
                "public_id": "cust_00000000aa",
                "first_name": "Zoé",
                "phone": "33611110000",
                "points": points,
            },
        }
    ).encode()


@pytest.fixture
def endpoint(brasserie):
    PongoConnection.objects.update(webhook_secret=SECRET, webhook_id="wh_1,wh_2")
    return f"/loyalty/pongo/webhooks/{brasserie.store_id}/"


def post(client, url, body, signature):
    return client.post(
        url, data=body, content_type="application/json", HTTP_PONGO_SIGNATURE=signature
    )


def test_a_signed_event_updates_the_mirror(client, endpoint):
    body = event()

    response = post(client, endpoint, body, signed(body))

    member = MirroredMember.objects.get()
    assert response.status_code == 200
    assert (member.reference, member.first_name, member.phone, member.points) == (
        "cust_00000000aa",
        "Zoé",
        "33611110000",
        10,
    )


def test_a_repeated_delivery_is_taken_once(client, endpoint):
    body = event()
    post(client, endpoint, body, signed(body))

    response = post(client, endpoint, body, signed(body))

    assert (response.status_code, response.content) == (200, b"duplicate")
    assert WebhookEvent.objects.count() == 1


def test_an_update_changes_the_mirrored_member(client, endpoint):
    first, second = event("evt_1"), event("evt_2", "customer.updated", points=42)
    post(client, endpoint, first, signed(first))

    post(client, endpoint, second, signed(second))

    assert MirroredMember.objects.get().points == 42


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "t=123",
        "garbage",
        "v1=" + "0" * 64,
    ],
)
def test_a_bad_signature_is_refused_and_changes_nothing(client, endpoint, signature):
    response = post(client, endpoint, event(), signature)

    assert response.status_code == 401
    assert not MirroredMember.objects.exists()


def test_a_signature_with_another_secret_is_refused(client, endpoint):
    body = event()

    response = post(client, endpoint, body, signed(body, secret="other"))

    assert response.status_code == 401


def test_an_old_delivery_is_refused(client, endpoint):
    body = event()

    response = post(client, endpoint, body, signed(body, at=int(time.time()) - 301))

    assert response.status_code == 401


def test_a_tampered_body_is_refused(client, endpoint):
    body = event()
    signature = signed(body)

    response = post(client, endpoint, body.replace(b"Zo\\u00e9", b"Eve"), signature)

    assert response.status_code == 401
    assert not MirroredMember.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"id": "evt_3", "event": "order.created", "data": {}}', b"[]"],
)
def test_a_malformed_but_signed_body_is_a_400(client, endpoint, body):
    response = post(client, endpoint, body, signed(body))

    assert response.status_code == 400
    assert not MirroredMember.objects.exists()


def test_an_unknown_store_is_a_404(client, endpoint, brasserie):
    body = event()

    response = post(
        client,
        f"/loyalty/pongo/webhooks/{brasserie.store_id + 999}/",
        body,
        signed(body),
    )

    assert response.status_code == 404
