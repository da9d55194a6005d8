"""Byte-exact front matter edits: set, add or remove one scalar key without re-serializing YAML.

Every edit is a splice. The block is found with python-frontmatter's boundary (the same one the
reader uses), parsed into YAML events whose marks give the exact text span of each key and value,
and only the value's text (or whole inserted or removed lines) changes. Each result is checked
twice before it is returned: the marker reads back through ``parse_front_matter``, and every other
key keeps its YAML meaning. Shapes that cannot be edited this way are refused with EditError.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections import Counter
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from l10nsync.errors import FrontMatterError
from l10nsync.frontmatter import (
    _HANDLER,
    MAX_DEPTH,
    NULL_WORDS,
    SimpleValues,
    parse_front_matter,
    simple_block_entries,
    simple_value,
    simply_editable,
)

_BOM = "\ufeff"
# Keys and values are written plain, so they must need no quoting or escaping in YAML.
_KEY_PART = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")
# A page address such as Web/API/Fetch_API or Web/CSS/:hover: still plain YAML (each result is
# read back, so a value YAML would read otherwise is refused, never written).
_SLUG = re.compile(r"[A-Za-z0-9_][^\s\"'#\\]*")
_DEFAULT_INDENT = 2


class EditError(FrontMatterError):
    """A page's front matter cannot be edited safely; the page must be edited by hand."""


# --- the public edits ---------------------------------------------------------------------------


def set_marker(data: bytes, marker_key: str, value: str, *, insert_after: str = "slug") -> bytes:
    """Return the page with the marker (``l10n.sourceCommit`` or a top-level key) set to value."""
    return _set_scalar(data, marker_key, value, insert_after)


def set_key(data: bytes, key: str, value: str, *, insert_after: str = "slug") -> bytes:
    """Return the page with a scalar key (dotted or top-level) set to value."""
    return _set_scalar(data, key, value, insert_after)


def set_slug(data: bytes, key: str, value: str, *, insert_after: str = "slug") -> bytes:
    """Return the page with a key holding a page address (``slug``, ``original_slug``) set."""
    return _set_scalar(data, key, value, insert_after, _SLUG)


def remove_key(data: bytes, key: str) -> bytes:
    """Return the page without key and its value lines, and without a parent it leaves empty."""
    parts = _split_key(key)
    quick = _simple_edit(data, parts, None, "")
    return quick if quick is not None else _remove_key_yaml(data, key, parts)


def _remove_key_yaml(data: bytes, key: str, parts: tuple[str, ...]) -> bytes:
    """remove_key the full way: any shape, read with the YAML parser."""
    if not _may_hold(data, parts[-1]):
        return data  # the common case (annotate on pages in step): no YAML parse at all
    page = _Page.read(data)
    chain = _find_chain(page, parts)
    if chain is None:
        return data
    # Removing the only entry of a mapping would leave "l10n:" as a null: remove the parent too.
    level = len(chain) - 1
    while level > 0 and len(chain[level].mapping.children) == 2:
        level -= 1
    entry = chain[level]
    start = _line_start(page.source, entry.key.start)
    if page.source[start : entry.key.start].strip(" "):
        where = f"line {entry.key.line + 1}"
        raise EditError(f"{where}: '{key}' does not start its line; edit it by hand")
    end = _entry_end(page.source, entry.key, entry.value)
    result = page.splice(start, end, "")
    _check_result(page, result, parts, None)
    return result


def is_top_level_key(key: str) -> bool:
    """True when ``key`` names one top-level key (no dots) that the edits accept."""
    return _KEY_PART.fullmatch(key) is not None


def write_atomically(path: Path, data: bytes) -> None:
    """Replace the file at path with data in one step, keeping its permission bits."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_current_umask()
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(path.parent)


def _may_hold(data: bytes, name: str) -> bool:
    """False only when the front matter is valid YAML that certainly has no key ``name``: the
    name's text is nowhere up to the block's closing line (found as the reader finds it, or
    later). Anything else goes the full way, which says what is wrong."""
    opening = _BOUNDARY_BYTES.match(data, 3 if data.startswith(_BOM_BYTES) else 0)
    closing = _BOUNDARY_BYTES.search(data, opening.end()) if opening else None
    if opening is None or closing is None or name.encode("utf-8") in data[:closing.end()]:
        return True
    try:
        block = data[opening.end():closing.start()].decode("utf-8")
    except UnicodeDecodeError:
        return True
    if not _reads_fast(block):
        return True
    try:
        _events(block, _FAST_LOADER)
    except (yaml.YAMLError, EditError):
        return True
    return False


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _simple_edit(data: bytes, parts: tuple[str, ...], value: str | None,
                 insert_after: str) -> bytes | None:
    """The edit of a top-level key in a block of the simple shape, made without YAML: the
    same bytes the full way gives (a property test compares the two), or None when the page
    is not one this path answers for (the full way then says what it does, or what is wrong).

    ``value`` None removes the key. Answered here: setting a key that is absent (a new line
    after ``insert_after``'s line, or at the block's end) or holds the value already, and
    removing a key that is absent or holds one scalar on its line. A removal is read again
    with the simple reader: every other key must keep its text and quoting.
    """
    if len(parts) != 1 or (value is not None and value in NULL_WORDS):
        return None  # a value YAML reads as null never reads back: the full way refuses it
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    skip = 1 if text.startswith(_BOM) else 0
    content = text[skip:] if skip else text
    boundary = _HANDLER.FM_BOUNDARY
    opening = boundary.match(content)
    closing = boundary.search(content, opening.end()) if opening else None
    if opening is None or closing is None:
        return None
    padding = opening.group().count("\n")
    block = content[opening.end():closing.start()]
    source = "\n" * padding + block
    entries = simple_block_entries(source)
    if entries is None or not simply_editable(source, entries[0]):
        return None
    values, mappings = entries
    key = parts[0]
    found = values.get(parts)
    if value is None:
        if found is None:
            return data
        if parts in mappings:
            return None
        edited = _without_line(source, found[2])
        again = simple_block_entries(edited)
        if again is None or not _same_other_keys(values, mappings, *again, parts, value):
            return None
    else:
        if found is not None:
            return data if (found[0] == value and parts not in mappings) else None
        anchor = values.get((insert_after,))
        if anchor is not None and (insert_after,) in mappings:
            return None
        line = anchor[2] if anchor is not None else source.count("\n")
        position = _after_line(source, line)
        # A key's line is after the opening line's end and the blank lines the boundary took.
        newline = "\r\n" if source[position - 2:position] == "\r\n" else "\n"
        edited = f"{source[:position]}{key}: {value}{newline}{source[position:]}"
        # Not read again: a top-level 'key: value' line, its value simple, put after a line
        # that ends a top-level entry holding no mapping (or the block's last line), leaves
        # every other line where the simple reader had it (the property test checks this).
        if simple_value(value) != (value, False):
            return None
    # Only the block's bytes change: the text before and after it is the input's, byte for byte.
    first = len(content[:opening.end()].encode("utf-8")) + (3 if skip else 0)
    last = first + len(block.encode("utf-8"))
    return data[:first] + edited[padding:].encode("utf-8") + data[last:]


def _after_line(source: str, line: int) -> int:
    """Where the line after ``line`` (1-based) of source starts."""
    position = 0
    for _ in range(line):
        position = source.index("\n", position) + 1
    return position


def _without_line(source: str, line: int) -> str:
    """Source without its ``line`` (1-based)."""
    first = _after_line(source, line - 1)
    return source[:first] + source[source.index("\n", first) + 1:]


def _same_other_keys(values: SimpleValues, mappings: set[tuple[str, ...]],
                     new_values: SimpleValues, new_mappings: set[tuple[str, ...]],
                     parts: tuple[str, ...], value: str | None) -> bool:
    """True when an edited simple block holds the same keys as before but ``parts``, which
    now holds ``value`` as a plain scalar (or is gone, for None)."""
    if mappings != new_mappings:
        return False
    meaning = {path: entry[:2] for path, entry in values.items() if path != parts}
    new_meaning = {path: entry[:2] for path, entry in new_values.items() if path != parts}
    written = new_values.get(parts)
    return meaning == new_meaning and (
        written is None if value is None else written is not None and written[:2] == (value, False))
# ASCII whitespace only: a closing line found here is never before the one the reader finds.
_BOUNDARY_BYTES = re.compile(rb"^-{3,}\s*$", re.MULTILINE)
_BOM_BYTES = "\ufeff".encode()


# --- the page and its YAML tree -----------------------------------------------------------------


@dataclass
class _Node:
    """One YAML node with the exact span of its text in the parsed source."""

    kind: str  # "scalar", "alias", "mapping" or "sequence"
    start: int
    end: int
    line: int  # 0-based; source lines are file lines
    value: str = ""
    style: str | None = None  # a scalar's: None plain, "'", '"', "|" or ">"
    tag: str | None = None  # an explicit tag, None when the tag is implied
    anchor: str | None = None
    flow: bool = False
    children: list[_Node] = field(default_factory=list)  # mapping: key, value, key, value...

    def entries(self) -> Iterator[tuple[_Node, _Node]]:
        yield from zip(self.children[::2], self.children[1::2], strict=True)

    @property
    def is_empty_null(self) -> bool:
        """True for a key given with nothing after the colon (YAML reads it as null)."""
        return (
            self.kind == "scalar" and self.style is None and self.value == ""
            and self.tag is None and self.anchor is None
        )


@dataclass(frozen=True)
class _Entry:
    mapping: _Node
    key: _Node
    value: _Node


@dataclass(frozen=True)
class _Page:
    """A page split into the parts an edit needs; source indices map to file text indices."""

    data: bytes
    text: str
    source: str  # the YAML text: blank lines so that lines match the file, then the block
    offset: int  # text index = source index + offset
    root: _Node | None
    end: int  # where new last keys go: the end of the block, or a "..." line that ends the YAML

    @classmethod
    def read(cls, data: bytes) -> _Page:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise EditError(f"not UTF-8 text (byte {error.start})") from None
        skip = 1 if text.startswith(_BOM) else 0
        content = text[skip:]
        boundary = _HANDLER.FM_BOUNDARY
        opening = boundary.match(content)
        if opening is None:
            raise EditError("no front matter block: the page does not start with a '---' line")
        closing = boundary.search(content, opening.end())
        if closing is None:
            raise EditError("front matter is not closed by a '---' line")
        # Like the reader: the boundary swallows blank lines after the opening "---"; put them
        # back so that YAML lines are file lines.
        padding = opening.group().count("\n")
        source = "\n" * padding + content[opening.end() : closing.start()]
        root, end = _parse_tree(source)
        return cls(data, text, source, skip + opening.end() - padding, root, end)

    def splice(self, start: int, end: int, replacement: str) -> bytes:
        """The page bytes with source[start:end] replaced; every other byte is the input's."""
        first = len(self.text[: start + self.offset].encode("utf-8"))
        last = first + len(self.text[start + self.offset : end + self.offset].encode("utf-8"))
        return self.data[:first] + replacement.encode("utf-8") + self.data[last:]

    def newline_before(self, index: int) -> str:
        """The line ending of the line that ends just before a line start in source."""
        # Read the file text: the source lost the "\r" of an opening "---\r\n".
        end = index + self.offset
        return "\r\n" if self.text[max(end - 2, 0) : end] == "\r\n" else "\n"


def _parse_tree(source: str) -> tuple[_Node | None, int]:
    """The block's document as a tree of spans (None when empty), and where its YAML ends.

    libyaml reads it when it can, in a fraction of the pure-Python parser's time: its events
    and their marks (indices into the str) are the pure parser's, except in text holding a
    tab (libyaml accepts tabs the YAML spec and the pure parser refuse) or a byte order mark
    inside (its marks shift), which the pure parser reads. An error is read again by the pure
    parser, so that the message is the same either way. tests/test_frontmatter_edit.py compares the
    two parsers' events.
    """
    fast = _reads_fast(source)
    try:
        try:
            events = _events(source, _FAST_LOADER if fast else yaml.SafeLoader)
        except yaml.YAMLError:
            if not fast:
                raise
            events = _events(source, yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise EditError(f"invalid YAML front matter: {where}{problem}") from None
    end = len(source)
    for event in events:
        if isinstance(event, yaml.DocumentEndEvent) and event.explicit:
            assert event.start_mark is not None
            end = _line_start(source, event.start_mark.index)
    nodes = [
        event for event in events
        if not isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent,
                                  yaml.DocumentStartEvent, yaml.DocumentEndEvent))
    ]
    if not nodes:
        return None, end
    stream = iter(nodes)
    return _build_node(next(stream), stream), end


def _reads_fast(source: str) -> bool:
    """True when libyaml reads ``source`` as the pure parser does (see _parse_tree)."""
    return _FAST_LOADER is not yaml.SafeLoader and "\t" not in source and _BOM not in source


def _events(source: str, loader: Any) -> list[yaml.Event]:
    """The document's events, its depth and its composition checked."""
    events = list(yaml.parse(source, Loader=loader))
    _check_depth(events)
    # The composer finds what events alone do not: undefined aliases, several documents.
    yaml.compose(source, Loader=loader)
    return events


def _check_depth(events: list[yaml.Event]) -> None:
    """Refuse front matter nested deeper than MAX_DEPTH, before anything recurses into it."""
    depth = deepest = 0
    for event in events:
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    if deepest > MAX_DEPTH:
        raise EditError(f"front matter nested {deepest} levels deep (more than {MAX_DEPTH}); "
                        "edit it by hand")


def _build_node(event: yaml.Event, stream: Iterator[yaml.Event]) -> _Node:
    start, end = event.start_mark, event.end_mark
    assert start is not None and end is not None  # the parser marks every event it makes
    if isinstance(event, yaml.ScalarEvent):
        return _Node("scalar", start.index, end.index, start.line, event.value, event.style or None,
                     event.tag, event.anchor)
    if isinstance(event, yaml.AliasEvent):
        return _Node("alias", start.index, end.index, start.line, anchor=event.anchor)
    assert isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
    kind = "mapping" if isinstance(event, yaml.MappingStartEvent) else "sequence"
    node = _Node(kind, start.index, end.index, start.line, tag=event.tag, anchor=event.anchor,
                 flow=bool(event.flow_style))
    for child in stream:
        if isinstance(child, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            assert child.end_mark is not None
            node.end = child.end_mark.index
            return node
        node.children.append(_build_node(child, stream))
    raise AssertionError("the YAML parser ended a collection without an end event")


# --- setting a value ----------------------------------------------------------------------------


def _set_scalar(data: bytes, key: str, value: str, insert_after: str,
                plain: re.Pattern[str] = _VALUE) -> bytes:
    parts = _split_key(key)
    if not plain.fullmatch(value):
        raise EditError(f"cannot write {value!r} as the value of '{key}': not a plain word")
    quick = _simple_edit(data, parts, value, insert_after)
    return quick if quick is not None else _set_scalar_yaml(data, parts, value, insert_after)


def _set_scalar_yaml(data: bytes, parts: tuple[str, ...], value: str,
                     insert_after: str) -> bytes:
    """_set_scalar the full way: any shape, read with the YAML parser."""
    page = _Page.read(data)
    root = page.root
    if root is None:  # an empty block: the new key is its first line
        return _insert(page, page.end, 0, _DEFAULT_INDENT, parts, parts, value)
    mapping = _block_mapping(root, "the front matter")
    for depth, part in enumerate(parts):
        name = ".".join(parts[: depth + 1])
        entry = _find_entry(mapping, part, name)
        if entry is None:
            return _insert_into(page, mapping, parts[depth:], parts, value, insert_after)
        if depth == len(parts) - 1:
            return _replace_value(page, entry, parts, value, name)
        if entry.value.is_empty_null:  # "l10n:" with nothing under it: its first child
            unit = _indent_unit(page.source, root)
            column = _column(page.source, entry.key.start) + unit
            position = _entry_end(page.source, entry.key, entry.value)
            return _insert(page, position, column, unit, parts[depth + 1 :], parts, value)
        mapping = _block_mapping(entry.value, f"'{name}'")
    raise AssertionError("unreachable: the loop returns at the last key part")


def _replace_value(page: _Page, entry: _Entry, parts: tuple[str, ...], value: str,
                   name: str) -> bytes:
    node = entry.value
    where = f"line {node.line + 1}: '{name}'"
    if node.kind == "alias":
        raise EditError(f"{where} is an alias (*{node.anchor}); edit it by hand")
    if node.kind != "scalar":
        shape = "a list" if node.kind == "sequence" else "a mapping"
        raise EditError(f"{where} holds {shape}, not a single value; edit it by hand")
    if node.tag is not None or node.anchor is not None:
        raise EditError(f"{where} has a YAML tag or anchor; edit it by hand")
    if node.style in ("|", ">"):
        raise EditError(f"{where} is a block scalar ({node.style}); edit it by hand")
    if node.value == value:
        _check_result(page, page.data, parts, value)
        return page.data
    source = page.source
    if node.style is None and node.start == node.end:
        # "sourceCommit:" with nothing after it: the empty value sits right after the colon.
        if source[node.start - 1 : node.start] != ":":
            raise EditError(f"{where} has no value after a colon; edit it by hand")
        result = page.splice(node.start, node.end, f" {value}")
    elif node.style is None:
        if source[node.start : node.end] != node.value:
            raise EditError(f"{where} spans several lines; edit it by hand")
        result = page.splice(node.start, node.end, value)
    else:
        quote = node.style
        if source[node.start] != quote or source[node.end - 1] != quote:
            raise EditError(f"{where} is not a simple quoted value; edit it by hand")
        result = page.splice(node.start + 1, node.end - 1, value)
    _check_result(page, result, parts, value)
    return result


def _insert_into(page: _Page, mapping: _Node, missing: tuple[str, ...], parts: tuple[str, ...],
                 value: str, insert_after: str) -> bytes:
    """Add the missing key parts as new lines in an existing block mapping."""
    source = page.source
    column = _column(source, mapping.children[0].start)
    if page.root is mapping:
        anchor_entry = _find_entry(mapping, insert_after, insert_after)
        if anchor_entry is not None:
            position = _entry_end(source, anchor_entry.key, anchor_entry.value)
        else:
            position = page.end  # the end of the block, just before the closing "---"
    else:
        last_key, last_value = mapping.children[-2], mapping.children[-1]
        position = _entry_end(source, last_key, last_value)
    assert page.root is not None
    unit = _indent_unit(source, page.root)
    return _insert(page, position, column, unit, missing, parts, value)


def _insert(page: _Page, position: int, column: int, unit: int, missing: tuple[str, ...],
            parts: tuple[str, ...], value: str) -> bytes:
    """Insert 'a:' / '  b: value' lines for the missing key parts at a line start."""
    if position > 0 and page.source[position - 1] != "\n":
        raise EditError("cannot find a line start to add the key at; edit it by hand")
    newline = page.newline_before(position)
    lines = [f"{' ' * (column + unit * depth)}{part}:" for depth, part in enumerate(missing)]
    lines[-1] += f" {value}"
    result = page.splice(position, position, "".join(line + newline for line in lines))
    _check_result(page, result, parts, value)
    return result


# --- finding keys and where entries end ---------------------------------------------------------


def _split_key(key: str) -> tuple[str, ...]:
    parts = tuple(key.split("."))
    if not all(_KEY_PART.fullmatch(part) for part in parts):
        raise EditError(f"'{key}' is not a key name such as 'l10n.sourceCommit'")
    return parts


def _block_mapping(node: _Node, name: str) -> _Node:
    where = f"line {node.line + 1}: {name}"
    if node.kind != "mapping":
        raise EditError(f"{where} is not a mapping of keys to values")
    if node.flow:
        raise EditError(f"{where} is written in flow style ({{...}}); edit it by hand")
    if node.tag is not None or node.anchor is not None:
        raise EditError(f"{where} has a YAML tag or anchor; edit it by hand")
    return node


def _find_entry(mapping: _Node, part: str, name: str) -> _Entry | None:
    found = [
        _Entry(mapping, key, value) for key, value in mapping.entries()
        if key.kind == "scalar" and key.value == part
    ]
    if len(found) > 1:
        raise EditError(f"line {found[-1].key.line + 1}: '{name}' is given twice; edit it by hand")
    return found[0] if found else None


def _find_chain(page: _Page, parts: tuple[str, ...]) -> list[_Entry] | None:
    """The entries along a dotted key, outermost first, or None when the key is absent."""
    if page.root is None:
        return None
    chain: list[_Entry] = []
    node = page.root
    for depth, part in enumerate(parts):
        name = ".".join(parts[: depth + 1])
        if node.kind != "mapping":
            if depth == 0:
                _block_mapping(node, "the front matter")
            return None
        entry = _find_entry(node, part, name)
        if entry is None:
            return None
        _block_mapping(node, "the front matter" if depth == 0 else f"'{'.'.join(parts[:depth])}'")
        chain.append(entry)
        node = entry.value
    return chain


def _entry_end(source: str, key: _Node | None, value: _Node) -> int:
    """The start of the line after an entry's last line (its value's lines included)."""
    if value.kind in ("mapping", "sequence") and not value.flow and value.children:
        if value.kind == "mapping":
            return _entry_end(source, value.children[-2], value.children[-1])
        return _entry_end(source, None, value.children[-1])
    if value.kind == "scalar" and value.style in ("|", ">"):
        # A block scalar's span already ends at a line start (or in the next line's indent).
        return _line_start(source, value.end)
    end = max(value.end, key.end if key is not None else 0)
    newline = source.find("\n", end)
    return len(source) if newline < 0 else newline + 1


def _line_start(source: str, index: int) -> int:
    return source.rfind("\n", 0, index) + 1


def _column(source: str, index: int) -> int:
    return index - _line_start(source, index)


def _indent_unit(source: str, root: _Node) -> int:
    """How far this page indents a nested mapping under its key (2 unless it shows otherwise)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.kind == "mapping" and not node.flow:
            for key, value in node.entries():
                if value.kind == "mapping" and not value.flow and value.children:
                    step = _column(source, value.children[0].start) - _column(source, key.start)
                    if step > 0:
                        return step
        stack.extend(reversed(node.children))
    return _DEFAULT_INDENT


# --- checking an edit before returning it -------------------------------------------------------


def _check_result(before: _Page, result: bytes, parts: tuple[str, ...], value: str | None) -> None:
    """Refuse an edit unless the key reads back as value and every other key means the same."""
    key = ".".join(parts)
    try:
        after = _Page.read(result)
    except EditError as error:
        raise EditError(f"editing '{key}' would break the front matter ({error})") from None
    if _meaning(before.root, parts) != _meaning(after.root, parts):
        raise EditError(f"editing '{key}' would change other front matter keys; edit it by hand")
    readback = parse_front_matter(result, key)
    if readback.error is not None:  # e.g. an alias whose anchor went with a removed key
        raise EditError(f"editing '{key}' would break the front matter ({readback.error})")
    if readback.marker != value:
        raise EditError(f"'{key}' would not read back as {value!r} (it reads {readback.marker!r})")


def _meaning(node: _Node | None, excluded: tuple[str, ...]) -> Hashable:
    """What a node says to YAML, without the key path being edited (nor parents it leaves empty).

    Mappings compare as multisets of entries: inserted lines may land anywhere in a mapping.
    """
    if node is None:
        return ("mapping", None, None, frozenset())
    if node.kind == "alias":
        return ("alias", node.anchor)
    if node.kind == "scalar":
        return ("scalar", node.tag, node.anchor, node.style is None, node.value)
    if node.kind == "sequence":
        items = tuple(_meaning(child, ()) for child in node.children)
        return ("sequence", node.tag, node.anchor, items)
    entries: list[Hashable] = []
    for key, value in node.entries():
        if excluded and key.kind == "scalar" and key.value == excluded[0]:
            if len(excluded) == 1 or value.is_empty_null:
                continue
            if value.kind == "mapping":
                inner = _meaning(value, excluded[1:])
                if inner == ("mapping", value.tag, value.anchor, frozenset()):
                    continue
                entries.append((_meaning(key, ()), inner))
                continue
        entries.append((_meaning(key, ()), _meaning(value, ())))
    return ("mapping", node.tag, node.anchor, frozenset(Counter(entries).items()))


# --- files --------------------------------------------------------------------------------------


def _current_umask() -> int:
    # The only way to read the umask is to set it; a CLI process is single-threaded here.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; some platforms and file systems cannot open a folder.
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
