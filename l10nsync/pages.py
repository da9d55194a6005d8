"""Finding the translated pages and reading their markers: the scan every command starts from."""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from l10nsync.cache.status import CACHE_SHAPE_ERRORS, Stamp, StatusCache
from l10nsync.config import Config
from l10nsync.frontmatter import read_front_matter
from l10nsync.layout import (
    FolderListing,
    PageFile,
    linked_folders,
    list_translated_pages,
    resolve_named_pages,
    selected_locales,
)
from l10nsync.model import Page


def find_pages(
    config: Config, names: Sequence[str], cwd: Path, cache: StatusCache
) -> tuple[list[PageFile], list[str], list[str]]:
    """The translated page files this run covers, the locales they belong to, and the
    symbolic links that were not followed to find them (see safefiles.py)."""
    locales = selected_locales(config)
    if names:
        files = resolve_named_pages(config, names, cwd)
        return files, sorted({page.locale for page in files}), []
    remembered, trusted_before = cache.folder_listings()
    listings: dict[str, FolderListing] = {}
    links = linked_folders(config, locales)
    started = time.time_ns()
    try:
        files = list_translated_pages(config, locales, remembered, trusted_before, listings,
                                      links)
    except CACHE_SHAPE_ERRORS:  # a remembered listing of another shape: list everything
        listings, links = {}, linked_folders(config, locales)
        files = list_translated_pages(config, locales, {}, 0, listings, links)
    if cache.folder is not None and not config.locales and listings != remembered:
        cache.keep_folder_listings(listings, started)
    return files, locales, sorted(set(links))


class Scan(NamedTuple):
    """The translated page files a run covers, each with its stamp, as found on disk."""

    files: list[PageFile]
    locales: list[str]
    stamps: list[Stamp | None]
    started: int  # when the scan began: a file changed after it may hide behind its stamp
    links: tuple[str, ...] = ()  # symbolic links not followed: their pages are not read

    def digest(self) -> str | None:
        """One digest of every path and stamp; None when a file could not be stamped."""
        if any(stamp is None for stamp in self.stamps):
            return None
        rows = [(f.path, f.locale, f.key, stamp)
                for f, stamp in zip(self.files, self.stamps, strict=True)]
        return hashlib.sha256(marshal.dumps((self.locales, rows, self.links))).hexdigest()

    def newest_ns(self) -> int:
        return max((stamp[2] for stamp in self.stamps if stamp is not None), default=0)


def scan_pages(config: Config, names: Sequence[str], cwd: Path, cache: StatusCache) -> Scan:
    """Find the pages a run covers and stamp each (one ``stat`` a file)."""
    started = time.time_ns()
    files, locales, links = find_pages(config, names, cwd, cache)
    root = os.path.join(config.translated_root, "")
    stamps = [page_stamp(root + f.path) for f in files]
    return Scan(files, locales, stamps, started, tuple(links))


def page_stamp(path: str) -> Stamp | None:
    """What tells whether a file changed since it was last read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)


def read_page(config: Config, page_file: PageFile) -> Page:
    """Read one translated page's marker and title from the working tree."""
    facts = read_front_matter(os.path.join(config.translated_root, page_file.path),
                              config.marker_key, config.front_matter_limit)
    return Page(page_file.path, page_file.locale, page_file.key, facts.marker, facts.title,
                facts.marker_line, facts.error, front_keys=facts.front_keys)

