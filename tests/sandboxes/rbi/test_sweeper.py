"""The PENDING sweeper: transactions left open past `pending_ttl_s` are voided."""

from __future__ import annotations

import time

from tests.sandboxes.rbi.conftest import (
    ALEX,
    available_points,
    meal_lines,
    transaction_body,
)


def _wait_for_status(control, transaction_id, status, timeout_s=5.0):
    deadline = time.monotonic() + timeout_s
    while control.transaction(transaction_id)["status"] != status:
        assert time.monotonic() < deadline, f"still not {status}"
        time.sleep(0.05)


def test_expiring_now_voids_what_is_older_than_asked(rbi_sandbox, api):
    transaction_id = api.identified("222222")["transactionId"]

    voided = rbi_sandbox.expire_pending(older_than_s=0)

    state = rbi_sandbox.transaction(transaction_id)
    assert (voided, state["status"], state["history"][-1]["event"]) == (
        [transaction_id],
        "VOID",
        "expired",
    )


def test_expiring_now_uses_the_ttl_setting(rbi_sandbox, api):
    transaction_id = api.identified("222222")["transactionId"]
    rbi_sandbox.faults(pending_ttl_s=3600)
    rbi_sandbox.set_clock(3601)

    rbi_sandbox.expire_pending()

    state = rbi_sandbox.transaction(transaction_id)
    assert [event["event"] for event in state["history"]] == ["identified", "expired"]


def test_the_ttl_setting_keeps_younger_transactions(rbi_sandbox, api):
    transaction_id = api.identified("222222")["transactionId"]
    rbi_sandbox.faults(pending_ttl_s=3600)
    rbi_sandbox.set_clock(1801)

    rbi_sandbox.expire_pending()

    assert rbi_sandbox.transaction(transaction_id)["status"] == "PENDING"


def test_the_sweeper_releases_the_holds(rbi_sandbox, api):
    api.identified("222222")
    rbi_sandbox.set_clock(1801)

    rbi_sandbox.expire_pending()

    assert available_points(rbi_sandbox, ALEX) == 1200


def test_the_sweeper_leaves_young_transactions(rbi_sandbox, api):
    transaction_id = api.identified("222222")["transactionId"]
    rbi_sandbox.set_clock(1790)

    assert (
        rbi_sandbox.expire_pending(),
        rbi_sandbox.transaction(transaction_id)["status"],
    ) == (
        [],
        "PENDING",
    )


def test_an_update_restarts_the_ttl(rbi_sandbox, api):
    transaction_id = api.identified(ALEX)["transactionId"]
    rbi_sandbox.set_clock(1000)
    api.update(transaction_id, transaction_body(transaction_id, lines=meal_lines()))
    rbi_sandbox.set_clock(1900)

    assert rbi_sandbox.expire_pending() == []


def test_the_sweeper_leaves_claimed_transactions(rbi_sandbox, api):
    transaction_id = api.identified(ALEX)["transactionId"]
    api.update(transaction_id, transaction_body(transaction_id, status="CLAIMED"))
    rbi_sandbox.set_clock(1801)

    rbi_sandbox.expire_pending()

    assert rbi_sandbox.transaction(transaction_id)["status"] == "CLAIMED"


def test_a_background_thread_runs_the_sweeper(rbi_sandbox, api):
    transaction_id = api.identified("222222")["transactionId"]

    rbi_sandbox.set_clock(1801)

    _wait_for_status(rbi_sandbox, transaction_id, "VOID")


def test_an_expired_transaction_is_not_claimable(rbi_sandbox, api):
    transaction_id = api.identified(ALEX)["transactionId"]
    rbi_sandbox.set_clock(1801)
    rbi_sandbox.expire_pending()

    response = api.update(
        transaction_id, transaction_body(transaction_id, status="CLAIMED")
    )

    assert response.json()["code"] == "TransactionNotClaimable"
