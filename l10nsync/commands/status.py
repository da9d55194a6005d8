"""The core of ``status``: find the pages, read their markers, read the English history once,
and hand everything to the pure rules in rules/status.py.

Cold, the English history is read on a second thread while this one reads the pages: git works
on the other core, so a run costs about one pass of ``git log`` plus what does not overlap it.
Warm, three cache files under the translations repository's git directory answer instead:
folder listings (``tree.bin``), the history (``history.bin``, extended when English moved
forward) and each page's marker and verdict (``pages.bin``). When neither the English HEAD nor
any page changed, the verdicts are taken as they are and no history is read at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from l10nsync.cache.status import (
    CACHE_SHAPE_ERRORS,
    KeptPages,
    PageRows,
    StatusCache,
    status_cache,
    verdicts_context,
)
from l10nsync.config import Config
from l10nsync.facts import (
    infer_pages,
    load_history,
    not_ready_pages,
    read_commit_rules,
    read_narrow_source,
    read_source_facts,
    read_texts,
    site_links,
)
from l10nsync.gitrepo import GitRepository, Progress
from l10nsync.history import History
from l10nsync.layout import named_folders, selected_locales
from l10nsync.model import Page, Report, Status
from l10nsync.pages import Scan, read_page, scan_pages
from l10nsync.rules.history_mode import CommitRule, reads_translation_history
from l10nsync.rules.status import SourceFacts, compute_report, report_notes, source_pages
from l10nsync.safefiles import linked_message

# Up to this many named pages, a run without a cached history reads only their history.
NARROW_LIMIT = 50


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
    count_english_pages: bool = True,
) -> Report:
    """Judge every translated page (or the named ones) against the English HEAD, and the
    UI-string dictionaries (every one, or those named or given in ``dictionaries``).

    ``progress`` is told how far the long reads are, for a progress bar; ``scan`` is the
    pages found already, and ``cache`` the cache, if the caller has them (the cache's
    ``token`` then names the inputs). ``on_facts`` is given what was read of the English
    side, history included, when it was read, for a caller that needs it next, and ``on_blob``
    each English text read (see ``read_texts``). Without ``count_english_pages`` (a caller
    that shows no shares, as ``check``), the report's ``english_pages`` may be 0.
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
                              dictionaries, on_blob, count_english_pages)
    except CACHE_SHAPE_ERRORS:
        if cache.folder is None:
            raise
    # A cache entry with a valid checksum but a shape this code does not expect (written by
    # something else): the cache is dropped and the report built again from the repositories.
    cache.forget()
    return _status_report(config, names, cwd, untranslated, progress, None, status_cache(config),
                          on_facts, dictionaries, on_blob, count_english_pages)


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
    count_english_pages: bool = True,
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
            early = (pool.submit(load_history, config, cache, None, progress, pool.submit),
                     pool.submit(read_commit_rules, config))
        scan = scan or scan_pages(config, names, cwd, cache)
        report = _build_status_report(config, names, cwd, untranslated, progress, scan, cache,
                                      pool, early, on_facts, on_blob, count_english_pages)
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
    count_english_pages: bool = True,
) -> Report:
    files, locales, stamps, started = scan.files, scan.locales, scan.stamps, scan.started
    saved = cache.pages()
    rows = saved.rows
    # Markers that name no commit of the English history, and whether git knew them elsewhere.
    unresolved: dict[str, bool] = dict(saved.unresolved)
    unchanged = [cache.unchanged_page(f.path, stamp)
                 for f, stamp in zip(files, stamps, strict=True)]
    # The count of English pages is kept only by a run that made it (see below).
    counted = not count_english_pages or saved.english_pages is not None
    if cache.folder is not None and all(unchanged) and not untranslated and counted:
        english = cache.english_state(sorted(unresolved))
        context = verdicts_context(config, english.head, english.shallow)
        # A shallow clone can deepen without HEAD moving: its verdicts are never reused.
        if not english.shallow and saved.context == context and all(
            (marker in english.known) == exists for marker, exists in unresolved.items()
        ):
            verdicts = [rows[f.path].verdict() for f in files]
            notes = report_notes(english.shallow, verdicts, unresolved)
            cache.remember_inputs(scan, context, unresolved, saved.written_ns)
            return Report(str(config.source_root), str(english.head), tuple(verdicts),
                          tuple(notes), english_pages=saved.english_pages or 0)

    def pages_now() -> list[Page]:
        pages = []
        for number, (f, same) in enumerate(zip(files, unchanged, strict=True), start=1):
            pages.append(rows[f.path].page() if same else read_page(config, f))
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
            # The history is written back on the pool while this thread judges the pages.
            pool.submit(load_history, config, cache, known_history, progress, pool.submit),
            pool.submit(read_commit_rules, config))
        pages = pages_now()
        history = history_job.result()
        rules = rules_job.result()
    facts = replace(read_source_facts(config, history, pages, rules), same_text_since=same_text)
    context = verdicts_context(config, history.head, history.shallow)
    same_context = saved.context == context and not history.shallow
    known = {}
    if same_context:
        # A page whose marker git may learn about without English HEAD moving is judged anew.
        known = {page: kept.verdict() for page in pages
                 if (kept := rows.get(page.path)) is not None and kept.holds(page)
                 and page.source_commit not in facts.known_elsewhere}
    inferred = infer_pages(config, [page for page in pages if page not in known], facts)
    judged = [inferred.get(page, page) for page in pages]
    facts = read_texts(config, [page for page in judged if page not in known], facts, on_blob)
    listed = locales if untranslated else []
    report = compute_report(config, judged, facts, untranslated_locales=listed, known=known,
                            not_ready=not_ready_pages(config, history) if listed else ())
    # Counting the English pages costs a tenth of a second at MDN's size: a caller that
    # shows no shares skips it, and keeps a count made for the same English HEAD.
    english_pages: int | None = None
    if count_english_pages:
        english_pages = len(source_pages(config, history))
    elif same_context:
        english_pages = saved.english_pages
    report = replace(report, english_pages=english_pages or 0)
    if listed and names:
        report = _untranslated_within(config, report, names, cwd)
    if on_facts is not None:
        on_facts(facts)
    if cache.folder is not None:
        by_path = {verdict.path: verdict for verdict in report.pages}
        fresh = rows.copy() if same_context else PageRows()
        for page, stamp in zip(pages, stamps, strict=True):
            if stamp is not None:
                fresh.keep(page.path, stamp, page, by_path[page.path])
        markers = fresh.markers()
        merged = {**(unresolved if same_context else {}), **facts.known_elsewhere}
        cache.keep_pages(KeptPages(
            fresh, context=context,
            unresolved={m: exists for m, exists in merged.items() if m in markers},
            written_ns=started, english_pages=english_pages))
        cache.remember_inputs(scan, context, None if history.shallow else merged, started)
    return report


def _untranslated_within(config: Config, report: Report, names: Sequence[str],
                         cwd: Path) -> Report:
    """The report with only the untranslated pages inside the named folders."""
    folders = named_folders(config, names, cwd)
    kept = tuple(page for page in report.pages if page.status is not Status.UNTRANSLATED
                 or any(page.path.startswith(folder) for folder in folders))
    return replace(report, pages=kept)
