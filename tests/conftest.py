"""Shared test fixtures. Every helper may add fixtures here; never remove others'."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# Property tests: derandomized in CI (CI=true), so `make test` there never
# fails at random; on a developer's machine they explore freely (a new random
# start each run, failures remembered in .hypothesis/). A failing example found
# anywhere is fixed and kept with @example. In both, nothing depends on the
# machine's speed: no deadline, and no "too slow" health check (a loaded
# machine, or xdist's two workers on two cores, is not a failure).
_UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
# Both from Hypothesis's own defaults (it loads its built-in "ci" profile by
# itself when a CI variable is merely present, even empty).
_BASE = settings.get_profile("default")
settings.register_profile("ci", parent=_BASE, derandomize=True, database=None, print_blob=True, **_UNTIMED)
settings.register_profile("dev", parent=_BASE, **_UNTIMED)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes") else "dev")
)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Keep every test away from the developer's real data folder, config file and cache."""
    home = tmp_path / "relworkbook-home"
    monkeypatch.setenv("RELWORKBOOK_HOME", str(home))
    monkeypatch.setenv("RELWORKBOOK_CONFIG", str(tmp_path / "relworkbook-config" / "config.toml"))
    monkeypatch.setenv("RELWORKBOOK_CACHE", str(tmp_path / "relworkbook-cache"))
    return home
