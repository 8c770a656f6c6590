"""RBI's error bodies (`rbi.md` §6.1): one spelling switch, one list of codes.

Codes are written in PascalCase, as the first version of the API does; the
`upper_snake_codes` switch writes them as the later version does
(`TransactionNotClaimable` becomes `TRANSACTION_NOT_CLAIMABLE`), so the
client's comparison of both spellings can be tested.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence

from sandboxes.core.web import ApiError, SandboxResponse, json_response, status_phrase


class ErrorCode(enum.StrEnum):
    UNAUTHORIZED = "Unauthorized"
    VALIDATION_ERROR = "ValidationError"
    NOT_FOUND = "NotFound"
    METHOD_NOT_ALLOWED = "MethodNotAllowed"
    NOT_IMPLEMENTED = "NotImplemented"
    IDENTIFICATION_FAILED = "IdentificationFailed"
    HASH_SET_NOT_FOUND = "HashSetNotFoundError"
    USER_NOT_FOUND = "UserNotFoundError"
    REWARD_NOT_FOUND = "RewardNotFoundError"
    OFFER_NOT_FOUND = "OfferNotFoundError"
    ORDER_SELECTION_UNCLAIMABLE = "OrderSelectionStatusUnclaimable"
    INVALID_IDENTIFIER = "InvalidIdentifier"
    IDENTIFIER_TYPE_DISABLED = "IdentifierTypeDisabled"
    RULES_ERROR = "RulesError"
    TRANSACTION_NOT_CLAIMABLE = "TransactionNotClaimable"
    TRANSACTION_NOT_FOUND = "TransactionNotFoundError"
    TRANSACTION_INSUFFICIENT_POINTS = "TransactionInsufficientPoints"
    TRANSACTION_ALREADY_CLAIMED = "TransactionAlreadyClaimed"
    REDEEM_REWARD_ERROR = "RedeemRewardError"
    STORE_NOT_FOUND = "StoreNotFound"
    PROMO_CODE_NOT_FOUND = "PromoCodeNotFound"
    PROMO_CODE_ALREADY_REDEEMED = "PromoCodeAlreadyRedeemed"


class RbiError(Exception):
    """A refusal of the loyalty API, written out once the spelling is known."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Mapping[str, object] | None = None,
        *,
        has_details: bool = True,
        is_engine_error: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = dict(details or {})
        self.has_details = has_details
        self.is_engine_error = is_engine_error

    def payload(self, *, is_upper_snake: bool) -> dict[str, object]:
        payload: dict[str, object] = {"statusCode": self.status}
        if self.is_engine_error:
            payload["isEngineError"] = True
        payload["code"] = upper_snake(self.code) if is_upper_snake else self.code
        payload["message"] = self.message
        if self.has_details:
            payload["details"] = self.details
        return payload

    def api_error(self, *, is_upper_snake: bool) -> ApiError:
        """The framework's refusal: it rolls the request's transaction back."""
        return ApiError(self.status, self.payload(is_upper_snake=is_upper_snake))


def upper_snake(code: str) -> str:
    """`HashSetNotFoundError` → `HASH_SET_NOT_FOUND_ERROR`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", code).upper()


def unauthorized() -> RbiError:
    # The documented 401 body has no details.
    return RbiError(401, ErrorCode.UNAUTHORIZED, "Unauthorized", has_details=False)


def invalid_fields(fields: Sequence[str], message: str = "Invalid request") -> RbiError:
    return RbiError(400, ErrorCode.VALIDATION_ERROR, message, {"fields": list(fields)})


def not_found(code: ErrorCode, message: str) -> RbiError:
    return RbiError(404, code, message)


def status_error_response(
    status: int, retry_after: int | None, *, is_upper_snake: bool
) -> SandboxResponse:
    """The body of a status chosen by a fault: the HTTP phrase as a code."""
    phrase = status_phrase(status)
    code = "".join(word.capitalize() for word in re.findall(r"[A-Za-z]+", phrase))
    error = RbiError(status, code or "Error", phrase)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return json_response(error.payload(is_upper_snake=is_upper_snake), status, headers)
