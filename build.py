#!/usr/bin/env python3
"""Build the exhibition site: `python build.py [build|check] [--root DIR] [--out DIR] [--lang zh-CN|en]`."""

import sys

from exhibit.cli import main

if __name__ == "__main__":
    sys.exit(main())
