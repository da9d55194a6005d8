"""``l10nsync diff``: what changed in English since a translation, mapped onto its sections;
also the diffs the dashboard shows, on forked workers."""

from __future__ import annotations

import os
import signal
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from l10nsync.align import (
    align_sections,
    change_ratio,
    diff_hunks,
    section_for_lines,
    split_sections,
)
from l10nsync.cache.diffs import DiffCache, diff_key
from l10nsync.cache.status import CACHE_SHAPE_ERRORS, StatusCache, status_cache
from l10nsync.config import Config
from l10nsync.errors import UsageError
from l10nsync.facts import (
    english_candidates,
    infer_pages,
    load_history,
    read_source_facts,
    read_texts,
)
from l10nsync.gitrepo import GitRepository
from l10nsync.history import History
from l10nsync.layout import PageFile, resolve_named_pages, source_folder
from l10nsync.model import DiffCommit, DiffHunk, Page, PageDiff, SectionRef, Verdict
from l10nsync.pages import read_page
from l10nsync.rules.history_mode import reads_translation_history
from l10nsync.rules.status import Route, SourceFacts, judge_page_alone, trace_pages


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
            candidates = set(english_candidates(config, page))
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
    verdicts: Mapping[str, Verdict],
    cache: DiffCache | None = None,
) -> tuple[dict[str, PageDiff], dict[str, Verdict]]:
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
               if isinstance(route, Verdict)}
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

