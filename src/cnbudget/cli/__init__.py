"""The ``cnbudget`` command line."""
