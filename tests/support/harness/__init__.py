"""Test harnesses: they damage and mutate documents to measure the readers and the audit (the fuzz and
mutation tests, `benchmarks/fuzz*.py` and `benchmarks/*mutation.py`). They are not part of the runtime
package: nothing in `src/cnbudget` imports them."""
