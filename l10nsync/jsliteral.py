"""The plain literals of a JavaScript or TypeScript config file, read without running it.

Lunaria 0.2 and later keep their config in ``lunaria.config.ts``: usually one object literal
passed to ``defineConfig`` and exported. This reads that object: strings (quoted or backtick
without ``${}``), numbers, ``true``/``false``/``null``, arrays and objects of those. Whatever
else a value is (a variable, a call, a spread, a function) is kept as :class:`Unreadable` with
its source text, so that the caller can name every field it could not read. Comments and
TypeScript's ``as`` / ``satisfies`` after a value are skipped. Nothing is ever executed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from l10nsync.errors import ConfigError


@dataclass(frozen=True)
class Unreadable:
    """A value that is not a plain literal, with its source text (shortened)."""

    text: str


SPREAD = "..."  # the key under which an object's spread elements are kept, as Unreadable

_TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<template>`)
  | (?P<number>-?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?))
  | (?P<name>[A-Za-z_$][\w$]*)
  | (?P<spread>\.\.\.)
  | (?P<arrow>=>)
  | (?P<punct>[{}\[\]():,;=<>.?!|&+\-*/%@#^~])
""", re.VERBOSE | re.DOTALL)

_OPENING = {"{": "}", "[": "]", "(": ")"}
_NOT_LITERAL = object()
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokens(source: str, where: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            tokens.append(_Token("other", source[position], position, position + 1))
            position += 1
            continue
        kind = match.lastgroup or "other"
        if kind == "template":
            end = _template_end(source, position, where)
            tokens.append(_Token("template", source[position:end], position, end))
            position = end
            continue
        if kind != "space":
            tokens.append(_Token(kind, match.group(), position, match.end()))
        position = match.end()
    return tokens


def _template_end(source: str, start: int, where: str) -> int:
    """The end of a backtick string starting at ``start``, past any ``${...}`` in it."""
    position, depth = start + 1, 0
    while position < len(source):
        char = source[position]
        if char == "\\":
            position += 2
            continue
        if depth == 0 and char == "`":
            return position + 1
        if char == "$" and source.startswith("${", position):
            depth += 1
            position += 2
            continue
        if depth and char == "}":
            depth -= 1
        position += 1
    raise ConfigError(f"a backtick string is not closed (from character {start})", path=where)


def _string_value(token: _Token) -> str | None:
    """The text of a string token, or None for a template with ``${}`` in it."""
    body = token.text[1:-1]
    if token.kind == "template":
        if "${" in body.replace("\\$", ""):
            return None
        return _unescape(body)
    if token.text.startswith('"'):
        try:
            value: str = json.loads(token.text)
            return value
        except ValueError:
            pass
    return _unescape(body)


def _unescape(body: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            following = body[index + 1]
            if following == "u" and re.match(r"[0-9a-fA-F]{4}", body[index + 2:index + 6]):
                out.append(chr(int(body[index + 2:index + 6], 16)))
                index += 6
                continue
            if following == "\n":
                index += 2
                continue
            out.append(_ESCAPES.get(following, following))
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


class _Reader:
    def __init__(self, source: str, where: str) -> None:
        self.source = source
        self.where = where
        self.tokens = _tokens(source, where)
        self.index = 0

    def fail(self, message: str) -> ConfigError:
        return ConfigError(message, path=self.where)

    def peek(self, offset: int = 0) -> _Token | None:
        index = self.index + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def is_punct(self, text: str, offset: int = 0) -> bool:
        token = self.peek(offset)
        return token is not None and token.kind == "punct" and token.text == text

    def expect(self, text: str) -> None:
        if not self.is_punct(text):
            token = self.peek()
            found = repr(token.text) if token else "the end of the file"
            raise self.fail(f"expected {text!r} but found {found} in the config object")
        self.index += 1

    # --- finding the exported object -------------------------------------------------------------

    def find_config_object(self) -> int:
        """The token index of the ``{`` that opens the exported config object."""
        names = [(i, t.text) for i, t in enumerate(self.tokens) if t.kind == "name"]
        for index, name in names:
            if name == "defineConfig" and self._punct_at(index + 1, "("):
                if self._punct_at(index + 2, "{"):
                    return index + 2
                if index + 2 < len(self.tokens) and self.tokens[index + 2].kind == "name":
                    return self._declaration_of(self.tokens[index + 2].text)
        for index, name in names:
            if name == "export" and index + 1 < len(self.tokens) and (
                self.tokens[index + 1].text == "default"
            ):
                after = index + 2
                if self._punct_at(after, "{"):
                    return after
                if after < len(self.tokens) and self.tokens[after].kind == "name":
                    return self._declaration_of(self.tokens[after].text)
        for index, name in names:  # CommonJS: module.exports = {...} or = name
            if name == "module" and [t.text for t in self.tokens[index + 1:index + 4]] == [
                ".", "exports", "="
            ]:
                after = index + 4
                if self._punct_at(after, "{"):
                    return after
                if after < len(self.tokens) and self.tokens[after].kind == "name":
                    return self._declaration_of(self.tokens[after].text)
        raise self.fail("no exported config object found (expected "
                        "'export default defineConfig({...})' or 'export default {...}')")

    def _punct_at(self, index: int, text: str) -> bool:
        return (index < len(self.tokens) and self.tokens[index].kind == "punct"
                and self.tokens[index].text == text)

    def _declaration_of(self, name: str) -> int:
        """The ``{`` of ``const name = {`` (a type annotation between is allowed)."""
        for index, token in enumerate(self.tokens[:-2]):
            if token.kind == "name" and token.text in ("const", "let", "var") and (
                self.tokens[index + 1].text == name
            ):
                position = index + 2
                while position < len(self.tokens) and not self._punct_at(position, "="):
                    position += 1
                if self._punct_at(position + 1, "{"):
                    return position + 1
                if (position + 3 < len(self.tokens)
                        and self.tokens[position + 1].text == "defineConfig"
                        and self._punct_at(position + 2, "(")
                        and self._punct_at(position + 3, "{")):
                    return position + 3
        raise self.fail(f"the exported config {name!r} is not an object literal in this file")

    # --- values ----------------------------------------------------------------------------------

    def value(self) -> Any:
        token = self.peek()
        if token is None:
            raise self.fail("the config object ends too early")
        start = self.index
        result: Any = _NOT_LITERAL
        if token.kind == "punct" and token.text == "{":
            result = self.object()
        elif token.kind == "punct" and token.text == "[":
            result = self.array()
        elif token.kind in ("string", "template"):
            text = _string_value(token)
            self.index += 1
            result = text if text is not None else Unreadable(token.text)
        elif token.kind == "number":
            self.index += 1
            result = _number(token.text)
        elif token.kind == "name" and token.text in ("true", "false", "null"):
            self.index += 1
            result = {"true": True, "false": False, "null": None}[token.text]
        if result is _NOT_LITERAL:
            self.skip_expression()
            return Unreadable(self.text_from(start))
        if not self.at_value_end():
            # `"a" + b`, `x.y`, a call on a literal: not a plain literal after all.
            self.skip_expression()
            return Unreadable(self.text_from(start))
        self.skip_type_assertion()
        return result

    def at_value_end(self) -> bool:
        token = self.peek()
        return token is None or (token.kind == "punct" and token.text in (",", "}", "]", ")")) or (
            token.kind == "name" and token.text in ("as", "satisfies"))

    def skip_type_assertion(self) -> None:
        while (token := self.peek()) is not None and token.kind == "name" and (
            token.text in ("as", "satisfies")
        ):
            self.index += 1
            self.skip_expression(angles=True)

    def skip_expression(self, angles: bool = False) -> None:
        """Move past one expression: up to a ``,`` or a closing bracket at depth 0."""
        depth = 0
        while (token := self.peek()) is not None:
            if token.kind == "punct":
                if token.text in _OPENING or (angles and token.text == "<"):
                    depth += 1
                elif token.text in ("}", "]", ")") or (angles and token.text == ">"):
                    if depth == 0:
                        return
                    depth -= 1
                elif token.text in (",", ";") and depth == 0:
                    return
            self.index += 1

    def text_from(self, start: int) -> str:
        if start >= self.index:
            return ""
        text = self.source[self.tokens[start].start:self.tokens[self.index - 1].end]
        text = " ".join(text.split())
        return text if len(text) <= 60 else text[:57] + "..."

    def object(self) -> dict[str, Any]:
        self.expect("{")
        result: dict[str, Any] = {}
        while not self.is_punct("}"):
            token = self.peek()
            if token is None:
                raise self.fail("an object in the config is not closed")
            if token.kind == "spread":
                start = self.index
                self.index += 1
                self.skip_expression()
                result.setdefault(SPREAD, [])
                result[SPREAD].append(Unreadable(self.text_from(start)))
            elif token.kind in ("name", "string", "number"):
                key = _string_value(token) if token.kind == "string" else token.text
                self.index += 1
                if self.is_punct(":"):
                    self.index += 1
                    result[str(key)] = self.value()
                elif self.is_punct("(") or self.is_punct("<"):  # a method
                    start = self.index - 1
                    self.skip_expression()
                    result[str(key)] = Unreadable(self.text_from(start))
                else:  # shorthand `{ locales }`: a variable
                    result[str(key)] = Unreadable(str(key))
            else:  # a computed key `[x]: ...` or something stranger
                start = self.index
                self.skip_expression()
                result.setdefault(SPREAD, [])
                result[SPREAD].append(Unreadable(self.text_from(start)))
            if self.is_punct(","):
                self.index += 1
            elif not self.is_punct("}"):
                found = self.peek()
                raise self.fail(f"unexpected {found.text if found else 'end'!r} in an object "
                                "of the config")
        self.index += 1
        return result

    def array(self) -> list[Any]:
        self.expect("[")
        result: list[Any] = []
        while not self.is_punct("]"):
            token = self.peek()
            if token is None:
                raise self.fail("an array in the config is not closed")
            if token.kind == "spread":
                start = self.index
                self.index += 1
                self.skip_expression()
                result.append(Unreadable(self.text_from(start)))
            else:
                result.append(self.value())
            if self.is_punct(","):
                self.index += 1
            elif not self.is_punct("]"):
                found = self.peek()
                raise self.fail(f"unexpected {found.text if found else 'end'!r} in an array "
                                "of the config")
        self.index += 1
        return result


def _number(text: str) -> int | float:
    cleaned = text.replace("_", "")
    try:
        return int(cleaned, 0) if not any(c in cleaned for c in ".eE") or "x" in cleaned.lower() \
            else float(cleaned)
    except ValueError:
        return float(cleaned)


def read_exported_object(source: str, where: str) -> dict[str, Any]:
    """The exported config object of a JS/TS file: plain values, the rest as Unreadable."""
    reader = _Reader(source, where)
    reader.index = reader.find_config_object()
    result = reader.object()
    return result
