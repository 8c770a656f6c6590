"""`python -m hardware.agent`: the hardware agent without Django (see cli.py)."""

from __future__ import annotations

from hardware.agent.cli import main

main()
