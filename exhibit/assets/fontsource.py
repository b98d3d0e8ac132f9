"""Which CJK font file to subset: the one site.yaml names, or one the build machine has.

The machine's font is found by fontconfig on Linux and in the system font folders
on Windows and macOS (exhibit/assets/systemfonts.py).

The setting is read with the config (exhibit/model/fontsetting.py); this module finds
the file it names. A font collection (TTC) holds several faces; the Simplified Chinese one is picked
unless `index` says otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from exhibit.assets.systemfonts import SystemFonts
from exhibit.diagnostics import Diagnostics
from exhibit.model.fontsetting import FONT_SUFFIXES, FontSetting

_COLLECTION_SUFFIXES = (".ttc", ".otc")
_SIMPLIFIED_MARKS = (" SC", "GB", "Hans", "简")
FC_TIMEOUT = 30


@dataclass(frozen=True)
class FontFile:
    """A face in a font file: the file, its number inside a collection, its family name."""

    path: Path
    index: int
    family: str


def locate_font(setting: FontSetting | None, content_dir: Path, config_rel: str,
                diagnostics: Diagnostics, system: SystemFonts | None = None) -> FontFile | None:
    """The face to subset, or None (with a warning or error saying why, unless disabled).

    `system`: the font folders to search instead of fontconfig (default: Windows' or macOS's, on those).
    """
    if setting is not None and not setting.enabled:
        return None
    if setting is not None and setting.file:
        path = Path(setting.file.replace("\\", "/")).expanduser()
        path = path if path.is_absolute() else (content_dir / path)
        if not path.is_file():
            diagnostics.error("font_file_missing", config_rel, setting.line, 1, value=setting.file)
            return None
        return _open_face(path, setting.index, setting.family, setting.file, config_rel, setting.line, diagnostics)
    if setting is not None and setting.family:
        found = fontconfig_match(setting.family)
        if found is None or found.family.lower() != setting.family.lower():
            diagnostics.error("font_family_missing", config_rel, setting.line, 1, value=setting.family)
            return None
        return found
    system = system or SystemFonts.for_platform()
    found = fontconfig_cjk_font() if system is None else _system_font(system, config_rel, diagnostics)
    if found is None:
        diagnostics.warning("font_not_found", config_rel)
    return found


def _system_font(system: SystemFonts, config_rel: str, diagnostics: Diagnostics) -> FontFile | None:
    """The preferred face in the system folders; a system font that may not be published gets a warning."""
    found = system.find()
    if found is None:
        return None
    path, face = found
    opened = _open_face(path, None, None, str(path), config_rel, 1, diagnostics)
    if opened is not None and face.restrictive:
        diagnostics.warning("font_licence_restrictive", config_rel, family=face.family, file=path.name)
    return opened


def _open_face(path: Path, index: int | None, family: str | None, written: str, rel: str, line: int,
               diagnostics: Diagnostics) -> FontFile | None:
    from fontTools.ttLib import TTLibError  # here: fontTools costs a tenth of a second, and only fonts need it

    try:
        names = face_names(path)
    except (TTLibError, OSError, ValueError, AssertionError, KeyError) as error:
        diagnostics.error("font_unreadable", rel, line, 1, value=written, detail=str(error)[:120] or "?")
        return None
    if index is not None and index >= len(names):
        diagnostics.error("font_index_invalid", rel, line, 1, value=written, index=index, count=len(names))
        return None
    chosen = index if index is not None else pick_face(names, family)
    return FontFile(path, chosen, names[chosen])


def face_names(path: Path) -> list[str]:
    """Family names of each face (one for a TTF/OTF, several for a collection)."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in _COLLECTION_SUFFIXES:
        fonts = TTCollection(str(path), lazy=True).fonts
    else:
        fonts = [TTFont(str(path), lazy=True)]
    names = []
    for font in fonts:
        name_table = font["name"]
        names.append(str(name_table.getBestFamilyName() or name_table.getDebugName(1) or path.stem))
    if not names:
        raise ValueError("no font inside")
    return names


def pick_face(names: list[str], family: str | None) -> int:
    """The named family if given, else a Simplified Chinese, proportional face, else the first."""
    if family:
        for index, name in enumerate(names):
            if name.lower() == family.lower():
                return index
    for index, name in enumerate(names):
        if any(mark in name for mark in _SIMPLIFIED_MARKS) and "mono" not in name.lower():
            return index
    return 0


def _fc(args: list[str]) -> list[list[str]]:
    """fc-match's answer, asked once while fontconfig's setup and caches stay as they were.

    A build asks twice and the preview asks on every save: each time a process start (6 ms) for the same answer.
    Installing a font runs fc-cache, which changes a cache folder; a different FONTCONFIG_FILE is another key."""
    executable = shutil.which("fc-match")
    if executable is None:
        return []
    key = (executable, tuple(args), _fontconfig_state())
    if key not in _FC_ANSWERS:
        if len(_FC_ANSWERS) >= _FC_ANSWERS_KEPT:
            _FC_ANSWERS.clear()
        _FC_ANSWERS[key] = _run_fc(executable, args)
    return _FC_ANSWERS[key]


_FC_ANSWERS: dict[tuple[object, ...], list[list[str]]] = {}
_FC_ANSWERS_KEPT = 16
_FC_STATE_FOLDERS = ("/etc/fonts", "/etc/fonts/conf.d", "/var/cache/fontconfig", "~/.cache/fontconfig",
                     "~/.config/fontconfig", "~/.fonts", "~/.local/share/fonts")


def _fontconfig_state() -> tuple[object, ...]:
    """What fc-match's answer follows from, as far as a stat tells: its settings and its caches' folders."""
    stamps: list[object] = [os.environ.get(name) for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "HOME")]
    for folder in _FC_STATE_FOLDERS:
        try:
            stamps.append(os.stat(os.path.expanduser(folder)).st_mtime_ns)
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def _run_fc(executable: str, args: list[str]) -> list[list[str]]:
    try:
        run = subprocess.run([executable, *args], capture_output=True, text=True, timeout=FC_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [line.split("\t") for line in run.stdout.splitlines() if line.count("\t") >= 3]


_FC_FORMAT = "%{file}\t%{index}\t%{family[0]}\t%{lang}\n"


def fontconfig_cjk_font() -> FontFile | None:
    """The best installed sans face that fontconfig says covers Simplified Chinese."""
    for file, index, family, langs in _fc(["-s", "-f", _FC_FORMAT, "sans-serif:lang=zh-cn"]):
        if "zh-cn" in langs.split("|") and file.lower().endswith(FONT_SUFFIXES) and Path(file).is_file():
            return FontFile(Path(file), int(index or 0), family)
    return None


def fontconfig_match(family: str) -> FontFile | None:
    for file, index, found_family, _ in _fc(["-f", _FC_FORMAT, family]):
        if file.lower().endswith(FONT_SUFFIXES) and Path(file).is_file():
            return FontFile(Path(file), int(index or 0), found_family)
    return None
