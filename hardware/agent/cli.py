"""The agent's command line, shared by `python -m hardware.agent` and
`manage.py hardware_agent`.

Nothing here imports Django: on a kiosk device the agent needs no database
and no web framework, and runs in about a third of the memory without them.
"""

from __future__ import annotations

import argparse
import asyncio
import codecs
import logging
import os
import signal
from pathlib import Path

from hardware.agent.runner import Agent, AgentConfig
from hardware.printer.profiles import DEFAULT_PROFILE, PROFILES, printer_profile
from hardware.printer.transport import printer_target
from hardware.scanner.framing import ScanFraming
from hardware.scanner.reader import ScannerConfig

TOKEN_ENVIRONMENT_VARIABLE = "HARDWARE_AGENT_TOKEN"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class ConfigurationError(ValueError):
    pass


def _unescape(value: str) -> str:
    """ "\\t" typed on a command line is a tab."""
    return codecs.decode(value, "unicode_escape")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server",
        default="ws://127.0.0.1:8000/ws/device/",
        help="the web server's device websocket (ws:// or wss://)",
    )
    token = parser.add_mutually_exclusive_group()
    token.add_argument(
        "--token", help=f"the device token (or ${TOKEN_ENVIRONMENT_VARIABLE})"
    )
    token.add_argument(
        "--token-file", type=Path, help="a file holding the device token"
    )
    scanner = parser.add_argument_group("scanner")
    scanner.add_argument("--scanner", help="serial port path or pyserial URL")
    scanner.add_argument("--scanner-baudrate", type=int, default=9600)
    scanner.add_argument(
        "--scanner-prefix", default="", help="configured prefix to strip"
    )
    scanner.add_argument(
        "--scanner-suffix", default="", help="configured suffix to strip"
    )
    scanner.add_argument(
        "--scanner-aim", action="store_true", help="strip AIM identifiers (]E0, ]Q1…)"
    )
    printer = parser.add_argument_group("printer")
    printer.add_argument(
        "--printer",
        help="tcp://host:9100, usb:VID:PID, serial:/dev/…, a serial device or a file",
    )
    printer.add_argument(
        "--printer-profile", default=DEFAULT_PROFILE, choices=sorted(PROFILES)
    )
    printer.add_argument("--printer-baudrate", type=int, default=9600)
    parser.add_argument(
        "--status-interval",
        type=float,
        default=5.0,
        help="seconds between printer status reads when idle",
    )


def _token(options: argparse.Namespace) -> str:
    if options.token_file:
        try:
            return Path(options.token_file).read_text(encoding="utf-8").strip()
        except OSError as err:
            raise ConfigurationError(f"cannot read the token file: {err}") from err
    token = options.token or os.environ.get(TOKEN_ENVIRONMENT_VARIABLE, "")
    if not token:
        raise ConfigurationError(
            f"give the device token: --token-file, --token or ${TOKEN_ENVIRONMENT_VARIABLE}"
        )
    return str(token)


def agent_config(options: argparse.Namespace) -> AgentConfig:
    """Raises ConfigurationError with a message for the person at the keyboard."""
    scanner = None
    if options.scanner:
        scanner = ScannerConfig(
            port=options.scanner,
            baudrate=options.scanner_baudrate,
            framing=ScanFraming(
                prefix=_unescape(options.scanner_prefix),
                suffix=_unescape(options.scanner_suffix),
                strip_aim=options.scanner_aim,
            ),
        )
    try:
        printer = (
            printer_target(options.printer, baudrate=options.printer_baudrate)
            if options.printer
            else None
        )
    except ValueError as err:
        raise ConfigurationError(str(err)) from err
    return AgentConfig(
        server_url=options.server,
        token=_token(options),
        profile=printer_profile(options.printer_profile),
        scanner=scanner,
        printer=printer,
        status_interval=options.status_interval,
    )


def agent_run(config: AgentConfig) -> None:
    """Run the agent until SIGINT or SIGTERM."""

    async def run() -> None:
        agent = Agent(config)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, agent.stop)
        await agent.run()

    asyncio.run(run())


def main(argv: list[str] | None = None) -> None:
    # force: a library may have configured the root logger while importing.
    logging.basicConfig(
        format=LOG_FORMAT,
        level=os.environ.get("KIOSK_LOG_LEVEL", "INFO"),
        force=True,
    )
    parser = argparse.ArgumentParser(
        prog="hardware_agent",
        description="The hardware agent of one kiosk device: scanner and receipt printer.",
    )
    add_arguments(parser)
    options = parser.parse_args(argv)
    try:
        config = agent_config(options)
    except ConfigurationError as err:
        parser.error(str(err))
    agent_run(config)
