#!/usr/bin/env python3
"""Build the exhibition site: `python build.py [build|check] [--root DIR] [--out DIR] [--lang zh-CN|en]`."""

from exhibit.cli import exit_now, main

if __name__ == "__main__":
    exit_now(main())
