from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from pytest_django.asserts import assertContains, assertNotContains

from kiosk.demo.attract import attract_logo_png
from kiosk.models import AttractBrand, AttractSlide


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def slide(menu, position=0, **fields) -> AttractSlide:
    picture = attract_logo_png(primary_colour="#123456", accent_colour="#ABCDEF")
    made = AttractSlide(store=menu.store, position=position, **fields)
    made.image.save(f"slide-{position}.png", ContentFile(picture), save=True)
    return made


def test_the_attract_screen_without_content_keeps_its_look(menu, kiosk_client):
    response = kiosk_client.get("/")

    assertContains(response, 'id="start"')
    assertNotContains(response, "attract-branded")
    assertNotContains(response, "data-attract-slides")


def test_the_attract_screen_shows_the_stores_slides_in_order(menu, kiosk_client, media):
    second = slide(menu, position=2, headline_en="Shakes", headline_fr="Milk-shakes")
    first = slide(menu, position=1, headline_en="Burgers", text_en="Flame-grilled")

    response = kiosk_client.get("/")

    assert response.context["attract"].slides == [first, second]
    assertContains(
        response, f'<figure class="attract-slide" id="attract-slide-{first.pk}">'
    )
    assertContains(
        response,
        f'<figure class="attract-slide" id="attract-slide-{second.pk}" hidden>',
    )
    assertContains(response, "Flame-grilled")
    assertContains(response, 'id="start"')


def test_slide_headlines_follow_the_language(menu, kiosk_client, media):
    slide(menu, headline_en="Shakes", headline_fr="Milk-shakes")

    kiosk_client.post("/language/", {"language": "fr"})
    response = kiosk_client.get("/")

    assertContains(response, "Milk-shakes")


def test_slides_out_of_their_dates_or_inactive_are_not_shown(menu, kiosk_client, media):
    today = menu.store.business_date()
    slide(menu, position=0, headline_en="Past", ends_on=today - datetime.timedelta(1))
    slide(
        menu, position=1, headline_en="Later", starts_on=today + datetime.timedelta(1)
    )
    slide(menu, position=2, headline_en="Off", is_active=False)
    shown = slide(menu, position=3, headline_en="Now", starts_on=today, ends_on=today)

    response = kiosk_client.get("/")

    assert response.context["attract"].slides == [shown]


def test_the_brand_colours_come_as_a_stylesheet(menu, kiosk_client):
    AttractBrand.objects.create(
        store=menu.store, primary_colour="#8B1A0E", accent_colour="#FFC72C"
    )

    page = kiosk_client.get("/")
    stylesheet = kiosk_client.get("/brand.css")

    assertContains(page, '<link rel="stylesheet" href="/brand.css">')
    assertContains(page, 'class="attract attract-branded"')
    assert stylesheet["Content-Type"] == "text/css; charset=utf-8"
    assert stylesheet.content.decode() == (
        ".screen-attract { --attract-primary: #8B1A0E; --attract-accent: #FFC72C; }\n"
    )


def test_a_colour_that_is_not_hex_never_reaches_the_stylesheet(menu, kiosk_client):
    AttractBrand.objects.create(
        store=menu.store, primary_colour="red;}", accent_colour="#FFC72C"
    )

    stylesheet = kiosk_client.get("/brand.css")

    assert stylesheet.content.decode() == (
        ".screen-attract { --attract-accent: #FFC72C; }\n"
    )


@pytest.mark.parametrize("colour", ["red", "#FFF", "#GG0000", "#12345678", "#123456;"])
def test_a_brand_colour_must_be_hex(menu, colour):
    brand = AttractBrand(
        store=menu.store, primary_colour=colour, accent_colour="#000000"
    )

    with pytest.raises(ValidationError) as refused:
        brand.full_clean()

    assert list(refused.value.message_dict) == ["primary_colour"]


def test_a_slide_needs_an_image_or_a_video(menu):
    with pytest.raises(ValidationError) as refused:
        AttractSlide(store=menu.store, headline_en="Nothing").full_clean()

    assert refused.value.messages == [
        "Give the slide an image or a video (one of them)."
    ]


def test_the_admin_refuses_a_colour_that_is_not_hex(admin_client, menu):
    response = admin_client.post(
        "/admin/kiosk/attractbrand/add/",
        {"store": menu.store.pk, "primary_colour": "blue", "accent_colour": "#FFC72C"},
    )

    assertContains(response, "Enter a colour as # and six hexadecimal digits")
    assert not AttractBrand.objects.exists()


def test_the_admin_saves_a_brand(admin_client, menu):
    response = admin_client.post(
        "/admin/kiosk/attractbrand/add/",
        {
            "store": menu.store.pk,
            "primary_colour": "#8B1A0E",
            "accent_colour": "#FFC72C",
        },
    )

    assert response.status_code == 302
    assert AttractBrand.objects.get().primary_colour == "#8B1A0E"


@pytest.mark.parametrize("model", ["attractbrand", "attractslide"])
def test_the_attract_admin_pages_open(admin_client, menu, model):
    assert admin_client.get(f"/admin/kiosk/{model}/").status_code == 200
    assert admin_client.get(f"/admin/kiosk/{model}/add/").status_code == 200
