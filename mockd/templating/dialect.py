"""The two template dialects (a module of its own: naming one does not import Jinja2)."""

from __future__ import annotations

from enum import StrEnum


class Dialect(StrEnum):
    HANDLEBARS = "response-template"  # the WireMock transformer name
    JINJA2 = "jinja2"
