"""`manage.py loyalty_check` as a real process, against each programme's sandbox."""

from __future__ import annotations

import pytest

from tests.processes import ChildProcess, child_env, manage_py

LEA = {
    "public_id": "cust_0000000001",
    "first_name": "Léa",
    "phone": "33612345678",
    "points": 320,
    "has_pin": False,
}


def _pongo_check(sandbox_url: str, *arguments: str) -> tuple[int, str]:
    """The command's exit status and what it printed."""
    env = child_env(PONGO_BASE_URL=sandbox_url)
    child = manage_py("loyalty-check", "loyalty_check", *arguments, env=env)
    try:
        assert child.process is not None
        status = child.process.wait(timeout=60)
    finally:
        child.stop()
    return status, child.output()


@pytest.mark.django_db(transaction=True)
def test_the_brasserie_passes_against_the_pongo_sandbox(brasserie, pongo_sandbox):
    status, output = _pongo_check(
        pongo_sandbox.base_url, "brasserie-demo", "--identifier", "0612345678"
    )

    assert status == 0, output
    assert "Loyalty check of Brasserie Démo (brasserie-demo): pongo" in output
    assert "FAIL" not in output
    assert "  ok    GET /v1/customers/phone/{phone}: GET customer gives the points" in (
        output
    )
    assert "36 checks, 0 failed;" in output
    assert {r["method"] for r in pongo_sandbox.requests()} == {"GET"}


@pytest.mark.django_db(transaction=True)
def test_a_wrong_pongo_shape_fails_naming_the_call_and_the_assumption(
    brasserie, pongo_sandbox
):
    pongo_sandbox.faults(
        rules=[
            {
                "path": "/v1/customers/phone/*",
                "action": "answer",
                "body": {"data": {**LEA, "points": "320"}},
            }
        ]
    )

    status, output = _pongo_check(
        pongo_sandbox.base_url, "brasserie-demo", "--identifier", "33612345678"
    )

    assert status == 1
    assert (
        "  FAIL  GET /v1/customers/phone/{phone}: GET customer gives the points "
        "balance (kiosk guide) as `points`, an integer. [unconfirmed]\n"
        "        `points` is '320', not an integer\n"
    ) in output
    assert output.endswith("CommandError: 1 of 36 checks failed.\n")


def _rbi_check(sandbox_url: str, *arguments: str) -> tuple[int, str]:
    env = child_env(RBI_BASE_URL=sandbox_url, RBI_SANITY_URL="")
    check: ChildProcess = manage_py(
        "loyalty-check", "loyalty_check", "burger-demo", *arguments, env=env
    )
    try:
        assert check.process is not None
        code = check.process.wait(timeout=60)
    finally:
        check.stop()
    return code, check.output()


@pytest.mark.django_db(transaction=True)
def test_the_burger_store_passes_against_the_rbi_sandbox(burger, rbi_sandbox):
    code, output = _rbi_check(rbi_sandbox.base_url, "--identifier", "111111")

    assert code == 0, output
    assert "FAIL" not in output
    assert "  ok    POST /loyalty/identify: Identify answers transactionId" in output
    assert "9 checks, 0 failed;" in output
    transactions = [r for r in rbi_sandbox.requests() if r["path"].endswith("/void")]
    assert [r["status"] for r in transactions] == [200]
    assert rbi_sandbox.user("00000000-0000-4000-8000-000000000001")["points"] == 1200


@pytest.mark.django_db(transaction=True)
def test_a_wrong_rbi_shape_fails_naming_the_call_and_the_assumption(
    burger, rbi_sandbox
):
    rbi_sandbox.faults(
        rules=[
            {
                "method": "POST",
                "path": "/loyalty/identify",
                "action": "answer",
                "body": {
                    "transactionId": 42,
                    "loyaltyUser": {"name": "Alex"},
                    "balances": [{"amount": "1200", "currency": "points"}],
                },
            }
        ]
    )

    code, output = _rbi_check(rbi_sandbox.base_url, "--identifier", "111111")

    assert code == 1, output
    assert (
        "  FAIL  POST /loyalty/identify: Identify answers transactionId, "
        "loyaltyUser.id and name, and balances[] with currency points"
    ) in output
    assert (
        "transactionId is 42, not a text; loyaltyUser.id is None, not a text; "
        "balances[0].amount is '1200', not a whole number"
    ) in output
    assert "CommandError: 1 of 3 checks failed." in output


@pytest.mark.django_db(transaction=True)
def test_without_a_test_member_the_member_calls_are_not_checked(burger, rbi_sandbox):
    code, output = _rbi_check(rbi_sandbox.base_url)

    assert code == 1, output
    assert "give a test member's 6-digit code or loyalty id (--identifier)" in output
