"""``l10nsync digest``: what changed for a locale since a point, for a weekly issue or chat post.

Since the point (a date, or a commit of the translations repository): the pages that became
outdated (every English change counted against them came after it), the English pages added,
and the translations brought up to date, with who did it, from the translation commits.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from l10nsync.cache.status import status_cache
from l10nsync.commands.status import build_status_report
from l10nsync.config import Config
from l10nsync.errors import UsageError
from l10nsync.facts import load_history, read_source_facts
from l10nsync.gitrepo import GitRepository
from l10nsync.history import ancestor_sets
from l10nsync.layout import locale_folder, source_folder, source_key
from l10nsync.model import Report, Status, Verdict
from l10nsync.rules.status import SourceFacts
from l10nsync.workqueue import routes_of


@dataclass(frozen=True)
class Since:
    """The point a digest starts from, in both repositories."""

    given: str  # as the user wrote it
    date: str  # ISO 8601
    translations_commit: str | None  # the translations' last commit then (None: none yet)
    english_commit: str | None  # the English side's last commit then (None: none yet)


@dataclass(frozen=True)
class UpdatedPage:
    """A translation brought up to date since the point, and the commits that did it."""

    page: Verdict
    authors: tuple[str, ...]  # in the order of their first commit, oldest first
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class Digest:
    """What changed for the locales of a run since a point."""

    since: Since
    report: Report  # the status now (pages of the digest's locales)
    locales: tuple[str, ...]
    newly_outdated: tuple[Verdict, ...]
    english_added: tuple[str, ...]  # English page paths added since the point
    updated: tuple[UpdatedPage, ...]


def parse_date(text: str) -> str | None:
    """``text`` as an ISO 8601 date or time (UTC when no zone is given), else None."""
    try:
        when = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.isoformat()


def resolve_since(config: Config, since: str) -> Since:
    """The point ``since`` names: a date (YYYY-MM-DD or an ISO 8601 time), or a commit of the
    translations repository, whose commit time then picks the English side's commit."""
    if not since.strip():
        raise UsageError("--since needs a date (YYYY-MM-DD) or a commit of the translations "
                         "repository")
    date = parse_date(since)
    with GitRepository(config.translated_root) as repo:
        if date is None:
            try:
                commit: str | None = repo.resolve_ref(since, "--since")
            except UsageError:
                raise UsageError(f"--since {since!r}: neither a date (YYYY-MM-DD) nor a commit "
                                 f"of {config.translated_root}") from None
            date = repo.commit_summaries([str(commit)])[str(commit)][0]
        else:
            commit = repo.commit_before(date)
    if config.same_repository:
        english = commit
    else:
        with GitRepository(config.source_root) as repo:
            english = repo.commit_before(date)
    return Since(since, date, commit, english)


def build_digest(config: Config, since: str, *, cwd: Path) -> Digest:
    """What changed for the run's locales since ``since`` (see ``resolve_since``)."""
    point = resolve_since(config, since)
    read: list[SourceFacts] = []
    report = build_status_report(config, cwd=cwd, on_facts=read.append)
    facts = read[-1] if read else read_source_facts(
        config, load_history(config, status_cache(config)), [])
    locales = tuple(sorted({page.locale for page in report.pages} | set(config.locales)))
    return Digest(
        since=point,
        report=report,
        locales=locales,
        newly_outdated=tuple(newly_outdated(config, report, facts, point)),
        english_added=tuple(english_added(config, facts, point)),
        updated=tuple(brought_up_to_date(config, report, locales, point)),
    )


def newly_outdated(config: Config, report: Report, facts: SourceFacts,
                   point: Since) -> list[Verdict]:
    """Outdated pages every counted English change of which came after the point: they were
    in step then (as far as English goes) and are behind now."""
    outdated = [page for page in report.pages if page.status is Status.OUTDATED]
    history = facts.history
    position = history.position.get(point.english_commit or "")
    before = ancestor_sets(history.parents, {position})[position] if position is not None else 0
    routes = routes_of(config, outdated, facts)
    found = []
    for page in outdated:
        route = routes.get(page.path)
        if route is None:
            continue
        ignored = set(page.ignored_commits or ())
        counted = [change.commit for change in route.lineage.changes
                   if history.commits[change.commit] not in ignored]
        if counted and not any(before >> commit & 1 for commit in counted):
            found.append(page)
    return found


def english_added(config: Config, facts: SourceFacts, point: Since) -> list[str]:
    """English pages at HEAD that were added (not moved) after the point."""
    if point.english_commit is None or point.english_commit == facts.history.head:
        return []
    with GitRepository(config.source_root) as repo:
        changes = repo.changed_files(point.english_commit, facts.history.head,
                                     source_folder(config))
    return sorted(change.path for change in changes
                  if change.status == "A" and source_key(config, change.path) is not None
                  and change.path in facts.history.head_blobs)


def brought_up_to_date(config: Config, report: Report, locales: Sequence[str],
                       point: Since) -> list[UpdatedPage]:
    """Pages in step now that translation commits after the point changed, with their authors."""
    folders = [locale_folder(config, locale) for locale in locales]
    with GitRepository(config.translated_root) as repo:
        commits = repo.commits_since(point.translations_commit, folders)
    touched: dict[str, list[tuple[str, str]]] = {}
    for _sha, author, subject, paths in reversed(commits):  # oldest first
        for path in paths:
            touched.setdefault(path, []).append((author, subject))
    found = []
    for page in report.pages:
        if page.status is Status.UP_TO_DATE and page.path in touched:
            by = touched[page.path]
            found.append(UpdatedPage(page, tuple(dict.fromkeys(a for a, _s in by)),
                                     tuple(dict.fromkeys(s for _a, s in by))))
    return found
