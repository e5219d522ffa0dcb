"""Helpers that ``licensing`` and ``registry`` both use and neither owns.

Plain Python with no models: importing it never pulls in either app, so ``registry`` (the book of
record) keeps importing nothing of ``licensing``.
"""
