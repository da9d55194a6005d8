"""Reading translated pages' front matter: the only module that imports python-frontmatter.

The marker is read from the YAML node tree, not from constructed values, so a hash such as
``0123456`` (an octal integer to YAML) or ``1234567`` keeps the exact text the page holds.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from frontmatter.default_handlers import YAMLHandler

try:  # libyaml is ten times faster on 60,000 pages; PyYAML falls back to pure Python without it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_HANDLER = YAMLHandler()
_BOM = "\ufeff"
# Front matter larger than this (in bytes) is reported invalid without being parsed: pages
# come from pull requests, and YAML parsing costs many times the text's size in memory.
DEFAULT_SIZE_LIMIT = 1024 * 1024
# Front matter nested deeper than this is not edited: the tree is walked recursively, and
# real front matter is a few levels deep (a page from a pull request could be thousands).
MAX_DEPTH = 64


@dataclass(frozen=True)
class FrontMatter:
    """What a page's front matter says about it."""

    marker: str | None  # the marker's exact text, None when absent or empty
    marker_line: int | None  # 1-based line of the marker's value in the file
    title: str | None
    error: str | None = None  # why the front matter could not be read
    # The top-level keys, when the block is of the simple shape that an edit makes without YAML
    # (see simply_editable); None otherwise. Not part of what the page says: not compared.
    front_keys: tuple[str, ...] | None = field(default=None, compare=False)


def read_front_matter(
    path: str | Path, marker_key: str, limit: int = DEFAULT_SIZE_LIMIT
) -> FrontMatter:
    """Read one page file's marker and title; problems are returned, never raised."""
    try:
        # os.open/os.read: no buffered file object per page, which costs more than the read.
        # A page that is a symbolic link is not read (the folders on the way were checked
        # where the page was found: see safefiles.py).
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            chunks = []
            while chunk := os.read(descriptor, 1 << 16):
                chunks.append(chunk)
        finally:
            os.close(descriptor)
        data = b"".join(chunks)
    except OSError as error:
        return FrontMatter(None, None, None, f"cannot read the file: {error.strerror}")
    return parse_front_matter(data, marker_key, limit)


def page_body(data: bytes) -> str:
    """The text after the front matter (the whole text when there is none)."""
    text = data.decode("utf-8", errors="replace").removeprefix(_BOM)
    if not _HANDLER.detect(text):
        return text
    try:
        _block, body = _HANDLER.split(text)
    except ValueError:
        return text
    return str(body)


def parse_front_matter(
    data: bytes, marker_key: str, limit: int = DEFAULT_SIZE_LIMIT
) -> FrontMatter:
    """Parse the front matter block of a page given as bytes (BOM and CRLF allowed).

    A block over ``limit`` bytes is an error, found without parsing it.
    """
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
    if len(block) > limit // 4 and len(block.encode("utf-8")) > limit:
        return FrontMatter(None, None, None, f"front matter is larger than {limit} bytes "
                           "(the front_matter_limit setting): not read")
    opening = _HANDLER.FM_BOUNDARY.match(text) if _HANDLER.FM_BOUNDARY else None
    if opening is not None:
        block = "\n" * opening.group().count("\n") + block
    entries = simple_block_entries(block)
    if entries is None:
        return parse_yaml_block(block, marker_key)
    simple = _simple_result(*entries, marker_key)
    if simple is None:
        return parse_yaml_block(block, marker_key)
    if not simply_editable(block, entries[0]):
        return simple
    return replace(simple, front_keys=tuple(sys.intern(path[0]) for path in entries[0]
                                            if len(path) == 1))


def parse_yaml_block(block: str, marker_key: str) -> FrontMatter:
    """Read a front matter block with the YAML parser (any shape, exact error lines)."""
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


# The shape almost every page has: 'key: value' lines, nested by spaces, values plain or quoted
# without escapes. Anything else (flow collections, sequences, anchors, tags, block scalars,
# escapes, comments after values, tabs) goes to the YAML parser, which is ten times slower.
_SIMPLE_LINE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_.-]*):(?: +([^ \r](?:[^\r]*[^ \r])?))?[ \r]*")
# A plain value's first character (the rest is checked without a regex: a pattern with an
# alternation under a repeat costs memory for every character of a long value).
_PLAIN_START = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')
_SINGLE_QUOTED = re.compile(r"'([^']*)'")
_COMMENT_OR_BLANK = re.compile(r"[ \r]*(?:#.*)?")
_NON_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Plain scalars YAML reads as null.
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_OTHER_LINE_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


def parse_simple_block(block: str, marker_key: str) -> FrontMatter | None:
    """Read a front matter block of the simple shape without YAML, or None if it is not simple.

    Gives exactly what the YAML path gives for such blocks (a property test checks this).
    """
    entries = simple_block_entries(block)
    return None if entries is None else _simple_result(*entries, marker_key)


SimpleValues = dict[tuple[str, ...], tuple[str, bool, int]]


def simple_block_entries(block: str) -> tuple[SimpleValues, set[tuple[str, ...]]] | None:
    """A simple-shape block's keys, without YAML: key path -> (text, quoted, 1-based line in
    the block; text "" for a key with nothing after the colon), and the key paths that have
    keys below them. None when the block is not of the simple shape."""
    if _NON_PRINTABLE.search(block):
        return None  # YAML refuses control characters; let it say where
    if "\t" in block or _OTHER_LINE_BREAK.search(block):
        # Tabs: YAML drops a plain value's trailing tabs; other line breaks (a lone CR, NEL,
        # U+2028, U+2029) are line breaks to YAML, so its line numbers are not ours.
        return None
    values: SimpleValues = {}
    mappings: set[tuple[str, ...]] = set()  # keys that have keys below them
    # Open mappings: (key path, indent of the key, indent of its children once seen).
    open_maps: list[tuple[tuple[str, ...], int, int | None]] = [((), -1, 0)]
    number = 0
    for line in block.split("\n"):
        number += 1
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None:
            if _COMMENT_OR_BLANK.fullmatch(line):
                continue
            return None
        spaces, key, raw = match.groups()
        indent = len(spaces)
        while indent <= open_maps[-1][1]:
            open_maps.pop()
        parent, parent_indent, child_indent = open_maps[-1]
        if child_indent is None:
            if parent and values[parent][0]:
                return None  # a scalar with a more indented line below it
            open_maps[-1] = (parent, parent_indent, indent)
            if parent:
                mappings.add(parent)
        elif indent != child_indent:
            return None
        path = (*parent, key)
        if path in values:
            return None  # a key given twice: leave that to YAML
        if not raw:
            values[path] = ("", False, number)
            open_maps.append((path, indent, None))
            continue
        value = simple_value(raw)
        if value is None:
            return None
        values[path] = (value[0], value[1], number)
    return values, mappings


def simply_editable(source: str, values: SimpleValues) -> bool:
    """True when frontmatter_edit edits this simple-shape block (the YAML text, with the blank
    lines the opening boundary took) at the text level; its keys read by simple_block_entries.
    Not: a block without keys, nested past MAX_DEPTH, with a BOM inside (the YAML path reads
    that with the pure parser) or not ending its last line."""
    return (bool(values) and max(map(len, values)) <= MAX_DEPTH and _BOM not in source
            and source.endswith("\n"))


def simple_value(raw: str) -> tuple[str, bool] | None:
    """A scalar's text and whether it was quoted, if plain or quoted without escapes."""
    first = raw[0]
    if first == '"' or first == "'":
        match = (_DOUBLE_QUOTED if first == '"' else _SINGLE_QUOTED).fullmatch(raw)
        return (match.group(1), True) if match is not None else None
    # Plain: no comment sign, no ": " (a mapping inside) and no ":" at the end.
    if _PLAIN_START.match(raw) and "#" not in raw and ": " not in raw and raw[-1] != ":":
        return raw, False
    return None


def _simple_result(
    values: SimpleValues,
    mappings: set[tuple[str, ...]],
    marker_key: str,
) -> FrontMatter | None:
    title_entry = values.get(("title",))
    title = title_entry[0] if title_entry is not None and ("title",) not in mappings else None
    keys = tuple(marker_key.split("."))
    for length in range(1, len(keys)):
        if keys[:length] in values and keys[:length] not in mappings:
            return FrontMatter(None, None, title)  # a scalar where a mapping should be
    entry = values.get(keys)
    if entry is None:
        return FrontMatter(None, None, title)
    if keys in mappings:
        return None  # YAML reports where the mapping starts: let it
    text, quoted, line = entry
    text = text.strip()
    if not text or (not quoted and text in NULL_WORDS):
        return FrontMatter(None, line, title)
    return FrontMatter(text, line, title)


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _lookup(node: yaml.Node, keys: tuple[str, ...]) -> yaml.Node | None:
    """Follow a dotted key through nested mappings in the node tree, merge keys included."""
    current: yaml.Node | None = node
    for key in keys:
        if not isinstance(current, yaml.MappingNode):
            return None
        current = _entry(current, key, 0)
    return current


def _entry(mapping: yaml.MappingNode, key: str, depth: int) -> yaml.Node | None:
    """The value of ``key`` in a mapping: its own entry (the last, as the composer keeps),
    else from what ``<<`` merges in, the first merged mapping that has it (YAML's merge key:
    the mapping's own keys win, then the merged ones in order)."""
    found = None
    merged: list[yaml.Node] = []
    for key_node, value_node in mapping.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        if key_node.tag == _MERGE_TAG:
            merged += value_node.value if isinstance(value_node, yaml.SequenceNode) else [
                value_node]
        elif key_node.value == key:
            found = value_node
    if found is not None or depth > 32:  # merges of merges: bounded, whatever the aliases
        return found
    for source in merged:
        if isinstance(source, yaml.MappingNode):
            found = _entry(source, key, depth + 1)
            if found is not None:
                return found
    return None


# A commit id as people paste it: 7 to 40 hex digits; a short one has both a digit and a letter,
# so dates (20240101) and words (defaced) are not taken for one.
_COMMIT_ID = re.compile(r"[0-9a-fA-F]{40}|(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])"
                        r"[0-9a-fA-F]{7,39}")


def _front_matter_node(data: bytes) -> yaml.Node | None:
    """A page's front matter as a YAML node tree; None when it has none or cannot be read."""
    try:
        text = data.decode("utf-8").removeprefix(_BOM)
        if not _HANDLER.detect(text):
            return None
        block, _body = _HANDLER.split(text)
        if len(block) > DEFAULT_SIZE_LIMIT:  # pages come from pull requests: see parse
            return None
        return yaml.compose(block, Loader=_Loader)
    except (UnicodeDecodeError, ValueError, yaml.YAMLError, RecursionError):
        return None


def commit_valued_keys(data: bytes) -> list[str]:
    """The dotted keys of a page's front matter whose values look like commit ids, in order
    (for finding which key a site keeps its markers under); none when it cannot be read."""
    root = _front_matter_node(data)
    found: list[str] = []
    pending: list[tuple[tuple[str, ...], yaml.Node]] = [((), root)] if root is not None else []
    while pending:
        path, node = pending.pop(0)
        if isinstance(node, yaml.MappingNode):
            pending.extend(((*path, str(key.value)), value) for key, value in node.value
                           if isinstance(key, yaml.ScalarNode))
        elif isinstance(node, yaml.ScalarNode) and path and _COMMIT_ID.fullmatch(
                str(node.value).strip()):
            found.append(".".join(path))
    return found


def string_list(data: bytes, key: str) -> list[str]:
    """A top-level front matter key's value as strings: a list of them, or one (Hugo's
    ``aliases``); empty when absent or unreadable."""
    root = _front_matter_node(data)
    node = _lookup(root, (key,)) if isinstance(root, yaml.MappingNode) else None
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    return [str(item.value) for item in items if isinstance(item, yaml.ScalarNode)]


class _LenientLoader(yaml.SafeLoader):
    """A safe loader that reads values behind tags it does not know (``!ENV x``,
    ``!!python/name:...``) as plain scalars, lists or mappings, never constructing objects."""


def _untagged(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_LenientLoader.add_multi_constructor("!", _untagged)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


def load_yaml_document(text: str) -> object:
    """A YAML document (a site config such as mkdocs.yml) as plain data; None when it is not
    valid YAML."""
    try:
        return yaml.load(text, Loader=_LenientLoader)  # a SafeLoader: builds no objects
    except yaml.YAMLError:
        return None
