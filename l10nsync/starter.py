"""``l10nsync init``: a starting ``.l10nsync.toml`` from what a repository already holds.

Known shapes, first match wins: a Lunaria ``lunaria.config.json``, MDN's ``files/<locale>``
folders, Starlight and Astro's ``src/content/docs``, VitePress's ``docs/.vitepress`` and Hugo's
``content/<locale>``. What cannot be known from files (locales of a root-locale site sit among
English folders) is guessed from folder names and said in a comment, for the user to check.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from l10nsync.config import CONFIG_FILE
from l10nsync.errors import UsageError
from l10nsync.lunaria import LUNARIA_CONFIG, read_lunaria_config

# A folder named like a language ("fr", "pt-br", "zh-cn"): two letters, an optional region.
_LANGUAGE_FOLDER = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z0-9]{2,4})?$")
_PAGES = ["*.md", "*.mdx", "*.markdoc", "*.mdoc"]


class Proposal:
    """Settings found for a repository, where they came from, and what to tell the user."""

    def __init__(self, origin: str, settings: dict[str, Any], notes: list[str]) -> None:
        self.origin = origin
        self.settings = settings
        self.notes = notes

    def toml(self) -> str:
        """The settings as a commented TOML file."""
        lines = [f"# Written by l10nsync init from {self.origin}.",
                 *(f"# {note}" for note in self.notes), ""]
        for key, value in self.settings.items():
            lines.append(f"{key} = {_toml_value(value)}")
        return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        pairs = ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(v)}"
                          for k, v in value.items())
        return "{ " + pairs + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def _folders(path: Path) -> list[str]:
    try:
        with os.scandir(path) as entries:
            return sorted(e.name for e in entries if e.is_dir(follow_symlinks=False))
    except OSError:
        return []


def _folder_site(root: Path, content: str, english: str, origin: str) -> Proposal | None:
    """A site whose locales are folders of ``content``; English in ``english`` or at the root."""
    base = root / content
    if not base.is_dir():
        return None
    languages = [name for name in _folders(base) if _LANGUAGE_FOLDER.match(name)]
    settings: dict[str, Any] = {"layout": f"{content}/{{locale}}/{{path}}"}
    notes: list[str] = []
    if english in languages:
        settings["source_locale"] = english
        languages.remove(english)
        if languages:
            settings["locales"] = languages
    else:
        if not languages:
            return None
        settings["source_locale"] = english
        settings["source_at_root"] = True
        settings["locales"] = languages
        notes.append(f"English pages sit at the root of {content}/; the locales are the folders "
                     "named like languages there: check the list.")
    settings["page_names"] = _PAGES
    notes.append("Pages without a marker are judged by their git history (basis = \"auto\").")
    return Proposal(origin, settings, notes)


def propose(root: Path) -> Proposal:
    """What to write for the repository at ``root``; a UsageError when nothing is recognized."""
    lunaria = root / LUNARIA_CONFIG
    if lunaria.is_file():
        found, warnings = read_lunaria_config(lunaria)
        return Proposal(LUNARIA_CONFIG, found, [f"not carried over: {w}" for w in warnings])
    files = root / "files"
    if files.is_dir() and any(_LANGUAGE_FOLDER.match(n) for n in _folders(files)):
        notes = ["MDN layout: files/<locale>/<folder>/index.md with l10n.sourceCommit markers."]
        settings: dict[str, Any] = {"layout": "files/{locale}/{path}"}
        if not (files / "en-us").is_dir():
            notes.append("The English pages are in another repository: set source_root here "
                         "or CONTENT_ROOT in the environment.")
        return Proposal("MDN's files/ folders", settings, notes)
    for content, english, origin in (
        ("src/content/docs", "en", "a Starlight or Astro docs layout"),
        ("docs", "en", "a VitePress layout" if (root / "docs/.vitepress").is_dir()
         else "a docs/<locale> layout"),
        ("content", "en", "a Hugo content/<locale> layout"),
    ):
        site = _folder_site(root, content, english, origin)
        if site is not None:
            return site
    raise UsageError(f"{root}: no known layout found (Lunaria config, files/<locale>, "
                     "src/content/docs, docs/<locale>, content/<locale>); write "
                     f"{CONFIG_FILE} by hand, see the README")


def write_starting_config(root: Path, force: bool) -> tuple[Path, str]:
    """Write ``.l10nsync.toml`` at ``root``; its path and text."""
    target = root / CONFIG_FILE
    if target.exists() and not force:
        raise UsageError(f"{target}: already exists; pass --force to replace it")
    text = propose(root).toml()
    target.write_text(text, encoding="utf-8")
    return target, text
