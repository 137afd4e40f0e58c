"""The benchmark: `python -m tracker.bench [--postgres]` (see __main__.py). Not part of the tests."""
