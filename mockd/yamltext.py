"""YAML stub files: safe loading, decimals keep their text, aliases bounded; dumping in the same style.

Imported on first use (loader.parse_yaml_documents / dump_yaml): PyYAML is not needed to serve JSON stubs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from mockd.errors import JsonSyntaxError, Location

MAX_YAML_ALIASES = 100


class _YamlLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.YAMLError(f"more than {MAX_YAML_ALIASES} YAML aliases at line {mark.line + 1}")
        return super().compose_node(parent, index)


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError:
        return float(text)  # .inf / .nan


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    return str(loader.construct_scalar(node))


_YamlLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def parse_documents(text: str) -> list[Any]:
    """All documents of a YAML text; errors are JsonSyntaxError with line and column."""
    try:
        return [d for d in yaml.load_all(text, Loader=_YamlLoader) if d is not None]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise JsonSyntaxError(
            f"invalid YAML: {exc.problem or exc}", Location(line=line, column=column)
        ) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise JsonSyntaxError(f"invalid YAML: {exc}", Location()) from None


def dump(value: Any) -> str:
    return yaml.dump(_yaml_ready(value), Dumper=_YamlDumper, sort_keys=False, allow_unicode=True, width=100)


class _YamlDumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:float", str(value))


_YamlDumper.add_representer(Decimal, _represent_decimal)


def _yaml_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _yaml_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_yaml_ready(v) for v in value]
    return value
