"""Recording a sync: ``bump`` moves a page's marker forward, ``annotate`` writes a banner key.

Edits are byte-exact (see frontmatter_edit.py): only the marker's value, or the added lines, change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from l10nsync.advice import MARKER_PROBLEMS
from l10nsync.cache.status import status_cache
from l10nsync.commands.status import build_status_report
from l10nsync.config import Config
from l10nsync.errors import FrontMatterError, L10nSyncError, UsageError
from l10nsync.facts import load_history
from l10nsync.frontmatter import parse_front_matter
from l10nsync.frontmatter_edit import is_top_level_key, remove_key, set_key, set_marker
from l10nsync.gitrepo import GitRepository
from l10nsync.history import (
    History,
    ancestor_sets,
    first_descendant_of_all,
    is_ancestor,
    is_hex_revision,
    text_changes,
)
from l10nsync.layout import resolve_named_pages
from l10nsync.model import Status
from l10nsync.pages import scan_pages
from l10nsync.rules.status import SourceFacts
from l10nsync.safefiles import (
    ChangedPageError,
    EditReader,
    LinkedPathError,
    Seen,
    read_for_edit,
    replace_page,
)


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
    page's current marker) or the last English commit that changed the page. Both come from
    the one English history ``status`` reads (the cached one, or a narrow read for a few
    pages): no git call per page. Nothing is written here: the caller writes the edits (or
    shows them for --dry-run).
    """
    files = resolve_named_pages(config, names, cwd)
    facts: list[SourceFacts] = []
    report = build_status_report(config, [f.path for f in files], cwd=config.translated_root,
                                 on_facts=facts.append)
    verdicts = {verdict.path: verdict for verdict in report.pages}
    history = facts[0].history if facts else None
    if history is None or (history.narrow and any(
            verdicts[f.path].status in MARKER_PROBLEMS for f in files)):
        # Verdicts from the cache, or pages whose last change may be older than a narrow
        # read goes: the whole history (cached from now on).
        history = load_history(config, status_cache(config))
    target_sha = None
    if to:
        with GitRepository(config.source_root) as english:
            target_sha = _checked_target(english, to, english.head())
    plans: list[tuple[str, bytes, Seen, str | None, str | None]] = []
    refusals: list[Refusal] = []
    for page_file in files:
        verdict = verdicts[page_file.path]
        try:
            data, seen = read_for_edit(config.translated_root, page_file.path)
        except (L10nSyncError, OSError) as error:
            refusals.append(Refusal(page_file.path, _reason(error)))
            continue
        if verdict.status is Status.INVALID_FRONT_MATTER:
            refusals.append(Refusal(verdict.path, f"invalid front matter: {verdict.message}"))
            continue
        if verdict.status in (Status.MOVED, Status.ORPHANED):
            refusals.append(Refusal(verdict.path, f"{verdict.status.value}: {verdict.message}"))
            continue
        marker = parse_front_matter(data, config.marker_key, config.front_matter_limit).marker
        current = history.resolve(marker)[0] if marker and is_hex_revision(marker) else None
        if target_sha is None and (verdict.source_path is None
                                   or verdict.source_path not in history.head_blobs):
            refusals.append(Refusal(verdict.path, "no English page to sync with"))
            continue
        plans.append((verdict.path, data, seen, marker, current))
    points = sync_points(history, {path: str(verdicts[path].source_path)
                                   for path, *_rest in plans} if target_sha is None else {})
    wanted = {history.position[sha] for sha in (*points.values(), target_sha,
                                                *(plan[4] for plan in plans))
              if sha and sha in history.position}
    ancestry = ancestor_sets(history.parents, wanted)

    def covers(newer: str, older: str) -> bool:
        """True when ``older`` is an ancestor of (or is) ``newer``; a commit the history
        does not hold is older than a narrow history's base, so an ancestor of every marker."""
        if older not in history.position:
            return history.narrow
        return newer in history.position and is_ancestor(
            history.position[older], ancestry[history.position[newer]])

    edits: list[Edit] = []
    for path, data, seen, marker, current in plans:
        if target_sha is not None:
            if current and current != target_sha and covers(current, target_sha):
                refusals.append(Refusal(path, f"--to {to} is older than the current "
                                        f"{config.marker_key} {current[:12]}"))
                continue
            target = target_sha
        else:
            found = points.get(path)
            if current and (found is None or covers(current, found)):
                # The marker already covers the last English change (it may be newer,
                # e.g. the English HEAD): writing that change would move it backwards.
                if found is None:
                    why = "covers every English change"
                else:
                    why = "is" if current == found else "is newer than"
                    why = f"{why} the last English change {found[:12]}"
                edits.append(Edit(path, data, data, f"unchanged, already in step "
                                  f"({config.marker_key} {current[:12]} {why})", seen))
                continue
            if found is None:
                refusals.append(Refusal(path, "no English page to sync with"))
                continue
            target = found
        try:
            after = set_marker(data, config.marker_key, target)
        except FrontMatterError as error:
            refusals.append(Refusal(path, str(error)))
            continue
        before = (marker or "(none)")[:12]
        note = (f"{config.marker_key} {before} -> {target[:12]}" if after != data
                else "unchanged")
        edits.append(Edit(path, data, after, note, seen))
    return edits, refusals


def sync_points(history: History, sources: Mapping[str, str]) -> dict[str, str]:
    """For each page (translation path -> English path at HEAD), the English commit a
    translation of its text at HEAD is synced with: its last change, or, when branches that
    each changed it were merged since, the first commit holding them all.

    A page whose changes a narrow history does not reach (all at or before its base) has no
    entry: every marker the narrow read was made for covers it.
    """
    changes = {path: text_changes(history, source) for path, source in sources.items()}
    changes = {path: found for path, found in changes.items()
               if found and not (history.narrow and found[0] == 0)}
    ancestry = ancestor_sets(history.parents, {found[0] for found in changes.values()})
    points = {}
    for path, found in changes.items():
        newest = found[0]
        if not all(is_ancestor(commit, ancestry[newest]) for commit in found[1:]):
            newest = first_descendant_of_all(history.parents, found)
        points[path] = history.commits[newest]
    return points


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
    stamps = dict(zip((page_file.path for page_file in scan.files), scan.stamps, strict=True))
    plain_key = is_top_level_key(key)
    with EditReader(config.translated_root) as reader:
        for verdict in report.pages:
            if verdict.status is Status.INVALID_FRONT_MATTER:  # never parsed again to be edited
                # One rule with or without --clear (and as bump): report it, edit the others.
                refusals.append(Refusal(verdict.path, f"invalid front matter: {verdict.message}"))
                continue
            if plain_key and (clear or verdict.status is Status.UP_TO_DATE):
                known = cache.front_keys(verdict.path, stamps.get(verdict.path))
                if known is not None and key not in known:
                    # The cache read this very file (same stamp): a simple block without the key,
                    # which remove_key gives back as it is. Most pages, not read again.
                    continue
            try:
                data, seen = reader.read(verdict.path)
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
