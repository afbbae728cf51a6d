"""XML helpers: xPath, soapXPath, formatXml, on lxml with a hardened parser (no DTD, entities or network).

WireMock parses XML without namespace awareness, so `/Envelope/Body/x` matches `<soap:Envelope>`:
XPath runs on a copy with namespaces stripped, and results map back to the original nodes, which print
with their prefixes (Java's indenting Transformer: two spaces, no XML declaration, a final newline).
"""

from __future__ import annotations

import math
import re
import types
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from lxml import etree

from mockd.templating.helpers_json import formatting_input
from mockd.templating.numberformat import Format, format_number
from mockd.templating.options import HelperError, Options
from mockd.templating.values import KeyedModel, ListOrSingle, Printable, java_str

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_MAX_XML = 10 * 1024 * 1024
_NAME_CALL = re.compile(r"(?<![\w.\-:])name\s*\(")
_DESCENDANT = re.compile(r"\s*(?://|/descendant::)([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)\s*")


class _NoExternalEntities(etree.Resolver):  # type: ignore[misc]
    """Every external entity or DTD resolves to nothing: no file or network access (WireMock skips them)."""

    def resolve(self, url: str, pubid: str, context: Any) -> Any:
        return self.resolve_string("", context)


def _parser() -> etree.XMLParser:
    """Internal entities expand (libxml2 bounds their amplification); external ones are empty."""
    parser = etree.XMLParser(
        resolve_entities=True, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    parser.resolvers.add(_NoExternalEntities())
    return parser


def parse_xml(text: str) -> Any:
    """The root element, or ValueError when `text` is not well-formed XML."""
    if len(text) > _MAX_XML:
        raise ValueError("XML too large")
    body = _DECLARATION.sub("", text, count=1)
    try:
        root = etree.fromstring(body, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ValueError(str(exc)) from None
    if root is None:
        raise ValueError("empty document")
    return root


def _qname(el: Any) -> str:
    local = etree.QName(el).localname
    return f"{el.prefix}:{local}" if el.prefix else local


def _attributes(el: Any) -> dict[str, str]:
    """Non-namespace-aware DOM attributes: namespace declarations made here, then the attributes."""
    parent = el.getparent()
    inherited = parent.nsmap if parent is not None else {}
    out: dict[str, str] = {}
    for prefix, uri in el.nsmap.items():
        if inherited.get(prefix) != uri:
            out["xmlns" if prefix is None else f"xmlns:{prefix}"] = uri
    for key, value in el.attrib.items():
        qn = etree.QName(key)
        if qn.namespace:
            prefix = next((p for p, u in el.nsmap.items() if u == qn.namespace and p), None)
            out[f"{prefix}:{qn.localname}" if prefix else qn.localname] = value
        else:
            out[key] = value
    return out


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def _children(el: Any) -> Iterator[tuple[str, Any]]:
    if el.text:
        yield "text", el.text
    for child in el:
        yield "node", child
        if child.tail:
            yield "text", child.tail


def serialize(el: Any, pretty: bool, level: int = 0, drop_blank: bool = False) -> str:
    """One node as Java's Transformer writes it (`pretty`: indent 2; blank text dropped when pretty or
    `drop_blank`)."""
    if isinstance(el, etree._Comment):
        return f"<!--{el.text or ''}-->"
    if isinstance(el, etree._ProcessingInstruction):
        return f"<?{el.target} {el.text or ''}?>" if el.text else f"<?{el.target}?>"
    if not isinstance(el.tag, str):
        return ""
    attrs = "".join(f' {k}="{_escape(v, True)}"' for k, v in _attributes(el).items())
    head = f"<{_qname(el)}{attrs}"
    parts = list(_children(el))
    if drop_blank:
        parts = [p for p in parts if p[0] == "node" or p[1].strip()]
    if not parts:
        return head + "/>"
    inner_pretty = pretty and not (len(parts) == 1 and parts[0][0] == "text")
    out = [head, ">"]
    for kind, value in parts:
        if inner_pretty:
            out.append("\n" + "  " * (level + 1))
        if kind == "node":
            out.append(serialize(value, inner_pretty, level + 1, drop_blank))
        elif inner_pretty and not value.strip():
            out.append(value.replace("\n", "").replace("\r", ""))  # Xalan re-indents blank text this way
        else:
            out.append(_escape(value))
    if inner_pretty:
        out.append("\n" + "  " * level)
    out.append(f"</{_qname(el)}>")
    return "".join(out)


def render_document(root: Any, pretty: bool) -> str:
    nodes: list[Any] = []
    prev = root.getprevious()
    while prev is not None:
        nodes.insert(0, prev)
        prev = prev.getprevious()
    nodes.append(root)
    nxt = root.getnext()
    while nxt is not None:
        nodes.append(nxt)
        nxt = nxt.getnext()
    sep = "\n" if pretty else ""
    return sep.join(serialize(n, pretty, drop_blank=True) for n in nodes) + sep


class XmlNode(Printable, KeyedModel):
    """An xPath result: `name`, `text`, `attributes.<a>`; prints an element as XML, else its text."""

    __slots__ = ("_el", "_name", "_text")

    _KEYS = ("name", "text", "attributes")

    def __init__(self, el: Any = None, name: str = "", text: str = "") -> None:
        self._el = el
        self._name = name
        self._text = text

    def __getitem__(self, key: str) -> Any:
        el = self._el
        if key == "name":
            return _qname(el) if el is not None else self._name
        if key == "text":
            return "".join(el.itertext()) if el is not None else self._text
        if key == "attributes":
            return _attributes(el) if el is not None else {}
        raise KeyError(key)

    def __str__(self) -> str:
        if self._el is not None:
            return serialize(self._el, True) + "\n"
        return self._text


def _strip_namespaces(root: Any) -> tuple[Any, dict[Any, Any]]:
    """A namespace-free copy of the document and a map copy-element -> original element."""
    clone = etree.fromstring(etree.tostring(root), _parser())
    originals = [e for e in root.iter() if isinstance(e.tag, str)]
    copies = [e for e in clone.iter() if isinstance(e.tag, str)]
    mapping = dict(zip(copies, originals))
    for el in copies:
        el.tag = etree.QName(el).localname
        for key in list(el.attrib):
            qn = etree.QName(key)
            if qn.namespace:
                el.attrib[qn.localname] = el.attrib.pop(key)
    etree.cleanup_namespaces(clone)
    return clone, mapping


def _qname_function(mapping: dict[Any, Any]) -> Callable[..., str]:
    """XPath `name()` as Xalan answers it on a DOM1 tree: the node name with its prefix."""

    def qname(context: Any, nodes: Any = None) -> str:
        node = context.context_node if nodes is None else (nodes[0] if nodes else None)
        if node is None:
            return ""
        if isinstance(node, str):
            return str(getattr(node, "attrname", "") or "")
        original = mapping.get(node)
        return _qname(original) if original is not None else str(getattr(node, "tag", ""))

    return qname


def _number_text(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "\u221e" if value > 0 else "-\u221e"
    return format_number(Decimal(value), Format(), ",", ".")


def _xpath(ctx: Any, o: Options, prefix: str) -> Any:
    if ctx is None:
        return ""
    expr = o.param(0)
    if expr is None:
        raise HelperError("The XPath expression cannot be empty")
    text = java_str(ctx)
    key = ("xml-doc", text)
    cached = o.state.cache.get(key)
    if cached is None:
        try:
            root = parse_xml(text)
        except ValueError:
            raise HelperError(f"{text} is not valid XML") from None
        cached = (root, *_strip_namespaces(root))
        o.state.cache[key] = cached
    root, clone, mapping = cached
    full = prefix + java_str(expr)
    descendant = _DESCENDANT.fullmatch(full)
    try:
        if descendant:  # Xalan's DescendantIterator compares the whole `prefix:name` of DOM1 nodes
            result = [e for e in root.iter() if isinstance(e.tag, str) and _qname(e) == descendant.group(1)]
        else:
            result = etree.ElementTree(clone).xpath(
                _NAME_CALL.sub("mockd-qname(", full),
                extensions={(None, "mockd-qname"): _qname_function(mapping)},
            )
    except (etree.XPathError, etree.XPathSyntaxError, ValueError):
        raise HelperError(f"{java_str(expr)} is not a valid XPath expression") from None
    nodes: ListOrSingle
    if isinstance(result, bool):
        nodes = ListOrSingle([XmlNode(text="true" if result else "false")])
    elif isinstance(result, float):
        nodes = ListOrSingle([XmlNode(text=_number_text(result))])
    elif isinstance(result, str):
        nodes = ListOrSingle([XmlNode(text=str(result))])
    else:
        nodes = ListOrSingle()
        for item in result:
            if isinstance(item, str):
                name = getattr(item, "attrname", None) or "#text"
                nodes.append(XmlNode(name=str(name), text=str(item)))
            elif isinstance(item, etree._Element) and isinstance(item.tag, str):
                nodes.append(XmlNode(mapping.get(item, item)))
            else:
                nodes.append(XmlNode(name="#node", text=str(getattr(item, "text", "") or "")))
    return nodes if nodes else ""


def xpath(ctx: Any, o: Options) -> Any:
    return _xpath(ctx, o, "")


def soap_xpath(ctx: Any, o: Options) -> Any:
    return _xpath(ctx, o, "/Envelope/Body/")


def format_xml(ctx: Any, o: Options) -> Any:
    text, fmt = formatting_input(ctx, o, "formatXml", "XML")
    try:
        root = parse_xml(text)
    except ValueError:
        raise HelperError("Input is not valid XML") from None
    return render_document(root, fmt == "pretty")


HELPERS: Mapping[str, Callable[[Any, Options], Any]] = types.MappingProxyType(
    {"xPath": xpath, "soapXPath": soap_xpath, "formatXml": format_xml}
)
