"""``l10nsync init``: a starting ``.l10nsync.toml`` from what a repository already holds.

Known shapes, first match wins: a Lunaria config (``lunaria.config.json`` or, Lunaria 0.2,
``lunaria.config.ts``), MDN's ``files/<locale>`` folders, Docusaurus (``docusaurus.config.*`` and
``i18n/<locale>``), MkDocs with the i18n plugin (``mkdocs.yml``), Starlight and Astro's
``src/content/docs``, VitePress's ``docs/.vitepress`` and Hugo's ``content/<locale>``. What cannot
be known from files (locales of a root-locale site sit among English folders) is guessed from
folder names and said in a comment, for the user to check.

A Lunaria config is looked for as ``status`` looks for config files (from the working folder up,
then a single one in a sub-folder); ``.l10nsync.toml`` is written beside it, so that it is the
nearest config from there on.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from l10nsync.config import (
    CONFIG_FILE,
    DEFAULT_MARKER_KEY,
    DEFAULT_PAGE_NAMES,
    find_lunaria_config,
)
from l10nsync.errors import ConfigError, UsageError
from l10nsync.frontmatter import load_yaml_document
from l10nsync.jsliteral import read_exported_object
from l10nsync.lunaria import read_lunaria_config
from l10nsync.preflight import commit_keys_in, find_sibling_source, sample_pages

# A folder named like a language ("fr", "pt-br", "zh-cn"): two letters, an optional region.
_LANGUAGE_FOLDER = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z0-9]{2,4})?$")
_PAGES = ["*.md", "*.mdx", "*.markdoc", "*.mdoc"]
_PAGE_ENDINGS = tuple(pattern.removeprefix("*") for pattern in _PAGES)


class Proposal:
    """Settings found for a repository, where they came from, and what to tell the user."""

    def __init__(self, origin: str, settings: dict[str, Any], notes: list[str],
                 folder: Path | None = None, warnings: list[str] | None = None,
                 to_fill: tuple[str, ...] = ()) -> None:
        self.origin = origin
        self.settings = settings
        self.notes = notes
        self.folder = folder  # where to write .l10nsync.toml; None: the repository root
        self.warnings = warnings or []  # what could not be carried over, for stderr too
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
    dictionaries = _dictionaries_beside(root, "i18n" if hugo else "src/content/i18n", english)
    if dictionaries:
        settings["dictionaries"] = dictionaries
        notes.append("UI strings found in " + ", ".join(dictionaries) + ": each translated "
                     "dictionary is judged key by key (see the README's Dictionaries).")
    return Proposal(origin, settings, notes)


def _dictionaries_beside(root: Path, folder: str, english: str) -> list[str]:
    """Dictionary patterns for a folder of UI strings named by locale (Starlight's and Astro's
    ``src/content/i18n/<locale>.json``, Hugo's ``i18n/<lang>.toml``) holding English and
    another locale."""
    found = []
    for suffix in (".json", ".yml", ".yaml", ".toml"):
        try:
            names = {entry.name for entry in os.scandir(root / folder)
                     if entry.is_file(follow_symlinks=False)}
        except OSError:
            return []
        others = [name for name in names if name.endswith(suffix)
                  and _LANGUAGE_FOLDER.match(name.removesuffix(suffix))
                  and name != english + suffix]
        if english + suffix in names and others:
            found.append(f"{folder}/{{locale}}{suffix}")
    return found


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
    return Proposal("MDN's files/ folders", settings, notes, to_fill=to_fill)


def _marker_key(keys: Counter[str], notes: list[str]) -> str:
    """The key most sampled pages keep a commit id under, or MDN's when none does."""
    if not keys:
        notes.append(f"No sampled page has a commit id in its front matter yet; markers go "
                     f"under {DEFAULT_MARKER_KEY}.")
        return DEFAULT_MARKER_KEY
    key, count = keys.most_common(1)[0]
    notes.append(f"Markers: {key}, found on {count} sampled pages.")
    return key


def _from_lunaria(root: Path, config: Path) -> Proposal:
    """Settings read from a Lunaria config, with paths from the config's folder."""
    found, warnings = read_lunaria_config(config, root)
    folder = config.parent.resolve().relative_to(root.resolve()).as_posix()
    folder = "" if folder == "." else folder
    root_dir = found.pop("root_dir", "")
    notes = [f"not carried over: {warning}" for warning in warnings]
    if root_dir != folder:
        notes.append(f"Lunaria's rootDir is '{root_dir or '.'}': commit directives written from "
                     "there are matched from this folder and the repository root only.")
    settings: dict[str, Any] = {}
    for key, value in found.items():
        if key == "layout":
            value = [_relative_layout(item, folder) for item in value]
            value = value[0] if len(value) == 1 else value
        elif key in ("include", "exclude"):
            value = [_relative_to(glob, folder) for glob in value]
        settings[key] = value
    notes.append('review_touches = "sync": a whitespace-only commit to a translation is a sync, '
                 'as Lunaria counts every commit; set "ignore" to count only real changes.')
    origin = config.relative_to(root).as_posix()
    return Proposal(origin, settings, notes, config.parent, warnings)


def _relative_to(path: str, folder: str) -> str:
    """A path from the repository root as one from ``folder`` (with ``../`` when outside)."""
    if not folder:
        return path
    return posixpath.relpath(path, folder) if not path.startswith(folder + "/") \
        else path[len(folder) + 1:]


def _relative_layout(layout: Any, folder: str) -> Any:
    if isinstance(layout, str):
        return _relative_to(layout, folder)
    return {key: _relative_to(value, folder) for key, value in layout.items()}


def _docusaurus_site(root: Path, site: Path) -> Proposal | None:
    """A Docusaurus site: docs/ and blog/ in English, i18n/<locale>/docusaurus-plugin-*."""
    config = next((site / f"docusaurus.config.{ext}" for ext in ("ts", "js", "mjs", "cjs", "mts")
                   if (site / f"docusaurus.config.{ext}").is_file()), None)
    if config is None:
        return None
    notes: list[str] = []
    source_locale, locales = "en", []
    try:
        data = read_exported_object(config.read_text(encoding="utf-8"), str(config))
        i18n = data.get("i18n")
        if isinstance(i18n, dict):
            if isinstance(i18n.get("defaultLocale"), str):
                source_locale = i18n["defaultLocale"]
            if isinstance(i18n.get("locales"), list):
                locales = [code for code in i18n["locales"]
                           if isinstance(code, str) and code != source_locale]
    except (ConfigError, OSError, UnicodeDecodeError):
        notes.append(f"{config.name} could not be read; the locales are the folders of i18n/.")
    if not locales:
        locales = [name for name in _folders(site / "i18n") if name != source_locale]
    if not locales:
        return None
    layouts: list[dict[str, str]] = []
    for english, plugin in (("docs", "docusaurus-plugin-content-docs/current"),
                            ("blog", "docusaurus-plugin-content-blog"),
                            ("src/pages", "docusaurus-plugin-content-pages")):
        if (site / english).is_dir():
            layouts.append({"source": f"{english}/{{path}}",
                            "translation": f"i18n/{{locale}}/{plugin}/{{path}}"})
    if not layouts:
        return None
    settings: dict[str, Any] = {"layout": layouts, "source_locale": source_locale,
                                "locales": locales, "page_names": ["*.md", "*.mdx"]}
    notes.append("Docusaurus layout: docs/, blog/ and src/pages/ in English, their "
                 "translations under i18n/<locale>/docusaurus-plugin-content-*/.")
    notes.append("Pages without a marker are judged by their git history (basis = \"auto\").")
    return Proposal(f"a Docusaurus site ({config.relative_to(root).as_posix()})", settings,
                    notes, site)


def _mkdocs_site(root: Path, site: Path) -> Proposal | None:
    """An MkDocs site translated with the i18n plugin, by folder or by file suffix."""
    config = site / "mkdocs.yml"
    if not config.is_file():
        return None
    try:
        data = load_yaml_document(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    plugin: Any = None
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and isinstance(entry.get("i18n"), dict):
            plugin = entry["i18n"]
    if plugin is None:
        return None
    docs = str(data.get("docs_dir") or "docs").strip("/") or "docs"
    source_locale = str(plugin.get("default_language") or "")
    locales: list[str] = []
    languages = plugin.get("languages")
    if isinstance(languages, list):  # mkdocs-static-i18n 1.x
        for language in languages:
            if not isinstance(language, dict) or not isinstance(language.get("locale"), str):
                continue
            if language.get("default") is True and not source_locale:
                source_locale = language["locale"]
            elif language["locale"] != source_locale:
                locales.append(language["locale"])
    elif isinstance(languages, dict):  # 0.x: {fr: {...}}
        locales = [str(code) for code in languages if str(code) != source_locale]
    source_locale = source_locale or "en"
    locales = [code for code in locales if code != source_locale]
    structure = str(plugin.get("docs_structure") or "suffix")
    notes = [f"MkDocs i18n plugin, {structure} structure: check the locales."]
    settings: dict[str, Any]
    if structure == "folder":
        settings = {"layout": f"{docs}/{{locale}}/{{path}}", "source_locale": source_locale}
        if locales:
            settings["locales"] = locales
    else:
        if not locales:
            return None
        settings = {"layout": f"{docs}/{{path}}.{{locale}}.md", "source_locale": source_locale,
                    "source_at_root": True, "locales": locales}
        notes.append(f"English pages are the .md files without a locale suffix in {docs}/.")
    settings["page_names"] = ["*.md"]
    notes.append("Pages without a marker are judged by their git history (basis = \"auto\").")
    return Proposal(f"an MkDocs site ({config.relative_to(root).as_posix()})", settings, notes,
                    site)


def _site_folders(root: Path, start: Path) -> list[Path]:
    """Where a site config may sit: the working folder up to the root, then the root's
    sub-folders (Docusaurus often lives in website/)."""
    start, root = start.resolve(), root.resolve()
    chain = [start, *start.parents] if start.is_relative_to(root) else [root]
    folders = chain[:chain.index(root) + 1] if root in chain else [root]
    return [*folders, *(root / name for name in _folders(root)
                        if not name.startswith(".") and name != "node_modules")]


def propose(root: Path, start: Path | None = None) -> Proposal:
    """What to write for the repository at ``root`` (run from ``start``); a UsageError when
    nothing is recognized."""
    lunaria = find_lunaria_config(start or root, root)
    if lunaria is not None:
        return _from_lunaria(root, lunaria)
    files = root / "files"
    if files.is_dir() and any(_LANGUAGE_FOLDER.match(n) for n in _folders(files)):
        return _mdn_site(root)
    for site in _site_folders(root, start or root):
        found = _docusaurus_site(root, site) or _mkdocs_site(root, site)
        if found is not None:
            return found
    for content, english, origin in (
        ("src/content/docs", "en", "a Starlight or Astro docs layout"),
        ("docs", "en", "a VitePress layout" if (root / "docs/.vitepress").is_dir()
         else "a docs/<locale> layout"),
        ("content", "en", "a Hugo content/<locale> layout"),
    ):
        proposal = _folder_site(root, content, english, origin, hugo=content == "content")
        if proposal is not None:
            return proposal
    raise UsageError(f"{root}: no known layout found (Lunaria config, files/<locale>, "
                     "Docusaurus, MkDocs with i18n, src/content/docs, docs/<locale>, "
                     f"content/<locale>); write {CONFIG_FILE} by hand, see the README")


def write_starting_config(
    root: Path, force: bool, start: Path | None = None
) -> tuple[Path, str, list[str]]:
    """Write ``.l10nsync.toml`` at ``root`` (or beside the site config found from ``start``);
    its path, its text, and what could not be carried over."""
    proposal = propose(root, start)
    target = (proposal.folder or root) / CONFIG_FILE
    if target.exists() and not force:
        raise UsageError(f"{target}: already exists; pass --force to replace it")
    text = proposal.toml()
    target.write_text(text, encoding="utf-8")
    return target, text, proposal.warnings
