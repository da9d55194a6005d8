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
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from l10nsync.config import CONFIG_FILE, DEFAULT_MARKER_KEY, DEFAULT_PAGE_NAMES
from l10nsync.errors import UsageError
from l10nsync.lunaria import LUNARIA_CONFIG, read_lunaria_config
from l10nsync.preflight import commit_keys_in, find_sibling_source, sample_pages

# A folder named like a language ("fr", "pt-br", "zh-cn"): two letters, an optional region.
_LANGUAGE_FOLDER = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z0-9]{2,4})?$")
_PAGES = ["*.md", "*.mdx", "*.markdoc", "*.mdoc"]
_PAGE_ENDINGS = tuple(pattern.removeprefix("*") for pattern in _PAGES)


class Proposal:
    """Settings found for a repository, where they came from, and what to tell the user."""

    def __init__(self, origin: str, settings: dict[str, Any], notes: list[str],
                 to_fill: tuple[str, ...] = ()) -> None:
        self.origin = origin
        self.settings = settings
        self.notes = notes
        self.to_fill = to_fill  # commented lines for the user to complete

    def toml(self) -> str:
        """The settings as a commented TOML file."""
        lines = [f"# Written by l10nsync init from {self.origin}.",
                 *(f"# {note}" for note in self.notes), ""]
        for key, value in self.settings.items():
            lines.append(f"{key} = {_toml_value(value)}")
        lines.extend(self.to_fill)
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


def _folder_site(root: Path, content: str, english: str, origin: str,
                 hugo: bool = False) -> Proposal | None:
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
    keys = commit_keys_in(sample_pages([base / name for name in languages],
                                       lambda name: name.endswith(_PAGE_ENDINGS)))
    if keys:
        settings["marker_key"] = _marker_key(keys, notes)
        notes.append("Pages without that key are judged by their git history "
                     "(basis = \"auto\").")
    else:
        notes.append("No sampled page has a commit id in its front matter: pages are judged "
                      "by their git history (basis = \"auto\").")
    if hugo:
        # Hugo lists a moved page's old URLs under aliases: they tell moved from deleted.
        settings["aliases_property"] = "aliases"
    return Proposal(origin, settings, notes)


def _mdn_site(root: Path) -> Proposal:
    """MDN's layout; in translated-content, the English checkout beside it (MDN's own docs
    clone both into one folder) and the key the markers are kept under."""
    notes = ["MDN layout: files/<locale>/<folder>/index.md."]
    settings: dict[str, Any] = {"layout": "files/{locale}/{path}"}
    to_fill: tuple[str, ...] = ()
    locales = [n for n in _folders(root / "files")
               if _LANGUAGE_FOLDER.match(n) and n != "en-us"]
    if not (root / "files" / "en-us").is_dir():
        sibling = find_sibling_source(root, "files/en-us")
        if sibling is not None:
            settings["source_root"] = os.path.relpath(sibling, root).replace(os.sep, "/")
            notes.append(f"The English pages: the checkout found at {sibling}.")
        else:
            notes.append("The English pages are in another repository, and none was found "
                         "beside this one: fill in source_root below (or set CONTENT_ROOT).")
            to_fill = ('# source_root = "../content"  # the English repository (mdn/content)',)
    keys = commit_keys_in(sample_pages([root / "files" / name for name in locales],
                                       lambda name: name in DEFAULT_PAGE_NAMES))
    settings["marker_key"] = _marker_key(keys, notes)
    return Proposal("MDN's files/ folders", settings, notes, to_fill)


def _marker_key(keys: Counter[str], notes: list[str]) -> str:
    """The key most sampled pages keep a commit id under, or MDN's when none does."""
    if not keys:
        notes.append(f"No sampled page has a commit id in its front matter yet; markers go "
                     f"under {DEFAULT_MARKER_KEY}.")
        return DEFAULT_MARKER_KEY
    key, count = keys.most_common(1)[0]
    notes.append(f"Markers: {key}, found on {count} sampled pages.")
    return key


def propose(root: Path) -> Proposal:
    """What to write for the repository at ``root``; a UsageError when nothing is recognized."""
    lunaria = root / LUNARIA_CONFIG
    if lunaria.is_file():
        found, warnings = read_lunaria_config(lunaria)
        return Proposal(LUNARIA_CONFIG, found, [f"not carried over: {w}" for w in warnings])
    files = root / "files"
    if files.is_dir() and any(_LANGUAGE_FOLDER.match(n) for n in _folders(files)):
        return _mdn_site(root)
    for content, english, origin in (
        ("src/content/docs", "en", "a Starlight or Astro docs layout"),
        ("docs", "en", "a VitePress layout" if (root / "docs/.vitepress").is_dir()
         else "a docs/<locale> layout"),
        ("content", "en", "a Hugo content/<locale> layout"),
    ):
        site = _folder_site(root, content, english, origin, hugo=content == "content")
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
