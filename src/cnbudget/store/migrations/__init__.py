"""Alembic migrations of the library schema (``versions/``), applied when a library is opened.

``HEAD`` names the newest revision so that opening an up-to-date library needs no Alembic import
(reading the migration scripts costs a third of a second); a test checks it against the scripts.
"""

HEAD = "0004"
