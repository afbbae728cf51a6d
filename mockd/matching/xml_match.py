"""`equalToXml` (spec §2.3), on the hardened lxml parser of `xml_doc`.

equalToXml reproduces what WireMock gets from XMLUnit 2: whitespace-only text is dropped and text is
trimmed, comments are ignored, children are paired after sorting by local name (so sibling order only
matters between elements of the same name, unless `ignoreOrderOfSameNode`), and only the "counted"
comparison types, minus `exemptedComparisons`, can make a difference (a namespace missing in the
expected document is never one). `${xmlunit.ignore}`, `isNumber`, `matchesRegex(...)` and `isDateTime`
placeholders work with `enablePlaceholders`. Distance = differences / counted comparisons.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from mockd.errors import InvalidInput, Location
from mockd.matching.javadate import parse_java_pattern
from mockd.matching.regex import compile_regex
from mockd.matching.result import EXACT, NO_MATCH, MatchResult
from mockd.matching.values import PatternParser, StringPattern
from mockd.matching.xml_doc import (
    UNBOUND,
    XmlError,
    is_element,
    own_declarations,
    parse_xml,
    render_element,
    written_prefix,
)

__all__ = ["COMPARISON_TYPES", "EqualToXml", "parse_equal_to_xml"]

COMPARISON_TYPES = frozenset(
    [
        "ATTR_VALUE_EXPLICITLY_SPECIFIED",
        "HAS_DOCTYPE_DECLARATION",
        "DOCTYPE_NAME",
        "DOCTYPE_PUBLIC_ID",
        "DOCTYPE_SYSTEM_ID",
        "SCHEMA_LOCATION",
        "NO_NAMESPACE_SCHEMA_LOCATION",
        "NODE_TYPE",
        "NAMESPACE_PREFIX",
        "NAMESPACE_URI",
        "TEXT_VALUE",
        "PROCESSING_INSTRUCTION_TARGET",
        "PROCESSING_INSTRUCTION_DATA",
        "ELEMENT_TAG_NAME",
        "ELEMENT_NUM_ATTRIBUTES",
        "ATTR_VALUE",
        "CHILD_NODELIST_LENGTH",
        "CHILD_NODELIST_SEQUENCE",
        "CHILD_LOOKUP",
        "ATTR_NAME_LOOKUP",
        "XML_VERSION",
        "XML_STANDALONE",
        "XML_ENCODING",
    ]
)
COUNTED = frozenset(
    [
        "ELEMENT_TAG_NAME",
        "SCHEMA_LOCATION",
        "NO_NAMESPACE_SCHEMA_LOCATION",
        "NODE_TYPE",
        "NAMESPACE_URI",
        "TEXT_VALUE",
        "PROCESSING_INSTRUCTION_TARGET",
        "PROCESSING_INSTRUCTION_DATA",
        "ELEMENT_NUM_ATTRIBUTES",
        "ATTR_VALUE",
        "CHILD_NODELIST_LENGTH",
        "CHILD_LOOKUP",
        "ATTR_NAME_LOOKUP",
    ]
)
NAMESPACE_MODES = ("STRICT", "NONE", "LEGACY")
XSI = "http://www.w3.org/2001/XMLSchema-instance"


# -- the comparison model ----------------------------------------------------------------------------

ELEMENT, TEXT, PI, DOCUMENT = 1, 3, 7, 9


@dataclass
class _Node:
    kind: int
    name: str = ""  # element: local name (the name as written in NONE mode); PI: target
    ns: str | None = None
    text: str = ""  # text value, PI data
    attrs: dict[tuple[str | None, str], str] = field(default_factory=dict)
    special: dict[str, str] = field(default_factory=dict)  # xsi:schemaLocation, noNamespaceSchemaLocation
    children: list[_Node] = field(default_factory=list)

    def text_content(self) -> str:
        if self.kind == TEXT:
            return self.text
        return "".join(c.text_content() for c in self.children if c.kind in (TEXT, ELEMENT))


def _text_nodes(pieces: list[str]) -> list[_Node]:
    text = "".join(pieces).strip(" \t\r\n")
    return [_Node(TEXT, text=text)] if text else []


def _build(el: Any, mode: str) -> _Node:
    qname = etree.QName(el)
    ns = qname.namespace
    if ns is not None and ns.startswith(UNBOUND):
        ns = None
    if mode == "NONE":
        name = f"{el.prefix}:{qname.localname}" if el.prefix else qname.localname
        node = _Node(ELEMENT, name=name)
        for prefix, uri in own_declarations(el).items():
            node.attrs[(None, f"xmlns:{prefix}" if prefix else "xmlns")] = uri
    else:
        node = _Node(ELEMENT, name=qname.localname, ns=None if mode == "LEGACY" and el.prefix else ns)
    for key, value in el.attrib.items():
        aq = etree.QName(key)
        a_ns = aq.namespace
        if (
            mode == "STRICT"
            and a_ns == XSI
            and aq.localname in ("schemaLocation", "noNamespaceSchemaLocation")
        ):
            node.special[aq.localname] = value
            continue
        if mode == "STRICT":
            node.attrs[(a_ns, aq.localname)] = value
        else:
            prefix = written_prefix(el, a_ns) if a_ns else None
            node.attrs[(None, f"{prefix}:{aq.localname}" if prefix else aq.localname)] = value
    pieces: list[str] = [el.text or ""]
    for child in el:
        if is_element(child):
            node.children.extend(_text_nodes(pieces))
            pieces = []
            node.children.append(_build(child, mode))
        elif isinstance(child, etree._ProcessingInstruction):
            node.children.extend(_text_nodes(pieces))
            pieces = []
            node.children.append(_Node(PI, name=str(child.target), text=str(child.text or "")))
        elif isinstance(child, etree._Entity):
            pieces.append(str(child.text or ""))
        pieces.append(child.tail or "")
    node.children.extend(_text_nodes(pieces))
    return node


def _document(root: Any, mode: str) -> _Node:
    doc = _Node(DOCUMENT)
    before = [s for s in root.itersiblings(preceding=True) if isinstance(s, etree._ProcessingInstruction)]
    after = [s for s in root.itersiblings() if isinstance(s, etree._ProcessingInstruction)]
    for pi in [*reversed(before)]:
        doc.children.append(_Node(PI, name=str(pi.target), text=str(pi.text or "")))
    doc.children.append(_build(root, mode))
    for pi in after:
        doc.children.append(_Node(PI, name=str(pi.target), text=str(pi.text or "")))
    return doc


# -- placeholders ------------------------------------------------------------------------------------


class _Abort(Exception):
    """XMLUnit throws: WireMock reports the whole comparison as not matching."""


_ARGS = re.compile(r"((.*)\s*\((.+)\s*\)\s*)")
_NUMBER = re.compile(r"[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?")
_LENIENT_DATE = re.compile(r"\s*[-+]?\d+-\d+-\d+|\s*\d+/\d+/\d+")


def _is_date_time(test: str | None, args: list[str]) -> bool:
    if not test:
        return False
    if args:
        try:
            parse_java_pattern(args[0]).parse_fields(test)
            return True
        except ValueError:
            return False
    return _LENIENT_DATE.match(test) is not None


@dataclass(frozen=True)
class _Placeholders:
    regex: re.Pattern[str]

    def evaluate(self, control: str, test: str | None) -> bool | None:
        """True/False for a known placeholder in `control`, None when there is none."""
        m = self.regex.search(control)
        if not m:
            return None
        content = m.group(2).strip()
        am = _ARGS.search(content)
        keyword, args = (am.group(2).strip(), am.group(3).split(",")) if am else (content, [])
        if keyword not in ("ignore", "isNumber", "matchesRegex", "isDateTime"):
            return None
        if m.group(1).strip() != control.strip():
            raise _Abort("The placeholder must exclusively occupy the text node.")
        if keyword == "ignore":
            return True
        if keyword == "isNumber":
            return test is not None and _NUMBER.fullmatch(test.strip()) is not None
        if keyword == "matchesRegex":
            if not args or not args[0]:
                return False
            try:
                regex = compile_regex(args[0].strip(), dotall=False)
            except InvalidInput as exc:
                raise _Abort(exc.detail) from None
            return test is not None and regex.search(test.strip()) is not None
        return _is_date_time(test, args)


def _placeholders(opening: str | None, closing: str | None) -> _Placeholders:
    open_rx = opening if opening and opening.strip() else re.escape("${")
    close_rx = closing if closing and closing.strip() else re.escape("}")
    return _Placeholders(
        compile_regex(r"(\s*" + open_rx + r"\s*xmlunit\.(.+)\s*" + close_rx + r"\s*)", dotall=False)
    )


# -- the difference engine ---------------------------------------------------------------------------


@dataclass
class _XmlDiff:
    counted: frozenset[str]
    placeholders: _Placeholders | None
    ignore_order_same: bool
    total: int = 0
    differences: int = 0

    def check(
        self, ctype: str, control: Any, test: Any, rescue: Callable[[], bool | None] | None = None
    ) -> None:
        if ctype not in self.counted or control is None:
            return
        self.total += 1
        if control == test:
            return
        if self.placeholders is not None and rescue is not None and rescue():
            return
        self.differences += 1

    def _ph(self, control: str | None, test: str | None) -> Callable[[], bool | None]:
        placeholders = self.placeholders
        return lambda: (
            placeholders is not None and control is not None and placeholders.evaluate(control, test)
        )

    def nodes(self, c: _Node, t: _Node) -> None:
        self.check("NODE_TYPE", c.kind, t.kind)
        if c.kind != t.kind:
            return
        self.check("NAMESPACE_URI", c.ns, t.ns)
        only_text = len(c.children) == 1 and c.children[0].kind == TEXT and not t.children
        self.check(
            "CHILD_NODELIST_LENGTH",
            len(c.children),
            len(t.children),
            self._ph(c.children[0].text, None) if only_text else None,
        )
        if c.kind == TEXT:
            self.check("TEXT_VALUE", c.text, t.text, self._ph(c.text, t.text))
        elif c.kind == PI:
            self.check("PROCESSING_INSTRUCTION_TARGET", c.name, t.name)
            self.check("PROCESSING_INSTRUCTION_DATA", c.text, t.text)
        elif c.kind == ELEMENT:
            self.elements(c, t)
        self.children(c.children, t.children)

    def elements(self, c: _Node, t: _Node) -> None:
        self.check("ELEMENT_TAG_NAME", c.name, t.name)
        self.check(
            "ELEMENT_NUM_ATTRIBUTES", len(c.attrs), len(t.attrs), lambda: self._attr_count_rescue(c, t)
        )
        self.check("SCHEMA_LOCATION", c.special.get("schemaLocation"), t.special.get("schemaLocation"))
        self.check(
            "NO_NAMESPACE_SCHEMA_LOCATION",
            c.special.get("noNamespaceSchemaLocation"),
            t.special.get("noNamespaceSchemaLocation"),
        )
        for key, value in c.attrs.items():
            if key in t.attrs:
                self.check("ATTR_NAME_LOOKUP", key, key)
                self.check("NODE_TYPE", 2, 2)
                self.check("NAMESPACE_URI", key[0], key[0])
                self.check("ATTR_VALUE", value, t.attrs[key], self._ph(value, t.attrs[key]))
            else:
                self.check("ATTR_NAME_LOOKUP", key, None, self._ph(value, None))

    def _attr_count_rescue(self, c: _Node, t: _Node) -> bool:
        matched = 0
        for key, value in c.attrs.items():
            if key in t.attrs:
                matched += 1
            elif not self._ph(value, None)():
                return False
        return matched == len(t.attrs)

    def _sort_key(self, n: _Node) -> tuple[int, str, str]:
        if n.kind != ELEMENT:
            return (0, "", "")
        return (1, n.name, n.text_content() if self.ignore_order_same else "")

    def children(self, cs: list[_Node], ts: list[_Node]) -> None:
        controls = sorted(cs, key=self._sort_key)
        tests = sorted(ts, key=self._sort_key)
        used = [False] * len(tests)
        for c in controls:
            for j, t in enumerate(tests):
                if not used[j] and c.kind == t.kind:
                    used[j] = True
                    self.nodes(c, t)
                    break
            else:
                name = c.name if c.kind == ELEMENT else "#text"
                self.check("CHILD_LOOKUP", name, None, self._ph(c.text, None) if c.kind == TEXT else None)


@dataclass(frozen=True, eq=False)
class EqualToXml(StringPattern):
    value: str
    document: _Node = field(repr=False)
    enable_placeholders: bool | None = None
    opening_delimiter: str | None = None
    closing_delimiter: str | None = None
    exempted: tuple[str, ...] | None = None
    ignore_order_of_same_node: bool | None = None
    namespace_awareness: str | None = None
    placeholders: _Placeholders | None = field(default=None, repr=False)
    operator = "equalToXml"

    @property
    def mode(self) -> str:
        return self.namespace_awareness or "STRICT"

    def match(self, value: str | None) -> MatchResult:
        if not value:
            return NO_MATCH
        try:
            root = parse_xml(value, namespace_aware=self.mode == "STRICT")
            test = _document(root, self.mode)
            diff = _XmlDiff(
                COUNTED - set(self.exempted or ()), self.placeholders, bool(self.ignore_order_of_same_node)
            )
            diff.nodes(self.document, test)
        except (XmlError, _Abort, RecursionError, ValueError):
            return NO_MATCH
        if diff.differences == 0:
            return EXACT
        return MatchResult.partial(diff.differences / max(diff.total, 1))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"equalToXml": self.value}
        options: list[tuple[str, Any]] = [
            ("enablePlaceholders", self.enable_placeholders),
            ("placeholderOpeningDelimiterRegex", self.opening_delimiter),
            ("placeholderClosingDelimiterRegex", self.closing_delimiter),
            ("exemptedComparisons", list(self.exempted) if self.exempted is not None else None),
            ("ignoreOrderOfSameNode", self.ignore_order_of_same_node),
            ("namespaceAwareness", self.namespace_awareness),
        ]
        out.update((k, v) for k, v in options if v is not None)
        return out

    @property
    def expected(self) -> str:
        try:
            return render_element(parse_xml(self.value, namespace_aware=False), False).rstrip("\n")
        except (XmlError, ValueError):
            return self.value


def _opt(obj: Mapping[str, Any], key: str, pointer: str, kind: type) -> Any:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, kind):
        what = "true or false" if kind is bool else "a string" if kind is str else "a list"
        raise InvalidInput(f"{key} must be {what}", Location(pointer=f"{pointer}/{key}"))
    return value


def parse_equal_to_xml(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    text = obj.get("equalToXml")
    if not isinstance(text, str):
        raise InvalidInput(
            "equalToXml operand must be a string holding an XML document", Location(pointer=pointer)
        )
    mode = _opt(obj, "namespaceAwareness", pointer, str)
    if mode is not None and mode not in NAMESPACE_MODES:
        raise InvalidInput(
            f"namespaceAwareness must be one of {', '.join(NAMESPACE_MODES)}",
            Location(pointer=f"{pointer}/namespaceAwareness"),
        )
    exempted = _opt(obj, "exemptedComparisons", pointer, list)
    for i, name in enumerate(exempted or ()):
        if not isinstance(name, str) or name not in COMPARISON_TYPES:
            raise InvalidInput(
                f"{name!r} is not an XMLUnit ComparisonType (expected e.g. {', '.join(sorted(COUNTED)[:4])} ...)",
                Location(pointer=f"{pointer}/exemptedComparisons/{i}"),
            )
    enable = _opt(obj, "enablePlaceholders", pointer, bool)
    opening = _opt(obj, "placeholderOpeningDelimiterRegex", pointer, str)
    closing = _opt(obj, "placeholderClosingDelimiterRegex", pointer, str)
    try:
        placeholders = _placeholders(opening, closing)
    except InvalidInput as exc:
        key = "placeholderOpeningDelimiterRegex" if opening else "placeholderClosingDelimiterRegex"
        raise InvalidInput(f"{key}: {exc.detail}", Location(pointer=f"{pointer}/{key}")) from None
    try:
        root = parse_xml(text, namespace_aware=(mode or "STRICT") == "STRICT")
        document = _document(root, mode or "STRICT")
    except (XmlError, RecursionError) as exc:
        raise InvalidInput(f"equalToXml operand is not valid XML: {exc}", Location(pointer=pointer)) from None
    return EqualToXml(
        text,
        document,
        enable,
        opening,
        closing,
        tuple(exempted) if exempted is not None else None,
        _opt(obj, "ignoreOrderOfSameNode", pointer, bool),
        mode,
        placeholders if enable else None,
    )
