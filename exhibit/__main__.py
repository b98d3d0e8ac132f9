"""`python -m exhibit` runs the command line."""

import sys

from exhibit.cli import main

sys.exit(main())
