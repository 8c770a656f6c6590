"""`GET /_sandbox/`: a page for demos with every user, balance and code.

"New code" does what the app's loyalty code page does: it mints a one-time
code, with the rewards and offers ticked as pre-selections, and shows it
with its QR code, drawn as inline SVG, so the kiosk's scanner can read it
off the screen. The page needs no JavaScript and loads nothing from
anywhere else.
"""

from __future__ import annotations

import html
import json
import sqlite3
from urllib.parse import parse_qsl

from sandboxes.core.qr import qr_svg
from sandboxes.core.server import RequestContext
from sandboxes.core.web import ApiError, SandboxRequest, SandboxResponse, html_response
from sandboxes.rbi.codes import DEFAULT_CODE_TTL_S, code_mint, preselection_parse
from sandboxes.rbi.ledger import points_held, user_find
from sandboxes.rbi.seed import (
    INCENTIVES_BY_SANITY_ID,
    MARKET,
    REWARDS,
    SYSTEMWIDE_OFFERS,
)

Row = sqlite3.Row

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
.users { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; }
.user, .code { border: 1px solid #ccc; border-radius: 8px; padding: 1rem; }
.code { border-color: #d62300; margin-bottom: 1.5rem; }
svg { width: 10rem; height: 10rem; display: block; }
.otp { font-size: 2.5rem; font-weight: bold; letter-spacing: .3rem; }
.points { font-size: 1.5rem; font-weight: bold; }
code { background: #f3f3f3; padding: 0 .2rem; }
fieldset { border: 0; padding: 0; margin: .5rem 0; }
label { display: block; }
"""


def demo_page(context: RequestContext, *, minted: str = "") -> SandboxResponse:
    connection = context.connection
    users = connection.execute("SELECT * FROM users ORDER BY loyalty_id").fetchall()
    cards = "".join(_user_html(connection, user) for user in users)
    title = f"RBI sandbox ({MARKET.brand.upper()} {MARKET.country})"
    return html_response(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{STYLE}</style></head><body>"
        f"<h1>{title}</h1>"
        f"<p>Sandbox clock: {html.escape(context.clock.isoformat())}</p>"
        f'{minted}<div class="users">{cards}</div>'
        f"{_seed_codes_html(connection)}</body></html>"
    )


def demo_code_mint(request: SandboxRequest, context: RequestContext) -> SandboxResponse:
    """The "New code" form: the page again, with the code and its QR on top."""
    fields = parse_qsl(request.body.decode("utf-8", errors="replace"))
    loyalty_id = next((value for name, value in fields if name == "loyaltyId"), "")
    user = user_find(context.connection, loyalty_id)
    if user is None:
        raise ApiError.message(404, "User not found.")
    preselect = preselection_parse(
        [_preselection_entry(value) for name, value in fields if name == "preselect"]
    )
    minted = code_mint(
        context.connection,
        loyalty_id=loyalty_id,
        preselect=preselect,
        ttl_s=DEFAULT_CODE_TTL_S,
        now=context.clock.now(),
    )
    picked = ", ".join(html.escape(next(iter(entry.values()))) for entry in preselect)
    section = (
        f'<section class="code"><h2>New code for {html.escape(user["name"])}</h2>'
        f'{qr_svg(minted.code)}<p class="otp">{minted.code}</p>'
        f"<p>Valid until {html.escape(minted.expires_at)}, once."
        f" Pre-selection: {picked or 'none'}.</p></section>"
    )
    return demo_page(context, minted=section)


def _preselection_entry(value: str) -> dict[str, str]:
    """Checkbox values: a Sanity id, or `engine:` and a personalised offer's id."""
    if value.startswith("engine:"):
        return {"loyaltyEngineId": value.removeprefix("engine:")}
    return {"incentiveId": value}


def _user_html(connection: sqlite3.Connection, user: Row) -> str:
    loyalty_id = str(user["loyalty_id"])
    held = points_held(connection, loyalty_id)
    instances = connection.execute(
        "SELECT * FROM offer_instances WHERE loyalty_id = ? ORDER BY engine_id",
        (loyalty_id,),
    ).fetchall()
    return (
        f'<article class="user"><h2>{html.escape(user["name"])}</h2>'
        f"{qr_svg(loyalty_id)}<p>Loyalty ID <code>{html.escape(loyalty_id)}</code></p>"
        f'<p class="points">{user["points"] - held} points</p>'
        f"<p>Balance {user['points']}, held {held}.</p>"
        f"{_instances_html(instances)}{_code_form(loyalty_id, instances)}</article>"
    )


def _instances_html(instances: list[Row]) -> str:
    if not instances:
        return ""
    items = "".join(
        f"<li><code>{html.escape(row['engine_id'])}</code>"
        f" {html.escape(INCENTIVES_BY_SANITY_ID[row['config_id']].name.en)}:"
        f" {'used' if row['used_by'] else 'available'}</li>"
        for row in instances
    )
    return f"<h3>Personalised offers</h3><ul>{items}</ul>"


def _code_form(loyalty_id: str, instances: list[Row]) -> str:
    choices = [
        (incentive.sanity_id, incentive.name.en)
        for incentive in REWARDS + SYSTEMWIDE_OFFERS
    ]
    choices += [
        (
            f"engine:{row['engine_id']}",
            f"{INCENTIVES_BY_SANITY_ID[row['config_id']].name.en} ({row['engine_id']})",
        )
        for row in instances
        if row["used_by"] is None
    ]
    boxes = "".join(
        f'<label><input type="checkbox" name="preselect" value="{html.escape(value)}">'
        f" {html.escape(label)}</label>"
        for value, label in choices
    )
    return (
        '<form method="post" action="/_sandbox/">'
        f'<input type="hidden" name="loyaltyId" value="{html.escape(loyalty_id)}">'
        f"<fieldset><legend>Pre-select in the app</legend>{boxes}</fieldset>"
        "<button>New code</button></form>"
    )


def _seed_codes_html(connection: sqlite3.Connection) -> str:
    rows = connection.execute(
        "SELECT codes.*, users.name FROM codes JOIN users USING (loyalty_id)"
        " WHERE expires_at IS NULL ORDER BY code"
    ).fetchall()
    items = "".join(
        f"<tr><td><code>{row['code']}</code></td><td>{html.escape(row['name'])}</td>"
        f"<td>{html.escape(_preselection_text(row['preselect']))}</td>"
        f"<td>{'used' if row['used_at'] else 'unused'}</td></tr>"
        for row in rows
    )
    return (
        "<h2>Seed codes (no expiry, restored by reset)</h2><table>"
        "<tr><th>Code</th><th>User</th><th>Pre-selection</th><th>State</th></tr>"
        f"{items}</table>"
    )


def _preselection_text(stored: str) -> str:
    entries = json.loads(stored)
    return (
        ", ".join(str(value) for entry in entries for value in entry.values()) or "none"
    )
