"""The work queue a locale follows: each page's structural drift (read from git and disk in one
batch) and popularity, added to a status report so that it can be sorted by priority.

See rules/drift.py for what drift compares and model.Report.priority_of for the order.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing.context import BaseContext
from pathlib import Path

from l10nsync.cache.status import status_cache
from l10nsync.config import Config
from l10nsync.errors import UsageError
from l10nsync.facts import load_history, read_source_facts
from l10nsync.gitrepo import GitRepository
from l10nsync.layout import page_file_for
from l10nsync.model import Basis, Drift, Page, Report, Status, Verdict
from l10nsync.popularity import popularity_of_pages, read_popularity
from l10nsync.rules.drift import compare_structures, read_structure
from l10nsync.rules.status import Route, SourceFacts, trace_pages

# Pages whose English text at the sync point is known and still the page's: the others
# (moved, orphaned, no usable marker) have nothing to be compared with.
DRIFT_STATUSES = frozenset({Status.UP_TO_DATE, Status.OUTDATED})


@dataclass(frozen=True)
class QueueOptions:
    """What a run adds to its report: drift (with its threshold) and popularity scores."""

    drift: bool = False
    drift_threshold: float = 0.1
    popularity_file: Path | None = None


def queue_options(config: Config, *, drift: bool, drift_threshold: float | None,
                  popularity_file: str | None) -> QueueOptions:
    """The options of a run: flags, then the config file's keys."""
    threshold = config.drift_threshold if drift_threshold is None else drift_threshold
    if not 0.0 <= threshold <= 1.0:
        raise UsageError(f"--drift-threshold {threshold} must be between 0 and 1")
    chosen = popularity_file or config.popularity_file
    return QueueOptions(drift, threshold, Path(chosen) if chosen else None)


class WorkQueue:
    """What a run adds to its report (see QueueOptions); the English texts status reads are
    kept (``keep_blob``), so that drift reads each blob only once."""

    def __init__(self, config: Config, options: QueueOptions) -> None:
        self.config = config
        self.options = options
        self.english: dict[str, bytes] = {}

    def keep_blob(self, blob: str, data: bytes) -> None:
        """Keep an English text status read."""
        if self.options.drift:
            self.english[blob] = data

    def complete(self, report: Report, facts: SourceFacts | None) -> Report:
        """``report`` with drift and popularity, as the options ask (``facts``: what the
        status run read of the English side, if it read it)."""
        config, options = self.config, self.options
        if options.popularity_file is not None:
            scores = read_popularity(options.popularity_file, config)
            report = replace(report, popularity=popularity_of_pages(config, report.pages, scores))
        if options.drift:
            report = replace(report, drift=drift_of_report(config, report, facts, self.english),
                             drift_threshold=options.drift_threshold)
        return report


def drift_of_report(config: Config, report: Report, facts: SourceFacts | None,
                    english: dict[str, bytes] | None = None) -> dict[str, Drift | None]:
    """The drift of every up-to-date or outdated page from its English text at the sync point.

    The English blobs not in ``english`` (blob -> text, for those read already) are read in
    one ``cat-file`` batch, each once however many locales share it, never one git call per
    page. Pages are then compared in chunks of English texts, on every core from a few
    hundred pages on. A page that cannot be read has no drift (None); the others still do.
    """
    english = {} if english is None else english
    wanted = [page for page in report.pages if page.status in DRIFT_STATUSES]
    if not wanted:
        return {page.path: None for page in report.pages}
    if facts is None:  # every verdict came from the cache: so does the history
        facts = read_source_facts(config, load_history(config, status_cache(config)), [])
    blobs = english_blobs(config, wanted, facts)
    groups: dict[tuple[str, str], list[str]] = {}
    for page in wanted:
        blob, path = blobs.get(page.path, ("", ""))
        if blob:
            groups.setdefault((path, blob), []).append(page.path)
    # Versions of one file together: git's delta cache then serves most of them.
    ordered = [(blob, paths) for (_path, blob), paths in sorted(groups.items())]
    unread = [blob for blob, _paths in ordered if blob not in english]
    found: dict[str, Drift | None] = {}
    global _CHUNK_INPUT
    _CHUNK_INPUT = (str(config.translated_root), english)
    try:
        context = _fork_context()
        if context is None or len(wanted) < _PARALLEL_FROM:
            _read_english(config, unread, english)
            found.update(drift_of_chunk(ordered))
        else:
            # The workers take the pages whose English texts status read already; this
            # process meanwhile reads the others from git and compares their pages itself.
            ready = [group for group in ordered if group[0] in english]
            later = [group for group in ordered if group[0] not in english]
            cores = os.cpu_count() or 1
            size = max(1, -(-len(ready) // (cores * _CHUNKS_PER_CORE)))
            chunks = [ready[start:start + size] for start in range(0, len(ready), size)]
            # The workers inherit millions of objects (the history, the report); frozen, the
            # collector in each worker leaves them alone instead of walking them all (and
            # copying every page of memory it touches) at each collection.
            gc.freeze()
            try:
                with ProcessPoolExecutor(max_workers=cores, mp_context=context) as pool:
                    results = pool.map(drift_of_chunk, chunks)
                    _read_english(config, unread, english)
                    found.update(drift_of_chunk(later))
                    for done in results:
                        found.update(done)
            finally:
                gc.unfreeze()
    finally:
        _CHUNK_INPUT = ("", {})
    return {page.path: found.get(page.path) for page in report.pages}


def _read_english(config: Config, blobs: Sequence[str], english: dict[str, bytes]) -> None:
    """Add the English texts of ``blobs`` to ``english``, all through one ``cat-file``."""
    if blobs:
        with GitRepository(config.source_root) as repo:
            english.update(repo.read_blobs(blobs))


# Below this many pages, starting worker processes costs more than it saves; above it, each
# core takes a few chunks, so that one slow chunk does not keep the others waiting.
_PARALLEL_FROM = 400
_CHUNKS_PER_CORE = 4
# The translations root and the English texts by blob, for drift_of_chunk: worker processes
# inherit them when they fork, where sending 100 MB of texts to each would cost seconds.
_CHUNK_INPUT: tuple[str, Mapping[str, bytes]] = ("", {})


def _fork_context() -> BaseContext | None:
    """Worker processes that inherit this one's memory, where the system has them and there
    is more than one core; else None (drift then runs in this process)."""
    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def drift_of_chunk(groups: Sequence[tuple[str, Sequence[str]]]) -> list[tuple[str, Drift | None]]:
    """The drift of each translated page in ``groups``: (the English blob they were made
    from, their paths), with the texts of ``_CHUNK_INPUT``."""
    translated_root, english_texts = _CHUNK_INPUT
    root = os.path.join(translated_root, "")
    found: list[tuple[str, Drift | None]] = []
    for blob, paths in groups:
        data = english_texts.get(blob)
        english = None if data is None else read_structure(data.decode("utf-8",
                                                                        errors="replace"))
        for path in paths:
            translated = _read_text(root + path)
            found.append((path, None if english is None or translated is None
                          else compare_structures(english, read_structure(translated))))
    return found


def _read_text(path: str) -> str | None:
    # As read_front_matter reads pages: os.open/os.read (a buffered file object per page costs
    # more than the read), and a page that is a symbolic link is not read.
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        chunks = []
        while chunk := os.read(descriptor, 1 << 16):
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return b"".join(chunks).decode("utf-8", errors="replace")


def english_blobs(config: Config, pages: Sequence[Verdict],
                  facts: SourceFacts) -> dict[str, tuple[str, str]]:
    """Page path -> (English blob at its sync point, English path then).

    A page in step with no commit left out has the English text of HEAD; the others take the
    route of their English text (see ``routes_of``).
    """
    head_blobs = facts.history.head_blobs
    found: dict[str, tuple[str, str]] = {}
    others = []
    for verdict in pages:
        if (verdict.status is Status.UP_TO_DATE and not verdict.ignored_commits
                and verdict.source_path in head_blobs):
            found[verdict.path] = (head_blobs[verdict.source_path], verdict.source_path)
        else:
            others.append(verdict)
    for path, route in routes_of(config, others, facts).items():
        found[path] = (route.blob_then, route.path_then)
    return found


def routes_of(config: Config, pages: Sequence[Verdict],
              facts: SourceFacts) -> dict[str, Route]:
    """Page path -> the route of its English text since its sync point, where it has one:
    as status traced it (``facts.routes``) or, for verdicts kept from an earlier run, traced
    again."""
    traced = {page.path: route for page, route in facts.routes.items()}
    found: dict[str, Route] = {}
    retrace: list[Page] = []
    for verdict in pages:
        route = traced.get(verdict.path)
        if isinstance(route, Route):
            found[verdict.path] = route
        else:
            page = _page_of(config, verdict)
            if page is not None:
                retrace.append(page)
    for page, route in trace_pages(config, retrace, facts).items():
        if isinstance(route, Route):
            found[page.path] = route
    return found


def _page_of(config: Config, verdict: Verdict) -> Page | None:
    """The page a verdict was made on, with its sync point as its marker, to trace it again."""
    page_file = page_file_for(config, verdict.path, [verdict.locale])
    sync = verdict.sync_commit if verdict.basis is Basis.HISTORY else verdict.source_commit
    if page_file is None or not sync:
        return None
    return Page(page_file.path, page_file.locale, page_file.key, sync, verdict.title)
