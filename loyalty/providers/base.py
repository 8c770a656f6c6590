"""The neutral loyalty contract: all the kiosk knows of any loyalty programme.

Providers (one folder each under loyalty/providers/, named in the PROVIDERS
registry) speak their programme's HTTP API and map it to these dataclasses,
errors and codes. Vendor JSON never leaves a provider's folder. Money is
integer minor units; points are integers. No Django here: the contract is
plain Python, so a provider is tested against its sandbox on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, cast, runtime_checkable


class ErrorCode(StrEnum):
    """Why a call failed, in the kiosk's terms: what leaves a provider."""

    # LoyaltyUnavailable
    UNREACHABLE = "unreachable"  # network error or timeout
    BUSY = "busy"  # 5xx or 429
    MALFORMED = "malformed"  # an answer the contract does not allow
    BUDGET = "budget"  # the customer's time budget is spent
    # It may or may not have happened: read back first. From a posting's
    # delivery: it cannot be sent again safely, staff decide (the worker).
    UNCONFIRMED = "unconfirmed"
    WAITING = "waiting"  # an earlier call must be delivered first
    # LoyaltyRejected
    UNAUTHORIZED = "unauthorized"  # credentials refused: the store must reconnect
    UNKNOWN_MEMBER = "unknown_member"
    CODE_EXPIRED = "code_expired"  # an app code that expired or was used already
    INSUFFICIENT_POINTS = "insufficient_points"
    INVALID_PIN = "invalid_pin"
    REWARD_LOCKED = "reward_locked"  # held by another order
    RULES = "rules"  # the basket breaks the programme's rules
    NOTHING_TO_UNDO = "nothing_to_undo"  # no remote record to take back
    REFUSED = "refused"  # any other refusal


class LoyaltyError(Exception):
    """A loyalty call that did not succeed; `message` is for logs and staff.

    `code` is an ErrorCode once the error leaves a provider; inside one it may
    be the programme's own code until the provider translates it.
    """

    permanent = False

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class LoyaltyUnavailable(LoyaltyError):
    """Network error, timeout, 5xx, 429: the programme may answer later."""

    def __init__(
        self, message: str, *, code: str = "", retry_after: float | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class SessionUnconfirmed(LoyaltyUnavailable):
    """SESSION: identification got no answer, so the transaction it may have
    opened is unknown. `void_payload` is the call that finds it and voids it,
    for the outbox (SessionProvider.void_deliver sends it)."""

    def __init__(self, message: str, *, void_payload: dict[str, Any]) -> None:
        super().__init__(message, code=ErrorCode.UNCONFIRMED)
        self.void_payload = void_payload


class LoyaltyRejected(LoyaltyError):
    """The programme refused (4xx, a business rule): retrying changes nothing."""

    permanent = True


class RuleCode(StrEnum):
    """Why a programme refuses an incentive on a basket, in the kiosk's terms.

    Each provider maps its own rule ids onto these in its folder; the kiosk
    words each one for the customer.
    """

    INSUFFICIENT_POINTS = "insufficient_points"
    MINIMUM_SPEND = "minimum_spend"
    LIMIT_REACHED = "limit_reached"  # once per order, redemption limit, cool-down
    NOT_AVAILABLE_NOW = "not_available_now"  # day, dates, enrolment period
    SERVICE_MODE = "service_mode"
    PAYMENT_METHOD = "payment_method"
    NOT_IN_THIS_STORE = "not_in_this_store"
    SIGN_IN_REQUIRED = "sign_in_required"
    FIRST_ORDER_ONLY = "first_order_only"
    BASKET_REQUIREMENTS = "basket_requirements"  # needs (or excludes) other items
    OTHER = "other"


class IdentifierKind(StrEnum):
    PHONE = "phone"  # digits, international, no "+"
    PASS = "pass"  # scanned from the member's card or app
    CODE = "code"  # a short code shown by the member's app (RBI: 6 digits)


class Capability(StrEnum):
    """What a programme does beyond the core contract, each with its protocol below.

    A provider declares its capabilities and implements exactly their methods
    (tests/loyalty/providers/test_contract.py checks both ways); services and
    screens ask for a capability, never for a programme by name.
    """

    # Customers join at the kiosk with their phone number (EnrolmentProvider).
    ENROLMENT = "enrolment"
    # Members buy rewards with points first, then use what they own
    # (OwnedRewardsProvider: buy, lock, unlock, use).
    OWNED_REWARDS = "owned_rewards"
    # Identification opens a transaction on the programme's side that lives
    # until it is claimed or voided, and baskets are checked against its rules
    # (SessionProvider: validate, hold, void; the claim is the posting).
    SESSION = "session"
    # The programme publishes its catalogue of rewards and offers (ContentProvider).
    CONTENT = "content"
    # Sales of customers who did not identify are posted too, so that they can
    # claim their points later (no methods of its own).
    GUEST_POSTINGS = "guest_postings"


@dataclass(frozen=True)
class ProgrammeStore:
    """Where the kiosk stands, in the programme's terms."""

    reference: str  # the programme's id for this store (Pongo: store slug)
    country: str  # ISO 3166, the default region of phone numbers
    currency: str
    device_id: str  # the kiosk, as the programme sees it
    device_name: str
    # Whose PLUs the programme speaks (a POS vendor, e.g. "partner"), or "".
    plu_vendor: str = ""


@dataclass(frozen=True)
class Member:
    reference: str  # the programme's member id (Pongo: cust_…, RBI: loyalty id)
    first_name: str
    points: int
    phone: str = ""  # as the programme stores it; never shown on screen
    has_pin: bool = False
    is_new: bool = False
    # The programme's transaction opened by this identification (SESSION), or "".
    session_reference: str = ""


class RewardKind(StrEnum):
    FREE_PRODUCT = "free_product"  # a product for points, at price 0
    VOUCHER_AMOUNT = "voucher_amount"
    VOUCHER_PERCENT = "voucher_percent"
    OFFER = "offer"  # a product at the offer's price, no points spent
    UNSUPPORTED = "unsupported"


class ProductCode(StrEnum):
    """Which code of our catalogue a reward names its products by."""

    SKU = "sku"
    PLU = "plu"  # the PLU of the store's POS vendor (ProgrammeStore.plu_vendor)


@dataclass(frozen=True)
class Reward:
    """A reward of the programme's catalogue, as offered to a member here."""

    reference: str  # Pongo: rew_…
    name: str
    kind: RewardKind
    points: int  # its price in points
    description: str = ""
    image_url: str = ""
    skus: tuple[str, ...] = ()  # products it may be, by `product_code`
    value: int | None = None  # vouchers: cents off, or percent; offers: the price
    product_code: ProductCode = ProductCode.SKU
    # The programme's engine id of the incentive (a personalised offer's own instance).
    engine_reference: str = ""
    # The code the order line carries for the incentive itself (RBI: its PLU).
    line_code: str = ""
    is_personalised: bool = False

    @property
    def is_voucher(self) -> bool:
        return self.kind in {RewardKind.VOUCHER_AMOUNT, RewardKind.VOUCHER_PERCENT}

    @property
    def gives_product(self) -> bool:
        return self.kind in {RewardKind.FREE_PRODUCT, RewardKind.OFFER}


@dataclass(frozen=True)
class OwnedReward:
    """A reward the member holds (bought with points), not used yet."""

    reference: str  # Pongo: crw_…
    reward: Reward
    coupon_code: str = ""


@dataclass(frozen=True)
class RuleIssue:
    """Why the programme refuses an incentive on this basket."""

    reward_reference: str  # "" when it concerns the whole basket
    code: RuleCode
    current: float | None = None
    target: float | None = None


@dataclass(frozen=True)
class Panel:
    """What an identified member sees: balance, rewards to get, rewards owned."""

    member: Member
    rewards: tuple[Reward, ...]
    owned: tuple[OwnedReward, ...]
    # Rules the programme says would refuse some of `rewards` now (SESSION).
    issues: tuple[RuleIssue, ...] = ()


@dataclass(frozen=True)
class Identification:
    """A member found, with what they picked in their app beforehand (SESSION)."""

    member: Member
    preselected: tuple[Reward, ...] = ()


@dataclass(frozen=True)
class BasketCheck:
    """The programme's dry run of a basket: projected figures, or what is wrong."""

    issues: tuple[RuleIssue, ...] = ()
    balance_after: int | None = None
    points_earned: int | None = None
    points_redeemed: int | None = None


@dataclass(frozen=True)
class Enrolment:
    phone: str  # normalised by the caller
    sms_optin: bool
    email_optin: bool


class PostedLineKind(StrEnum):
    ITEM = "item"
    COMBO = "combo"
    REWARD = "reward"  # a product given for points
    OFFER = "offer"  # a product at an offer's price


@dataclass(frozen=True)
class PostedLine:
    sku: str
    name: str
    quantity: int
    unit_amount: int  # may be negative for a voucher
    reward_reference: str = ""
    owned_reference: str = ""
    coupon_code: str = ""
    plu: str = ""
    kind: PostedLineKind = PostedLineKind.ITEM
    reference_id: str = ""  # unique in the posting
    parent_reference_id: str = ""  # combo items and modifiers name their line
    tax_amount: int = 0  # the tax inside unit_amount x quantity
    engine_reference: str = ""
    is_personalised: bool = False


@dataclass(frozen=True)
class OrderPosting:
    """A paid order as a loyalty programme needs it, frozen when it was paid."""

    order_reference: str  # our order uuid, hex: the idempotency key
    store: ProgrammeStore
    created_at: datetime
    service_mode: str
    amount: int
    tax_amount: int
    lines: tuple[PostedLine, ...]
    # card | cash; before payment, the method chosen at checkout, "" until then.
    payment_method: str
    member_reference: str = ""
    member_phone: str = ""
    reward_references: tuple[str, ...] = field(default=())
    session_reference: str = ""  # SESSION: the programme's transaction
    terminal: str = ""  # the kiosk's number in the store
    card_brand: str = ""  # VISA, MASTERCARD, AMEX… when paid by card
    # Only a phone number is known (the programme was unreachable): the
    # customer's answers to the opt-in questions, for a programme that makes
    # the number a member. None: send no number.
    enrolment: Enrolment | None = None


@dataclass(frozen=True)
class ReceiptText:
    """Text the programme asks the kiosk to print on the customer's receipt
    (RBI: a guest's sale, with what lets the guest claim the points later)."""

    header: str = ""
    lines: tuple[str, ...] = ()
    footer: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.header or self.footer or any(self.lines))


@dataclass(frozen=True)
class PostingResult:
    remote_reference: str
    points_earned: int | None = None
    balance: int | None = None
    already_processed: bool = False
    # Owned rewards the programme did not take as used with the order's lines.
    unused_owned_references: tuple[str, ...] = ()
    # For the receipt, when the programme's answer carries some.
    receipt: ReceiptText | None = None


@dataclass(frozen=True)
class Assumption:
    """Something the kiosk relies on about a programme's API.

    Each programme lists its own in one place (its folder's assumptions.py):
    `source` names the public document that says so, or is "unconfirmed".
    """

    key: str  # e.g. "identify.answer.transactionId"
    statement: str
    source: str

    @property
    def is_confirmed(self) -> bool:
        return self.source != UNCONFIRMED


UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True)
class CheckResult:
    """One call of a live check, and whether its answer kept an assumption."""

    call: str  # "GET /v1/customers/{id}"
    assumption: str  # an Assumption.key of the programme
    is_ok: bool
    detail: str = ""  # what was wrong, or what was seen


Payload = dict[str, Any]


@runtime_checkable
class LoyaltyProvider(Protocol):
    """One loyalty programme, for one store: what every programme does.

    Every method may raise LoyaltyUnavailable (try later) or LoyaltyRejected
    (refused for good), with an ErrorCode. Calls that change something
    remotely are split in two: `*_payload` builds the exact request body,
    frozen in the outbox in the same transaction as its cause, and
    `*_deliver` sends it, as often as it takes: a repeat must not count twice.
    """

    name: str
    capabilities: frozenset[Capability]
    # How members identify here: PHONE (typed), PASS (scanned), CODE (typed from an app).
    identifiers: frozenset[IdentifierKind]
    # What the provider relies on about the programme's API (its assumptions.py).
    assumptions: tuple[Assumption, ...]

    def member_identify(
        self,
        *,
        identifier: str,
        kind: IdentifierKind,
        store: ProgrammeStore,
        order_reference: str,
    ) -> Identification | None:
        """The member with this phone number, pass or code, or None when unknown.

        A SESSION programme opens its transaction here, which must later be
        claimed or voided; the others must not change anything remotely.
        """
        ...

    def panel(self, *, member: Member, store: ProgrammeStore) -> Panel:
        """Fresh balance, the rewards the member may get here, and those they own.

        Read only: nothing is spent or reserved.
        """
        ...

    def posting_payload(self, *, posting: OrderPosting) -> Payload:
        """The exact request that `posting_deliver` will send for a paid order.

        Must not call the programme (it runs inside the "paid" transaction).
        """
        ...

    def posting_deliver(self, *, payload: Payload) -> PostingResult:
        """Send a paid order: points earned, rewards used, a SESSION claimed.

        Idempotent on the order reference: a repeat is done, not doubled.
        """
        ...

    def refund_payload(self, *, posting: OrderPosting) -> Payload:
        """The call that takes a refunded order's loyalty back, frozen in the outbox."""
        ...

    def refund_deliver(self, *, payload: Payload, remote_reference: str) -> None:
        """Take back the points a posted order earned and give back what it spent.

        `remote_reference` is the programme's id for the posting (from
        `posting_deliver`). Refunding it again is not an error; a posting the
        programme gave no id to raises LoyaltyRejected(NOTHING_TO_UNDO).
        """
        ...

    def live_check(
        self, *, store: ProgrammeStore, test_identifier: str = ""
    ) -> tuple[CheckResult, ...]:
        """Run, against the programme, the read-only and reversible calls the kiosk
        depends on, and tell for each whether the answer had the expected shape.

        For a merchant's first run against a vendor's test account, and for our
        sandboxes. `test_identifier` is a test member's phone, pass or code,
        where the programme needs one. Never raises for a wrong or missing
        answer: it reports it. Must leave nothing behind: spends no points,
        creates no member, voids any transaction it opens.
        """
        ...


@runtime_checkable
class EnrolmentProvider(LoyaltyProvider, Protocol):
    """Capability.ENROLMENT: customers join at the kiosk."""

    def member_enrol(self, *, enrolment: Enrolment, store: ProgrammeStore) -> Member:
        """Create the member with the opt-ins as answered on screen.

        An existing phone number returns that member (joined meanwhile).
        """
        ...


@runtime_checkable
class OwnedRewardsProvider(LoyaltyProvider, Protocol):
    """Capability.OWNED_REWARDS: rewards are bought with points, then used."""

    def reward_buy(
        self,
        *,
        member: Member,
        reward_reference: str,
        store: ProgrammeStore,
        pin: str = "",
    ) -> OwnedReward:
        """Spend the member's points on a reward; it is theirs even if they leave.

        Not idempotent at the programme: after a lost answer the provider looks
        at the owned rewards, never buys again blindly. LoyaltyRejected with
        INSUFFICIENT_POINTS or INVALID_PIN for the customer to see.
        """
        ...

    def reward_lock(
        self,
        *,
        member: Member,
        owned: OwnedReward,
        order_reference: str,
        store: ProgrammeStore,
    ) -> None:
        """Keep the owned reward for this order (other kiosks cannot use it).

        LoyaltyRejected(REWARD_LOCKED) when another order holds it.
        """
        ...

    def unlock_payload(
        self,
        *,
        member_reference: str,
        owned_reference: str,
        order_reference: str,
        store: ProgrammeStore,
    ) -> Payload:
        """The call that releases the reward's lock, frozen in the outbox."""
        ...

    def unlock_deliver(self, *, payload: Payload) -> None:
        """Release the lock; releasing a free or used reward is not an error."""
        ...

    def use_payload(self, *, posting_payload: Payload, owned_reference: str) -> Payload:
        """Mark an owned reward used by a posted order whose lines could not carry it."""
        ...

    def use_deliver(self, *, payload: Payload) -> None:
        """Send it; a reward already used by this order is not an error."""
        ...


@runtime_checkable
class SessionProvider(LoyaltyProvider, Protocol):
    """Capability.SESSION: a transaction opened at identification.

    It is validated whenever the basket's incentives change, claimed by the
    posting after payment, held (PENDING) for the counter, voided when the
    order is abandoned. Every payload below names the transaction of
    `posting.session_reference`.
    """

    def basket_validate(self, *, posting: OrderPosting) -> BasketCheck:
        """Dry-run the basket exactly as it will be claimed. No side effects.

        Rule failures come back as issues, not as errors; LoyaltyRejected
        means the transaction itself is gone (voided, unknown).
        """
        ...

    def hold_payload(self, *, posting: OrderPosting) -> Payload:
        """The basket sent PENDING: its rewards' points are held until claimed."""
        ...

    def hold_deliver(self, *, payload: Payload) -> None: ...

    def void_payload(self, *, posting: OrderPosting) -> Payload:
        """The call that gives the held points back (abandoned, cancelled, refused)."""
        ...

    def void_deliver(self, *, payload: Payload) -> None:
        """Void the transaction; voiding it again, or a gone one, is not an error."""
        ...


@runtime_checkable
class ContentProvider(LoyaltyProvider, Protocol):
    """Capability.CONTENT: the programme's published rewards and offers."""

    def catalogue(self, *, store: ProgrammeStore) -> tuple[Reward, ...]:
        """Every reward and offer of the store, as published (no member needed)."""
        ...


CAPABILITY_PROTOCOLS: dict[Capability, type] = {
    Capability.ENROLMENT: EnrolmentProvider,
    Capability.OWNED_REWARDS: OwnedRewardsProvider,
    Capability.SESSION: SessionProvider,
    Capability.CONTENT: ContentProvider,
}


def as_enrolment(provider: LoyaltyProvider) -> EnrolmentProvider | None:
    """The provider as an EnrolmentProvider, when it declares ENROLMENT."""
    if Capability.ENROLMENT in provider.capabilities:
        return cast(EnrolmentProvider, provider)
    return None


def as_owned_rewards(provider: LoyaltyProvider) -> OwnedRewardsProvider | None:
    """The provider as an OwnedRewardsProvider, when it declares OWNED_REWARDS."""
    if Capability.OWNED_REWARDS in provider.capabilities:
        return cast(OwnedRewardsProvider, provider)
    return None


def as_session(provider: LoyaltyProvider) -> SessionProvider | None:
    """The provider as a SessionProvider, when it declares SESSION."""
    if Capability.SESSION in provider.capabilities:
        return cast(SessionProvider, provider)
    return None


def as_content(provider: LoyaltyProvider) -> ContentProvider | None:
    """The provider as a ContentProvider, when it declares CONTENT."""
    if Capability.CONTENT in provider.capabilities:
        return cast(ContentProvider, provider)
    return None
