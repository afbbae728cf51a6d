"""Figures (one flat list, keyed) -> the printed table, and two result files -> a comparison."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.targets import TARGETS

LOWER_IS_BETTER = ("_ms", ".s", ".mib")


@dataclass
class Figure:
    key: str  # "static.cold.rps", "start.1 file.s", "rss.after.mib"
    label: str
    mockd: float | None
    wiremock: float | None

    @property
    def ratio(self) -> float | None:
        if self.mockd is None or self.wiremock is None or self.wiremock == 0:
            return None
        return self.mockd / self.wiremock

    def as_dict(self) -> dict[str, Any]:
        target = TARGETS.get(self.key)
        return {
            "key": self.key,
            "label": self.label,
            "mockd": self.mockd,
            "wiremock": self.wiremock,
            "ratio": None if self.ratio is None else round(self.ratio, 4),
            "better": "lower" if self.key.endswith(LOWER_IS_BETTER) else "higher",
            "target": None if target is None else str(target),
            "target_met": None if target is None else target.met(self.ratio),
        }


def _num(v: float | None) -> str:
    if v is None:
        return "-"
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}" if v >= 0.1 else f"{v:.3f}"


def table(figures: list[Figure]) -> str:
    head = ("figure", "mockd", "WireMock", "mockd/WM", "target", "ok")
    rows = [head]
    for f in figures:
        d = f.as_dict()
        ok = {True: "yes", False: "NO", None: ""}[d["target_met"]]
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}"
        rows.append((f.label, _num(f.mockd), _num(f.wiremock), ratio, d["target"] or "", ok))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for n, r in enumerate(rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def compare(a_path: Path, b_path: Path) -> str:
    """mockd's figures of two result files side by side (b/a), e.g. before and after a change."""
    a = {f["key"]: f for f in json.loads(a_path.read_text())["figures"]}
    b = {f["key"]: f for f in json.loads(b_path.read_text())["figures"]}
    rows = [("figure", a_path.name, b_path.name, "b/a", "WM b/a")]
    for key, fb in b.items():
        fa = a.get(key)
        if fa is None:
            continue
        r = fb["mockd"] / fa["mockd"] if fa["mockd"] and fb["mockd"] is not None else None
        w = fb["wiremock"] / fa["wiremock"] if fa["wiremock"] and fb["wiremock"] is not None else None
        rows.append(
            (
                fb["label"],
                _num(fa["mockd"]),
                _num(fb["mockd"]),
                "-" if r is None else f"{r:.2f}",
                "-" if w is None else f"{w:.2f}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return "\n".join(
        "  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]) for r in rows
    )
