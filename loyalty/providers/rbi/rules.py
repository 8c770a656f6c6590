"""RBI's rule evaluations and error codes, in one table (rbi.md §6.3).

Several strings are our choice until RBI confirms them; they live here only,
so real values replace them in one place.
"""

from __future__ import annotations

import re

from loyalty.providers.base import RuleCode

# ruleId → what it means for the kiosk, which words it for the customer.
RULES: dict[str, RuleCode] = {
    "min-spend": RuleCode.MINIMUM_SPEND,
    "limit-per-order": RuleCode.LIMIT_REACHED,
    "max-redemption": RuleCode.LIMIT_REACHED,
    "cool-down": RuleCode.LIMIT_REACHED,
    "point-balance": RuleCode.INSUFFICIENT_POINTS,
    "day-of-the-week": RuleCode.NOT_AVAILABLE_NOW,
    "date-span": RuleCode.NOT_AVAILABLE_NOW,
    "user-enrollment": RuleCode.NOT_AVAILABLE_NOW,
    "user-birthday": RuleCode.NOT_AVAILABLE_NOW,
    "payment-method": RuleCode.PAYMENT_METHOD,
    "service-mode": RuleCode.SERVICE_MODE,
    "store-restrictions": RuleCode.NOT_IN_THIS_STORE,
    "requires-authentication": RuleCode.SIGN_IN_REQUIRED,
    "first-order-only": RuleCode.FIRST_ORDER_ONLY,
    "cart-requirements": RuleCode.BASKET_REQUIREMENTS,
    "cart-requirements-exclusion": RuleCode.BASKET_REQUIREMENTS,
    "scope": RuleCode.OTHER,
    "quest": RuleCode.OTHER,
}


def rule_code(rule_id: str) -> RuleCode:
    """An RBI ruleId in the kiosk's terms; an id RBI adds later is OTHER."""
    return RULES.get(rule_id, RuleCode.OTHER)


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
