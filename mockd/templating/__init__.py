"""Response templating: WireMock Handlebars and native Jinja2 on one sandboxed Jinja2 engine."""

from mockd.templating.context import request_model
from mockd.templating.engine import Dialect, TemplateEngine

__all__ = ["Dialect", "TemplateEngine", "request_model"]
