"""Recording a sync: ``bump`` moves a page's marker forward, ``annotate`` writes a banner key.

Edits are byte-exact (see editing.py): only the marker's value, or the added lines, change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from l10nsync.cache.status import status_cache
from l10nsync.commands.status import build_status_report
from l10nsync.config import Config
from l10nsync.editing import remove_key, set_key, set_marker
from l10nsync.errors import FrontMatterError, L10nSyncError, UsageError
from l10nsync.gitrepo import GitRepository
from l10nsync.history import is_hex_revision
from l10nsync.layout import resolve_named_pages, source_candidates
from l10nsync.model import Status
from l10nsync.pages import read_page, scan_pages
from l10nsync.safefiles import ChangedPageError, LinkedPathError, Seen, read_for_edit, replace_page


@dataclass(frozen=True)
class Edit:
    """What a command did (or, with --dry-run, would do) to one page."""

    path: str
    before: bytes
    after: bytes
    note: str
    seen: Seen | None = None  # the page when read: the write is refused if it changed since

    @property
    def changed(self) -> bool:
        """True when the page's bytes change."""
        return self.before != self.after


@dataclass(frozen=True)
class Refusal:
    """A page a command would not touch, and why."""

    path: str
    reason: str


def bump_pages(
    config: Config, names: Sequence[str], *, cwd: Path, to: str | None = None
) -> tuple[list[Edit], list[Refusal]]:
    """The marker edits that record each named page as synced with English.

    The target is ``to`` (checked: a commit of the English HEAD's history, not older than the
    page's current marker) or the last English commit that changed the page. Nothing is
    written here: the caller writes the edits (or shows them for --dry-run).
    """
    files = resolve_named_pages(config, names, cwd)
    report = build_status_report(config, [f.path for f in files], cwd=config.translated_root)
    verdicts = {verdict.path: verdict for verdict in report.pages}
    edits: list[Edit] = []
    refusals: list[Refusal] = []
    with GitRepository(config.source_root) as english:
        head = english.head()
        target_sha = _checked_target(english, to, head) if to else None
        for page_file in files:
            verdict = verdicts[page_file.path]
            try:
                data, seen = read_for_edit(config.translated_root, page_file.path)
            except (L10nSyncError, OSError) as error:
                refusals.append(Refusal(page_file.path, _reason(error)))
                continue
            page = read_page(config, page_file)
            if verdict.status is Status.INVALID_FRONT_MATTER:
                refusals.append(Refusal(page.path, f"invalid front matter: {verdict.message}"))
                continue
            if verdict.status in (Status.MOVED, Status.ORPHANED):
                refusals.append(Refusal(page.path, f"{verdict.status.value}: {verdict.message}"))
                continue
            current = None
            if page.source_commit and is_hex_revision(page.source_commit):
                current = english.resolve_commits([page.source_commit]).get(page.source_commit)
            if target_sha is not None:
                if current and current != target_sha and english.is_ancestor(target_sha, current):
                    refusals.append(Refusal(page.path, f"--to {to} is older than the current "
                                            f"sourceCommit {current[:12]}"))
                    continue
                target = target_sha
            else:
                found = None
                for candidate in _candidates(config, page_file.key, page.path):
                    found = english.last_change(candidate)
                    if found is not None:
                        break
                if found is None:
                    refusals.append(Refusal(page.path, "no English page to sync with"))
                    continue
                if current and english.is_ancestor(found, current):
                    # The marker already covers the last English change (it may be newer,
                    # e.g. the English HEAD): writing that change would move it backwards.
                    covers = ("is" if current == found else "is newer than")
                    edits.append(Edit(page.path, data, data,
                                      f"unchanged, already in step ({config.marker_key} "
                                      f"{current[:12]} {covers} the last English change "
                                      f"{found[:12]})", seen))
                    continue
                target = found
            try:
                after = set_marker(data, config.marker_key, target)
            except FrontMatterError as error:
                refusals.append(Refusal(page.path, str(error)))
                continue
            before = (page.source_commit or "(none)")[:12]
            note = (f"{config.marker_key} {before} -> {target[:12]}" if after != data
                    else "unchanged")
            edits.append(Edit(page.path, data, after, note, seen))
    return edits, refusals


def _candidates(config: Config, key: str, path: str) -> list[str]:
    extension = path[path.rfind("."):] if "." in path.rsplit("/", 1)[-1] else ""
    return source_candidates(config, key, extension)


def _checked_target(english: GitRepository, to: str, head: str | None) -> str:
    """``--to`` resolved to a full SHA of the English HEAD's history, or a usage error.

    A hex id or a revision such as ``HEAD``, ``main`` or ``HEAD~2``, resolved in the English
    repository (``resolve_ref``: never taken as an option); only the full SHA is recorded.
    """
    sha = english.resolve_commits([to]).get(to) if is_hex_revision(to) else None
    if sha is None:
        try:
            sha = english.resolve_ref(to, "--to")
        except UsageError:
            raise UsageError(f"--to {to!r}: not a commit of the English repository "
                             f"{english.root}") from None
    if head is None or not english.is_ancestor(sha, head):
        raise UsageError(f"--to {to}: not in the history of the English HEAD")
    return sha


def annotate_pages(
    config: Config, names: Sequence[str], *, cwd: Path, key: str, value: str, clear: bool
) -> tuple[list[Edit], list[Refusal]]:
    """Edits that write ``key`` on outdated pages and remove it from the others.

    ``value`` is ``true`` or ``commit`` (the page's marker commit, as osu! writes
    ``outdated_since``). With ``clear``, the key is removed from every page.
    """
    if key == config.marker_key:
        raise UsageError(f"--key {key}: that is the marker itself")
    cache = status_cache(config)
    scan = scan_pages(config, names, cwd, cache)
    report = build_status_report(config, names, cwd=cwd, scan=scan, cache=cache)
    edits: list[Edit] = []
    # Links met while finding the pages were not followed: nothing below them is annotated.
    refusals = [Refusal(link, "a symbolic link, not followed: l10nsync reads and writes "
                        "nothing through links") for link in scan.links]
    for verdict in report.pages:
        if verdict.status is Status.INVALID_FRONT_MATTER:  # never parsed again to be edited
            # One rule with or without --clear (and as bump): report it, edit the others.
            refusals.append(Refusal(verdict.path, f"invalid front matter: {verdict.message}"))
            continue
        try:
            data, seen = read_for_edit(config.translated_root, verdict.path)
        except (L10nSyncError, OSError) as error:
            refusals.append(Refusal(verdict.path, _reason(error)))
            continue
        try:
            if clear or verdict.status is Status.UP_TO_DATE:
                after = remove_key(data, key)
                note = f"removed {key}"
            elif verdict.status is Status.OUTDATED and verdict.source_commit:
                written = "true" if value == "true" else str(verdict.source_commit)
                after = set_key(data, key, written)
                note = f"{key}: {written}"
            else:
                continue  # no verdict to show: leave the page as it is
        except FrontMatterError as error:
            refusals.append(Refusal(verdict.path, str(error)))
            continue
        edits.append(Edit(verdict.path, data, after, note, seen))
    return edits, refusals


def apply_edits(config: Config, edits: Sequence[Edit]) -> tuple[list[Refusal], list[Refusal]]:
    """Write the edits that change something, each on its own: (refused, failed).

    A page that changed since it was read, or is reached through a symbolic link, is refused;
    a write that fails (a read-only folder, a full disk) is failed. Either way the other pages
    are still written, and the caller says a page changed only when it was written.
    """
    refused: list[Refusal] = []
    failed: list[Refusal] = []
    for edit in edits:
        if not edit.changed:
            continue
        try:
            replace_page(config.translated_root, edit.path, edit.after, edit.seen)
        except (ChangedPageError, LinkedPathError) as error:
            refused.append(Refusal(edit.path, _reason(error)))
        except OSError as error:
            failed.append(Refusal(edit.path, f"not written: {error.strerror or error}"))
    return refused, failed


def _reason(error: Exception) -> str:
    """An error's message without the path (a Refusal shows the path itself)."""
    if isinstance(error, L10nSyncError):
        return str(error.args[0])
    if isinstance(error, OSError):
        return f"cannot read the file: {error.strerror or error}"
    return str(error)
