from __future__ import annotations

from datetime import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from PIL import Image

from kiosk.demo.images import IMAGE_KINDS, product_image_png
from kiosk.demo.loader import DEMO_STORE_SLUGS, demo_load
from kiosk.demo.menus import DEMO_MENUS
from kiosk.models import (
    Category,
    ComboChoice,
    ComboSlot,
    ComboSlotKind,
    Kiosk,
    ModifierGroup,
    ModifierOption,
    Product,
    ProductKind,
    ProductModifierGroup,
    Store,
    TaxRate,
)

ALL_MODELS = (
    Store,
    Kiosk,
    TaxRate,
    Category,
    Product,
    ModifierGroup,
    ModifierOption,
    ProductModifierGroup,
    ComboSlot,
    ComboChoice,
)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


@pytest.mark.django_db
def test_it_creates_both_stores_with_a_full_menu():
    stores = demo_load(with_images=False)

    assert [store.slug for store in stores] == ["brasserie-demo", "burger-demo"]
    assert DEMO_STORE_SLUGS == ("brasserie-demo", "burger-demo")
    for store in stores:
        assert store.categories.count() >= 6
        assert store.products.count() >= 28
        assert store.kiosks.count() == 1


@pytest.mark.django_db
def test_it_loads_only_the_stores_named():
    stores = demo_load(slugs=["burger-demo"], with_images=False)

    assert [store.slug for store in stores] == ["burger-demo"]
    assert list(Store.objects.values_list("slug", flat=True)) == ["burger-demo"]
    assert list(Kiosk.objects.values_list("code", flat=True)) == ["burger-kiosk-1"]
    assert not Product.objects.exclude(store__slug="burger-demo").exists()


@pytest.mark.django_db
def test_loading_the_other_store_later_leaves_the_first_as_it_was():
    demo_load(slugs=["burger-demo"], with_images=False)
    burger = sorted(Product.objects.values_list("pk", "sku"))

    demo_load(slugs=["brasserie-demo"], with_images=False)

    assert (
        sorted(
            Product.objects.filter(store__slug="burger-demo").values_list("pk", "sku")
        )
        == burger
    )
    assert Store.objects.count() == 2


@pytest.mark.django_db
def test_a_store_that_is_not_a_demo_store_is_refused():
    with pytest.raises(ValueError, match="No demo store \\['pizza-demo'\\]"):
        demo_load(slugs=["pizza-demo", "burger-demo"], with_images=False)

    assert not Store.objects.exists()


@pytest.mark.django_db
def test_it_sets_up_the_stores_as_described():
    demo_load(with_images=False)

    brasserie = Store.objects.get(slug="brasserie-demo")
    burger = Store.objects.get(slug="burger-demo")
    assert (brasserie.name, brasserie.default_language) == ("Brasserie Démo", "fr")
    assert (burger.name, burger.default_language) == ("Burger Démo", "en")
    for store in (brasserie, burger):
        assert (store.currency, store.timezone, store.country) == (
            "EUR",
            "Europe/Paris",
            "FR",
        )
        assert sorted(store.languages) == ["en", "fr"]
        assert store.service_modes == ["eat_in", "take_away"]
        assert store.address
    assert Kiosk.objects.get(code="brasserie-borne-1").store == brasserie
    assert Kiosk.objects.get(code="brasserie-borne-1").name == "Borne 1"
    assert Kiosk.objects.get(code="burger-kiosk-1").store == burger
    assert Kiosk.objects.get(code="burger-kiosk-1").name == "Kiosk 1"


@pytest.mark.django_db
def test_it_applies_french_vat():
    demo_load(with_images=False)

    for slug in DEMO_STORE_SLUGS:
        rates = sorted(
            TaxRate.objects.filter(store__slug=slug).values_list(
                "eat_in_rate", "take_away_rate"
            )
        )
        assert rates == [(1000, 550), (1000, 1000), (2000, 2000)]


@pytest.mark.django_db
def test_it_has_the_brasserie_skus_the_loyalty_sandboxes_use():
    demo_load(with_images=False)

    products = Product.objects.filter(store__slug="brasserie-demo")
    kinds = dict(products.values_list("sku", "kind"))
    assert kinds["SKU-ESPRESSO"] == ProductKind.ITEM
    assert kinds["SKU-CAFE-LONG"] == ProductKind.ITEM
    assert kinds["SKU-MENU-CLASSIC"] == ProductKind.COMBO
    assert kinds["SKU-MENU-VEGGIE"] == ProductKind.COMBO
    assert kinds["SKU-COOKIE"] == ProductKind.ITEM
    assert kinds["SKU-BRUNCH-2"] == ProductKind.ITEM
    assert products.get(sku="SKU-MENU-CLASSIC").price == 1250
    assert products.get(sku="SKU-COOKIE").price == 300
    brunch = products.select_related("category").get(sku="SKU-BRUNCH-2")
    assert brunch.category is not None
    assert brunch.category.name_en == "Brunch"
    assert not Product.objects.filter(sku__in=["ZELTY-9912", "SHOP-TOTE"]).exists()


@pytest.mark.django_db
def test_it_has_the_burger_plus_the_loyalty_sandboxes_use():
    demo_load(with_images=False)

    products = Product.objects.filter(store__slug="burger-demo")
    kinds = {
        plu: (name, kind)
        for plu, name, kind in products.values_list("plu", "name_en", "kind")
    }
    assert kinds["4001"] == ("Whopper Meal M", ProductKind.COMBO)
    assert kinds["4002"] == ("Chicken Sandwich Meal", ProductKind.COMBO)
    assert kinds["4003"] == ("Double Cheese Meal", ProductKind.COMBO)
    assert kinds["4101"] == ("Whopper", ProductKind.ITEM)
    assert kinds["4102"] == ("Fries M", ProductKind.ITEM)
    assert kinds["4103"] == ("6 Nuggets", ProductKind.ITEM)
    assert kinds["4201"] == ("Soft Drink M", ProductKind.ITEM)
    assert kinds["4202"] == ("Shake", ProductKind.ITEM)
    assert not Product.objects.filter(plu__in=["9005", "19005"]).exists()
    assert not products.filter(name_en__iregex=r"\b(caps?|merch\w*)\b").exists()


@pytest.mark.django_db
def test_it_gives_every_burger_product_a_unique_four_digit_plu_and_a_sku():
    demo_load(with_images=False)

    products = Product.objects.filter(store__slug="burger-demo")
    plus = list(products.values_list("plu", flat=True))
    assert len(plus) == len(set(plus)) == products.count()
    assert all(len(plu) == 4 and plu.startswith("4") for plu in plus)
    assert all(sku.startswith("BRG-") for sku in products.values_list("sku", flat=True))


@pytest.mark.django_db
def test_it_gives_every_brasserie_product_a_sku():
    demo_load(with_images=False)

    skus = Product.objects.filter(store__slug="brasserie-demo").values_list(
        "sku", flat=True
    )
    assert all(sku.startswith("SKU-") for sku in skus)


def test_menu_skus_are_unique_within_each_store():
    for menu in DEMO_MENUS:
        skus = [product.sku for product in menu.products]
        assert len(skus) == len(set(skus)), menu.slug


@pytest.mark.django_db
def test_loading_twice_creates_no_duplicates():
    demo_load(with_images=False)
    first = row_counts()

    demo_load(with_images=False)

    assert row_counts() == first
    assert first["Store"] == 2
    assert first["Kiosk"] == 2
    assert first["TaxRate"] == 6
    assert first["Product"] == sum(len(menu.products) for menu in DEMO_MENUS)


@pytest.mark.django_db
def test_loading_again_keeps_the_ids():
    demo_load(with_images=False)
    ids = sorted(Product.objects.values_list("pk", "sku"))

    demo_load(with_images=False)

    assert sorted(Product.objects.values_list("pk", "sku")) == ids


@pytest.mark.django_db
def test_every_combo_has_a_main_a_side_and_a_drink_with_one_default_each():
    demo_load(with_images=False)

    combos = Product.objects.filter(kind=ProductKind.COMBO)
    assert combos.filter(store__slug="brasserie-demo").count() >= 2
    assert combos.filter(store__slug="burger-demo").count() >= 3
    for combo in combos:
        slots = {slot.kind: slot for slot in combo.combo_slots.all()}
        for kind in (ComboSlotKind.MAIN, ComboSlotKind.SIDE, ComboSlotKind.DRINK):
            choices = slots[kind].choices.all()
            assert choices.count() >= 2, (combo.sku, kind)
            assert choices.filter(is_default=True).count() == 1, (combo.sku, kind)


@pytest.mark.django_db
def test_combo_choices_are_orderable_items_of_the_same_store():
    demo_load(with_images=False)

    for choice in ComboChoice.objects.select_related("slot__combo", "product"):
        assert choice.product.kind == ProductKind.ITEM
        assert choice.product.store_id == choice.slot.combo.store_id
        if choice.is_default:
            assert choice.product.is_orderable, choice.product.sku


@pytest.mark.django_db
def test_some_combo_choices_cost_extra():
    demo_load(with_images=False)

    large_fries = ComboChoice.objects.get(
        slot__combo__plu="4001", product__sku="BRG-FRIES-L"
    )
    assert large_fries.price == 50
    for slug in DEMO_STORE_SLUGS:
        assert ComboChoice.objects.filter(
            slot__combo__store__slug=slug, price__gt=0
        ).exists()


@pytest.mark.django_db
def test_the_burger_in_a_meal_asks_for_its_cooking():
    demo_load(with_images=False)

    angus = ComboChoice.objects.get(slot__combo__plu="4001", product__plu="4108")
    cooking = angus.product.modifier_groups.get(internal_name="angus-cooking")
    assert (cooking.min_choices, cooking.max_choices) == (1, 1)
    assert not cooking.options.filter(is_default=True).exists()


@pytest.mark.django_db
def test_every_product_tax_rate_belongs_to_its_store():
    demo_load(with_images=False)

    for product in Product.objects.select_related("tax_rate"):
        assert product.tax_rate.store_id == product.store_id, product.sku


@pytest.mark.django_db
def test_every_modifier_group_link_stays_within_the_store():
    demo_load(with_images=False)

    for link in ProductModifierGroup.objects.select_related("product", "group"):
        assert link.group.store_id == link.product.store_id


@pytest.mark.django_db
def test_each_store_offers_the_kinds_of_modifier_groups_described():
    demo_load(with_images=False)

    for slug in DEMO_STORE_SLUGS:
        groups = ModifierGroup.objects.filter(store__slug=slug)
        required_single = groups.filter(min_choices=1, max_choices=1)
        assert required_single.exclude(options__is_default=True).exists()
        assert groups.filter(min_choices=0, max_choices=3).exists()
        assert groups.filter(min_choices=0, max_choices=2).exists()
        assert groups.filter(min_choices=0, max_choices=1).exists()
        assert ModifierOption.objects.filter(group__in=groups, price__gt=0).exists()
        for group in groups:
            assert group.options.count() >= group.max_choices
            assert group.products.exists(), group.internal_name


@pytest.mark.django_db
def test_every_name_and_description_is_filled_in_both_languages():
    demo_load(with_images=False)

    for model in (Category, Product, ModifierGroup, ModifierOption, ComboSlot):
        untranslated = model.objects.filter(Q(name_en="") | Q(name_fr=""))
        assert list(untranslated) == [], model.__name__
    undescribed = Product.objects.filter(Q(description_en="") | Q(description_fr=""))
    assert list(undescribed) == []


@pytest.mark.django_db
def test_only_the_brunch_has_a_time_window():
    demo_load(with_images=False)

    windowed = Category.objects.exclude(available_from=None)
    assert [(c.store.slug, c.name_en) for c in windowed] == [
        ("brasserie-demo", "Brunch")
    ]
    brunch = windowed.get()
    assert (brunch.available_from, brunch.available_until) == (time(9), time(15))
    assert Category.objects.filter(available_until=None).count() == (
        Category.objects.count() - 1
    )


@pytest.mark.django_db
def test_each_store_has_exactly_one_sold_out_product():
    demo_load(with_images=False)

    for slug in DEMO_STORE_SLUGS:
        sold_out = Product.objects.filter(store__slug=slug, is_available=False)
        assert sold_out.count() == 1
        assert sold_out.get().category is not None


@pytest.mark.django_db
def test_some_products_are_sold_only_inside_combos():
    demo_load(with_images=False)

    combo_only = Product.objects.filter(category=None)
    assert combo_only.exists()
    offered = set(ComboChoice.objects.values_list("product_id", flat=True))
    assert set(combo_only.values_list("pk", flat=True)) <= offered


def test_every_menu_product_names_a_known_image_kind():
    kinds = {product.image for menu in DEMO_MENUS for product in menu.products}
    assert kinds <= IMAGE_KINDS


def test_images_are_deterministic_small_and_640_by_480():
    first = product_image_png(kind="burger", seed="burger-demo/BRG-WHOPPER")
    again = product_image_png(kind="burger", seed="burger-demo/BRG-WHOPPER")
    other = product_image_png(kind="burger", seed="burger-demo/BRG-HAMBURGER")

    assert first == again
    assert first != other
    assert len(first) < 40_000
    assert first.startswith(b"\x89PNG")


def test_every_image_kind_draws_a_small_png():
    for kind in sorted(IMAGE_KINDS):
        png = product_image_png(kind=kind, seed="test")
        assert len(png) < 40_000, kind


def test_an_unknown_image_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown image kind"):
        product_image_png(kind="unicorn", seed="x")


@pytest.mark.django_db
def test_with_images_every_product_gets_a_640_by_480_image(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    demo_load(with_images=True)

    products = list(Product.objects.all())
    for product in products:
        assert product.image.name.startswith("products/"), product.sku
        assert default_storage.exists(product.image.name), product.sku
        with (
            default_storage.open(product.image.name) as file,
            Image.open(file) as image,
        ):
            assert image.size == (640, 480)
    files = list((tmp_path / "products").iterdir())
    assert len(files) == len(products)


@pytest.mark.django_db
def test_loading_twice_with_images_writes_no_new_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_load(with_images=True)
    names = sorted(path.name for path in (tmp_path / "products").iterdir())

    demo_load(with_images=True)

    assert sorted(path.name for path in (tmp_path / "products").iterdir()) == names
    assert sorted(Product.objects.values_list("image", flat=True)) == sorted(
        f"products/{name}" for name in names
    )


@pytest.mark.django_db
def test_images_left_by_an_earlier_load_are_reused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_load(with_images=True)
    names = sorted(path.name for path in (tmp_path / "products").iterdir())
    Product.objects.update(image="")

    demo_load(with_images=True)

    assert sorted(path.name for path in (tmp_path / "products").iterdir()) == names
    assert not Product.objects.filter(image="").exists()


@pytest.mark.django_db
def test_a_product_image_set_by_hand_is_kept(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_load(with_images=False)
    path = default_storage.save(
        "products/photo.png",
        ContentFile(product_image_png(kind="coffee", seed="photo")),
    )
    Product.objects.filter(sku="SKU-ESPRESSO").update(image=path)

    demo_load(with_images=True)

    assert Product.objects.get(sku="SKU-ESPRESSO").image.name == path


def test_each_demo_kiosk_gets_a_simulated_terminal_once(db):
    from kiosk.models import KioskTerminal

    demo_load(with_images=False)
    terminal = KioskTerminal.objects.get(kiosk__code="burger-kiosk-1")
    terminal.terminal_id = "changed by the operator"
    terminal.save()

    demo_load(with_images=False)

    assert KioskTerminal.objects.count() == Kiosk.objects.count()
    terminal.refresh_from_db()
    assert (terminal.vendor, terminal.terminal_id) == (
        "simulator",
        "changed by the operator",
    )


@pytest.mark.parametrize("menu", DEMO_MENUS, ids=lambda menu: menu.slug)
def test_every_dish_has_a_description_in_both_languages_and_its_energy(menu):
    missing = [
        product.sku
        for product in menu.products
        if not (product.description_en and product.description_fr)
        or (product.kind == ProductKind.ITEM and product.calories is None)
    ]

    assert missing == []
