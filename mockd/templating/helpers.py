"""The helper table: every helper of spec §4.3 except the jwt and faker extensions, one name -> function.

Each helper is `helper(context, options) -> value` (see options.py). The same table serves Handlebars
templates (through the runtime) and native Jinja2 templates (as globals and filters, see engine.py).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import Any

from mockd.templating import (
    helpers_arrays,
    helpers_core,
    helpers_dates,
    helpers_json,
    helpers_math,
    helpers_misc,
    helpers_strings,
    helpers_xml,
)
from mockd.templating.numberformat import number_format
from mockd.templating.options import Options

Helper = Callable[[Any, Options], Any]

HELPERS: Mapping[str, Helper] = types.MappingProxyType(
    {
        **helpers_core.HELPERS,
        **helpers_strings.HELPERS,
        "numberFormat": number_format,
        **helpers_misc.HELPERS,
        **helpers_math.HELPERS,
        **helpers_arrays.HELPERS,
        **helpers_dates.HELPERS,
        **helpers_json.HELPERS,
        **helpers_xml.HELPERS,
    }
)

# Block-structure helpers that make no sense as Jinja2 functions (Jinja2 has its own statements).
HANDLEBARS_ONLY = frozenset({"if", "unless", "each", "with", "log", "and", "or", "not"})
