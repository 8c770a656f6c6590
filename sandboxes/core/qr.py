"""QR codes drawn as inline SVG, for the emulators' demo pages.

Inline SVG keeps the pages free of JavaScript and of any external resource,
and a phone camera or the kiosk's scanner reads the code off the screen.
"""

from __future__ import annotations

import qrcode  # type: ignore[import-untyped]
import qrcode.image.svg  # type: ignore[import-untyped]


def qr_svg(payload: str) -> str:
    """`payload` as a QR code in one `<svg>` element."""
    image = qrcode.make(
        payload, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2
    )
    return str(image.to_string(encoding="unicode"))
