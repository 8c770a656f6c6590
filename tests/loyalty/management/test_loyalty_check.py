"""`manage.py loyalty_check` as a real process, against the Pongo sandbox."""

from __future__ import annotations

import pytest

from tests.processes import child_env, manage_py

pytestmark = pytest.mark.django_db(transaction=True)

LEA = {
    "public_id": "cust_0000000001",
    "first_name": "Léa",
    "phone": "33612345678",
    "points": 320,
    "has_pin": False,
}


def _loyalty_check(sandbox_url: str, *arguments: str) -> tuple[int, str]:
    """The command's exit status and what it printed."""
    env = child_env(PONGO_BASE_URL=sandbox_url)
    child = manage_py("loyalty-check", "loyalty_check", *arguments, env=env)
    try:
        assert child.process is not None
        status = child.process.wait(timeout=60)
    finally:
        child.stop()
    return status, child.output()


def test_the_brasserie_passes_against_the_pongo_sandbox(brasserie, pongo_sandbox):
    status, output = _loyalty_check(
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


def test_a_wrong_shape_fails_naming_the_call_and_the_assumption(
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

    status, output = _loyalty_check(
        pongo_sandbox.base_url, "brasserie-demo", "--identifier", "33612345678"
    )

    assert status == 1
    assert (
        "  FAIL  GET /v1/customers/phone/{phone}: GET customer gives the points "
        "balance (kiosk guide) as `points`, an integer. [unconfirmed]\n"
        "        `points` is '320', not an integer\n"
    ) in output
    assert output.endswith("CommandError: 1 of 36 checks failed.\n")
