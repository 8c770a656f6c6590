"""Sending Terminal API messages: to Adyen's cloud, or to the terminal itself.

Cloud: `POST /sync` (the answer in the HTTP response) and `/async` ("ok",
the result later) with the `X-API-Key` header. Local: `POST /nexo` on the
terminal, every message encrypted with the shared key (`crypto`). Every call
is bounded by a connect and a read timeout; what cannot be read is
`TerminalUnavailable` (the outcome is unknown), what is refused is
`TerminalRejected`.
"""

from __future__ import annotations

import json
import logging
import ssl
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from kiosk.payments.adyen import messages
from kiosk.payments.adyen.certificate import TerminalContext, terminal_context
from kiosk.payments.adyen.crypto import (
    NexoCryptoError,
    SharedKey,
    nexo_decrypt,
    nexo_encrypt,
)
from kiosk.payments.base import (
    TerminalConfig,
    TerminalEnvironment,
    TerminalRejected,
    TerminalUnavailable,
)

logger = logging.getLogger(__name__)

CLOUD_URLS = {
    TerminalEnvironment.TEST: "https://terminal-api-test.adyen.com",
    TerminalEnvironment.LIVE: "https://terminal-api-live.adyen.com",
}
CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 10.0
MAX_READ_TIMEOUT_S = 60.0
USER_AGENT = "kiosk-adyen-terminal/1"


@dataclass(frozen=True)
class Transport:
    """One terminal's way to Adyen: cloud or local, with its credentials."""

    config: TerminalConfig

    @property
    def is_local(self) -> bool:
        return self.config.options.get("communication", "cloud") == "local"

    @property
    def read_timeout_s(self) -> float:
        try:
            value = float(self.config.options.get("timeout_seconds", READ_TIMEOUT_S))
        except ValueError:
            return READ_TIMEOUT_S
        return value if 0 < value <= MAX_READ_TIMEOUT_S else READ_TIMEOUT_S

    def _base_url(self) -> str:
        if self.config.endpoint:
            return self.config.endpoint.rstrip("/")
        if self.is_local:
            raise TerminalRejected("a local terminal needs its address (endpoint)")
        return CLOUD_URLS[self.config.environment]

    def _shared_key(self) -> SharedKey:
        credentials = self.config.credentials
        try:
            return SharedKey(
                identifier=credentials["key_identifier"],
                passphrase=credentials["key_passphrase"],
                version=int(credentials.get("key_version", "1")),
            )
        except (KeyError, ValueError) as err:
            raise TerminalRejected("the terminal's shared key is not set up") from err

    def send_async(self, message: messages.Message) -> None:
        """Cloud only: Adyen passes the request on and answers "ok"."""
        response = self._post("/async", messages.encode(message), self.read_timeout_s)
        if response.text.strip() != "ok":
            raise TerminalUnavailable("Adyen did not take the request")

    def send(
        self, message: messages.Message, *, read_timeout_s: float | None = None
    ) -> messages.Message:
        """A request answered in the HTTP response (cloud `/sync`, local `/nexo`)."""
        answer = messages.decode(self._send(message, read_timeout_s))
        self._refusal_check(answer)
        if not self.is_local:
            return answer
        try:
            return messages.decode(nexo_decrypt(answer, key=self._shared_key()))
        except NexoCryptoError as err:
            raise TerminalUnavailable("the terminal's answer does not verify") from err

    def send_unanswered(self, message: messages.Message) -> None:
        """A request the terminal takes without answering it (an abort)."""
        raw = self._send(message, None)
        try:
            self._refusal_check(messages.decode(raw))
        except TerminalUnavailable:
            return

    def _send(self, message: messages.Message, read_timeout_s: float | None) -> bytes:
        timeout = read_timeout_s or self.read_timeout_s
        body = messages.encode(message)
        if not self.is_local:
            return self._post("/sync", body, timeout).content
        encrypted = json.dumps(nexo_encrypt(body, key=self._shared_key())).encode()
        return self._post("/nexo", encrypted, timeout).content

    def _refusal_check(self, answer: messages.Message) -> None:
        refused = messages.rejection(answer)
        if refused is not None:
            raise TerminalRejected(f"the terminal refused the message: {refused}")

    def _session(self, url: str) -> requests.Session:
        """Cloud, or a local terminal on plain HTTP (an emulator): the usual
        checks. A local terminal on HTTPS: Adyen's terminal root and the
        terminal's own name (`certificate`)."""
        session = requests.Session()
        session.trust_env = False
        if self.is_local and url.startswith("https://"):
            root = str(self.config.options.get("root_certificate", ""))
            if not root:
                raise TerminalRejected(
                    "a local terminal needs Adyen's terminal root certificate "
                    "(option root_certificate)"
                )
            try:
                context = terminal_context(
                    root_certificate=root,
                    poiid=self.config.terminal_id,
                    environment=self.config.environment,
                )
            except (OSError, ssl.SSLError) as err:
                raise TerminalRejected(
                    f"Adyen's terminal root certificate cannot be read: {root}"
                ) from err
            session.mount("https://", _TerminalAdapter(context))
        return session

    def _post(self, path: str, body: bytes, read_timeout_s: float) -> requests.Response:
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
        if not self.is_local:
            headers["X-API-Key"] = self.config.credentials.get("api_key", "")
        url = self._base_url() + path
        try:
            with self._session(url) as session:
                response = session.post(
                    url,
                    data=body,
                    headers=headers,
                    timeout=(CONNECT_TIMEOUT_S, read_timeout_s),
                    allow_redirects=False,
                )
        except requests.exceptions.SSLError as err:
            # Refused at the handshake: nothing of the message was sent.
            raise TerminalRejected(
                "the terminal's certificate is not this Adyen terminal's"
            ) from err
        except requests.RequestException as err:
            raise TerminalUnavailable("the terminal cannot be reached") from err
        if response.status_code in (401, 403):
            raise TerminalRejected("Adyen refused the terminal's credentials")
        if response.status_code != 200:
            logger.warning(
                "adyen terminal answered an error",
                extra={"status": response.status_code, "path": path},
            )
            raise TerminalUnavailable(f"the terminal answered {response.status_code}")
        return response


class _TerminalAdapter(HTTPAdapter):
    """HTTPS with a terminal's TLS context; urllib3's host-name match is off,
    the context checks the terminal's name instead."""

    def __init__(self, context: TerminalContext) -> None:
        self._context = context
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        kwargs["assert_hostname"] = False
        super().init_poolmanager(*args, **kwargs)
