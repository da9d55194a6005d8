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
from l10nsync.globs import PathGlobs
from l10nsync.safefiles import linked_message, linked_part

# Locale folders look like 'fr', 'pt-br', 'zh-tw', 'es-419'; anything else under files/ is not one.
_LOCALE_FOLDER = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


class PageFile(NamedTuple):
    """A translated page file found on disk (a tuple: tens of thousands are made per run)."""

    path: str  # relative to the translations repository root
    locale: str
    key: str


class Pattern(NamedTuple):
    """One layout, parsed: ``base/{locale}/inner/{path}`` or ``base/{path}.{locale}suffix``."""

    base: str  # the folder holding the locale part ("" for the repository root)
    inner: str  # folder style: a folder between the locale folder and the pages, usually ""
    suffix: str  # suffix style: what follows ".{locale}" in a file name, e.g. ".md"; else ""
    # The folder of the English pages when a layout names it (a two-pattern layout such as
    # Docusaurus's docs/{path} beside i18n/{locale}/.../{path}); None: where the style puts it.
    source: str | None = None


_FOLDER_STYLE = re.compile(r"^(?P<base>(?:[^{}]*/)?)\{locale\}(?P<inner>(?:/[^{}]+)?)/\{path\}$")
_SUFFIX_STYLE = re.compile(r"^(?P<base>(?:[^{}]*/)?)\{path\}\.\{locale\}(?P<suffix>\.[^{}/]+)$")


def parse_pattern(text: str) -> Pattern | None:
    """A layout pattern's parts, or None when it has neither accepted shape."""
    match = _FOLDER_STYLE.match(text)
    if match:
        return Pattern(match["base"].strip("/"), match["inner"].strip("/"), "")
    match = _SUFFIX_STYLE.match(text)
    if match:
        return Pattern(match["base"].strip("/"), "", match["suffix"])
    return None


@functools.lru_cache(maxsize=16)
def patterns(config: Config) -> tuple[Pattern, ...]:
    """The config's layouts, parsed (config.py has checked that each parses)."""
    sources = dict(config.source_layouts)
    found = []
    for text in (config.layout, *config.extra_layouts):
        pattern = parse_pattern(text)
        if pattern is not None:
            found.append(pattern._replace(source=sources.get(text)))
    return tuple(found)


def _common_folder(folders: Iterable[str]) -> str:
    parts = [folder.split("/") if folder else [] for folder in folders]
    common: list[str] = []
    for group in zip(*parts, strict=False):
        if len(set(group)) != 1:
            break
        common.append(group[0])
    return "/".join(common)


def layout_prefix(config: Config) -> str:
    """The folder that holds every locale's pages, e.g. ``files`` ("" for the root)."""
    return _common_folder([*(pattern.base for pattern in patterns(config)),
                           *(p.source for p in patterns(config) if p.source is not None)])


def _locale_root(config: Config, pattern: Pattern, locale: str) -> str:
    """Folder style: the folder of one locale's pages, e.g. ``files/fr``."""
    folder = in_folder(pattern.base, config.folder_of(locale))
    return in_folder(folder, pattern.inner) if pattern.inner else folder


def _source_root(config: Config, pattern: Pattern) -> str:
    """The folder of the English pages of a pattern (suffix style: its base)."""
    if pattern.source is not None:
        return pattern.source
    if pattern.suffix or config.source_at_root:
        return in_folder(pattern.base, pattern.inner) if pattern.inner else pattern.base
    return _locale_root(config, pattern, config.source_locale)


def _source_suffix(config: Config, pattern: Pattern) -> str:
    """Suffix style: how English file names end, ``.md`` at the root or ``.en.md``."""
    if config.source_at_root:
        return pattern.suffix
    return f".{config.folder_of(config.source_locale)}{pattern.suffix}"


def locale_folder(config: Config, locale: str) -> str:
    """The folder that holds one locale's pages under the first layout, e.g. ``files/fr``."""
    return _locale_root(config, patterns(config)[0], locale)


def source_folder(config: Config) -> str:
    """The folder holding every English page, relative to the English repository root."""
    return _common_folder(_source_root(config, pattern) for pattern in patterns(config))


def history_folder(config: Config, translations_too: bool) -> str:
    """The pathspec of the history to read: the English folder, or with ``translations_too``
    (one repository, sync points read from history) the folder of every locale."""
    folder = layout_prefix(config) if translations_too else source_folder(config)
    return folder or "."


def in_folder(folder: str, relative: str) -> str:
    """``folder/relative``, or ``relative`` itself when the folder is the repository root."""
    return f"{folder}/{relative}" if folder else relative


def below(folder: str, path: str) -> str | None:
    """``path`` relative to ``folder``, or None when it is not inside it."""
    if not folder:
        return path
    return path[len(folder) + 1:] if path.startswith(folder + "/") else None


@functools.lru_cache(maxsize=16)
def _path_globs(config: Config) -> tuple[PathGlobs, PathGlobs]:
    return PathGlobs(config.include), PathGlobs(config.exclude)


def is_tracked(config: Config, *paths: str) -> bool:
    """False when the config's ``include`` globs match none of ``paths`` (a page's English
    and translated paths) or its ``exclude`` globs match one."""
    include, exclude = _path_globs(config)
    if include and not any(include.matches(path) for path in paths):
        return False
    return not (exclude and any(exclude.matches(path) for path in paths))


def _tracked_page(config: Config, page: PageFile) -> bool:
    if not config.include and not config.exclude:
        return True
    extension = posixpath.splitext(page.path)[1]
    return is_tracked(config, page.path, *source_candidates(config, page.key, extension)[:1])


def is_page_name(config: Config, name: str) -> bool:
    """True when a file name is one of the configured page names (globs allowed)."""
    return any(fnmatchcase(name, pattern) for pattern in config.page_names)


def key_of(relative: str) -> str:
    """A path without its file extension: with the English folder in front, a page's key."""
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
    return list(_source_candidates(config, key, preferred_ext))


# The translations of one English page into each locale share its key: asked once per page.
@functools.lru_cache(maxsize=1 << 17)
def _source_candidates(config: Config, key: str, preferred_ext: str) -> tuple[str, ...]:
    exts = [preferred_ext, *[e for e in page_extensions(config) if e != preferred_ext]]
    found: list[str] = []
    for pattern in patterns(config):
        if below(_source_root(config, pattern), key) is None:
            continue
        if pattern.suffix:
            found.append(key + _source_suffix(config, pattern))
        else:
            found.extend(key + ext for ext in exts)
    return tuple(dict.fromkeys(found)) or (key + preferred_ext,)


@functools.lru_cache(maxsize=16)
def _not_english(config: Config) -> frozenset[str]:
    """First path parts below the English folder that hold no English pages."""
    skipped = set(config.excluded_folders)
    if config.source_at_root:
        skipped.update(config.folder_of(locale) for locale in discover_locales(config))
    for pattern in patterns(config):
        if pattern.source is None:
            continue
        for locale in discover_locales(config):
            inside = below(pattern.source, _locale_root(config, pattern, locale))
            if inside:  # translations kept inside the English folder
                skipped.add(inside.split("/", 1)[0])
    return frozenset(skipped)


def _english_relative(config: Config, pattern: Pattern, source_path: str) -> str | None:
    """An English page's path relative to its pattern's English root, if it is one."""
    relative = below(_source_root(config, pattern), source_path)
    if relative is None or relative.split("/", 1)[0] in _not_english(config):
        return None
    name = posixpath.basename(relative)
    if not pattern.suffix:
        return relative if is_page_name(config, name) else None
    suffix = _source_suffix(config, pattern)
    if len(name) <= len(suffix) or not name.endswith(suffix):
        return None
    if config.source_at_root and any(
        name.endswith(f".{config.folder_of(locale)}{pattern.suffix}")
        for locale in discover_locales(config)
    ):
        return None  # a translation beside its English page
    return relative


def source_key(config: Config, source_path: str) -> str | None:
    """The key of an English page path, or None when the path is not an English page."""
    if (config.include or config.exclude) and not is_tracked(config, source_path):
        return None
    for pattern in patterns(config):
        relative = _english_relative(config, pattern, source_path)
        if relative is not None:
            if pattern.suffix:
                return source_path[:-len(_source_suffix(config, pattern))]
            return key_of(source_path)
    return None


def translation_path(config: Config, locale: str, source_path: str) -> str:
    """Where the translation of an English page lives (for pages not translated yet)."""
    for pattern in patterns(config):
        relative = _english_relative(config, pattern, source_path)
        if relative is None:
            continue
        if pattern.suffix:
            stem = source_path[:-len(_source_suffix(config, pattern))]
            return f"{stem}.{config.folder_of(locale)}{pattern.suffix}"
        return in_folder(_locale_root(config, pattern, locale), relative)
    relative = below(source_folder(config), source_path) or source_path
    return in_folder(locale_folder(config, locale), relative)


def discover_locales(config: Config) -> list[str]:
    """Translation locales: the configured ones, or else the locale folders present in the
    translations repository (the English one excluded), as locale codes."""
    if config.known_locales:
        return sorted(config.known_locales)
    found = set()
    for pattern in patterns(config):
        if pattern.suffix:
            continue  # config.py asks for locales with a suffix layout
        base = config.translated_root / pattern.base
        if linked_part(config.translated_root, pattern.base) is not None:
            continue  # reported by linked_folders
        try:
            with os.scandir(base) as entries:
                for entry in entries:
                    if (
                        entry.is_dir(follow_symlinks=False)
                        and _LOCALE_FOLDER.match(entry.name)
                        and entry.name.lower() != config.folder_of(config.source_locale).lower()
                    ):
                        found.add(config.locale_of(entry.name))
        except OSError:
            continue
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
            links = [folder for folder, locale in _linked_locale_folders(config)
                     if locale.lower() == wanted.lower()]
            if links:
                raise UsageError(f"--locale {wanted}: {linked_message(links[0])}")
            known = ", ".join(present) or "none"
            raise UsageError(f"unknown locale {wanted!r} (found: {known})")
        chosen.append(name)
    return sorted(set(chosen))


# A folder listing remembered between runs: (mtime_ns, sub-folder names, page file names,
# names of symbolic links to folders or pages, which are not followed but reported).
FolderListing = tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


# Folders a walk over a whole content tree (suffix layouts) never enters.
_NEVER_WALKED = frozenset({"node_modules"})


def _list_folder(
    config: Config, path: str, top: bool, endings: tuple[str, ...] = ()
) -> tuple[list[str], list[str], list[str]]:
    """Sub-folders, page files and links of one folder; symbolic links are not followed.

    The links are those to a folder or named like a page: what a walk would have entered or
    read (see safefiles.py). With ``endings`` (suffix layouts), pages are the files whose
    names end so, and hidden folders are not entered.
    """
    excluded = config.excluded_folders
    literal = _literal_names(config.page_names)
    folders: list[str] = []
    pages: list[str] = []
    links: list[str] = []
    with os.scandir(path) as entries:
        for entry in entries:
            name = entry.name
            if entry.is_dir(follow_symlinks=False):
                if endings and (name.startswith(".") or name in _NEVER_WALKED):
                    continue
                if not (top and name in excluded):
                    folders.append(name)
            elif entry.is_symlink():  # known from the listing itself: no extra system call
                if name.startswith(".") or (top and name in excluded):
                    continue
                page_like = (name.endswith(endings) if endings
                             else name in config.page_names if literal
                             else is_page_name(config, name))
                if page_like or _is_folder(entry):
                    links.append(name)
            elif endings:
                if name.endswith(endings) and entry.is_file(follow_symlinks=False):
                    pages.append(name)
            elif (name in config.page_names if literal else is_page_name(config, name)) and (
                entry.is_file(follow_symlinks=False)
            ):
                pages.append(name)
    return folders, pages, links


@functools.lru_cache(maxsize=16)
def _literal_names(page_names: tuple[str, ...]) -> bool:
    """Whether every page name is a plain name, not a glob (asked once per folder listed)."""
    return all(not any(c in name for c in "*?[") for name in page_names)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _walk_pages(
    config: Config,
    folder: str,
    remembered: Mapping[str, FolderListing],
    trusted_before_ns: int,
    listings: dict[str, FolderListing],
    endings: tuple[str, ...] = (),
    links: list[str] | None = None,
) -> list[str]:
    """Page files below ``folder``, relative to it (see ``_list_folder`` for ``endings``);
    the symbolic links met on the way are added to ``links``, relative to it too.

    MDN's translations are 60,000 pages in 70,000 folders. A folder whose modification time
    is the one remembered (and old enough that a change in the same clock tick cannot hide
    behind it) is not listed again: adding, removing or renaming an entry changes it.
    """
    found: list[str] = []
    stack = [(folder, "")]
    tag = "\0".join(endings)  # listings made for other endings are other listings
    while stack:
        current, relative = stack.pop()
        remembered_as = f"{tag}\0{current}" if endings else current
        try:
            mtime = os.stat(current).st_mtime_ns
            known = remembered.get(remembered_as)
            if (known is not None and known[0] == mtime and mtime < trusted_before_ns
                    and len(known) == 4):
                folders, pages, linked = known[1], known[2], known[3]
            else:
                listed = _list_folder(config, current, not relative, endings)
                folders, pages, linked = tuple(listed[0]), tuple(listed[1]), tuple(listed[2])
        except OSError:
            continue
        listings[remembered_as] = (mtime, folders, pages, linked)
        if linked and links is not None:
            links.extend(relative + name for name in linked)
        # Plain loops: most folders hold one page and a few sub-folders, where a generator
        # costs more than the work.
        for name in pages:
            found.append(relative + name)
        for name in folders:
            stack.append((f"{current}/{name}", f"{relative}{name}/"))
    return found


def list_translated_pages(
    config: Config,
    locales: Iterable[str],
    remembered: Mapping[str, FolderListing] | None = None,
    trusted_before_ns: int = 0,
    listings: dict[str, FolderListing] | None = None,
    links: list[str] | None = None,
) -> list[PageFile]:
    """Every translated page of the given locales, sorted by path.

    ``remembered`` are folder listings from an earlier run (see ``_walk_pages``); this run's
    listings are put into ``listings`` so that the caller can keep them. Symbolic links met
    below the locale folders (not followed) are added to ``links``.
    """
    pages: list[PageFile] = []
    root = str(config.translated_root)
    listings = listings if listings is not None else {}
    locales = list(locales)
    for pattern in patterns(config):
        if pattern.suffix:
            pages.extend(_suffixed_pages(config, pattern, locales, remembered or {},
                                         trusted_before_ns, listings, links))
            continue
        english = in_folder(_source_root(config, pattern), "")
        for locale in locales:
            folder = _locale_root(config, pattern, locale)
            if linked_part(root, folder) is not None:
                continue  # never followed; reported by linked_folders
            inside = in_folder(folder, "")
            met: list[str] = []
            walked = _walk_pages(config, os.path.join(root, folder), remembered or {},
                                 trusted_before_ns, listings, links=met)
            if links is not None:
                links.extend(inside + link for link in met)
            pages.extend([PageFile(inside + relative, locale, english + key_of(relative))
                          for relative in walked])
    if config.include or config.exclude:
        pages = [page for page in pages if _tracked_page(config, page)]
    pages.sort(key=lambda page: page.path)
    if len(patterns(config)) == 1:
        return pages
    return list({page.path: page for page in pages}.values())  # the first layout wins


def _suffixed_pages(
    config: Config,
    pattern: Pattern,
    locales: list[str],
    remembered: Mapping[str, FolderListing],
    trusted_before_ns: int,
    listings: dict[str, FolderListing],
    links: list[str] | None = None,
) -> list[PageFile]:
    endings = {f".{config.folder_of(locale)}{pattern.suffix}": locale for locale in locales}
    if not endings or linked_part(config.translated_root, pattern.base) is not None:
        return []
    met: list[str] = []
    walked = _walk_pages(config, os.path.join(str(config.translated_root), pattern.base),
                         remembered, trusted_before_ns, listings, tuple(sorted(endings)), met)
    if links is not None:
        links.extend(in_folder(pattern.base, link) for link in met)
    pages = []
    for relative in walked:
        for ending, locale in endings.items():
            if relative.endswith(ending) and len(posixpath.basename(relative)) > len(ending):
                pages.append(PageFile(in_folder(pattern.base, relative), locale,
                                      in_folder(pattern.base, relative[:-len(ending)])))
                break
    return pages


def page_file_for(config: Config, relative_path: str, locales: Iterable[str]) -> PageFile | None:
    """The PageFile for a repository-relative path, or None if it is not a translated page."""
    page = _page_file_for(config, relative_path, locales)
    return page if page is not None and _tracked_page(config, page) else None


def _page_file_for(
    config: Config, relative_path: str, locales: Iterable[str]
) -> PageFile | None:
    locales = list(locales)
    for pattern in patterns(config):
        for locale in locales:
            if pattern.suffix:
                ending = f".{config.folder_of(locale)}{pattern.suffix}"
                inner = below(pattern.base, relative_path)
                if (inner is None or not inner.endswith(ending)
                        or len(posixpath.basename(inner)) <= len(ending)
                        or inner.split("/", 1)[0] in config.excluded_folders):
                    continue
                return PageFile(relative_path, locale, relative_path[:-len(ending)])
            folder = _locale_root(config, pattern, locale)
            inner = below(folder, relative_path)
            if inner is None:
                continue
            if inner.split("/", 1)[0] in config.excluded_folders:
                return None
            if not is_page_name(config, posixpath.basename(inner)):
                return None
            return PageFile(relative_path, locale,
                            in_folder(_source_root(config, pattern), key_of(inner)))
    return None


def repository_relative(root: Path, cwd: Path, name: str) -> str | None:
    """``name`` (relative to ``cwd``, or absolute) as a ``/`` path below ``root``, without
    following links (see safefiles.py); None when it is outside. ``.`` is the root itself.

    l10nsync prints paths from the repository root: run from a sub-folder (a Lunaria site's
    ``docs/``), a name that names nothing from there but something from the root is taken
    from the root, so that printed advice works when pasted wherever it was printed."""
    target = os.path.abspath(os.path.join(cwd, name))
    if (not os.path.isabs(name) and not os.path.lexists(target)
            and os.path.lexists(os.path.join(root, name))):
        target = os.path.abspath(os.path.join(root, name))
    # The root and cwd may be spelled through links of their own (a /tmp link, a repository
    # opened through a link): those are the user's, and are compared resolved.
    for base in (os.path.abspath(root), os.path.realpath(root)):
        relative = os.path.relpath(target, base)
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            return Path(relative).as_posix()
    return None


def named_folders(config: Config, names: Iterable[str], cwd: Path) -> list[str]:
    """The named paths as folder prefixes below the translations root ("" for the root), for
    names ``resolve_named_pages`` accepted."""
    folders = []
    for name in names:
        relative = repository_relative(config.translated_root, cwd, name) or ""
        folders.append("" if relative in ("", ".") else relative.rstrip("/") + "/")
    return folders


def resolve_named_pages(config: Config, names: Iterable[str], cwd: Path) -> list[PageFile]:
    """The translated pages named on the command line (files or folders), checked to exist.

    A name that goes through a symbolic link below the repository root is refused.
    """
    root = config.translated_root
    locales = discover_locales(config)
    chosen: dict[str, PageFile] = {}
    for name in names:
        relative = repository_relative(root, cwd, name)
        if relative is None:
            raise UsageError(f"{name}: not inside the translations repository {root.resolve()}")
        if relative == ".":  # the repository root itself: every page
            relative = ""
        link = linked_part(root, relative)
        if link is not None:
            raise UsageError(linked_message(link), path=name)
        target = root / relative
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
            layouts = " or ".join((config.layout, *config.extra_layouts))
            raise UsageError(f"{name}: not a translated page (expected {layouts})")
        chosen[page.path] = page
    if config.locales:
        wanted = {locale.lower() for locale in config.locales}
        chosen = {path: page for path, page in chosen.items() if page.locale.lower() in wanted}
    return [chosen[path] for path in sorted(chosen)]


def pages_among(config: Config, names: Iterable[str], cwd: Path) -> list[PageFile]:
    """The translated pages among files named by a tool such as pre-commit; others are skipped.

    Pages reached through a symbolic link are not among them: see ``linked_pages_among``.
    """
    return [page for page, link in _named_pages(config, names, cwd) if link is None]


def linked_pages_among(config: Config, names: Iterable[str], cwd: Path) -> list[tuple[str, str]]:
    """The translated pages among ``names`` that a symbolic link leads to, with the link."""
    return [(page.path, link) for page, link in _named_pages(config, names, cwd)
            if link is not None]


def _named_pages(
    config: Config, names: Iterable[str], cwd: Path
) -> list[tuple[PageFile, str | None]]:
    root = config.translated_root
    locales = discover_locales(config) + [locale for _, locale in _linked_locale_folders(config)]
    found: dict[str, tuple[PageFile, str | None]] = {}
    for name in names:
        # A typo must not pass the check silently (a dangling symlink is a file, skipped below).
        relative = repository_relative(root, cwd, name)
        if not os.path.lexists(cwd / name) and (
                relative is None or not os.path.lexists(root / relative)):
            raise UsageError(f"{name}: no such file")
        if relative is None:
            continue
        link = linked_part(root, relative)
        # Behind a link, the locale folder may be one no listing shows: read it off the path.
        page = page_file_for(config, relative, locales if link is None
                             else [*locales, *_locales_in_path(config, relative)])
        if page is None:
            continue
        if link is not None or (root / relative).is_file():
            found[page.path] = (page, link)
    return [found[path] for path in sorted(found)]


def _locales_in_path(config: Config, relative: str) -> list[str]:
    """The locales a path's folder names would be under each folder-style layout."""
    found = []
    for pattern in patterns(config):
        inner = below(pattern.base, relative) if not pattern.suffix else None
        if inner and "/" in inner:
            found.append(config.locale_of(inner.split("/", 1)[0]))
    return found


def linked_folders(config: Config, locales: Iterable[str]) -> list[str]:
    """The folders a walk over ``locales`` starts from that are (or go through) symbolic
    links: their pages are not read."""
    starts = []
    for pattern in patterns(config):
        if pattern.suffix:
            starts.append(pattern.base)
        else:
            starts.append(pattern.base)
            starts += [_locale_root(config, pattern, locale) for locale in locales]
    links = {linked_part(config.translated_root, start) for start in starts if start}
    links.update(folder for folder, _ in _linked_locale_folders(config))
    return sorted(link for link in links if link is not None)


def _linked_locale_folders(config: Config) -> list[tuple[str, str]]:
    """Locale folders that are symbolic links (``discover_locales`` leaves them out), each
    with its locale."""
    found = []
    for pattern in patterns(config):
        if pattern.suffix or linked_part(config.translated_root, pattern.base) is not None:
            continue
        try:
            with os.scandir(config.translated_root / pattern.base) as entries:
                for entry in entries:
                    if entry.is_symlink() and _LOCALE_FOLDER.match(entry.name) and (
                        entry.name.lower() != config.folder_of(config.source_locale).lower()
                    ):
                        found.append((in_folder(pattern.base, entry.name),
                                      config.locale_of(entry.name)))
        except OSError:
            continue
    return found


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


def url_key(config: Config, source_path: str) -> str | None:
    """How a site's URLs name an English page, for matching Hugo aliases: its path below the
    English folder, without extension or a trailing index/_index, lower case."""
    key = source_key(config, source_path)
    relative = None if key is None else below(source_folder(config), key)
    if relative is None:
        return None
    for ending in ("/_index", "/index"):
        relative = relative.removesuffix(ending)
    return "" if relative in ("_index", "index") else relative.lower()


def alias_keys(config: Config, source_path: str, aliases: Iterable[str]) -> list[str]:
    """The URL keys (see ``url_key``) that a page's aliases name: absolute ones from the site
    root (a leading English locale folder dropped), relative ones from the page's folder."""
    own = url_key(config, source_path)
    if own is None:
        return []
    language = config.folder_of(config.source_locale).lower()
    found = []
    for alias in aliases:
        text = alias.strip().split("#", 1)[0].split("?", 1)[0]
        if text.startswith("/"):
            path = text.strip("/")
            if path.lower().startswith(f"{language}/"):
                path = path[len(language) + 1:]
        else:
            path = posixpath.join(posixpath.dirname(own), text.strip("/"))
        path = posixpath.normpath(path).removesuffix(".html").lower()
        if path and not path.startswith(".."):
            found.append(path.removesuffix("/index"))
    return found
