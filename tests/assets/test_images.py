"""Photos: upright, stripped of metadata, screen-sized, cached, and bad files reported where content names them."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, WORKER_MD, check_site, run_cli, tree_bytes
from PIL import Image

BLUE, RED = (0, 0, 255), (255, 0, 0)
PHOTO_LINE = 8  # the line of `photo:` in _worker()
CAMERA = "ExhibitTestCam"


def _worker(photo: str = "a.jpg", name: str = "邵志村") -> str:
    return WORKER_MD.replace("name: 邵志村", f"name: {name}").replace("since: 2008\n", f"since: 2008\nphoto: {photo}\n")


def _half_blue(path: Path, size: tuple[int, int] = (400, 300), orientation: int = 1, gps: bool = False) -> Path:
    """Stored left half blue, right half red, with an EXIF orientation (and GPS and camera data)."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = CAMERA  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (31.0, 14.0, 5.0), 3: "E", 4: (121.0, 28.0, 9.0)}
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=95, exif=exif.tobytes())
    return path


def _renditions(site: Path, folder: str, stem: str) -> list[Path]:
    found = sorted((site / "media" / folder).glob(f"{stem}-*w.*"))
    assert found, f"no renditions of {folder}/{stem} in {sorted(p.name for p in (site / 'media' / folder).iterdir())}"
    return found


def _near(pixel: tuple[int, ...], color: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], color, strict=True))


@pytest.mark.parametrize(("orientation", "upright_size", "blue_at", "red_at"), [
    (6, (300, 400), (150, 40), (150, 360)),   # stored sideways: turned clockwise, the left half is on top
    (8, (300, 400), (150, 360), (150, 40)),   # turned counter-clockwise: the left half at the bottom
    (3, (400, 300), (360, 150), (40, 150)),   # upside down: the left half on the right
])
def test_photo_rotated_by_exif_comes_out_upright(make_site, orientation, upright_size, blue_at, red_at):
    root = make_site({"content/workers/a.md": _worker()})
    _half_blue(root / "content/workers/a.jpg", orientation=orientation)
    run = run_cli(root)
    assert run.returncode == 0, run.stderr
    widths = set()
    for path in _renditions(root / "site", "workers", "a"):
        with Image.open(path) as image:
            rgb = image.convert("RGB")
            scale = rgb.width / upright_size[0]
            assert abs(rgb.height - upright_size[1] * scale) <= 1, (path.name, rgb.size)
            blue = rgb.getpixel((int(blue_at[0] * scale), int(blue_at[1] * scale)))
            red = rgb.getpixel((int(red_at[0] * scale), int(red_at[1] * scale)))
            assert _near(blue, BLUE) and _near(red, RED), (path.name, blue, red)
            assert image.getexif().get(0x0112) is None  # no orientation left to apply twice
            widths.add(rgb.width)
    assert max(widths) == upright_size[0]
    page = (root / "site/workers/a.html").read_text(encoding="utf-8")
    width, height = upright_size
    assert f'width="{width}" height="{height}"' in page


def test_gps_and_camera_data_are_gone_and_the_original_is_not_published(make_site):
    root = make_site({"content/workers/a.md": _worker()})
    _half_blue(root / "content/workers/a.jpg", size=(1600, 1200), orientation=6, gps=True)
    with Image.open(root / "content/workers/a.jpg") as source:
        assert source.getexif().get_ifd(0x8825)  # the source really carries GPS
    assert run_cli(root).returncode == 0
    site = root / "site"
    outputs = _renditions(site, "workers", "a")
    assert {p.suffix for p in outputs} == {".webp", ".jpg"}
    for path in outputs:
        with Image.open(path) as image:
            assert not image.getexif(), path.name
            assert "exif" not in image.info and "icc_profile" not in image.info and "xmp" not in image.info
    assert not (site / "media/workers/a.jpg").exists()
    for rel, data in tree_bytes(site).items():
        assert CAMERA.encode() not in data, rel
        assert b"Exif\x00\x00" not in data, rel


def test_links_to_a_photo_open_its_largest_rendition(make_site):
    story = "\n[原图](a.jpg)\n\n![现场](a.jpg)\n"
    root = make_site({"content/workers/a.md": _worker() + story})
    _half_blue(root / "content/workers/a.jpg", size=(1200, 900))
    assert run_cli(root).returncode == 0
    page = (root / "site/workers/a.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./media/workers/a-1200w\.[0-9a-f]{10}\.jpg"', page)
    assert 'href="../media/workers/a.jpg"' not in page and 'src="../media/workers/a.jpg"' not in page
    # the story image became a <picture> with both formats, and its own width and height
    story_picture = page[page.index('alt="现场"') - 1200:page.index('alt="现场"')]
    assert 'type="image/webp"' in story_picture and "a-640w." in story_picture


def _bad_image(kind: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "not an image":
        path.write_text("这不是图片，是一段文字。", encoding="utf-8")
    elif kind == "truncated":
        noise = Image.effect_noise((800, 600), 60).convert("RGB")
        noise.save(path, "JPEG", quality=90)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:  # over Pillow's limit (twice MAX_IMAGE_PIXELS): refused before any pixel is decoded
        Image.new("1", (14000, 13000)).save(path, "PNG")


@pytest.mark.parametrize(("kind", "zh", "en"), [
    ("not an image", "不是可读取的图片", "is not a readable image"),
    ("truncated", "文件被截断", "the file is truncated"),
    ("decompression bomb", "解压炸弹", "decompression bomb"),
])
def test_each_bad_image_is_reported_at_every_line_that_names_it(make_site, kind, zh, en):
    suffix = ".png" if kind == "decompression bomb" else ".jpg"
    activity = ("---\ntitle: 主题党日\nunit: acid\ndate: 2024-05-01\nphotos:\n  - ok.jpg\n"
                f"  - ../workers/bad{suffix}\n---\n活动。\n")
    root = make_site({"content/workers/a.md": _worker(f"bad{suffix}"), "content/activities/day.md": activity})
    _bad_image(kind, root / f"content/workers/bad{suffix}")
    _half_blue(root / "content/activities/ok.jpg")
    run = run_cli(root)
    assert run.returncode == 1
    assert f"content/workers/a.md:{PHOTO_LINE}:1: error:" in run.stderr, run.stderr
    assert "content/activities/day.md:7:1: error:" in run.stderr, run.stderr  # the line of the list entry
    assert zh in run.stderr
    assert f"bad{suffix}" in run.stderr and "Traceback" not in run.stderr
    assert not (root / "site").exists()
    english = run_cli(root, "--lang", "en")
    assert en in english.stderr, english.stderr


def _cmyk_red(path: Path) -> None:
    Image.new("CMYK", (300, 200), (0, 255, 255, 0)).save(path, "JPEG", quality=95)


def _grey_16_bit(path: Path) -> None:
    Image.new("I;16", (300, 200), 40000).save(path, "PNG")


def _palette(path: Path) -> None:
    image = Image.new("P", (300, 200), 1)
    image.putpalette([0, 255, 0, 255, 0, 0])
    image.save(path, "PNG")


def _palette_half_transparent(path: Path) -> None:
    image = Image.new("P", (300, 200), 0)
    image.putpalette([0, 0, 0, 0, 255, 0])
    image.paste(1, (150, 0, 300, 200))
    image.save(path, "PNG", transparency=0)


def _translucent(path: Path) -> None:
    Image.new("RGBA", (300, 200), (255, 0, 0, 128)).save(path, "PNG")


def test_cmyk_sixteen_bit_palette_and_alpha_images_are_handled(make_site):
    activity = ("---\ntitle: 主题党日\nunit: acid\ndate: 2024-05-01\n"
                "photos: [cmyk.jpg, grey16.png, palette.png, clear.png, glass.png]\n---\n活动。\n")
    root = make_site({"content/activities/day.md": activity})
    folder = root / "content/activities"
    folder.mkdir(parents=True, exist_ok=True)
    _cmyk_red(folder / "cmyk.jpg")
    _grey_16_bit(folder / "grey16.png")
    _palette(folder / "palette.png")
    _palette_half_transparent(folder / "clear.png")
    _translucent(folder / "glass.png")
    run = run_cli(root)
    assert run.returncode == 0, run.stderr
    site = root / "site"

    def largest(stem: str, suffix: str) -> Image.Image:
        path = [p for p in _renditions(site, "activities", stem) if p.suffix == suffix][-1]
        return Image.open(path)

    cmyk = largest("cmyk", ".jpg")
    assert cmyk.mode == "RGB" and _near(cmyk.getpixel((10, 10)), (255, 0, 0), 60)
    grey = largest("grey16", ".jpg").convert("L")
    assert abs(grey.getpixel((10, 10)) - round(40000 / 65535 * 255)) <= 3  # scaled, not clipped to white
    palette = largest("palette", ".jpg").convert("RGB")
    assert _near(palette.getpixel((10, 10)), (255, 0, 0))
    # transparency survives: WebP with alpha, and PNG (not JPEG) as the fallback
    assert not list((site / "media/activities").glob("clear-*.jpg"))
    clear = largest("clear", ".png")
    assert clear.mode == "RGBA" and clear.getpixel((10, 10))[3] == 0 and clear.getpixel((290, 10))[3] == 255
    glass = largest("glass", ".webp")
    assert glass.mode == "RGBA" and abs(glass.getpixel((10, 10))[3] - 128) <= 2


SCREEN = "name: {name}\nresolution: {resolution}\nplaylist:\n  - collection: workers\n"


@pytest.mark.parametrize(("screens", "box"), [
    ({}, (1920, 1080)),
    ({"lobby": "1280x720", "stairs": "720x1280", "office": "1024x768"}, (1280, 720)),
])
def test_renditions_never_exceed_the_largest_screen(make_site, screens, box):
    files = {f"content/screens/{name}.yaml": SCREEN.format(name=name, resolution=resolution)
             for name, resolution in screens.items()}
    sizes = {"wide": (4000, 3000), "tall": (3000, 4000), "panorama": (6000, 1000), "small": (500, 400)}
    listed = ", ".join(f"{name}.jpg" for name in sizes)
    files["content/activities/day.md"] = (f"---\ntitle: 主题党日\nunit: acid\ndate: 2024-05-01\nphotos: [{listed}]\n"
                                          "---\n活动。\n")
    root = make_site(files)
    for name, size in sizes.items():
        Image.new("RGB", size, "#c9a227").save(root / f"content/activities/{name}.jpg", quality=70)
    run = run_cli(root)
    assert run.returncode == 0, run.stderr
    long_edge, short_edge = box
    widest: dict[str, int] = {}
    for name in sizes:
        for path in _renditions(root / "site", "activities", name):
            with Image.open(path) as image:
                assert max(image.size) <= long_edge and min(image.size) <= short_edge, (path.name, image.size)
                widest[name] = max(widest.get(name, 0), image.width)
    assert widest["small"] == 500  # never enlarged
    assert widest["wide"] == min(4000 * short_edge // 3000, long_edge)  # as large as the screen allows
    page = (root / "site/activities/day.html").read_text(encoding="utf-8")
    for width, height in re.findall(r'width="(\d+)" height="(\d+)"', page):
        assert max(int(width), int(height)) <= long_edge and min(int(width), int(height)) <= short_edge


def test_second_build_processes_zero_images_and_a_changed_photo_only_itself(make_site):
    activity = "---\ntitle: 主题党日\nunit: acid\ndate: 2024-05-01\nphotos: [p0.jpg, p1.jpg, p2.jpg]\n---\n活动。\n"
    root = make_site({"content/workers/a.md": _worker(), "content/activities/day.md": activity})
    _half_blue(root / "content/workers/a.jpg", orientation=6)
    for index in range(3):
        Image.new("RGB", (900 + index, 600), (index * 60, 40, 90)).save(root / f"content/activities/p{index}.jpg")
    first = check_site(root, write=True)
    assert first.ok and first.assets.images.processed == 4 and first.assets.images.cached == 0
    site_after_first = tree_bytes(root / "site")
    unchanged = check_site(root, write=True)  # nothing changed: the engine reads and writes nothing
    assert unchanged.ok and unchanged.skipped and tree_bytes(root / "site") == site_after_first
    _edit(root / "content/activities/day.md", "活动。", "活动，一张照片也没换。")
    second = check_site(root, write=True)
    assert second.ok and second.assets.images.processed == 0 and second.assets.images.cached == 4
    assert {path: data for path, data in tree_bytes(root / "site").items() if "/media/" in f"/{path}"} == {
        path: data for path, data in site_after_first.items() if "/media/" in f"/{path}"}
    Image.new("RGB", (900, 600), "white").save(root / "content/activities/p1.jpg")
    third = check_site(root, write=True)
    assert third.assets.images.processed == 1 and third.assets.images.cached == 3
    _edit(root / "content/activities/day.md", "一张照片也没换", "照片没换")
    run = run_cli(root)  # and what a person reads
    assert "本次处理 0 张" in run.stdout, run.stdout


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_same_content_builds_byte_identical_files_even_with_a_fresh_cache(make_site):
    root = make_site({"content/workers/a.md": _worker()})
    _half_blue(root / "content/workers/a.jpg", size=(1300, 900), orientation=6, gps=True)
    assert run_cli(root).returncode == 0
    first = tree_bytes(root / "site")
    subprocess.run(["rm", "-rf", str(root / ".exhibit-cache"), str(root / "site")], check=True)
    assert run_cli(root).returncode == 0
    assert tree_bytes(root / "site") == first


def _run_on_terminal(root: Path, *args: str, ci: bool = False) -> str:
    """Run the CLI with a pseudo-terminal as stdout/stderr, as a person at a terminal would."""
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    if ci:
        env["CI"] = "true"
    main, child = pty.openpty()
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), *args, "--root", str(root)],
                               stdin=child, stdout=child, stderr=child, env=env, close_fds=True)
    os.close(child)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                data = os.read(main, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    process.wait(timeout=30)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize(("args", "ci", "shown"), [
    ((), False, True),
    (("-q",), False, False),
    ((), True, False),
])
def test_progress_bar_only_on_a_terminal_and_not_under_quiet_or_ci(make_site, args, ci, shown):
    root = make_site({"content/workers/a.md": _worker()})
    _half_blue(root / "content/workers/a.jpg", size=(1200, 900))
    output = _run_on_terminal(root, *args, ci=ci)
    assert (root / "site/workers/a.html").is_file(), output
    assert ("正在处理图片" in output) is shown, output
    plain = run_cli(root)  # a pipe, as in CI logs: never a bar
    assert "正在处理图片" not in plain.stdout + plain.stderr


def test_cache_entries_unused_for_a_month_are_pruned_and_used_ones_kept(make_site):
    root = make_site({"content/workers/a.md": _worker()})
    _half_blue(root / "content/workers/a.jpg")
    assert check_site(root, write=True).ok
    cache = root / ".exhibit-cache/images"
    [used] = [entry for entry in cache.glob("*/*") if (entry / "meta.json").is_file()]
    stale = used.parent / ("0" * 40)
    stale.mkdir()
    (stale / "meta.json").write_text("{}", encoding="utf-8")
    old = time.time() - 40 * 86400
    for path in (stale / "meta.json", used / "meta.json"):
        os.utime(path, (old, old))
    _edit(root / "content/workers/a.md", "name: 邵志村", "name: 邵志村 ")  # a change: the engine runs the stages
    assert check_site(root, write=True).ok
    assert not stale.exists() and used.is_dir()  # the build touched its entry before pruning
