"""The work queue a locale follows: each page's structural drift (read from git and disk in one
batch) and popularity, added to a status report so that it can be sorted by priority.

See drift.py for what drift compares and model.Report.priority_of for the order.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from l10nsync.config import Config
from l10nsync.drift import Structure, compare_structures, read_structure
from l10nsync.engine import load_history, read_source_facts, status_cache
from l10nsync.errors import UsageError
from l10nsync.gitrepo import GitRepository
from l10nsync.layout import page_file_for
from l10nsync.model import Drift, Page, PageStatus, Report, Status
from l10nsync.popularity import popularity_of_pages, read_popularity
from l10nsync.status import Route, SourceFacts, trace_pages
from l10nsync.sync import HISTORY

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


def add_work_queue(config: Config, options: QueueOptions, report: Report,
                   facts: SourceFacts | None) -> Report:
    """``report`` with drift and popularity, as ``options`` ask (``facts``: what the status
    run read of the English side, if it read it)."""
    if options.popularity_file is not None:
        scores = read_popularity(options.popularity_file, config)
        report = replace(report, popularity=popularity_of_pages(config, report.pages, scores))
    if options.drift:
        report = replace(report, drift=drift_of_report(config, report, facts),
                         drift_threshold=options.drift_threshold)
    return report


def drift_of_report(config: Config, report: Report,
                    facts: SourceFacts | None) -> dict[str, Drift | None]:
    """The drift of every up-to-date or outdated page from its English text at the sync point.

    Every English blob is read in one ``cat-file`` batch, each once however many locales share
    it; a page that cannot be read has no drift (None), and the others are still compared.
    """
    wanted = [page for page in report.pages if page.status in DRIFT_STATUSES]
    if not wanted:
        return {page.path: None for page in report.pages}
    if facts is None:  # every verdict came from the cache: so does the history
        facts = read_source_facts(config, load_history(config, status_cache(config)), [])
    blobs = english_blobs(config, wanted, facts)
    # Versions of one file together: git's delta cache then serves most of them.
    paths = {blob: path for blob, path in blobs.values() if blob}
    structures: dict[str, Structure] = {}
    with GitRepository(config.source_root) as repo:
        for blob, data in repo.read_blobs(sorted(paths, key=paths.__getitem__)):
            structures[blob] = read_structure(data.decode("utf-8", errors="replace"))
        found: dict[str, Drift | None] = {}
        # Section headings are aligned only where the heading levels differ: those pages
        # need the English text itself, read again in a second (small) batch.
        uneven: dict[str, tuple[str, Structure, str]] = {}
        root = os.path.join(config.translated_root, "")
        for page in wanted:
            blob = blobs.get(page.path, ("", ""))[0]
            english = structures.get(blob)
            translated = _read_text(root + page.path)
            if english is None or translated is None:
                found[page.path] = None
                continue
            structure = read_structure(translated)
            if english.levels != structure.levels:
                uneven[page.path] = (blob, structure, translated)
                continue
            found[page.path] = compare_structures(english, structure, "", "",
                                                  config.section_cutoff)
        texts = {blob: data.decode("utf-8", errors="replace") for blob, data in
                 repo.read_blobs(sorted({blob for blob, _s, _t in uneven.values()}))}
    for path, (blob, structure, translated) in uneven.items():
        found[path] = compare_structures(structures[blob], structure, texts.get(blob, ""),
                                         translated, config.section_cutoff)
    return {page.path: found.get(page.path) for page in report.pages}


def _read_text(path: str) -> str | None:
    try:
        with open(path, "rb") as file:
            return file.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def english_blobs(config: Config, pages: Sequence[PageStatus],
                  facts: SourceFacts) -> dict[str, tuple[str, str]]:
    """Page path -> (English blob at its sync point, English path then).

    A page in step with no commit left out has the English text of HEAD; the others take the
    route status traced (``facts.routes``) or, for verdicts kept from an earlier run, a new
    trace.
    """
    history = facts.history
    routes = {page.path: route for page, route in facts.routes.items()}
    found: dict[str, tuple[str, str]] = {}
    retrace: list[Page] = []
    for verdict in pages:
        route = routes.get(verdict.path)
        if isinstance(route, Route):
            found[verdict.path] = (route.blob_then, route.path_then)
        elif (verdict.status is Status.UP_TO_DATE and not verdict.ignored_commits
              and verdict.source_path in history.head_blobs):
            found[verdict.path] = (history.head_blobs[verdict.source_path], verdict.source_path)
        else:
            page = _page_of(config, verdict)
            if page is not None:
                retrace.append(page)
    for page, route in trace_pages(config, retrace, facts).items():
        if isinstance(route, Route):
            found[page.path] = (route.blob_then, route.path_then)
    return found


def _page_of(config: Config, verdict: PageStatus) -> Page | None:
    """The page a verdict was made on, with its sync point as its marker, to trace it again."""
    page_file = page_file_for(config, verdict.path, [verdict.locale])
    sync = verdict.sync_commit if verdict.basis == HISTORY else verdict.source_commit
    if page_file is None or not sync:
        return None
    return Page(page_file.path, page_file.locale, page_file.key, sync, verdict.title)
