"""The CJK font in the system font folders, for machines without fontconfig (Windows, macOS).

Linux keeps asking fontconfig (exhibit/assets/fontsource.py). Windows and macOS
have no such service that Python can ask without extra packages, but their fonts
sit in a few well-known folders under well-known file names, so a short list
(in order of preference: the OFL-licensed Noto Sans SC / Source Han Sans first)
is enough. The folders come from `SystemFonts`, so tests can point them at
simulated ones. System fonts such as Microsoft YaHei or PingFang may not be
redistributed: finding one is reported, and the build warns.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SystemFace:
    """A font worth subsetting, as its file names in the system folders."""

    family: str  # as the licence warning names it
    files: tuple[str, ...]
    restrictive: bool  # its licence does not allow putting it (or a subset) on a website


_FREE = SystemFace("Noto Sans SC / Source Han Sans", (
    "NotoSansSC-Regular.otf", "NotoSansSC-Regular.ttf", "NotoSansSC-VariableFont_wght.ttf",
    "NotoSansCJKsc-Regular.otf", "NotoSansCJK-Regular.ttc", "NotoSansCJKsc-VF.otf",
    "SourceHanSansSC-Regular.otf", "SourceHanSansCN-Regular.otf", "SourceHanSans-Regular.ttc"), False)
WINDOWS_FACES = (
    _FREE,
    SystemFace("Microsoft YaHei", ("msyh.ttc", "msyh.ttf"), True),
    SystemFace("DengXian", ("Deng.ttf",), True),
    SystemFace("SimHei", ("simhei.ttf",), True),
)
MACOS_FACES = (
    _FREE,
    SystemFace("PingFang SC", ("PingFang.ttc",), True),
    SystemFace("Hiragino Sans GB", ("Hiragino Sans GB.ttc", "Hiragino Sans GB W3.otf", "Hiragino Sans GB W3.ttc"),
               True),
    SystemFace("STHeiti", ("STHeiti Light.ttc", "STHeiti Medium.ttc", "华文黑体.ttf"), True),
)
RESTRICTIVE_FAMILIES = tuple(face.family for face in (*WINDOWS_FACES, *MACOS_FACES) if face.restrictive)


@dataclass(frozen=True)
class SystemFonts:
    """Where this kind of system keeps fonts, and which faces to look for there."""

    folders: tuple[Path, ...]
    faces: tuple[SystemFace, ...]

    @classmethod
    def for_platform(cls, platform: str = sys.platform, environ: Mapping[str, str] = os.environ,
                     root: Path = Path("/"), home: Path | None = None) -> SystemFonts | None:
        """Windows' and macOS's font folders (`root` and `home` moved for tests); None elsewhere."""
        if platform == "win32":
            windir = environ.get("WINDIR") or environ.get("SystemRoot") or r"C:\Windows"
            folders = [Path(windir) / "Fonts"]
            if environ.get("LOCALAPPDATA"):  # fonts installed "for this user only"
                folders.append(Path(environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
            return cls(tuple(folders), WINDOWS_FACES)
        if platform == "darwin":
            home = home if home is not None else Path.home()
            folders = (home / "Library/Fonts", root / "Library/Fonts", root / "System/Library/Fonts",
                       root / "System/Library/Fonts/Supplemental")
            return cls(folders, MACOS_FACES)
        return None

    def find(self) -> tuple[Path, SystemFace] | None:
        """The first face of the list present in any folder (file names compared without case, as Windows does)."""
        present: dict[str, Path] = {}
        for folder in self.folders:
            try:
                for child in folder.iterdir():
                    present.setdefault(child.name.lower(), child)
            except OSError:
                continue
        for face in self.faces:
            for name in face.files:
                path = present.get(name.lower())
                if path is not None and path.is_file():
                    return path, face
        return None

