#!/usr/bin/env python3
"""Generate the placeholder images used by the bundled sample content.

Every image that the sample content in ``content/`` refers to is listed in
``PLACEHOLDERS`` below.  Running the script (re)draws all of them: a warm
red-to-gold gradient, a simple abstract motif and the ASCII word "SAMPLE"
(no CJK font is needed).  Output is deterministic, so running the script
again produces the same files (idempotent).

Usage::

    python scripts/make_placeholders.py            # write all images
    python scripts/make_placeholders.py --check    # only report missing files
    python scripts/make_placeholders.py --root /path/to/repo

Requires Pillow.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

PORTRAIT = (800, 1000)
LANDSCAPE = (1200, 800)
QUALITY = 80
MAX_BYTES = 120 * 1024

# path (relative to content/), shape, motif
PLACEHOLDERS: list[tuple[str, str, str]] = [
    # workers/ (portraits)
    ("workers/邵志村.jpg", "portrait", "person"),
    ("workers/zhu-wei-guo.jpg", "portrait", "person"),
    ("workers/wang-hai-feng.jpg", "portrait", "person"),
    ("workers/li-jing.jpg", "portrait", "person"),
    ("workers/chen-gang.jpg", "portrait", "person"),
    # teams/
    ("teams/smelting-commando.jpg", "landscape", "team"),
    ("teams/sulfuric-problem-solving.jpg", "landscape", "team"),
    ("teams/electrolysis-pioneer-post.jpg", "landscape", "team"),
    ("teams/power-service.jpg", "landscape", "team"),
    # honors.yaml
    ("media/honors/benchmark-plaque.jpg", "landscape", "plaque"),
    ("media/honors/shao-zhi-cun-certificate.jpg", "portrait", "plaque"),
    # history.yaml
    ("media/history/launder.jpg", "landscape", "furnace"),
    ("media/history/natural-gas.jpg", "landscape", "plant"),
    # activities/
    ("activities/jie-nan-ti-1.jpg", "landscape", "plant"),
    ("activities/jie-nan-ti-2.jpg", "landscape", "team"),
    ("activities/red-furnace-1.jpg", "landscape", "furnace"),
    ("activities/red-furnace-2.jpg", "landscape", "team"),
    ("activities/exhibition-1.jpg", "landscape", "hall"),
    ("activities/exhibition-2.jpg", "landscape", "hall"),
    ("activities/exhibition-3.jpg", "landscape", "plaque"),
    ("activities/acceptance-1.jpg", "landscape", "plaque"),
    ("activities/joint-building-1.jpg", "landscape", "team"),
    ("activities/joint-building-2.jpg", "landscape", "plant"),
]

# warm palette: (top/left colour, bottom/right colour)
PALETTES = [
    ((122, 16, 24), (214, 160, 52)),
    ((150, 28, 30), (232, 184, 84)),
    ((104, 14, 30), (198, 128, 40)),
    ((136, 22, 20), (224, 170, 70)),
]
CREAM = (255, 240, 210)
GOLD = (246, 206, 120)


def _rng(path: str) -> random.Random:
    return random.Random(zlib.crc32(path.encode("utf-8")))


def _gradient(size: tuple[int, int], rnd: random.Random) -> Image.Image:
    w, h = size
    top, bottom = PALETTES[rnd.randrange(len(PALETTES))]
    angle = rnd.choice([0, 20, -20, 35, -35])
    mask = Image.linear_gradient("L").rotate(angle, resample=Image.BICUBIC)
    # keep only the centre, which the rotation leaves fully covered
    mask = mask.crop((40, 40, 216, 216)).resize(size, Image.BICUBIC)
    img = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)
    # soft glow somewhere in the upper half
    glow = Image.radial_gradient("L").resize((int(w * 1.2), int(w * 1.2)), Image.BICUBIC)
    glow = glow.point(lambda v: max(0, 150 - v) if v < 150 else 0)
    layer = Image.new("RGB", size, GOLD)
    gmask = Image.new("L", size, 0)
    gx = int(w * rnd.uniform(0.15, 0.85) - glow.width / 2)
    gy = int(h * rnd.uniform(0.05, 0.4) - glow.height / 2)
    gmask.paste(glow, (gx, gy))
    return Image.composite(layer, img, gmask)


def _rgba(colour: tuple[int, int, int], alpha: int) -> tuple[int, int, int, int]:
    return colour + (alpha,)


def _person(d: ImageDraw.ImageDraw, cx: float, base: float, scale: float, alpha: int) -> None:
    """Head-and-shoulders silhouette standing on y=base."""
    head_r = 110 * scale
    head_cy = base - 420 * scale
    d.ellipse(
        (cx - head_r, head_cy - head_r * 1.15, cx + head_r, head_cy + head_r * 1.15),
        fill=_rgba(CREAM, alpha),
    )
    sw = 260 * scale  # half shoulder width
    top = head_cy + head_r * 1.35
    d.rounded_rectangle(
        (cx - sw, top, cx + sw, base + 200 * scale), radius=int(150 * scale), fill=_rgba(CREAM, alpha)
    )


def motif_person(d: ImageDraw.ImageDraw, size: tuple[int, int], rnd: random.Random) -> None:
    w, h = size
    _person(d, w / 2, h * 0.86, w / 800 * 1.05, 150)
    # thin ring around the portrait
    r = w * 0.40
    cy = h * 0.47
    d.ellipse((w / 2 - r, cy - r, w / 2 + r, cy + r), outline=_rgba(GOLD, 110), width=6)


def motif_team(d: ImageDraw.ImageDraw, size: tuple[int, int], rnd: random.Random) -> None:
    w, h = size
    n = rnd.choice([3, 4, 5])
    span = w * 0.72
    for i in range(n):
        cx = w * 0.14 + span * (i + 0.5) / n
        back = i % 2
        scale = (0.62 if back else 0.72) * rnd.uniform(0.95, 1.05)
        _person(d, cx, h * (0.80 if back else 0.90), scale, 95 if back else 150)
    d.line((w * 0.08, h * 0.93, w * 0.92, h * 0.93), fill=_rgba(GOLD, 120), width=4)


def motif_furnace(d: ImageDraw.ImageDraw, size: tuple[int, int], rnd: random.Random) -> None:
    w, h = size
    # furnace body
    fx, fw = w * 0.28, w * 0.30
    d.rounded_rectangle((fx, h * 0.30, fx + fw, h * 0.82), radius=40, fill=_rgba(CREAM, 70))
    d.ellipse((fx, h * 0.22, fx + fw, h * 0.38), fill=_rgba(CREAM, 90))
    # sloping launder with molten stream
    d.polygon(
        [(fx + fw, h * 0.62), (w * 0.92, h * 0.74), (w * 0.92, h * 0.79), (fx + fw, h * 0.67)],
        fill=_rgba(CREAM, 110),
    )
    d.line((fx + fw, h * 0.645, w * 0.92, h * 0.765), fill=(255, 196, 80, 220), width=8)
    # sparks
    for _ in range(40):
        x = rnd.uniform(fx + fw * 0.8, w * 0.9)
        y = rnd.uniform(h * 0.45, h * 0.72)
        r = rnd.uniform(2, 6)
        d.ellipse((x - r, y - r, x + r, y + r), fill=(255, 220, 140, rnd.randrange(120, 230)))


def motif_plant(d: ImageDraw.ImageDraw, size: tuple[int, int], rnd: random.Random) -> None:
    w, h = size
    ground = h * 0.84
    x = w * 0.06
    while x < w * 0.94:
        bw = rnd.uniform(w * 0.06, w * 0.14)
        bh = rnd.uniform(h * 0.15, h * 0.38)
        d.rectangle((x, ground - bh, x + bw, ground), fill=_rgba(CREAM, 80))
        if rnd.random() < 0.45:  # chimney / stack
            cw = bw * 0.25
            ch = rnd.uniform(h * 0.15, h * 0.30)
            cx = x + bw * 0.6
            d.rectangle((cx, ground - bh - ch, cx + cw, ground - bh), fill=_rgba(CREAM, 95))
            for k in range(3):  # drifting clouds of steam
                r = cw * (0.8 + k * 0.5)
                sx, sy = cx + cw / 2 + k * cw * 1.2, ground - bh - ch - r - k * r * 0.6
                d.ellipse((sx - r, sy - r, sx + r, sy + r), fill=_rgba(CREAM, 45 - k * 10))
        x += bw + rnd.uniform(4, w * 0.03)
    # pipe rack
    for k in range(3):
        y = ground - h * 0.05 - k * 14
        d.line((w * 0.04, y, w * 0.96, y), fill=_rgba(GOLD, 120), width=5)
    d.rectangle((0, ground, w, h), fill=_rgba((70, 10, 14), 90))


def motif_hall(d: ImageDraw.ImageDraw, size: tuple[int, int], rnd: random.Random) -> None:
    """A corridor in one-point perspective with frames on the walls."""
    w, h = size
    vy = h * 0.45  # the vanishing point's height (it is at the middle)
    far = (w * 0.40, h * 0.33, w * 0.60, h * 0.57)
    corners = [(0, 0), (w, 0), (w, h), (0, h)]
    inner = [(far[0], far[1]), (far[2], far[1]), (far[2], far[3]), (far[0], far[3])]
    for (ax, ay), (bx, by) in zip(corners, inner, strict=True):
        d.line((ax, ay, bx, by), fill=_rgba(CREAM, 110), width=3)
    d.rectangle(far, outline=_rgba(CREAM, 130), width=3)
    # frames on the left and right walls
    for side in (-1, 1):
        for k in range(3):
            t0 = 0.08 + k * 0.26
            t1 = t0 + 0.18

            def lerp(t: float, y: float, side: int = side) -> tuple[float, float]:
                x_edge = 0 if side < 0 else w
                x_in = far[0] if side < 0 else far[2]
                return x_edge + (x_in - x_edge) * t, y + (vy - y) * t

            p = [lerp(t0, h * 0.22), lerp(t1, h * 0.22), lerp(t1, h * 0.62), lerp(t0, h * 0.62)]
            d.polygon(p, fill=_rgba(GOLD, 70 + k * 20), outline=_rgba(CREAM, 140))


def motif_plaque(d: ImageDraw.ImageDraw, size: tuple[int, int], rnd: random.Random) -> None:
    w, h = size
    mw, mh = min(w, h) * 0.62, min(w, h) * 0.62 * (1.25 if h > w else 0.75)
    x0, y0 = (w - mw) / 2, (h - mh) / 2 - h * 0.05
    d.rounded_rectangle((x0, y0, x0 + mw, y0 + mh), radius=18, fill=_rgba(CREAM, 60),
                        outline=_rgba(GOLD, 200), width=10)
    d.rectangle((x0 + 28, y0 + 28, x0 + mw - 28, y0 + mh - 28), outline=_rgba(GOLD, 130), width=3)
    # five-pointed star
    cx, cy = w / 2, y0 + mh * 0.42
    R, r = mh * 0.20, mh * 0.08
    pts = []
    for i in range(10):
        rad = R if i % 2 == 0 else r
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    d.polygon(pts, fill=(255, 214, 110, 235))
    for k in range(3):  # lines standing in for text
        y = y0 + mh * (0.70 + k * 0.07)
        lw = mw * (0.5 - k * 0.1)
        d.line((cx - lw / 2, y, cx + lw / 2, y), fill=_rgba(CREAM, 150), width=6)


MOTIFS = {
    "person": motif_person,
    "team": motif_team,
    "furnace": motif_furnace,
    "plant": motif_plant,
    "hall": motif_hall,
    "plaque": motif_plaque,
}


def _font(px: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=px)
    except TypeError:  # very old Pillow: bitmap font only
        return ImageFont.load_default()


def _label(img: Image.Image) -> None:
    w, h = img.size
    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(overlay)
    band = int(h * 0.11)
    d.rectangle((0, h - band, w, h), fill=(60, 8, 12, 120))
    font = _font(int(band * 0.48))
    text = "S A M P L E"
    box = d.textbbox((0, 0), text, font=font)
    tw, th = box[2] - box[0], box[3] - box[1]
    d.text(((w - tw) / 2 - box[0], h - band / 2 - th / 2 - box[1]), text, font=font,
           fill=(255, 236, 200, 235))
    small = _font(max(12, int(band * 0.18)))
    d.text((int(w * 0.03), int(h * 0.03)), "EXHIBIT PLACEHOLDER", font=small, fill=(255, 236, 200, 150))
    img.paste(Image.alpha_composite(img.convert("RGBA"), overlay).convert("RGB"))


def render(rel: str, shape: str, motif: str) -> Image.Image:
    size = PORTRAIT if shape == "portrait" else LANDSCAPE
    rnd = _rng(rel)
    img = _gradient(size, rnd)
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    MOTIFS[motif](ImageDraw.Draw(overlay), size, rnd)
    overlay = overlay.filter(ImageFilter.GaussianBlur(1.2))
    img = Image.alpha_composite(img.convert("RGBA"), overlay).convert("RGB")
    _label(img)
    return img


def encode(img: Image.Image) -> bytes:
    quality = QUALITY
    while True:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
        data = buf.getvalue()
        if len(data) < MAX_BYTES or quality <= 40:
            return data
        quality -= 5


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                    help="repository root (default: the folder above scripts/)")
    ap.add_argument("--check", action="store_true", help="only report missing images")
    args = ap.parse_args(argv)
    content = args.root / "content"

    missing = 0
    for rel, shape, motif in PLACEHOLDERS:
        path = content / rel
        if args.check:
            if not path.is_file():
                print(f"missing: {path}")
                missing += 1
            continue
        data = encode(render(rel, shape, motif))
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file() and path.read_bytes() == data:
            status = "unchanged"
        else:
            path.write_bytes(data)
            status = "written"
        print(f"{status:9} {rel} ({len(data) // 1024} KB)")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
