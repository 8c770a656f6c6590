"""The cart: lines of a draft order, checked against the menu on every change.

Nothing the browser posts is trusted but ids and a quantity: names, prices and
tax rates come from the menu, and every id must belong to the product chosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kiosk.models import (
    ComboChoice,
    ComboSlot,
    DiscountKind,
    LineKind,
    ModifierGroup,
    ModifierOption,
    Order,
    OrderDiscount,
    OrderLine,
    OrderState,
    Product,
    ServiceMode,
)
from kiosk.money import spread
from kiosk.selectors import LineTree, line_trees, order_line_trees, totals_of
from kiosk.services.errors import CartError, OrderStateError


@dataclass(frozen=True)
class SlotSelection:
    choice_id: int
    option_ids: Mapping[int, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class LineSelection:
    """What the customer picked on a product sheet, as ids only."""

    product_id: int
    quantity: int = 1
    option_ids: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    slots: Mapping[int, SlotSelection] = field(default_factory=dict)


@dataclass
class ResolvedLine:
    """A selection checked against the menu: a line tree ready to be written."""

    kind: str
    name: str
    unit_price: int
    tax_rate: int
    allocated_price: int = 0
    reward_reference: str = ""
    product: Product | None = None
    option: ModifierOption | None = None
    slot: ComboSlot | None = None
    children: list[ResolvedLine] = field(default_factory=list)

    @property
    def unit_total(self) -> int:
        return self.unit_price + sum(child.unit_total for child in self.children)

    def signature(self) -> tuple[object, ...]:
        return (
            self.kind,
            self.product.pk if self.product else None,
            self.option.pk if self.option else None,
            self.slot.pk if self.slot else None,
            self.unit_price,
            self.reward_reference,
            tuple(child.signature() for child in self.children),
        )


def _tampered() -> CartError:
    return CartError(_("This choice is no longer on the menu. Please choose again."))


def _groups_of(product: Product) -> list[ModifierGroup]:
    options = Prefetch(
        "options", queryset=ModifierOption.objects.order_by("position", "id")
    )
    return list(
        product.modifier_groups.order_by("productmodifiergroup__position", "id")
        .prefetch_related(options)
        .all()
    )


def _resolve_modifiers(
    *,
    product: Product,
    option_ids: Mapping[int, tuple[int, ...]],
    prefix: str,
    tax_rate: int,
    errors: dict[str, str],
    strict: bool,
) -> list[ResolvedLine]:
    groups = _groups_of(product)
    if set(option_ids) - {group.pk for group in groups}:
        raise _tampered()
    resolved = []
    for group in groups:
        chosen_ids = option_ids.get(group.pk, ())
        options = {option.pk: option for option in group.options.all()}
        if len(set(chosen_ids)) != len(chosen_ids) or set(chosen_ids) - set(options):
            raise _tampered()
        chosen = [option for option in options.values() if option.pk in chosen_ids]
        key = f"{prefix}group-{group.pk}"
        unavailable = [option.name for option in chosen if not option.is_available]
        if unavailable:
            errors[key] = _("%(name)s is not available right now.") % {
                "name": ", ".join(unavailable)
            }
        elif len(chosen) > group.max_choices:
            errors[key] = ngettext(
                "Choose at most %(count)d option.",
                "Choose at most %(count)d options.",
                group.max_choices,
            ) % {"count": group.max_choices}
        elif strict and len(chosen) < group.min_choices:
            errors[key] = ngettext(
                "Choose at least %(count)d option.",
                "Choose at least %(count)d options.",
                group.min_choices,
            ) % {"count": group.min_choices}
        resolved += [
            ResolvedLine(
                kind=LineKind.MODIFIER,
                name=option.name,
                unit_price=option.price,
                tax_rate=tax_rate,
                option=option,
            )
            for option in chosen
        ]
    return resolved


def _resolve_slots(
    *,
    combo: Product,
    slots: Mapping[int, SlotSelection],
    service_mode: str,
    errors: dict[str, str],
    strict: bool,
) -> list[ResolvedLine]:
    choices = Prefetch(
        "choices",
        queryset=ComboChoice.objects.select_related("product__tax_rate").order_by(
            "position", "id"
        ),
    )
    combo_slots = list(
        combo.combo_slots.prefetch_related(choices).order_by("position", "id")
    )
    if set(slots) - {slot.pk for slot in combo_slots}:
        raise _tampered()
    resolved = []
    for slot in combo_slots:
        key = f"slot-{slot.pk}"
        selection = slots.get(slot.pk)
        if selection is None:
            if strict:
                errors[key] = _("Choose your %(slot)s.") % {"slot": slot.name.lower()}
            continue
        choice = next(
            (c for c in slot.choices.all() if c.pk == selection.choice_id), None
        )
        if choice is None:
            raise _tampered()
        item = choice.product
        if not item.is_orderable:
            errors[key] = _("%(name)s is sold out.") % {"name": item.name}
        tax_rate = item.tax_rate.rate_for(service_mode)
        node = ResolvedLine(
            kind=LineKind.COMBO_ITEM,
            name=item.name,
            unit_price=choice.price,
            tax_rate=tax_rate,
            product=item,
            slot=slot,
        )
        node.children = _resolve_modifiers(
            product=item,
            option_ids=selection.option_ids,
            prefix=f"{key}-",
            tax_rate=tax_rate,
            errors=errors,
            strict=strict,
        )
        resolved.append(node)
    return resolved


def _allocate_combo_price(combo: ResolvedLine) -> None:
    """Share the combo's price over its items, pro rata to their own prices.

    French VAT taxes each part of a menu at its own rate; the shares add up to
    the combo price exactly (the rounding remainder goes to the dearest item).
    """
    items = [child for child in combo.children if child.kind == LineKind.COMBO_ITEM]
    weights = [item.product.price if item.product else 0 for item in items]
    for item, share in zip(items, spread(combo.unit_price, weights), strict=True):
        item.allocated_price = share


def product_orderable_now(*, product: Product, now: datetime) -> bool:
    """On the menu, not sold out, and its category open at this time of day."""
    if not product.is_orderable or product.category is None:
        return False
    return product.category.is_available_at(product.store.local_now(now))


def selection_resolve(
    *,
    order: Order,
    selection: LineSelection,
    now: datetime,
    strict: bool = True,
    reward_reference: str = "",
    price: int | None = None,
) -> tuple[ResolvedLine, dict[str, str]]:
    """Check a selection against the menu and price it.

    With `strict`, raise `CartError` on anything the order cannot take; without
    it (a sheet being filled in), return the problems found so far beside the
    partial line, still refusing ids that do not belong to the product.
    With `reward_reference` the product is a loyalty reward or offer: its own
    price is `price` (0 by default), its paid options stay paid.
    """
    product = (
        Product.objects.select_related("category", "tax_rate", "store")
        .filter(store_id=order.store_id, pk=selection.product_id, is_active=True)
        .first()
    )
    if product is None:
        raise CartError(_("This product is not on the menu."))
    if not product_orderable_now(product=product, now=now):
        raise CartError(
            _("%(name)s is not available right now.") % {"name": product.name}
        )
    errors: dict[str, str] = {}
    maximum = settings.KIOSK_MAX_LINE_QUANTITY
    if not 1 <= selection.quantity <= maximum:
        errors["quantity"] = _("Choose a quantity from 1 to %(max)d.") % {
            "max": maximum
        }
    service_mode = order.service_mode or ServiceMode.EAT_IN
    tax_rate = product.tax_rate.rate_for(service_mode)
    root = ResolvedLine(
        kind=LineKind.COMBO if product.is_combo else LineKind.ITEM,
        name=product.name,
        unit_price=(price or 0) if reward_reference else product.price,
        tax_rate=tax_rate,
        product=product,
        reward_reference=reward_reference,
    )
    root.children = _resolve_modifiers(
        product=product,
        option_ids=selection.option_ids,
        prefix="",
        tax_rate=tax_rate,
        errors=errors,
        strict=strict,
    )
    if product.is_combo:
        root.children += _resolve_slots(
            combo=product,
            slots=selection.slots,
            service_mode=service_mode,
            errors=errors,
            strict=strict,
        )
        _allocate_combo_price(root)
    elif selection.slots:
        raise _tampered()
    if strict and errors:
        raise CartError(_("Please check your choices."), errors)
    return root, errors


def _lock_draft(order: Order) -> Order:
    locked = Order.objects.select_for_update().select_related("store").get(pk=order.pk)
    if locked.state != OrderState.DRAFT:
        raise OrderStateError(
            _("This order has already been sent and can no longer change.")
        )
    return locked


def _write_line(
    *,
    order: Order,
    node: ResolvedLine,
    parent: OrderLine | None,
    quantity: int,
    position: int,
) -> OrderLine:
    line = OrderLine.objects.create(
        order=order,
        parent=parent,
        kind=node.kind,
        product=node.product,
        modifier_option=node.option,
        combo_slot=node.slot,
        sku=(
            node.product.sku if node.product else node.option.sku if node.option else ""
        ),
        plu=(
            node.product.plu if node.product else node.option.plu if node.option else ""
        ),
        name=node.name,
        quantity=quantity,
        unit_price=node.unit_price,
        tax_rate=node.tax_rate,
        allocated_price=node.allocated_price,
        reward_reference=node.reward_reference,
        total=node.unit_total * quantity if parent is None else 0,
        position=position,
    )
    for index, child in enumerate(node.children):
        _write_line(order=order, node=child, parent=line, quantity=1, position=index)
    return line


def _save_totals(order: Order, trees: list[LineTree] | None = None) -> None:
    """Recompute the order's totals, and each voucher's amount, from its lines."""
    discounts = list(order.discounts.all())
    totals = totals_of(
        trees if trees is not None else order_line_trees(order), discounts
    )
    for applied in totals.discounts:
        if applied.discount.amount != applied.amount:
            applied.discount.amount = applied.amount
            applied.discount.save(update_fields=["amount"])
    order.subtotal = totals.subtotal
    order.discount_total = totals.discount_total
    order.total = totals.total
    order.tax_total = totals.tax_total
    order.save(
        update_fields=["subtotal", "discount_total", "total", "tax_total", "updated_at"]
    )


def _set_quantity(tree: LineTree, quantity: int) -> None:
    line = tree.line
    line.quantity = quantity
    line.total = tree.unit_total * quantity
    line.save(update_fields=["quantity", "total"])


@transaction.atomic
def cart_line_add(
    *,
    order: Order,
    selection: LineSelection,
    now: datetime | None = None,
    reward_reference: str = "",
    price: int | None = None,
) -> OrderLine:
    """Add what the customer configured; the same configuration again adds to its quantity.

    A loyalty reward or offer (`reward_reference`) is a line of its own, at
    `price` (0 for a reward).
    """
    order = _lock_draft(order)
    resolved, _errors = selection_resolve(
        order=order,
        selection=selection,
        now=now or timezone.now(),
        reward_reference=reward_reference,
        price=price,
    )
    trees = order_line_trees(order)
    # Each reward is a line of its own (one owned reward, one line).
    same = (
        None
        if reward_reference
        else next(
            (tree for tree in trees if tree.signature() == resolved.signature()), None
        )
    )
    maximum = settings.KIOSK_MAX_LINE_QUANTITY
    if same is not None:
        quantity = same.line.quantity + selection.quantity
        if quantity > maximum:
            raise CartError(
                _("You can order at most %(max)d of the same item.") % {"max": maximum},
                {
                    "quantity": _("Choose a quantity from 1 to %(max)d.")
                    % {"max": maximum}
                },
            )
        _set_quantity(same, quantity)
        _save_totals(order)
        return same.line
    if len(trees) >= settings.KIOSK_MAX_CART_LINES:
        raise CartError(
            _("Your order is full. Please pay for it or remove something first.")
        )
    position = max((tree.line.position for tree in trees), default=-1) + 1
    line = _write_line(
        order=order,
        node=resolved,
        parent=None,
        quantity=selection.quantity,
        position=position,
    )
    _save_totals(order)
    return line


def _root_tree(order: Order, line_id: int) -> tuple[LineTree, list[LineTree]]:
    trees = order_line_trees(order)
    tree = next((tree for tree in trees if tree.line.pk == line_id), None)
    if tree is None:
        raise CartError(_("This item is no longer in your order."))
    return tree, trees


@transaction.atomic
def cart_line_set_quantity(*, order: Order, line_id: int, quantity: int) -> OrderLine:
    order = _lock_draft(order)
    maximum = settings.KIOSK_MAX_LINE_QUANTITY
    if not 1 <= quantity <= maximum:
        raise CartError(_("Choose a quantity from 1 to %(max)d.") % {"max": maximum})
    tree, trees = _root_tree(order, line_id)
    if tree.line.reward_reference:
        raise CartError(_("A reward is for one item: its quantity cannot change."))
    _set_quantity(tree, quantity)
    _save_totals(order, trees)
    return tree.line


@transaction.atomic
def cart_line_remove(*, order: Order, line_id: int) -> None:
    order = _lock_draft(order)
    tree, _trees = _root_tree(order, line_id)
    tree.line.delete()
    _save_totals(order)


def _tree_is_orderable(tree: LineTree, now: datetime) -> bool:
    for line, _units in tree.walk():
        if line.kind in {LineKind.ITEM, LineKind.COMBO} and line.product is not None:
            if not product_orderable_now(product=line.product, now=now):
                return False
        elif line.kind == LineKind.COMBO_ITEM and line.product is not None:
            if not line.product.is_orderable:
                return False
        elif line.modifier_option is not None and not line.modifier_option.is_available:
            return False
    return True


@transaction.atomic
def cart_remove_unavailable(*, order: Order, now: datetime | None = None) -> list[str]:
    """Take out what was sold out or went off the menu since it was added.

    Returns the names removed, for the customer to be told.
    """
    order = _lock_draft(order)
    lines = list(
        order.lines.select_related(
            "product__category", "product__store", "modifier_option"
        ).order_by("position", "id")
    )
    removed = []
    for tree in line_trees(lines):
        if not _tree_is_orderable(tree, now or timezone.now()):
            removed.append(tree.line.name)
            tree.line.delete()
    if removed:
        _save_totals(order)
    return removed


@transaction.atomic
def order_set_service_mode(*, order: Order, service_mode: str) -> Order:
    """Eat in or take away; tax rates of the lines follow (they may differ)."""
    order = _lock_draft(order)
    if service_mode not in order.store.service_modes:
        raise CartError(_("This service mode is not offered here."))
    order.service_mode = service_mode
    order.save(update_fields=["service_mode", "updated_at"])
    lines = list(
        order.lines.select_related("product__tax_rate", "parent__product__tax_rate")
    )
    for line in lines:
        owner = line.product if line.kind != LineKind.MODIFIER else line.parent.product  # type: ignore[union-attr]
        if owner is not None:
            line.tax_rate = owner.tax_rate.rate_for(service_mode)
            line.save(update_fields=["tax_rate"])
    _save_totals(order)
    return order


@transaction.atomic
def order_discount_add(
    *,
    order: Order,
    name: str,
    kind: str,
    value: int,
    source: str,
    code: str = "",
    reference: str = "",
) -> OrderDiscount:
    """Apply a voucher to the whole order; its amount follows the order's lines."""
    order = _lock_draft(order)
    if (
        kind not in DiscountKind.values
        or value <= 0
        or (kind == DiscountKind.PERCENT and value > 100)
    ):
        raise CartError(_("This voucher cannot be applied."))
    discount = OrderDiscount.objects.create(
        order=order,
        name=name[:120],
        code=code[:64],
        kind=kind,
        value=value,
        source=source,
        reference=reference[:80],
    )
    _save_totals(order)
    discount.refresh_from_db()
    return discount


@transaction.atomic
def order_discount_remove(*, order: Order, discount_id: int) -> None:
    order = _lock_draft(order)
    deleted, _rows = order.discounts.filter(pk=discount_id).delete()
    if not deleted:
        raise CartError(_("This voucher is no longer on your order."))
    _save_totals(order)
