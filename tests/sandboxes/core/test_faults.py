"""Fault injection: every knob and rule action, and what each does to processing."""

from __future__ import annotations

import random
import time

import pytest
import requests

from tests.sandboxes.conftest import READONLY_TOKEN, order_payload

LEA = "cust_0000000001"
ORDER = "5f0c8e2a9b1d4c7e8f3a2b1c0d9e8f7a"
NEW_CUSTOMER = {"phone": "33600000001", "reference_store_slug": "demo-paris-11"}


def _enrol(api, **kwargs):
    return api.post("/v1/customers", json=NEW_CUSTOMER, **kwargs)


def _is_enrolled(api):
    return api.get("/v1/customers/phone/33600000001").status_code == 200


def _statuses(api, count):
    return [api.get("/v1/stores").status_code for _ in range(count)]


def test_faults_never_apply_to_the_control_api(pongo_sandbox):
    pongo_sandbox.faults(down=True, force_status=500)

    assert pongo_sandbox.health()["status"] == "ok"


def test_knobs_are_reported_by_health(pongo_sandbox):
    pongo_sandbox.faults(latency_ms=5, error_status=502)

    faults = pongo_sandbox.health()["faults"]
    assert (faults["latency_ms"], faults["error_status"], faults["down"]) == (
        5,
        502,
        False,
    )


def test_force_status_answers_without_processing(pongo_sandbox, api):
    pongo_sandbox.faults(force_status=503)

    response = _enrol(api)

    pongo_sandbox.clear_faults()
    assert (response.status_code, response.json()) == (503, {"message": "Server Error"})
    assert not _is_enrolled(api)


def test_forced_statuses_are_logged_as_not_processed(pongo_sandbox, api):
    pongo_sandbox.faults(force_status=502)
    _enrol(api)

    entry = pongo_sandbox.requests()[0]

    assert (entry["status"], entry["processed"], entry["fault"]) == (
        502,
        False,
        "force_status",
    )


def test_error_rate_one_answers_the_error_status(pongo_sandbox, api):
    pongo_sandbox.faults(error_rate=1.0, error_status=500)

    assert _statuses(api, 3) == [500, 500, 500]


def test_error_status_429_carries_retry_after(pongo_sandbox, api):
    pongo_sandbox.faults(error_rate=1.0, error_status=429)

    response = api.get("/v1/stores")

    assert (response.status_code, response.headers["Retry-After"], response.json()) == (
        429,
        "1",
        {"message": "Too Many Attempts."},
    )


def test_error_rate_with_a_seed_repeats_exactly(pongo_sandbox, api):
    pongo_sandbox.faults(error_rate=0.5, seed=7)
    first = _statuses(api, 20)
    pongo_sandbox.faults(error_rate=0.5, seed=7)
    second = _statuses(api, 20)

    expected_rng = random.Random(7)
    expected = [503 if expected_rng.random() < 0.5 else 200 for _ in range(20)]
    assert first == second == expected


def test_a_failed_request_under_error_rate_is_not_processed(pongo_sandbox, api):
    pongo_sandbox.faults(error_rate=1.0)

    _enrol(api)

    pongo_sandbox.clear_faults()
    assert not _is_enrolled(api)


def test_latency_delays_every_response(pongo_sandbox, api):
    pongo_sandbox.faults(latency_ms=300)

    started = time.monotonic()
    response = api.get("/v1/stores")

    assert (response.status_code, time.monotonic() - started >= 0.3) == (200, True)


def test_jitter_adds_a_seeded_random_delay(pongo_sandbox, api):
    pongo_sandbox.faults(jitter_ms=400, seed=3)
    expected_s = random.Random(3).uniform(0, 400) / 1000

    started = time.monotonic()
    api.get("/v1/stores")

    assert time.monotonic() - started >= expected_s


def test_down_closes_the_connection_without_answer(pongo_sandbox, api):
    pongo_sandbox.faults(down=True)

    with pytest.raises(requests.ConnectionError):
        api.get("/v1/stores")


def test_down_is_logged_without_status(pongo_sandbox, api):
    pongo_sandbox.faults(down=True)
    with pytest.raises(requests.ConnectionError):
        _enrol(api)

    entry = pongo_sandbox.requests()[0]

    assert (entry["status"], entry["processed"], entry["fault"]) == (
        None,
        False,
        "down",
    )


def test_clear_faults_brings_the_api_back(pongo_sandbox, api):
    pongo_sandbox.faults(down=True)

    pongo_sandbox.clear_faults()

    assert api.get("/v1/stores").status_code == 200


def test_rate_limit_per_token_answers_429(pongo_sandbox, api):
    pongo_sandbox.faults(rate_limit_per_min=2)

    responses = [api.get("/v1/stores") for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 429]
    assert (responses[2].headers["Retry-After"], responses[2].json()) == (
        "60",
        {"message": "Too Many Attempts."},
    )


def test_rate_limit_counts_each_token_apart(pongo_sandbox, api):
    pongo_sandbox.faults(rate_limit_per_min=1)
    api.get("/v1/stores")

    response = api.get("/v1/stores", token=READONLY_TOKEN)

    assert response.status_code == 200


def test_rate_limit_window_moves_with_the_sandbox_clock(pongo_sandbox, api):
    pongo_sandbox.faults(rate_limit_per_min=1)
    api.get("/v1/stores")
    pongo_sandbox.set_clock(61)

    assert api.get("/v1/stores").status_code == 200


# --- Rules ---------------------------------------------------------------------------


def test_status_rule_answers_without_processing(pongo_sandbox, api):
    pongo_sandbox.faults(
        rules=[
            {
                "method": "POST",
                "path": "/v1/customers",
                "action": "status",
                "status": 500,
            }
        ]
    )

    response = _enrol(api)

    assert (response.status_code, _is_enrolled(api)) == (500, False)


def test_a_rule_is_removed_once_used_up(pongo_sandbox, api):
    pongo_sandbox.faults(
        rules=[{"path": "/v1/stores", "action": "status", "status": 502, "times": 2}]
    )

    assert _statuses(api, 3) == [502, 502, 200]
    assert pongo_sandbox.faults_read()["rules"] == []


def test_a_rule_only_matches_its_method(pongo_sandbox, api):
    pongo_sandbox.faults(
        rules=[
            {
                "method": "POST",
                "path": "/v1/customers*",
                "action": "status",
                "status": 500,
            }
        ]
    )

    assert api.get("/v1/customers/phone/33612345678").status_code == 200


def test_a_trailing_star_matches_any_end_of_path(pongo_sandbox, api):
    pongo_sandbox.faults(
        rules=[{"path": "/v1/customers*", "action": "status", "status": 500}]
    )

    assert api.get("/v1/customers/phone/33612345678").status_code == 500


def test_rules_are_checked_before_the_knobs(pongo_sandbox, api):
    pongo_sandbox.faults(
        force_status=503,
        rules=[{"path": "/v1/stores", "action": "status", "status": 418}],
    )

    assert _statuses(api, 1) == [418]


def test_delay_rule_delays_matching_requests_only(pongo_sandbox, api):
    pongo_sandbox.faults(rules=[{"path": "/v1/stores", "action": "delay", "ms": 400}])

    started = time.monotonic()
    api.get("/v1/customer-tags")
    unmatched_s = time.monotonic() - started
    started = time.monotonic()
    api.get("/v1/stores")
    matched_s = time.monotonic() - started

    assert (unmatched_s < 0.4, matched_s >= 0.4) == (True, True)


def test_timeout_rule_never_answers(pongo_sandbox, api):
    pongo_sandbox.faults(
        rules=[{"method": "POST", "path": "/v1/customers", "action": "timeout"}]
    )

    with pytest.raises(requests.ReadTimeout):
        _enrol(api, timeout=(1, 0.5))

    pongo_sandbox.clear_faults()
    assert not _is_enrolled(api)


def test_timeout_rule_with_hang_s_closes_after_that_time(pongo_sandbox, api):
    pongo_sandbox.faults(
        rules=[{"path": "/v1/stores", "action": "timeout", "hang_s": 0.5}]
    )

    started = time.monotonic()
    with pytest.raises(requests.ConnectionError):
        api.get("/v1/stores", timeout=5)

    assert time.monotonic() - started >= 0.5


def test_drop_rule_closes_at_once_without_processing(pongo_sandbox, api):
    pongo_sandbox.faults(
        rules=[{"path": "/v1/customers", "action": "drop", "times": 1}]
    )

    with pytest.raises(requests.ConnectionError):
        _enrol(api)

    assert not _is_enrolled(api)


def test_commit_then_status_processes_then_answers_the_error(pongo_sandbox, api):
    pongo_sandbox.faults(
        rules=[
            {
                "path": "/v1/orders",
                "action": "commit_then_status",
                "status": 500,
                "times": 1,
            }
        ]
    )

    response = api.post("/v1/orders", json=order_payload())

    assert (response.status_code, response.json()) == (500, {"message": "Server Error"})
    assert pongo_sandbox.order_count(order_id=ORDER) == 1
    assert api.post("/v1/orders", json=order_payload()).status_code == 202


def test_commit_then_drop_commits_once_and_the_retry_is_202(pongo_sandbox, api):
    pongo_sandbox.faults(
        rules=[{"path": "/v1/orders", "action": "commit_then_drop", "times": 1}]
    )

    with pytest.raises(requests.ConnectionError):
        api.post("/v1/orders", json=order_payload())
    retry = api.post("/v1/orders", json=order_payload())

    assert retry.status_code == 202
    assert pongo_sandbox.order_count(order_id=ORDER) == 1
    assert api.customer(LEA)["points"] == 333


def test_commit_then_drop_is_logged_as_processed_without_status(pongo_sandbox, api):
    pongo_sandbox.faults(rules=[{"path": "/v1/orders", "action": "commit_then_drop"}])
    with pytest.raises(requests.ConnectionError):
        api.post("/v1/orders", json=order_payload())

    entry = pongo_sandbox.requests()[0]

    assert (entry["status"], entry["processed"], entry["fault"]) == (
        None,
        True,
        "rule:commit_then_drop",
    )


@pytest.mark.parametrize(
    ("knobs", "field"),
    [
        ({"error_rate": 2}, "error_rate"),
        ({"latency_ms": -1}, "latency_ms"),
        ({"down": "yes"}, "down"),
        ({"mystery": 1}, "mystery"),
        ({"rules": [{"action": "explode"}]}, "rules"),
        ({"rules": [{"action": "status"}]}, "rules"),
    ],
)
def test_invalid_knobs_are_422(api, knobs, field):
    response = api.request("PUT", "/_sandbox/faults", token=None, json=knobs)

    assert (response.status_code, list(response.json()["errors"])) == (422, [field])


def test_replacing_knobs_resets_the_others(pongo_sandbox):
    pongo_sandbox.faults(latency_ms=50)

    knobs = pongo_sandbox.faults(jitter_ms=10)

    assert (knobs["latency_ms"], knobs["jitter_ms"]) == (0, 10)


# --- Switches ------------------------------------------------------------------------


def _buy_with_key(api, key):
    return api.post(
        "/v1/rewards/rew_0000000001/buy",
        json={"customer": LEA, "store_slug": "demo-paris-11"},
        headers={"Idempotency-Key": key},
    )


def test_idempotency_key_is_ignored_by_default(api):
    first = _buy_with_key(api, "9b2c6f0e7a5d4e3c8b1a0f9e8d7c6b5a").json()["data"]["id"]
    second = _buy_with_key(api, "9b2c6f0e7a5d4e3c8b1a0f9e8d7c6b5a").json()["data"]["id"]

    assert (first != second, api.customer(LEA)["points"]) == (True, 220)


def test_honor_idempotency_key_replays_the_first_answer(pongo_sandbox, api):
    pongo_sandbox.faults(honor_idempotency_key=True)

    first = _buy_with_key(api, "9b2c6f0e7a5d4e3c8b1a0f9e8d7c6b5a")
    second = _buy_with_key(api, "9b2c6f0e7a5d4e3c8b1a0f9e8d7c6b5a")

    assert (second.status_code, second.json()) == (201, first.json())
    assert api.customer(LEA)["points"] == 270


def test_a_replay_is_logged_as_not_processed(pongo_sandbox, api):
    pongo_sandbox.faults(honor_idempotency_key=True)
    _buy_with_key(api, "key-1")
    _buy_with_key(api, "key-1")

    entry = pongo_sandbox.requests()[1]

    assert (entry["processed"], entry["fault"]) == (False, "idempotent_replay")


def test_answer_sends_the_given_body_without_processing(pongo_sandbox, api):
    pongo_sandbox.faults(
        rules=[
            {
                "path": "/v1/customers",
                "method": "POST",
                "action": "answer",
                "body": {"data": {"customer": "not an object"}},
                "times": 1,
            }
        ]
    )

    response = _enrol(api)

    assert (response.status_code, response.json()) == (
        200,
        {"data": {"customer": "not an object"}},
    )
    assert not _is_enrolled(api)
    assert _enrol(api).status_code == 201


def test_answer_takes_a_status(pongo_sandbox, api):
    pongo_sandbox.faults(
        rules=[{"path": "/v1/stores", "action": "answer", "status": 418, "body": []}]
    )

    response = api.get("/v1/stores")

    assert (response.status_code, response.json()) == (418, [])
