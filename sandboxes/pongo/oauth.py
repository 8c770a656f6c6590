"""OAuth in the Pongo emulator: the merchant's consent form, codes and tokens.

The form stands in for Pongo's login page: it lists the sandbox merchants, and
"Authorize" redirects to the partner's `redirect_uri` with a single-use code
that lives ten minutes on the sandbox clock. Tests skip the browser with
`POST /_sandbox/oauth/authorize`.
"""

from __future__ import annotations

import html
import json
import secrets
import sqlite3
from collections.abc import Mapping
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sandboxes.core.clock import iso_format, iso_parse
from sandboxes.core.server import RequestContext
from sandboxes.core.web import (
    ApiError,
    SandboxRequest,
    SandboxResponse,
    html_response,
    json_response,
    redirect_response,
)
from sandboxes.pongo.auth import TOKEN_LIFETIME_S, token_issue
from sandboxes.pongo.call import ApiCall
from sandboxes.pongo.seed import ALL_SCOPES, OAUTH_CLIENTS

CODE_LIFETIME = timedelta(minutes=10)


def oauth_form_show(call: ApiCall) -> SandboxResponse:
    query = call.request.query
    _client_check(query.get("client_id"), query.get("redirect_uri"))
    _scopes_parse(query.get("scope"))
    merchants = call.connection.execute(
        "SELECT public_id, name FROM merchants ORDER BY key DESC"
    ).fetchall()
    return html_response(_form_html(query, merchants))


def oauth_form_submit(call: ApiCall) -> SandboxResponse:
    form = call.request.form()
    code = authorization_code_issue(call.context, form)
    return redirect_response(
        _redirect_target(form["redirect_uri"], code, form.get("state"))
    )


def authorize_control(
    request: SandboxRequest, context: RequestContext
) -> SandboxResponse:
    """`POST /_sandbox/oauth/authorize`: the form's outcome without a browser."""
    data = {
        key: str(value)
        for key, value in request.json_object().items()
        if value is not None
    }
    code = authorization_code_issue(context, data)
    target = _redirect_target(data["redirect_uri"], code, data.get("state"))
    return json_response({"code": code, "redirect_to": target})


def authorization_code_issue(context: RequestContext, data: Mapping[str, str]) -> str:
    """A code for the chosen merchant; raises `ApiError` 400 on a bad request."""
    client_id, redirect_uri = data.get("client_id"), data.get("redirect_uri")
    _client_check(client_id, redirect_uri)
    scopes = _scopes_parse(data.get("scope"))
    merchant = _merchant_find(context.connection, data.get("merchant"))
    code = secrets.token_urlsafe(24)
    context.connection.execute(
        "INSERT INTO oauth_codes VALUES (?, ?, ?, ?, ?, ?, 0)",
        (
            code,
            client_id,
            redirect_uri,
            merchant,
            json.dumps(scopes),
            iso_format(context.clock.now() + CODE_LIFETIME),
        ),
    )
    return code


def oauth_token(call: ApiCall) -> SandboxResponse:
    data = call.request.form() if call.request.is_form() else call.body()
    fields = {key: value for key, value in data.items() if isinstance(value, str)}
    client = OAUTH_CLIENTS.get(fields.get("client_id", ""))
    if client is None or not secrets.compare_digest(
        fields.get("client_secret", ""), client.secret
    ):
        raise ApiError.message(401, "invalid_client")
    grant_type = fields.get("grant_type")
    if grant_type == "client_credentials":
        merchant, scopes = _code_redeem(call, fields)
    elif grant_type == "password":
        merchant, scopes = _password_check(call, fields)
    else:
        raise ApiError.message(400, "unsupported_grant_type")
    user = call.connection.execute(
        "SELECT public_id FROM users WHERE merchant = ? ORDER BY public_id", (merchant,)
    ).fetchone()["public_id"]
    token = token_issue(
        user=user,
        merchant=merchant,
        scopes=scopes,
        now=int(call.context.clock.timestamp()),
    )
    return json_response(
        {"token_type": "Bearer", "access_token": token, "expires_in": TOKEN_LIFETIME_S}
    )


def oauth_me(call: ApiCall) -> SandboxResponse:
    principal = call.require_principal()
    user = call.connection.execute(
        "SELECT * FROM users WHERE public_id = ?", (principal.user,)
    ).fetchone()
    merchant = call.connection.execute(
        "SELECT * FROM merchants WHERE public_id = ?", (principal.merchant,)
    ).fetchone()
    return json_response(
        {
            "data": {
                "user": {
                    "id": user["public_id"],
                    "name": user["name"],
                    "email": user["email"],
                },
                "merchant": {"id": merchant["public_id"], "name": merchant["name"]},
                "scopes": sorted(principal.scopes),
            }
        }
    )


def oauth_test(call: ApiCall) -> SandboxResponse:
    return json_response({"message": "ok"})


def _code_redeem(call: ApiCall, fields: Mapping[str, str]) -> tuple[str, list[str]]:
    """Use up a code of this client; 400 `invalid_grant` if it cannot be used."""
    row = call.connection.execute(
        "SELECT * FROM oauth_codes WHERE code = ?", (fields.get("code", ""),)
    ).fetchone()
    redirect_uri = fields.get("redirect_uri")
    if (
        row is None
        or row["is_used"]
        or iso_parse(row["expires_at"]) <= call.now()
        or row["client_id"] != fields["client_id"]
        or (redirect_uri is not None and redirect_uri != row["redirect_uri"])
    ):
        raise ApiError.message(400, "invalid_grant")
    call.connection.execute(
        "UPDATE oauth_codes SET is_used = 1 WHERE code = ?", (row["code"],)
    )
    return row["merchant"], json.loads(row["scopes"])


def _password_check(call: ApiCall, fields: Mapping[str, str]) -> tuple[str, list[str]]:
    row = call.connection.execute(
        "SELECT * FROM users WHERE email = ?", (fields.get("username", ""),)
    ).fetchone()
    if row is None or not secrets.compare_digest(
        fields.get("password", ""), row["password"]
    ):
        raise ApiError.message(400, "invalid_grant")
    return row["merchant"], _scopes_parse(fields.get("scope")) or list(ALL_SCOPES)


def _client_check(client_id: str | None, redirect_uri: str | None) -> None:
    client = OAUTH_CLIENTS.get(client_id or "")
    if client is None:
        raise ApiError.message(400, "invalid_client")
    parts = urlsplit(redirect_uri or "")
    try:
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError as error:
        raise ApiError.message(400, "invalid_redirect_uri") from error
    if parts.scheme != "http" or parts.hostname not in client.redirect_hosts:
        raise ApiError.message(400, "invalid_redirect_uri")


def _scopes_parse(raw: str | None) -> list[str]:
    scopes = [scope for scope in (raw or "").replace(" ", ",").split(",") if scope]
    if any(scope not in ALL_SCOPES for scope in scopes):
        raise ApiError.message(400, "invalid_scope")
    return scopes


def _merchant_find(connection: sqlite3.Connection, merchant: str | None) -> str:
    """A merchant by public id (`mer_…`) or by its seed key (`FR`, `CH`)."""
    row = connection.execute(
        "SELECT public_id FROM merchants WHERE public_id = ? OR key = ?",
        (merchant or "", (merchant or "").upper()),
    ).fetchone()
    if row is None:
        raise ApiError.message(400, "invalid_merchant")
    return str(row["public_id"])


def _redirect_target(redirect_uri: str, code: str, state: str | None) -> str:
    parts = urlsplit(redirect_uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + [("code", code)]
    if state:
        query.append(("state", state))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _form_html(query: Mapping[str, str], merchants: list[sqlite3.Row]) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(query.get(name, ""))}">'
        for name in ("client_id", "redirect_uri", "state", "scope")
    )
    choices = "".join(
        f'<p><label><input type="radio" name="merchant" value="{html.escape(row["public_id"])}"'
        f"{' checked' if index == 0 else ''}> {html.escape(row['name'])}</label></p>"
        for index, row in enumerate(merchants)
    )
    client = html.escape(query.get("client_id", ""))
    scopes = html.escape(query.get("scope", "") or "none")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Pongo sandbox: connect your account</title></head><body>"
        f"<h1>Connect {client} to Pongo</h1><p>Scopes asked: {scopes}</p>"
        f'<form method="post" action="/v1/oauth/form">{hidden}'
        f"<fieldset><legend>Merchant</legend>{choices}</fieldset>"
        '<button type="submit">Authorize</button></form></body></html>'
    )
