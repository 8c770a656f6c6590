"""A paid order as a loyalty programme needs it: lines, rewards, payment, member.

Built from the order as it is now, then frozen by the provider into the body
of a call (the outbox keeps the exact bytes).
"""

from __future__ import annotations

from kiosk.models import (
    LineKind,
    Order,
    OrderLine,
    PaymentChannel,
    PaymentMethod,
    plu_for,
)
from kiosk.money import tax_included
from kiosk.selectors import order_line_trees
from loyalty.models import OrderLoyalty, Redemption, RedemptionKind
from loyalty.programmes import programme_store
from loyalty.providers.base import (
    Enrolment,
    OrderPosting,
    PostedLine,
    PostedLineKind,
)


def _line_kind(line: OrderLine, redemption: Redemption | None) -> PostedLineKind:
    if redemption is not None:
        if redemption.kind == RedemptionKind.OFFER:
            return PostedLineKind.OFFER
        return PostedLineKind.REWARD
    return PostedLineKind.COMBO if line.kind == LineKind.COMBO else PostedLineKind.ITEM


def _plu(line: OrderLine, vendor: str) -> str:
    if line.product is not None and vendor:
        return plu_for(line.product, vendor)
    return line.plu


def _product_lines(
    order: Order, redemptions: list[Redemption], vendor: str
) -> list[PostedLine]:
    by_line = {r.line_id: r for r in redemptions if r.line_id is not None}
    lines = []
    for tree in order_line_trees(order):
        redemption = by_line.get(tree.line.pk)
        for line, units in tree.walk():
            own = redemption if line.pk == tree.line.pk else None
            lines.append(
                _posted_line(
                    line, units, own, sku=line.sku or tree.line.sku, vendor=vendor
                )
            )
    return lines


def _posted_line(
    line: OrderLine, units: int, own: Redemption | None, *, sku: str, vendor: str
) -> PostedLine:
    is_owned = own is not None and own.kind != RedemptionKind.OFFER
    return PostedLine(
        sku=sku,
        name=line.name,
        quantity=units,
        unit_amount=line.unit_price,
        reward_reference=own.reward_reference if own else "",
        owned_reference=own.owned_reference if own and is_owned else "",
        plu=own.line_code if own and own.line_code else _plu(line, vendor),
        kind=_line_kind(line, own),
        reference_id=str(line.pk),
        parent_reference_id=str(line.parent_id) if line.parent_id else "",
        tax_amount=tax_included(line.unit_price, line.tax_rate),
        engine_reference=own.engine_reference if own else "",
        is_personalised=bool(own and own.is_personalised),
    )


def _voucher_lines(redemptions: list[Redemption]) -> list[PostedLine]:
    return [
        PostedLine(
            sku="VOUCHER",
            name=redemption.reward_name,
            quantity=1,
            unit_amount=-redemption.discount.amount,
            reward_reference=redemption.reward_reference,
            owned_reference=redemption.owned_reference,
            coupon_code=redemption.coupon_code,
        )
        for redemption in redemptions
        if redemption.discount is not None
    ]


def posting_payment_method(chosen: str) -> str:
    """The posting's payment for a method chosen at checkout, before it is paid:
    card on the terminal, or "cash" at the counter; "" while none is chosen."""
    if chosen == PaymentMethod.CARD:
        return "card"
    if chosen == PaymentMethod.COUNTER:
        return "cash"
    return ""


def _payment_method(order: Order, *, has_card: bool) -> str:
    if order.paid_at is not None:
        return "card" if has_card else "cash"
    return posting_payment_method(order.payment_method)


def posting_from(
    order: Order, loyalty: OrderLoyalty | None, *, programme: str = ""
) -> OrderPosting:
    """The order as the programme needs it, frozen now (a guest: no member).

    `programme` is the loyalty record's, else the store's.
    """
    # Read afresh: the caller's copy may predate the lines just added.
    order = Order.objects.select_related("kiosk", "store").get(pk=order.pk)
    assert order.kiosk is not None
    redemptions = list(
        Redemption.objects.filter(order=order).select_related("discount")
    )
    card = order.payments.filter(
        channel=PaymentChannel.TERMINAL, status="approved"
    ).first()
    store = programme_store(
        order.kiosk, programme=programme or (loyalty.programme if loyalty else "")
    )
    return OrderPosting(
        order_reference=order.uuid.hex,
        store=store,
        created_at=order.created_at,
        service_mode=order.service_mode,
        amount=order.total,
        tax_amount=order.tax_total,
        lines=(
            *_product_lines(order, redemptions, store.plu_vendor),
            *_voucher_lines(redemptions),
        ),
        payment_method=_payment_method(order, has_card=card is not None),
        member_reference=loyalty.member_reference if loyalty else "",
        member_phone=_phone_to_post(loyalty),
        reward_references=tuple(
            r.reward_reference for r in redemptions if r.kind != RedemptionKind.OFFER
        ),
        session_reference=loyalty.session_reference if loyalty else "",
        terminal=order.kiosk.code,
        card_brand=card.card_brand if card else "",
        enrolment=_enrolment(loyalty),
    )


def _enrolment(loyalty: OrderLoyalty | None) -> Enrolment | None:
    """The opt-in answers given with a phone number the programme did not confirm."""
    if (
        loyalty is None
        or loyalty.is_verified
        or loyalty.member_reference
        or not loyalty.member_phone
        or loyalty.sms_optin is None
        or loyalty.email_optin is None
    ):
        return None
    return Enrolment(
        phone=loyalty.member_phone,
        sms_optin=loyalty.sms_optin,
        email_optin=loyalty.email_optin,
    )


def _phone_to_post(loyalty: OrderLoyalty | None) -> str:
    """The member's phone; a number nobody confirmed goes only with the
    customer's opt-in answers (the programme may make it a member)."""
    if loyalty is None:
        return ""
    phone = str(loyalty.member_phone)
    if loyalty.is_verified or loyalty.member_reference:
        return phone
    return phone if _enrolment(loyalty) is not None else ""
