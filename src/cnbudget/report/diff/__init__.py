"""Two versions of a document compared (`compare`), and the comparison written as text for a terminal, JSON or
one HTML page. Every piece of document text is escaped for its output."""
