"""exhibit/versions.py: versions read from dist-info folders match what importlib.metadata says."""

from __future__ import annotations

from importlib import metadata

import pytest

from exhibit.versions import installed_version


@pytest.mark.parametrize("name", ["markdown", "nh3", "OpenCC", "pypinyin", "uharfbuzz", "PyYAML", "python-docx",
                                  "Jinja2", "fonttools"])
def test_the_versions_of_the_libraries_the_caches_depend_on_match_importlib_metadata(name, monkeypatch):
    expected = metadata.version(name)

    def not_asked(asked: str) -> str:
        raise AssertionError(f"importlib.metadata asked for {asked}: the dist-info folder was not found")

    monkeypatch.setattr(metadata, "version", not_asked)
    assert installed_version(name) == expected


def test_a_library_that_is_not_installed_has_no_version():
    assert installed_version("exhibit-no-such-package") is None
