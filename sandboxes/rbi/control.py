"""The RBI sandbox's control client: one-time codes, transactions, balances, sweeper."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sandboxes.core.control import SandboxControl


class RbiSandboxControl(SandboxControl):
    """The RBI sandbox's control API: what the app and the back office would do."""

    def mint_code(
        self,
        loyalty_id: str,
        preselect: Sequence[Mapping[str, str]] = (),
        ttl_s: int = 300,
    ) -> dict[str, Any]:
        """A new one-time code, as the app shows it: `{"otp", "expiresAt"}`.

        `preselect` holds `{"incentiveId": …}` or `{"loyaltyEngineId": …}`
        entries, the rewards and offers the guest picked in the app.
        """
        payload = {
            "loyaltyId": loyalty_id,
            "preselect": [dict(entry) for entry in preselect],
            "ttl_s": ttl_s,
        }
        return self._json("POST", "/_sandbox/otp", json=payload, expected=201)

    def transaction(self, transaction_id: str) -> dict[str, Any]:
        """Status, basket, holds, burns, earn and history of one transaction."""
        return self._json("GET", f"/_sandbox/transactions/{transaction_id}")

    def transactions_of(self, pos_transaction_id: str) -> list[dict[str, Any]]:
        """Every transaction a POS transaction (our order's id) opened or sent."""
        data = self._json(
            "GET", "/_sandbox/transactions", params={"pos": pos_transaction_id}
        )
        return list(data["data"])

    def user(self, loyalty_id: str) -> dict[str, Any]:
        """Balance, held and available points, and personalised offers of a user."""
        return self._json("GET", f"/_sandbox/users/{loyalty_id}")

    def set_points(self, loyalty_id: str, points: int) -> dict[str, Any]:
        """Set a user's balance; holds of open transactions stay as they are."""
        path = f"/_sandbox/users/{loyalty_id}/points"
        return self._json("POST", path, json={"points": points})

    def expire_pending(self, older_than_s: int | None = None) -> list[str]:
        """Run the PENDING sweeper now; the ids of the transactions it voided.

        `older_than_s` replaces the `pending_ttl_s` setting for this run.
        """
        payload = {} if older_than_s is None else {"pending_ttl_s": older_than_s}
        data = self._json("POST", "/_sandbox/transactions/expire", json=payload)
        return [str(identifier) for identifier in data["voided"]]
