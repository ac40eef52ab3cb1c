"""`python -m cnbudget` runs the command line."""

from cnbudget.cli.fast import main

main()
