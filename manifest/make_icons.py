"""Regenerate the Teams app icons (color.png, outline.png).

Dev-only: needs Pillow, which the runtime does not. The PNGs are committed, so
run this only when the artwork changes: ``python -m manifest.make_icons``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
# Draw large and downsample: Pillow's shape drawing has no antialiasing.
SCALE = 8


def _accent_rgb() -> tuple[int, int, int]:
    # Read the colour from the template so icon and accentColor cannot drift apart.
    template = json.loads((HERE / "manifest.template.json").read_text(encoding="utf-8"))
    hex_colour: str = template["accentColor"].lstrip("#")
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return r, g, b


def _heart_mask(size: int, heart_width: float) -> Image.Image:
    """Antialiased heart as an 8-bit mask, centred in a size x size square."""
    big = size * SCALE
    mask = Image.new("L", (big, big), 0)
    # Classic parametric heart; x spans [-16, 16], y spans about [-17, 12].
    points = []
    for step in range(720):
        t = 2 * math.pi * step / 720
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        points.append((x, y))
    unit = heart_width * big / 32
    # The curve's vertical extent is not symmetric about 0; shift to centre it optically.
    y_mid = (12 + -17) / 2
    points_px = [(big / 2 + x * unit, big / 2 - (y - y_mid) * unit) for x, y in points]
    ImageDraw.Draw(mask).polygon(points_px, fill=255)
    return mask.resize((size, size), Image.Resampling.LANCZOS)


def make_color(path: Path) -> None:
    size = 192
    big = size * SCALE
    tile = Image.new("L", (big, big), 0)
    ImageDraw.Draw(tile).rounded_rectangle((0, 0, big - 1, big - 1), radius=40 * SCALE, fill=255)
    tile = tile.resize((size, size), Image.Resampling.LANCZOS)
    icon = Image.new("RGBA", (size, size), (*_accent_rgb(), 0))
    icon.putalpha(tile)
    # Teams asks for the symbol to stay inside the central 120x120 safe area.
    white = Image.new("RGBA", (size, size), (255, 255, 255, 255))
    icon.paste(white, (0, 0), _heart_mask(size, heart_width=0.55))
    icon.save(path, optimize=True)


def make_outline(path: Path) -> None:
    size = 32
    # Every pixel is pure white; only alpha varies, as Teams requires for outline icons.
    alpha = _heart_mask(size, heart_width=0.8)
    white = Image.new("L", (size, size), 255)
    Image.merge("RGBA", (white, white, white, alpha)).save(path, optimize=True)


def main() -> None:
    make_color(HERE / "color.png")
    make_outline(HERE / "outline.png")


if __name__ == "__main__":
    main()
