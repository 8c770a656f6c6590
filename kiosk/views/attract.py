"""The attract screen's brand colours, as a stylesheet of the kiosk's store.

The page's policy forbids inline styles: the colours the operator set in admin
reach the page as CSS custom properties from this same-origin stylesheet.
"""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from kiosk.http import KioskRequest
from kiosk.selectors import attract_brand

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@require_safe
def brand_stylesheet(request: KioskRequest) -> HttpResponse:
    brand = attract_brand(store=request.kiosk.store)
    rules = []
    if brand is not None:
        # Checked again on the way out: only a validated colour reaches CSS.
        for name, value in (
            ("--attract-primary", brand.primary_colour),
            ("--attract-accent", brand.accent_colour),
        ):
            if _HEX_COLOUR.match(value):
                rules.append(f"{name}: {value};")
    body = ".screen-attract { " + " ".join(rules) + " }\n"
    return HttpResponse(body, content_type="text/css; charset=utf-8")
