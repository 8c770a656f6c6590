from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from kitchen.models import Screen, Station
from kitchen.services.screens import screen_for_token

LINK = re.compile(
    r"“(?P<screen>[^”]+)”: http://[^/]+/kitchen/screen/(?P<token>[\w-]+)/"
)


@pytest.mark.django_db
def test_the_demo_prints_a_working_link_per_kitchen_screen(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    output = io.StringIO()

    call_command("demo", "--no-serve", stdout=output)

    links = {m["screen"]: m["token"] for m in LINK.finditer(output.getvalue())}
    assert sorted(links) == sorted(str(screen) for screen in Screen.objects.all())
    assert len(links) == 8  # two stations, the expo and the board per store
    for name, token in links.items():
        assert str(screen_for_token(token)) == name
    grill = Station.objects.get(store__slug="burger-demo", name="Grill")
    assert grill.printer is not None
    # The grill's tickets print on the store's own kitchen printer, which the
    # demo drives like a kiosk's: a virtual printer and an agent of its own.
    assert grill.printer.kiosk is None
    assert grill.printer.store == grill.store
    assert str(grill.printer) == "Kitchen printer · Burger Démo"
    assert "Kitchen printer · Burger Démo" in output.getvalue()
    drinks = Station.objects.get(store__slug="burger-demo", name="Drinks")
    assert list(drinks.categories.values_list("name_en", flat=True)) == ["Drinks"]
