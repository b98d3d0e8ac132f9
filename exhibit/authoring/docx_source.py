"""Opening what a user hands the import: a .docx, or a legacy .doc/.wps that LibreOffice can convert.

A .docx is a zip; anything else named .docx (a renamed .xlsx, a zip of photos,
a truncated download) is refused with words, and so is a zip that would unpack
to more than MAX_UNPACKED_BYTES (content is untrusted input).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import OpcError
from lxml.etree import LxmlError

DOCX_SUFFIXES = (".docx",)
LEGACY_SUFFIXES = (".doc", ".wps")
PROBLEM_CODES = ("import_not_docx", "import_not_word", "import_too_large", "import_legacy", "import_legacy_failed",
                 "import_no_title", "import_exists", "new_exists")
"""Every code an ImportProblem carries (the i18n catalogue test reads this)."""
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
SOFFICE_TIMEOUT = 180


class ImportProblem(Exception):
    """A document that cannot be imported: a message code and its arguments."""

    def __init__(self, code: str, **args: object) -> None:
        if code not in PROBLEM_CODES:
            raise ValueError(f"{code!r} is not in PROBLEM_CODES")
        super().__init__(code)
        self.code = code
        self.args_ = args


@dataclass
class Opened:
    document: Document
    converted_by: str | None = None  # "soffice" when a legacy file went through LibreOffice
    notes: list[str] = field(default_factory=list)


def open_docx(path: Path, shown: str) -> Document:
    """The parsed document, or ImportProblem('import_not_docx') when it is not a Word document."""
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ImportProblem("import_too_large", file=shown, megabytes=MAX_UNPACKED_BYTES // 2**20)
            if "word/document.xml" not in archive.namelist():
                raise ImportProblem("import_not_docx", file=shown)
        return docx.Document(str(path))
    except ImportProblem:
        raise
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError, LxmlError, OSError, EOFError) as error:
        raise ImportProblem("import_not_docx", file=shown) from error


@contextmanager
def opened(path: Path, shown: str) -> Iterator[Opened]:
    """A .docx as it is; a .doc/.wps converted through LibreOffice when `soffice` is installed."""
    suffix = path.suffix.lower()
    if suffix in DOCX_SUFFIXES:
        yield Opened(open_docx(path, shown))
        return
    if suffix not in LEGACY_SUFFIXES:
        raise ImportProblem("import_not_word", file=shown)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ImportProblem("import_legacy", file=shown)
    with tempfile.TemporaryDirectory(prefix="exhibit-import-") as folder:
        converted = _convert(soffice, path, Path(folder), shown)
        yield Opened(open_docx(converted, shown), converted_by="soffice")


def _convert(soffice: str, path: Path, folder: Path, shown: str) -> Path:
    """LibreOffice's headless conversion to .docx, into `folder`."""
    command = [soffice, "--headless", "--convert-to", "docx", "--outdir", str(folder), str(path)]
    try:
        subprocess.run(command, capture_output=True, timeout=SOFFICE_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ImportProblem("import_legacy_failed", file=shown) from error
    result = folder / f"{path.stem}.docx"
    if not result.is_file():
        raise ImportProblem("import_legacy_failed", file=shown)
    return result
