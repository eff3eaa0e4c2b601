"""Analysts' corrections to extracted figures: the file they keep, and (next) how the models apply it."""
