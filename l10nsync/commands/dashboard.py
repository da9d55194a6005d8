"""``l10nsync dashboard``: the status of every page and the English diff of every outdated one,
as a static site (see render/dashboard.py for the files)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from l10nsync.advice import advice_for
from l10nsync.cache.diffs import DIFFS_FILE, DiffCache
from l10nsync.cache.status import CACHE_SHAPE_ERRORS, status_cache, unchanged_token
from l10nsync.cache.store import cache_key
from l10nsync.commands.diff import page_diffs
from l10nsync.commands.status import build_status_report
from l10nsync.config import Config
from l10nsync.errors import UsageError
from l10nsync.facts import load_history, read_source_facts
from l10nsync.gitrepo import Progress
from l10nsync.layout import discover_locales, page_file_for
from l10nsync.model import Basis, Page, SortOrder, Status, Verdict
from l10nsync.pages import read_page, scan_pages
from l10nsync.rules.status import SourceFacts
from l10nsync.workqueue import WorkQueue

MARKER_FILE = ".l10nsync-dashboard"


def check_output_folder(output: Path) -> None:
    """Refuse to write into a folder that holds anything but an earlier dashboard."""
    if output.exists() and not output.is_dir():
        raise UsageError(f"{output}: not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER_FILE).exists():
        raise UsageError(f"{output}: not empty and not an l10nsync dashboard; "
                         "give a new or empty folder")


def as_judged(page: Page, verdict: Verdict) -> Page:
    """The page as status judged it: with its sync point when that came from its history."""
    if verdict.basis is Basis.HISTORY:
        return replace(page, source_commit=verdict.sync_commit, basis=Basis.HISTORY)
    return page


class Dashboard(NamedTuple):
    """What ``dashboard`` wrote, and the statuses its pages have (for run-wide warnings)."""

    files: list[Path]
    statuses: frozenset[str]


def _statuses(summary: Mapping[str, Any]) -> frozenset[str]:
    """The statuses some locale of a summary document has."""
    return frozenset(status for entry in summary.get("locales", ())
                     for status, count in entry.get("counts", {}).items() if count)


def build_dashboard(
    config: Config, output: Path, *, cwd: Path, progress: Progress | None = None,
    queue: WorkQueue | None = None, queue_key: str = "",
) -> Dashboard:
    """Write the dashboard for every locale into ``output``: the files written, and the
    statuses shown.

    ``queue`` adds drift and popularity to the pages (``queue_key`` names what it adds); with
    popularity known, each locale's pages are listed by priority.
    """
    try:
        return _build_dashboard(config, output, cwd=cwd, progress=progress, queue=queue,
                                queue_key=queue_key)
    except CACHE_SHAPE_ERRORS:
        cache = status_cache(config)
        if cache.folder is None:
            raise
        # A cache entry of a shape this code does not expect: built again without it.
        cache.forget()
        (cache.folder / DIFFS_FILE).unlink(missing_ok=True)
    return _build_dashboard(config, output, cwd=cwd, progress=progress, queue=queue,
                            queue_key=queue_key)


def _build_dashboard(
    config: Config, output: Path, *, cwd: Path, progress: Progress | None = None,
    queue: WorkQueue | None = None, queue_key: str = "",
) -> Dashboard:
    from l10nsync.render.dashboard import (
        content_digest,
        summary_document,
        write_dashboard,
        write_front,
    )
    from l10nsync.render.json import render_json

    check_output_folder(output)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    cache = status_cache(config)
    scan = scan_pages(config, (), cwd, cache) if cache.folder is not None else None
    token = _site_token(config, unchanged_token(config, cache, scan) if scan else None,
                        queue_key)
    kept = _kept_site(output, token)
    if kept is not None and token is not None:
        # Nothing the site shows changed since it was written: only its time is new.
        front = [path.relative_to(output).as_posix()
                 for path in write_front(output, kept["summary"], kept["content"], now)]
        names = list(dict.fromkeys([*kept["files"], *front]))
        _write_marker(output, token, kept["summary"], kept["content"], names)
        return Dashboard([*(output / name for name in names), output / MARKER_FILE],
                         _statuses(kept["summary"]))
    read: list[SourceFacts] = []
    report = build_status_report(config, cwd=cwd, untranslated=True, progress=progress,
                                 scan=scan, cache=cache, on_facts=read.append,
                                 on_blob=queue.keep_blob if queue else None)
    if queue is not None:
        report = queue.complete(report, read[-1] if read else None)
    report = replace(report, advice=advice_for(config, report.pages))
    # A published page names the English repository by its web address or folder name,
    # never by this machine's path to it.
    english = report.links.english
    report = replace(report, source_root=english.base if english else
                     Path(report.source_root).name)
    outdated = {verdict.path: verdict for verdict in report.pages
                if verdict.status is Status.OUTDATED}
    locales = discover_locales(config)
    files = [page_file_for(config, path, locales) for path in sorted(outdated)]
    pages = [as_judged(read_page(config, page_file), outdated[page_file.path])
             for page_file in files if page_file is not None]
    if read:  # what the status run read of the English side (its texts are not needed)
        facts = replace(read.pop(), digests={}, change_ratios={}, routes={})
    else:  # every verdict came from the cache: so does the history, no second git log
        facts = read_source_facts(config, load_history(config, cache), pages)
    diff_cache = DiffCache.load(cache.folder)
    diffs, _refused = page_diffs(config, pages, facts, outdated, diff_cache)
    diff_cache.save()
    status_json = render_json(report)
    if report.popularity is not None:
        report = report.sorted_by(SortOrder.priority)  # each locale's list: its work queue
    written = write_dashboard(report, diffs, output, generated_at=now, status_json=status_json)
    summary = summary_document(report)
    _write_marker(output, _site_token(config, cache.token, queue_key), summary,
                  content_digest(status_json), written)
    return Dashboard([*written, output / MARKER_FILE], _statuses(summary))


def _site_token(config: Config, status_token: str | None, queue_key: str = "") -> str | None:
    """What names the site's inputs: the status inputs (see ``unchanged_token``), the whole
    config (the section cutoff shapes the diffs), what the work queue adds (``queue_key``) and
    l10nsync's own code; None when unsure."""
    if status_token is None:
        return None
    if config.dictionaries:  # the site shows them too: their files' stamps join the token
        from l10nsync.dictionaries import stamps_digest

        status_token = cache_key("dictionaries", status_token, stamps_digest(config))
    return cache_key("dashboard", status_token, repr(config), queue_key)


def _write_marker(
    output: Path, token: str | None, summary: Mapping[str, Any], content: str,
    files: Iterable[Path | str],
) -> None:
    """Say that ``output`` is a dashboard, and what inputs and files it was written from.

    With every file's size and time stamp, a later run can tell that the site is as it left
    it; without a token (no cache), a later run writes the whole site again.
    """
    stamps = {}
    for file in files:
        path = output / file
        info = path.stat()
        stamps[path.relative_to(output).as_posix()] = [info.st_size, info.st_mtime_ns]
    document = {"written_by": "l10nsync dashboard", "token": token, "summary": summary,
                "content": content, "files": stamps}
    (output / MARKER_FILE).write_text(json.dumps(document), encoding="utf-8")


def _kept_site(output: Path, token: str | None) -> dict[str, Any] | None:
    """The marker of a site written from the inputs ``token`` names and not touched since."""
    if token is None:
        return None
    try:
        document = json.loads((output / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("token") != token:
        return None
    files = document.get("files")
    if (not isinstance(files, dict) or not isinstance(document.get("summary"), dict)
            or not isinstance(document.get("content"), str)):
        return None
    for name, stamp in files.items():
        try:
            info = (output / name).stat()
        except OSError:
            return None
        if [info.st_size, info.st_mtime_ns] != stamp:
            return None
    return {"summary": document["summary"], "content": document["content"],
            "files": sorted(files)}
