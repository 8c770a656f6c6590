"""The control API every sandbox shares: health, reset, request log, clock.

Through the Pongo emulator, the concrete one at hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta

LEA = "cust_0000000001"


def test_health(pongo_sandbox):
    health = pongo_sandbox.health()

    assert (health["status"], health["emulator"], health["clock_offset_s"]) == (
        "ok",
        "pongo",
        0.0,
    )
    assert health["faults"] == {
        "latency_ms": 0,
        "jitter_ms": 0,
        "error_rate": 0.0,
        "error_status": 503,
        "force_status": None,
        "down": False,
        "rules": [],
        "rate_limit_per_min": None,
        "seed": 0,
        "strict_enums": True,
        "honor_idempotency_key": False,
        "restore_rewards": True,
        "allow_http_webhooks": False,
    }


def test_request_log_records_each_api_request(pongo_sandbox, api):
    api.post(
        "/v1/customers",
        json={"phone": "33600000001", "reference_store_slug": "demo-paris-11"},
        headers={"Idempotency-Key": "k-1", "User-Agent": "kiosk/1.0"},
    )

    entry = pongo_sandbox.requests()[0]
    assert {
        key: entry[key]
        for key in ("seq", "method", "path", "body", "status", "processed", "fault")
    } == {
        "seq": 1,
        "method": "POST",
        "path": "/v1/customers",
        "body": {"phone": "33600000001", "reference_store_slug": "demo-paris-11"},
        "status": 201,
        "processed": True,
        "fault": None,
    }
    assert entry["headers"] == {
        "authorization": "Bearer sandbox-fr-token",
        "content-type": "application/json",
        "accept": "*/*",
        "user-agent": "kiosk/1.0",
        "idempotency-key": "k-1",
    }


def test_request_log_since_a_sequence_number(pongo_sandbox, api):
    for path in ("/v1/stores", "/v1/rewards", "/v1/customer-tags"):
        api.get(path)

    assert [entry["path"] for entry in pongo_sandbox.requests(since=1)] == [
        "/v1/rewards",
        "/v1/customer-tags",
    ]


def test_request_log_keeps_the_query(pongo_sandbox, api):
    api.get("/v1/rewards", params={"customer": LEA, "store_slug": "demo-paris-11"})

    assert pongo_sandbox.requests()[0]["query"] == {
        "customer": LEA,
        "store_slug": "demo-paris-11",
    }


def test_control_requests_are_not_logged(pongo_sandbox):
    pongo_sandbox.health()
    pongo_sandbox.set_points(LEA, 1)

    assert pongo_sandbox.requests() == []


def test_clock_offset_moves_the_sandbox_time(pongo_sandbox):
    pongo_sandbox.set_clock(900)

    health = pongo_sandbox.health()
    clock = datetime.fromisoformat(health["clock"])
    assert health["clock_offset_s"] == 900.0
    assert clock - datetime.now(tz=clock.tzinfo) > timedelta(seconds=890)


def test_reset_clears_faults_clock_and_log(pongo_sandbox, api):
    pongo_sandbox.faults(latency_ms=10)
    pongo_sandbox.set_clock(60)
    api.get("/v1/stores")

    pongo_sandbox.reset()

    health = pongo_sandbox.health()
    assert (
        health["faults"]["latency_ms"],
        health["clock_offset_s"],
        pongo_sandbox.requests(),
    ) == (0, 0.0, [])


def test_reset_restarts_the_request_numbering(pongo_sandbox, api):
    api.get("/v1/stores")
    pongo_sandbox.reset()
    api.get("/v1/stores")

    assert [entry["seq"] for entry in pongo_sandbox.requests()] == [1]


def test_unknown_control_route_is_404(api):
    response = api.get("/_sandbox/nothing-here", token=None)

    assert response.status_code == 404
