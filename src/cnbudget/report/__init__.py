"""Reports and exports: facts (long format), the JSON model, terminal rendering."""
