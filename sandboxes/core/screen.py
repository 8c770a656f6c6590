"""A card terminal's screen, as the terminal sandboxes show it: the device, the
amount, what it says, and a button for each thing its customer can do (a form
posted to the sandbox's action route). It reloads itself every 2 seconds."""

from __future__ import annotations

import html
from collections.abc import Mapping

from sandboxes.core.web import ApiError, SandboxRequest


def terminal_action_name(request: SandboxRequest, actions: Mapping[str, str]) -> str:
    """The action a control request asks of a terminal (the screen's form, or
    JSON `{"action": ...}`); a 400 for one the terminal does not know."""
    name = (
        request.form().get("action")
        if request.is_form()
        else request.json_object().get("action")
    )
    if not isinstance(name, str) or name not in actions:
        raise ApiError.invalid(
            "action", f"The action must be one of {', '.join(actions)}."
        )
    return name


def terminal_screen_html(
    *,
    title: str,
    device_id: str,
    amount: str,
    message: str,
    actions: Mapping[str, str],
) -> str:
    target = html.escape(f"/_sandbox/terminal/{device_id}/action")
    buttons = "\n".join(
        f'<button name="action" value="{html.escape(name)}">{html.escape(label)}</button>'
        for name, label in actions.items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="2">
<title>{html.escape(title)} {html.escape(device_id)}</title></head>
<body>
<main>
<p class="terminal-id">{html.escape(device_id)}</p>
<p class="amount">{html.escape(amount)}</p>
<p class="message">{html.escape(message)}</p>
<form method="post" action="{target}">
{buttons}
</form>
</main>
</body></html>
"""
