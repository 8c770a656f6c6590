"""`GET /_sandbox/`: a page for demos with every customer and their Digital Pass.

Each pass is a QR code of the customer's `public_id`, drawn as inline SVG, so
a phone camera or the kiosk's scanner can read it off the screen. The page
needs no JavaScript and loads nothing from anywhere else.
"""

from __future__ import annotations

import html
import sqlite3
from datetime import datetime

from sandboxes.core.qr import qr_svg
from sandboxes.core.server import RequestContext
from sandboxes.core.web import SandboxRequest, SandboxResponse, html_response
from sandboxes.pongo.records import Row, customer_json, customer_reward_json

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
.customers { display: grid; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); gap: 1rem; }
.customer { border: 1px solid #ccc; border-radius: 8px; padding: 1rem; }
.customer svg { width: 10rem; height: 10rem; display: block; }
.points { font-size: 1.5rem; font-weight: bold; }
code { background: #f3f3f3; padding: 0 .2rem; }
"""


def demo_page(request: SandboxRequest, context: RequestContext) -> SandboxResponse:
    connection = context.connection
    merchants = connection.execute(
        "SELECT * FROM merchants ORDER BY key DESC"
    ).fetchall()
    sections = "".join(
        _merchant_html(connection, row, context.clock.now()) for row in merchants
    )
    return html_response(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Pongo sandbox</title><style>{STYLE}</style></head><body>"
        f"<h1>Pongo sandbox</h1><p>Sandbox clock: {html.escape(context.clock.isoformat())}</p>"
        f"{sections}</body></html>"
    )


def _merchant_html(connection: sqlite3.Connection, merchant: Row, now: datetime) -> str:
    customers = connection.execute(
        "SELECT * FROM customers WHERE merchant = ? ORDER BY public_id",
        (merchant["public_id"],),
    ).fetchall()
    cards = "".join(_customer_html(connection, row, now) for row in customers)
    title = html.escape(f"{merchant['name']} ({merchant['currency']})")
    return f'<section><h2>{title}</h2><div class="customers">{cards}</div></section>'


def _customer_html(connection: sqlite3.Connection, row: Row, now: datetime) -> str:
    customer = customer_json(connection, row)
    name = " ".join(
        str(part) for part in (customer["first_name"], customer["last_name"]) if part
    )
    owned = connection.execute(
        "SELECT * FROM customer_rewards WHERE customer = ? ORDER BY bought_at, id",
        (row["public_id"],),
    ).fetchall()
    rewards = "".join(
        _owned_reward_html(customer_reward_json(connection, item, now))
        for item in owned
    )
    tags = ", ".join(str(tag) for tag in row_tags(customer)) or "none"
    return (
        f'<article class="customer"><h3>{html.escape(name)}</h3>'
        f"{qr_svg(str(customer['public_id']))}"
        f"<p><code>{html.escape(str(customer['public_id']))}</code></p>"
        f"<p>Phone <code>{html.escape(str(customer['phone']))}</code></p>"
        f'<p class="points">{customer["points"]} points</p>'
        f"<p>Opt-ins: SMS {_yes_no(customer['has_optin_sms'])},"
        f" e-mail {_yes_no(customer['has_optin_email'])}."
        f" Tags: {html.escape(tags)}. PIN: {_yes_no(customer['has_pin'])}.</p>"
        f"<h4>Owned rewards</h4><ul>{rewards or '<li>none</li>'}</ul></article>"
    )


def _owned_reward_html(owned: dict[str, object]) -> str:
    reward = owned["reward"]
    assert isinstance(reward, dict)
    details = [f"<code>{html.escape(str(owned['id']))}</code>"]
    if owned["coupon_code"]:
        details.append(f"coupon <code>{html.escape(str(owned['coupon_code']))}</code>")
    details.append("used" if owned["used"] else "unused")
    if owned["locked_until"]:
        details.append(f"locked until {html.escape(str(owned['locked_until']))}")
    return f"<li>{html.escape(str(reward['name']))}: {', '.join(details)}</li>"


def row_tags(customer: dict[str, object]) -> list[object]:
    tags = customer["tags"]
    return list(tags) if isinstance(tags, list) else []


def _yes_no(value: object) -> str:
    return "yes" if value else "no"
