"""Escaping: one function per kind of output, for every piece of text taken from a repository.

Page paths, folder names, titles, markers, commit subjects and messages that quote them come
from pull requests. Printed as they are, they could clear a terminal (``ESC [2J``), reorder a
line on screen (bidirectional overrides), or, in GitHub Actions, start a line the runner obeys
as a workflow command (``::error::...``, or the older ``##[command]`` anywhere in a line).

- ``escape_text``: terminal and plain text. Controls become ``\\n``, ``\\x1b``...; bidi
  controls ``\\u202e``...; a byte that was not UTF-8 in a path ``\\xNN``.
- ``escape_workflow_data`` / ``escape_workflow_property``: GitHub workflow commands.
- ``escape_json``: JSON text that is valid UTF-8 whatever the paths' bytes.
- ``guard_output``: the last step before anything is printed, on whole output: no line can
  start with ``::`` and no ``##[`` can appear, whatever a renderer let through.

Markdown (render/markdown.py) and HTML (the dashboard's ``textContent``) build on these.
"""

from __future__ import annotations

import re

# Bidirectional controls that can make a line read differently from what it holds (Trojan
# Source): the embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069, and the
# marks U+200E, U+200F and U+061C. U+2028 and U+2029 end lines in some viewers.
_BIDI = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})
_LINE_SEPARATORS = frozenset({0x2028, 0x2029})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

# The GitHub Actions runner reads a line as a command when, after leading white space, it
# starts with ``::`` (``TryParseV2``), or when ``##[`` appears anywhere in it (the older
# syntax, still tried when the first fails). Lines are split at LF; .NET trims Unicode space.
_COMMAND_START = re.compile(r"^(\s*):(?=:)", re.MULTILINE)
_OLD_COMMAND = "##["


def _escaped(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code < 0x20 or 0x7F <= code < 0xA0:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that surrogateescape kept: show the byte
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF or code in _BIDI or code in _LINE_SEPARATORS:
        return f"\\u{code:04x}"
    return char


def escape_text(text: str, *, keep: str = "") -> str:
    """Text from a repository, safe to print on a terminal or in a log: one line, shown as is.

    C0 and C1 controls, DEL, bidirectional controls, line separators and lone surrogates are
    written as escapes (``\\x1b``, ``\\u202e``; a path byte that is not UTF-8 as ``\\xNN``),
    so the text stays on its line, sends no terminal sequence and can always be encoded.
    Other characters, including joiners that scripts and emoji need, are kept. Characters in
    ``keep`` are left for the caller to encode its own way.
    """
    if text.isprintable():  # the common case: nothing to do (every escaped char is unprintable)
        return text
    return "".join(char if char in keep else _escaped(char) for char in text)


def escape_workflow_data(text: str) -> str:
    """A workflow command's message: controls made visible (the Actions log renders ANSI
    escapes), then ``%``, CR and LF percent-encoded as GitHub documents, ``%`` first."""
    shown = escape_text(text, keep="\r\n")
    return shown.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_workflow_property(text: str) -> str:
    """A workflow command's property value: as ``escape_workflow_data``, and ``:`` and ``,``
    too, so a path can neither end the properties nor add one."""
    return escape_workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def escape_json(encoded: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) that encodes as valid UTF-8
    and that a terminal shows as it is.

    A path byte that is not UTF-8 reaches Python as a lone surrogate (U+DC80 to U+DCFF, git's
    bytes decoded with ``surrogateescape``): it is written as the JSON escape ``\\udcNN``
    (NN the byte), which JSON readers accept, and from which Python gets the path's bytes back
    with ``os.fsencode(json.loads(...))``. DEL, C1 controls, bidi controls and line separators
    are written as ``\\uNNNN`` too, and ``##[`` as ``##\\u005b``: the same strings, read back.
    These characters can only stand inside JSON strings, so the text stays valid JSON.
    """
    if "#" in encoded and _OLD_COMMAND in encoded:  # one character: found by memchr
        encoded = encoded.replace(_OLD_COMMAND, "##\\u005b")
    if encoded.isascii() and "\x7f" not in encoded:
        # Every character escaped here is DEL or beyond ASCII: two scans in C answer for
        # the common report (a status of 100,000 dictionary keys is 18 MB) at no regex cost.
        return encoded
    return _JSON_UNSAFE.sub(_json_escape, encoded)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029"
                          "\u2066-\u2069\ud800-\udfff]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def guard_output(text: str, *, commands: bool = False) -> str:
    """Whole output, made unable to act as a GitHub workflow command.

    A line starting with ``::`` (after white space) gets its first colon written ``\\x3a``,
    and ``##[`` anywhere becomes ``##\\x5b``. Escaped values never hold a line break, so this
    only acts on text a renderer placed at the start of a line. ``commands``: the output is
    l10nsync's own workflow commands (``report --format github``), whose lines start with
    ``::`` on purpose and whose values are escaped by the functions above.
    """
    if "#" in text and _OLD_COMMAND in text:  # '#' alone is a memchr: 1 ms on 18 MB, not 12
        text = text.replace(_OLD_COMMAND, "##\\x5b")
    if not commands and "::" in text:
        text = _COMMAND_START.sub(r"\1\\x3a", text)
    return text
