"""Upsell: one suggestion per order, at the moment a rule names, and its answer.

An offer interrupts the customer once per order at most: once one was shown,
no other is (a unique row per order). Nothing is offered when nothing applies,
when what would be offered is sold out, or when it is already in the cart.
Accepting goes through the cart services, so the menu's checks and prices hold.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiosk.models import (
    ComboChoice,
    ComboSlotKind,
    LineKind,
    Order,
    OrderLine,
    Product,
    UpsellKind,
    UpsellOffer,
    UpsellRule,
    UpsellTrigger,
)
from kiosk.selectors import LineTree, order_line_trees
from kiosk.services.cart import (
    cart_line_add,
    cart_line_remove,
    cart_line_set_quantity,
    line_note_ids,
)
from kiosk.services.errors import CartError
from kiosk.services.selections import (
    LineSelection,
    SlotSelection,
    default_selection,
    kitchen_notes_for,
    product_orderable_now,
    selection_resolve,
)

logger = logging.getLogger(__name__)

# An "add a product" offer shows at most this many cards.
MAX_PRODUCTS_OFFERED = 3


@dataclass(frozen=True)
class OfferedItem:
    """One card of the offer: the product and what it adds to the order."""

    product: Product
    price_difference: int


@dataclass(frozen=True)
class UpsellPanel:
    """An offer as the customer sees it."""

    offer: UpsellOffer
    items: list[OfferedItem]

    @property
    def kind(self) -> str:
        return self.offer.rule.kind


def _options_of(tree: LineTree) -> dict[int, tuple[int, ...]]:
    """The modifier options chosen on an item line, by group."""
    chosen: dict[int, list[int]] = {}
    for child in tree.children:
        option = child.line.modifier_option
        if child.line.kind == LineKind.MODIFIER and option is not None:
            chosen.setdefault(option.group_id, []).append(option.pk)
    return {group: tuple(ids) for group, ids in chosen.items()}


def _resolves(order: Order, selection: LineSelection, now: datetime) -> int | None:
    """The unit total of a selection, or None when the order cannot take it."""
    try:
        resolved, _errors = selection_resolve(order=order, selection=selection, now=now)
    except CartError:
        return None
    return resolved.unit_total


def _meal_choice(product: Product, now: datetime) -> ComboChoice | None:
    """The main-course choice of the first orderable combo containing the product."""
    choices = ComboChoice.objects.filter(
        product=product,
        slot__kind=ComboSlotKind.MAIN,
        slot__combo__store_id=product.store_id,
    ).select_related("slot__combo__category", "slot__combo__store")
    for choice in choices.order_by("slot__combo__position", "slot__combo_id"):
        if product_orderable_now(product=choice.slot.combo, now=now):
            return choice
    return None


def _notes_kept(tree: LineTree, product: Product) -> tuple[int, ...]:
    """The line's kitchen notes that the new product offers too ("No salt"
    goes from the burger to its meal)."""
    offered = {note.pk for note in kitchen_notes_for(product)}
    return tuple(note for note in line_note_ids(tree.line) if note in offered)


def _meal_selection(choice: ComboChoice, tree: LineTree) -> LineSelection:
    base = default_selection(choice.slot.combo)
    slots = dict(base.slots)
    slots[choice.slot_id] = SlotSelection(
        choice_id=choice.pk, option_ids=_options_of(tree)
    )
    return LineSelection(
        product_id=choice.slot.combo_id,
        quantity=1,
        option_ids=base.option_ids,
        slots=slots,
        note_ids=_notes_kept(tree, choice.slot.combo),
    )


def _larger_selection(larger: Product, tree: LineTree) -> LineSelection:
    return LineSelection(
        product_id=larger.pk,
        quantity=1,
        option_ids=_options_of(tree),
        note_ids=_notes_kept(tree, larger),
    )


def _tree_of(order: Order, line_id: int | None) -> LineTree | None:
    return next(
        (tree for tree in order_line_trees(order) if tree.line.pk == line_id), None
    )


def _rule_applies_to(rule: UpsellRule, product: Product) -> bool:
    products = {p.pk for p in rule.trigger_products.all()}
    categories = {c.pk for c in rule.trigger_categories.all()}
    if not products and not categories:
        return True
    return product.pk in products or product.category_id in categories


def _larger_of(rule: UpsellRule, product: Product) -> Product | None:
    """The larger size of `product` among the rule's products: same category, dearer."""
    for larger in rule.offered_products.select_related("category", "store"):
        if (
            larger.pk != product.pk
            and larger.category_id == product.category_id
            and larger.price > product.price
        ):
            return larger
    return None


def _items_for_line(
    rule: UpsellRule, order: Order, tree: LineTree, now: datetime
) -> list[OfferedItem]:
    product = tree.line.product
    if product is None or not _rule_applies_to(rule, product):
        return []
    if rule.kind == UpsellKind.ADD_PRODUCT:
        return _products_to_add(rule, order, now)
    if tree.line.kind != LineKind.ITEM:
        return []
    current = tree.unit_total
    if rule.kind == UpsellKind.MEAL:
        choice = _meal_choice(product, now)
        if choice is None:
            return []
        total = _resolves(order, _meal_selection(choice, tree), now)
        offered = choice.slot.combo
    elif rule.kind == UpsellKind.SIZE_UP:
        larger = _larger_of(rule, product)
        if larger is None:
            return []
        total = _resolves(order, _larger_selection(larger, tree), now)
        offered = larger
    else:
        return []
    if total is None:
        return []
    return [OfferedItem(product=offered, price_difference=max(total - current, 0))]


def _products_to_add(
    rule: UpsellRule, order: Order, now: datetime
) -> list[OfferedItem]:
    in_cart = set(
        order.lines.filter(product__isnull=False).values_list("product_id", flat=True)
    )
    items = []
    for product in rule.offered_products.select_related("category", "store"):
        if product.pk in in_cart:
            continue
        total = _resolves(order, default_selection(product), now)
        if total is not None:
            items.append(OfferedItem(product=product, price_difference=total))
        if len(items) == MAX_PRODUCTS_OFFERED:
            break
    return items


def _rules(order: Order, moment: str) -> list[UpsellRule]:
    return list(
        UpsellRule.objects.filter(
            store_id=order.store_id, trigger=moment, is_active=True
        ).prefetch_related("trigger_products", "trigger_categories")
    )


@transaction.atomic
def upsell_offer_choose(
    *,
    order: Order,
    moment: str,
    line: OrderLine | None = None,
    quantity: int = 1,
    now: datetime | None = None,
) -> UpsellPanel | None:
    """The one offer to show now, recorded as shown; None when there is none.

    `line` is the line just added (after an "Add"); before checkout there is none.
    """
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order.pk)
    if not order.is_draft or order.upsell_offers.exists():
        return None
    tree = _tree_of(order, line.pk) if line is not None else None
    if moment == UpsellTrigger.AFTER_ADD and tree is None:
        return None
    for rule in _rules(order, moment):
        if tree is not None:
            items = _items_for_line(rule, order, tree, now)
        else:
            items = _products_to_add(rule, order, now)
        if items:
            return _offer_record(order, rule, tree, quantity, items, now)
    return None


def _offer_record(
    order: Order,
    rule: UpsellRule,
    tree: LineTree | None,
    quantity: int,
    items: list[OfferedItem],
    now: datetime,
) -> UpsellPanel | None:
    try:
        with transaction.atomic():
            offer = UpsellOffer.objects.create(
                order=order,
                rule=rule,
                line_id=tree.line.pk if tree is not None else None,
                quantity=min(quantity, tree.line.quantity) if tree else 1,
                shown_at=now,
            )
    except IntegrityError:
        # Another request of the same order showed one first.
        return None
    offer.products.set([item.product for item in items])
    return UpsellPanel(offer=offer, items=items)


def upsell_panel(*, offer: UpsellOffer, now: datetime | None = None) -> UpsellPanel:
    """The cards of an offer already shown, priced against the order as it is."""
    now = now or timezone.now()
    order = offer.order
    tree = _tree_of(order, offer.line_id)
    if tree is not None:
        items = _items_for_line(offer.rule, order, tree, now)
    elif offer.line_id is None:
        items = _products_to_add(offer.rule, order, now)
    else:
        items = []
    offered = {p.pk for p in offer.products.all()}
    return UpsellPanel(
        offer=offer, items=[item for item in items if item.product.pk in offered]
    )


def _lock_offer(order: Order, offer_id: int) -> UpsellOffer:
    offer = (
        UpsellOffer.objects.select_for_update()
        .select_related("rule", "order")
        .filter(order_id=order.pk, pk=offer_id)
        .first()
    )
    if offer is None:
        raise CartError(_("This offer is no longer available."))
    return offer


def _take_out(order: Order, tree: LineTree, quantity: int) -> None:
    """Take `quantity` of the line out of the order (a meal or a larger size replaces them)."""
    if tree.line.quantity > quantity:
        cart_line_set_quantity(
            order=order, line_id=tree.line.pk, quantity=tree.line.quantity - quantity
        )
    else:
        cart_line_remove(order=order, line_id=tree.line.pk)


def _replacement(offer: UpsellOffer, tree: LineTree, now: datetime) -> LineSelection:
    product = tree.line.product
    assert product is not None  # an item line, checked when the offer was made
    if offer.rule.kind == UpsellKind.MEAL:
        choice = _meal_choice(product, now)
        if choice is None:
            raise CartError(_("This offer is no longer available."))
        return _meal_selection(choice, tree)
    larger = _larger_of(offer.rule, product)
    if larger is None:
        raise CartError(_("This offer is no longer available."))
    return _larger_selection(larger, tree)


@transaction.atomic
def upsell_offer_accept(
    *,
    order: Order,
    offer_id: int,
    product_id: int | None = None,
    now: datetime | None = None,
) -> UpsellOffer:
    """One tap: the meal, the product or the larger size goes on the order.

    A second tap (or a retried request) finds the offer answered and adds nothing.
    """
    now = now or timezone.now()
    offer = _lock_offer(order, offer_id)
    if offer.is_answered:
        return offer
    if offer.rule.kind == UpsellKind.ADD_PRODUCT:
        if product_id is None or not offer.products.filter(pk=product_id).exists():
            raise CartError(_("This offer is no longer available."))
        product = Product.objects.get(pk=product_id)
        cart_line_add(order=order, selection=default_selection(product), now=now)
    else:
        tree = _tree_of(offer.order, offer.line_id)
        if tree is None:
            raise CartError(_("This item is no longer in your order."))
        selection = _replacement(offer, tree, now)
        quantity = min(offer.quantity, tree.line.quantity)
        _take_out(order, tree, quantity)
        cart_line_add(
            order=order,
            selection=LineSelection(
                product_id=selection.product_id,
                quantity=quantity,
                option_ids=selection.option_ids,
                slots=selection.slots,
                note_ids=selection.note_ids,
            ),
            now=now,
        )
    offer.accepted = True
    offer.accepted_at = now
    offer.save(update_fields=["accepted", "accepted_at"])
    logger.info(
        "upsell accepted", extra={"rule": offer.rule_id, "order": order.uuid.hex}
    )
    return offer


@transaction.atomic
def upsell_offer_decline(
    *, order: Order, offer_id: int, now: datetime | None = None
) -> UpsellOffer:
    """ "No thanks": recorded, and nothing else is offered on this order."""
    offer = _lock_offer(order, offer_id)
    if not offer.is_answered:
        offer.declined_at = now or timezone.now()
        offer.save(update_fields=["declined_at"])
    return offer


def upsell_open_offer(*, order: Order) -> UpsellOffer | None:
    """The offer shown on this order and not answered yet."""
    return (
        UpsellOffer.objects.select_related("rule", "order__store")
        .filter(order=order, accepted=False, declined_at__isnull=True)
        .first()
    )
