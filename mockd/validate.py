"""`mockd validate`: load stub files the way the server does and report every problem, located."""

from __future__ import annotations

from pathlib import Path

from mockd.config import Settings
from mockd.core import Mockd
from mockd.errors import MockdError
from mockd.loader import load_file, mapping_files


def validate_paths(paths: list[Path]) -> tuple[bool, list[str]]:
    """(all valid?, report lines). A directory is a root (with mappings/) or a mappings directory."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            mappings = path / "mappings" if (path / "mappings").is_dir() else path
            files.extend(mapping_files(mappings))
        else:
            files.append(path)
    checker = Mockd(Settings(root_dir=Path("."), watch=False))
    lines: list[str] = []
    stubs = 0
    for file in files:
        try:
            loaded = load_file(file)
            for stub in loaded:
                checker.check_templates(stub)
            stubs += len(loaded)
        except MockdError as exc:
            if exc.location.file is None:
                exc.at(file=str(file))
            lines.append(f"error: {exc}")
    errors = len(lines)
    summary = f"{len(files)} file(s), {stubs} stub(s)"
    lines.append(f"{summary}, {errors} error(s)" if errors else f"{summary}: all valid")
    return errors == 0, lines
