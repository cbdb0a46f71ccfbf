"""The benchmark suite (`make bench`, `python -m tests.bench`): not part of `make test`.

It runs the real `wpe-tui` in a pseudo-terminal against `wpe-tui demo-server` and
prints one table of figures; see README.md, "Benchmarks".
"""
