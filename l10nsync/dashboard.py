"""``l10nsync dashboard``: the status of every page and the English diff of every outdated one,
as a static site (see render/dashboard.py for the files)."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

from l10nsync.config import Config
from l10nsync.diffcache import DiffCache
from l10nsync.engine import (
    build_status_report,
    load_history,
    page_diffs,
    read_page,
    read_source_facts,
    status_cache,
)
from l10nsync.errors import UsageError
from l10nsync.gitrepo import Progress
from l10nsync.layout import discover_locales, page_file_for
from l10nsync.model import Page, PageStatus, Status
from l10nsync.sync import HISTORY

MARKER_FILE = ".l10nsync-dashboard"


def check_output_folder(output: Path) -> None:
    """Refuse to write into a folder that holds anything but an earlier dashboard."""
    if output.exists() and not output.is_dir():
        raise UsageError(f"{output}: not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER_FILE).exists():
        raise UsageError(f"{output}: not empty and not an l10nsync dashboard; "
                         "give a new or empty folder")


def as_judged(page: Page, verdict: PageStatus) -> Page:
    """The page as status judged it: with its sync point when that came from its history."""
    if verdict.basis == HISTORY:
        return replace(page, source_commit=verdict.sync_commit, basis=HISTORY)
    return page


def build_dashboard(
    config: Config, output: Path, *, cwd: Path, progress: Progress | None = None
) -> list[Path]:
    """Write the dashboard for every locale into ``output``; the files written."""
    from l10nsync.render.dashboard import write_dashboard

    check_output_folder(output)
    report = build_status_report(config, cwd=cwd, untranslated=True, progress=progress)
    outdated = {verdict.path: verdict for verdict in report.pages
                if verdict.status is Status.OUTDATED}
    locales = discover_locales(config)
    files = [page_file_for(config, path, locales) for path in sorted(outdated)]
    pages = [as_judged(read_page(config, page_file), outdated[page_file.path])
             for page_file in files if page_file is not None]
    # The status run above left the history in the cache: this reads it back, no git log.
    cache = status_cache(config)
    history = load_history(config, cache)
    facts = read_source_facts(config, history, pages)
    diff_cache = DiffCache.load(cache.folder)
    diffs, _refused = page_diffs(config, pages, facts, outdated, diff_cache)
    diff_cache.save()
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    written = write_dashboard(report, diffs, output, generated_at=now)
    (output / MARKER_FILE).write_text("written by l10nsync dashboard\n", encoding="utf-8")
    return [*written, output / MARKER_FILE]
