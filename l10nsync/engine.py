"""The core of ``status``: find the pages, read their markers, read the English history once,
and hand everything to the pure rules in status.py."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from l10nsync.config import Config
from l10nsync.errors import UsageError
from l10nsync.frontmatter import read_front_matter
from l10nsync.gitrepo import GitRepository
from l10nsync.history import History
from l10nsync.layout import (
    PageFile,
    list_translated_pages,
    parse_redirects,
    resolve_named_pages,
    selected_locales,
    source_folder,
)
from l10nsync.model import Page, Report
from l10nsync.status import SourceFacts, compute_report, unresolved_markers


def read_page(config: Config, page_file: PageFile) -> Page:
    """Read one translated page's marker and title from the working tree."""
    facts = read_front_matter(config.translated_root / page_file.path, config.marker_key)
    return Page(
        path=page_file.path,
        locale=page_file.locale,
        key=page_file.key,
        source_commit=facts.marker,
        title=facts.title,
        marker_line=facts.marker_line,
        error=facts.error,
    )


def find_pages(config: Config, names: Sequence[str], cwd: Path) -> tuple[list[PageFile], list[str]]:
    """The translated page files this run covers and the locales they belong to."""
    locales = selected_locales(config)
    if names:
        files = resolve_named_pages(config, names, cwd)
        return files, sorted({page.locale for page in files})
    return list_translated_pages(config, locales), locales


def read_source_facts(config: Config, pages: Sequence[Page]) -> SourceFacts:
    """Everything status needs from the English repository, in one pass over its history."""
    folder = source_folder(config)
    with GitRepository(config.source_root) as repo:
        history = repo.read_history(folder)
        _check_source(config, history)
        redirects: dict[str, str] = {}
        redirects_blob = history.head_blobs.get(f"{folder}/{config.redirects_file}")
        if redirects_blob:
            text = repo.read_blob(redirects_blob).decode("utf-8", errors="replace")
            redirects = parse_redirects(text, config.source_locale)
        unresolved = unresolved_markers(pages, history)
        elsewhere = repo.existing_commits(unresolved)
    known = {marker: marker in elsewhere for marker in unresolved}
    return SourceFacts(history=history, redirects=redirects, known_elsewhere=known)


def _check_source(config: Config, history: History) -> None:
    folder = source_folder(config)
    if not history.commits:
        raise UsageError(f"{config.source_root}: the English repository has no commits")
    if not history.head_blobs:
        raise UsageError(
            f"{config.source_root}: no English source found ({folder}/ is empty at HEAD); "
            "pass --source-root or set CONTENT_ROOT to the English content repository"
        )


def build_status_report(
    config: Config, names: Sequence[str] = (), *, cwd: Path, untranslated: bool = False
) -> Report:
    """Judge every translated page (or the named ones) against the English HEAD."""
    files, locales = find_pages(config, names, cwd)
    pages = [read_page(config, page_file) for page_file in files]
    facts = read_source_facts(config, pages)
    return compute_report(
        config, pages, facts, untranslated_locales=locales if untranslated and not names else ()
    )
