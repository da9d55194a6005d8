"""Where pages live: translation path <-> English path, locales, and which files are pages.

A layout is a pattern such as ``files/{locale}/{path}`` (MDN). A page's *key* is its path below
the locale folder without the file extension, so ``files/fr/glossary/x/index.html`` and
``files/en-us/glossary/x/index.md`` share the key ``glossary/x/index``.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from pathlib import Path
from typing import NamedTuple

from l10nsync.config import Config
from l10nsync.errors import UsageError

# Locale folders look like 'fr', 'pt-br', 'zh-tw', 'es-419'; anything else under files/ is not one.
_LOCALE_FOLDER = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


class PageFile(NamedTuple):
    """A translated page file found on disk (a tuple: tens of thousands are made per run)."""

    path: str  # relative to the translations repository root
    locale: str
    key: str


def locale_folder(config: Config, locale: str) -> str:
    """The repository-relative folder that holds one locale's pages, e.g. ``files/fr``."""
    prefix = config.layout.split("{locale}", 1)[0]
    return f"{prefix}{locale}"


def source_folder(config: Config) -> str:
    """The English pages' folder relative to the English repository root."""
    return locale_folder(config, config.source_locale)


def is_page_name(config: Config, name: str) -> bool:
    """True when a file name is one of the configured page names (globs allowed)."""
    return any(fnmatchcase(name, pattern) for pattern in config.page_names)


def key_of(relative: str) -> str:
    """A page's key: its path inside the locale folder without the extension."""
    dot = relative.rfind(".")
    # A dot in a folder name, or a leading dot of a file name, starts no extension.
    if dot <= relative.rfind("/") + 1:
        return relative
    return relative[:dot]


@functools.lru_cache(maxsize=16)
def page_extensions(config: Config) -> tuple[str, ...]:
    """The extensions English counterparts may have, in order of preference."""
    seen: list[str] = []
    for pattern in config.page_names:
        ext = posixpath.splitext(pattern)[1]
        if ext and "*" not in ext and ext not in seen:
            seen.append(ext)
    return tuple(seen)


def source_candidates(config: Config, key: str, preferred_ext: str) -> list[str]:
    """English paths that a translation with ``key`` may pair with, its own extension first."""
    exts = [preferred_ext, *[e for e in page_extensions(config) if e != preferred_ext]]
    folder = source_folder(config)
    return [f"{folder}/{key}{ext}" for ext in exts]


def source_key(config: Config, source_path: str) -> str | None:
    """The key of an English page path, or None when the path is not an English page."""
    folder = source_folder(config) + "/"
    if not source_path.startswith(folder):
        return None
    relative = source_path[len(folder):]
    if not is_page_name(config, posixpath.basename(relative)):
        return None
    if relative.split("/", 1)[0] in config.excluded_folders:
        return None
    return key_of(relative)


def translation_path(config: Config, locale: str, source_path: str) -> str:
    """Where the translation of an English page lives (for pages not translated yet)."""
    relative = source_path[len(source_folder(config)) + 1:]
    return f"{locale_folder(config, locale)}/{relative}"


def discover_locales(config: Config) -> list[str]:
    """Locale folders present in the translations repository, the English one excluded."""
    prefix = config.layout.split("{locale}", 1)[0].rstrip("/")
    base = config.translated_root / prefix if prefix else config.translated_root
    if not base.is_dir():
        return []
    found = []
    with os.scandir(base) as entries:
        for entry in entries:
            if (
                entry.is_dir(follow_symlinks=False)
                and _LOCALE_FOLDER.match(entry.name)
                and entry.name.lower() != config.source_locale.lower()
            ):
                found.append(entry.name)
    return sorted(found)


def selected_locales(config: Config) -> list[str]:
    """The locales this run covers: the ``--locale`` filter checked against what exists."""
    present = discover_locales(config)
    if not config.locales:
        return present
    by_lower = {name.lower(): name for name in present}
    chosen = []
    for wanted in config.locales:
        name = by_lower.get(wanted.lower())
        if name is None:
            known = ", ".join(present) or "none"
            raise UsageError(f"unknown locale {wanted!r} (found: {known})")
        chosen.append(name)
    return sorted(set(chosen))


# A folder listing remembered between runs: (mtime_ns, sub-folder names, page file names).
FolderListing = tuple[int, tuple[str, ...], tuple[str, ...]]


def _list_folder(config: Config, path: str, top: bool) -> tuple[list[str], list[str]]:
    """Sub-folders and page files of one folder; symbolic links are not followed."""
    excluded = config.excluded_folders
    literal = all(not any(c in p for c in "*?[") for p in config.page_names)
    folders: list[str] = []
    pages: list[str] = []
    with os.scandir(path) as entries:
        for entry in entries:
            name = entry.name
            if entry.is_dir(follow_symlinks=False):
                if not (top and name in excluded):
                    folders.append(name)
            elif (name in config.page_names if literal else is_page_name(config, name)) and (
                entry.is_file(follow_symlinks=False)
            ):
                pages.append(name)
    return folders, pages


def _walk_pages(
    config: Config,
    folder: str,
    remembered: Mapping[str, FolderListing],
    trusted_before_ns: int,
    listings: dict[str, FolderListing],
) -> list[str]:
    """Page files below ``folder``, relative to it.

    MDN's translations are 60,000 pages in 70,000 folders. A folder whose modification time
    is the one remembered (and old enough that a change in the same clock tick cannot hide
    behind it) is not listed again: adding, removing or renaming an entry changes it.
    """
    found: list[str] = []
    stack = [(folder, "")]
    while stack:
        current, relative = stack.pop()
        try:
            mtime = os.stat(current).st_mtime_ns
            known = remembered.get(current)
            if known is not None and known[0] == mtime and mtime < trusted_before_ns:
                folders, pages = known[1], known[2]
            else:
                listed = _list_folder(config, current, not relative)
                folders, pages = tuple(listed[0]), tuple(listed[1])
        except OSError:
            continue
        listings[current] = (mtime, folders, pages)
        found.extend(relative + name for name in pages)
        stack.extend((f"{current}/{name}", f"{relative}{name}/") for name in folders)
    return found


def list_translated_pages(
    config: Config,
    locales: Iterable[str],
    remembered: Mapping[str, FolderListing] | None = None,
    trusted_before_ns: int = 0,
    listings: dict[str, FolderListing] | None = None,
) -> list[PageFile]:
    """Every translated page of the given locales, sorted by path.

    ``remembered`` are folder listings from an earlier run (see ``_walk_pages``); this run's
    listings are put into ``listings`` so that the caller can keep them.
    """
    pages: list[PageFile] = []
    root = str(config.translated_root)
    listings = listings if listings is not None else {}
    for locale in locales:
        folder = locale_folder(config, locale)
        walked = _walk_pages(config, os.path.join(root, folder), remembered or {},
                             trusted_before_ns, listings)
        pages.extend(PageFile(f"{folder}/{relative}", locale, key_of(relative))
                     for relative in walked)
    pages.sort(key=lambda page: page.path)
    return pages


def page_file_for(config: Config, relative_path: str, locales: Iterable[str]) -> PageFile | None:
    """The PageFile for a repository-relative path, or None if it is not a translated page."""
    for locale in locales:
        folder = locale_folder(config, locale) + "/"
        if relative_path.startswith(folder):
            inner = relative_path[len(folder):]
            if inner.split("/", 1)[0] in config.excluded_folders:
                return None
            if not is_page_name(config, posixpath.basename(inner)):
                return None
            return PageFile(relative_path, locale, key_of(inner))
    return None


def resolve_named_pages(config: Config, names: Iterable[str], cwd: Path) -> list[PageFile]:
    """The translated pages named on the command line (files or folders), checked to exist."""
    root = config.translated_root.resolve()
    locales = discover_locales(config)
    chosen: dict[str, PageFile] = {}
    for name in names:
        target = (cwd / name).resolve() if not os.path.isabs(name) else Path(name).resolve()
        try:
            relative = target.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{name}: not inside the translations repository {root}") from None
        if relative == ".":  # the repository root itself: every page
            relative = ""
        if target.is_dir():
            found = [
                page
                for page in list_translated_pages(config, locales)
                if page.path == relative or page.path.startswith(relative.rstrip("/") + "/")
                or relative == ""
            ]
            if not found:
                raise UsageError(f"{name}: no translated pages in this folder")
            chosen.update((page.path, page) for page in found)
            continue
        if not target.is_file():
            raise UsageError(f"{name}: no such file")
        page = page_file_for(config, relative, locales)
        if page is None:
            raise UsageError(f"{name}: not a translated page (expected {config.layout})")
        chosen[page.path] = page
    if config.locales:
        wanted = {locale.lower() for locale in config.locales}
        chosen = {path: page for path, page in chosen.items() if page.locale.lower() in wanted}
    return [chosen[path] for path in sorted(chosen)]


def pages_among(config: Config, names: Iterable[str], cwd: Path) -> list[PageFile]:
    """The translated pages among files named by a tool such as pre-commit; others are skipped."""
    root = config.translated_root.resolve()
    locales = discover_locales(config)
    found: dict[str, PageFile] = {}
    for name in names:
        target = (cwd / name).resolve()
        try:
            relative = target.relative_to(root).as_posix()
        except ValueError:
            continue
        page = page_file_for(config, relative, locales)
        if page is not None and target.is_file():
            found[page.path] = page
    return [found[path] for path in sorted(found)]


def slug_to_folder(slug: str) -> str:
    """MDN's folder name for a slug: lower case, with characters unsafe in paths spelled out."""
    return (
        slug.replace("*", "_star_")
        .replace("::", "_doublecolon_")
        .replace(":", "_colon_")
        .replace("?", "_question_")
        .lower()
    )


def parse_redirects(text: str, source_locale: str) -> dict[str, str]:
    """Map old folder -> new folder from an MDN ``_redirects.txt`` (tab-separated URL pairs)."""
    prefix = f"/{source_locale.lower()}/docs/"
    redirects: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            continue
        old, new = (part.strip() for part in parts)
        if old.lower().startswith(prefix) and new.lower().startswith(prefix):
            old_folder = slug_to_folder(old[len(prefix):].split("#", 1)[0])
            new_folder = slug_to_folder(new[len(prefix):].split("#", 1)[0])
            redirects[old_folder] = new_folder
    return redirects
