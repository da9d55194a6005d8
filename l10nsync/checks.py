"""The pre-commit rules: which translated pages may be committed as they are. Pure functions."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from l10nsync.model import PageStatus, Status


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
    verdict: PageStatus,
    body_now: str,
    marker_now: str | None,
    committed: Committed | None,
    *,
    moved_backwards: bool,
    allow_stale_edits: bool = False,
    move_to: str | None = None,
) -> Finding | None:
    """The reason to block this page, or None when it may be committed.

    ``move_to`` is where the translation of a moved English page belongs.
    """
    path = verdict.path
    bump = f"l10nsync bump {path}"

    def finding(problem: Problem, message: str, fix: str) -> Finding:
        return Finding(path, problem, message, fix)

    status = verdict.status
    if status is Status.INVALID_FRONT_MATTER:
        return finding(Problem.INVALID_FRONT_MATTER, verdict.message or "invalid front matter",
                       "correct the YAML between the '---' lines")
    if status is Status.MISSING_SOURCE_COMMIT:
        return finding(Problem.MISSING_MARKER, verdict.message or "no marker",
                       f"{bump} (records the English commit you translated from)")
    if status is Status.INVALID_SOURCE_COMMIT:
        return finding(Problem.INVALID_MARKER, verdict.message or "invalid marker",
                       f"{bump} --to <English commit SHA>")
    if status is Status.UNKNOWN_SOURCE_COMMIT:
        return finding(Problem.UNKNOWN_MARKER, verdict.message or "unknown marker",
                       f"{bump} --to <a commit of the English main branch>")
    if status is Status.MOVED:
        target = verdict.moved_to or "its new location"
        fix = f"git mv {path} {move_to}" if move_to else "move the translation where it went"
        return finding(Problem.SOURCE_MOVED, f"the English page moved to {target}", fix)
    if status is Status.ORPHANED:
        return finding(Problem.SOURCE_DELETED,
                       f"the English page {verdict.source_path} was deleted",
                       "git rm the translation, or move it to the page that replaced it")
    if moved_backwards and committed is not None:
        return finding(
            Problem.BACKWARDS_MARKER,
            f"sourceCommit went back from {str(committed.marker)[:12]} to "
            f"{str(marker_now)[:12]}, an older English commit",
            f"git checkout -- {path} to restore it, or {bump}",
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
            f"port the English changes (l10nsync diff {path}), then {bump}; "
            "or set allow_stale_edits = true in the config",
        )
    return None
