"""SVG drawings made safe to publish: an allow-list of elements and attributes, everything else dropped.

An SVG opened on its own is a document: its scripts, event handlers and
`javascript:` links run on the site's origin (which is also the screens'
service-worker origin). defusedxml parses it (no DTDs, no entities, so no
billion-laughs), then only drawing elements and presentation attributes are
kept; references may only point inside the drawing (`#id`) or at embedded
raster images (`data:image/png|jpeg|gif|webp`). A file that is not a
well-formed SVG cannot be sanitised and is refused.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"

_ELEMENTS = frozenset((
    "svg", "g", "defs", "title", "desc", "symbol", "use", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop", "pattern",
    "clipPath", "mask", "marker", "image", "switch", "filter", "feBlend", "feColorMatrix",
    "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
    "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur",
    "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting",
    "feSpotLight", "feTile", "feTurbulence"
))

_ATTRIBUTES = frozenset((
    "id", "class", "style", "transform", "viewBox", "preserveAspectRatio", "width", "height", "x", "y", "x1",
    "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "d", "points", "pathLength", "dx", "dy",
    "rotate", "lengthAdjust", "textLength", "startOffset", "method", "spacing", "side", "fill", "fill-opacity",
    "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity", "color", "display", "visibility",
    "overflow", "clip-path", "clip-rule", "mask", "filter", "marker-start", "marker-mid", "marker-end",
    "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient", "font-family", "font-size",
    "font-style", "font-weight", "font-variant", "font-stretch", "text-anchor", "dominant-baseline",
    "alignment-baseline", "baseline-shift", "letter-spacing", "word-spacing", "text-decoration", "writing-mode",
    "direction", "unicode-bidi", "paint-order", "vector-effect", "shape-rendering", "text-rendering",
    "image-rendering", "color-interpolation", "color-interpolation-filters", "isolation", "mix-blend-mode",
    "gradientUnits", "gradientTransform", "spreadMethod", "offset", "stop-color", "stop-opacity",
    "patternUnits", "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits", "maskContentUnits",
    "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode", "operator", "k1", "k2",
    "k3", "k4", "type", "values", "tableValues", "slope", "intercept", "amplitude", "exponent", "scale",
    "xChannelSelector", "yChannelSelector", "baseFrequency", "numOctaves", "seed", "stitchTiles", "flood-color",
    "flood-opacity", "lighting-color", "surfaceScale", "diffuseConstant", "specularConstant",
    "specularExponent", "kernelMatrix", "kernelUnitLength", "order", "divisor", "bias", "targetX", "targetY",
    "edgeMode", "preserveAlpha", "radius", "azimuth", "elevation", "pointsAtX", "pointsAtY", "pointsAtZ",
    "limitingConeAngle", "z", "href", "version", "baseProfile"
))

_REFERENCE_ATTRIBUTES = frozenset({"href", f"{{{XLINK}}}href"})
_SAFE_REFERENCE = re.compile(r"^(#[\w.:-]*|data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*)$")
_OUTER_URL = re.compile(r"url\(\s*(?!['\"]?\s*#)", re.IGNORECASE)
_CSS_DANGER = re.compile(r"@import|expression\s*\(|javascript:|\\", re.IGNORECASE)


class SvgRefused(ValueError):
    """The file cannot be made safe (not XML, not SVG, or a DTD/entity trick); the text says which."""


def sanitise_svg(data: bytes) -> bytes:
    """The drawing with only allow-listed elements and attributes, as UTF-8 XML."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ElementTree.ParseError, ValueError) as error:
        raise SvgRefused(type(error).__name__ + (f": {error}" if str(error) else "")) from error
    if root.tag != f"{{{SVG}}}svg":
        raise SvgRefused(f"the outermost element is <{_local(root.tag)}>, not <svg>")
    _clean(root)
    ElementTree.register_namespace("", SVG)
    ElementTree.register_namespace("xlink", XLINK)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _clean(element: ElementTree.Element) -> None:
    for child in list(element):
        if _namespace(child.tag) == SVG and _local(child.tag) in _ELEMENTS:
            _clean(child)
        else:
            element.remove(child)  # <script>, <foreignObject>, <style>, editors' metadata: with their content
    for name, value in list(element.attrib.items()):
        if not _allowed_attribute(name, value):
            del element.attrib[name]


def _allowed_attribute(name: str, value: str) -> bool:
    if name in _REFERENCE_ATTRIBUTES:
        return bool(_SAFE_REFERENCE.match(value.strip()))
    if name.startswith(f"{{{XML}}}"):
        return _local(name) in ("space", "lang")
    if name.startswith("{") or name not in _ATTRIBUTES:
        return False  # event handlers (onload…), other namespaces, anything unknown
    return _inert_value(value)


def _inert_value(value: str) -> bool:
    """No url() leading outside the drawing, no CSS import, expression or escape that could hide one."""
    return not (_CSS_DANGER.search(value) or _OUTER_URL.search(value))


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
