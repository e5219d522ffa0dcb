"""Writes of the licensing process. Each function locks, checks, transitions, saves, audits, queues.

Import from here (``from licensing import services``); the submodules group related services.
"""
