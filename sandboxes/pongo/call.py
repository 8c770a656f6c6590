"""One authenticated API call, as every Pongo route handler receives it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from sandboxes.core.clock import iso_format
from sandboxes.core.server import RequestContext
from sandboxes.core.web import SandboxRequest
from sandboxes.pongo.auth import Principal


@dataclass(frozen=True)
class ApiCall:
    request: SandboxRequest
    context: RequestContext
    # None on the routes that need no token (the OAuth form and token).
    principal: Principal | None
    params: dict[str, str]

    @property
    def connection(self) -> sqlite3.Connection:
        return self.context.connection

    def require_principal(self) -> Principal:
        assert self.principal is not None, "route declared without authentication"
        return self.principal

    @property
    def merchant(self) -> str:
        return self.require_principal().merchant

    def now(self) -> datetime:
        return self.context.clock.now()

    def now_iso(self) -> str:
        return iso_format(self.now())

    def body(self) -> dict[str, object]:
        """The JSON object body (raises `ApiError` 422 for anything else)."""
        return self.request.json_object()
