"""ESC/POS bytes back into what a printer would put on paper.

The admin's receipt preview draws what it yields, the virtual printer
decodes what the agent sends with it, and the tests assert on the text (code
page included, so "€" and accents are checked). It understands the commands
python-escpos emits and skips, by their known length, the common ones it has
no use for.

It is a streaming decoder: bytes arrive in chunks, a command may be split
across two of them, and real-time status queries (`DLE EOT`, `GS r`) are
reported as they come so the virtual printer can answer them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC = 0x1B
GS = 0x1D
DLE = 0x10
FS = 0x1C
LF = 0x0A
CR = 0x0D
HT = 0x09

DEFAULT_CODE_PAGES = {0: "cp437", 2: "cp850", 16: "cp1252", 19: "cp858"}


@dataclass(frozen=True)
class PrintedLine:
    text: str
    bold: bool = False
    width: int = 1
    height: int = 1
    align: str = "left"


@dataclass(frozen=True)
class PrintedQrCode:
    data: str
    module_size: int = 3


@dataclass(frozen=True)
class PrintedImage:
    """A raster image (`GS v 0`): `width_bytes` × 8 dots by `height` rows, 1 = black."""

    width_bytes: int
    height: int
    data: bytes


@dataclass(frozen=True)
class PrintedBarcode:
    data: str


Block = PrintedLine | PrintedQrCode | PrintedImage | PrintedBarcode


@dataclass
class DecodedReceipt:
    blocks: list[Block] = field(default_factory=list)
    code_pages: list[str] = field(default_factory=list)
    is_cut: bool = False
    drawer_kicks: int = 0
    unknown_commands: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[PrintedLine]:
        return [block for block in self.blocks if isinstance(block, PrintedLine)]

    @property
    def text(self) -> str:
        """The printed text, one line per line, without trailing spaces and
        without the blank lines a cut feeds at the end."""
        return "\n".join(line.text.rstrip() for line in self.lines).rstrip("\n")

    @property
    def qr_codes(self) -> list[str]:
        return [block.data for block in self.blocks if isinstance(block, PrintedQrCode)]

    @property
    def is_empty(self) -> bool:
        return not self.blocks


@dataclass(frozen=True)
class StatusQuery:
    """A real-time status request the printer must answer: `DLE EOT n` or `GS r n`."""

    command: bytes

    @property
    def kind(self) -> str:
        return "dle_eot" if self.command[0] == DLE else "gs_r"

    @property
    def number(self) -> int:
        return self.command[2]


class _Incomplete(Exception):
    """The command continues in bytes not received yet."""


class EscposDecoder:
    """Feed it bytes; it returns status queries and completed receipts.

    A receipt ends at a cut; `finish()` ends one without a cut (a printer
    without a cutter, a connection that closed).
    """

    def __init__(self, code_pages: dict[int, str] | None = None) -> None:
        self.code_page_numbers = code_pages or DEFAULT_CODE_PAGES
        self._pending = bytearray()
        self._reset_style()
        self.receipt = DecodedReceipt()
        self._line: list[str] = []
        self._line_style = PrintedLine("")
        self._qr_data = ""
        self._qr_size = 3

    def _reset_style(self) -> None:
        self.code_page = self.code_page_numbers.get(0, "cp437")
        self.bold = False
        self.width = 1
        self.height = 1
        self.align = "left"

    # --- feeding ----------------------------------------------------------------

    def feed(self, data: bytes) -> list[StatusQuery | DecodedReceipt]:
        self._pending.extend(data)
        events: list[StatusQuery | DecodedReceipt] = []
        position = 0
        buffer = bytes(self._pending)
        while position < len(buffer):
            try:
                position = self._step(buffer, position, events)
            except _Incomplete:
                break
        del self._pending[:position]
        return events

    def finish(self) -> DecodedReceipt | None:
        """End the current receipt without a cut; None when nothing was printed."""
        self._pending.clear()
        self._end_line(force=False)
        if self.receipt.is_empty:
            self.receipt = DecodedReceipt()
            return None
        return self._complete()

    def _complete(self) -> DecodedReceipt:
        receipt = self.receipt
        self.receipt = DecodedReceipt()
        return receipt

    # --- text -------------------------------------------------------------------

    def _text(self, byte: int) -> None:
        if not self._line:
            self._line_style = PrintedLine(
                "",
                bold=self.bold,
                width=self.width,
                height=self.height,
                align=self.align,
            )
        self._line.append(bytes([byte]).decode(self.code_page, errors="replace"))

    def _end_line(self, *, force: bool = True) -> None:
        if not self._line and not force:
            return
        style = self._line_style if self._line else PrintedLine("", align=self.align)
        self.receipt.blocks.append(
            PrintedLine(
                "".join(self._line),
                bold=style.bold,
                width=style.width,
                height=style.height,
                align=style.align,
            )
        )
        self._line = []

    # --- commands ---------------------------------------------------------------

    def _step(
        self, buffer: bytes, position: int, events: list[StatusQuery | DecodedReceipt]
    ) -> int:
        byte = buffer[position]
        if byte == LF:
            self._end_line()
            return position + 1
        if byte == HT:
            for _ in range(8 - len(self._line) % 8):
                self._text(0x20)
            return position + 1
        if byte >= 0x20:
            self._text(byte)
            return position + 1
        handler = {ESC: self._esc, GS: self._gs, DLE: self._dle, FS: self._fs}.get(byte)
        if handler is None:
            return position + 1  # CR and other control bytes print nothing
        return handler(buffer, position, events)

    @staticmethod
    def _need(buffer: bytes, end: int) -> None:
        if len(buffer) < end:
            raise _Incomplete

    def _dle(
        self, buffer: bytes, position: int, events: list[StatusQuery | DecodedReceipt]
    ) -> int:
        self._need(buffer, position + 2)
        command = buffer[position + 1]
        if command == 0x04:  # DLE EOT n
            self._need(buffer, position + 3)
            events.append(StatusQuery(buffer[position : position + 3]))
            return position + 3
        if command == 0x05:  # DLE ENQ n
            return position + 3
        if command == 0x14:  # DLE DC4 fn m t
            self._need(buffer, position + 5)
            if buffer[position + 2] == 0x01:
                self.receipt.drawer_kicks += 1
            return position + 5
        return position + 1

    def _fs(
        self, buffer: bytes, position: int, events: list[StatusQuery | DecodedReceipt]
    ) -> int:
        self._need(buffer, position + 2)
        command = buffer[position + 1]
        if command in b".&":  # cancel / select Kanji mode
            return position + 2
        if command == ord("p"):  # print NV bit image
            return position + 4
        return position + 3

    def _esc(
        self, buffer: bytes, position: int, events: list[StatusQuery | DecodedReceipt]
    ) -> int:
        self._need(buffer, position + 2)
        command = chr(buffer[position + 1])
        if command in "@2<LS=ijm":
            if command == "@":
                self._reset_style()
            if command in "im":  # partial cut, old style
                return self._cut(position + 2, events)
            return position + 2 + (1 if command in "=ij" else 0)
        if command == "p":  # drawer kick: ESC p m t1 t2
            self._need(buffer, position + 5)
            self.receipt.drawer_kicks += 1
            return position + 5
        if command == "c":  # ESC c 3/4/5 n
            return position + 4
        if command == "*":  # bit image: ESC * m nL nH data
            self._need(buffer, position + 5)
            mode, columns = (
                buffer[position + 2],
                buffer[position + 3] + 256 * buffer[position + 4],
            )
            length = columns * (3 if mode in (32, 33) else 1)
            self._need(buffer, position + 5 + length)
            return position + 5 + length
        if command in "$\\":
            return position + 4
        if command in "(":
            self._need(buffer, position + 5)
            return position + 5 + buffer[position + 3] + 256 * buffer[position + 4]
        if command == "D":  # tab positions, NUL-terminated
            end = buffer.find(b"\x00", position + 2)
            if end < 0:
                raise _Incomplete
            return end + 1
        if command == "B":  # buzzer: ESC B n t
            return position + 4
        self._need(buffer, position + 3)
        value = buffer[position + 2]
        self._esc_with_argument(command, value)
        return position + 3

    def _esc_with_argument(self, command: str, value: int) -> None:
        if command == "t":
            page = self.code_page_numbers.get(value)
            if page is None:
                self.receipt.unknown_commands.append(f"ESC t {value}")
                page = "cp437"
            self.code_page = page
            self.receipt.code_pages.append(page)
        elif command == "!":
            self.bold = bool(value & 0x08)
            self.height = 2 if value & 0x10 else 1
            self.width = 2 if value & 0x20 else 1
        elif command == "E":
            self.bold = bool(value & 0x01)
        elif command == "a":
            self.align = {0: "left", 1: "center", 2: "right"}.get(value % 48, "left")
        elif command == "M":
            # A font switch falls back to the printer's default code page
            # (as after ESC @); a driver must select its page again after it.
            self.code_page = self.code_page_numbers.get(0, "cp437")
        elif command == "d":
            for _ in range(value):
                self._end_line()
        elif command not in "-GJeR{V 3rUJ":
            self.receipt.unknown_commands.append(f"ESC {command!r} {value}")

    def _gs(
        self, buffer: bytes, position: int, events: list[StatusQuery | DecodedReceipt]
    ) -> int:
        self._need(buffer, position + 2)
        command = chr(buffer[position + 1])
        if command == "V":
            self._need(buffer, position + 3)
            mode = buffer[position + 2]
            end = position + 3 + (1 if mode >= 65 else 0)
            self._need(buffer, end)
            return self._cut(end, events)
        if command == "(":
            return self._gs_parenthesis(buffer, position)
        if command == "v":
            return self._raster(buffer, position)
        if command == "k":
            return self._barcode(buffer, position)
        if command in "LWP":
            return position + 4
        if command == "*":
            self._need(buffer, position + 4)
            return position + 4 + buffer[position + 2] * buffer[position + 3] * 8
        self._need(buffer, position + 3)
        value = buffer[position + 2]
        if command == "!":
            self.width = (value >> 4) + 1
            self.height = (value & 0x0F) + 1
        elif command == "r":
            events.append(StatusQuery(buffer[position : position + 3]))
        elif command not in "aBbHfhwI/E":
            self.receipt.unknown_commands.append(f"GS {command!r} {value}")
        return position + 3

    def _cut(self, end: int, events: list[StatusQuery | DecodedReceipt]) -> int:
        self._end_line(force=False)
        self.receipt.is_cut = True
        events.append(self._complete())
        return end

    def _gs_parenthesis(self, buffer: bytes, position: int) -> int:
        self._need(buffer, position + 5)
        function = chr(buffer[position + 2])
        length = buffer[position + 3] + 256 * buffer[position + 4]
        end = position + 5 + length
        self._need(buffer, end)
        if function == "k":
            self._two_dimensional_code(buffer[position + 5 : end])
        return end

    def _two_dimensional_code(self, body: bytes) -> None:
        if len(body) < 2 or body[0] != ord("1"):
            return  # PDF417 and other symbols: not used on receipts
        function = body[1]
        if function == 67 and len(body) > 2:  # module size
            self._qr_size = body[2]
        elif function == 80:  # store the data: cn fn m d1…dk
            self._qr_data = body[3:].decode("utf-8", errors="replace")
        elif function == 81:  # print the stored symbol
            self._end_line(force=False)
            self.receipt.blocks.append(PrintedQrCode(self._qr_data, self._qr_size))

    def _raster(self, buffer: bytes, position: int) -> int:
        self._need(buffer, position + 8)
        width_bytes = buffer[position + 4] + 256 * buffer[position + 5]
        height = buffer[position + 6] + 256 * buffer[position + 7]
        end = position + 8 + width_bytes * height
        self._need(buffer, end)
        self._end_line(force=False)
        self.receipt.blocks.append(
            PrintedImage(width_bytes, height, bytes(buffer[position + 8 : end]))
        )
        return end

    def _barcode(self, buffer: bytes, position: int) -> int:
        self._need(buffer, position + 3)
        mode = buffer[position + 2]
        if mode <= 6:  # NUL-terminated data
            end = buffer.find(b"\x00", position + 3)
            if end < 0:
                raise _Incomplete
            data, after = buffer[position + 3 : end], end + 1
        else:
            self._need(buffer, position + 4)
            length = buffer[position + 3]
            after = position + 4 + length
            self._need(buffer, after)
            data = buffer[position + 4 : after]
        self._end_line(force=False)
        self.receipt.blocks.append(
            PrintedBarcode(data.decode("ascii", errors="replace"))
        )
        return after


def decode_receipts(
    data: bytes, code_pages: dict[int, str] | None = None
) -> list[DecodedReceipt]:
    """Every receipt in `data`, the last one even without a cut."""
    decoder = EscposDecoder(code_pages)
    receipts = [
        event for event in decoder.feed(data) if isinstance(event, DecodedReceipt)
    ]
    last = decoder.finish()
    if last is not None:
        receipts.append(last)
    return receipts
