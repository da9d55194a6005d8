"""The next command for each page: what ``check``, ``status``, ``report`` and JSON advise.

Every piece of advice starts with a command that works when pasted (paths shell-quoted); words
after it in parentheses say why, or offer an alternative. Pure rules first, then the few git
questions the advice for a page without a usable marker needs (a best guess of its sync point).
"""

from __future__ import annotations

import os
import posixpath
import shlex
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from l10nsync.config import Config
from l10nsync.gitrepo import GitRepository
from l10nsync.history import History, ancestor_sets, is_ancestor
from l10nsync.layout import translation_path
from l10nsync.model import Status, Verdict

# Statuses whose fix is to record the commit the translation was made from.
MARKER_PROBLEMS = frozenset({Status.MISSING_SOURCE_COMMIT, Status.INVALID_SOURCE_COMMIT,
                             Status.UNKNOWN_SOURCE_COMMIT})


@dataclass(frozen=True)
class Guess:
    """A best guess of the English commit a translation was made from, and what it rests on."""

    sha: str
    reason: str  # how it was guessed, said after the command


def command(*words: str) -> str:
    """A command line whose words survive pasting into a POSIX shell."""
    return " ".join(shlex.quote(word) for word in words)


def diff_then_bump(path: str) -> str:
    """The loop for an outdated page: see the English changes, port them, record the sync."""
    return (f"{command('l10nsync', 'diff', path)}; port the English changes; "
            f"{command('l10nsync', 'bump', path)}")


def advise(verdict: Verdict, *, guess: Guess | None = None, english_exists: bool = True,
           target_taken: str | None = None) -> str | None:
    """The next step for one page, command first; None for a page that needs nothing.

    ``guess`` is the best guess of a marker-less page's sync point; ``english_exists`` says
    whether its English page is there at HEAD (if not, no marker can help it);
    ``target_taken`` is where a moved page belongs when a file is there already.
    """
    path = verdict.path
    status = verdict.status
    if status is Status.OUTDATED:
        return diff_then_bump(path)
    if status is Status.MOVED and target_taken:
        return (f"{command('l10nsync', 'move', '--conflicts', path)} ({target_taken} exists "
                "already: this sets the page aside under conflicting/ to merge by hand; or "
                f"delete it: {command('git', 'rm', path)})")
    if status is Status.MOVED:
        return f"{command('l10nsync', 'move', path)} (the English page moved to {verdict.moved_to})"
    if status is Status.ORPHANED:
        return (f"{command('git', 'rm', path)} (its English page was deleted; or keep it "
                f"under orphaned/: {command('l10nsync', 'move', '--orphaned', path)})")
    if status is Status.INVALID_FRONT_MATTER:
        return f"edit {command(path)}: {verdict.message or 'invalid front matter'}"
    if status in MARKER_PROBLEMS:
        if not english_exists:
            return (f"{command('l10nsync', 'move', '--orphaned', path)} (there is no English "
                    f"page {verdict.source_path} to sync with: this sets it aside under "
                    f"orphaned/; or delete it: {command('git', 'rm', path)})")
        if guess is None:
            return None
        return (f"{command('l10nsync', 'bump', '--to', guess.sha[:12], path)} "
                f"({guess.reason}; if you know the commit you translated from, put it after "
                "--to instead)")
    return None


def backwards_fix(path: str, committed_marker: str) -> str:
    """Restore a marker that went back, keeping the page's other edits."""
    return (f"{command('l10nsync', 'bump', '--to', committed_marker[:12], path)} "
            "(restores the marker committed before)")


def advice_for(config: Config, verdicts: Iterable[Verdict],
               history: History | None = None) -> dict[str, str]:
    """The advice for every page that needs some, by path (git asked only about the pages
    without a usable marker; ``history``: the English history the verdicts came from, if
    the caller has it, see ``guess_sync_points``)."""
    verdicts = list(verdicts)
    guesses, missing = guess_sync_points(config, verdicts, history)
    advice = {}
    for verdict in verdicts:
        target = move_target(config, verdict) if verdict.status is Status.MOVED else None
        taken = target if target and os.path.lexists(config.translated_root / target) else None
        text = advise(verdict, guess=guesses.get(verdict.path),
                      english_exists=verdict.path not in missing, target_taken=taken)
        if text is not None:
            advice[verdict.path] = text
    return advice


def move_target(config: Config, verdict: Verdict) -> str | None:
    """Where a moved page's translation belongs: the translation path of its English page's
    new path, keeping the page's own extension (an index.html translation stays HTML)."""
    if not verdict.moved_to:
        return None
    target = translation_path(config, verdict.locale, verdict.moved_to)
    return posixpath.splitext(target)[0] + posixpath.splitext(verdict.path)[1]


def guess_sync_points(
    config: Config, verdicts: Sequence[Verdict], history: History | None = None
) -> tuple[dict[str, Guess], set[str]]:
    """Best guesses of the sync point of pages without a usable marker, and the pages whose
    English page is not there at HEAD.

    In one repository the guess follows ancestry: the English page as it was in the commit
    that first added the translation. Across two repositories only dates relate the two
    histories: the last English change committed before the translation's first commit.
    A translation not committed yet was presumably made from the English page as it is now.

    With the English ``history`` the report was judged with (a whole one, not a narrow
    read), git is asked only for commit times and the translations' first commits: a few
    calls however many pages there are. Without it, git is asked per English page.
    """
    wanted = [v for v in verdicts if v.status in MARKER_PROBLEMS and v.source_path]
    if not wanted:
        return {}, set()
    whole = history if history is not None and not history.narrow else None
    missing = ({v.path for v in wanted if v.source_path not in whole.head_blobs}
               if whole is not None else without_english_page(config, wanted))
    wanted = [v for v in wanted if v.path not in missing]
    if not wanted:
        return {}, missing
    with GitRepository(config.translated_root) as translations:
        firsts = translations.first_commits([v.path for v in wanted])
    sources = {str(v.source_path) for v in wanted}
    with GitRepository(config.source_root) as english:
        # Newest first: each English page's changes with their times, for the date guesses.
        changes: dict[str, list[tuple[int, str]]] = {}
        if whole is not None:
            times = english.commit_times()
            for path in sources:
                changes[path] = [(times.get(whole.commits[change.commit], 0),
                                  whole.commits[change.commit])
                                 for change in reversed(whole.changes_of(path))]
        else:
            for commit, when, touched in english.commits_touching(sources):
                for path in touched:
                    changes.setdefault(path, []).append((when, commit))
        by_ancestry: dict[str, str] = {}
        if config.same_repository:
            by_ancestry = _ancestry_guesses(english, whole, wanted, firsts)
    guesses: dict[str, Guess] = {}
    for verdict in wanted:
        source = str(verdict.source_path)
        first = firsts.get(verdict.path)
        guess = None
        known = by_ancestry.get(verdict.path)
        if known is not None and first is not None:
            guess = Guess(known, f"guessed by ancestry: {source} as it was when this "
                          f"translation was first committed, in {first[0][:12]}")
        if guess is None:
            guess = _guess_from_dates(source, first, changes.get(source, []))
        if guess is not None:
            guesses[verdict.path] = guess
    return guesses, missing


def _ancestry_guesses(english: GitRepository, history: History | None,
                      verdicts: Sequence[Verdict],
                      firsts: Mapping[str, tuple[str, int]]) -> dict[str, str]:
    """Page -> the last commit that touched its English page among the ancestors of the
    translation's first commit: from the history in one walk, or else one git log a page
    for the first pages only (dates guess the rest)."""
    found: dict[str, str] = {}
    if history is not None:
        position = history.position
        ancestry = ancestor_sets(history.parents, {
            position[first[0]] for first in firsts.values() if first[0] in position})
        for verdict in verdicts:
            first = firsts.get(verdict.path)
            if first is None or first[0] not in position:
                continue
            ancestors = ancestry[position[first[0]]]
            touched = next((change.commit for change in reversed(
                history.changes_of(str(verdict.source_path)))
                if is_ancestor(change.commit, ancestors)), None)
            if touched is not None:
                found[verdict.path] = history.commits[touched]
        return found
    asked = 0
    for verdict in verdicts:
        first = firsts.get(verdict.path)
        if first is None or asked == _ANCESTRY_LIMIT:
            continue
        asked += 1
        known = english.last_change_before(first[0], str(verdict.source_path))
        if known is not None:
            found[verdict.path] = known
    return found


# Without the history, pages whose guess follows ancestry (one git log each); beyond, dates.
_ANCESTRY_LIMIT = 100


def without_english_page(config: Config, verdicts: Iterable[Verdict]) -> set[str]:
    """The pages among ``verdicts`` whose English page is not there at the English HEAD."""
    verdicts = [v for v in verdicts if v.source_path]
    with GitRepository(config.source_root) as english:
        head = english.head()
        present = {path for _sha, path in english.blobs_at(
            (head, str(v.source_path)) for v in verdicts)} if head else set()
    return {v.path for v in verdicts if v.source_path not in present}


def _guess_from_dates(source: str, first: tuple[str, int] | None,
                      changes: Sequence[tuple[int, str]]) -> Guess | None:
    """The last change to ``source`` committed before the translation's first commit (newest
    first in ``changes``); with no such change or no commit, the English page as it is now."""
    if first is not None:
        _first_sha, first_time = first
        before = next((sha for when, sha in changes if when < first_time), None)
        if before is not None:
            day = time.strftime("%Y-%m-%d", time.gmtime(first_time))
            return Guess(before, f"guessed from dates: the last change to {source} before "
                         f"this translation was first committed, on {day}")
    if not changes:
        return None
    if first is None:
        return Guess(changes[0][1], f"guessed: this translation is not committed yet, so "
                     f"{source} as it is now")
    return Guess(changes[0][1], f"guessed: {source} as it is now (no older version found)")
