"""The live check of a Pongo account: the read-only calls the kiosk depends on,
each answer checked field by field against the assumptions it rests on.

Only GETs: it spends no points, creates no customer, locks nothing. A call
that fails, or an answer of another shape, is reported, never raised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import phonenumbers

from loyalty.providers.base import CheckResult, LoyaltyError, ProgrammeStore
from loyalty.providers.pongo.client import PongoClient, data, path

# What is wrong with one object of an answer, "" when nothing is.
FieldCheck = Callable[[dict[str, Any]], str]
Row = tuple[str, FieldCheck]  # an assumption's key, and how to check it


def _shown(value: Any) -> str:
    return repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."


def _text(name: str, *, nullable: bool = False, prefix: str = "") -> FieldCheck:
    def check(obj: dict[str, Any]) -> str:
        value = obj.get(name)
        if value is None and nullable:
            return ""
        if not isinstance(value, str) or not value.startswith(prefix):
            wanted = f"text starting with {prefix!r}" if prefix else "text"
            return f"`{name}` is {_shown(value)}, not {wanted}"
        return ""

    return check


def _integer(name: str) -> FieldCheck:
    def check(obj: dict[str, Any]) -> str:
        value = obj.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            return f"`{name}` is {_shown(value)}, not an integer"
        return ""

    return check


def _boolean(name: str) -> FieldCheck:
    def check(obj: dict[str, Any]) -> str:
        value = obj.get(name)
        return (
            ""
            if isinstance(value, bool)
            else f"`{name}` is {_shown(value)}, not true or false"
        )

    return check


def _present(*names: str) -> FieldCheck:
    def check(obj: dict[str, Any]) -> str:
        missing = [name for name in names if name not in obj]
        return f"no {', '.join(f'`{name}`' for name in missing)}" if missing else ""

    return check


def _customer_id(obj: dict[str, Any]) -> str:
    if obj.get("public_id") is None and str(obj.get("id")).startswith("cust_"):
        return ""
    return _text("public_id", prefix="cust_")(obj)


def _digits(obj: dict[str, Any]) -> str:
    value = obj.get("phone")
    if value is None or (isinstance(value, str) and value.isdigit()):
        return ""
    return f"`phone` is {_shown(value)}, not digits"


def _reward_type(obj: dict[str, Any]) -> str:
    kind = obj.get("type")
    if kind == "free_product" or (
        isinstance(kind, str) and kind.startswith("voucher_")
    ):
        return ""
    return f"`type` is {_shown(kind)}, not free_product nor voucher_*"


def _external_id(obj: dict[str, Any]) -> str:
    nullable = obj.get("type") != "free_product"
    return _text("external_id", nullable=nullable)(obj)


def _voucher_value(obj: dict[str, Any]) -> str:
    if obj.get("type") in {"voucher_amount", "voucher_percent"}:
        return _integer("value")(obj)
    return ""


def _nested_reward(obj: dict[str, Any]) -> str:
    reward = obj.get("reward")
    if not isinstance(reward, dict):
        return f"`reward` is {_shown(reward)}, not an object"
    return _text("public_id")(reward)


def _coupon_code(obj: dict[str, Any]) -> str:
    reward = obj.get("reward")
    kind = reward.get("type") if isinstance(reward, dict) else None
    if isinstance(kind, str) and kind.startswith("voucher_"):
        return _text("coupon_code")(obj)
    return ""


def _merchant(obj: dict[str, Any]) -> str:
    merchant = obj.get("merchant")
    if not isinstance(merchant, dict):
        return f"`merchant` is {_shown(merchant)}, not an object"
    problem = _text("name")(merchant)
    return f"merchant: {problem}" if problem else ""


ME: tuple[Row, ...] = (("me.merchant", _merchant),)
STORE: tuple[Row, ...] = (("stores.slug", _text("slug")),)
CUSTOMER: tuple[Row, ...] = (
    ("customer.id", _customer_id),
    ("customer.points", _integer("points")),
    ("customer.first_name", _text("first_name", nullable=True)),
    ("customer.phone", _digits),
    ("customer.has_pin", _boolean("has_pin")),
)
REWARD: tuple[Row, ...] = (
    ("rewards.id", _text("public_id")),
    ("rewards.name", _text("name")),
    ("rewards.type", _reward_type),
    ("rewards.points", _integer("points")),
    ("rewards.external_id", _external_id),
    ("rewards.voucher_types", _voucher_value),
)
OWNED: tuple[Row, ...] = (
    ("owned.id", _text("id")),
    ("owned.reward", _nested_reward),
    ("owned.coupon_code", _coupon_code),
    ("owned.state", _present("locked_order_id", "used_order_id")),
)


@dataclass
class LiveCheck:
    """One run against one merchant's account, for one of its stores."""

    client: PongoClient
    store: ProgrammeStore
    results: list[CheckResult] = field(default_factory=list)

    def run(self, test_identifier: str) -> tuple[CheckResult, ...]:
        self._token()
        self._stores()
        customer = self._customer(test_identifier) if test_identifier else None
        self._rewards(customer)
        if customer is not None:
            self._owned(customer)
        return tuple(self.results)

    # --- the calls ------------------------------------------------------------

    def _token(self) -> None:
        call = "GET /v1/oauth/me"
        me = self._object(call, "me.path", path("me"))
        if me is not None:
            self._check(call, [me], ME)

    def _stores(self) -> None:
        call = "GET /v1/stores"
        stores = self._list(call, "stores.path", path("stores"), {})
        if stores is None:
            return
        self._check(call, stores, STORE)
        slugs = {item.get("slug") for item in stores if isinstance(item, dict)}
        if self.store.reference in slugs:
            self._record(call, "stores.contains_store", "")
        else:
            self._record(
                call,
                "stores.contains_store",
                f"the store is mapped to {self.store.reference!r}, which is not "
                f"among the merchant's stores {sorted(map(str, slugs))}",
            )

    def _customer(self, identifier: str) -> str | None:
        """Look the test customer up both ways; their id, or None."""
        if identifier.startswith("cust_"):
            found = self._by_id(identifier)
            phone = found.get("phone") if found is not None else None
            if isinstance(phone, str) and phone:
                self._by_phone(phone)
        else:
            found = self._by_phone(self._international(identifier))
            if found is not None and not _customer_id(found):
                self._by_id(_reference(found))
        if found is None or _customer_id(found):
            return None
        return _reference(found)

    def _by_phone(self, phone: str) -> dict[str, Any] | None:
        call = "GET /v1/customers/phone/{phone}"
        url = path("customer_by_phone", phone=phone)
        return self._customer_call(call, "customer.by_phone.path", url)

    def _by_id(self, reference: str) -> dict[str, Any] | None:
        call = "GET /v1/customers/{customer}"
        url = path("customer", customer=reference)
        return self._customer_call(call, "customer.by_id.path", url)

    def _customer_call(
        self, call: str, assumption: str, url: str
    ) -> dict[str, Any] | None:
        found = self._object(call, assumption, url)
        if found is not None:
            self._check(call, [found], CUSTOMER)
        return found

    def _rewards(self, customer: str | None) -> None:
        slug = self.store.reference
        self._catalogue("GET /v1/rewards?store_slug={store}", {"store_slug": slug})
        if customer is not None:
            self._catalogue(
                "GET /v1/rewards?customer={customer}&store_slug={store}",
                {"customer": customer, "store_slug": slug},
            )

    def _catalogue(self, call: str, params: dict[str, str]) -> None:
        rewards = self._list(call, "rewards.path", path("rewards"), params)
        if rewards is not None:
            self._check(call, rewards, REWARD)

    def _owned(self, customer: str) -> None:
        call = "GET /v1/customers/{customer}/rewards?used=false"
        url = path("owned", customer=customer)
        owned = self._list(call, "owned.path", url, {"used": "false"})
        if owned is not None:
            self._check(call, owned, OWNED)

    # --- checking and recording ------------------------------------------------

    def _object(self, call: str, assumption: str, url: str) -> dict[str, Any] | None:
        """The call's resource, an object; None once its failure is recorded."""
        answered, resource = self._resource(call, assumption, url, {})
        if not answered:
            return None
        if not isinstance(resource, dict):
            self._record(
                call, assumption, f"the answer is {_shown(resource)}, not an object"
            )
            return None
        self._record(call, assumption, "")
        return resource

    def _list(
        self, call: str, assumption: str, url: str, params: dict[str, str]
    ) -> list[Any] | None:
        """The call's resource, a list; None once its failure is recorded."""
        answered, resource = self._resource(call, assumption, url, params)
        if not answered:
            return None
        if not isinstance(resource, list):
            self._record(
                call, assumption, f"the answer is {_shown(resource)}, not a list"
            )
            return None
        self._record(call, assumption, "")
        return resource

    def _resource(
        self, call: str, assumption: str, url: str, params: dict[str, str]
    ) -> tuple[bool, Any]:
        """Whether Pongo answered 2xx, and the resource in its envelope."""
        try:
            answer = self.client.call("GET", url, params=params or None)
        except LoyaltyError as err:
            self._record(call, assumption, err.message)
            return False, None
        if answer.status == 404:
            self._record(call, assumption, "404: not found")
            return False, None
        return True, data(answer)

    def _check(self, call: str, items: list[Any], rows: tuple[Row, ...]) -> None:
        """One result per assumption: the first item of `items` that breaks it."""
        for assumption, check in rows:
            self._record(call, assumption, _first_problem(items, check))

    def _record(self, call: str, assumption: str, problem: str) -> None:
        self.results.append(
            CheckResult(
                call=call, assumption=assumption, is_ok=not problem, detail=problem
            )
        )

    def _international(self, identifier: str) -> str:
        """A phone number as Pongo spells it: international digits, no '+'."""
        try:
            number = phonenumbers.parse(identifier, self.store.country.upper() or None)
        except phonenumbers.NumberParseException:
            return identifier
        if not phonenumbers.is_valid_number(number):
            return identifier
        formatted = phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.E164
        )
        return formatted.lstrip("+")


def _first_problem(items: list[Any], check: FieldCheck) -> str:
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            return f"item {index} is {_shown(item)}, not an object"
        problem = check(item)
        if problem:
            return f"item {index}: {problem}" if len(items) > 1 else problem
    return ""


def _reference(customer: dict[str, Any]) -> str:
    value = customer.get("public_id") or customer.get("id")
    return str(value)


def live_check(
    client: PongoClient, *, store: ProgrammeStore, test_identifier: str = ""
) -> tuple[CheckResult, ...]:
    """The read-only calls the kiosk depends on, and what their answers kept."""
    return LiveCheck(client=client, store=store).run(test_identifier.strip())
