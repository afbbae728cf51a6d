"""XML documents for the matchers: a hardened lxml parser, and Java-style rendering of elements.

The parser never resolves entities, loads DTDs or touches the network. Namespace-unaware reading (what
WireMock's default DocumentBuilder does) is emulated by declaring unbound prefixes on the root.
`render_element` reproduces Java's indenting Transformer (`<a>\\n  <b>1</b>\\n</a>\\n`), which WireMock
uses for XPath results.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from lxml import etree

__all__ = [
    "UNBOUND",
    "XmlError",
    "is_element",
    "own_declarations",
    "parse_xml",
    "render_element",
    "written_prefix",
]

UNBOUND = "urn:mockd:unbound:"


class XmlError(ValueError):
    """The text is not (well-formed) XML."""


# -- parsing -----------------------------------------------------------------------------------------


_LOCAL = threading.local()  # lxml parsers must not be shared between threads


def _parser(remove_comments: bool) -> etree.XMLParser:
    key = "keep" if not remove_comments else "strip"
    parser: etree.XMLParser | None = getattr(_LOCAL, key, None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=remove_comments,
            encoding="utf-8",
        )
        setattr(_LOCAL, key, parser)
    return parser


def _declare_unbound(text: str) -> str:
    """Declare every used-but-unbound prefix on the root element (namespace-unaware reading)."""
    prefixes = set(re.findall(r"</?([A-Za-z_][\w.\-]*):[A-Za-z_]", text))
    prefixes |= set(re.findall(r"\s([A-Za-z_][\w.\-]*):[A-Za-z_][\w.\-]*\s*=", text))
    prefixes -= {"xml", "xmlns"}
    m = re.search(r"<([A-Za-z_][\w.\-:]*)", text)
    if not prefixes or not m:
        return text
    decls = "".join(f' xmlns:{p}="{UNBOUND}{p}"' for p in sorted(prefixes))
    return text[: m.end()] + decls + text[m.end() :]


def parse_xml(text: str, *, remove_comments: bool = True, namespace_aware: bool = True) -> Any:
    """The root element; XmlError when it is not XML. Unbound prefixes are errors only when aware."""
    try:
        return etree.fromstring(text.encode("utf-8", "surrogatepass"), _parser(remove_comments))
    except etree.XMLSyntaxError as exc:
        if namespace_aware or "Namespace prefix" not in str(exc):
            raise XmlError(str(exc)) from None
    except (ValueError, UnicodeError) as exc:
        raise XmlError(str(exc)) from None
    try:
        return etree.fromstring(
            _declare_unbound(text).encode("utf-8", "surrogatepass"), _parser(remove_comments)
        )
    except (etree.XMLSyntaxError, ValueError, UnicodeError) as exc:
        raise XmlError(str(exc)) from None


def is_element(node: Any) -> bool:
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


def written_prefix(el: Any, ns: str | None) -> str | None:
    for prefix, uri in el.nsmap.items():
        if uri == ns and prefix is not None:
            return str(prefix)
    return None


def own_declarations(el: Any) -> dict[str | None, str]:
    parent = el.getparent()
    inherited = parent.nsmap if parent is not None else {}
    return {p: u for p, u in el.nsmap.items() if inherited.get(p) != u and not u.startswith(UNBOUND)}


# -- rendering (Java's indenting Transformer) --------------------------------------------------------


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    )  # fmt: skip


def _render(el: Any, depth: int, out: list[str], scope: dict[str | None, str], ns_aware: bool) -> None:
    qname = etree.QName(el)
    name = f"{el.prefix}:{qname.localname}" if el.prefix else qname.localname
    attrs: list[str] = []
    declare = dict(own_declarations(el))
    if ns_aware:
        if qname.namespace and not qname.namespace.startswith(UNBOUND):
            declare.setdefault(el.prefix, qname.namespace)
        for key in el.attrib:
            ans = etree.QName(key).namespace
            if ans:
                declare.setdefault(written_prefix(el, ans), ans)
    for prefix, uri in declare.items():
        if scope.get(prefix) != uri:
            attrs.append(
                f' xmlns:{prefix}="{_escape_attr(uri)}"' if prefix else f' xmlns="{_escape_attr(uri)}"'
            )
    inner_scope = {**scope, **declare}
    for key, value in el.attrib.items():
        aq = etree.QName(key)
        prefix = written_prefix(el, aq.namespace) if aq.namespace else None
        attrs.append(f' {prefix + ":" if prefix else ""}{aq.localname}="{_escape_attr(value)}"')
    items: list[Any] = [el.text] if el.text else []
    for child in el:
        items.append(child)
        if child.tail:
            items.append(child.tail)
    head = f"<{name}{''.join(attrs)}"
    if not items:
        out.append(head + "/>")
        return
    if all(isinstance(i, str) for i in items):
        out.append(f"{head}>{_escape_text(''.join(items))}</{name}>")
        return
    out.append(head + ">")
    pad = "\n" + "  " * (depth + 1)
    for item in items:
        if isinstance(item, str):
            if item.strip():
                out.append(pad + _escape_text(item))
        elif is_element(item):
            out.append(pad)
            _render(item, depth + 1, out, inner_scope, ns_aware)
        elif isinstance(item, etree._Comment):
            out.append(f"{pad}<!--{item.text or ''}-->")
        elif isinstance(item, etree._ProcessingInstruction):
            out.append(f"{pad}<?{item.target} {item.text or ''}?>")
        else:
            out.append(pad + str(item.text or ""))
    out.append("\n" + "  " * depth + f"</{name}>")


def render_element(el: Any, ns_aware: bool) -> str:
    out: list[str] = []
    _render(el, 0, out, {}, ns_aware)
    return "".join(out) + "\n"
