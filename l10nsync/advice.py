"""The next command for each page: what ``check``, ``status``, ``report`` and JSON advise.

Every piece of advice starts with a command that works when pasted (paths shell-quoted); words
after it in parentheses say why, or offer an alternative. Pure rules first, then the few git
questions the advice for a page without a usable marker needs (a best guess of its sync point).
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from l10nsync.config import Config
from l10nsync.gitrepo import GitRepository
from l10nsync.model import PageStatus, Status

# Statuses whose fix is to record the commit the translation was made from.
MARKER_PROBLEMS = frozenset({Status.MISSING_SOURCE_COMMIT, Status.INVALID_SOURCE_COMMIT,
                             Status.UNKNOWN_SOURCE_COMMIT})


@dataclass(frozen=True)
class Guess:
    """A best guess of the English commit a translation was made from, and what it rests on."""

    sha: str
    basis: str


def command(*words: str) -> str:
    """A command line whose words survive pasting into a POSIX shell."""
    return " ".join(shlex.quote(word) for word in words)


def diff_then_bump(path: str) -> str:
    """The loop for an outdated page: see the English changes, port them, record the sync."""
    return (f"{command('l10nsync', 'diff', path)}; port the English changes; "
            f"{command('l10nsync', 'bump', path)}")


def advise(verdict: PageStatus, *, guess: Guess | None = None,
           english_exists: bool = True) -> str | None:
    """The next step for one page, command first; None for a page that needs nothing.

    ``guess`` is the best guess of a marker-less page's sync point; ``english_exists`` says
    whether its English page is there at HEAD (if not, no marker can help it).
    """
    path = verdict.path
    status = verdict.status
    if status is Status.OUTDATED:
        return diff_then_bump(path)
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
                f"({guess.basis}; if you know the commit you translated from, put it after "
                "--to instead)")
    return None


def backwards_fix(path: str, committed_marker: str) -> str:
    """Restore a marker that went back, keeping the page's other edits."""
    return (f"{command('l10nsync', 'bump', '--to', committed_marker[:12], path)} "
            "(restores the marker committed before)")


def commands_in(advice: str) -> list[str]:
    """The commands an advice text asks to run, in order (the text before each '(' aside)."""
    found = []
    for part in advice.split("; "):
        part = part.split(" (", 1)[0].strip()
        if part.startswith(("l10nsync ", "git ")):
            found.append(part)
    return found


def advice_for(config: Config, verdicts: Iterable[PageStatus]) -> dict[str, str]:
    """The advice for every page that needs some, by path (git asked only about the pages
    without a usable marker)."""
    verdicts = list(verdicts)
    guesses, missing = guess_sync_points(config, verdicts)
    advice = {}
    for verdict in verdicts:
        text = advise(verdict, guess=guesses.get(verdict.path),
                      english_exists=verdict.path not in missing)
        if text is not None:
            advice[verdict.path] = text
    return advice


def guess_sync_points(
    config: Config, verdicts: Sequence[PageStatus]
) -> tuple[dict[str, Guess], set[str]]:
    """Best guesses of the sync point of pages without a usable marker, and the pages whose
    English page is not there at HEAD.

    In one repository the guess follows ancestry: the English page as it was in the commit
    that first added the translation. Across two repositories only dates relate the two
    histories: the last English change committed before the translation's first commit.
    A translation not committed yet was presumably made from the English page as it is now.
    """
    wanted = [v for v in verdicts if v.status in MARKER_PROBLEMS and v.source_path]
    if not wanted:
        return {}, set()
    missing = without_english_page(config, wanted)
    wanted = [v for v in wanted if v.path not in missing]
    if not wanted:
        return {}, missing
    with GitRepository(config.translated_root) as translations:
        firsts = {v.path: translations.first_commit(v.path) for v in wanted}
    guesses = {}
    with GitRepository(config.source_root) as english:
        for verdict in wanted:
            source = str(verdict.source_path)
            guess = _guess(english, config.same_repository, source, firsts[verdict.path])
            if guess is not None:
                guesses[verdict.path] = guess
    return guesses, missing


def without_english_page(config: Config, verdicts: Iterable[PageStatus]) -> set[str]:
    """The pages among ``verdicts`` whose English page is not there at the English HEAD."""
    verdicts = [v for v in verdicts if v.source_path]
    with GitRepository(config.source_root) as english:
        head = english.head()
        present = {path for _sha, path in english.blobs_at(
            (head, str(v.source_path)) for v in verdicts)} if head else set()
    return {v.path for v in verdicts if v.source_path not in present}


def _guess(english: GitRepository, same_repository: bool, source: str,
           first: tuple[str, int] | None) -> Guess | None:
    if first is not None:
        first_sha, first_time = first
        if same_repository:
            sha = english.last_change_before(first_sha, source)
            basis = (f"guessed by ancestry: {source} as it was when this translation was "
                     f"first committed, in {first_sha[:12]}")
        else:
            sha = english.last_change_before("HEAD", source, before=first_time)
            day = time.strftime("%Y-%m-%d", time.gmtime(first_time))
            basis = (f"guessed from dates: the last change to {source} before this "
                     f"translation was first committed, on {day}")
        if sha is not None:
            return Guess(sha, basis)
    sha = english.last_change_before("HEAD", source)
    if sha is None:
        return None
    return Guess(sha, f"guessed: this translation is not committed yet, so {source} as it "
                 "is now" if first is None else f"guessed: {source} as it is now (no older "
                 "version found)")

