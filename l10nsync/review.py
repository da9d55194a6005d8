"""``l10nsync report``: what a pull request does to translations, on either side.

In a translations repository: the translated pages the pull request adds or changes, each with
its status after the change and the pre-commit hook's verdict against the pull request's base.
In the English repository (translations found through CONTENT_TRANSLATED_ROOT or config): the
existing translations of every English page the pull request changes, moves or deletes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from l10nsync.config import Config, find_repository_root
from l10nsync.engine import build_status_report, check_files, site_links
from l10nsync.errors import UsageError
from l10nsync.frontmatter import read_front_matter
from l10nsync.gitrepo import GitRepository
from l10nsync.layout import (
    discover_locales,
    source_folder,
    source_key,
    translation_path,
)
from l10nsync.model import PageStatus, PullRequestReport, ReviewedPage


def _range(repo: GitRepository, base: str, head: str) -> tuple[str, str]:
    """The pull request's merge base and head as full SHAs; head must be checked out."""
    head_sha = repo.resolve_ref(head, "--head")
    base_sha = repo.merge_base(repo.resolve_ref(base, "--base"), head_sha)
    if head_sha != repo.head():
        raise UsageError(f"--head {head!r} is not the checked-out commit of {repo.root}; "
                         "check it out first (pages are read from the working tree)")
    return base_sha, head_sha


def build_pull_request_report(config: Config, *, base: str, head: str,
                              cwd: Path) -> PullRequestReport:
    """The report for the repository ``cwd`` is in: English side or translations side."""
    here = find_repository_root(cwd)
    if here == config.source_root and config.source_root != config.translated_root:
        report = _english_side(config, base, head)
    else:
        report = _translations_side(config, base, head)
    english_head = report.head if report.side == "english" else ""
    return replace(report, links=site_links(config, english_head),
                   locale_labels=config.locale_labels)


def _translations_side(config: Config, base: str, head: str) -> PullRequestReport:
    with GitRepository(config.translated_root) as repo:
        base_sha, head_sha = _range(repo, base, head)
        changes = repo.changed_files(base_sha, head_sha, "")
    changed = sorted({change.path for change in changes if change.status != "D"})
    findings, verdicts = check_files(config, changed, cwd=config.translated_root,
                                     against=base_sha)
    blocked = {finding.path: finding for finding in findings}
    pages = []
    for verdict in verdicts:
        facts = read_front_matter(config.translated_root / verdict.path, config.marker_key,
                                  config.front_matter_limit)
        finding = blocked.get(verdict.path)
        pages.append(ReviewedPage(verdict, facts.marker_line,
                                  finding.message if finding else None,
                                  finding.fix if finding else None))
    return PullRequestReport("translations", base_sha, head_sha, tuple(pages), (), ())


def _english_side(config: Config, base: str, head: str) -> PullRequestReport:
    folder = source_folder(config)
    with GitRepository(config.source_root) as repo:
        base_sha, head_sha = _range(repo, base, head)
        changes = repo.changed_files(base_sha, head_sha, folder)
    english_changes: list[tuple[str, str, str | None]] = []
    touched: set[str] = set()
    for change in changes:
        old_path = str(change.old_path) if change.status == "R" else change.path
        if source_key(config, old_path) is None:
            continue
        new_path = change.path if change.status == "R" else None
        english_changes.append((change.status, old_path, new_path))
        touched.add(old_path)
        if new_path:
            touched.add(new_path)
    locales = discover_locales(config)
    names = sorted(
        candidate
        for english_path in touched
        for locale in locales
        if (config.translated_root / (candidate := translation_path(config, locale,
                                                                    english_path))).is_file()
    )
    impacted: tuple[PageStatus, ...] = ()
    if names:
        report = build_status_report(config, names, cwd=config.translated_root)
        impacted = report.pages
    return PullRequestReport("english", base_sha, head_sha, (), tuple(impacted),
                             tuple(sorted(english_changes, key=lambda c: c[1])))
