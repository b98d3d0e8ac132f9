"""`python -m exhibit` runs the command line."""

from exhibit.cli import exit_now, main

exit_now(main())
