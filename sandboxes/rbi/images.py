"""`GET /_sandbox/images/{name}.svg`: the placeholder images of the seed content.

Each name gets its own colour, so two images tell apart on a kiosk screen,
and its words as a label. Generated, never stored: nothing to keep in sync.
"""

from __future__ import annotations

import hashlib
import html
import re

from sandboxes.core.web import SandboxResponse

SVG_TYPE = "image/svg+xml"
IMAGE_NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
WIDTH, HEIGHT = 320, 240


def image_svg(name: str) -> str:
    hue = int.from_bytes(hashlib.sha256(name.encode()).digest()[:2], "big") % 360
    label = html.escape(name.replace("-", " "))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="hsl({hue}, 55%, 40%)"/>'
        f'<text x="{WIDTH // 2}" y="{HEIGHT // 2}" font-family="sans-serif"'
        f' font-size="20" fill="#ffffff" text-anchor="middle">{label}</text></svg>'
    )


def image_response(name: str) -> SandboxResponse | None:
    """The image, or `None` for a name no seed image could have."""
    if IMAGE_NAME_PATTERN.fullmatch(name) is None:
        return None
    return SandboxResponse(200, image_svg(name).encode(), SVG_TYPE)
