"""Screenshots of whole pages at a laptop's and a phone's width, for people to look at (not committed)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

WIDTHS = (1366, 390)


def shoot(browser, folder: str, name: str) -> list[Path]:
    """Save the current page at each width, whole height, under ``var/screenshots/<folder>/``."""
    target = Path(settings.BASE_DIR) / "var" / "screenshots" / folder
    target.mkdir(parents=True, exist_ok=True)
    original = browser.get_window_size()
    saved = []
    try:
        for width in WIDTHS:
            browser.set_window_size(width, 900)
            height = browser.execute_script("return document.documentElement.scrollHeight")
            browser.set_window_size(width, min(max(height, 600), 6000))
            path = target / f"{name}-{width}.png"
            browser.save_screenshot(str(path))
            saved.append(path)
    finally:
        browser.set_window_size(original["width"], original["height"])
    return saved
