"""`matchesXPath` (spec §2.3): XPath 1.0 over the hardened parser of `xml_doc`.

Without `xPathNamespaces` the document is read namespace-unaware as WireMock does (`/Envelope/Body`
finds `soap:Envelope/soap:Body`; a prefixed name in the expression then fails). The simple form matches
when the result is a non-empty node set or any other value (a boolean, number or string: WireMock
3.13 matches even `false`). The advanced form tries every result: elements rendered like Java's
indenting Transformer, text and attributes as their value, numbers like Java's NumberFormat (`1,234.5`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

from lxml import etree

from mockd.errors import InvalidInput, Location
from mockd.matching.result import EXACT, NO_MATCH, MatchResult, best
from mockd.matching.values import PatternParser, StringPattern
from mockd.matching.xml_doc import XmlError, is_element, parse_xml, render_element, written_prefix

__all__ = ["MatchesXPath", "java_number_format", "parse_matches_xpath"]


def java_number_format(value: float) -> str:
    """java.text.NumberFormat.getInstance(Locale.US): grouping, at most 3 fraction digits, HALF_EVEN."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "-∞"
    with localcontext() as ctx:
        ctx.prec = 400
        d = Decimal(repr(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
    text = format(d, ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# -- matchesXPath ------------------------------------------------------------------------------------


def _strip_namespaces(root: Any) -> tuple[Any, dict[Any, Any]]:
    """A namespace-unaware copy (local names only) and copy-element -> original-element."""
    clone = copy.deepcopy(root)
    originals: dict[Any, Any] = {}
    for orig, el in zip(root.iter(), clone.iter()):
        if not is_element(el):
            continue
        originals[el] = orig
        el.tag = etree.QName(el).localname
        for key in list(el.attrib):
            aq = etree.QName(key)
            if aq.namespace:
                value = el.attrib.pop(key)
                prefix = written_prefix(orig, aq.namespace) or "ns"
                el.attrib[f"{prefix}.{aq.localname}"] = value
    etree.cleanup_namespaces(clone)
    return clone, originals


def _node_text(item: Any, originals: dict[Any, Any] | None) -> str:
    if is_element(item):
        if originals is not None:
            return render_element(originals.get(item, item), False)
        return render_element(item, True)
    if isinstance(item, etree._Comment):
        return f"[#comment: {item.text or ''}]"
    if isinstance(item, etree._ProcessingInstruction):
        return f"[{item.target}: {item.text or ''}]"
    if isinstance(item, tuple):
        return str(item[-1])
    return str(item)


@dataclass(frozen=True, eq=False)
class MatchesXPath(StringPattern):
    expression: str
    xpath: Any = field(repr=False)  # etree.XPath
    namespaces: Mapping[str, str] | None = None
    sub: StringPattern | None = None
    operator = "matchesXPath"

    def _evaluate(self, value: str | None) -> tuple[Any, dict[Any, Any] | None] | None:
        if value is None or not value.strip().startswith("<"):
            return None
        try:
            root = parse_xml(value, remove_comments=False, namespace_aware=bool(self.namespaces))
            if self.namespaces:
                return self.xpath(root.getroottree()), None
            clone, originals = _strip_namespaces(root)
            return self.xpath(clone.getroottree()), originals
        except (XmlError, etree.XPathError, RecursionError, ValueError, TypeError):
            return None

    def match(self, value: str | None) -> MatchResult:
        evaluated = self._evaluate(value)
        if evaluated is None:
            return NO_MATCH
        result, originals = evaluated
        if isinstance(result, list):
            if not result:
                return NO_MATCH
            candidates = [_node_text(item, originals) for item in result]
        elif isinstance(result, bool):
            candidates = ["true" if result else "false"]
        elif isinstance(result, float):
            candidates = [java_number_format(result)]
        else:
            candidates = [str(result)]
        if self.sub is None:
            return EXACT
        sub = self.sub
        return best(sub.match(candidate) for candidate in candidates)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "matchesXPath": self.expression
            if self.sub is None
            else {"expression": self.expression, **self.sub.to_json()}
        }
        if self.namespaces:
            out["xPathNamespaces"] = dict(self.namespaces)
        return out

    @property
    def expected(self) -> str:
        return self.expression if self.sub is None else f"{self.expression} {self.sub.expected}"


def _compile_xpath(expression: str, namespaces: Mapping[str, str] | None, pointer: str) -> Any:
    try:
        return etree.XPath(
            expression, namespaces=dict(namespaces) if namespaces else None, smart_strings=True
        )
    except (etree.XPathSyntaxError, etree.XPathError, ValueError, TypeError) as exc:
        raise InvalidInput(
            f"invalid XPath expression {expression!r}: {exc}", Location(pointer=pointer)
        ) from None


def parse_matches_xpath(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    raw_ns = obj.get("xPathNamespaces")
    namespaces: dict[str, str] | None = None
    if raw_ns is not None:
        if not isinstance(raw_ns, Mapping):
            raise InvalidInput(
                "xPathNamespaces must be an object of prefix -> namespace URI",
                Location(pointer=f"{pointer}/xPathNamespaces"),
            )
        namespaces = {}
        for prefix, uri in raw_ns.items():
            if not isinstance(uri, str) or not re.fullmatch(r"[A-Za-z_][\w.\-]*", str(prefix)):
                raise InvalidInput(
                    "xPathNamespaces entries must map a prefix to a namespace URI string",
                    Location(pointer=f"{pointer}/xPathNamespaces/{prefix}"),
                )
            if uri not in ("http://www.w3.org/XML/1998/namespace", "http://www.w3.org/2000/xmlns/"):
                namespaces[str(prefix)] = uri
    operand = obj.get("matchesXPath")
    if isinstance(operand, str):
        return MatchesXPath(operand, _compile_xpath(operand, namespaces, pointer), namespaces or None)
    if not isinstance(operand, Mapping):
        raise InvalidInput(
            'matchesXPath operand must be an XPath string or {"expression": "//a", <match operation>}',
            Location(pointer=pointer),
        )
    where = f"{pointer}/matchesXPath"
    expression = operand.get("expression")
    if not isinstance(expression, str):
        raise InvalidInput(
            "expression is required in the advanced matchesXPath form",
            Location(pointer=f"{where}/expression"),
        )
    xpath = _compile_xpath(expression, namespaces, f"{where}/expression")
    inner = sub(operand, where)
    if inner.operator == "binaryEqualTo":
        raise InvalidInput(f"{inner.operator} cannot be applied to an XPath result", Location(pointer=where))
    return MatchesXPath(expression, xpath, namespaces or None, inner)
