"""Shared test set-up: every test runs with its own empty data, config and cache folders.

So no test ever reads or writes the user's real session log, settings or practices.
Animations are off unless a test turns them on (``TEXTUAL_ANIMATIONS``), which also
means reduced motion for emoflat's TUI.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_emoflat_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point emoflat's data, config and cache folders at fresh temporary folders."""
    base = tmp_path / "emoflat-home"
    monkeypatch.setenv("EMOFLAT_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("EMOFLAT_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("EMOFLAT_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
