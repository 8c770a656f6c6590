"""Template tags for the hardware parts of the kiosk pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.base import Node, NodeList, Parser, Token
from django.template.context import Context

from hardware.selectors import receipt_status_for_order
from kiosk.models import Order

register = template.Library()


@register.inclusion_tag("hardware/partials/_receipt_status.html")
def receipt_status(order: Order) -> dict[str, Any]:
    """What became of the order's paper receipt (confirmation screen)."""
    return {"status": receipt_status_for_order(order), "is_push": False}


@register.inclusion_tag("hardware/partials/_development_controls.html")
def development_controls() -> dict[str, Any]:
    """A field to "scan" a code by hand, when HARDWARE_DEVELOPMENT_CONTROLS is on."""
    return {"is_shown": settings.HARDWARE_DEVELOPMENT_CONTROLS}


class CaptureNode(Node):
    def __init__(self, nodelist: NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: Context) -> str:
        context[self.name] = self.nodelist.render(context).strip()
        return ""


@register.tag
def capture(parser: Parser, token: Token) -> CaptureNode:
    """`{% capture name %}…{% endcapture %}` renders its content once into `name`.

    base.html uses it to read the page's `{% block screen %}` twice (a block
    may appear only once in a template): in #main's class, and in the
    #current-screen field sent with every scan.
    """
    try:
        _tag, name = token.split_contents()
    except ValueError as err:
        raise template.TemplateSyntaxError("capture takes one variable name") from err
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, name)
