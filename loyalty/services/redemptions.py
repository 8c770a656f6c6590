"""Rewards on an order: buying with points, putting a reward or an offer on the
order as a product line or a voucher, and taking it off again.

Burning points is online only. With OWNED_REWARDS a reward goes on an order
after the programme locked it for this order, and it leaves the order with
its lock released; with SESSION an incentive goes on the order and the
programme checks the basket, a refused one staying with the reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiosk.models import DiscountKind, Order, Product
from kiosk.services.cart import (
    cart_line_add,
    cart_line_remove,
    order_discount_add,
    order_discount_remove,
)
from kiosk.services.errors import CartError
from kiosk.services.selections import LineSelection, default_selection
from loyalty.http import loyalty_budget
from loyalty.models import (
    OrderLoyalty,
    OutboxMessage,
    OutboxOperation,
    OutboxStatus,
    Redemption,
    RedemptionKind,
)
from loyalty.programmes import posting_provider, programme_store
from loyalty.providers.base import (
    ErrorCode,
    Identification,
    LoyaltyRejected,
    LoyaltyUnavailable,
    OwnedReward,
    OwnedRewardsProvider,
    Reward,
    RewardKind,
    as_owned_rewards,
    as_session,
)
from loyalty.services.outbox import outbox_enqueue
from loyalty.services.panel import (
    OwnedChoice,
    RewardChoice,
    loyalty_panel,
    member_of,
    order_programme,
    reward_products,
)
from loyalty.services.sessions import basket_validate
from loyalty.texts import redemption_rule_text

logger = logging.getLogger(__name__)


class BuyStatus(StrEnum):
    BOUGHT = "bought"
    REFUSED = "refused"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class BuyOutcome:
    status: BuyStatus
    message: str = ""
    owned: OwnedReward | None = None


def _buy_refusal(code: str) -> str:
    if code == ErrorCode.INSUFFICIENT_POINTS:
        return _("You do not have enough points for this reward.")
    if code == ErrorCode.INVALID_PIN:
        return _("This PIN is not right. Please try again.")
    return _("This reward cannot be bought here.")


def loyalty_reward_buy(
    *, order: Order, reward_reference: str, pin: str = ""
) -> BuyOutcome:
    """Spend the member's points on a reward; the reward is theirs even if they leave."""
    found = order_programme(order)
    provider = as_owned_rewards(found[0]) if found is not None else None
    if found is None or provider is None:
        return BuyOutcome(
            BuyStatus.UNAVAILABLE, _("Rewards are unavailable right now.")
        )
    loyalty = found[1]
    assert order.kiosk is not None
    try:
        with loyalty_budget():
            owned = provider.reward_buy(
                member=member_of(loyalty),
                reward_reference=reward_reference,
                store=programme_store(order.kiosk),
                pin=pin,
            )
    except LoyaltyUnavailable:
        return BuyOutcome(
            BuyStatus.UNAVAILABLE,
            _("Rewards are unavailable right now. No points were spent."),
        )
    except LoyaltyRejected as err:
        return BuyOutcome(BuyStatus.REFUSED, _buy_refusal(err.code))
    return BuyOutcome(BuyStatus.BOUGHT, owned=owned)


class UseStatus(StrEnum):
    ADDED = "added"
    CHOOSE = "choose"  # the customer picks the product or its options first
    REFUSED = "refused"


@dataclass(frozen=True)
class UseOutcome:
    status: UseStatus
    message: str = ""
    products: tuple[Product, ...] = ()
    owned: OwnedReward | None = None
    reward: Reward | None = None  # session programmes: the incentive to choose for


def _is_simple(product: Product) -> bool:
    return not product.is_combo and not product.modifier_groups.exists()


def _checked_selection(
    products: tuple[Product, ...], selection: LineSelection | None
) -> LineSelection | None:
    """The selection to put on the order; None when the customer must choose.

    Raises CartError when the selection is not one of the reward's products.
    """
    if selection is None:
        if len(products) == 1 and _is_simple(products[0]):
            return LineSelection(product_id=products[0].pk)
        return None
    if selection.product_id not in {p.pk for p in products} or selection.quantity != 1:
        raise CartError(_("This product is not part of the reward."))
    return selection


# --- owned rewards (OWNED_REWARDS) -------------------------------------------


def _find_owned(order: Order, owned_reference: str) -> OwnedChoice | None:
    view = loyalty_panel(order=order)
    if view is None:
        return None
    return next((c for c in view.owned if c.owned.reference == owned_reference), None)


def _lock(
    provider: OwnedRewardsProvider, loyalty: OrderLoyalty, owned: OwnedReward
) -> None:
    order = loyalty.order
    assert order.kiosk is not None
    # A release still waiting in the outbox would undo this lock: drop it.
    OutboxMessage.objects.filter(
        order=order,
        operation=OutboxOperation.REWARD_UNLOCK,
        status=OutboxStatus.PENDING,
        payload__owned=owned.reference,
    ).update(
        status=OutboxStatus.DONE,
        last_error="superseded by a new lock",
        done_at=timezone.now(),
    )
    with loyalty_budget():
        provider.reward_lock(
            member=member_of(loyalty),
            owned=owned,
            order_reference=order.uuid.hex,
            store=programme_store(order.kiosk),
        )


def loyalty_reward_use(
    *, order: Order, owned_reference: str, selection: LineSelection | None = None
) -> UseOutcome:
    """Put an owned reward on the order: its product at price 0, or its voucher.

    A free product with several products, or with options, comes back as
    CHOOSE: the customer picks on the product sheet, then calls again with
    the selection. Paid options stay paid.
    """
    found = order_programme(order)
    provider = as_owned_rewards(found[0]) if found is not None else None
    choice = _find_owned(order, owned_reference) if provider is not None else None
    if found is None or provider is None or choice is None:
        return UseOutcome(UseStatus.REFUSED, _("Rewards are unavailable right now."))
    if not choice.can_use:
        return UseOutcome(
            UseStatus.REFUSED,
            choice.reason or _("This reward is already on your order."),
        )
    owned = choice.owned
    if owned.reward.kind == RewardKind.FREE_PRODUCT:
        try:
            selection = _checked_selection(choice.products, selection)
        except CartError as err:
            return UseOutcome(UseStatus.REFUSED, err.message)
        if selection is None:
            return UseOutcome(UseStatus.CHOOSE, products=choice.products, owned=owned)
    loyalty = found[1]
    try:
        _lock(provider, loyalty, owned)
    except LoyaltyUnavailable:
        return UseOutcome(UseStatus.REFUSED, _("Rewards are unavailable right now."))
    except LoyaltyRejected:
        return UseOutcome(
            UseStatus.REFUSED, _("This reward is being used on another order.")
        )
    try:
        _owned_put_on_order(order, owned, selection, source=loyalty.programme)
    except CartError as err:
        _unlock_enqueue(order, loyalty, owned.reference)
        return UseOutcome(UseStatus.REFUSED, err.message)
    return UseOutcome(UseStatus.ADDED, owned=owned)


@transaction.atomic
def _owned_put_on_order(
    order: Order, owned: OwnedReward, selection: LineSelection | None, *, source: str
) -> None:
    reward = owned.reward
    common = {
        "order": order,
        "owned_reference": owned.reference,
        "reward_reference": reward.reference,
        "reward_name": reward.name[:120],
        "coupon_code": owned.coupon_code[:64],
    }
    if reward.kind == RewardKind.FREE_PRODUCT and selection is not None:
        line = cart_line_add(
            order=order, selection=selection, reward_reference=reward.reference
        )
        Redemption.objects.create(kind=RedemptionKind.FREE_PRODUCT, line=line, **common)
        return
    kind = (
        DiscountKind.PERCENT
        if reward.kind == RewardKind.VOUCHER_PERCENT
        else DiscountKind.AMOUNT
    )
    discount = order_discount_add(
        order=order,
        name=reward.name,
        kind=kind,
        value=reward.value or 0,
        source=source,
        code=owned.coupon_code,
        reference=reward.reference,
    )
    Redemption.objects.create(kind=RedemptionKind.VOUCHER, discount=discount, **common)


def _unlock_enqueue(order: Order, loyalty: OrderLoyalty, owned_reference: str) -> None:
    """Release the programme's lock on a reward, reliably, from the outbox.

    Nothing to release when the programme keeps no locks (or the store left it).
    """
    assert order.kiosk is not None
    try:
        provider = as_owned_rewards(posting_provider(order.store, loyalty.programme))
    except LoyaltyRejected:
        return
    if provider is None:
        return
    payload = provider.unlock_payload(
        member_reference=loyalty.member_reference,
        owned_reference=owned_reference,
        order_reference=order.uuid.hex,
        store=programme_store(order.kiosk, programme=loyalty.programme),
    )
    outbox_enqueue(
        order=order,
        programme=loyalty.programme,
        operation=OutboxOperation.REWARD_UNLOCK,
        payload=payload,
        subject=owned_reference,
        once=False,  # locked again later, it is released again
    )


# --- incentives on the order (SESSION) ---------------------------------------


def _incentive_price(reward: Reward) -> int:
    return reward.value or 0 if reward.kind == RewardKind.OFFER else 0


@transaction.atomic
def _incentive_put_on_order(
    *,
    order: Order,
    reward: Reward,
    selection: LineSelection,
    is_preselected: bool = False,
) -> Redemption:
    """The incentive's product as an order line at the incentive's price."""
    line = cart_line_add(
        order=order,
        selection=selection,
        reward_reference=reward.reference,
        price=_incentive_price(reward),
    )
    return Redemption.objects.create(
        order=order,
        owned_reference=reward.engine_reference or reward.reference,
        reward_reference=reward.reference,
        reward_name=reward.name[:120],
        kind=RedemptionKind.OFFER
        if reward.kind == RewardKind.OFFER
        else RedemptionKind.FREE_PRODUCT,
        line=line,
        line_code=reward.line_code,
        engine_reference=reward.engine_reference,
        is_personalised=reward.is_personalised,
        is_preselected=is_preselected,
        points=reward.points,
    )


def _default_selection(product: Product) -> LineSelection | None:
    """The product with its defaults, if it needs no choice from the customer."""
    selection = default_selection(product)
    slots = list(product.combo_slots.all())
    if len(selection.slots) != len(slots):
        return None
    groups = product.modifier_groups.filter(min_choices__gt=0)
    if any(
        len(selection.option_ids.get(group.pk, ())) < group.min_choices
        for group in groups
    ):
        return None
    return selection


def preselections_to_cart(*, order: Order, identification: Identification) -> list[str]:
    """What the member picked in the app lands in the cart; returns names left out."""
    left_out = []
    for reward in identification.preselected:
        products = reward_products(order, reward)
        selection = _default_selection(products[0]) if products else None
        if selection is None:
            left_out.append(reward.name)
            continue
        try:
            _incentive_put_on_order(
                order=order, reward=reward, selection=selection, is_preselected=True
            )
        except CartError:
            left_out.append(reward.name)
    return left_out


def _find_incentive(
    order: Order, reference: str, engine_reference: str
) -> RewardChoice | None:
    view = loyalty_panel(order=order)
    if view is None:
        return None
    return next(
        (
            c
            for c in view.rewards
            if c.reward.reference == reference
            and (not engine_reference or c.reward.engine_reference == engine_reference)
        ),
        None,
    )


def loyalty_incentive_add(
    *,
    order: Order,
    reference: str,
    engine_reference: str = "",
    selection: LineSelection | None = None,
) -> UseOutcome:
    """A reward or offer goes on the order as its product, then the programme
    checks the basket. A refused one stays, with the reason."""
    found = order_programme(order)
    provider = as_session(found[0]) if found is not None else None
    choice = (
        _find_incentive(order, reference, engine_reference)
        if provider is not None
        else None
    )
    if provider is None or choice is None:
        return UseOutcome(UseStatus.REFUSED, _("Rewards are unavailable right now."))
    if not choice.can_add:
        return UseOutcome(
            UseStatus.REFUSED, choice.reason or _("This is already on your order.")
        )
    try:
        selection = _checked_selection(choice.products, selection)
        if selection is None:
            return UseOutcome(
                UseStatus.CHOOSE, products=choice.products, reward=choice.reward
            )
        redemption = _incentive_put_on_order(
            order=order, reward=choice.reward, selection=selection
        )
    except CartError as err:
        return UseOutcome(UseStatus.REFUSED, err.message)
    basket_validate(order=order, provider=provider)
    redemption.refresh_from_db()
    return UseOutcome(UseStatus.ADDED, message=redemption_rule_text(redemption))


# --- taking rewards off ------------------------------------------------------


def _remove(order: Order, redemption: Redemption) -> None:
    loyalty = OrderLoyalty.objects.get(order=order)
    owned_reference = redemption.owned_reference
    if redemption.line_id is not None:
        cart_line_remove(order=order, line_id=redemption.line_id)
    elif redemption.discount_id is not None:
        order_discount_remove(order=order, discount_id=redemption.discount_id)
    Redemption.objects.filter(pk=redemption.pk).delete()
    _unlock_enqueue(order, loyalty, owned_reference)


def _revalidate(order: Order) -> None:
    """The programme checks the basket again, if it checks baskets."""
    found = order_programme(order)
    provider = as_session(found[0]) if found is not None else None
    if provider is not None:
        basket_validate(order=order, provider=provider)


def loyalty_redemption_remove(*, order: Order, redemption_id: int) -> None:
    """Take a reward off the order; an owned reward stays the member's for next
    time, a session's basket is checked again without it."""
    with transaction.atomic():
        redemption = Redemption.objects.filter(order=order, pk=redemption_id).first()
        if redemption is None:
            raise CartError(_("This reward is no longer on your order."))
        _remove(order, redemption)
    _revalidate(order)


@transaction.atomic
def redemptions_drop(*, order: Order) -> None:
    """Every reward leaves a draft order (another member identified, or "not me")."""
    for redemption in Redemption.objects.filter(order=order):
        _remove(order, redemption)


@transaction.atomic
def redemptions_release(*, order: Order) -> None:
    """A cancelled order: its rewards' locks are released (the member keeps them)."""
    loyalty = OrderLoyalty.objects.filter(order=order).first()
    if loyalty is None:
        return
    for redemption in Redemption.objects.filter(order=order):
        _unlock_enqueue(order, loyalty, redemption.owned_reference)


def loyalty_refused_drop(*, order: Order) -> list[str]:
    """Paying past the programme's refusals: the refused incentives leave the order
    (a refused reward would be free food the claim does not pay for). Returns
    their names; the programme checks what is left."""
    refused = list(Redemption.objects.filter(order=order).exclude(issue_rule=""))
    with transaction.atomic():
        for redemption in refused:
            _remove(order, redemption)
    if refused:
        _revalidate(order)
    return [redemption.reward_name for redemption in refused]
