"""Loads the demo stores into the database, creating or updating their rows.

Every row is found by a natural key (store slug, kiosk code, product SKU...)
before it is written, so loading again refreshes the demo instead of
duplicating it, and leaves the ids, orders and kiosks bound to them intact.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction

from kiosk.demo.attract import attract_load
from kiosk.demo.images import product_image_png
from kiosk.demo.menus import (
    DEMO_MENUS,
    CategorySpec,
    KitchenNoteSpec,
    ModifierGroupSpec,
    ProductSpec,
    SlotSpec,
    StoreMenu,
    TaxRateSpec,
    UpsellSpec,
)
from kiosk.models import (
    Category,
    ComboChoice,
    ComboSlot,
    Kiosk,
    KioskTerminal,
    KitchenNote,
    ModifierGroup,
    ModifierOption,
    Product,
    ProductModifierGroup,
    Store,
    TaxRate,
    TerminalVendor,
    UpsellRule,
)

DEMO_STORE_SLUGS = tuple(menu.slug for menu in DEMO_MENUS)

# Where Product.image uploads to; generated images are looked for there first.
PRODUCT_IMAGE_DIRECTORY = "products/"

ModelT = TypeVar("ModelT", bound=models.Model)


def demo_load(
    *, slugs: Collection[str] = DEMO_STORE_SLUGS, with_images: bool = True
) -> list[Store]:
    """Create or update the demo stores named by `slugs` (all of them by default),
    their kiosks and their menus.

    A test loads only the store it uses. Without images the load is much
    faster, which suits tests; products keep whatever image they already
    have either way.
    """
    unknown = set(slugs) - set(DEMO_STORE_SLUGS)
    if unknown:
        raise ValueError(f"No demo store {sorted(unknown)}: {list(DEMO_STORE_SLUGS)}")
    with transaction.atomic():
        return [
            _load_store(menu, with_images=with_images)
            for menu in DEMO_MENUS
            if menu.slug in slugs
        ]


def _upsert(
    model: type[ModelT], lookup: Mapping[str, Any], values: Mapping[str, Any]
) -> ModelT:
    """The row matching `lookup`, created if missing, with `values` written.

    Field values and `clean()` are checked like the admin would, so a mistake
    in the demo data fails loudly here rather than on a kiosk screen. Related
    rows were just saved by this loader and uniqueness is the lookup itself,
    so those checks (one query each) are left to the database.
    """
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup)
    for field, value in values.items():
        setattr(instance, field, value)
    relations = [
        name
        for name, value in {**lookup, **values}.items()
        if isinstance(value, models.Model)
    ]
    instance.full_clean(
        exclude=relations, validate_unique=False, validate_constraints=False
    )
    instance.save()
    return instance


def _load_store(menu: StoreMenu, *, with_images: bool) -> Store:
    store = _upsert(
        Store,
        {"slug": menu.slug},
        {
            "name": menu.name,
            "currency": menu.currency,
            "timezone": menu.timezone,
            "country": menu.country,
            "default_language": menu.default_language,
            "languages": list(menu.languages),
            "service_modes": list(menu.service_modes),
            "address": menu.address,
        },
    )
    for kiosk in menu.kiosks:
        row = _upsert(
            Kiosk,
            {"code": kiosk.code},
            {
                "store": store,
                "name": kiosk.name,
                "terminal_location_en": kiosk.terminal_location_en,
                "terminal_location_fr": kiosk.terminal_location_fr,
            },
        )
        # A simulated terminal of its own, so refunds and reconciliation show;
        # a terminal the operator set up since is left as it is.
        KioskTerminal.objects.get_or_create(
            kiosk=row,
            defaults={"vendor": TerminalVendor.SIMULATOR, "terminal_id": kiosk.code},
        )
    _load_menu(store, menu, with_images=with_images)
    attract_load(store=store, with_images=with_images)
    return store


def _load_menu(store: Store, menu: StoreMenu, *, with_images: bool) -> None:
    tax_rates = _load_tax_rates(store, menu.tax_rates)
    categories = _load_categories(store, menu.categories)
    groups = _load_modifier_groups(store, menu.modifier_groups)
    products: dict[str, Product] = {}
    for position, spec in enumerate(menu.products):
        products[spec.sku] = _load_product(
            store,
            spec,
            position=position,
            tax_rate=tax_rates[spec.tax_rate],
            category=categories[spec.category] if spec.category else None,
        )
        _link_modifier_groups(products[spec.sku], spec, groups)
        if with_images:
            _ensure_image(products[spec.sku], spec, store_slug=store.slug)
    # Combos come last: their slots may offer products listed after them.
    for spec in menu.products:
        for position, slot in enumerate(spec.slots):
            _load_combo_slot(products[spec.sku], slot, position, products)
    _load_upsells(store, menu.upsells, categories, products)
    _load_kitchen_notes(store, menu.kitchen_notes, categories)


def _load_kitchen_notes(
    store: Store,
    specs: tuple[KitchenNoteSpec, ...],
    categories: Mapping[str, Category],
) -> None:
    for position, spec in enumerate(specs):
        note = _upsert(
            KitchenNote,
            {"store": store, "name_en": spec.name_en},
            {"name_fr": spec.name_fr, "position": position, "is_active": True},
        )
        note.categories.set([categories[name] for name in spec.categories])


def _load_tax_rates(store: Store, specs: tuple[TaxRateSpec, ...]) -> dict[str, TaxRate]:
    return {
        spec.name: _upsert(
            TaxRate,
            {"store": store, "name": spec.name},
            {"eat_in_rate": spec.eat_in_rate, "take_away_rate": spec.take_away_rate},
        )
        for spec in specs
    }


def _load_categories(
    store: Store, specs: tuple[CategorySpec, ...]
) -> dict[str, Category]:
    return {
        spec.name_en: _upsert(
            Category,
            {"store": store, "name_en": spec.name_en},
            {
                "name_fr": spec.name_fr,
                "position": position,
                "is_active": True,
                "available_from": spec.available_from,
                "available_until": spec.available_until,
            },
        )
        for position, spec in enumerate(specs)
    }


def _load_modifier_groups(
    store: Store, specs: tuple[ModifierGroupSpec, ...]
) -> dict[str, ModifierGroup]:
    groups = {}
    for spec in specs:
        group = _upsert(
            ModifierGroup,
            {"store": store, "internal_name": spec.internal_name},
            {
                "name_en": spec.name_en,
                "name_fr": spec.name_fr,
                "min_choices": spec.min_choices,
                "max_choices": spec.max_choices,
            },
        )
        for position, option in enumerate(spec.options):
            _upsert(
                ModifierOption,
                {"group": group, "name_en": option.name_en},
                {
                    "name_fr": option.name_fr,
                    "price": option.price,
                    "position": position,
                    "is_default": option.is_default,
                    "is_available": True,
                },
            )
        groups[spec.internal_name] = group
    return groups


def _load_product(
    store: Store,
    spec: ProductSpec,
    *,
    position: int,
    tax_rate: TaxRate,
    category: Category | None,
) -> Product:
    return _upsert(
        Product,
        {"store": store, "sku": spec.sku},
        {
            "category": category,
            "kind": spec.kind,
            "plu": spec.plu,
            "name_en": spec.name_en,
            "name_fr": spec.name_fr,
            "description_en": spec.description_en,
            "description_fr": spec.description_fr,
            "price": spec.price,
            "tax_rate": tax_rate,
            "allergens": list(spec.allergens),
            "calories": spec.calories,
            "position": position,
            "is_active": True,
            "is_available": spec.is_available,
        },
    )


def _link_modifier_groups(
    product: Product, spec: ProductSpec, groups: Mapping[str, ModifierGroup]
) -> None:
    for position, internal_name in enumerate(spec.modifier_groups):
        _upsert(
            ProductModifierGroup,
            {"product": product, "group": groups[internal_name]},
            {"position": position},
        )


def _load_combo_slot(
    combo: Product, spec: SlotSpec, position: int, products: Mapping[str, Product]
) -> None:
    slot = _upsert(
        ComboSlot,
        {"combo": combo, "kind": spec.kind},
        {"name_en": spec.name_en, "name_fr": spec.name_fr, "position": position},
    )
    for choice_position, choice in enumerate(spec.choices):
        _upsert(
            ComboChoice,
            {"slot": slot, "product": products[choice.sku]},
            {
                "price": choice.price,
                "position": choice_position,
                "is_default": choice.is_default,
            },
        )


def _ensure_image(product: Product, spec: ProductSpec, *, store_slug: str) -> None:
    """Give the product a generated picture unless it already has one.

    A file left by an earlier load (the same name in the same storage) is
    reused rather than written again, so repeated loads do not pile up copies.
    """
    if product.image and product.image.storage.exists(product.image.name):
        return
    filename = f"{store_slug}-{spec.sku}.png"
    existing = f"{PRODUCT_IMAGE_DIRECTORY}{filename}"
    if default_storage.exists(existing):
        product.image = existing
    else:
        png = product_image_png(kind=spec.image, seed=f"{store_slug}/{spec.sku}")
        product.image.save(filename, ContentFile(png), save=False)
    product.save(update_fields=["image"])


def _load_upsells(
    store: Store,
    specs: tuple[UpsellSpec, ...],
    categories: Mapping[str, Category],
    products: Mapping[str, Product],
) -> None:
    for spec in specs:
        rule = _upsert(
            UpsellRule,
            {"store": store, "name": spec.name},
            {
                "kind": spec.kind,
                "trigger": spec.trigger,
                "title_en": spec.title_en,
                "title_fr": spec.title_fr,
                "priority": spec.priority,
                "is_active": True,
            },
        )
        rule.trigger_categories.set(
            categories[name] for name in spec.trigger_categories
        )
        rule.trigger_products.set(products[sku] for sku in spec.trigger_skus)
        rule.offered_products.set(products[sku] for sku in spec.offered_skus)
