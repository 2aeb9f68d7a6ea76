"""Shared pieces of the reliability tests: generated corpora, nasty inputs, subprocess helpers."""
