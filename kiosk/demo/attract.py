"""The demo stores' attract screens: brand colours, a drawn logo and slides.

The slides reuse the dish illustrations of `kiosk.demo.images`; the logo is
drawn with Pillow shapes. Nothing is downloaded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from kiosk.demo.images import product_image_png
from kiosk.models import AttractBrand, AttractSlide, Store

ATTRACT_DIRECTORY = "attract/"
LOGO_SIZE = 320


@dataclass(frozen=True)
class SlideSpec:
    image: str
    headline_en: str
    headline_fr: str
    text_en: str
    text_fr: str


@dataclass(frozen=True)
class AttractSpec:
    primary_colour: str
    accent_colour: str
    slides: tuple[SlideSpec, ...]


DEMO_ATTRACT: dict[str, AttractSpec] = {
    "burger-demo": AttractSpec(
        primary_colour="#8B1A0E",
        accent_colour="#FFC72C",
        slides=(
            SlideSpec(
                "combo",
                "Flame-grilled menus",
                "Menus grillés à la flamme",
                "Burger, fries and a drink: your menu, your way.",
                "Burger, frites et boisson : votre menu, à votre goût.",
            ),
            SlideSpec(
                "double_burger",
                "Double the fun",
                "Deux fois plus de plaisir",
                "Two patties, melted cheese, cooked as you like.",
                "Deux steaks, fromage fondu, cuisson à votre goût.",
            ),
            SlideSpec(
                "shake",
                "Shakes are back",
                "Le retour des milk-shakes",
                "Vanilla, chocolate or strawberry.",
                "Vanille, chocolat ou fraise.",
            ),
        ),
    ),
    "brasserie-demo": AttractSpec(
        primary_colour="#1F3A33",
        accent_colour="#E8C07D",
        slides=(
            SlideSpec(
                "steak",
                "The brasserie classics",
                "Les classiques de la brasserie",
                "Steak, fries and a sauce of your choice.",
                "Steak frites et la sauce de votre choix.",
            ),
            SlideSpec(
                "mussels",
                "Mussels of the season",
                "Les moules de saison",
                "Marinière or cream, with fries.",
                "Marinière ou à la crème, avec des frites.",
            ),
            SlideSpec(
                "coffee",
                "Coffee and dessert",
                "Café gourmand",
                "End on a sweet note.",
                "Finissez sur une note sucrée.",
            ),
        ),
    ),
}


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def attract_logo_png(*, primary_colour: str, accent_colour: str) -> bytes:
    """A round badge in the brand's colours: a ring, a disc and a star of rays."""
    image = Image.new("RGBA", (LOGO_SIZE, LOGO_SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    accent = _hex_to_rgb(accent_colour)
    primary = _hex_to_rgb(primary_colour)
    draw.ellipse((8, 8, LOGO_SIZE - 8, LOGO_SIZE - 8), fill=accent)
    draw.ellipse((40, 40, LOGO_SIZE - 40, LOGO_SIZE - 40), fill=primary)
    centre = LOGO_SIZE // 2
    draw.regular_polygon((centre, centre, 80), n_sides=5, fill=accent)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _stored(name: str, make: bytes | None = None) -> str:
    path = f"{ATTRACT_DIRECTORY}{name}"
    if not default_storage.exists(path) and make is not None:
        path = default_storage.save(path, ContentFile(make))
    return path


def attract_load(*, store: Store, with_images: bool) -> None:
    """The store's brand (always) and its slides (with images only: a slide
    without its picture would show nothing)."""
    spec = DEMO_ATTRACT.get(store.slug)
    if spec is None:
        return
    brand, _created = AttractBrand.objects.update_or_create(
        store=store,
        defaults={
            "primary_colour": spec.primary_colour,
            "accent_colour": spec.accent_colour,
        },
    )
    if not with_images:
        return
    logo_name = f"{store.slug}-logo.png"
    exists = default_storage.exists(f"{ATTRACT_DIRECTORY}{logo_name}")
    logo = (
        None
        if exists
        else attract_logo_png(
            primary_colour=spec.primary_colour, accent_colour=spec.accent_colour
        )
    )
    brand.logo = _stored(logo_name, logo)
    brand.save(update_fields=["logo"])
    for position, slide in enumerate(spec.slides):
        name = f"{store.slug}-slide-{position}.png"
        exists = default_storage.exists(f"{ATTRACT_DIRECTORY}{name}")
        png = None if exists else product_image_png(kind=slide.image, seed=name)
        AttractSlide.objects.update_or_create(
            store=store,
            position=position,
            defaults={
                "image": _stored(name, png),
                "headline_en": slide.headline_en,
                "headline_fr": slide.headline_fr,
                "text_en": slide.text_en,
                "text_fr": slide.text_fr,
                "is_active": True,
            },
        )
