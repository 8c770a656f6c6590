"""The framework's fault knobs on the RBI API: bodies in §6.1's shape, one claim."""

from __future__ import annotations

import pytest
import requests

from tests.sandboxes.rbi.conftest import (
    ALEX,
    FREE_DRINK,
    meal_lines,
    reward_line,
    transaction_body,
)


def _claim_body(transaction_id):
    return transaction_body(
        transaction_id,
        lines=[*meal_lines(), reward_line(*FREE_DRINK)],
        status="CLAIMED",
    )


def test_a_claim_committed_then_dropped_and_sent_again_moves_points_once(
    rbi_sandbox, api
):
    transaction_id = api.identified(ALEX)["transactionId"]
    path = f"/loyalty/transaction/pos/{transaction_id}"
    rbi_sandbox.faults(rules=[{"path": path, "action": "commit_then_drop", "times": 1}])
    with pytest.raises(requests.ConnectionError):
        api.update(transaction_id, _claim_body(transaction_id))

    response = api.update(transaction_id, _claim_body(transaction_id))

    assert (response.status_code, response.json()["code"]) == (
        409,
        "TransactionAlreadyClaimed",
    )
    movements = rbi_sandbox.user(ALEX)["pointMovements"]
    assert [(movement["kind"], movement["points"]) for movement in movements] == [
        ("burn", -250),
        ("earn", 84),
    ]


def test_the_dropped_claim_is_logged_as_processed(rbi_sandbox, api):
    transaction_id = api.identified(ALEX)["transactionId"]
    path = f"/loyalty/transaction/pos/{transaction_id}"
    rbi_sandbox.faults(rules=[{"path": path, "action": "commit_then_drop", "times": 1}])
    with pytest.raises(requests.ConnectionError):
        api.update(transaction_id, _claim_body(transaction_id))

    entry = rbi_sandbox.requests()[-1]
    assert (entry["status"], entry["processed"], entry["fault"]) == (
        None,
        True,
        "rule:commit_then_drop",
    )


def test_a_forced_status_answers_an_rbi_error_body(rbi_sandbox, api):
    rbi_sandbox.faults(force_status=503)

    response = api.identify("111111")

    assert (response.status_code, response.json()) == (
        503,
        {
            "statusCode": 503,
            "code": "ServiceUnavailable",
            "message": "Service Unavailable",
            "details": {},
        },
    )


def test_a_forced_status_consumes_nothing(rbi_sandbox, api):
    rbi_sandbox.faults(force_status=500)
    api.identify("111111")
    rbi_sandbox.clear_faults()

    assert api.identify("111111").status_code == 200


def test_a_fault_body_follows_the_spelling_switch(rbi_sandbox, api):
    rbi_sandbox.faults(force_status=500, upper_snake_codes=True)

    response = api.identify("111111")

    assert response.json()["code"] == "INTERNAL_SERVER_ERROR"


def test_commit_then_status_consumes_the_code(rbi_sandbox, api):
    rbi_sandbox.faults(
        rules=[
            {"path": "/loyalty/identify", "action": "commit_then_status", "status": 502}
        ]
    )
    assert api.identify("111111").status_code == 502
    rbi_sandbox.clear_faults()

    assert api.identify("111111").status_code == 422


def test_a_rate_limit_answers_429_with_retry_after(rbi_sandbox, api):
    rbi_sandbox.faults(rate_limit_per_min=1)
    api.identify("111111")

    response = api.identify("333333")

    assert (
        response.status_code,
        response.json()["code"],
        response.headers["Retry-After"],
    ) == (
        429,
        "TooManyRequests",
        "60",
    )


def test_down_drops_the_sanity_route_too(rbi_sandbox, api):
    rbi_sandbox.faults(down=True)

    with pytest.raises(requests.ConnectionError):
        api.sanity('{ RewardList(id: "reward-list-singleton") { _id } }')


def test_faults_never_apply_to_the_control_api(rbi_sandbox):
    rbi_sandbox.faults(down=True, force_status=500)

    assert rbi_sandbox.user(ALEX)["points"] == 1200
