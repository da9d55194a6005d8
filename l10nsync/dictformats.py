"""Reading UI-string dictionaries as flat data: dotted key path -> text.

The formats: JSON, YAML, TOML, gettext PO/POT (through polib, the only module that uses it),
and JavaScript/TypeScript modules whose default export is a plain object literal (read with
jsliteral.py, never run). Whatever the format, a dictionary becomes the same plain record, so
comparing two versions compares values, not lines: reordering keys or reformatting the file
changes nothing.

Bad input is data, not a crash: a file that cannot be read raises DictionaryError with the line
when the parser knows it, and the caller turns it into one status.
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polib
import yaml

from l10nsync.errors import ConfigError
from l10nsync.jsliteral import Unreadable, read_exported_object

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

JSON_SUFFIXES = (".json",)
YAML_SUFFIXES = (".yml", ".yaml")
TOML_SUFFIXES = (".toml",)
GETTEXT_SUFFIXES = (".po", ".pot")
SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
SUFFIXES = (*JSON_SUFFIXES, *YAML_SUFFIXES, *TOML_SUFFIXES, *GETTEXT_SUFFIXES,
            *SCRIPT_SUFFIXES)
# gettext keeps a message's context apart from its id with this character (EOT).
_CONTEXT_GLUE = "\x04"


class DictionaryError(Exception):
    """A dictionary file that cannot be read: what is wrong, and where when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line

    def __str__(self) -> str:
        message = super().__str__()
        return f"line {self.line}: {message}" if self.line else message


@dataclass(frozen=True)
class Dictionary:
    """One version of a dictionary file: its keys with their text, and its marker."""

    entries: Mapping[str, str]  # dotted key path -> value (non-strings as compact JSON)
    marker: str | None = None  # the in-file sync point, when the file has one
    marker_line: int | None = None
    # Keys present in the file but with nothing translated (an empty PO msgstr, a fuzzy entry).
    untranslated: frozenset[str] = field(default_factory=frozenset)


def is_dictionary_file(path: str) -> bool:
    """True when the file's name ends like a format this module reads."""
    return path.lower().endswith(SUFFIXES)


def read_dictionary(data: bytes, path: str, marker_key: str, *, english: bool = False
                    ) -> Dictionary:
    """The keys of one dictionary file's bytes (``path`` tells the format).

    ``marker_key`` is a top-level key (a PO header field) holding the sync point; it is taken
    out of the entries. ``english``: a PO file is the English side (a POT template, or an
    English PO whose ids are symbolic), whose values are the English texts.
    """
    suffix = posixpath.splitext(path.lower())[1]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise DictionaryError("not UTF-8 text", line) from None
    text = text.removeprefix("\ufeff")
    if suffix in GETTEXT_SUFFIXES:
        return _read_gettext(text, marker_key, english=english or suffix == ".pot")
    tree = _read_tree(text, suffix, path)
    if not isinstance(tree, dict):
        raise DictionaryError("the file must hold an object of keys, not "
                              f"{type(tree).__name__}", 1)
    marker_value = tree.pop(marker_key, None)
    marker = str(marker_value) if isinstance(marker_value, (str, int)) else None
    entries: dict[str, str] = {}
    _flatten(tree, "", entries)
    empty = frozenset(key for key, value in entries.items() if value == "")
    return Dictionary(entries, marker, _line_of(text, marker_key) if marker else None, empty)


def _read_tree(text: str, suffix: str, path: str) -> Any:
    if suffix in JSON_SUFFIXES:
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise DictionaryError(f"invalid JSON: {error.msg}", error.lineno) from None
    if suffix in YAML_SUFFIXES:
        try:
            return yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problem = getattr(error, "problem", None) or "not YAML"
            raise DictionaryError(f"invalid YAML: {problem}",
                                  mark.line + 1 if mark is not None else None) from None
    if suffix in TOML_SUFFIXES:
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            # Before Python 3.14 the position is only in the message: "... (at line 2, ...)".
            where = re.search(r"\(at line (\d+), column \d+\)$", str(error))
            line = int(where[1]) if where else getattr(error, "lineno", None)
            message = str(error)[:where.start()].strip() if where else str(error)
            raise DictionaryError(f"invalid TOML: {message}", line) from None
    if suffix in SCRIPT_SUFFIXES:
        try:
            return _plain(read_exported_object(text, path))
        except ConfigError as error:
            raise DictionaryError(str(error).removeprefix(f"{path}: ")) from None
    raise DictionaryError(f"no dictionary format reads {suffix or 'a file without a suffix'} "
                          f"(known: {', '.join(SUFFIXES)})")


def _plain(value: Any) -> Any:
    """A JS value with what is not a plain literal (a variable, a call) as its source text."""
    if isinstance(value, Unreadable):
        return {"__unreadable__": value.text}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if key != "..."}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _flatten(tree: Mapping[Any, Any], prefix: str, into: dict[str, str]) -> None:
    """Nested objects as dotted paths; lists and scalars as leaves."""
    for key, value in tree.items():
        name = prefix + key if type(key) is str else prefix + _key_text(key)
        if type(value) is str:  # most leaves: no call for them (thousands per file)
            into[name] = value
        elif isinstance(value, dict) and value and "__unreadable__" not in value:
            _flatten(value, f"{name}.", into)
        else:
            into[name] = leaf_text(value)


def _key_text(key: Any) -> str:
    """A key that is not text as a part of a dotted path: YAML reads ``404:`` as a number and
    ``yes:`` as true (``404``, ``true``), TOML never does."""
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(key)
    return str(key)


def leaf_text(value: Any) -> str:
    """A leaf value as the text it is compared by: strings as they are, the rest as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "__unreadable__" in value:
        return f"<not a plain value: {value['__unreadable__']}>"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _line_of(text: str, key: str) -> int | None:
    """The line of the first occurrence of a key's name (for pointing at a marker)."""
    at = text.find(key)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _read_gettext(text: str, marker_key: str, *, english: bool) -> Dictionary:
    try:
        # polib takes a string for a file name when a file of that name exists: a last
        # comment line holding a NUL can name no file, so the text is always read as text.
        catalog = polib.pofile(f"{text}\n# \0\n", encoding="utf-8")
    except (OSError, ValueError) as error:
        message = str(error)
        line = None
        if "line " in message:
            digits = message.rsplit("line ", 1)[1].split()[0].strip(")(:,")
            line = int(digits) if digits.isdigit() else None
        raise DictionaryError(f"invalid PO: {message}", line) from None
    entries: dict[str, str] = {}
    untranslated: set[str] = set()
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        key = entry.msgid if not entry.msgctxt else f"{entry.msgctxt}{_CONTEXT_GLUE}{entry.msgid}"
        key = key.replace(_CONTEXT_GLUE, ".", 1)  # msgctxt as a namespace of the dotted path
        if english:
            value = _english_text(entry)
        elif entry.msgid_plural:
            forms = [entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)]
            value = "\n".join(forms) if forms and all(forms) else ""
        else:
            value = entry.msgstr
        if not english and (not value or "fuzzy" in entry.flags):
            untranslated.add(key)
        entries[key] = value
    marker = catalog.metadata.get(marker_key) or None
    return Dictionary(entries, marker, _line_of(text, marker_key) if marker else None,
                      frozenset(untranslated))


def _english_text(entry: polib.POEntry) -> str:
    """What an English PO entry says: its msgstr when the ids are symbolic, else the ids."""
    if entry.msgid_plural:
        forms = [entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural or {})]
        return "\n".join(forms) if forms and all(forms) else (
            f"{entry.msgid}\n{entry.msgid_plural}")
    return str(entry.msgstr or entry.msgid)
