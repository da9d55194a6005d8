"""The status cache: folder listings, the English history and each page's marker and verdict,
kept under the translations repository's git directory (see commands/status.py)."""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from l10nsync.cache.store import cache_folder, cache_key, load_entry, store_entry
from l10nsync.config import Config
from l10nsync.gitrepo import GitRepository
from l10nsync.history import History
from l10nsync.layout import FolderListing
from l10nsync.model import BASIS_BY_VALUE, STATUS_BY_VALUE, Page, Verdict
from l10nsync.rules.history_mode import english_history_folder

if TYPE_CHECKING:
    from l10nsync.pages import Scan

# A file or folder changed less than this before a cache was written may change again within
# the same clock tick without its time stamp moving: it is read again next time.
RACY_NS = 2_000_000_000


Stamp = tuple[int, int, int, int]  # size, inode, mtime_ns, ctime_ns


class EnglishState(NamedTuple):
    """What git says of the English repository before any history is read."""

    head: str | None
    shallow: bool
    known: set[str]  # the markers asked about that name a commit git has


class KeptOutput(NamedTuple):
    """The text a run printed, and what ``--fail-on`` could find in it."""

    text: str
    findings: list[str]


@dataclass
class StatusCache:
    """The cache files of one translations repository; a None folder caches nothing."""

    folder: Path | None
    config: Config
    _pages: KeptPages | None = None
    # The token of the inputs the last report of this run was made from (see unchanged_token).
    token: str | None = None
    _english: dict[tuple[str, ...], EnglishState] = field(default_factory=dict)

    def english_state(self, markers: Sequence[str]) -> EnglishState:
        """HEAD, shallowness and which of ``markers`` name commits, asked of git once a run."""
        key = tuple(markers)
        if key not in self._english:
            with GitRepository(self.config.source_root) as repo:
                self._english[key] = EnglishState(repo.head(), repo.is_shallow(),
                                                  repo.existing_commits(markers))
        return self._english[key]

    def remember_inputs(self, scan: Scan, context: str, unresolved: Mapping[str, bool] | None,
                        written_ns: int) -> None:
        """Keep what a report was made from, and its token when a later run can trust it."""
        digest = scan.digest()
        if self.folder is None or digest is None:
            return
        self.keep_snapshot({"scan": digest, "context": context, "written_ns": written_ns,
                            "unresolved": dict(unresolved) if unresolved is not None else None})
        if unresolved is not None and scan.newest_ns() < written_ns - RACY_NS:
            self.token = output_token(digest, context, unresolved)

    def _load(self, name: str, *key: object) -> Any | None:
        if self.folder is None:
            return None
        return load_entry(self.folder / name, cache_key(name, *key))

    def forget(self) -> None:
        """Remove this cache's files (the diff cache beside them stays)."""
        if self.folder is None:
            return
        for name in ("tree.bin", "history.bin", "pages.bin", "snapshot.bin", "output.bin"):
            (self.folder / name).unlink(missing_ok=True)
        self._pages = None

    def _store(self, name: str, value: Any, *key: object) -> None:
        if self.folder is not None:
            store_entry(self.folder / name, cache_key(name, *key), value)

    def _tree_key(self) -> tuple[object, ...]:
        config = self.config
        return (config.translated_root, config.layout, config.extra_layouts, config.page_names,
                config.excluded_folders, config.source_at_root, config.known_locales,
                config.locale_folders)

    def folder_listings(self) -> tuple[dict[str, FolderListing], int]:
        """Remembered folder listings and the time before which they can be trusted."""
        data = self._load("tree.bin", *self._tree_key())
        if not isinstance(data, dict):
            return {}, 0
        listings, written = data.get("listings"), data.get("written_ns")
        if not (isinstance(listings, dict) and isinstance(written, int)
                and all(map(_is_listing, listings.values()))):
            return {}, 0  # an entry of another shape: listed again
        return listings, written - RACY_NS

    def keep_folder_listings(self, listings: dict[str, FolderListing], written_ns: int) -> None:
        self._store("tree.bin", {"listings": listings, "written_ns": written_ns},
                    *self._tree_key())

    def history(self) -> History | None:
        """The cached English history, if any and readable."""
        data = self._load("history.bin", self.config.source_root,
                          english_history_folder(self.config))
        if not isinstance(data, dict) or not _is_history(data):
            return None
        try:
            return History.from_data(data)
        except (KeyError, TypeError, ValueError):
            return None

    def keep_history(self, history: History,
                     later: Callable[[Callable[[], None]], object] | None = None) -> None:
        """Keep ``history`` as it is now; ``later``, if given, is handed the writing (its
        plain data is taken here, so the history may change meanwhile)."""
        data = history.to_data()

        def write() -> None:
            self._store("history.bin", data, self.config.source_root,
                        english_history_folder(self.config))

        if later is None:
            write()
        else:
            later(write)

    def _pages_key(self) -> tuple[object, ...]:
        # Everything in the config but the --locale filter: verdicts are kept per path.
        return (repr(replace(self.config, locales=(), warnings=(), notes=())),)

    def pages(self) -> KeptPages:
        """What the last run knew of each page: stamp, marker facts, verdict and their context
        (``rows`` decodes only the rows asked for)."""
        if self._pages is None:
            data = self._load("pages.bin", *self._pages_key())
            well_formed = (isinstance(data, dict) and _is_shard_list(data.get("rows"))
                           and isinstance(data.get("written_ns", 0), int)
                           and isinstance(data.get("unresolved", {}), dict))
            if well_formed and isinstance(data, dict):
                self._pages = KeptPages(PageRows(data["rows"]), context=data.get("context"),
                                        unresolved=data.get("unresolved", {}),
                                        written_ns=data.get("written_ns", 0),
                                        english_pages=_count(data.get("english_pages")))
            else:
                self._pages = KeptPages(PageRows())
        return self._pages

    def keep_pages(self, kept: KeptPages) -> None:
        """Keep what ``pages`` gives back next time."""
        value = {"rows": kept.rows.encoded(), "context": kept.context,
                 "unresolved": kept.unresolved, "written_ns": kept.written_ns}
        if kept.english_pages is not None:
            value["english_pages"] = kept.english_pages
        self._store("pages.bin", value, *self._pages_key())

    def unchanged_page(self, path: str, stamp: Stamp | None) -> bool:
        """True when the cached row of ``path`` was read from the file as it is now: the same
        stamp, and older than the last run by more than the racy margin."""
        return self._unchanged_row(path, stamp) is not None

    def _unchanged_row(self, path: str, stamp: Stamp | None) -> CachedPage | None:
        saved = self.pages()
        if stamp is None or stamp[2] >= saved.written_ns - RACY_NS:
            return None
        kept = saved.rows.get(path)
        return kept if kept is not None and tuple(kept.stamp) == stamp else None

    def front_keys(self, path: str, stamp: Stamp | None) -> tuple[str, ...] | None:
        """The top-level front matter keys of the page at ``path`` as the cache read them from
        the file as it is now (see Page.front_keys); None when not known."""
        try:
            kept = self._unchanged_row(path, stamp)
            keys = None if kept is None else kept.page_row[_FRONT_KEYS]
        except CACHE_SHAPE_ERRORS:
            return None
        return keys if type(keys) is tuple and all(type(key) is str for key in keys) else None

    def snapshot(self) -> dict[str, Any]:
        """What the last full run saw: a digest of its page stamps, its context and markers."""
        data = self._load("snapshot.bin", repr(self.config))
        well_formed = (isinstance(data, dict) and isinstance(data.get("written_ns", 0), int)
                       and isinstance(data.get("unresolved", {}), dict | None))
        return data if well_formed and isinstance(data, dict) else {}

    def keep_snapshot(self, value: dict[str, Any]) -> None:
        self._store("snapshot.bin", value, repr(self.config))

    def output(self, token: str, options: str) -> KeptOutput | None:
        """The text a run with these inputs (``token``) and output options printed, if kept."""
        data = self._load("output.bin", repr(self.config), token)
        found = data.get(options) if isinstance(data, dict) else None
        if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], str)
                and isinstance(found[1], list)):
            return None
        return KeptOutput(*found)

    def keep_output(self, token: str, options: str, text: str, statuses: list[str]) -> None:
        data = self._load("output.bin", repr(self.config), token)
        kept = dict(data) if isinstance(data, dict) and len(data) < 8 else {}
        kept[options] = (text, statuses)
        self._store("output.bin", kept, repr(self.config), token)


# What a cache entry must look like to be used (see StatusCache). marshal gives back plain
# data whatever wrote it: an entry of another shape is rebuilt, never a crash. These checks
# are shallow, to stay cheap on 65,000 pages; what they let through fails with one of
# CACHE_SHAPE_ERRORS where it is used, and the run drops the cache and starts again.
CACHE_SHAPE_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError)


def _is_listing(value: object) -> bool:
    return type(value) is tuple and len(value) == 4 and type(value[0]) is int


def _is_page_row(value: object) -> bool:
    return type(value) is tuple and len(value) == 3


def _count(value: object) -> int | None:
    return value if type(value) is int else None


def _is_shard_list(value: object) -> bool:
    return (type(value) is list and len(value) == SHARDS
            and all(type(shard) is tuple and len(shard) == 2 for shard in value))


# The page rows are kept in this many shards by a hash of the path, each marshalled on its
# own: a run on a few named pages (the pre-commit hook) decodes a few shards of 65,000 rows.
SHARDS = 256

Row = tuple[Any, ...]
_tuple_new = tuple.__new__


class CachedPage(NamedTuple):
    """One page as the page cache keeps it: its file's stamp, the page as read and its verdict.

    The page and the verdict are kept as plain rows (marshal takes no record and no enum, and
    rows are small and quick to compare); ``page()`` and ``verdict()`` give the records back.
    Only ``page_row``, ``verdict_row`` and their inverses below know the rows' layout.
    """

    stamp: Stamp
    page_row: Row
    verdict_row: Row

    @classmethod
    def of(cls, stamp: Stamp, page: Page, verdict: Verdict) -> CachedPage:
        """The entry to keep for ``page`` with this stamp and verdict."""
        return cls(stamp, page_row(page), verdict_row(verdict))

    def page(self) -> Page:
        """The page as it was read."""
        return page_of_row(self.page_row)

    def verdict(self) -> Verdict:
        """The verdict given to the page."""
        return verdict_of_row(self.verdict_row)

    def holds(self, page: Page) -> bool:
        """True when ``page`` is the page kept (the same marker facts, read the same way)."""
        return tuple(self.page_row) == page_row(page)


@dataclass(frozen=True)
class KeptPages:
    """What the last run kept of each page (``pages.bin``), and what its verdicts were
    judged against besides the pages."""

    rows: PageRows
    context: str | None = None  # see verdicts_context
    # Markers that name no commit of the English history, and whether git knew them elsewhere.
    unresolved: dict[str, bool] = field(default_factory=dict)
    written_ns: int = 0  # when that run began
    english_pages: int | None = None  # English pages at HEAD then (None: not counted)


class PageRows(MutableMapping[str, CachedPage]):
    """Page path -> CachedPage, decoded a shard at a time when asked.

    A shard is kept as two marshalled blobs: its rows, and the markers they hold (so a run
    that changes a few rows can tell every marker still in use without decoding the rest).
    Rows are kept as plain tuples (stamp, page row, verdict row), the shape marshal takes.
    A row or shard of another shape raises one of CACHE_SHAPE_ERRORS where it is read.
    """

    def __init__(self, shards: Sequence[tuple[bytes, bytes]] | None = None) -> None:
        empty = (marshal.dumps({}), marshal.dumps(()))
        self._raw: list[tuple[bytes, bytes]] = list(shards) if shards else [empty] * SHARDS
        self._decoded: dict[int, dict[str, Row]] = {}
        self._changed: set[int] = set()

    @staticmethod
    def _shard_of(path: str) -> int:
        return zlib.crc32(path.encode("utf-8", errors="surrogateescape")) % SHARDS

    def _shard(self, number: int) -> dict[str, Row]:
        found = self._decoded.get(number)
        if found is None:
            found = marshal.loads(self._raw[number][0])
            if type(found) is not dict or not all(map(_is_page_row, found.values())):
                raise ValueError("a page cache shard of another shape")
            self._decoded[number] = found
        return found

    def __getitem__(self, path: str) -> CachedPage:
        # The row's shape was checked when its shard was decoded (a quicker _make).
        return _tuple_new(CachedPage, self._shard(self._shard_of(path))[path])

    def get(self, path: str,  # type: ignore[override]
            default: CachedPage | None = None) -> CachedPage | None:
        """The entry of ``path``, or ``default``: one shard lookup."""
        row = self._shard(self._shard_of(path)).get(path)
        return default if row is None else _tuple_new(CachedPage, row)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and path in self._shard(self._shard_of(path))

    def __setitem__(self, path: str, entry: CachedPage) -> None:
        self._set(path, tuple(entry))

    def keep(self, path: str, stamp: Stamp, page: Page, verdict: Verdict) -> None:
        """Keep ``page`` with this stamp and verdict (``self[path] = CachedPage.of(...)``)."""
        self._set(path, (stamp, page_row(page), verdict_row(verdict)))

    def _set(self, path: str, row: Row) -> None:
        number = self._shard_of(path)
        self._shard(number)[path] = row
        self._changed.add(number)

    def __delitem__(self, path: str) -> None:
        number = self._shard_of(path)
        del self._shard(number)[path]
        self._changed.add(number)

    def __iter__(self) -> Iterator[str]:
        for number in range(SHARDS):
            yield from self._shard(number)

    def __len__(self) -> int:
        return sum(len(self._shard(number)) for number in range(SHARDS))

    def copy(self) -> PageRows:
        """A copy to change, sharing the shards not decoded yet."""
        other = PageRows(self._raw)
        other._decoded = {number: dict(rows) for number, rows in self._decoded.items()}
        return other

    def markers(self) -> set[str | None]:
        """Every marker the rows hold (each row's page row's source commit)."""
        found: set[str | None] = set()
        for number in range(SHARDS):
            if number in self._decoded:
                found.update(row[1][_MARKER] for row in self._decoded[number].values())
            else:
                found.update(marshal.loads(self._raw[number][1]))
        return found

    def encoded(self) -> list[tuple[bytes, bytes]]:
        """The shards as kept: the changed ones marshalled anew."""
        shards = list(self._raw)
        for number in self._changed:
            rows = self._decoded[number]
            shards[number] = (marshal.dumps(rows),
                              marshal.dumps(tuple({row[1][_MARKER] for row in rows.values()})))
        return shards


def _is_history(data: dict[str, Any]) -> bool:
    commits, parents = data.get("commits"), data.get("parents")
    return (isinstance(commits, list) and isinstance(parents, list)
            and len(parents) == len(commits) and isinstance(data.get("changes"), dict)
            and isinstance(data.get("head_blobs"), dict))


# The codec of the rows a CachedPage holds: the one place that knows their layout, and where
# the enums become the plain strings marshal takes (and back). A page row holds a Page's fields
# but its sync note; a verdict row all of a Verdict's, in their order. An enum's value is read
# as ``_value_``, the attribute behind the ``value`` property, which costs 0.4 µs a call: a
# warm run with a page touched encodes 65,000 rows.


_MARKER = 3  # where a page row keeps the page's marker (its source commit)
_FRONT_KEYS = 8  # and its front matter's top-level keys


def page_row(page: Page) -> Row:
    """A page as kept."""
    return (page.path, page.locale, page.key, page.source_commit, page.title, page.marker_line,
            page.error, page.basis._value_, page.front_keys)


def page_of_row(row: Row) -> Page:
    """The page a page row keeps."""
    path, locale, key, source_commit, title, marker_line, error, basis, front_keys = row
    return Page(path, locale, key, source_commit, title, marker_line, error,
                BASIS_BY_VALUE[basis],
                front_keys=None if front_keys is None else tuple(front_keys))


def verdict_row(verdict: Verdict) -> Row:
    """A verdict as kept."""
    return (*verdict[:3], verdict.status._value_, *verdict[4:11], verdict.basis._value_,
            verdict.sync_commit)


def verdict_of_row(row: Row) -> Verdict:
    """The verdict a verdict row keeps."""
    path, locale, source_path, status, source_commit, behind, moved_to, message, title = row[:9]
    ignored, ratio, basis, sync_commit = row[9:13]
    return Verdict(path, locale, source_path, STATUS_BY_VALUE[status], source_commit, behind,
                   moved_to, message, title, None if ignored is None else tuple(ignored),
                   ratio, BASIS_BY_VALUE[basis], sync_commit)


def status_cache(config: Config) -> StatusCache:
    """The cache of the translations repository (a disabled one with ``--no-cache``)."""
    if not config.use_cache:
        return StatusCache(None, config)
    with GitRepository(config.translated_root) as repo:
        return StatusCache(cache_folder(repo.git_dir), config)


def output_token(scan_digest: str, context: str, unresolved: Mapping[str, bool]) -> str:
    return cache_key("output", scan_digest, context, sorted(unresolved.items()))


def verdicts_context(config: Config, head: str | None, shallow: bool) -> str:
    """Everything besides a page itself that its verdict depends on (unknown markers aside)."""
    return cache_key("verdicts", config.source_root, head, shallow)


def unchanged_token(config: Config, cache: StatusCache, scan: Scan) -> str | None:
    """The inputs' token when nothing that decides a verdict changed since the last full run.

    That is: the same page files with the same stamps, all older than that run (less the racy
    margin), the same English HEAD, no shallow clone, and git knows no marker it did not know.
    """
    snapshot = cache.snapshot()
    digest = scan.digest()
    unresolved = snapshot.get("unresolved")
    if (digest is None or snapshot.get("scan") != digest or not isinstance(unresolved, dict)
            or scan.newest_ns() >= int(snapshot.get("written_ns", 0)) - RACY_NS):
        return None
    english = cache.english_state(sorted(unresolved))
    context = verdicts_context(config, english.head, english.shallow)
    if english.shallow or snapshot.get("context") != context or any(
        (marker in english.known) != exists for marker, exists in unresolved.items()
    ):
        return None
    return output_token(digest, context, unresolved)
