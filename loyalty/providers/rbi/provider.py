"""RBI's loyalty middleware behind the neutral loyalty contract.

Identification opens an RBI loyalty transaction (the SESSION capability): it
is validated whenever the basket's incentives change, claimed after payment,
kept PENDING for the counter, and voided when the order is abandoned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC
from typing import Any

from loyalty.http import posting_timeout
from loyalty.providers.base import (
    BasketCheck,
    Capability,
    ErrorCode,
    Identification,
    IdentifierKind,
    LoyaltyRejected,
    Member,
    OrderPosting,
    Panel,
    PostedLine,
    PostedLineKind,
    PostingResult,
    ProgrammeStore,
    Reward,
    RuleIssue,
)
from loyalty.providers.rbi.client import PATHS, RbiClient, RulesFailed, price
from loyalty.providers.rbi.content import Content, content, eligible
from loyalty.providers.rbi.rules import (
    CODE_UNKNOWN,
    CODE_USED,
    NOT_IDENTIFIERS,
    TRANSACTION_GONE,
    rule_code,
)

OTP = re.compile(r"^\d{6}$")
LOYALTY_ID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_SERVICE_MODES = {"eat_in": "EAT_IN", "take_away": "TAKEOUT"}
_CARD_TYPES = {"VISA": "VISA", "MASTERCARD": "MASTERCARD", "AMEX": "AMEX"}


@dataclass(frozen=True)
class RbiStore:
    """What the provider needs of the store beyond the neutral ProgrammeStore."""

    store_id: str
    vendor: str  # supportingPos: the POS vendor whose PLUs are used, e.g. partner
    sanity_url: str
    language: str


def identifier_kind(code: str) -> str | None:
    """Scanned or typed: a 6-digit code, a loyalty id (UUID), or neither."""
    value = code.strip()
    if OTP.match(value):
        return "otp"
    if LOYALTY_ID.match(value):
        return "loyalty_id"
    return None


class RbiProvider:
    name = "rbi"
    capabilities = frozenset(
        {Capability.SESSION, Capability.CONTENT, Capability.GUEST_POSTINGS}
    )
    # Members scan the QR code of their app, or type its 6-digit code.
    identifiers = frozenset({IdentifierKind.CODE, IdentifierKind.PASS})

    def __init__(self, *, client: RbiClient, store: RbiStore) -> None:
        self.client = client
        self.store = store

    def _content(self) -> Content:
        return content(
            self.store.sanity_url,
            vendor=self.store.vendor,
            language=self.store.language,
        )

    def _pos_vendor(self, order_reference: str, terminal: str) -> dict[str, Any]:
        return {
            "transactionId": order_reference,
            "storeId": self.store.store_id,
            "terminal": terminal,
            "posType": "Partner",
            "supportingPos": self.store.vendor,
        }

    # --- members -------------------------------------------------------------

    def member_identify(
        self,
        *,
        identifier: str,
        kind: IdentifierKind,
        store: ProgrammeStore,
        order_reference: str = "",
    ) -> Identification | None:
        if kind == IdentifierKind.PHONE or identifier_kind(identifier) is None:
            return None
        body = {
            "identifier": identifier.strip(),
            "posVendor": self._pos_vendor(order_reference, store.device_id),
        }
        try:
            answer = self.client.call("POST", PATHS["identify"], body=body)
        except LoyaltyRejected as err:
            if err.code in {CODE_USED, CODE_UNKNOWN}:
                # Expired and unknown codes look the same (404): both need a new code.
                raise LoyaltyRejected(
                    "this code has expired or was used", code=ErrorCode.CODE_EXPIRED
                ) from err
            if err.code in NOT_IDENTIFIERS:
                return None
            raise
        return self._identification(answer)

    def _identification(self, answer: dict[str, Any]) -> Identification:
        user = answer.get("loyaltyUser") or {}
        balances = [
            b
            for b in answer.get("balances") or []
            if isinstance(b, dict) and b.get("currency") == "points"
        ]
        member = Member(
            reference=str(user.get("id", "")),
            first_name=str(user.get("name") or ""),
            points=int(balances[0]["amount"]) if balances else 0,
            session_reference=str(answer.get("transactionId", "")),
        )
        if not member.reference or not member.session_reference:
            raise LoyaltyRejected("RBI identified nobody", code=ErrorCode.MALFORMED)
        library = self._content()
        preselected = []
        for line in answer.get("order") or []:
            reward = (
                library.incentive(str(line.get("incentiveId", "")))
                if isinstance(line, dict)
                else None
            )
            if reward is not None:
                preselected.append(
                    _with_engine(reward, str(line.get("loyaltyEngineId") or ""))
                )
        return Identification(member=member, preselected=tuple(preselected))

    def panel(self, *, member: Member, store: ProgrammeStore) -> Panel:
        """Rewards and offers the member may add; fixable rule failures as issues."""
        library = self._content()
        engine_to_reward = {r.engine_reference: r for r in library.rewards.values()}
        where = {"storeId": self.store.store_id}
        rewards: list[Reward] = []
        issues: list[RuleIssue] = []
        for entry in eligible(self.client, loyalty_id=member.reference, where=where):
            if entry.reference:
                offer = library.offers.get(entry.reference)
                if offer is None:
                    continue
                rewards.append(
                    _with_engine(offer, entry.engine_reference)
                    if entry.is_personalised
                    else offer
                )
                issues += entry.issues
            elif (reward := engine_to_reward.get(entry.engine_reference)) is not None:
                rewards.append(reward)
                issues += [
                    RuleIssue(reward.reference, issue.code) for issue in entry.issues
                ]
        return Panel(
            member=member, rewards=tuple(rewards), owned=(), issues=tuple(issues)
        )

    def catalogue(self, *, store: ProgrammeStore) -> tuple[Reward, ...]:
        """Every reward and offer of the market published for this store's POS vendor."""
        library = self._content()
        return (*library.rewards.values(), *library.offers.values())

    # --- the transaction -------------------------------------------------------

    def _body(
        self, posting: OrderPosting, *, status: str, payments: list[dict[str, Any]]
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "channel": "Restaurant",
            "created": posting.created_at.astimezone(UTC).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "serviceMode": _SERVICE_MODES.get(posting.service_mode, "EAT_IN"),
            "status": status,
            "transactionDetails": {
                "currency": posting.store.currency,
                "order": [_line(line) for line in _posted(posting.lines)],
                "payments": payments,
                "posVendor": self._pos_vendor(
                    posting.order_reference, posting.terminal
                ),
            },
        }
        if posting.session_reference:
            body = {
                "loyaltyId": posting.member_reference,
                "transactionId": posting.session_reference,
                **body,
            }
        return body

    def _paid(self, posting: OrderPosting) -> list[dict[str, Any]]:
        kind = (
            _CARD_TYPES.get(posting.card_brand.upper(), "CREDIT")
            if posting.payment_method == "card"
            else "CASH"
        )
        return [{"amount": posting.amount, "type": kind}]

    def basket_validate(self, *, posting: OrderPosting) -> BasketCheck:
        body = self._body(posting, status="CLAIMED", payments=self._paid(posting))
        try:
            answer = self.client.call(
                "POST",
                PATHS["validate"].format(transaction=posting.session_reference),
                body=body,
            )
        except RulesFailed as failure:
            return BasketCheck(issues=tuple(_issue(e) for e in failure.evaluations))
        return BasketCheck(
            balance_after=_int(answer.get("points")),
            points_earned=_int(answer.get("pointsEarned")),
            points_redeemed=_int(answer.get("pointsRedeemed")),
        )

    def posting_payload(self, *, posting: OrderPosting) -> dict[str, Any]:
        """A claim of the member's transaction, or an unclaimed sale for a guest."""
        body = self._body(posting, status="CLAIMED", payments=self._paid(posting))
        if posting.session_reference:
            return {
                "method": "PUT",
                "path": PATHS["update"].format(transaction=posting.session_reference),
                "body": body,
            }
        return {"method": "POST", "path": PATHS["unclaimed"], "body": body}

    def _send(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A frozen call of the outbox; rule failures are refusals."""
        try:
            return self.client.call(
                payload["method"],
                payload["path"],
                body=payload["body"],
                timeout=posting_timeout(),
            )
        except RulesFailed as failure:
            rules = ", ".join(str(e.get("ruleId", "")) for e in failure.evaluations)
            raise LoyaltyRejected(
                f"RBI refused the basket: {rules}", code=ErrorCode.RULES
            ) from failure

    def posting_deliver(self, *, payload: dict[str, Any]) -> PostingResult:
        answer = self._send(payload)
        return PostingResult(
            remote_reference=str(answer.get("transactionId", "")),
            points_earned=_int(answer.get("pointsEarned")),
            balance=_int(answer.get("points")),
        )

    def hold_payload(self, *, posting: OrderPosting) -> dict[str, Any]:
        body = self._body(posting, status="PENDING", payments=[])
        return {
            "method": "PUT",
            "path": PATHS["update"].format(transaction=posting.session_reference),
            "body": body,
        }

    def hold_deliver(self, *, payload: dict[str, Any]) -> None:
        self._send(payload)

    def void_payload(self, *, posting: OrderPosting) -> dict[str, Any]:
        body = self._body(posting, status="PENDING", payments=[])
        return {
            "method": "PUT",
            "path": PATHS["void"].format(transaction=posting.session_reference),
            "body": body,
        }

    def void_deliver(self, *, payload: dict[str, Any]) -> None:
        try:
            self._send(payload)
        except LoyaltyRejected as err:
            if err.code not in TRANSACTION_GONE:
                raise

    def refund_payload(self, *, posting: OrderPosting) -> dict[str, Any]:
        """A void of the claimed transaction; a guest's sale is known by the id
        RBI gave it, so its path is completed when the refund is sent."""
        return {
            "method": "PUT",
            "transaction": posting.session_reference,
            "body": self._body(posting, status="CLAIMED", payments=self._paid(posting)),
        }

    def refund_deliver(self, *, payload: dict[str, Any], remote_reference: str) -> None:
        """Void the CLAIMED transaction: burned points come back, earned ones go."""
        transaction = payload.get("transaction") or remote_reference
        if not transaction:
            raise LoyaltyRejected(
                "RBI gave this sale no transaction id: nothing to void.",
                code=ErrorCode.NOTHING_TO_UNDO,
            )
        self._send(
            {
                "method": "PUT",
                "path": PATHS["void"].format(transaction=transaction),
                "body": payload["body"],
            }
        )


def _with_engine(reward: Reward, engine_reference: str) -> Reward:
    if not engine_reference or engine_reference == reward.engine_reference:
        return reward
    return replace(reward, engine_reference=engine_reference, is_personalised=True)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    return float(value) if isinstance(value, int | float) else None


def _issue(evaluation: dict[str, Any]) -> RuleIssue:
    return RuleIssue(
        reward_reference=str(evaluation.get("incentiveId") or ""),
        code=rule_code(str(evaluation.get("ruleId", ""))),
        current=_number(evaluation.get("currentValue")),
        target=_number(evaluation.get("targetValue")),
    )


def _posted(lines: tuple[PostedLine, ...]) -> list[PostedLine]:
    """The lines RBI's POS knows: a free choice with no PLU (a drink's flavour,
    "no onions") is left out; a priced one keeps its SKU so its price counts."""
    return [line for line in lines if line.plu or line.unit_amount]


def _line(line: PostedLine) -> dict[str, Any]:
    body: dict[str, Any] = {
        "referenceId": line.reference_id,
        "productType": line.kind,
        "productId": line.plu or line.sku,
        "name": line.name,
        "quantity": line.quantity,
        "price": price(line.unit_amount),
        "tax": price(line.tax_amount),
    }
    if line.parent_reference_id:
        body["parentReferenceId"] = line.parent_reference_id
    if line.kind in {PostedLineKind.REWARD, PostedLineKind.OFFER}:
        if line.engine_reference:
            body["loyaltyEngineId"] = line.engine_reference
        # A personalised offer is named by its own engine id only (rbi.md §5.1).
        if not line.is_personalised:
            body["incentiveId"] = line.reward_reference
    return body
