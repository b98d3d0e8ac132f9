"""Exhibit: a static site generator for exhibition screens and intranet showcases."""

__version__ = "0.1.0"
