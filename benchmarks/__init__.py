"""Benchmark scripts: they print numbers, they assert nothing."""
