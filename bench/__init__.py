"""Benchmarks for Bedside (``python bench/run.py``); not part of the shipped packages."""
