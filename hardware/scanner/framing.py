"""Cutting the scanner's byte stream into codes: a pure function of bytes and time.

A serial scanner sends the decoded data plus whatever prefix and suffix its
configuration adds. Factory defaults differ (CR, CRLF, nothing at all), so a
code ends at CR, LF or CRLF, or after a short silence on the line; the
configured prefix, suffix and AIM symbology identifier are stripped; anything
too long or not text is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

CR = 0x0D
LF = 0x0A
# GS separates the fields of GS1 codes (FNC1); every other control byte is noise.
GROUP_SEPARATOR = 0x1D


@dataclass(frozen=True)
class ScanFraming:
    prefix: str = ""
    suffix: str = ""
    strip_aim: bool = False
    max_length: int = 256
    # Three byte-times at 9600 baud would do; 50 ms is still far below what
    # anyone notices, and safe on a busy machine.
    silence_seconds: float = 0.05


@dataclass(frozen=True)
class Frame:
    """A code read off the line, or what was wrong with the bytes."""

    code: str = ""
    error: str = ""

    @property
    def is_accepted(self) -> bool:
        return not self.error


def _is_text(raw: bytes) -> bool:
    return all(byte >= 0x20 or byte == GROUP_SEPARATOR for byte in raw) and (
        0x7F not in raw
    )


class ScanFramer:
    def __init__(self, framing: ScanFraming | None = None) -> None:
        self.framing = framing or ScanFraming()
        self._buffer = bytearray()
        self._is_overflowing = False
        self._last_byte_at = 0.0

    def feed(self, data: bytes, now: float) -> list[Frame]:
        """Frames completed by `data`, which arrived at `now` (seconds)."""
        frames = self.flush(now)
        for byte in data:
            if byte in (CR, LF):
                frames.extend(self._end_of_frame())
            elif self._is_overflowing:
                continue
            else:
                self._buffer.append(byte)
                if len(self._buffer) > self.framing.max_length:
                    self._buffer.clear()
                    self._is_overflowing = True
        if data:
            self._last_byte_at = now
        return frames

    def flush(self, now: float) -> list[Frame]:
        """The pending bytes, once the line has been silent long enough."""
        is_pending = bool(self._buffer) or self._is_overflowing
        if is_pending and now - self._last_byte_at >= self.framing.silence_seconds:
            return self._end_of_frame()
        return []

    def _end_of_frame(self) -> list[Frame]:
        if self._is_overflowing:
            self._is_overflowing = False
            return [Frame(error=f"longer than {self.framing.max_length} bytes")]
        if not self._buffer:
            return []  # the LF of a CRLF, or an empty line
        raw = bytes(self._buffer)
        self._buffer.clear()
        return [self._frame(raw)]

    def _frame(self, raw: bytes) -> Frame:
        if not _is_text(raw):
            return Frame(error="binary data")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return Frame(error="binary data")
        code = self._strip(text.strip())
        if not code:
            return Frame(error="empty code")
        return Frame(code=code)

    def _strip(self, code: str) -> str:
        framing = self.framing
        if framing.prefix and code.startswith(framing.prefix):
            code = code[len(framing.prefix) :]
        if framing.strip_aim and code.startswith("]") and len(code) >= 3:
            code = code[3:]
        if framing.suffix and code.endswith(framing.suffix):
            code = code[: -len(framing.suffix)]
        return code.strip()
