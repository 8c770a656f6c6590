"""factory_boy factories for the kiosk's models."""

from __future__ import annotations

import factory

from kiosk.models import (
    Category,
    ComboChoice,
    ComboSlot,
    Kiosk,
    ModifierGroup,
    ModifierOption,
    Product,
    ProductKind,
    ProductModifierGroup,
    Store,
    TaxRate,
)


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Store {n}")
    slug = factory.Sequence(lambda n: f"store-{n}")
    currency = "EUR"
    timezone = "Europe/Paris"
    default_language = "en"
    languages = ["en", "fr"]
    service_modes = ["eat_in", "take_away"]


class KioskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kiosk

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"Kiosk {n}")
    code = factory.Sequence(lambda n: f"kiosk-{n}")


class TaxRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxRate

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"Food {n}")
    eat_in_rate = 1000
    take_away_rate = 550


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    store = factory.SubFactory(StoreFactory)
    name_en = factory.Sequence(lambda n: f"Category {n}")
    name_fr = factory.Sequence(lambda n: f"Catégorie {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    store = factory.SubFactory(StoreFactory)
    category = factory.SubFactory(
        CategoryFactory, store=factory.SelfAttribute("..store")
    )
    tax_rate = factory.SubFactory(
        TaxRateFactory, store=factory.SelfAttribute("..store")
    )
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    name_en = factory.Sequence(lambda n: f"Product {n}")
    name_fr = factory.Sequence(lambda n: f"Produit {n}")
    price = 500
    kind = ProductKind.ITEM


class ModifierGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModifierGroup

    store = factory.SubFactory(StoreFactory)
    internal_name = factory.Sequence(lambda n: f"group-{n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")
    name_fr = factory.Sequence(lambda n: f"Groupe {n}")
    min_choices = 0
    max_choices = 1


class ModifierOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModifierOption

    group = factory.SubFactory(ModifierGroupFactory)
    name_en = factory.Sequence(lambda n: f"Option {n}")
    name_fr = factory.Sequence(lambda n: f"Option {n}")
    price = 0


class ProductModifierGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductModifierGroup

    product = factory.SubFactory(ProductFactory)
    group = factory.SubFactory(ModifierGroupFactory)


class ComboSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComboSlot

    combo = factory.SubFactory(ProductFactory, kind=ProductKind.COMBO)
    kind = "main"
    name_en = factory.Sequence(lambda n: f"Slot {n}")
    name_fr = factory.Sequence(lambda n: f"Choix {n}")


class ComboChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComboChoice

    slot = factory.SubFactory(ComboSlotFactory)
    product = factory.SubFactory(ProductFactory)
    price = 0
