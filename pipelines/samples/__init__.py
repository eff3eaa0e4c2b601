"""Deterministic sample corpus of county rule-of-law reports (see generate.py)."""
