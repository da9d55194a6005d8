"""The pre-commit check: a stale edit, a marker moved backwards, a page reached through a link."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from l10nsync.advice import advice_for
from l10nsync.commands.status import build_status_report
from l10nsync.config import Config
from l10nsync.frontmatter import page_body, parse_front_matter
from l10nsync.gitrepo import GitRepository
from l10nsync.history import History, ancestor_sets, is_ancestor, is_hex_revision
from l10nsync.layout import linked_pages_among, pages_among
from l10nsync.model import Verdict
from l10nsync.rules.check import Committed, Finding, Problem, check_page
from l10nsync.rules.status import SourceFacts
from l10nsync.safefiles import linked_message


def check_files(
    config: Config, names: Sequence[str], *, cwd: Path, against: str | None = None
) -> tuple[list[Finding], list[Verdict]]:
    """The pre-commit check: findings for the translated pages among ``names``, and verdicts.

    Files that are not translated pages are ignored. Pages are read from the working tree
    (pre-commit has stashed what is not staged) and compared with the translations
    repository's HEAD (or the commit ``against``, a pull request's base), to tell a stale
    edit and a marker moved backwards.
    """
    files = pages_among(config, names, cwd)
    # A page reached through a link is never read, and never passes silently either.
    linked = [Finding(path, Problem.LINKED_PATH, linked_message(link),
                      f"replace {link} with a real folder or file")
              for path, link in linked_pages_among(config, names, cwd)]
    if not files:
        return linked, []
    facts: list[SourceFacts] = []
    # The hook shows no shares of the English pages: they are not counted.
    report = build_status_report(config, [f.path for f in files], cwd=config.translated_root,
                                 on_facts=facts.append, count_english_pages=False)
    verdicts = {verdict.path: verdict for verdict in report.pages}
    committed = committed_pages(config, [f.path for f in files], against)
    now = {f.path: (config.translated_root / f.path).read_bytes() for f in files}
    markers_now = {path: parse_front_matter(data, config.marker_key,
                                            config.front_matter_limit).marker
                   for path, data in now.items()}
    backwards = markers_moved_backwards(config, markers_now, committed,
                                        facts[0].history if facts else None)
    advice = advice_for(config, report.pages, facts[0].history if facts else None)
    findings = []
    for path, data in now.items():
        verdict = verdicts[path]
        found = check_page(verdict, page_body(data), markers_now[path],
                           committed.get(path), moved_backwards=path in backwards,
                           allow_stale_edits=config.allow_stale_edits,
                           advice=advice.get(path))
        if found is not None:
            findings.append(found)
    return sorted([*findings, *linked], key=lambda finding: finding.path), list(report.pages)


def committed_pages(
    config: Config, paths: Sequence[str], revision: str | None = None
) -> dict[str, Committed]:
    """The given pages as the translations repository's HEAD (or ``revision``, a full SHA)
    has them; pages new since are absent."""
    with GitRepository(config.translated_root) as repo:
        head = revision or repo.head()
        if head is None:
            return {}
        blobs = repo.blobs_at([(head, path) for path in paths])
        contents = dict(repo.read_blobs(sorted(set(blobs.values()))))
    committed = {}
    for (_head, path), blob in blobs.items():
        data = contents.get(blob, b"")
        committed[path] = Committed(
            parse_front_matter(data, config.marker_key, config.front_matter_limit).marker,
            page_body(data))
    return committed


def markers_moved_backwards(
    config: Config, markers_now: dict[str, str | None], committed: dict[str, Committed],
    history: History | None = None,
) -> set[str]:
    """Pages whose marker now names a strict ancestor of the commit it named before.

    Told by the English ``history`` the report was judged with where it holds both commits;
    git is asked only about pairs it does not hold (a narrow history, a marker off HEAD's
    history), once per distinct pair.
    """
    pairs = {
        path: (str(committed[path].marker), marker)
        for path, marker in markers_now.items()
        if path in committed and marker and committed[path].marker
        and marker != committed[path].marker
        and is_hex_revision(marker) and is_hex_revision(str(committed[path].marker))
    }
    if not pairs:
        return set()
    distinct = set(pairs.values())
    with GitRepository(config.source_root) as repo:
        resolved = repo.resolve_commits({m for pair in distinct for m in pair})
        shas = {pair: (resolved.get(pair[0]), resolved.get(pair[1])) for pair in distinct}
        shas = {pair: (old, new) for pair, (old, new) in shas.items()
                if old and new and old != new}
        position = history.position if history is not None else {}
        known = {pair: (old, new) for pair, (old, new) in shas.items()
                 if old in position and new in position}
        ancestry = ancestor_sets(history.parents, {position[old] for old, _new in
                                                   known.values()}) if history else {}
        moved_back = {pair for pair, (old, new) in known.items()
                      if is_ancestor(position[new], ancestry[position[old]])}
        moved_back |= {pair for pair, (old, new) in shas.items()
                       if pair not in known and repo.is_ancestor(str(new), str(old))}
    return {path for path, pair in pairs.items() if pair in moved_back}
