"""Benchmarks of balint-bot: figures, not impressions (run `python -m benchmarks`).

Not part of the test run; `tests/test_benchmarks_smoke.py` only checks that each
benchmark runs at a tiny size and reports its figures with units.
"""
