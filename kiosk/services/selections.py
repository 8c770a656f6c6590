"""What the customer picks on a product sheet, checked against the menu and priced.

Nothing the browser posts is trusted but ids and a quantity: names, prices and
tax rates come from the menu, and every id must belong to the product chosen.
The cart (`kiosk.services.cart`) writes what this module resolved; the product
sheet (`kiosk.sheet`) shows it while it is being filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kiosk.models import (
    KITCHEN_NOTE_SEPARATOR,
    ComboChoice,
    ComboSlot,
    KitchenNote,
    LineKind,
    ModifierGroup,
    ModifierOption,
    Order,
    Product,
    ServiceMode,
)
from kiosk.models.translated import localized
from kiosk.money import spread
from kiosk.services.errors import CartError


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
    # The kitchen notes ticked ("No salt"), by id.
    note_ids: tuple[int, ...] = ()


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
    # Root lines only: the kitchen notes ticked, in the menu's order.
    notes: list[KitchenNote] = field(default_factory=list)

    @property
    def unit_total(self) -> int:
        return self.unit_price + sum(child.unit_total for child in self.children)

    @property
    def note_ids(self) -> list[int]:
        return [note.pk for note in self.notes]

    def note_text(self, language: str) -> str:
        """The notes for the kitchen, in the kitchen's language."""
        return KITCHEN_NOTE_SEPARATOR.join(
            localized(note, "name", language) for note in self.notes
        )[:200]

    def signature(self) -> tuple[object, ...]:
        return (
            self.kind,
            self.product.pk if self.product else None,
            self.option.pk if self.option else None,
            self.slot.pk if self.slot else None,
            self.unit_price,
            self.reward_reference,
            tuple(child.signature() for child in self.children),
            tuple(self.note_ids),
        )


def unknown_choice() -> CartError:
    """The refusal of an id that does not belong to the product chosen."""
    return CartError(_("This choice is no longer on the menu. Please choose again."))


# Where `modifier_groups_of` keeps its answer on the product instance: a
# sheet asks it for the defaults, the prices and the form of one product.
_GROUPS_KEY = "_kiosk_modifier_groups"


def modifier_groups_of(product: Product) -> list[ModifierGroup]:
    """The product's modifier groups in menu order, with their options in order
    (read once per product instance, as the instance's own fields are)."""
    cached: list[ModifierGroup] | None = product.__dict__.get(_GROUPS_KEY)
    if cached is None:
        options = Prefetch(
            "options", queryset=ModifierOption.objects.order_by("position", "id")
        )
        cached = list(
            product.modifier_groups.order_by(
                "productmodifiergroup__position", "id"
            ).prefetch_related(options)
        )
        product.__dict__[_GROUPS_KEY] = cached
    return cached


def _default_options(product: Product) -> dict[int, tuple[int, ...]]:
    return {
        group.pk: tuple(
            option.pk
            for option in group.options.all()
            if option.is_default and option.is_available
        )[: group.max_choices]
        for group in modifier_groups_of(product)
    }


def default_selection(product: Product) -> LineSelection:
    """Options and combo choices marked "chosen by default" in admin."""
    slots = {}
    for slot in product.combo_slots.prefetch_related("choices__product"):
        default = next(
            (c for c in slot.choices.all() if c.is_default and c.product.is_orderable),
            None,
        )
        if default is not None:
            slots[slot.pk] = SlotSelection(
                choice_id=default.pk, option_ids=_default_options(default.product)
            )
    return LineSelection(
        product_id=product.pk,
        quantity=1,
        option_ids=_default_options(product),
        slots=slots,
    )


def _group_error(
    group: ModifierGroup, chosen: list[ModifierOption], *, strict: bool
) -> str:
    """What is wrong with the options chosen in one group, or ""."""
    unavailable = [option.name for option in chosen if not option.is_available]
    if unavailable:
        return _("%(name)s is not available right now.") % {
            "name": ", ".join(unavailable)
        }
    if len(chosen) > group.max_choices:
        return ngettext(
            "Choose at most %(count)d option.",
            "Choose at most %(count)d options.",
            group.max_choices,
        ) % {"count": group.max_choices}
    if strict and len(chosen) < group.min_choices:
        return ngettext(
            "Choose at least %(count)d option.",
            "Choose at least %(count)d options.",
            group.min_choices,
        ) % {"count": group.min_choices}
    return ""


def _resolve_modifiers(
    *,
    product: Product,
    option_ids: Mapping[int, tuple[int, ...]],
    prefix: str,
    tax_rate: int,
    errors: dict[str, str],
    strict: bool,
) -> list[ResolvedLine]:
    groups = modifier_groups_of(product)
    if set(option_ids) - {group.pk for group in groups}:
        raise unknown_choice()
    resolved = []
    for group in groups:
        chosen_ids = option_ids.get(group.pk, ())
        options = {option.pk: option for option in group.options.all()}
        if len(set(chosen_ids)) != len(chosen_ids) or set(chosen_ids) - set(options):
            raise unknown_choice()
        chosen = [option for option in options.values() if option.pk in chosen_ids]
        if error := _group_error(group, chosen, strict=strict):
            errors[f"{prefix}group-{group.pk}"] = error
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


def _resolve_slot(
    *,
    slot: ComboSlot,
    selection: SlotSelection,
    service_mode: str,
    errors: dict[str, str],
    strict: bool,
) -> ResolvedLine:
    key = f"slot-{slot.pk}"
    choice = next((c for c in slot.choices.all() if c.pk == selection.choice_id), None)
    if choice is None:
        raise unknown_choice()
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
    return node


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
        raise unknown_choice()
    resolved = []
    for slot in combo_slots:
        selection = slots.get(slot.pk)
        if selection is None:
            if strict:
                errors[f"slot-{slot.pk}"] = _("Choose your %(slot)s.") % {
                    "slot": slot.name.lower()
                }
            continue
        resolved.append(
            _resolve_slot(
                slot=slot,
                selection=selection,
                service_mode=service_mode,
                errors=errors,
                strict=strict,
            )
        )
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


def _orderable_product(*, order: Order, product_id: int, now: datetime) -> Product:
    product = (
        Product.objects.select_related("category", "tax_rate", "store")
        .filter(store_id=order.store_id, pk=product_id, is_active=True)
        .first()
    )
    if product is None:
        raise CartError(_("This product is not on the menu."))
    if not product_orderable_now(product=product, now=now):
        raise CartError(
            _("%(name)s is not available right now.") % {"name": product.name}
        )
    return product


_NOTES_KEY = "_kiosk_kitchen_notes"


def kitchen_notes_for(product: Product) -> list[KitchenNote]:
    """The notes the customer may tick for this product, in the menu's order:
    the store's offered notes for its category, or for every product (read
    once per product instance, as its modifier groups are)."""
    cached: list[KitchenNote] | None = product.__dict__.get(_NOTES_KEY)
    if cached is None:
        cached = list(
            KitchenNote.objects.filter(store_id=product.store_id, is_active=True)
            .filter(Q(categories__isnull=True) | Q(categories=product.category_id))
            .distinct()
            .order_by("position", "id")
        )
        product.__dict__[_NOTES_KEY] = cached
    return cached


def _resolve_notes(product: Product, note_ids: tuple[int, ...]) -> list[KitchenNote]:
    if not note_ids:
        return []
    offered = kitchen_notes_for(product)
    if len(set(note_ids)) != len(note_ids) or set(note_ids) - {
        note.pk for note in offered
    }:
        raise unknown_choice()
    return [note for note in offered if note.pk in note_ids]


def _quantity_errors(quantity: int) -> dict[str, str]:
    maximum = settings.KIOSK_MAX_LINE_QUANTITY
    if 1 <= quantity <= maximum:
        return {}
    return {"quantity": _("Choose a quantity from 1 to %(max)d.") % {"max": maximum}}


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
    product = _orderable_product(order=order, product_id=selection.product_id, now=now)
    errors = _quantity_errors(selection.quantity)
    service_mode = order.service_mode or ServiceMode.EAT_IN
    root = ResolvedLine(
        kind=LineKind.COMBO if product.is_combo else LineKind.ITEM,
        name=product.name,
        unit_price=(price or 0) if reward_reference else product.price,
        tax_rate=product.tax_rate.rate_for(service_mode),
        product=product,
        reward_reference=reward_reference,
        notes=_resolve_notes(product, selection.note_ids),
    )
    root.children = _resolve_modifiers(
        product=product,
        option_ids=selection.option_ids,
        prefix="",
        tax_rate=root.tax_rate,
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
        raise unknown_choice()
    if strict and errors:
        raise CartError(_("Please check your choices."), errors)
    return root, errors
