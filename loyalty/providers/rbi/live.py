"""The live check: the calls the kiosk makes, against RBI, shape checked.

Run by `manage.py loyalty_check STORE --identifier CODE` before a store goes
live (against RBI's staging with a test member's code) and in our tests
(against the sandbox). Both content queries, identify, a repeat of it,
validate of an empty basket, both eligibility queries and the void of the
transaction identify opened: one CheckResult per call and assumption, each
answer checked field by field. Nothing is left behind: no points move, and
the transaction is voided.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from loyalty.providers.base import (
    CheckResult,
    LoyaltyError,
    OrderPosting,
    ProgrammeStore,
)
from loyalty.providers.rbi import bodies
from loyalty.providers.rbi.bodies import RbiStore
from loyalty.providers.rbi.client import PATHS, RbiClient, RulesFailed
from loyalty.providers.rbi.content import (
    ELIGIBLE_OFFERS,
    ELIGIBLE_REWARDS,
    REWARDS_SINGLETON,
    Library,
    offers_query,
    rewards_query,
    sanity_query,
    vendor_key,
)

Problems = list[str]


class Checked(Protocol):
    """What the live check needs of the provider."""

    client: RbiClient
    store: RbiStore

    def library(self) -> Library: ...


def live_check(
    provider: Checked, *, store: ProgrammeStore, test_identifier: str = ""
) -> tuple[CheckResult, ...]:
    check = _LiveCheck(provider, store)
    check.content()
    identifier = test_identifier.strip()
    if not identifier:
        check.not_run(
            "POST /loyalty/identify",
            "identify.answer",
            "give a test member's 6-digit code or loyalty id (--identifier)",
        )
        return tuple(check.results)
    check.session(identifier)
    return tuple(check.results)


class _LiveCheck:
    def __init__(self, provider: Checked, store: ProgrammeStore) -> None:
        self.provider = provider
        self.store = store
        self.order_reference = f"live-check-{uuid.uuid4().hex[:12]}"
        self.results: list[CheckResult] = []

    # --- recording -------------------------------------------------------------

    def _run(self, call: str, assumption: str, work: Callable[[], Problems]) -> bool:
        try:
            problems = work()
        except (LoyaltyError, RulesFailed) as err:
            problems = [f"{type(err).__name__}: {err}"]
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            problems = [f"unreadable answer: {err!r}"]
        self.results.append(
            CheckResult(
                call=call,
                assumption=assumption,
                is_ok=not problems,
                detail="; ".join(problems)[:500],
            )
        )
        return not problems

    def not_run(self, call: str, assumption: str, why: str) -> None:
        self.results.append(
            CheckResult(call=call, assumption=assumption, is_ok=False, detail=why)
        )

    # --- content ---------------------------------------------------------------

    def content(self) -> None:
        library = self.provider.library()
        document = library.offers_document
        self._run(
            f"POST Sanity LoyaltyOffersUI(id: {document})",
            "sanity.offers_document",
            lambda: _offers_problems(
                sanity_query(library, offers_query(library.vendor), {"id": document}),
                vendor_key(library.vendor),
            ),
        )
        self._run(
            f"POST Sanity RewardList(id: {REWARDS_SINGLETON})",
            "sanity.rewards",
            lambda: _rewards_problems(
                sanity_query(
                    library, rewards_query(library.vendor), {"id": REWARDS_SINGLETON}
                ),
                vendor_key(library.vendor),
            ),
        )

    # --- a session ---------------------------------------------------------------

    def session(self, identifier: str) -> None:
        client = self.provider.client
        body = bodies.identify_body(
            self.provider.store, identifier, self.order_reference, self.store.device_id
        )
        answers: list[dict[str, Any]] = []

        def identify() -> Problems:
            answers.append(client.call("POST", PATHS["identify"], body=body))
            return _identify_problems(answers[0])

        if not self._run("POST /loyalty/identify", "identify.answer", identify):
            if answers and isinstance(answers[0].get("transactionId"), str):
                self._void(str(answers[0]["transactionId"]))
            return
        first = answers[0]
        transaction = str(first["transactionId"])
        loyalty_id = str(first["loyaltyUser"]["id"])
        self._run(
            "POST /loyalty/identify",
            "identify.order",
            lambda: _order_problems(first.get("order")),
        )
        self._run(
            "POST /loyalty/identify (again, same POS transaction)",
            "identify.repeat",
            lambda: _repeat_problems(
                client.call("POST", PATHS["identify"], body=body), transaction
            ),
        )
        self._run(
            f"POST /loyalty/transaction/pos/validate/{transaction}",
            "validate.answer",
            lambda: _validate_problems(
                client.call(
                    "POST",
                    PATHS["validate"].format(transaction=transaction),
                    body=self._empty_basket(transaction, loyalty_id),
                ),
                transaction,
            ),
        )
        self._eligibility(loyalty_id)
        self._void(transaction)

    def _empty_basket(self, transaction: str, loyalty_id: str) -> dict[str, Any]:
        posting = OrderPosting(
            order_reference=self.order_reference,
            store=self.store,
            created_at=datetime.now(UTC),
            service_mode="eat_in",
            amount=0,
            tax_amount=0,
            lines=(),
            payment_method="",
            member_reference=loyalty_id,
            session_reference=transaction,
            terminal=self.store.device_id,
        )
        status, paid = bodies.payments(posting)
        return bodies.transaction_body(
            self.provider.store,
            posting,
            status=status,
            paid=paid,
            personalised_offers=True,
        )

    def _eligibility(self, loyalty_id: str) -> None:
        client = self.provider.client
        where = {
            "loyaltyId": loyalty_id,
            "where": {"omitInvalids": False, "storeId": self.provider.store.store_id},
        }
        self._run(
            "POST /graphql loyaltyOffersV2",
            "eligibility.offers",
            lambda: _offer_entries_problems(
                client.graphql(ELIGIBLE_OFFERS, where).get("loyaltyOffersV2")
            ),
        )
        self._run(
            "POST /graphql loyaltyRewardsV2",
            "eligibility.rewards",
            lambda: _reward_entries_problems(
                client.graphql(ELIGIBLE_REWARDS, where).get("loyaltyRewardsV2")
            ),
        )

    def _void(self, transaction: str) -> None:
        client = self.provider.client
        body = bodies.bare_void_body(
            self.provider.store,
            self.order_reference,
            self.store.device_id,
            currency=self.store.currency,
            created=datetime.now(UTC),
        )

        def void() -> Problems:
            answer = client.call(
                "PUT", PATHS["void"].format(transaction=transaction), body=body
            )
            return _equal(answer, "transactionId", transaction)

        self._run(f"PUT /loyalty/transaction/pos/{transaction}/void", "void.path", void)


# --- shapes, field by field ----------------------------------------------------


def _text(data: Any, key: str, where: str = "") -> Problems:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        return [f"{where}{key} is {value!r}, not a text"]
    return []


def _whole(data: Any, key: str, where: str = "") -> Problems:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int):
        return [f"{where}{key} is {value!r}, not a whole number"]
    return []


def _list(data: Any, key: str, where: str = "") -> tuple[list[Any], Problems]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return [], [f"{where}{key} is {value!r}, not a list"]
    return value, []


def _equal(data: Any, key: str, expected: str) -> Problems:
    value = data.get(key) if isinstance(data, dict) else None
    if value != expected:
        return [f"{key} is {value!r}, not {expected!r}"]
    return []


def _identify_problems(answer: dict[str, Any]) -> Problems:
    problems = _text(answer, "transactionId")
    user = answer.get("loyaltyUser")
    if not isinstance(user, dict):
        problems.append(f"loyaltyUser is {user!r}, not an object")
    else:
        problems += _text(user, "id", "loyaltyUser.") + _text(
            user, "name", "loyaltyUser."
        )
    balances, wrong = _list(answer, "balances")
    problems += wrong
    points = [
        b for b in balances if isinstance(b, dict) and b.get("currency") == "points"
    ]
    if balances and not points:
        problems.append("balances[] has no entry with currency == 'points'")
    for index, balance in enumerate(points):
        problems += _whole(balance, "amount", f"balances[{index}].")
    if not balances and not wrong:
        problems.append("balances[] is empty")
    return problems


def _order_problems(order: Any) -> Problems:
    if not isinstance(order, list):
        return [f"order is {order!r}, not a list"]
    problems: Problems = []
    for index, line in enumerate(order):
        where = f"order[{index}]."
        kind = line.get("productType") if isinstance(line, dict) else None
        if kind not in ("REWARD", "OFFER"):
            problems.append(f"{where}productType is {kind!r}, not REWARD or OFFER")
        problems += _text(line, "incentiveId", where) + _text(line, "productId", where)
    return problems


def _repeat_problems(answer: dict[str, Any], transaction: str) -> Problems:
    return _equal(answer, "transactionId", transaction)


def _validate_problems(answer: dict[str, Any], transaction: str) -> Problems:
    problems: Problems = []
    for key in ("points", "pointsEarned", "pointsRedeemed"):
        problems += _whole(answer, key)
    return problems + _equal(answer, "transactionId", transaction)


def _offer_entries_problems(entries: Any) -> Problems:
    if not isinstance(entries, list):
        return [f"loyaltyOffersV2 is {entries!r}, not a list"]
    problems: Problems = []
    for index, entry in enumerate(entries):
        where = f"loyaltyOffersV2[{index}]."
        problems += _text(entry, "id", where) + _text(entry, "sanityId", where)
        kind = entry.get("type") if isinstance(entry, dict) else None
        if kind not in ("GLOBAL", "PERSONALIZED"):
            problems.append(f"{where}type is {kind!r}, not GLOBAL or PERSONALIZED")
        problems += _errors_problems(entry, where)
    return problems


def _reward_entries_problems(entries: Any) -> Problems:
    if not isinstance(entries, list):
        return [f"loyaltyRewardsV2 is {entries!r}, not a list"]
    problems: Problems = []
    for index, entry in enumerate(entries):
        where = f"loyaltyRewardsV2[{index}]."
        problems += _text(entry, "id", where) + _errors_problems(entry, where)
    return problems


def _errors_problems(entry: Any, where: str) -> Problems:
    errors = entry.get("errors") if isinstance(entry, dict) else None
    if errors is None:
        return []
    if not isinstance(errors, list):
        return [f"{where}errors is {errors!r}, not a list"]
    problems: Problems = []
    for index, error in enumerate(errors):
        problems += _text(error, "ruleId", f"{where}errors[{index}].")
    return problems


def _offers_problems(data: dict[str, Any], vendor: str) -> Problems:
    page = data.get("LoyaltyOffersUI")
    if not isinstance(page, dict):
        return [f"LoyaltyOffersUI is {page!r}: no such document in this dataset"]
    problems: Problems = []
    for key in ("sortedSystemwideOffers", "liveConfigOffers"):
        offers, wrong = _list(page, key)
        problems += wrong
        for index, offer in enumerate(offers):
            where = f"{key}[{index}]."
            problems += _text(offer, "_id", where) + _text(
                offer, "loyaltyEngineId", where
            )
            price = offer.get("offerPrice") if isinstance(offer, dict) else None
            if price is not None and not isinstance(price, int | float):
                problems.append(f"{where}offerPrice is {price!r}, not a number")
    return problems + _vendor_problems(page, vendor)


def _rewards_problems(data: dict[str, Any], vendor: str) -> Problems:
    reward_list = data.get("RewardList")
    if not isinstance(reward_list, dict):
        return [f"RewardList is {reward_list!r}: no such document in this dataset"]
    categories, problems = _list(reward_list, "rewardCategories")
    for number, category in enumerate(categories):
        rewards, wrong = _list(category, "rewards", f"rewardCategories[{number}].")
        problems += wrong
        for index, reward in enumerate(rewards):
            where = f"rewardCategories[{number}].rewards[{index}]."
            problems += _text(reward, "_id", where)
            rules, wrong = _list(reward, "ruleSet", where)
            if not any(isinstance(rule, dict) and "points" in rule for rule in rules):
                problems += wrong or [f"{where}ruleSet has no LoyaltyPoints"]
    return problems + _vendor_problems(reward_list, vendor)


def _vendor_problems(document: dict[str, Any], vendor: str) -> Problems:
    """At least one incentive has a PLU for the store's POS vendor."""
    found: list[Any] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            configs = value.get("vendorConfigs")
            if isinstance(configs, dict) and isinstance(configs.get(vendor), dict):
                found.append(configs[vendor].get("constantPlu"))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    if not any(isinstance(plu, str) and plu for plu in found):
        return [f"no vendorConfigs.{vendor}.constantPlu anywhere"]
    return []
