"""Helping staff write content: `check --fix` rewrites safe slips, `new` creates a filled-in item."""
