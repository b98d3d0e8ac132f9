"""Without fontconfig (Windows, macOS) the CJK font is found in the system font folders, simulated here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exhibit.assets.fontsource import locate_font
from exhibit.assets.systemfonts import SystemFonts
from exhibit.diagnostics import Diagnostics

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_BOLD = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


@pytest.fixture(autouse=True)
def _needs_noto() -> None:
    if not NOTO.is_file() or not NOTO_BOLD.is_file():
        from conftest import missing_tool
        missing_tool("fonts-noto-cjk", "sudo apt-get install fonts-noto-cjk")


def _install(folder: Path, name: str, source: Path = NOTO) -> Path:
    """A real font file under the name the system gives it (the bytes are Noto's: what matters is the name)."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(source, folder / name))


def _locate(system: SystemFonts) -> tuple[object, Diagnostics]:
    diagnostics = Diagnostics()
    return locate_font(None, Path("content"), "content/site.yaml", diagnostics, system), diagnostics


def test_windows_prefers_noto_sans_sc_over_yahei(tmp_path):
    windir = tmp_path / "Windows"
    _install(windir / "Fonts", "MSYH.TTC", NOTO_BOLD)  # Windows spells names in any case
    noto = _install(tmp_path / "Users/wang/AppData/Local/Microsoft/Windows/Fonts", "NotoSansCJK-Regular.ttc")
    system = SystemFonts.for_platform("win32", {"WINDIR": str(windir),
                                                "LOCALAPPDATA": str(tmp_path / "Users/wang/AppData/Local")})
    found, diagnostics = _locate(system)
    assert found.path == noto and found.family == "Noto Sans CJK SC"
    assert not diagnostics.warnings


def test_windows_falls_back_to_yahei_and_warns_about_its_licence(tmp_path):
    windir = tmp_path / "Windows"
    _install(windir / "Fonts", "simhei.ttf", NOTO_BOLD)
    yahei = _install(windir / "Fonts", "msyh.ttc")
    found, diagnostics = _locate(SystemFonts.for_platform("win32", {"WINDIR": str(windir)}))
    assert found.path == yahei
    [warning] = diagnostics.warnings
    assert warning.code == "font_licence_restrictive"
    assert "“Microsoft YaHei”（msyh.ttc）" in warning.message("zh-CN") and "不允许" in warning.message("zh-CN")
    assert "Noto Sans SC" in warning.hint("en") and "OFL" in warning.hint("en")


@pytest.mark.parametrize(("installed", "family"), [
    ({"System/Library/Fonts/PingFang.ttc": NOTO, "System/Library/Fonts/STHeiti Light.ttc": NOTO_BOLD}, "PingFang SC"),
    ({"Library/Fonts/Hiragino Sans GB.ttc": NOTO, "System/Library/Fonts/STHeiti Medium.ttc": NOTO_BOLD},
     "Hiragino Sans GB"),
    ({"System/Library/Fonts/STHeiti Light.ttc": NOTO}, "STHeiti"),
])
def test_macos_finds_pingfang_then_hiragino_then_stheiti(tmp_path, installed, family):
    root = tmp_path / "mac"
    for rel, source in installed.items():
        _install(root / Path(rel).parent, Path(rel).name, source)
    system = SystemFonts.for_platform("darwin", {}, root=root, home=tmp_path / "home")
    found, diagnostics = _locate(system)
    expected = next(rel for rel, source in installed.items() if source == NOTO)
    assert found.path == root / expected
    assert [w.args["family"] for w in diagnostics.warnings] == [family]


def test_a_font_in_the_macos_users_folder_that_is_free_needs_no_warning(tmp_path):
    home = tmp_path / "home"
    noto = _install(home / "Library/Fonts", "SourceHanSans-Regular.ttc")
    _install(tmp_path / "System/Library/Fonts", "PingFang.ttc", NOTO_BOLD)
    found, diagnostics = _locate(SystemFonts.for_platform("darwin", {}, root=tmp_path, home=home))
    assert found.path == noto and not diagnostics.warnings


def test_no_cjk_font_in_the_folders_says_so(tmp_path):
    (tmp_path / "Windows/Fonts").mkdir(parents=True)
    found, diagnostics = _locate(SystemFonts.for_platform("win32", {"WINDIR": str(tmp_path / "Windows")}))
    assert found is None and [w.code for w in diagnostics.warnings] == ["font_not_found"]


def test_linux_keeps_fontconfig():
    assert SystemFonts.for_platform("linux", {}) is None


def test_fc_match_is_asked_again_only_when_fontconfig_changed(tmp_path, monkeypatch):
    """The preview asks for the font on every save: fc-match runs once while its setup and caches stay put."""
    import os

    from exhibit.assets import fontsource

    calls = tmp_path / "calls"
    tool = tmp_path / "bin/fc-match"
    tool.parent.mkdir()
    font = tmp_path / "cjk.otf"
    font.write_bytes(b"OTTO")
    tool.write_text(f"#!/bin/sh\necho x >> {calls}\nprintf '{font}\\t0\\tTest Sans SC\\tzh-cn|en\\n'\n")
    tool.chmod(0o755)
    cache = tmp_path / "fontconfig-cache"
    cache.mkdir()
    monkeypatch.setenv("PATH", f"{tool.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(fontsource, "_FC_STATE_FOLDERS", (str(cache),))
    monkeypatch.setattr(fontsource, "_FC_ANSWERS", {})

    def asked() -> int:
        return len(calls.read_text().split()) if calls.exists() else 0

    first = fontsource.fontconfig_cjk_font()
    assert first is not None and first.family == "Test Sans SC"
    assert fontsource.fontconfig_cjk_font() == first
    assert asked() == 1
    (cache / "new.cache-9").write_bytes(b"")  # fc-cache ran: a font was installed
    os.utime(cache, ns=(0, 10**18))
    assert fontsource.fontconfig_cjk_font() == first
    assert asked() == 2
    monkeypatch.setenv("FONTCONFIG_FILE", str(tmp_path / "other.conf"))
    fontsource.fontconfig_cjk_font()
    assert asked() == 3


def test_the_font_file_is_hashed_again_only_when_it_changed(tmp_path, monkeypatch):
    """A build names the subset by the font's hash: kept in the cache by the file's stat."""
    import hashlib
    import os

    from exhibit.assets import fonts
    from exhibit.assets.cache import AssetCache

    font = tmp_path / "cjk.otf"
    font.write_bytes(b"OTTO first")
    subsetter = fonts.FontSubsetter(AssetCache(tmp_path))
    read = []
    real_hash = fonts.file_hash
    monkeypatch.setattr(fonts, "file_hash", lambda path: read.append(path) or real_hash(path))
    assert subsetter._font_hash(font) == hashlib.sha256(b"OTTO first").hexdigest()
    assert subsetter._font_hash(font) == hashlib.sha256(b"OTTO first").hexdigest()
    assert subsetter._font_hash(font) == hashlib.sha256(b"OTTO first").hexdigest()
    assert len(read) == 1
    font.write_bytes(b"OTTO other")  # same size, new bytes and mtime
    os.utime(font, ns=(10**18, 10**18))
    assert subsetter._font_hash(font) == hashlib.sha256(b"OTTO other").hexdigest()
    assert subsetter._font_hash(font) == hashlib.sha256(b"OTTO other").hexdigest()
    assert len(read) == 2
