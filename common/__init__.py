"""Helpers that ``licensing`` and ``registry`` both use and neither owns.

Domain errors, identifiers, web addresses and batched inserts. Nothing here has models or imports
either app, so ``registry`` (the book of record) keeps importing nothing of ``licensing``.
"""
