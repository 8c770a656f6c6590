"""The neutral loyalty contract: all the kiosk knows of any loyalty programme.

Providers (one module each) speak their programme's HTTP API and map it to
these dataclasses and errors. Vendor JSON never leaves a provider module.
Money is integer minor units; points are integers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class LoyaltyError(Exception):
    """A loyalty call that did not succeed; `message` is for logs and staff."""

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


class LoyaltyRejected(LoyaltyError):
    """The programme refused (4xx, a business rule): retrying changes nothing."""

    permanent = True


class IdentifierKind(StrEnum):
    PHONE = "phone"  # digits, international, no "+"
    PASS = "pass"  # scanned from the member's card or app
    CODE = "code"  # a short code shown by the member's app (RBI: 6 digits)


class Capability(StrEnum):
    """What a programme works with, beyond identifying members and posting orders."""

    # Members buy rewards with points first, then use what they own (Pongo).
    OWNED_REWARDS = "owned_rewards"
    # Identification opens a transaction on the programme's side that lives
    # until it is claimed or voided, and baskets are checked against its rules (RBI).
    SESSION = "session"


@dataclass(frozen=True)
class ProgrammeStore:
    """Where the kiosk stands, in the programme's terms."""

    reference: str  # the programme's id for this store (Pongo: store slug)
    country: str  # ISO 3166, the default region of phone numbers
    currency: str
    device_id: str  # the kiosk, as the programme sees it
    device_name: str


@dataclass(frozen=True)
class Member:
    reference: str  # the programme's member id (Pongo: cust_…, RBI: loyalty id)
    first_name: str
    points: int
    phone: str = ""  # as the programme stores it; never shown on screen
    has_pin: bool = False
    is_new: bool = False
    # The programme's transaction opened by this identification (RBI), or "".
    session_reference: str = ""


class RewardKind(StrEnum):
    FREE_PRODUCT = "free_product"  # a product for points, at price 0
    VOUCHER_AMOUNT = "voucher_amount"
    VOUCHER_PERCENT = "voucher_percent"
    OFFER = "offer"  # a product at the offer's price, no points spent
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Reward:
    """A reward of the programme's catalogue, as offered to a member here."""

    reference: str  # Pongo: rew_…
    name: str
    kind: RewardKind
    points: int  # its price in points
    description: str = ""
    image_url: str = ""
    skus: tuple[str, ...] = ()  # free products: the products it may be
    value: int | None = None  # vouchers: cents off, or percent; offers: the price
    # Which code of our catalogue `skus` holds: SKUs (Pongo) or PLUs (RBI).
    product_code: str = "sku"
    # The programme's engine id: RBI's loyaltyEngineId (a personalised offer's own instance).
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
class Panel:
    """What an identified member sees: balance, rewards to get, rewards owned."""

    member: Member
    rewards: tuple[Reward, ...]
    owned: tuple[OwnedReward, ...]
    # Rules the programme says would refuse some of `rewards` now (RBI).
    issues: tuple[RuleIssue, ...] = ()


@dataclass(frozen=True)
class Identification:
    """A member found, with what they picked in their app beforehand (RBI)."""

    member: Member
    preselected: tuple[Reward, ...] = ()


@dataclass(frozen=True)
class RuleIssue:
    """Why the programme refuses an incentive on this basket."""

    reward_reference: str  # "" when it concerns the whole basket
    rule: str  # the programme's rule id, e.g. point-balance
    current: float | None = None
    target: float | None = None


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
    kind: str = "item"  # item | combo | reward | offer
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
    payment_method: str  # card | cash
    member_reference: str = ""
    member_phone: str = ""
    reward_references: tuple[str, ...] = field(default=())
    session_reference: str = ""  # RBI: the loyalty transaction
    terminal: str = ""  # the kiosk's number in the store
    card_brand: str = ""  # VISA, MASTERCARD, AMEX… when paid by card


@dataclass(frozen=True)
class PostingResult:
    remote_reference: str
    points_earned: int | None = None
    balance: int | None = None
    already_processed: bool = False
    # Rewards the programme did not take as used with the order's lines.
    unused_owned_references: tuple[str, ...] = ()


class LoyaltyProvider(Protocol):
    """One loyalty programme, for one store. Every method may raise
    LoyaltyUnavailable (try later) or LoyaltyRejected (refused for good)."""

    name: str
    capabilities: frozenset[Capability]

    def member_identify(
        self,
        *,
        identifier: str,
        kind: IdentifierKind,
        store: ProgrammeStore,
        order_reference: str,
    ) -> Identification | None:
        """The member with this phone number, pass or code, or None when unknown.

        A programme with the SESSION capability opens its transaction here
        (RBI), which must later be claimed or voided; the others change
        nothing remotely.
        """
        ...

    def member_enrol(self, *, enrolment: Enrolment, store: ProgrammeStore) -> Member:
        """Create the member (opt-ins as given); an existing phone returns that member."""
        ...

    def panel(self, *, member: Member, store: ProgrammeStore) -> Panel:
        """Fresh balance, the rewards the member may get here, and those they own."""
        ...

    def reward_buy(
        self,
        *,
        member: Member,
        reward_reference: str,
        store: ProgrammeStore,
        pin: str = "",
    ) -> OwnedReward:
        """Spend the member's points on a reward. Not idempotent: after a timeout
        the caller must look at the owned rewards, never buy again blindly."""
        ...

    def reward_lock(
        self,
        *,
        member: Member,
        owned: OwnedReward,
        order_reference: str,
        store: ProgrammeStore,
    ) -> None:
        """Keep the owned reward for this order (other kiosks cannot use it)."""
        ...

    def reward_unlock(
        self,
        *,
        member: Member,
        owned: OwnedReward,
        order_reference: str,
        store: ProgrammeStore,
    ) -> None:
        """Release it again; releasing a free reward is not an error."""
        ...

    def posting_payload(self, *, posting: OrderPosting) -> dict[str, Any]:
        """The exact request body that `posting_deliver` will send, frozen in the outbox."""
        ...

    def posting_deliver(self, *, payload: dict[str, Any]) -> PostingResult:
        """Send a paid order. Idempotent on the order reference: a repeat is done, not doubled."""
        ...

    def unlock_deliver(self, *, payload: dict[str, Any]) -> None:
        """Release a reward's lock (outbox). Releasing a free lock is not an error."""
        ...

    def use_deliver(self, *, payload: dict[str, Any]) -> None:
        """Mark an owned reward used by an order, when the order's lines could not."""
        ...

    def refund_payload(self, *, posting: OrderPosting) -> dict[str, Any]:
        """The call that takes a refunded order's loyalty back, frozen in the outbox."""
        ...

    def refund_deliver(self, *, payload: dict[str, Any], remote_reference: str) -> None:
        """Take back the points a posted order earned and give back what it spent.

        `remote_reference` is the programme's id for the posting (its answer to
        `posting_deliver`). Refunding it again is not an error.
        """
        ...

    # --- SESSION programmes (RBI) ---------------------------------------------------

    def basket_validate(self, *, posting: OrderPosting) -> BasketCheck:
        """Dry-run the basket on the member's transaction. No side effects.

        Rule failures come back as issues, not as errors; LoyaltyRejected
        means the transaction itself is gone (voided, unknown).
        """
        ...

    def hold_payload(self, *, posting: OrderPosting) -> dict[str, Any]:
        """The body that keeps the transaction open for the counter (PENDING)."""
        ...

    def hold_deliver(self, *, payload: dict[str, Any]) -> None:
        """Send the PENDING basket: its rewards' points are held until claimed."""
        ...

    def void_payload(self, *, posting: OrderPosting) -> dict[str, Any]:
        """The body that gives the points back (the order was abandoned or cancelled)."""
        ...

    def void_deliver(self, *, payload: dict[str, Any]) -> None:
        """Void the transaction; voiding it again is not an error."""
        ...
