"""The pre-commit rules: which translated pages may be committed as they are. Pure functions."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from l10nsync.advice import advise, backwards_fix, command, diff_then_bump
from l10nsync.model import Status, Verdict


class Problem(str, enum.Enum):
    """Why ``check`` blocks a page."""

    STALE_EDIT = "stale_edit"
    BACKWARDS_MARKER = "backwards_marker"
    MISSING_MARKER = "missing_marker"
    INVALID_MARKER = "invalid_marker"
    UNKNOWN_MARKER = "unknown_marker"
    INVALID_FRONT_MATTER = "invalid_front_matter"
    SOURCE_MOVED = "source_moved"
    SOURCE_DELETED = "source_deleted"
    LINKED_PATH = "linked_path"  # reached through a symbolic link: not read (safefiles.py)


@dataclass(frozen=True)
class Committed:
    """The page as the translations repository's HEAD has it."""

    marker: str | None
    body: str


@dataclass(frozen=True)
class Finding:
    """One blocked page: what is wrong and the command that fixes it."""

    path: str
    problem: Problem
    message: str
    fix: str

    def line(self) -> str:
        """One line for the terminal: path, problem, fix."""
        return f"{self.path}: {self.message}; fix: {self.fix}"


def check_page(
    verdict: Verdict,
    body_now: str,
    marker_now: str | None,
    committed: Committed | None,
    *,
    moved_backwards: bool,
    allow_stale_edits: bool = False,
    advice: str | None = None,
) -> Finding | None:
    """The reason to block this page, or None when it may be committed.

    ``advice`` is the page's next command (see advice.py), when its status needs one.
    """
    path = verdict.path

    def finding(problem: Problem, message: str, fix: str) -> Finding:
        return Finding(path, problem, message, fix)

    status = verdict.status
    fix = advice or advise(verdict) or f"{command('l10nsync', 'bump', '--to', 'COMMIT', path)}"
    if status is Status.INVALID_FRONT_MATTER:
        return finding(Problem.INVALID_FRONT_MATTER, verdict.message or "invalid front matter",
                       fix)
    if status is Status.MISSING_SOURCE_COMMIT:
        return finding(Problem.MISSING_MARKER, verdict.message or "no marker", fix)
    if status is Status.INVALID_SOURCE_COMMIT:
        return finding(Problem.INVALID_MARKER, verdict.message or "invalid marker", fix)
    if status is Status.UNKNOWN_SOURCE_COMMIT:
        return finding(Problem.UNKNOWN_MARKER, verdict.message or "unknown marker", fix)
    if status is Status.MOVED:
        return finding(Problem.SOURCE_MOVED,
                       f"the English page moved to {verdict.moved_to or 'another path'}", fix)
    if status is Status.ORPHANED:
        return finding(Problem.SOURCE_DELETED,
                       f"the English page {verdict.source_path} was deleted", fix)
    if moved_backwards and committed is not None:
        return finding(
            Problem.BACKWARDS_MARKER,
            f"sourceCommit went back from {str(committed.marker)[:12]} to "
            f"{str(marker_now)[:12]}, an older English commit",
            backwards_fix(path, str(committed.marker)),
        )
    stale = (
        status is Status.OUTDATED
        and committed is not None
        and committed.marker == marker_now
        and committed.body != body_now
    )
    if stale and not allow_stale_edits:
        behind = verdict.commits_behind
        return finding(
            Problem.STALE_EDIT,
            f"edited while {behind} English commit{'s' if behind != 1 else ''} behind and "
            "sourceCommit did not move",
            f"{diff_then_bump(path)} (or set allow_stale_edits = true in the config)",
        )
    return None
