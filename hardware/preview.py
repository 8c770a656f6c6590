"""A receipt as an image, drawn from the ESC/POS bytes the printer would get.

Admin shows it on each device's page: the receipt is rendered by the agent's
renderer for the device's printer profile, decoded as a printer reads it
(`hardware.printer.decoder`, the virtual printer's decoder too), and drawn
here in a fixed-pitch font, so what staff see went through the same code
page, sizes and alignment as the paper.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import qrcode  # type: ignore[import-untyped]
from PIL import Image, ImageDraw, ImageFont, ImageOps

from hardware.printer.decoder import (
    DecodedReceipt,
    PrintedBarcode,
    PrintedImage,
    PrintedLine,
    PrintedQrCode,
    decode_receipts,
)
from hardware.printer.profiles import PrinterProfile, code_page_numbers
from hardware.printer.render import receipt_to_escpos
from hardware.receipt import Receipt

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf"),
)
MARGIN = 16
WHITE = 255


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


class _Canvas:
    def __init__(self, profile: PrinterProfile) -> None:
        self.width = profile.width_pixels
        self.cell = profile.width_pixels / profile.columns
        self.line_height = round(self.cell * 2)
        self.font = _font(round(self.cell / 0.6))
        self.rows: list[Image.Image] = []

    def place(self, image: Image.Image, align: str) -> None:
        row = Image.new("L", (self.width, image.height), WHITE)
        free = max(self.width - image.width, 0)
        left = {"center": free // 2, "right": free}.get(align, 0)
        row.paste(image, (left, 0))
        self.rows.append(row)

    def text(self, line: PrintedLine) -> None:
        characters = line.text.rstrip() or " "
        base = Image.new(
            "L", (max(round(len(characters) * self.cell), 1), self.line_height), WHITE
        )
        draw = ImageDraw.Draw(base)
        for index, character in enumerate(characters):
            position = (index * self.cell, self.line_height * 0.1)
            draw.text(position, character, fill=0, font=self.font)
            if line.bold:
                draw.text(
                    (position[0] + 1, position[1]), character, fill=0, font=self.font
                )
        scaled = base.resize(
            (base.width * line.width, base.height * line.height),
            Image.Resampling.NEAREST,
        )
        self.place(scaled, line.align)

    def qr(self, code: PrintedQrCode) -> None:
        symbol = qrcode.QRCode(box_size=max(code.module_size, 1), border=2)
        symbol.add_data(code.data)
        symbol.make(fit=True)
        image = symbol.make_image().get_image().convert("L")
        self.place(image, "center")

    def raster(self, raster: PrintedImage) -> None:
        size = (raster.width_bytes * 8, raster.height)
        bitmap = Image.frombytes("1", size, raster.data).convert("L")
        # ESC/POS: 1 is a black dot; Pillow: 1 is white.
        self.place(ImageOps.invert(bitmap), "center")

    def cut(self) -> None:
        row = Image.new("L", (self.width, self.line_height), WHITE)
        draw = ImageDraw.Draw(row)
        middle = self.line_height // 2
        for x in range(0, self.width, 12):
            draw.line([(x, middle), (x + 6, middle)], fill=128)
        self.rows.append(row)

    def image(self) -> Image.Image:
        height = sum(row.height for row in self.rows) + 2 * MARGIN
        sheet = Image.new("L", (self.width + 2 * MARGIN, height), WHITE)
        top = MARGIN
        for row in self.rows:
            sheet.paste(row, (MARGIN, top))
            top += row.height
        return sheet


def decoded_receipt_image(
    receipt: DecodedReceipt, profile: PrinterProfile
) -> Image.Image:
    canvas = _Canvas(profile)
    for block in receipt.blocks:
        if isinstance(block, PrintedLine):
            canvas.text(block)
        elif isinstance(block, PrintedQrCode):
            canvas.qr(block)
        elif isinstance(block, PrintedImage):
            canvas.raster(block)
        elif isinstance(block, PrintedBarcode):
            canvas.text(PrintedLine(f"|| {block.data} ||", align="center"))
    if receipt.is_cut:
        canvas.cut()
    return canvas.image()


def receipt_preview_png(receipt: Receipt, profile: PrinterProfile) -> bytes:
    """The receipt as a PNG, through the bytes a printer of `profile` would get."""
    data = receipt_to_escpos(receipt, profile)
    decoded = decode_receipts(data, code_page_numbers(profile.name))
    output = io.BytesIO()
    decoded_receipt_image(decoded[0], profile).save(output, format="PNG", optimize=True)
    return output.getvalue()


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
