"""The core of ``status``: find the pages, read their markers, read the English history once,
and hand everything to the pure rules in status.py.

Cold, the English history is read on a second thread while this one reads the pages: git works
on the other core, so a run costs about one pass of ``git log`` plus what does not overlap it.
Warm, three cache files under the translations repository's git directory answer instead:
folder listings (``tree.bin``), the history (``history.bin``, extended when English moved
forward) and each page's marker and verdict (``pages.bin``). When neither the English HEAD nor
any page changed, the verdicts are taken as they are and no history is read at all.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import posixpath
import signal
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from l10nsync.advice import advice_for
from l10nsync.align import (
    align_sections,
    change_ratio,
    diff_hunks,
    normalize_text,
    normalized_digest,
    section_for_lines,
    split_sections,
    squeezed_digest,
    text_digest,
)
from l10nsync.cache import cache_folder, cache_key, load_entry, store_entry
from l10nsync.checks import Committed, Finding, Problem, check_page
from l10nsync.config import Config
from l10nsync.diffcache import DiffCache, diff_key
from l10nsync.errors import UsageError
from l10nsync.frontmatter import page_body, parse_front_matter, read_front_matter, string_list
from l10nsync.gitrepo import GitRepository, Progress
from l10nsync.history import History, is_hex_revision
from l10nsync.layout import (
    FolderListing,
    PageFile,
    alias_keys,
    history_folder,
    in_folder,
    linked_folders,
    linked_pages_among,
    list_translated_pages,
    named_folders,
    pages_among,
    parse_redirects,
    resolve_named_pages,
    selected_locales,
    source_candidates,
    source_folder,
)
from l10nsync.links import SiteLinks, repository_links
from l10nsync.model import (
    STATUS_BY_VALUE,
    DiffCommit,
    DiffHunk,
    Page,
    PageDiff,
    PageStatus,
    Report,
    SectionRef,
    Status,
)
from l10nsync.safefiles import linked_message
from l10nsync.status import (
    Route,
    SourceFacts,
    compute_report,
    judge_page_alone,
    report_notes,
    source_pages,
    texts_to_compare,
    trace_pages,
    unresolved_markers,
)
from l10nsync.sync import HISTORY, MARKER, CommitRule, infer_sync_points, parse_commit_rules

# A file or folder changed less than this before a cache was written may change again within
# the same clock tick without its time stamp moving: it is read again next time.
_RACY_NS = 2_000_000_000
# Up to this many named pages, a run without a cached history reads only their history.
NARROW_LIMIT = 50

Stamp = tuple[int, int, int, int]  # size, inode, mtime_ns, ctime_ns


@dataclass
class StatusCache:
    """The cache files of one translations repository; a None folder caches nothing."""

    folder: Path | None
    config: Config
    _pages: dict[str, Any] = field(default_factory=dict)
    # The token of the inputs the last report of this run was made from (see unchanged_token).
    token: str | None = None
    _english: dict[tuple[str, ...], tuple[str | None, bool, set[str]]] = field(
        default_factory=dict)

    def english_state(self, markers: Sequence[str]) -> tuple[str | None, bool, set[str]]:
        """HEAD, shallowness and which of ``markers`` name commits, asked of git once a run."""
        key = tuple(markers)
        if key not in self._english:
            with GitRepository(self.config.source_root) as repo:
                self._english[key] = (repo.head(), repo.is_shallow(),
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
        if unresolved is not None and scan.newest_ns() < written_ns - _RACY_NS:
            self.token = _output_token(digest, context, unresolved)

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
        self._pages = {}

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
        return listings, written - _RACY_NS

    def keep_folder_listings(self, listings: dict[str, FolderListing], written_ns: int) -> None:
        self._store("tree.bin", {"listings": listings, "written_ns": written_ns},
                    *self._tree_key())

    def history(self) -> History | None:
        """The cached English history, if any and readable."""
        data = self._load("history.bin", self.config.source_root, _history_folder(self.config))
        if not isinstance(data, dict) or not _is_history(data):
            return None
        try:
            return History.from_data(data)
        except (KeyError, TypeError, ValueError):
            return None

    def keep_history(self, history: History) -> None:
        self._store("history.bin", history.to_data(), self.config.source_root,
                    _history_folder(self.config))

    def _pages_key(self) -> tuple[object, ...]:
        # Everything in the config but the --locale filter: verdicts are kept per path.
        return (repr(replace(self.config, locales=(), warnings=(), notes=())),)

    def pages(self) -> dict[str, Any]:
        """What the last run knew of each page: stamp, marker facts, verdict and their context."""
        if not self._pages:
            data = self._load("pages.bin", *self._pages_key())
            well_formed = (isinstance(data, dict) and isinstance(data.get("rows"), dict)
                           and isinstance(data.get("written_ns", 0), int)
                           and isinstance(data.get("unresolved", {}), dict)
                           and all(map(_is_page_row, data["rows"].values())))
            self._pages = data if well_formed and isinstance(data, dict) else {"rows": {}}
        return self._pages

    def keep_pages(self, value: dict[str, Any]) -> None:
        self._store("pages.bin", value, *self._pages_key())

    def snapshot(self) -> dict[str, Any]:
        """What the last full run saw: a digest of its page stamps, its context and markers."""
        data = self._load("snapshot.bin", repr(self.config))
        well_formed = (isinstance(data, dict) and isinstance(data.get("written_ns", 0), int)
                       and isinstance(data.get("unresolved", {}), dict | None))
        return data if well_formed and isinstance(data, dict) else {}

    def keep_snapshot(self, value: dict[str, Any]) -> None:
        self._store("snapshot.bin", value, repr(self.config))

    def output(self, token: str, options: str) -> tuple[str, list[str]] | None:
        """The text a run with these inputs (``token``) and output options printed, if kept."""
        data = self._load("output.bin", repr(self.config), token)
        found = data.get(options) if isinstance(data, dict) else None
        if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], str)
                and isinstance(found[1], list)):
            return None
        return found[0], found[1]

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


def _is_history(data: dict[str, Any]) -> bool:
    commits, parents = data.get("commits"), data.get("parents")
    return (isinstance(commits, list) and isinstance(parents, list)
            and len(parents) == len(commits) and isinstance(data.get("changes"), dict)
            and isinstance(data.get("head_blobs"), dict))


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
                facts.marker_line, facts.error)


def _page_row(page: Page) -> tuple[Any, ...]:
    return (page.path, page.locale, page.key, page.source_commit, page.title, page.marker_line,
            page.error, page.basis)


def _verdict_row(verdict: PageStatus) -> tuple[Any, ...]:
    return (*verdict[:3], verdict.status.value, *verdict[4:])


def _verdict(row: Sequence[Any]) -> PageStatus:
    path, locale, source_path, status, source_commit, behind, moved_to, message, title = row[:9]
    ignored, ratio, basis, sync_commit = row[9:13]
    return PageStatus(path, locale, source_path, STATUS_BY_VALUE[status], source_commit, behind,
                      moved_to, message, title, None if ignored is None else tuple(ignored),
                      ratio, basis, sync_commit)


def load_history(
    config: Config,
    cache: StatusCache,
    known: History | None = None,
    progress: Progress | None = None,
) -> History:
    """The English history, from the cache when it is for this HEAD or an ancestor of it."""
    known = known or cache.history()
    with GitRepository(config.source_root) as repo:
        history = repo.read_history(_history_folder(config), known, progress)
    if history.commits and history is not known:
        cache.keep_history(history)
    return history


def _candidates(config: Config, page: Page) -> list[str]:
    return source_candidates(config, page.key, posixpath.splitext(page.path)[1])


def read_narrow_source(config: Config, pages: Sequence[Page]) -> tuple[History, dict[Any, str]]:
    """For a few named pages with no cached history: only what those pages need.

    A page whose English text at its marker's commit is the text at HEAD is in step, which
    git tells by comparing two blobs; the history of the other pages is read since their
    markers only (see ``GitRepository.read_narrow_history``). This is the pre-commit case.
    """
    folder = source_folder(config)
    with GitRepository(config.source_root) as repo:
        head = repo.head()
        head_blobs = repo.files_at_head(folder)
        markers = {page.source_commit for page in pages if page.source_commit}
        resolved = {marker: sha for marker, sha in repo.resolve_commits(markers).items()
                    if head is not None and repo.is_ancestor(sha, head)}
        wanted = [(resolved[page.source_commit], candidate, page)
                  for page in pages if page.source_commit in resolved
                  for candidate in _candidates(config, page)]
        blobs = repo.blobs_at([(sha, candidate) for sha, candidate, _page in wanted])
        same_text: dict[Any, str] = {}
        settled: set[Page] = set()
        for sha, candidate, page in wanted:
            blob = blobs.get((sha, candidate))
            if page in settled or blob is None:
                continue
            settled.add(page)  # the first candidate present at the marker is the page
            if blob == head_blobs.get(candidate):
                same_text[(page.source_commit, candidate)] = sha
        rest = [page for page in pages
                if not any((page.source_commit, c) in same_text for c in _candidates(config, page))]

        def paths_of(page: Page) -> list[str]:
            # The English file at HEAD (or else at the marker) is enough: the history of
            # every other name it had is found through its renames.
            candidates = _candidates(config, page)
            sha = resolved.get(page.source_commit or "")
            return ([c for c in candidates if c in head_blobs]
                    or [c for c in candidates if (sha, c) in blobs] or candidates)

        history = repo.read_narrow_history(
            folder,
            {path for page in rest for path in paths_of(page)},
            {page.source_commit for page in rest if page.source_commit},
            head_blobs,
        )
    return history, same_text


def reads_translation_history(config: Config) -> bool:
    """True when sync points may come from the translations' own history (one repository)."""
    if config.basis == HISTORY and not config.same_repository:
        raise UsageError("basis 'history' needs the English pages and the translations in one "
                         f"repository; {config.translated_root} is not {config.source_root}")
    return config.same_repository and config.basis != MARKER


def _history_folder(config: Config) -> str:
    return history_folder(config, reads_translation_history(config))


def read_commit_rules(config: Config) -> dict[str, CommitRule]:
    """The commit rules of the English history (see sync.py), for a thread of their own."""
    with GitRepository(config.source_root) as repo:
        return _commit_rules(config, repo)


def _commit_rules(config: Config, repo: GitRepository) -> dict[str, CommitRule]:
    words = [*config.ignore_keywords, config.ignore_directive, config.track_directive]
    messages = repo.messages_mentioning(words, _history_folder(config))
    return parse_commit_rules(messages, config.ignore_keywords, config.ignore_directive,
                              config.track_directive, config.project_folder)


def infer_pages(config: Config, pages: Sequence[Page], facts: SourceFacts) -> dict[Page, Page]:
    """The pages whose sync point comes from their history, with it in place of a marker."""
    if not reads_translation_history(config):
        return {}
    wanted = [page for page in pages if page.error is None
              and (config.basis == HISTORY or page.source_commit is None)]
    if not wanted:
        return {}
    with GitRepository(config.source_root) as repo:

        def cosmetic_of(pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
            return cosmetic_pairs(repo, pairs)

        return infer_sync_points(facts.history, wanted, facts.commit_rules, cosmetic_of,
                                 config.review_touches)


def cosmetic_pairs(
    repo: GitRepository, pairs: Sequence[tuple[str, str]]
) -> set[tuple[str, str]]:
    """The (old, new) blob pairs whose texts differ only cosmetically (see normalize_text).

    Squeezed digests rule out almost every pair at a tenth of the cost of normalizing; only
    pairs that squeeze alike are normalized, while their bytes are still at hand. Blobs are
    asked for in the order given, so versions of one file follow each other: git's delta
    cache serves them, and a pair's two blobs arrive close together.
    """
    wanted = [pair for pair in pairs if pair[0] and pair[1] and pair[0] != pair[1]]
    partners: dict[str, list[str]] = {}
    for old, new in wanted:
        partners.setdefault(old, []).append(new)
        partners.setdefault(new, []).append(old)
    squeezed: dict[str, str] = {}
    normalized: dict[str, str] = {}
    recent: OrderedDict[str, bytes] = OrderedDict()  # the last blobs read, by id
    late: set[str] = set()  # blobs to normalize that left ``recent`` before their partner came
    for blob, data in repo.read_blobs(partners):
        squeezed[blob] = digest = squeezed_digest(data)
        recent[blob] = data
        if len(recent) > 64:
            recent.popitem(last=False)
        for other in partners[blob]:
            if squeezed.get(other) != digest:
                continue
            if blob not in normalized:
                normalized[blob] = normalized_digest(data)
            if other not in normalized:
                if other in recent:
                    normalized[other] = normalized_digest(recent[other])
                else:
                    late.add(other)
    normalized.update((blob, normalized_digest(data)) for blob, data in repo.read_blobs(late))
    return {pair for pair in wanted
            if pair[0] in normalized and normalized[pair[0]] == normalized.get(pair[1])}


def not_ready_pages(config: Config, history: History) -> frozenset[str]:
    """English pages whose ``localizable_property`` is not true: not to be translated yet."""
    if not config.localizable_property:
        return frozenset()
    paths = {history.head_blobs[path]: path for path in source_pages(config, history)}
    with GitRepository(config.source_root) as repo:
        return frozenset(
            paths[blob] for blob, data in repo.read_blobs(sorted(paths))
            if (parse_front_matter(data, config.localizable_property).marker or "").lower()
            != "true"
        )


def _redirects(config: Config, repo: GitRepository, history: History) -> dict[str, str]:
    path = in_folder(source_folder(config), config.redirects_file)
    blob = history.head_blobs.get(path)
    if not blob:
        return {}
    return parse_redirects(repo.read_blob(blob).decode("utf-8", errors="replace"),
                           config.source_locale)


def _moved_by_aliases(config: Config, repo: GitRepository, history: History) -> dict[str, str]:
    """Old URL key -> English page at HEAD, from the pages' ``aliases_property`` (Hugo)."""
    if not config.aliases_property:
        return {}
    paths = {history.head_blobs[path]: path for path in source_pages(config, history)}
    moved: dict[str, str] = {}
    for blob, data in repo.read_blobs(sorted(paths)):
        aliases = string_list(data, config.aliases_property)
        for key in alias_keys(config, paths[blob], aliases):
            moved.setdefault(key, paths[blob])
    return moved


def read_source_facts(
    config: Config,
    history: History,
    pages: Sequence[Page],
    rules: Mapping[str, CommitRule] | None = None,
) -> SourceFacts:
    """What status needs from the English repository besides its history (``rules``: the
    commit rules, if the caller read them already)."""
    _check_source(config, history)
    unresolved = unresolved_markers(pages, history)
    with GitRepository(config.source_root) as repo:
        redirects = _redirects(config, repo, history)
        aliases = _moved_by_aliases(config, repo, history)
        elsewhere = repo.existing_commits(unresolved)
        ignore_revs = repo.read_file_at_head(config.ignore_revs_file)
        if rules is None:
            rules = _commit_rules(config, repo)
    known = {marker: marker in elsewhere for marker in sorted(unresolved)}
    ignored = set()
    for line in (ignore_revs or b"").decode("utf-8", errors="replace").splitlines():
        revision = line.split("#", 1)[0].strip()
        sha = history.resolve(revision)[0] if is_hex_revision(revision) else None
        if sha is not None:
            ignored.add(sha)
    return SourceFacts(history=history, redirects=redirects, aliases=aliases,
                       known_elsewhere=known,
                       ignored_revisions=frozenset(ignored), commit_rules=rules)


def read_texts(config: Config, pages: Sequence[Page], facts: SourceFacts,
               on_blob: Callable[[str, bytes], None] | None = None) -> SourceFacts:
    """Add the normalized English texts that the verdicts of ``pages`` compare (``on_blob``
    is shown each English text as read, for a caller that needs them too).

    Only pages whose English text differs since their marker need any; of those, the changes
    in between are read only where the two ends differ by more than whitespace and more than
    one commit changed the page (with one, that commit is the whole difference). Blobs of a
    file are asked for together, so git's delta cache serves most of them.
    """
    comparisons, routes = texts_to_compare(config, pages, facts)
    if not comparisons:
        return replace(facts, routes=routes)
    comparisons.sort(key=lambda comparison: comparison.path)
    digests: dict[str, str] = {}
    texts: dict[str, str] = {}
    with GitRepository(config.source_root) as repo:
        ends = dict.fromkeys(blob for c in comparisons for blob in c.ends if blob)
        for blob, data in repo.read_blobs(ends):
            if on_blob is not None:
                on_blob(blob, data)
            texts[blob] = text = normalize_text(data.decode("utf-8", errors="replace"))
            digests[blob] = text_digest(text)
        cosmetic = cosmetic_pairs(repo, [
            change for c in comparisons
            if len(c.changes) > 1 and digests.get(c.ends[0]) != digests.get(c.ends[1])
            for change in c.changes
        ])
    return replace(facts, digests=digests, texts=texts, routes=routes,
                   cosmetic_changes=frozenset(cosmetic))


def _check_source(config: Config, history: History) -> None:
    folder = source_folder(config)
    if not history.commits:
        raise UsageError(f"{config.source_root}: the English repository has no commits")
    if not history.head_blobs:
        raise UsageError(
            f"{config.source_root}: no English source found ({folder}/ is empty at HEAD); "
            "pass --source-root or set CONTENT_ROOT to the English content repository"
        )


def status_cache(config: Config) -> StatusCache:
    """The cache of the translations repository (a disabled one with ``--no-cache``)."""
    if not config.use_cache:
        return StatusCache(None, config)
    with GitRepository(config.translated_root) as repo:
        return StatusCache(cache_folder(repo.git_dir), config)


def _context(config: Config, head: str | None, shallow: bool) -> str:
    """Everything besides a page itself that its verdict depends on (unknown markers aside)."""
    return cache_key("verdicts", config.source_root, head, shallow)


def build_status_report(
    config: Config,
    names: Sequence[str] = (),
    *,
    cwd: Path,
    untranslated: bool = False,
    progress: Progress | None = None,
    scan: Scan | None = None,
    cache: StatusCache | None = None,
    on_facts: Callable[[SourceFacts], None] | None = None,
    dictionaries: Sequence[Any] | None = None,
    on_blob: Callable[[str, bytes], None] | None = None,
) -> Report:
    """Judge every translated page (or the named ones) against the English HEAD, and the
    UI-string dictionaries (every one, or those named or given in ``dictionaries``).

    ``progress`` is told how far the long reads are, for a progress bar; ``scan`` is the
    pages found already, and ``cache`` the cache, if the caller has them (the cache's
    ``token`` then names the inputs). ``on_facts`` is given what was read of the English
    side, history included, when it was read, for a caller that needs it next, and ``on_blob``
    each English text read (see ``read_texts``).
    """
    cache = cache or status_cache(config)
    if config.dictionaries and names:
        from l10nsync.dictionaries import split_names

        named_dictionaries, names = split_names(config, names, cwd)
        dictionaries = [*(dictionaries or ()), *named_dictionaries]
        if not names:  # only dictionaries were named: no page to judge
            with GitRepository(config.source_root) as repo:
                head = repo.head() or ""
            return _with_dictionaries(config, Report(str(config.source_root), head, ()),
                                      dictionaries, named=True)
    try:
        return _status_report(config, names, cwd, untranslated, progress, scan, cache, on_facts,
                              dictionaries, on_blob)
    except CACHE_SHAPE_ERRORS:
        if cache.folder is None:
            raise
    # A cache entry with a valid checksum but a shape this code does not expect (written by
    # something else): the cache is dropped and the report built again from the repositories.
    cache.forget()
    return _status_report(config, names, cwd, untranslated, progress, None, status_cache(config),
                          on_facts, dictionaries, on_blob)



def _status_report(
    config: Config,
    names: Sequence[str],
    cwd: Path,
    untranslated: bool,
    progress: Progress | None,
    scan: Scan | None,
    cache: StatusCache,
    on_facts: Callable[[SourceFacts], None] | None,
    dictionaries: Sequence[Any] | None,
    on_blob: Callable[[str, bytes], None] | None = None,
) -> Report:
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="l10nsync-history") as pool:
        # Dictionaries ask git their own questions: on a thread, git works while pages are read.
        judged_dictionaries = (pool.submit(_judge_dictionaries, config, dictionaries,
                                           bool(names)) if config.dictionaries else None)
        early = None
        if scan is None and not names and cache.folder is None:
            # Nothing cached can spare the history: read it while the pages are found
            # (once the locales are known to be right, so a typo fails at once).
            selected_locales(config)
            early = (pool.submit(load_history, config, cache, None, progress),
                     pool.submit(read_commit_rules, config))
        scan = scan or scan_pages(config, names, cwd, cache)
        report = _build_status_report(config, names, cwd, untranslated, progress, scan, cache,
                                      pool, early, on_facts, on_blob)
    # Links not followed: said once each, as a note (named pages were refused already).
    if scan.links:
        report = replace(report, notes=(*report.notes, *map(linked_message, scan.links)))
    report = replace(report, locale_labels=config.locale_labels,
                     links=site_links(config, report.source_head))
    return _with_dictionaries(config, report, dictionaries, named=bool(names),
                              judged=judged_dictionaries)


def _judge_dictionaries(config: Config, dictionaries: Sequence[Any] | None,
                        named: bool) -> tuple[Any, ...]:
    """The UI-string dictionaries judged: the named ones, or every one when no page was
    named (none without a ``dictionaries`` setting)."""
    if not config.dictionaries:
        return ()
    from l10nsync.dictionaries import build_dictionary_statuses, list_dictionary_files

    files = (list_dictionary_files(config) if dictionaries is None and not named
             else list(dictionaries or ()))
    return tuple(build_dictionary_statuses(config, files))


def _with_dictionaries(config: Config, report: Report, dictionaries: Sequence[Any] | None,
                       *, named: bool, judged: Future[tuple[Any, ...]] | None = None) -> Report:
    """The report with its UI-string dictionaries (``judged``: already on their way)."""
    found = judged.result() if judged is not None else _judge_dictionaries(
        config, dictionaries, named)
    return replace(report, dictionaries=found) if found else report


def site_links(config: Config, english_head: str) -> SiteLinks:
    """Web links to both repositories: the configured ``repository_url`` or each one's
    ``origin`` remote; file links follow the translations' branch and ``english_head``
    (default: the English repository's HEAD)."""
    with GitRepository(config.translated_root) as repo:
        url = config.repository_url or repo.remote_url()
        translations = repository_links(url, repo.branch() or repo.head() or "HEAD")
    if config.same_repository:
        english = translations
    else:
        with GitRepository(config.source_root) as repo:
            url = repo.remote_url()
            english = None if url is None else repository_links(
                url, english_head or repo.head() or "HEAD")
    return SiteLinks(translations, english)


def _build_status_report(
    config: Config,
    names: Sequence[str],
    cwd: Path,
    untranslated: bool,
    progress: Progress | None,
    scan: Scan,
    cache: StatusCache,
    pool: ThreadPoolExecutor,
    early: tuple[Future[History], Future[dict[str, CommitRule]]] | None,
    on_facts: Callable[[SourceFacts], None] | None,
    on_blob: Callable[[str, bytes], None] | None = None,
) -> Report:
    files, locales, stamps, started = scan.files, scan.locales, scan.stamps, scan.started
    saved = cache.pages()
    rows: dict[str, Any] = saved["rows"]
    # Markers that name no commit of the English history, and whether git knew them elsewhere.
    unresolved: dict[str, bool] = dict(saved.get("unresolved", {}))
    trusted_before = int(saved.get("written_ns", 0)) - _RACY_NS
    unchanged = [
        stamp is not None and stamp[2] < trusted_before and f.path in rows
        and tuple(rows[f.path][0]) == stamp
        for f, stamp in zip(files, stamps, strict=True)
    ]
    if cache.folder is not None and all(unchanged) and not untranslated:
        head, shallow, found = cache.english_state(sorted(unresolved))
        context = _context(config, head, shallow)
        # A shallow clone can deepen without HEAD moving: its verdicts are never reused.
        if not shallow and saved.get("context") == context and all(
            (marker in found) == exists for marker, exists in unresolved.items()
        ):
            verdicts = [_verdict(rows[f.path][2]) for f in files]
            notes = report_notes(shallow, verdicts, unresolved)
            cache.remember_inputs(scan, context, unresolved, int(saved["written_ns"]))
            return Report(str(config.source_root), str(head), tuple(verdicts), tuple(notes),
                          english_pages=int(saved.get("english_pages", 0)))

    def pages_now() -> list[Page]:
        pages = []
        for number, (f, same) in enumerate(zip(files, unchanged, strict=True), start=1):
            pages.append(Page(*rows[f.path][1]) if same else read_page(config, f))
            if progress is not None and (number % 1000 == 0 or number == len(files)):
                progress("Reading translated pages", number, len(files))
        return pages

    same_text: dict[Any, str] = {}
    rules: dict[str, CommitRule] | None = None
    known_history = cache.history()
    if (names and len(files) <= NARROW_LIMIT and known_history is None
            and not reads_translation_history(config)):
        pages = pages_now()
        history, same_text = read_narrow_source(config, pages)
    else:
        history_job, rules_job = early or (
            pool.submit(load_history, config, cache, known_history, progress),
            pool.submit(read_commit_rules, config))
        pages = pages_now()
        history = history_job.result()
        rules = rules_job.result()
    facts = replace(read_source_facts(config, history, pages, rules), same_text_since=same_text)
    context = _context(config, history.head, history.shallow)
    same_context = saved.get("context") == context and not history.shallow
    known = {}
    if same_context:
        # A page whose marker git may learn about without English HEAD moving is judged anew.
        known = {page: _verdict(rows[page.path][2]) for page in pages
                 if page.path in rows and tuple(rows[page.path][1]) == _page_row(page)
                 and page.source_commit not in facts.known_elsewhere}
    inferred = infer_pages(config, [page for page in pages if page not in known], facts)
    judged = [inferred.get(page, page) for page in pages]
    facts = read_texts(config, [page for page in judged if page not in known], facts, on_blob)
    listed = locales if untranslated else []
    report = compute_report(config, judged, facts, untranslated_locales=listed, known=known,
                            not_ready=not_ready_pages(config, history) if listed else ())
    report = replace(report, english_pages=len(source_pages(config, history)))
    if listed and names:
        report = _untranslated_within(config, report, names, cwd)
    if on_facts is not None:
        on_facts(facts)
    if cache.folder is not None:
        by_path = {verdict.path: verdict for verdict in report.pages}
        fresh = dict(rows) if same_context else {}
        for page, stamp in zip(pages, stamps, strict=True):
            if stamp is not None:
                fresh[page.path] = (stamp, _page_row(page), _verdict_row(by_path[page.path]))
        markers = {row[1][3] for row in fresh.values()}
        merged = {**(unresolved if same_context else {}), **facts.known_elsewhere}
        cache.keep_pages({
            "rows": fresh,
            "context": context,
            "unresolved": {m: exists for m, exists in merged.items() if m in markers},
            "written_ns": started,
            "english_pages": report.english_pages,
        })
        cache.remember_inputs(scan, context, None if history.shallow else merged, started)
    return report


def _untranslated_within(config: Config, report: Report, names: Sequence[str],
                         cwd: Path) -> Report:
    """The report with only the untranslated pages inside the named folders."""
    folders = named_folders(config, names, cwd)
    kept = tuple(page for page in report.pages if page.status is not Status.UNTRANSLATED
                 or any(page.path.startswith(folder) for folder in folders))
    return replace(report, pages=kept)


def _output_token(scan_digest: str, context: str, unresolved: Mapping[str, bool]) -> str:
    return cache_key("output", scan_digest, context, sorted(unresolved.items()))


def unchanged_token(config: Config, cache: StatusCache, scan: Scan) -> str | None:
    """The inputs' token when nothing that decides a verdict changed since the last full run.

    That is: the same page files with the same stamps, all older than that run (less the racy
    margin), the same English HEAD, no shallow clone, and git knows no marker it did not know.
    """
    snapshot = cache.snapshot()
    digest = scan.digest()
    unresolved = snapshot.get("unresolved")
    if (digest is None or snapshot.get("scan") != digest or not isinstance(unresolved, dict)
            or scan.newest_ns() >= int(snapshot.get("written_ns", 0)) - _RACY_NS):
        return None
    head, shallow, found = cache.english_state(sorted(unresolved))
    context = _context(config, head, shallow)
    if shallow or snapshot.get("context") != context or any(
        (marker in found) != exists for marker, exists in unresolved.items()
    ):
        return None
    return _output_token(digest, context, unresolved)


def status_output(
    config: Config,
    names: Sequence[str],
    *,
    cwd: Path,
    untranslated: bool,
    options: str,
    render: Callable[[Report], str],
    progress: Progress | None = None,
    enrich: Callable[[Report, SourceFacts | None], Report] | None = None,
    on_blob: Callable[[str, bytes], None] | None = None,
) -> tuple[str, frozenset[str]]:
    """``render`` of the status report, and what it found (see ``Report.findings``).

    ``enrich`` adds to the report what the output options ask for (drift, popularity), given
    what was read of the English side when it was read (``on_blob``: each English text read,
    see ``read_texts``); ``options`` must name all of that.
    When nothing changed since the last run, the text that run printed with the same
    ``options`` is printed again: on MDN that skips loading 65,000 verdicts and encoding them.
    """
    cache = status_cache(config)
    read: list[SourceFacts] = []

    def completed(report: Report) -> Report:
        report = replace(report, advice=advice_for(config, report.pages))
        return enrich(report, read[-1] if read else None) if enrich is not None else report

    if config.dictionaries:
        from l10nsync.dictionaries import split_names, stamps_digest

        named_dictionaries, page_names = split_names(config, names, cwd)
        if named_dictionaries and not page_names:
            report = build_status_report(config, names, cwd=cwd)
            return render(report), frozenset()
        names, dictionaries = page_names, named_dictionaries or None
        # The printed text also depends on the dictionaries: their stamps join the key.
        options = f"{options}\0dictionaries={stamps_digest(config)}"
    else:
        dictionaries = None
    if cache.folder is None:  # --no-cache: let the report read the history while it scans
        report = completed(build_status_report(config, names, cwd=cwd, untranslated=untranslated,
                                               progress=progress, on_facts=read.append,
                                               on_blob=on_blob, dictionaries=dictionaries))
        return render(report), frozenset(report.findings())
    scan = scan_pages(config, names, cwd, cache)
    options = f"{options}\0untranslated={untranslated}"
    token = unchanged_token(config, cache, scan)
    if token is not None:
        kept = cache.output(token, options)
        if kept is not None:
            return kept[0], frozenset(kept[1])
    report = completed(build_status_report(config, names, cwd=cwd, untranslated=untranslated,
                                           progress=progress, scan=scan, cache=cache,
                                           on_facts=read.append, on_blob=on_blob,
                                           dictionaries=dictionaries))
    text = render(report)
    statuses = sorted(report.findings())
    if cache.token is not None:
        cache.keep_output(cache.token, options, text, statuses)
    return text, frozenset(statuses)


def build_page_diff(config: Config, name: str, *, cwd: Path) -> PageDiff:
    """What changed in English since one translated page's marker, mapped onto its sections."""
    files = resolve_named_pages(config, [name], cwd)
    if len(files) != 1:
        raise UsageError(f"{name}: diff takes one translated page, not a folder")
    cache = status_cache(config)
    try:
        return _page_diff(config, files[0], cache, cache.history())
    except CACHE_SHAPE_ERRORS:
        if cache.folder is None:
            raise
    cache.forget()  # a cached history of another shape: read it again
    return _page_diff(config, files[0], cache, None)


def _page_diff(
    config: Config, page_file: PageFile, cache: StatusCache, history: History | None
) -> PageDiff:
    page = read_page(config, page_file)
    with GitRepository(config.source_root) as repo:
        if history is not None and history.head != repo.head():
            history = None
        if history is None and not reads_translation_history(config):
            markers = {page.source_commit} if page.source_commit else set()
            candidates = set(_candidates(config, page))
            history = repo.read_narrow_history(source_folder(config), candidates, markers)
    if history is None:  # the page's own history is needed to find its sync point
        history = load_history(config, cache)
    facts = read_source_facts(config, history, [page])
    page = infer_pages(config, [page], facts).get(page, page)
    facts = read_texts(config, [page], facts)
    verdict = judge_page_alone(config, page, facts)
    diffs, refused = page_diffs(config, [page], facts, {page.path: verdict})
    if page.path in refused:
        raise UsageError(f"no English diff to show ({refused[page.path].status.value}): "
                         f"{refused[page.path].message}", path=page.path)
    return diffs[page.path]


def page_diffs(
    config: Config,
    pages: Sequence[Page],
    facts: SourceFacts,
    verdicts: Mapping[str, PageStatus],
    cache: DiffCache | None = None,
) -> tuple[dict[str, PageDiff], dict[str, PageStatus]]:
    """The English diff of each page since its marker (pages without one: their verdicts).

    One pass for many pages: markers resolved once, every blob in one ``cat-file``, every
    commit's date and subject in one ``git log``. With a ``cache``, only pages whose English
    ends or translated text changed since it was written are read and aligned.
    """
    cache = cache or DiffCache(None)
    history = facts.history
    routes = trace_pages(config, pages, facts)
    found = {page: route for page, route in routes.items() if isinstance(route, Route)}
    refused = {page.path: route for page, route in routes.items()
               if isinstance(route, PageStatus)}
    ordered = sorted(found.items(), key=lambda item: item[1].path_now)
    translated = {page: (config.translated_root / page.path).read_bytes() for page, _ in ordered}
    keys = {page: diff_key(route.blob_then, history.head_blobs.get(route.path_now, ""),
                           translated[page], config.section_cutoff) for page, route in ordered}
    known = {page: kept for page in keys if (kept := cache.hunks(keys[page])) is not None}
    missing = [page for page in keys if page not in known]
    wanted = [blob for page in missing for blob in keys[page][:2] if blob]
    shas = {history.commits[change.commit] for route in found.values()
            for change in route.lineage.changes}
    summaries = cache.commit_summaries(shas)
    contents: dict[str, bytes] = {}
    if wanted or len(summaries) < len(shas):
        with GitRepository(config.source_root) as repo:
            contents = dict(repo.read_blobs(dict.fromkeys(wanted)))
            read = repo.commit_summaries(shas - summaries.keys())
        cache.keep_commit_summaries(read)
        summaries.update(read)
    jobs = [(contents.get(keys[page][0], b"").decode("utf-8", errors="replace"),
             contents.get(keys[page][1], b"").decode("utf-8", errors="replace"),
             translated[page].decode("utf-8", errors="replace"),
             config.section_cutoff) for page in missing]
    for page, computed in zip(missing, _diff_all(jobs), strict=True):
        known[page] = computed
        # A blob git did not give would be read as an empty text: not worth keeping.
        if all(blob in contents for blob in keys[page][:2] if blob):
            cache.keep_hunks(keys[page], computed)
    diffs = {}
    for page, route in ordered:
        verdict = verdicts[page.path]
        ignored = set(verdict.ignored_commits or ())
        changed = [history.commits[change.commit] for change in route.lineage.changes]
        commits = tuple(
            DiffCommit(sha, *summaries.get(sha, ("", "")), counted=sha not in ignored)
            for sha in reversed(changed)
        )
        hunks, ratio = known[page]
        diffs[page.path] = PageDiff(
            path=page.path,
            status=verdict.status,
            source_path=route.path_then,
            current_path=route.path_now,
            source_commit=route.sha,
            head_commit=history.head,
            moved_to=verdict.moved_to,
            commits=commits,
            hunks=hunks,
            change_ratio=ratio,
        )
    return diffs, refused


# Below this many pages, starting worker processes costs more than it saves.
_PARALLEL_FROM = 400


def _diff_all(
    jobs: Sequence[tuple[str, str, str, float]]
) -> list[tuple[tuple[DiffHunk, ...], float]]:
    """Hunks and change ratio of every (old, new, translated, cutoff), on every core.

    Aligning sections is pure Python and the costliest part of a dashboard (about 1 ms a
    page); with thousands of pages it is spread over worker processes.
    """
    cores = os.cpu_count() or 1
    if cores < 2 or len(jobs) < _PARALLEL_FROM:
        return [_diff_one(job) for job in jobs]
    # A Ctrl-C while the workers are forked would reach them before their initializer runs,
    # and each would print a traceback: SIGINT is held (not lost) in this thread until every
    # worker exists, and the workers inherit it held.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = ProcessPoolExecutor(max_workers=cores, initializer=_leave_interrupts_to_parent)
        pool.submit(int)  # forks every worker now (the fork start method starts them all)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    try:
        results = list(pool.map(_diff_one, jobs, chunksize=128))
    except BaseException:
        # Ctrl-C: stop at once, without waiting for the queued work (the workers ignore
        # SIGINT, so none prints a traceback of its own; the CLI exits 130).
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


def _leave_interrupts_to_parent() -> None:
    """In a worker process: Ctrl-C reaches the whole process group, and only the parent
    should answer it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _diff_one(job: tuple[str, str, str, float]) -> tuple[tuple[DiffHunk, ...], float]:
    old, new, translated, cutoff = job
    return tuple(map_hunks(old, new, translated, cutoff)), change_ratio(old, new)


def map_hunks(old: str, new: str, translated: str, cutoff: float) -> list[DiffHunk]:
    """The English hunks from ``old`` to ``new``, each with the translated section it is in."""
    english = split_sections(old)
    translation = split_sections(translated)
    matches = align_sections(english, translation, cutoff)
    hunks = []
    for hunk in diff_hunks(old, new):
        # The changed lines, not the context around them, decide the section.
        first, last = hunk.old_change_span
        found = section_for_lines(first, last, english, matches, translation)
        index = next((n for n, section in enumerate(english)
                      if section.start_line <= last and section.end_line >= first), None)
        best = next((m.score for m in matches if m.english == index), 0.0)
        ref = None
        if found is not None:
            section, score = found
            ref = SectionRef(section.heading, section.start_line, section.end_line, score)
        # Title, slug...: lines before the intro's first line are the front matter's.
        in_front_matter = bool(english) and last < english[0].start_line
        hunks.append(DiffHunk(hunk.old_start, hunk.old_lines, hunk.new_start, hunk.new_lines,
                              tuple(hunk.lines), ref, best, in_front_matter))
    return hunks


def check_files(
    config: Config, names: Sequence[str], *, cwd: Path, against: str | None = None
) -> tuple[list[Finding], list[PageStatus]]:
    """The pre-commit check: findings for the translated pages among ``names``, and verdicts.

    Files that are not translated pages are ignored. Pages are read from the working tree
    (pre-commit has stashed what is not staged) and compared with the translations
    repository's HEAD (or the commit ``against``, a pull request's base), to tell a stale
    edit and a marker moved backwards.
    """
    files = pages_among(config, names, cwd)
    # A page reached through a link is never read, and never passes silently either.
    linked = [Finding(path, Problem.LINKED_PATH, linked_message(link),
                      f"replace {link} with a real folder or file")
              for path, link in linked_pages_among(config, names, cwd)]
    if not files:
        return linked, []
    report = build_status_report(config, [f.path for f in files], cwd=config.translated_root)
    verdicts = {verdict.path: verdict for verdict in report.pages}
    committed = committed_pages(config, [f.path for f in files], against)
    now = {f.path: (config.translated_root / f.path).read_bytes() for f in files}
    markers_now = {path: parse_front_matter(data, config.marker_key,
                                            config.front_matter_limit).marker
                   for path, data in now.items()}
    backwards = markers_moved_backwards(config, markers_now, committed)
    advice = advice_for(config, report.pages)
    findings = []
    for path, data in now.items():
        verdict = verdicts[path]
        found = check_page(verdict, page_body(data), markers_now[path],
                           committed.get(path), moved_backwards=path in backwards,
                           allow_stale_edits=config.allow_stale_edits,
                           advice=advice.get(path))
        if found is not None:
            findings.append(found)
    return sorted([*findings, *linked], key=lambda finding: finding.path), list(report.pages)


def committed_pages(
    config: Config, paths: Sequence[str], revision: str | None = None
) -> dict[str, Committed]:
    """The given pages as the translations repository's HEAD (or ``revision``, a full SHA)
    has them; pages new since are absent."""
    with GitRepository(config.translated_root) as repo:
        head = revision or repo.head()
        if head is None:
            return {}
        blobs = repo.blobs_at([(head, path) for path in paths])
        contents = dict(repo.read_blobs(sorted(set(blobs.values()))))
    committed = {}
    for (_head, path), blob in blobs.items():
        data = contents.get(blob, b"")
        committed[path] = Committed(
            parse_front_matter(data, config.marker_key, config.front_matter_limit).marker,
            page_body(data))
    return committed


def markers_moved_backwards(
    config: Config, markers_now: dict[str, str | None], committed: dict[str, Committed]
) -> set[str]:
    """Pages whose marker now names a strict ancestor of the commit it named before."""
    pairs = {
        path: (committed[path].marker, marker)
        for path, marker in markers_now.items()
        if path in committed and marker and committed[path].marker
        and marker != committed[path].marker
        and is_hex_revision(marker) and is_hex_revision(str(committed[path].marker))
    }
    if not pairs:
        return set()
    backwards = set()
    with GitRepository(config.source_root) as repo:
        resolved = repo.resolve_commits({m for pair in pairs.values() for m in pair if m})
        for path, (before, after) in pairs.items():
            old_sha, new_sha = resolved.get(str(before)), resolved.get(str(after))
            if old_sha and new_sha and old_sha != new_sha and repo.is_ancestor(new_sha, old_sha):
                backwards.add(path)
    return backwards
