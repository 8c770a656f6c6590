"""Flat illustrations of dishes for the demo menus, drawn with Pillow shapes.

Nothing is downloaded and no font is needed, so the demo works offline on any
machine. Each picture is drawn at twice its size and scaled down, which smooths
the edges, then reduced to a small palette: flat colours keep the PNG small.
The seed only picks colours and small details, so the same arguments always
give the same bytes.
"""

from __future__ import annotations

import colorsys
import io
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

WIDTH = 640
HEIGHT = 480
SUPERSAMPLING = 2
PALETTE_SIZE = 96

Colour = tuple[int, int, int]

WHITE: Colour = (255, 255, 255)
PLATE: Colour = (250, 250, 246)
PLATE_RIM: Colour = (226, 226, 218)
BUN: Colour = (226, 160, 74)
BUN_LIGHT: Colour = (240, 190, 110)
SESAME: Colour = (252, 242, 214)
BEEF: Colour = (110, 62, 38)
BEEF_DARK: Colour = (78, 42, 26)
CRISPY: Colour = (188, 108, 36)
VEGGIE: Colour = (136, 120, 52)
CHEESE: Colour = (252, 196, 48)
LETTUCE: Colour = (112, 182, 64)
LETTUCE_DARK: Colour = (76, 146, 48)
TOMATO: Colour = (222, 64, 52)
FRY: Colour = (250, 208, 86)
FRY_DARK: Colour = (232, 180, 60)
GOLDEN: Colour = (222, 158, 62)
GOLDEN_DARK: Colour = (192, 124, 44)
COFFEE: Colour = (92, 54, 32)
CREMA: Colour = (196, 140, 86)
TEA: Colour = (178, 98, 36)
CHOCOLATE: Colour = (84, 48, 30)
CREAM: Colour = (252, 246, 230)
EGG_YOLK: Colour = (250, 180, 30)
BACON: Colour = (198, 76, 70)
BACON_FAT: Colour = (240, 176, 160)
TOAST: Colour = (222, 170, 96)
TOAST_CRUST: Colour = (170, 112, 52)
SALMON: Colour = (244, 140, 104)
LEMON: Colour = (250, 222, 70)
WOOD: Colour = (188, 134, 84)
WOOD_DARK: Colour = (150, 100, 58)
HAM: Colour = (236, 150, 150)
GLASS: Colour = (226, 236, 242)
WATER_BLUE: Colour = (176, 214, 238)
BEER: Colour = (236, 164, 40)
FOAM: Colour = (252, 248, 236)
RED_WINE: Colour = (124, 22, 46)
WHITE_WINE: Colour = (240, 220, 130)
ORANGE_JUICE: Colour = (250, 160, 30)
MUSSEL: Colour = (44, 48, 70)
MUSSEL_MEAT: Colour = (240, 150, 70)
CAST_IRON: Colour = (60, 60, 66)
APPLE_FLESH: Colour = (250, 242, 206)
APPLE_SKIN: Colour = (120, 186, 60)
MASH: Colour = (250, 232, 170)
BUTTER: Colour = (252, 226, 120)

# Cups, cartons and trays take one of these hues, which read well on food.
ACCENT_HUES = (0.0, 0.03, 0.08, 0.55, 0.6, 0.33, 0.9, 0.75)


def _hls(hue: float, lightness: float, saturation: float) -> Colour:
    red, green, blue = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return (round(red * 255), round(green * 255), round(blue * 255))


def _darker(colour: Colour, factor: float = 0.8) -> Colour:
    red, green, blue = colour
    return (round(red * factor), round(green * factor), round(blue * factor))


def _lighter(colour: Colour, amount: float = 0.3) -> Colour:
    red, green, blue = colour
    return (
        round(red + (255 - red) * amount),
        round(green + (255 - green) * amount),
        round(blue + (255 - blue) * amount),
    )


@dataclass(frozen=True)
class Palette:
    """The colours a seed picks: background, backdrop disc and an accent."""

    background: Colour
    backdrop: Colour
    shadow: Colour
    accent: Colour

    @classmethod
    def from_seed(cls, rng: random.Random) -> Palette:
        hue = rng.random()
        backdrop = _hls(hue, 0.82, 0.5)
        return cls(
            background=_hls(hue, 0.93, 0.55),
            backdrop=backdrop,
            shadow=_darker(backdrop, 0.88),
            accent=_hls(rng.choice(ACCENT_HUES), rng.uniform(0.45, 0.55), 0.7),
        )


@dataclass(frozen=True)
class Canvas:
    """Draws in 640x480 coordinates, moved and scaled as the view asks.

    Combo trays draw the same dishes smaller and elsewhere, so every drawing
    goes through a view rather than straight to the image.
    """

    draw: ImageDraw.ImageDraw
    scale: float = SUPERSAMPLING
    left: float = 0.0
    top: float = 0.0

    def around(self, x: float, y: float, factor: float) -> Canvas:
        """A view where the dish centre (320, 250) lands on (x, y), scaled."""
        return Canvas(
            draw=self.draw,
            scale=self.scale * factor,
            left=self.left + (x - 320 * factor) * self.scale,
            top=self.top + (y - 250 * factor) * self.scale,
        )

    def points(self, coordinates: Sequence[float]) -> list[float]:
        return [
            (self.left if index % 2 == 0 else self.top) + value * self.scale
            for index, value in enumerate(coordinates)
        ]

    def width(self, value: float) -> int:
        return max(1, round(value * self.scale))

    def ellipse(self, box: Sequence[float], fill: Colour) -> None:
        self.draw.ellipse(self.points(box), fill=fill)

    def ring(self, box: Sequence[float], colour: Colour, width: float) -> None:
        self.draw.ellipse(self.points(box), outline=colour, width=self.width(width))

    def circle(self, x: float, y: float, radius: float, fill: Colour) -> None:
        self.ellipse((x - radius, y - radius, x + radius, y + radius), fill)

    def rectangle(self, box: Sequence[float], fill: Colour, radius: float = 0) -> None:
        if radius:
            self.draw.rounded_rectangle(
                self.points(box), radius=self.width(radius), fill=fill
            )
        else:
            self.draw.rectangle(self.points(box), fill=fill)

    def polygon(self, coordinates: Sequence[float], fill: Colour) -> None:
        self.draw.polygon(self.points(coordinates), fill=fill)

    def line(self, coordinates: Sequence[float], colour: Colour, width: float) -> None:
        self.draw.line(
            self.points(coordinates),
            fill=colour,
            width=self.width(width),
            joint="curve",
        )

    def chord(
        self, box: Sequence[float], start: float, end: float, fill: Colour
    ) -> None:
        self.draw.chord(self.points(box), start, end, fill=fill)

    def pieslice(
        self, box: Sequence[float], start: float, end: float, fill: Colour
    ) -> None:
        self.draw.pieslice(self.points(box), start, end, fill=fill)

    def arc(
        self,
        box: Sequence[float],
        start: float,
        end: float,
        colour: Colour,
        width: float,
    ) -> None:
        self.draw.arc(
            self.points(box), start, end, fill=colour, width=self.width(width)
        )


Drawer = Callable[[Canvas, Palette, random.Random], None]


def _blob(
    rng: random.Random, x: float, y: float, radius: float, corners: int = 10
) -> list[float]:
    """An irregular round outline: nuggets, steaks and lettuce leaves."""
    coordinates: list[float] = []
    for index in range(corners):
        angle = 2 * math.pi * index / corners
        reach = radius * rng.uniform(0.82, 1.0)
        coordinates += [x + reach * math.cos(angle), y + reach * 0.8 * math.sin(angle)]
    return coordinates


def _wave(
    left: float, right: float, top: float, depth: float, waves: int
) -> list[float]:
    """A strip whose lower edge waves: lettuce, bacon and syrup."""
    step = (right - left) / (2 * waves)
    lower = [
        value
        for index in range(2 * waves + 1)
        for value in (right - index * step, top + depth * (1.6 if index % 2 else 1.0))
    ]
    return [left, top, right, top, *lower]


def _plate(canvas: Canvas, box: Sequence[float] = (130, 200, 510, 400)) -> None:
    left, top, right, bottom = box
    canvas.ellipse(box, PLATE_RIM)
    canvas.ellipse((left + 24, top + 14, right - 24, bottom - 14), PLATE)


# --- Burgers and sandwiches ---------------------------------------------------


def _burger(
    canvas: Canvas,
    rng: random.Random,
    *,
    patty: Colour,
    patties: int = 1,
    cheese: bool = True,
) -> None:
    canvas.rectangle((190, 300, 450, 345), BUN, radius=22)
    for layer in range(patties):
        top = 262 - layer * 44
        canvas.rectangle((176, top, 464, top + 44), patty, radius=22)
        for _crumb in range(7):
            x, y = rng.uniform(200, 440), rng.uniform(top + 14, top + 34)
            canvas.circle(x, y, 4, _lighter(patty, 0.25))
        if cheese:
            canvas.polygon(
                (
                    178,
                    top - 6,
                    462,
                    top - 6,
                    462,
                    top + 6,
                    430,
                    top + 6,
                    410,
                    top + 30,
                    392,
                    top + 6,
                    290,
                    top + 6,
                    272,
                    top + 26,
                    254,
                    top + 6,
                    178,
                    top + 6,
                ),
                CHEESE,
            )
    top = 230 - (patties - 1) * 44
    canvas.rectangle((190, top + 4, 450, top + 22), TOMATO, radius=8)
    canvas.polygon(_wave(168, 472, top - 8, 16, 9), LETTUCE)
    canvas.chord((180, top - 118, 460, top + 2 + 100), 180, 360, BUN)
    canvas.ellipse((232, top - 92, 300, top - 70), BUN_LIGHT)
    for _seed in range(14):
        angle = rng.uniform(math.pi * 1.08, math.pi * 1.92)
        reach = rng.uniform(0.3, 0.85)
        x = 320 + 140 * reach * math.cos(angle)
        y = top - 8 + 100 * reach * math.sin(angle)
        canvas.ellipse((x - 5, y - 3, x + 5, y + 3), SESAME)


def _draw_burger(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _burger(canvas, rng, patty=BEEF)


def _draw_double_burger(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _burger(canvas, rng, patty=BEEF, patties=2)


def _draw_chicken_burger(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _burger(canvas, rng, patty=CRISPY, cheese=False)


def _draw_veggie_burger(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _burger(canvas, rng, patty=VEGGIE)


def _draw_sandwich(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    canvas.rectangle((120, 262, 520, 318), TOAST_CRUST, radius=28)
    canvas.rectangle((132, 246, 508, 272), HAM, radius=12)
    canvas.polygon(_wave(126, 514, 236, 14, 12), LETTUCE)
    canvas.rectangle((120, 186, 520, 250), GOLDEN, radius=32)
    for index in range(5):
        x = 170 + index * 72
        canvas.line((x, 232, x + 40, 200), BUN_LIGHT, 8)


def _draw_croque(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _plate(canvas)
    canvas.rectangle((200, 236, 420, 330), TOAST_CRUST, radius=18)
    canvas.rectangle((212, 206, 432, 306), TOAST, radius=18)
    canvas.rectangle((222, 214, 422, 296), CHEESE, radius=22)
    for _spot in range(9):
        x, y = rng.uniform(240, 400), rng.uniform(226, 284)
        canvas.ellipse((x - 12, y - 7, x + 12, y + 7), GOLDEN_DARK)
    canvas.ellipse((440, 268, 490, 300), LETTUCE)
    canvas.ellipse((452, 250, 500, 282), LETTUCE_DARK)


def _draw_wrap(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    canvas.polygon((258, 390, 270, 170, 390, 170, 402, 390), CREAM)
    canvas.ellipse((262, 146, 398, 196), APPLE_FLESH)
    canvas.ellipse((276, 150, 384, 190), LETTUCE)
    for piece in (296, 330, 360):
        canvas.ellipse((piece - 16, 160, piece + 16, 182), CRISPY)
    canvas.circle(318, 174, 9, TOMATO)
    for _spot in range(6):
        x, y = rng.uniform(280, 380), rng.uniform(200, 280)
        canvas.ellipse((x - 9, y - 5, x + 9, y + 5), FRY_DARK)
    canvas.polygon((250, 300, 410, 272, 412, 396, 248, 396), palette.accent)
    canvas.polygon((250, 300, 410, 272, 410, 286, 250, 314), _lighter(palette.accent))


# --- Sides ------------------------------------------------------------------


def _draw_fries(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    for index in range(12):
        x = 230 + index * 15
        tilt = rng.uniform(-14, 14)
        top = rng.uniform(100, 150)
        colour = FRY if index % 3 else FRY_DARK
        canvas.polygon((x, 240, x + 16, 240, x + 16 + tilt, top, x + tilt, top), colour)
    canvas.polygon((212, 196, 428, 196, 392, 386, 248, 386), palette.accent)
    canvas.polygon((212, 196, 428, 196, 424, 214, 216, 214), _darker(palette.accent))
    canvas.circle(320, 292, 34, _lighter(palette.accent, 0.45))
    canvas.circle(320, 292, 18, palette.accent)


def _draw_onion_rings(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _plate(canvas)
    for x, y in ((250, 260), (330, 236), (400, 270), (290, 316), (370, 318)):
        size = rng.uniform(46, 56)
        canvas.ring(
            (x - size, y - size * 0.7, x + size, y + size * 0.7), GOLDEN_DARK, 24
        )
        canvas.ring(
            (x - size + 3, y - size * 0.7 + 3, x + size - 3, y + size * 0.7 - 3),
            GOLDEN,
            16,
        )


def _nugget(canvas: Canvas, rng: random.Random, x: float, y: float) -> None:
    canvas.polygon(_blob(rng, x, y + 6, 40), GOLDEN_DARK)
    canvas.polygon(_blob(rng, x, y, 38), GOLDEN)
    for _crumb in range(4):
        dx, dy = rng.uniform(-20, 20), rng.uniform(-14, 12)
        canvas.circle(x + dx, y + dy, 4, FRY)


def _draw_nuggets(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    canvas.polygon((170, 200, 470, 200, 440, 250, 200, 250), _darker(palette.accent))
    for x, y in (
        (230, 238),
        (300, 226),
        (370, 232),
        (430, 244),
        (262, 274),
        (340, 270),
    ):
        _nugget(canvas, rng, x, y)
    canvas.rectangle((186, 280, 454, 382), palette.accent, radius=14)
    canvas.rectangle((186, 280, 454, 298), _lighter(palette.accent, 0.35), radius=8)
    canvas.ellipse((456, 330, 536, 362), PLATE_RIM)
    canvas.ellipse((462, 332, 530, 354), TOMATO)


def _draw_salad(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    canvas.ellipse((170, 248, 470, 312), _darker(palette.accent, 0.7))
    greens = (LETTUCE, LETTUCE_DARK, (150, 200, 90))
    for _leaf in range(16):
        x, y = rng.uniform(196, 444), rng.uniform(206, 282)
        canvas.polygon(
            _blob(rng, x, y, rng.uniform(28, 40), corners=9), rng.choice(greens)
        )
    for _tomato in range(4):
        x, y = rng.uniform(220, 420), rng.uniform(220, 270)
        canvas.circle(x, y, 15, TOMATO)
        canvas.circle(x - 5, y - 5, 4, _lighter(TOMATO, 0.5))
    for _crouton in range(5):
        x, y = rng.uniform(220, 420), rng.uniform(214, 270)
        canvas.rectangle((x - 10, y - 10, x + 10, y + 10), TOAST, radius=3)
    canvas.chord((170, 180, 470, 380), 0, 180, palette.accent)
    canvas.chord((220, 300, 420, 372), 20, 160, _lighter(palette.accent, 0.25))


def _draw_fruit(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    canvas.ellipse((130, 200, 510, 400), palette.accent)
    canvas.ellipse((154, 214, 486, 386), _lighter(palette.accent, 0.55))
    for index in range(7):
        start = index * 360 / 7 + rng.uniform(-6, 6)
        middle = math.radians(start + 17)
        x, y = 320 + 26 * math.cos(middle), 296 + 20 * math.sin(middle)
        box = (x - 84, y - 68, x + 84, y + 68)
        canvas.pieslice(box, start, start + 34, APPLE_FLESH)
        canvas.arc(box, start, start + 34, APPLE_SKIN, 10)


# --- Plated dishes ------------------------------------------------------------


def _fries_pile(canvas: Canvas, rng: random.Random, x: float, y: float) -> None:
    for _fry in range(9):
        fx, fy = x + rng.uniform(-40, 40), y + rng.uniform(-30, 30)
        dx, dy = rng.uniform(-34, 34), rng.uniform(-10, 10)
        canvas.line(
            (fx - dx, fy - dy, fx + dx, fy + dy), rng.choice((FRY, FRY_DARK)), 14
        )


def _draw_steak(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _plate(canvas)
    canvas.polygon(_blob(rng, 262, 300, 98, corners=12), BEEF_DARK)
    canvas.polygon(_blob(rng, 262, 292, 92, corners=12), BEEF)
    for x in (206, 246, 286):
        canvas.line((x, 330, x + 36, 264), BEEF_DARK, 9)
    canvas.rectangle((220, 300, 262, 326), BUTTER, radius=8)
    for _herb in range(4):
        canvas.circle(rng.uniform(228, 254), rng.uniform(306, 320), 3, LETTUCE_DARK)
    _fries_pile(canvas, rng, 410, 290)


def _draw_tartare(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _plate(canvas)
    canvas.ellipse((196, 268, 340, 332), _darker(TOMATO, 0.55))
    canvas.ellipse((196, 240, 340, 306), (178, 52, 52))
    for _caper in range(10):
        canvas.circle(rng.uniform(214, 322), rng.uniform(254, 296), 4, LETTUCE_DARK)
    canvas.circle(268, 262, 17, EGG_YOLK)
    _fries_pile(canvas, rng, 410, 290)


def _draw_fish(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _plate(canvas)
    canvas.rectangle((190, 250, 370, 330), _darker(SALMON, 0.85), radius=30)
    canvas.rectangle((190, 240, 370, 318), SALMON, radius=30)
    for index in range(4):
        x = 226 + index * 38
        canvas.arc((x - 30, 236, x + 30, 320), 300, 60, _lighter(SALMON, 0.5), 5)
    canvas.chord((380, 220, 450, 290), 90, 270, LEMON)
    for index in range(5):
        y = 300 + index * 10
        canvas.line((380, y, 460, y - 16), LETTUCE_DARK, 8)


def _draw_omelette(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _plate(canvas)
    canvas.chord((180, 190, 430, 390), 180, 360, (246, 206, 90))
    canvas.chord((180, 190, 430, 390), 180, 200, GOLDEN)
    for _herb in range(14):
        canvas.circle(rng.uniform(220, 390), rng.uniform(240, 286), 4, LETTUCE_DARK)
    canvas.polygon(_blob(rng, 450, 300, 34), LETTUCE)


def _draw_mussels(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    canvas.ellipse((160, 232, 480, 292), _darker(CAST_IRON, 0.6))
    for _mussel in range(16):
        x, y = rng.uniform(190, 450), rng.uniform(200, 262)
        angle = rng.uniform(-30, 30)
        canvas.ellipse((x - 30, y - 14, x + 30, y + 14), MUSSEL)
        canvas.ellipse(
            (x - 20 + angle / 6, y - 8, x + 20 + angle / 6, y + 8), MUSSEL_MEAT
        )
    for _herb in range(10):
        canvas.circle(rng.uniform(200, 440), rng.uniform(200, 270), 4, LETTUCE)
    canvas.chord((160, 170, 480, 390), 0, 180, CAST_IRON)
    canvas.rectangle((136, 272, 176, 292), CAST_IRON, radius=8)
    canvas.rectangle((464, 272, 504, 292), CAST_IRON, radius=8)


def _bowl(canvas: Canvas, palette: Palette, surface: Colour) -> None:
    canvas.ellipse((170, 240, 470, 300), palette.accent)
    canvas.ellipse((186, 246, 454, 294), surface)


def _draw_soup(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _bowl(canvas, palette, (198, 120, 52))
    canvas.polygon(_blob(rng, 320, 268, 70, corners=12), (240, 200, 110))
    for _spot in range(8):
        canvas.circle(rng.uniform(270, 370), rng.uniform(254, 282), 7, GOLDEN_DARK)
    canvas.chord((170, 180, 470, 380), 0, 180, palette.accent)
    for x in (270, 320, 370):
        canvas.arc((x - 16, 150, x + 16, 200), 100, 260, WHITE, 5)
        canvas.arc((x - 16, 110, x + 16, 160), 280, 80, WHITE, 5)


def _draw_mash(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _bowl(canvas, palette, MASH)
    canvas.ellipse((240, 230, 400, 284), _lighter(MASH, 0.4))
    canvas.rectangle((300, 236, 338, 262), BUTTER, radius=4)
    canvas.chord((170, 180, 470, 380), 0, 180, palette.accent)


def _draw_board(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    canvas.rectangle((120, 214, 520, 372), WOOD_DARK, radius=22)
    canvas.rectangle((120, 204, 520, 360), WOOD, radius=22)
    canvas.rectangle((500, 260, 570, 300), WOOD, radius=14)
    canvas.polygon((160, 320, 270, 320, 260, 236), CHEESE)
    canvas.circle(230, 296, 8, _darker(CHEESE, 0.85))
    for index in range(3):
        x = 290 + index * 44
        canvas.rectangle((x, 236, x + 40, 330), (196, 120, 110), radius=6)
        for _fat in range(3):
            canvas.circle(x + rng.uniform(8, 32), rng.uniform(250, 316), 4, HAM)
    for index in range(3):
        canvas.ellipse(
            (432 + index * 8, 236 + index * 30, 488, 262 + index * 30), LETTUCE_DARK
        )


def _draw_brunch(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _plate(canvas, (110, 170, 530, 410))
    canvas.polygon(_blob(rng, 240, 250, 70, corners=12), WHITE)
    canvas.circle(246, 246, 24, EGG_YOLK)
    for index in range(2):
        top = 226 + index * 48
        canvas.polygon(_wave(330, 470, top, 18, 4), BACON)
        canvas.line((336, top + 10, 464, top + 10), BACON_FAT, 5)
    canvas.rectangle((200, 306, 300, 386), TOAST_CRUST, radius=16)
    canvas.rectangle((208, 312, 292, 378), TOAST, radius=12)
    canvas.circle(352, 346, 26, TOMATO)
    canvas.circle(410, 350, 22, (110, 160, 70))
    canvas.circle(410, 350, 10, (200, 160, 90))


def _draw_pancakes(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _plate(canvas)
    for index in range(4):
        top = 300 - index * 26
        canvas.ellipse((200, top, 440, top + 60), GOLDEN_DARK)
        canvas.ellipse((200, top - 6, 440, top + 50), GOLDEN)
    canvas.ellipse((210, 216, 430, 264), (170, 96, 30))
    for x in (240, 300, 380):
        canvas.rectangle(
            (x - 8, 240, x + 8, 240 + rng.uniform(30, 70)), (170, 96, 30), radius=8
        )
    canvas.rectangle((300, 212, 340, 236), BUTTER, radius=4)
    for _berry in range(5):
        canvas.circle(rng.uniform(160, 480), rng.uniform(340, 370), 10, (170, 30, 70))


def _draw_croissant(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    sections = 7
    order = sorted(range(sections), key=lambda index: -abs(index - sections // 2))
    for index in order:
        t = index / (sections - 1)
        x = 170 + t * 300
        y = 290 - math.sin(math.pi * t) * 60
        size = 36 + math.sin(math.pi * t) * 44
        colour = GOLDEN if index % 2 else GOLDEN_DARK
        canvas.ellipse((x - size * 0.7, y - size, x + size * 0.7, y + size), colour)
    canvas.ellipse((270, 200, 330, 220), BUN_LIGHT)


# --- Sweets -------------------------------------------------------------------


def _draw_cookie(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    canvas.circle(320, 262, 134, (184, 126, 70))
    canvas.circle(320, 252, 130, (216, 162, 96))
    for _chip in range(16):
        angle, reach = rng.uniform(0, 2 * math.pi), rng.uniform(0, 100)
        x, y = 320 + reach * math.cos(angle), 252 + reach * math.sin(angle)
        canvas.polygon(_blob(rng, x, y, rng.uniform(9, 14), corners=6), CHOCOLATE)
    for _crumb in range(6):
        canvas.circle(rng.uniform(160, 480), rng.uniform(392, 410), 5, (216, 162, 96))


def _draw_dessert(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _plate(canvas)
    sponge = rng.choice(((246, 214, 150), CHOCOLATE, (236, 180, 110)))
    filling = rng.choice(((200, 40, 70), CREAM, (170, 96, 30)))
    canvas.rectangle((230, 236, 410, 334), sponge, radius=6)
    canvas.rectangle((230, 266, 410, 280), filling)
    canvas.rectangle((230, 300, 410, 312), filling)
    canvas.polygon((230, 236, 410, 236, 370, 200, 250, 206), CREAM)
    canvas.circle(318, 196, 20, (210, 30, 50))
    canvas.polygon((306, 180, 330, 180, 318, 168), LETTUCE)
    canvas.line((430, 330, 470, 300, 480, 330), filling, 8)


def _draw_ice_cream(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    flavours = ((250, 240, 210), (120, 70, 40), (244, 150, 170), (170, 210, 130))
    canvas.ellipse((268, 370, 372, 394), GLASS)
    canvas.rectangle((310, 300, 330, 380), GLASS)
    for index, x in enumerate((280, 360, 320)):
        y = 214 if index < 2 else 176
        canvas.circle(x, y, 52, rng.choice(flavours))
    canvas.chord((210, 180, 430, 330), 0, 180, _lighter(palette.accent, 0.5))
    canvas.polygon((370, 150, 384, 146, 420, 236, 406, 240), (226, 186, 120))


# --- Drinks -------------------------------------------------------------------


def _cup(canvas: Canvas, palette: Palette, liquid: Colour) -> None:
    canvas.ellipse((196, 330, 444, 384), PLATE_RIM)
    canvas.ellipse((206, 332, 434, 376), PLATE)
    canvas.ring((378, 244, 446, 312), WHITE, 16)
    canvas.chord((240, 150, 400, 360), 0, 180, WHITE)
    canvas.rectangle((240, 232, 400, 258), WHITE)
    canvas.rectangle((244, 282, 396, 298), palette.accent)
    canvas.ellipse((240, 218, 400, 250), _darker(WHITE, 0.92))
    canvas.ellipse((250, 222, 390, 246), liquid)


def _steam(canvas: Canvas) -> None:
    for x in (290, 340):
        canvas.arc((x - 14, 160, x + 14, 206), 100, 260, WHITE, 5)
        canvas.arc((x - 14, 120, x + 14, 166), 280, 80, WHITE, 5)


def _draw_coffee(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _cup(canvas, palette, COFFEE)
    canvas.ellipse((290, 226, 350, 240), CREMA)
    _steam(canvas)


def _draw_hot_chocolate(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _cup(canvas, palette, CHOCOLATE)
    canvas.ellipse((270, 212, 370, 244), CREAM)
    _steam(canvas)


def _draw_tea(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _cup(canvas, palette, TEA)
    canvas.line((380, 234, 408, 300), (240, 240, 240), 3)
    canvas.rectangle((396, 298, 424, 330), palette.accent, radius=3)
    _steam(canvas)


def _draw_drink(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    canvas.line((346, 170, 384, 66), _lighter(palette.accent, 0.6), 14)
    canvas.polygon((246, 172, 394, 172, 372, 392, 268, 392), palette.accent)
    canvas.polygon((252, 240, 388, 240, 384, 290, 256, 290), WHITE)
    canvas.circle(320, 265, 18, palette.accent)
    canvas.rectangle((236, 148, 404, 178), (236, 236, 236), radius=10)


def _draw_water(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    canvas.rectangle((270, 140, 370, 400), WATER_BLUE, radius=26)
    canvas.rectangle((270, 200, 370, 400), _darker(WATER_BLUE, 0.9), radius=26)
    canvas.polygon((292, 102, 348, 102, 370, 150, 270, 150), WATER_BLUE)
    canvas.rectangle((292, 76, 348, 104), palette.accent, radius=6)
    canvas.rectangle((270, 250, 370, 316), WHITE)
    canvas.rectangle((270, 272, 370, 292), palette.accent)
    canvas.rectangle((284, 160, 296, 380), _lighter(WATER_BLUE, 0.5), radius=6)


def _draw_juice(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    canvas.polygon((266, 160, 374, 160, 362, 390, 278, 390), GLASS)
    canvas.polygon((270, 196, 370, 196, 362, 382, 278, 382), ORANGE_JUICE)
    canvas.chord((340, 120, 420, 200), 180, 360, ORANGE_JUICE)
    canvas.chord((348, 128, 412, 192), 180, 360, LEMON)
    canvas.line((300, 200, 280, 90), palette.accent, 10)


def _draw_shake(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    shake = rng.choice(((244, 170, 190), (150, 96, 60), (250, 236, 200)))
    canvas.line((340, 180, 378, 70), palette.accent, 14)
    canvas.polygon((258, 196, 382, 196, 366, 396, 274, 396), shake)
    canvas.rectangle((262, 260, 378, 276), _lighter(shake, 0.4))
    for x, y in ((276, 190), (306, 176), (336, 176), (364, 190), (320, 160)):
        canvas.circle(x, y, 26, CREAM)
    canvas.circle(322, 128, 16, (210, 30, 50))
    canvas.line((322, 116, 336, 90), LETTUCE_DARK, 4)


def _draw_beer(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    canvas.polygon((254, 140, 386, 140, 370, 396, 270, 396), BEER)
    canvas.polygon((270, 150, 296, 150, 290, 386, 282, 386), _lighter(BEER, 0.35))
    for _bubble in range(10):
        canvas.circle(
            rng.uniform(300, 360), rng.uniform(180, 380), 4, _lighter(BEER, 0.5)
        )
    for x in (264, 300, 340, 376):
        canvas.circle(x, 136, 28, FOAM)
    canvas.rectangle((254, 130, 386, 160), FOAM)


def _wine_glass(canvas: Canvas, wine: Colour) -> None:
    canvas.ellipse((262, 372, 378, 394), GLASS)
    canvas.rectangle((314, 260, 326, 384), GLASS)
    canvas.chord((246, 100, 394, 280), 0, 180, wine)
    canvas.chord((246, 100, 394, 280), 180, 360, GLASS)
    canvas.ellipse((246, 180, 394, 200), _darker(wine, 0.85))
    canvas.arc((256, 110, 384, 270), 200, 240, WHITE, 5)


def _draw_wine(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _wine_glass(canvas, RED_WINE)


def _draw_white_wine(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    _wine_glass(canvas, WHITE_WINE)


# --- Combo trays --------------------------------------------------------------


def _tray(main: Drawer) -> Drawer:
    """A tray holding the combo's main with fries and a drink."""

    def draw(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
        canvas.rectangle((70, 230, 570, 430), _darker(palette.accent, 0.55), radius=26)
        canvas.rectangle((90, 244, 550, 414), CREAM, radius=12)
        _draw_fries(canvas.around(330, 236, 0.6), palette, rng)
        _draw_drink(canvas.around(462, 244, 0.66), palette, rng)
        main(canvas.around(210, 300, 0.66), palette, rng)

    return draw


DRAWERS: dict[str, Drawer] = {
    "burger": _draw_burger,
    "double_burger": _draw_double_burger,
    "chicken_burger": _draw_chicken_burger,
    "veggie_burger": _draw_veggie_burger,
    "sandwich": _draw_sandwich,
    "croque": _draw_croque,
    "wrap": _draw_wrap,
    "fries": _draw_fries,
    "onion_rings": _draw_onion_rings,
    "nuggets": _draw_nuggets,
    "salad": _draw_salad,
    "fruit": _draw_fruit,
    "steak": _draw_steak,
    "tartare": _draw_tartare,
    "fish": _draw_fish,
    "omelette": _draw_omelette,
    "mussels": _draw_mussels,
    "soup": _draw_soup,
    "mash": _draw_mash,
    "board": _draw_board,
    "brunch": _draw_brunch,
    "pancakes": _draw_pancakes,
    "croissant": _draw_croissant,
    "cookie": _draw_cookie,
    "dessert": _draw_dessert,
    "ice_cream": _draw_ice_cream,
    "coffee": _draw_coffee,
    "hot_chocolate": _draw_hot_chocolate,
    "tea": _draw_tea,
    "drink": _draw_drink,
    "water": _draw_water,
    "juice": _draw_juice,
    "shake": _draw_shake,
    "beer": _draw_beer,
    "wine": _draw_wine,
    "white_wine": _draw_white_wine,
    "combo": _tray(_draw_burger),
    "combo_chicken": _tray(_draw_chicken_burger),
    "combo_veggie": _tray(_draw_veggie_burger),
    "combo_nuggets": _tray(_draw_nuggets),
    "combo_croque": _tray(_draw_croque),
}

IMAGE_KINDS = frozenset(DRAWERS)


def _backdrop(canvas: Canvas, palette: Palette, rng: random.Random) -> None:
    """A disc behind the dish, a shadow under it and a few specks around."""
    canvas.circle(320, 250, 214, palette.backdrop)
    for _speck in range(8):
        angle = rng.uniform(0, 2 * math.pi)
        reach = rng.uniform(236, 300)
        x, y = 320 + reach * math.cos(angle), 250 + reach * 0.75 * math.sin(angle)
        canvas.circle(x, y, rng.uniform(5, 10), palette.backdrop)
    canvas.ellipse((170, 360, 470, 410), palette.shadow)


def product_image_png(*, kind: str, seed: str) -> bytes:
    """A 640x480 PNG of a dish of this kind, coloured after the seed."""
    try:
        drawer = DRAWERS[kind]
    except KeyError:
        raise ValueError(f"Unknown image kind: {kind!r}") from None
    rng = random.Random(f"{kind}:{seed}")
    palette = Palette.from_seed(rng)
    image = Image.new(
        "RGB", (WIDTH * SUPERSAMPLING, HEIGHT * SUPERSAMPLING), palette.background
    )
    canvas = Canvas(ImageDraw.Draw(image))
    _backdrop(canvas, palette, rng)
    drawer(canvas, palette, rng)
    # Halving by averaging 2x2 blocks smooths the edges; a fast octree palette
    # keeps the flat colours exact enough and the file small.
    small = image.reduce(SUPERSAMPLING)
    output = io.BytesIO()
    small.quantize(colors=PALETTE_SIZE, method=Image.Quantize.FASTOCTREE).save(
        output, format="PNG", optimize=True
    )
    return output.getvalue()
