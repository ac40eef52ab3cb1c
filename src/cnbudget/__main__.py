"""`python -m cnbudget` runs the command line."""

from cnbudget.cli.app import main

main()
