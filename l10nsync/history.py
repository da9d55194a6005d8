"""The English history as data: commits in topological order and every change per path.

Built from one streamed pass over ``git log`` (see gitrepo.py); everything here is pure, so the
rules that follow a page through renames and count the commits it is behind are tested on
literal records without git.
"""

from __future__ import annotations

import marshal
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

ADDED = "A"
MODIFIED = "M"
DELETED = "D"
TYPE_CHANGED = "T"
RENAMED_IN = "R<"  # the path received a file renamed from `other`
RENAMED_OUT = "R>"  # the file at the path was renamed to `other`

_BIRTHS = (ADDED, RENAMED_IN)
_EXISTS_AFTER = (ADDED, MODIFIED, TYPE_CHANGED, RENAMED_IN)
_MAX_RENAME_HOPS = 1000  # a cycle guard; real pages move a handful of times
_HEX_REVISION = re.compile(r"^[0-9a-fA-F]{7,64}$")


def is_hex_revision(value: str) -> bool:
    """True for a 7 to 64 character hex string, the only revisions taken from pages."""
    return bool(_HEX_REVISION.match(value))


class Change(NamedTuple):
    """One path's change in one commit (a tuple, so the cache stores it as plain data)."""

    commit: int  # topological index of the commit (parents before children)
    kind: str
    blob: str  # the path's blob after the change; "" when the path is gone
    other: str | None = None  # the other side of a rename
    similarity: int = 100  # rename similarity; below 100 the text changed too
    old_blob: str = ""  # the blob before the change (in the commit's first parent)

    @property
    def changes_text(self) -> bool:
        """True when this change alters the page's text (a pure rename does not)."""
        if self.kind in (RENAMED_IN, RENAMED_OUT):
            return self.similarity < 100
        return True


@dataclass(frozen=True)
class RawChange:
    """A change as git reports it, before commits are numbered."""

    status: str  # git's letter: A, M, D, T, R
    path: str
    old_path: str | None = None
    old_blob: str = ""
    new_blob: str = ""
    similarity: int = 100


@dataclass
class History:
    """Commits of the English HEAD in topological order and each path's changes, oldest first."""

    commits: list[str]
    parents: list[tuple[int, ...]]
    # Each path's changes; as the cache keeps them, one marshal payload per path, decoded
    # when first asked for (see changes_of): a hook run reads a few of 14,000 at MDN's size.
    changes: dict[str, list[Change] | bytes] = field(default_factory=dict)
    head_blobs: dict[str, str] = field(default_factory=dict)  # English pages at HEAD -> blob
    shallow: bool = False
    # A narrow history (see GitRepository.read_narrow_history): commit 0 is a base standing in
    # for all older history, its files recorded as added there. Never cached.
    narrow: bool = False

    def __post_init__(self) -> None:
        self.position = {sha: number for number, sha in enumerate(self.commits)}
        self._sorted = sorted(self.commits)
        # Markers already resolved by git (a narrow history does not hold every commit).
        self.aliases: dict[str, str] = {}

    def extend(
        self,
        rev_list_lines: Iterable[str],
        per_commit: Iterable[tuple[str, Sequence[RawChange]]],
    ) -> None:
        """Append commits (``rev-list --topo-order --reverse --parents`` lines) and their changes.

        The new commits are not ancestors of any known one, so appending them keeps the
        numbering topological and every number already handed out stays valid.
        """
        commits, parents = number_commits(rev_list_lines, self.commits, self.position)
        self.commits, self.parents = commits, self.parents + parents
        self._sorted = sorted(self.commits)
        for path, changes in index_changes(per_commit, self.position).items():
            if path in self.changes:
                merged = self.changes_of(path) + changes
                merged.sort(key=_change_order)
                self.changes[path] = merged
            else:
                self.changes[path] = changes

    def changes_of(self, path: str) -> list[Change]:
        """The changes of one path, oldest first (turned back into Change records on demand)."""
        found = self.changes.get(path)
        if not found:
            return []
        if type(found) is bytes:  # as loaded from the cache
            try:
                items = marshal.loads(found)
            except EOFError:  # a payload cut short: the cache is of the wrong shape
                raise ValueError(f"cached changes of {path!r} are damaged") from None
            found = self.changes[path] = [Change._make(item) for item in items]
        elif type(found[0]) is tuple:  # plain tuples, as a cache of another shape has them
            found = self.changes[path] = [Change._make(item) for item in found]
        assert isinstance(found, list)
        return found

    def to_data(self) -> dict[str, object]:
        """Plain data for the cache."""
        return {
            "commits": self.commits,
            "parents": self.parents,
            # Payloads still as the cache gave them are kept as they are.
            "changes": {path: items if isinstance(items, bytes)
                        else marshal.dumps([tuple(c) for c in items])
                        for path, items in self.changes.items()},
            "head_blobs": self.head_blobs,
            "shallow": self.shallow,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> History:
        """Rebuild a History from what ``to_data`` gave."""
        history = cls(commits=list(data["commits"]), parents=list(data["parents"]))
        history.changes = dict(data["changes"])
        history.head_blobs = dict(data["head_blobs"])
        history.shallow = bool(data["shallow"])
        return history

    @property
    def head(self) -> str:
        """The English HEAD commit (the last in topological order)."""
        return self.commits[-1] if self.commits else ""

    def resolve(self, prefix: str) -> tuple[str | None, bool]:
        """The full SHA of the one commit starting with ``prefix``; (None, ambiguous?) otherwise."""
        if prefix in self.aliases:
            sha = self.aliases[prefix]
            return (sha if sha in self.position else None), False
        prefix = prefix.lower()
        at = bisect_left(self._sorted, prefix)
        matches = []
        for sha in self._sorted[at:at + 2]:
            if sha.startswith(prefix):
                matches.append(sha)
        if len(matches) == 1:
            return matches[0], False
        return None, len(matches) > 1


def number_commits(
    rev_list_lines: Iterable[str],
    known: list[str] | None = None,
    position: dict[str, int] | None = None,
) -> tuple[list[str], list[tuple[int, ...]]]:
    """Number ``rev-list --topo-order --reverse --parents`` lines after the ``known`` commits.

    Returns all commits (known ones first, extended in place) and the new commits' parents.
    """
    commits: list[str] = known if known is not None else []
    position = position if position is not None else {}
    parents: list[tuple[int, ...]] = []
    for line in rev_list_lines:
        shas = line.split()
        if not shas:
            continue
        position[shas[0]] = len(commits)
        commits.append(shas[0])
        # A parent outside the list is a shallow boundary's missing parent: it has no number.
        parents.append(tuple(position[p] for p in shas[1:] if p in position))
    return commits, parents


def index_changes(
    per_commit: Iterable[tuple[str, Sequence[RawChange]]], position: Mapping[str, int]
) -> dict[str, list[Change]]:
    """Group raw changes by path, both sides of each rename, each list in topological order."""
    changes: dict[str, list[Change]] = {}
    for sha, raw_changes in per_commit:
        commit = position.get(sha)
        if commit is None:
            continue
        for raw in raw_changes:
            before = "" if raw.old_blob.strip("0") == "" else raw.old_blob
            if raw.status == "R" and raw.old_path is not None:
                changes.setdefault(raw.path, []).append(Change(
                    commit, RENAMED_IN, raw.new_blob, raw.old_path, raw.similarity, before))
                changes.setdefault(raw.old_path, []).append(Change(
                    commit, RENAMED_OUT, "", raw.path, raw.similarity, before))
            elif raw.status in (ADDED, MODIFIED, TYPE_CHANGED):
                changes.setdefault(raw.path, []).append(
                    Change(commit, raw.status, raw.new_blob, old_blob=before))
            elif raw.status == DELETED:
                changes.setdefault(raw.path, []).append(
                    Change(commit, DELETED, "", old_blob=before))
    for path_changes in changes.values():
        path_changes.sort(key=_change_order)
    return changes


def _change_order(change: Change) -> tuple[int, bool]:
    """Topological order; within one commit, a rename away before anything new at the path."""
    return (change.commit, change.kind != RENAMED_OUT)


def ancestor_sets(parents: Sequence[tuple[int, ...]], wanted: Iterable[int]) -> dict[int, int]:
    """For each wanted commit, the set of its ancestors (itself included) as a bit set.

    One walk in topological order; a commit's set is kept only until its last child is done,
    so memory follows the width of the history, not its length.
    """
    targets = set(wanted)
    if not targets:
        return {}
    last = max(targets)
    children_left = [0] * (last + 1)
    for commit in range(last + 1):
        for parent in parents[commit]:
            children_left[parent] += 1
    live: dict[int, int] = {}
    result: dict[int, int] = {}
    for commit in range(last + 1):
        bits = 1 << commit
        for parent in parents[commit]:
            bits |= live[parent]
            children_left[parent] -= 1
            if children_left[parent] == 0:
                del live[parent]
        if children_left[commit]:
            live[commit] = bits
        if commit in targets:
            result[commit] = bits
    return result


def is_ancestor(commit: int, ancestors: int) -> bool:
    """True when ``commit`` is in the bit set ``ancestors``."""
    return (ancestors >> commit) & 1 == 1


def state_at(history: History, path: str, ancestors: int) -> Change | None:
    """The change that last touched ``path`` among the given ancestors, if it left a file there."""
    for change in reversed(history.changes_of(path)):
        if is_ancestor(change.commit, ancestors):
            return change if change.kind in _EXISTS_AFTER else None
    return None


def path_at_commit(history: History, path_now: str, ancestors: int) -> str | None:
    """Follow ``path_now`` (a path at HEAD) back through renames to its name at a commit.

    Returns None when the page did not exist at that commit under any name: it was added
    after it, or the path there belonged to an unrelated page.
    """
    path = path_now
    bound = len(history.commits)
    for _ in range(_MAX_RENAME_HOPS):
        birth = None
        for change in reversed(history.changes_of(path)):
            if change.commit < bound and change.kind in _BIRTHS:
                birth = change
                break
        if birth is None:
            return None
        if is_ancestor(birth.commit, ancestors):
            return path if state_at(history, path, ancestors) is not None else None
        if birth.kind != RENAMED_IN or birth.other is None:
            return None
        path, bound = birth.other, birth.commit
    return None


def path_forward_at(history: History, path: str, ancestors: int) -> str | None:
    """Where the file that once lived at ``path`` was at a commit, its renames followed forward.

    For a translation left at a name its English page had before moving on: None when that
    file did not exist at the commit under any name reached this way.
    """
    for _ in range(_MAX_RENAME_HOPS):
        if state_at(history, path, ancestors) is not None:
            return path
        exit_change = next((change for change in reversed(history.changes_of(path))
                            if change.kind == RENAMED_OUT and change.other
                            and is_ancestor(change.commit, ancestors)), None)
        if exit_change is None or exit_change.other is None:
            return None
        path = exit_change.other
    return None


@dataclass(frozen=True)
class Lineage:
    """Where a page went after a commit: its path at HEAD (None if deleted) and what changed it."""

    path_now: str | None
    last_path: str  # the last name it had; for a deleted page, the name it was deleted under
    changes: tuple[Change, ...]  # one text-changing change per commit, in topological order

    @property
    def changing_commits(self) -> frozenset[int]:
        """The commits that changed the page's text."""
        return frozenset(change.commit for change in self.changes)


def follow_page(history: History, path: str, ancestors: int) -> Lineage:
    """Follow a page from a commit (given by its ancestor set) to HEAD, rename by rename.

    Changes are counted on every name the page had, including side-branch edits of an old
    name merged after the rename; a file later created at an old name is another page.
    A deletion followed by a new file at the same path continues the page, since a
    translation pairs with its English page by path.
    """
    changing: dict[int, Change] = {}

    def lineage(path_now: str | None, last_path: str) -> Lineage:
        return Lineage(path_now, last_path, tuple(changing[c] for c in sorted(changing)))

    lower_bound = -1
    for _ in range(_MAX_RENAME_HOPS):
        events = [
            change
            for change in history.changes_of(path)
            if change.commit > lower_bound and not is_ancestor(change.commit, ancestors)
        ]
        exit_at = _find_exit(events)
        for change in events[:exit_at]:
            if change.changes_text:
                changing[change.commit] = change
        if exit_at == len(events):
            return lineage(path, path)
        exit_change = events[exit_at]
        if exit_change.kind == DELETED:
            changing[exit_change.commit] = exit_change
            return lineage(None, path)
        for change in _until_next_birth(events[exit_at + 1:]):
            if change.changes_text:
                changing[change.commit] = change
        assert exit_change.other is not None
        if exit_change.changes_text:
            # Count the rename with edits on its arriving side, which holds both blobs.
            arrival = next((c for c in history.changes_of(exit_change.other)
                            if c.commit == exit_change.commit and c.kind == RENAMED_IN),
                           exit_change)
            changing[exit_change.commit] = arrival
        path, lower_bound = exit_change.other, exit_change.commit
    return lineage(None, path)


def _find_exit(events: list[Change]) -> int:
    """Index of the change that ends the page's life at this path (rename away, final delete)."""
    for number, change in enumerate(events):
        if change.kind == RENAMED_OUT:
            return number
        if change.kind == DELETED and not any(e.kind in _BIRTHS for e in events[number + 1:]):
            return number
    return len(events)


def _until_next_birth(events: list[Change]) -> Iterator[Change]:
    """Changes to an old name after the page left it, up to a new file taking the name."""
    for change in events:
        if change.kind in _BIRTHS:
            return
        if change.kind != RENAMED_OUT:
            yield change


def text_changes(history: History, path: str) -> list[int]:
    """Every commit that changed the text of the file at ``path`` (a path at HEAD), newest
    first, its renames followed back: what ``git log --follow`` lists, pure renames left out.

    In a narrow history (see ``History.narrow``) commit 0 stands for the page as it was at
    the base, and so for every change up to it.
    """
    found: list[int] = []
    bound = len(history.commits)
    for _ in range(_MAX_RENAME_HOPS):
        came_from = None
        for change in reversed(history.changes_of(path)):
            if change.commit >= bound or change.kind == RENAMED_OUT:
                continue  # later lives of the path; a file that left it is another page
            if change.changes_text:
                found.append(change.commit)
            if change.kind == RENAMED_IN:
                came_from = change
                break
            if change.kind == ADDED:
                return found
        if came_from is None or came_from.other is None:
            return found
        path, bound = came_from.other, came_from.commit
    return found


def last_change(history: History, path: str) -> int | None:
    """The newest commit (in topological order) that changed the text of the page at
    ``path`` at HEAD, renames followed back; None when nothing in the history did."""
    changes = text_changes(history, path)
    return changes[0] if changes else None


def first_descendant_of_all(parents: Sequence[tuple[int, ...]], commits: Iterable[int]) -> int:
    """The first commit, in topological order, that has every one of ``commits`` among its
    ancestors (itself included): where branches that each changed a page come together."""
    wanted = sorted(set(commits))
    bit = {commit: 1 << number for number, commit in enumerate(wanted)}
    full = (1 << len(wanted)) - 1
    masks: dict[int, int] = {}
    for commit in range(wanted[0], len(parents)):
        mask = bit.get(commit, 0)
        for parent in parents[commit]:
            mask |= masks.get(parent, 0)
        if mask == full:
            return commit
        if mask:
            masks[commit] = mask
    return len(parents) - 1
