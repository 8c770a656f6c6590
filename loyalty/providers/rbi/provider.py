"""RBI's loyalty middleware behind the neutral loyalty contract.

Identification opens an RBI loyalty transaction (the SESSION capability): it
is validated whenever the basket's incentives change, claimed after payment,
kept PENDING for the counter, and voided when the order is abandoned.

Every call that changes something is made so that a repeat after a lost
answer does not count twice (`assumptions.py` says what this rests on): a
claim RBI already took is done; a void or hold of a transaction that moved
on is done; an identification whose answer was lost is asked again at once,
to learn the transaction it opened; a guest's sale whose answer was lost is
not sent again, because RBI would record it twice.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import replace
from typing import Any

from django.utils import timezone

from loyalty.http import delivery_resumed, posting_timeout
from loyalty.providers.base import (
    BasketCheck,
    Capability,
    CheckResult,
    ErrorCode,
    Identification,
    IdentifierKind,
    LoyaltyRejected,
    LoyaltyUnavailable,
    Member,
    OrderPosting,
    Panel,
    PostingResult,
    ProgrammeStore,
    ReceiptText,
    Reward,
    RewardKind,
    RuleIssue,
    SessionUnconfirmed,
)
from loyalty.providers.rbi import bodies
from loyalty.providers.rbi.assumptions import ASSUMPTIONS
from loyalty.providers.rbi.bodies import PENDING, RbiStore
from loyalty.providers.rbi.client import (
    PATHS,
    RbiClient,
    RulesFailed,
    may_have_arrived,
)
from loyalty.providers.rbi.content import (
    Content,
    Library,
    content,
    eligible,
    vendor_key,
)
from loyalty.providers.rbi.live import live_check
from loyalty.providers.rbi.rules import (
    ALREADY_CLAIMED,
    CODE_UNKNOWN,
    CODE_USED,
    NOT_IDENTIFIERS,
    TRANSACTION_GONE,
    rule_code,
)

logger = logging.getLogger(__name__)

OTP = re.compile(r"^\d{6}$")
LOYALTY_ID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
# "Currently, personalized offers are not supported by NCR" (the seed).
NO_PERSONALISED_OFFERS = frozenset({"ncr"})

__all__ = ["RbiProvider", "RbiStore", "identifier_kind"]


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
    assumptions = ASSUMPTIONS

    def __init__(self, *, client: RbiClient, store: RbiStore) -> None:
        self.client = client
        self.store = store

    @property
    def has_personalised_offers(self) -> bool:
        """Whether the store's POS vendor takes personalised offers."""
        return vendor_key(self.store.vendor) not in NO_PERSONALISED_OFFERS

    def library(self) -> Library:
        return Library(
            sanity_url=self.store.sanity_url,
            vendor=self.store.vendor,
            language=self.store.language,
            country=self.client.market.country,
            offers_document=self.store.offers_document,
        )

    def _content(self) -> Content:
        return content(self.library())

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
        body = bodies.identify_body(
            self.store, identifier.strip(), order_reference, store.device_id
        )
        try:
            answer = self._identify(body, currency=store.currency)
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

    def _identify(self, body: dict[str, Any], *, currency: str) -> dict[str, Any]:
        """Identify; an answer lost on the way is asked for again at once.

        RBI opens a transaction at identification: asked again from the same
        POS transaction, it answers that transaction (assumption
        identify.repeat), which the order then claims or voids. When there is
        no time left to ask again (the customer's budget is spent), the
        outbox asks later and voids what it finds (SessionUnconfirmed).
        """
        request_id = uuid.uuid4().hex
        try:
            return self.client.call(
                "POST", PATHS["identify"], body=body, request_id=request_id
            )
        except LoyaltyUnavailable as err:
            if not may_have_arrived(err):
                raise
            logger.warning(
                "rbi identify answer lost: asked again",
                extra={"order": body["posVendor"]["transactionId"]},
            )
        try:
            return self.client.call(
                "POST", PATHS["identify"], body=body, request_id=request_id
            )
        except LoyaltyRejected as err:
            if err.code in NOT_IDENTIFIERS:
                raise
            # The code is used, by our own lost attempt or another order's:
            # whatever RBI opened cannot be found from here.
            logger.error(
                "rbi may hold a transaction opened for this order whose id never "
                "arrived",
                extra={"order": body["posVendor"]["transactionId"], "code": err.code},
            )
            raise LoyaltyUnavailable(
                "RBI's identification answer was lost", code=ErrorCode.UNCONFIRMED
            ) from err
        except LoyaltyUnavailable as err:
            order = str(body["posVendor"]["transactionId"])
            logger.warning(
                "rbi identify answer lost twice: the outbox looks for its transaction",
                extra={"order": order, "code": err.code},
            )
            raise SessionUnconfirmed(
                "RBI's identification answer was lost",
                void_payload={
                    "method": "PUT",
                    "identify": body,
                    "body": bodies.bare_void_body(
                        self.store,
                        order,
                        str(body["posVendor"]["terminal"]),
                        currency=currency,
                        created=timezone.now(),
                    ),
                    "request_id": bodies.request_id("lost", order),
                },
            ) from err

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
                picked = _with_engine(reward, str(line.get("loyaltyEngineId") or ""))
                preselected.append(self._offered(picked))
        return Identification(member=member, preselected=tuple(preselected))

    def _offered(self, reward: Reward) -> Reward:
        """A personalised offer where the POS takes none cannot be had here."""
        if reward.is_personalised and not self.has_personalised_offers:
            return replace(reward, kind=RewardKind.UNSUPPORTED)
        return reward

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
                if offer is None or (
                    entry.is_personalised and not self.has_personalised_offers
                ):
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
        offers = [
            offer
            for offer in library.offers.values()
            if self.has_personalised_offers or not offer.is_personalised
        ]
        return (*library.rewards.values(), *offers)

    # --- the transaction -------------------------------------------------------

    def _body(
        self,
        posting: OrderPosting,
        *,
        status: str,
        paid: list[dict[str, Any]],
        member: bool = True,
    ) -> dict[str, Any]:
        return bodies.transaction_body(
            self.store,
            posting,
            status=status,
            paid=paid,
            personalised_offers=self.has_personalised_offers,
            member=member,
        )

    def _claim_body(
        self, posting: OrderPosting, *, member: bool = True
    ) -> dict[str, Any]:
        status, paid = bodies.payments(posting)
        return self._body(posting, status=status, paid=paid, member=member)

    def basket_validate(self, *, posting: OrderPosting) -> BasketCheck:
        """The claim's body, as it would be sent for the payment chosen so far."""
        try:
            answer = self.client.call(
                "POST",
                PATHS["validate"].format(transaction=posting.session_reference),
                body=self._claim_body(posting),
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
        if posting.session_reference:
            transaction = posting.session_reference
            return {
                "method": "PUT",
                "path": PATHS["update"].format(transaction=transaction),
                "transaction": transaction,
                "body": self._claim_body(posting),
                "request_id": bodies.request_id(
                    "claim", posting.order_reference, transaction
                ),
            }
        return {
            "method": "POST",
            "path": PATHS["unclaimed"],
            "body": self._claim_body(posting, member=False),
            "request_id": bodies.request_id("unclaimed", posting.order_reference),
        }

    def _send(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A frozen call of the outbox; rule failures are refusals."""
        try:
            return self.client.call(
                payload["method"],
                payload["path"],
                body=payload["body"],
                timeout=posting_timeout(),
                request_id=str(payload.get("request_id") or ""),
            )
        except RulesFailed as failure:
            rules = ", ".join(str(e.get("ruleId", "")) for e in failure.evaluations)
            raise LoyaltyRejected(
                f"RBI refused the basket: {rules}", code=ErrorCode.RULES
            ) from failure

    def posting_deliver(self, *, payload: dict[str, Any]) -> PostingResult:
        if payload["path"] == PATHS["unclaimed"]:
            return self._unclaimed(payload)
        try:
            answer = self._send(payload)
        except LoyaltyRejected as err:
            if err.code != ALREADY_CLAIMED:
                raise
            # An earlier attempt's claim went through: the posting is done.
            return PostingResult(
                remote_reference=_transaction_of(payload), already_processed=True
            )
        return PostingResult(
            remote_reference=str(answer.get("transactionId", "")),
            points_earned=_int(answer.get("pointsEarned")),
            balance=_int(answer.get("points")),
        )

    def _unclaimed(self, payload: dict[str, Any]) -> PostingResult:
        """A guest's sale: RBI records every POST, so one that may have arrived
        is never sent again by itself: neither after a lost answer, nor when a
        worker that may have sent it stopped before writing its answer."""
        if delivery_resumed():
            raise LoyaltyUnavailable(
                "RBI may have recorded this guest sale (the worker sending it "
                "stopped before its answer was written); sending it again could "
                "record it twice",
                code=ErrorCode.UNCONFIRMED,
            )
        try:
            answer = self._send(payload)
        except LoyaltyUnavailable as err:
            if may_have_arrived(err):
                raise LoyaltyUnavailable(
                    "RBI may have recorded this guest sale (its answer was lost); "
                    "sending it again could record it twice",
                    code=ErrorCode.UNCONFIRMED,
                ) from err
            raise
        return PostingResult(
            remote_reference=str(answer.get("transactionId", "")),
            receipt=_receipt(answer.get("presentation")),
        )

    def hold_payload(self, *, posting: OrderPosting) -> dict[str, Any]:
        transaction = posting.session_reference
        return {
            "method": "PUT",
            "path": PATHS["update"].format(transaction=transaction),
            "transaction": transaction,
            "body": self._body(posting, status=PENDING, paid=[]),
            "request_id": bodies.request_id(
                "hold", posting.order_reference, transaction
            ),
        }

    def hold_deliver(self, *, payload: dict[str, Any]) -> None:
        try:
            self._send(payload)
        except LoyaltyRejected as err:
            # Claimed meanwhile (by the counter's confirmation): nothing to hold.
            if err.code != ALREADY_CLAIMED:
                raise

    def void_payload(self, *, posting: OrderPosting) -> dict[str, Any]:
        transaction = posting.session_reference
        return {
            "method": "PUT",
            "path": PATHS["void"].format(transaction=transaction),
            "transaction": transaction,
            "body": self._body(posting, status=PENDING, paid=[], member=False),
            "request_id": bodies.request_id(
                "void", posting.order_reference, transaction
            ),
        }

    def void_deliver(self, *, payload: dict[str, Any]) -> None:
        if "identify" in payload:
            self._void_lost(payload)
            return
        try:
            self._send(payload)
        except LoyaltyRejected as err:
            if err.code not in TRANSACTION_GONE:
                raise

    def _void_lost(self, payload: dict[str, Any]) -> None:
        """Find the transaction an identification whose answer was lost opened
        (identify again from the same order), then void it."""
        try:
            answer = self._send(
                {
                    "method": "POST",
                    "path": PATHS["identify"],
                    "body": payload["identify"],
                    "request_id": payload.get("request_id", ""),
                }
            )
        except LoyaltyRejected as err:
            if err.code in {CODE_USED, CODE_UNKNOWN} | NOT_IDENTIFIERS:
                raise LoyaltyRejected(
                    "RBI no longer answers this identification (code used elsewhere "
                    "or expired): a transaction it opened may stay PENDING",
                    code=ErrorCode.NOTHING_TO_UNDO,
                ) from err
            raise
        transaction = str(answer.get("transactionId") or "")
        if not transaction:
            raise LoyaltyRejected(
                "RBI answered the identification with no transaction",
                code=ErrorCode.MALFORMED,
            )
        self.void_deliver(
            payload={
                "method": "PUT",
                "path": PATHS["void"].format(transaction=transaction),
                "transaction": transaction,
                "body": payload["body"],
                "request_id": payload.get("request_id", ""),
            }
        )

    def refund_payload(self, *, posting: OrderPosting) -> dict[str, Any]:
        """A void of the claimed transaction; a guest's sale is known by the id
        RBI gave it, so its path is completed when the refund is sent."""
        status, paid = bodies.payments(posting)
        return {
            "method": "PUT",
            "transaction": posting.session_reference,
            "body": self._body(posting, status=status, paid=paid, member=False),
            "request_id": bodies.request_id(
                "refund", posting.order_reference, posting.session_reference
            ),
        }

    def refund_deliver(self, *, payload: dict[str, Any], remote_reference: str) -> None:
        """Void the CLAIMED transaction: burned points come back, earned ones go.

        A transaction voided already (an earlier attempt's answer was lost)
        is done."""
        transaction = payload.get("transaction") or remote_reference
        if not transaction:
            raise LoyaltyRejected(
                "RBI gave this sale no transaction id: nothing to void.",
                code=ErrorCode.NOTHING_TO_UNDO,
            )
        try:
            self._send(
                {
                    "method": "PUT",
                    "path": PATHS["void"].format(transaction=transaction),
                    "body": payload["body"],
                    "request_id": payload.get("request_id", ""),
                }
            )
        except LoyaltyRejected as err:
            if err.code not in TRANSACTION_GONE:
                raise

    # --- before going live -------------------------------------------------------

    def live_check(
        self, *, store: ProgrammeStore, test_identifier: str = ""
    ) -> tuple[CheckResult, ...]:
        return live_check(self, store=store, test_identifier=test_identifier)


def _transaction_of(payload: dict[str, Any]) -> str:
    found = payload.get("transaction")
    if found:
        return str(found)
    return str(payload["path"]).rstrip("/").rsplit("/", 1)[-1]


def _receipt(presentation: Any) -> ReceiptText | None:
    """The unclaimed sale's `presentation`, for the guest's receipt."""
    if not isinstance(presentation, dict):
        return None

    def text(key: str) -> str:
        value = presentation.get(key)
        return value.strip() if isinstance(value, str) else ""

    receipt = ReceiptText(
        header=text("header"),
        lines=tuple(line for line in (text("marketing"), text("identifier")) if line),
        footer=text("footer"),
    )
    return None if receipt.is_empty else receipt


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
