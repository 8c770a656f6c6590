from __future__ import annotations

from kiosk.demo.attract import attract_load
from kiosk.models import AttractBrand, AttractSlide
from tests.factories import StoreFactory


def test_a_demo_store_gets_its_brand_logo_and_slides(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    store = StoreFactory(slug="burger-demo")

    attract_load(store=store, with_images=True)
    attract_load(store=store, with_images=True)

    brand = AttractBrand.objects.get(store=store)
    assert (brand.primary_colour, brand.accent_colour) == ("#8B1A0E", "#FFC72C")
    assert brand.logo.name == "attract/burger-demo-logo.png"
    slides = AttractSlide.objects.filter(store=store)
    assert [s.headline_en for s in slides] == [
        "Flame-grilled menus",
        "Double the fun",
        "Shakes are back",
    ]
    assert sorted(p.name for p in (tmp_path / "attract").iterdir()) == [
        "burger-demo-logo.png",
        "burger-demo-slide-0.png",
        "burger-demo-slide-1.png",
        "burger-demo-slide-2.png",
    ]


def test_without_images_a_demo_store_gets_its_colours_only(db):
    store = StoreFactory(slug="brasserie-demo")

    attract_load(store=store, with_images=False)

    assert AttractBrand.objects.get(store=store).primary_colour == "#1F3A33"
    assert not AttractSlide.objects.exists()
