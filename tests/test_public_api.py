"""The public surface is declared once, in mockd.__all__, and guarded here."""

from __future__ import annotations

import mockd

EXPECTED = {"MockdClient", "MockdClientError", "MockdError", "Settings", "__version__", "serve"}


def test_all_is_exactly_the_public_surface() -> None:
    assert set(mockd.__all__) == EXPECTED


def test_every_name_in_all_exists() -> None:
    for name in mockd.__all__:
        assert hasattr(mockd, name), name


def test_the_version_is_the_packages() -> None:
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert mockd.__version__ == project["project"]["version"]
