"""Response templating: WireMock Handlebars and native Jinja2 on one sandboxed Jinja2 engine.

`Dialect` is light; `TemplateEngine` and `request_model` import Jinja2 and the helpers, so they are
imported on first use (a server whose stubs use no templates never loads them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockd.templating.dialect import Dialect

if TYPE_CHECKING:
    from mockd.templating.context import request_model
    from mockd.templating.engine import TemplateEngine

__all__ = ["Dialect", "TemplateEngine", "request_model"]


def __getattr__(name: str) -> Any:
    value: Any
    if name == "TemplateEngine":
        from mockd.templating import engine

        value = engine.TemplateEngine
    elif name == "request_model":
        from mockd.templating import context

        value = context.request_model
    else:
        raise AttributeError(f"module 'mockd.templating' has no attribute {name!r}")
    globals()[name] = value  # imported once; later lookups do not come here
    return value
