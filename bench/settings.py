"""Production settings plus the bench-only bare view (``/bench/bare/``); used by bench/registry.py only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
