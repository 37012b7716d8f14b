"""Shared test fixtures. Every helper may add fixtures here; never remove others'."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Keep every test away from the developer's real data folder, config file and cache."""
    home = tmp_path / "relworkbook-home"
    monkeypatch.setenv("RELWORKBOOK_HOME", str(home))
    monkeypatch.setenv("RELWORKBOOK_CONFIG", str(tmp_path / "relworkbook-config" / "config.toml"))
    monkeypatch.setenv("RELWORKBOOK_CACHE", str(tmp_path / "relworkbook-cache"))
    return home
