"""RBI's rule evaluations and error codes, in one table (rbi.md §6.3).

Several strings are our choice until RBI confirms them; they live here only,
so real values replace them in one place.
"""

from __future__ import annotations

import re

# ruleId → the rule's meaning for the kiosk (its own text is chosen by the kiosk).
RULES = {
    "min-spend": "below_minimum_spend",
    "limit-per-order": "limit_per_order",
    "max-redemption": "max_redemption",
    "point-balance": "insufficient_points",
    "day-of-the-week": "wrong_day",
    "date-span": "outside_dates",
    "user-enrollment": "enrolment_dates",
    "payment-method": "payment_method",
    "scope": "scope",
    "service-mode": "service_mode",
    "store-restrictions": "store",
    "requires-authentication": "sign_in",
    "first-order-only": "first_order",
    "user-birthday": "birthday",
    "quest": "quest",
    "cart-requirements": "cart_requirements",
    "cart-requirements-exclusion": "cart_requirements",
    "cool-down": "cooldown",
}

# Error codes as RBI writes them (PascalCase, or UPPER_SNAKE in later versions).
CODE_USED = "orderselectionstatusunclaimable"
CODE_UNKNOWN = "hashsetnotfounderror"
NOT_IDENTIFIERS = {
    "usernotfounderror",  # a loyalty id of nobody
    "identificationfailed",
    "invalididentifier",
    "identifiertypedisabled",
}
RULES_ERROR = "ruleserror"
TRANSACTION_GONE = {"transactionnotfounderror", "transactionnotclaimable"}
ALREADY_CLAIMED = "transactionalreadyclaimed"


def normalised(code: str) -> str:
    """TransactionNotClaimable and TRANSACTION_NOT_CLAIMABLE are the same code."""
    return re.sub(r"[^a-z0-9]", "", code.lower())
