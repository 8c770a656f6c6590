"""One loyalty API call, as every RBI route handler receives it."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sandboxes.core.clock import iso_format
from sandboxes.core.server import RequestContext
from sandboxes.core.web import SandboxRequest
from sandboxes.rbi.errors import invalid_fields
from sandboxes.rbi.seed import MARKET

MARKET_ZONE = ZoneInfo(MARKET.timezone)


@dataclass(frozen=True)
class RbiCall:
    request: SandboxRequest
    context: RequestContext
    params: dict[str, str]

    @property
    def connection(self) -> sqlite3.Connection:
        return self.context.connection

    def now(self) -> datetime:
        return self.context.clock.now()

    def now_iso(self) -> str:
        return iso_format(self.now())

    def market_now(self) -> datetime:
        """The sandbox clock in the market's time zone (day and date rules)."""
        return self.now().astimezone(MARKET_ZONE)

    def body(self) -> dict[str, object]:
        """The JSON object body; `{}` when empty, 400 for anything else."""
        if not self.request.body.strip():
            return {}
        try:
            data = json.loads(self.request.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise invalid_fields(["body"], "The body must be valid JSON") from error
        if not isinstance(data, dict):
            raise invalid_fields(["body"], "The body must be a JSON object")
        return data

    def setting_int(self, name: str) -> int:
        value = self.context.setting(name)
        assert isinstance(value, int), name
        return value

    def setting_text(self, name: str) -> str:
        return str(self.context.setting(name))
