"""Reading translated pages' front matter: the only module that imports python-frontmatter.

The marker is read from the YAML node tree, not from constructed values, so a hash such as
``0123456`` (an octal integer to YAML) or ``1234567`` keeps the exact text the page holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from frontmatter.default_handlers import YAMLHandler

try:  # libyaml is ten times faster on 60,000 pages; PyYAML falls back to pure Python without it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_HANDLER = YAMLHandler()
_BOM = "\ufeff"


@dataclass(frozen=True)
class FrontMatter:
    """What a page's front matter says about it."""

    marker: str | None  # the marker's exact text, None when absent or empty
    marker_line: int | None  # 1-based line of the marker's value in the file
    title: str | None
    error: str | None = None  # why the front matter could not be read


def read_front_matter(path: Path, marker_key: str) -> FrontMatter:
    """Read one page file's marker and title; problems are returned, never raised."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return FrontMatter(None, None, None, f"cannot read the file: {error.strerror}")
    return parse_front_matter(data, marker_key)


def parse_front_matter(data: bytes, marker_key: str) -> FrontMatter:
    """Parse the front matter block of a page given as bytes (BOM and CRLF allowed)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return FrontMatter(None, None, None, f"not UTF-8 text (byte {error.start})")
    if text.startswith(_BOM):
        text = text[1:]
    if not _HANDLER.detect(text):
        return FrontMatter(None, None, None)
    try:
        block, _body = _HANDLER.split(text)
    except ValueError:
        return FrontMatter(None, None, None, "front matter is not closed by a '---' line")
    # The handler's boundary pattern (``^-{3,}\s*$``) also swallows blank lines that follow the
    # opening "---"; put them back so that YAML node lines stay file lines.
    opening = _HANDLER.FM_BOUNDARY.match(text) if _HANDLER.FM_BOUNDARY else None
    if opening is not None:
        block = "\n" * opening.group().count("\n") + block
    try:
        # The block keeps the newline that ends the opening "---", so node lines are file lines.
        root = yaml.compose(block, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        where = f"line {mark.line + 1}: " if mark is not None else ""
        return FrontMatter(None, None, None, f"invalid YAML front matter: {where}{problem}")
    if root is None:
        return FrontMatter(None, None, None)
    if not isinstance(root, yaml.MappingNode):
        return FrontMatter(None, None, None, "front matter is not a mapping of keys to values")
    title_node = _lookup(root, ("title",))
    title = title_node.value if isinstance(title_node, yaml.ScalarNode) else None
    marker_node = _lookup(root, tuple(marker_key.split(".")))
    if marker_node is None:
        return FrontMatter(None, None, title)
    line = marker_node.start_mark.line + 1
    if not isinstance(marker_node, yaml.ScalarNode):
        return FrontMatter("<not a string>", line, title)
    value = str(marker_node.value).strip()
    # libyaml reports a plain scalar's style as "" where pure-Python PyYAML says None.
    if not value or (marker_node.tag.endswith(":null") and not marker_node.style):
        return FrontMatter(None, line, title)
    return FrontMatter(value, line, title)


def _lookup(node: yaml.Node, keys: tuple[str, ...]) -> yaml.Node | None:
    """Follow a dotted key through nested mappings in the node tree."""
    current: yaml.Node | None = node
    for key in keys:
        if not isinstance(current, yaml.MappingNode):
            return None
        found = None
        for key_node, value_node in current.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                found = value_node
        current = found
    return current
