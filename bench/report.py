"""Figures (one flat list, keyed) -> the printed table, and two result files -> a comparison."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.targets import Verdict, judge

LOWER_IS_BETTER = ("_ms", ".s", ".mib")


@dataclass
class Figure:
    key: str  # "static.cold.rps", "start.1 file.s", "rss.after.mib"
    label: str
    mockd: float | None
    wiremock: float | None
    # what the figure was measured under (mockd's workers, journal, long-phase requests): the targets
    # say under which conditions they hold
    conditions: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.mockd is None or self.wiremock is None or self.wiremock == 0:
            return None
        return self.mockd / self.wiremock

    def verdicts(self, figures: Mapping[str, Figure]) -> list[Verdict]:
        return judge(self.key, figures, self.conditions)

    def as_dict(self, figures: Mapping[str, Figure]) -> dict[str, Any]:
        verdicts = self.verdicts(figures)
        return {
            "key": self.key,
            "label": self.label,
            "mockd": self.mockd,
            "wiremock": self.wiremock,
            "ratio": None if self.ratio is None else round(self.ratio, 4),
            "better": "lower" if self.key.endswith(LOWER_IS_BETTER) else "higher",
            "conditions": self.conditions,
            "target": "; ".join(str(v.target) for v in verdicts) or None,
            "target_met": overall(verdicts),
            "targets": [v.as_dict() for v in verdicts],
        }


def by_key(figures: Iterable[Figure]) -> dict[str, Figure]:
    return {f.key: f for f in figures}


def overall(verdicts: list[Verdict]) -> bool | None:
    """Met when every target is; None when there is none or one could not be judged (a value missing)."""
    if any(v.met is False for v in verdicts):
        return False
    if not verdicts or any(v.met is None for v in verdicts):
        return None
    return True


def _ok(verdicts: list[Verdict]) -> str:
    """Per target: `yes` / `NO`; `yes?` / `NO?` when measured under other conditions than the target's;
    `-` when a value is missing."""
    words = []
    for v in verdicts:
        word = "-" if v.met is None else ("yes" if v.met else "NO")
        words.append(word + ("?" if v.met is not None and not v.applies else ""))
    return ",".join(words)


def _target_text(verdicts: list[Verdict]) -> str:
    """The bounds; for targets not against WireMock, the compared value in brackets."""
    parts = []
    for v in verdicts:
        text = str(v.target)
        if v.target.vs != "wiremock" and v.target.vs != "absolute" and v.value is not None:
            text += f" ({v.value:.2f})"
        parts.append(text)
    return "; ".join(parts)


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
    keyed = by_key(figures)
    for f in figures:
        verdicts = f.verdicts(keyed)
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}"
        rows.append((f.label, _num(f.mockd), _num(f.wiremock), ratio, _target_text(verdicts), _ok(verdicts)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for n, r in enumerate(rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(LEGEND)
    return "\n".join(lines)


LEGEND = (
    "target: `x WM` = mockd/WireMock in this run; `x <figure>` = mockd/mockd's own figure (value in brackets);\n"
    "otherwise absolute. ok: `yes?`/`NO?` = measured under other conditions than the target's (workers,\n"
    "journal, fewer requests in the long phase): indicative only; `-` = a value is missing."
)


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
