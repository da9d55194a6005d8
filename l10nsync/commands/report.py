"""``l10nsync report``: what a pull request does to translations, on either side.

In a translations repository: the translated pages the pull request adds or changes, each with
its status after the change and the pre-commit hook's verdict against the pull request's base.
In the English repository (translations found through CONTENT_TRANSLATED_ROOT or config): the
existing translations of every English page the pull request changes, moves or deletes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from l10nsync.advice import advice_for
from l10nsync.commands.check import check_files
from l10nsync.commands.status import build_status_report
from l10nsync.config import Config, find_repository_root
from l10nsync.errors import UsageError
from l10nsync.facts import site_links
from l10nsync.frontmatter import read_front_matter
from l10nsync.gitrepo import GitRepository
from l10nsync.layout import (
    discover_locales,
    source_folder,
    source_key,
    translation_path,
)
from l10nsync.model import (
    PullRequestReport,
    ReviewedDictionary,
    ReviewedPage,
    Side,
    Status,
    Verdict,
)


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
    english_head = report.head if report.side is Side.ENGLISH else ""
    return replace(report, links=site_links(config, english_head),
                   locale_labels=config.locale_labels)


def _translations_side(config: Config, base: str, head: str) -> PullRequestReport:
    with GitRepository(config.translated_root) as repo:
        base_sha, head_sha = _range(repo, base, head)
        changes = repo.changed_files(base_sha, head_sha, "")
    changed = sorted({change.path for change in changes if change.status != "D"})
    added = {change.path for change in changes if change.status == "A"}
    findings, verdicts = check_files(config, changed, cwd=config.translated_root,
                                     against=base_sha)
    blocked = {finding.path: finding for finding in findings}
    # Pages that need work without being blocked get their next command too.
    advice = advice_for(config, [v for v in verdicts if v.path not in blocked])
    pages = []
    for verdict in verdicts:
        facts = read_front_matter(config.translated_root / verdict.path, config.marker_key,
                                  config.front_matter_limit)
        finding = blocked.get(verdict.path)
        pages.append(ReviewedPage(verdict, facts.marker_line,
                                  finding.message if finding else None,
                                  finding.fix if finding else advice.get(verdict.path),
                                  new=verdict.path in added))
    return replace(PullRequestReport(Side.TRANSLATIONS, base_sha, head_sha, tuple(pages), (), ()),
                   dictionaries=reviewed_dictionaries(config, changed, base_sha))


def reviewed_dictionaries(config: Config, changed: list[str], base_sha: str,
                          english: bool = False) -> tuple[ReviewedDictionary, ...]:
    """The translated dictionaries among ``changed`` files (``english``: the translations of
    the English dictionaries among them), each judged and, on the translations side, with
    the hook's verdict against the base."""
    if not config.dictionaries:
        return ()
    from l10nsync.dictionaries import (
        build_dictionary_statuses,
        check_dictionaries,
        dictionaries_among,
        list_dictionary_files,
    )

    if english:
        sources = set(changed)
        files = [f for f in list_dictionary_files(config) if f.source_path in sources]
        findings = {}
    else:
        files = dictionaries_among(config, changed, config.translated_root)
        findings = {finding.path: finding for finding in check_dictionaries(
            config, changed, cwd=config.translated_root, against=base_sha)}
    return tuple(
        ReviewedDictionary(status, findings[status.path].message if status.path in findings
                           else None,
                           findings[status.path].fix if status.path in findings else None)
        for status in build_dictionary_statuses(config, files))


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
    impacted: tuple[Verdict, ...] = ()
    before: tuple[Verdict, ...] = ()
    if names:
        report = build_status_report(config, names, cwd=config.translated_root)
        impacted, before = _split_effects(config, report.pages, base_sha, english_changes)
    with GitRepository(config.source_root) as repo:
        every_change = repo.changed_files(base_sha, head_sha, "") if config.dictionaries else []
    dictionaries = reviewed_dictionaries(
        config, [change.path for change in every_change], base_sha, english=True)
    return PullRequestReport(Side.ENGLISH, base_sha, head_sha, (), impacted,
                             tuple(sorted(english_changes, key=lambda c: c[1])),
                             pre_existing=before,
                             advice=advice_for(config, (*impacted, *before)),
                             dictionaries=dictionaries)


_PRE_EXISTING = frozenset({Status.MISSING_SOURCE_COMMIT, Status.INVALID_SOURCE_COMMIT,
                           Status.UNKNOWN_SOURCE_COMMIT, Status.INVALID_FRONT_MATTER})


def _split_effects(
    config: Config, verdicts: Sequence[Verdict], base: str,
    english_changes: Sequence[tuple[str, str, str | None]],
) -> tuple[tuple[Verdict, ...], tuple[Verdict, ...]]:
    """The translations the pull request changes the state of, and those whose problem was
    there at its base already.

    A marker problem is never the pull request's doing. A page moved or orphaned is its effect
    when the pull request moved or deleted the English page. An outdated page is its effect
    when the English text at the page's marker was still the text at the base.
    """
    gone = {path for status, path, _new in english_changes if status[:1] in ("R", "D")}
    old_path = {new: path for status, path, new in english_changes
                if status[:1] == "R" and new}
    outdated = [v for v in verdicts if v.status is Status.OUTDATED and v.source_commit
                and v.source_path]
    in_step_at_base: set[str] = set()
    if outdated:
        with GitRepository(config.source_root) as repo:
            wanted = []
            for verdict in outdated:
                then = old_path.get(str(verdict.source_path), str(verdict.source_path))
                wanted.append((verdict, (str(verdict.source_commit), then), (base, then)))
            blobs = repo.blobs_at([key for _v, *keys in wanted for key in keys])
        in_step_at_base = {verdict.path for verdict, at_marker, at_base in wanted
                           if blobs.get(at_marker) is not None
                           and blobs.get(at_marker) == blobs.get(at_base)}
    effects: list[Verdict] = []
    before: list[Verdict] = []
    for verdict in verdicts:
        if verdict.status in _PRE_EXISTING:
            already = True
        elif verdict.status in (Status.MOVED, Status.ORPHANED):
            already = verdict.source_path not in gone
        elif verdict.status is Status.OUTDATED:
            already = verdict.path not in in_step_at_base
        else:
            already = False
        (before if already else effects).append(verdict)
    return tuple(effects), tuple(before)
