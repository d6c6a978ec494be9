"""Reproducible benchmarks for asrcheck on a simulated loopback network.

Run with `python -m bench` from the repository root; see bench/RESULTS.md. Not part of CI.
"""
