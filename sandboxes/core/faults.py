"""Fault injection shared by every sandbox: the knobs and rules of the contract.

The server asks `FaultInjector.plan` once per API request, before touching the
database, and gets back what to do: process normally, answer an error without
processing, hang, drop the connection, or process and then lie about it.
Decisions that depend on chance draw from one RNG seeded with `seed`, so a
run with `error_rate` repeats exactly when the requests arrive in the same
order.
"""

from __future__ import annotations

import enum
import math
import random
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sandboxes.core.clock import SandboxClock

RATE_LIMIT_WINDOW_S = 60.0


class FaultAction(enum.StrEnum):
    STATUS = "status"
    DELAY = "delay"
    TIMEOUT = "timeout"
    DROP = "drop"
    COMMIT_THEN_STATUS = "commit_then_status"
    COMMIT_THEN_DROP = "commit_then_drop"
    # Answer `status` (200 by default) with `body`, unprocessed: a programme
    # answering nonsense, or a shape the kiosk does not expect.
    ANSWER = "answer"
    # Global knobs, reported in the request log like rule actions.
    DOWN = "down"


ACTIONS_WITH_STATUS = {FaultAction.STATUS, FaultAction.COMMIT_THEN_STATUS}
RULE_ACTIONS = set(FaultAction) - {FaultAction.DOWN}


class KnobError(Exception):
    """Invalid knobs; `errors` maps each knob to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class FaultRule:
    action: FaultAction
    path: str = "*"
    method: str | None = None
    times: int | None = None
    status: int | None = None
    ms: int = 0
    hang_s: float = 0.0
    body: object = None

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method:
            return False
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path

    def to_json(self) -> dict[str, object]:
        return {
            "action": self.action.value,
            "method": self.method,
            "path": self.path,
            "times": self.times,
            "status": self.status,
            "ms": self.ms,
            "hang_s": self.hang_s,
            "body": self.body,
        }


@dataclass(frozen=True)
class Setting:
    """An emulator's tunable value that is not on or off: seconds, or a choice.

    The start-up value and what it may become travel together, so the control
    API validates a change without knowing which emulator declared it.
    """

    value: int | str
    choices: tuple[str, ...] = ()
    minimum: int = 0
    maximum: int = 10**9

    def with_value(self, value: object) -> Setting:
        """This setting with `value`; raises `ValueError` when it is not allowed."""
        if isinstance(self.value, int):
            number = _integer(value, self.minimum, self.maximum)
            assert number is not None
            return replace(self, value=number)
        if not isinstance(value, str) or value not in self.choices:
            raise ValueError(f"Must be one of {', '.join(self.choices)}.")
        return replace(self, value=value)


@dataclass
class FaultKnobs:
    latency_ms: int = 0
    jitter_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 503
    force_status: int | None = None
    down: bool = False
    rules: list[FaultRule] = field(default_factory=list)
    rate_limit_per_min: int | None = None
    seed: int = 0
    switches: dict[str, bool] = field(default_factory=dict)
    settings: dict[str, Setting] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "latency_ms": self.latency_ms,
            "jitter_ms": self.jitter_ms,
            "error_rate": self.error_rate,
            "error_status": self.error_status,
            "force_status": self.force_status,
            "down": self.down,
            "rules": [rule.to_json() for rule in self.rules],
            "rate_limit_per_min": self.rate_limit_per_min,
            "seed": self.seed,
            **self.switches,
            **{name: setting.value for name, setting in self.settings.items()},
        }


@dataclass(frozen=True)
class FaultPlan:
    """What to do with one API request."""

    action: FaultAction | None = None
    status: int | None = None
    delay_s: float = 0.0
    hang_s: float = 0.0
    retry_after: int | None = None
    reason: str | None = None  # shown in the request log
    body: object = None  # ANSWER: the JSON to send

    @property
    def is_processed(self) -> bool:
        return self.action in (
            None,
            FaultAction.COMMIT_THEN_STATUS,
            FaultAction.COMMIT_THEN_DROP,
        )


class FaultInjector:
    def __init__(self, baseline: FaultKnobs, clock: SandboxClock) -> None:
        self._baseline = baseline
        self._clock = clock
        self._lock = threading.Lock()
        self._knobs = _copy(baseline)
        self._random = random.Random(baseline.seed)
        self._hits: dict[str, deque[float]] = {}

    def knobs(self) -> FaultKnobs:
        with self._lock:
            return _copy(self._knobs)

    def switch(self, name: str) -> bool:
        """A switch the emulator declared (KeyError for any other name)."""
        with self._lock:
            return self._knobs.switches[name]

    def is_on(self, name: str) -> bool:
        """Whether a switch is on; false for switches this emulator lacks."""
        with self._lock:
            return self._knobs.switches.get(name, False)

    def setting(self, name: str) -> int | str:
        """A setting the emulator declared (KeyError for any other name)."""
        with self._lock:
            return self._knobs.settings[name].value

    def replace(self, knobs: FaultKnobs) -> None:
        with self._lock:
            self._knobs = _copy(knobs)
            self._random = random.Random(knobs.seed)
            self._hits.clear()

    def clear(self) -> None:
        """Back to the knobs the process was started with."""
        self.replace(self._baseline)

    def parse(self, data: Mapping[str, object]) -> FaultKnobs:
        """Knobs from a control request: given keys replace the start-up values."""
        return knobs_parse(data, baseline=self._baseline)

    def plan(self, *, method: str, path: str, client_key: str) -> FaultPlan:
        with self._lock:
            delay_s, plan = self._rules_plan(method, path)
            if plan is None:
                plan = self._global_plan(client_key)
            knobs = self._knobs
            if plan.action not in (FaultAction.DROP, FaultAction.DOWN):
                delay_s += knobs.latency_ms / 1000
                if knobs.jitter_ms:
                    delay_s += self._random.uniform(0, knobs.jitter_ms) / 1000
            return replace(plan, delay_s=delay_s)

    def _rules_plan(self, method: str, path: str) -> tuple[float, FaultPlan | None]:
        """The first matching rule, used up; a `delay` rule lets the knobs run."""
        rules = self._knobs.rules
        for index, rule in enumerate(rules):
            if not rule.matches(method, path):
                continue
            if rule.times is not None:
                rule.times -= 1
                if rule.times <= 0:
                    del rules[index]
            if rule.action is FaultAction.DELAY:
                return rule.ms / 1000, None
            return 0.0, FaultPlan(
                action=rule.action,
                status=200
                if rule.action is FaultAction.ANSWER and rule.status is None
                else rule.status,
                hang_s=rule.hang_s,
                body=rule.body,
                retry_after=1 if rule.status == 429 else None,
                reason=f"rule:{rule.action.value}",
            )
        return 0.0, None

    def _global_plan(self, client_key: str) -> FaultPlan:
        knobs = self._knobs
        if knobs.down:
            return FaultPlan(action=FaultAction.DOWN, reason="down")
        if knobs.force_status is not None:
            return _status_plan(knobs.force_status, "force_status")
        retry_after = self._rate_limit_retry_after(client_key)
        if retry_after is not None:
            return FaultPlan(
                FaultAction.STATUS, 429, retry_after=retry_after, reason="rate_limit"
            )
        if knobs.error_rate > 0 and self._random.random() < knobs.error_rate:
            return _status_plan(knobs.error_status, "error_rate")
        return FaultPlan()

    def _rate_limit_retry_after(self, client_key: str) -> int | None:
        """Seconds to wait when this client spent its budget, else count the hit."""
        limit = self._knobs.rate_limit_per_min
        if limit is None:
            return None
        now = self._clock.timestamp()
        hits = self._hits.setdefault(client_key, deque())
        while hits and hits[0] <= now - RATE_LIMIT_WINDOW_S:
            hits.popleft()
        if len(hits) >= limit:
            return max(1, math.ceil(hits[0] + RATE_LIMIT_WINDOW_S - now))
        hits.append(now)
        return None


def _status_plan(status: int, reason: str) -> FaultPlan:
    retry_after = 1 if status == 429 else None
    return FaultPlan(FaultAction.STATUS, status, retry_after=retry_after, reason=reason)


def _copy(knobs: FaultKnobs) -> FaultKnobs:
    return replace(
        knobs,
        rules=[replace(rule) for rule in knobs.rules],
        switches=dict(knobs.switches),
        settings=dict(knobs.settings),
    )


# --- Parsing knobs from the control API or the command line -------------------

_INT_KNOBS = {
    # name: (minimum, maximum, nullable)
    "latency_ms": (0, 600_000, False),
    "jitter_ms": (0, 600_000, False),
    "error_status": (400, 599, False),
    "force_status": (100, 599, True),
    "rate_limit_per_min": (1, 1_000_000, True),
    "seed": (-(2**63), 2**63 - 1, False),
}


def knobs_parse(data: Mapping[str, object], *, baseline: FaultKnobs) -> FaultKnobs:
    """Validated knobs; keys that are not given keep their `baseline` value.

    Raises `KnobError` with every problem found.
    """
    knobs = _copy(baseline)
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        try:
            _knob_set(knobs, name, value)
        except ValueError as error:
            errors[name] = [str(error)]
    if errors:
        raise KnobError(errors)
    return knobs


def _knob_set(knobs: FaultKnobs, name: str, value: object) -> None:
    if name in _INT_KNOBS:
        minimum, maximum, nullable = _INT_KNOBS[name]
        setattr(knobs, name, _integer(value, minimum, maximum, nullable=nullable))
    elif name == "error_rate":
        knobs.error_rate = _rate(value)
    elif name == "down":
        knobs.down = _boolean(value)
    elif name == "rules":
        knobs.rules = _rules(value)
    elif name in knobs.switches:
        knobs.switches[name] = _boolean(value)
    elif name in knobs.settings:
        knobs.settings[name] = knobs.settings[name].with_value(value)
    else:
        raise ValueError("Unknown knob.")


def _integer(
    value: object, minimum: int, maximum: int, *, nullable: bool = False
) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Must be an integer.")
    if not minimum <= value <= maximum:
        raise ValueError(f"Must be between {minimum} and {maximum}.")
    return value


def _rate(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Must be a number.")
    if not 0 <= value <= 1:
        raise ValueError("Must be between 0 and 1.")
    return float(value)


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("Must be true or false.")
    return value


def _rules(value: object) -> list[FaultRule]:
    if not isinstance(value, list):
        raise ValueError("Must be a list of rules.")
    rules = []
    for index, item in enumerate(value):
        try:
            rules.append(rule_parse(item))
        except ValueError as error:
            raise ValueError(f"Rule {index}: {error}") from error
    return rules


def rule_parse(data: object) -> FaultRule:
    if not isinstance(data, dict):
        raise ValueError("must be an object.")
    unknown = set(data) - {
        "action",
        "method",
        "path",
        "times",
        "status",
        "ms",
        "hang_s",
        "body",
    }
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}.")
    action_name = data.get("action")
    if action_name not in {action.value for action in RULE_ACTIONS}:
        raise ValueError(f"action must be one of {sorted(RULE_ACTIONS)}.")
    action = FaultAction(action_name)
    status = _integer(data.get("status"), 100, 599, nullable=True)
    if action in ACTIONS_WITH_STATUS and status is None:
        raise ValueError(f"{action.value} needs a status.")
    return FaultRule(
        action=action,
        path=_rule_path(data.get("path", "*")),
        method=_rule_method(data.get("method")),
        times=_integer(data.get("times"), 1, 1_000_000, nullable=True),
        status=status,
        ms=_integer(data.get("ms", 0), 0, 600_000) or 0,
        hang_s=_seconds(data.get("hang_s", 0)),
        body=data.get("body"),
    )


def _rule_path(value: object) -> str:
    if not isinstance(value, str) or not (value.startswith("/") or value == "*"):
        raise ValueError("path must start with / (a trailing * matches any end).")
    return value


def _rule_method(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.isalpha():
        raise ValueError("method must be an HTTP method.")
    return value.upper()


def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError("hang_s must be a number of seconds, 0 or more.")
    return float(value)
