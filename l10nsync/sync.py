"""Git-history mode: a translation's sync point inferred from its own history, when it has no
marker, and the commit-message conventions that tell l10nsync to look away from a commit.

The sync point is the last commit that changed the translation's text substantively: a pure
rename, a whitespace-only edit or a commit the conventions ignore does not count. The page is
then judged exactly as if its marker named that commit, so "outdated" is decided by ancestry:
English commits that are not ancestors of the sync point, whatever their dates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

from l10nsync.history import ADDED, DELETED, RENAMED_IN, RENAMED_OUT, Change, History
from l10nsync.model import Page

HISTORY = "history"
MARKER = "marker"


@dataclass(frozen=True)
class CommitRule:
    """What one commit's message says about counting its changes."""

    skip: bool = False  # an ignore keyword in the subject: nothing in it counts
    ignore: tuple[str, ...] = ()  # globs of files whose changes here do not count
    track: tuple[str, ...] = ()  # if any: only changes to these files count

    def counts(self, path: str) -> bool:
        """True when this commit's change to ``path`` counts."""
        if self.skip or any(fnmatchcase(path, glob) for glob in self.ignore):
            return False
        return not self.track or any(fnmatchcase(path, glob) for glob in self.track)


def parse_commit_rules(
    messages: Iterable[tuple[str, str, str]],
    keywords: Iterable[str],
    ignore_directive: str,
    track_directive: str,
) -> dict[str, CommitRule]:
    """Rules from (sha, subject, body) triples; commits with nothing to say are left out.

    A keyword counts anywhere in the subject, in any case. A directive is a body line
    ``<directive>:glob;glob``, its globs matched against repository paths.
    """
    lowered = [keyword.lower() for keyword in keywords if keyword]
    rules: dict[str, CommitRule] = {}
    for sha, subject, body in messages:
        skip = any(keyword in subject.lower() for keyword in lowered)
        ignore = _directive_globs(body, ignore_directive)
        track = _directive_globs(body, track_directive)
        if skip or ignore or track:
            rules[sha] = CommitRule(skip, ignore, track)
    return rules


def _directive_globs(body: str, directive: str) -> tuple[str, ...]:
    if not directive:
        return ()
    globs: list[str] = []
    for line in body.splitlines():
        line = line.strip()
        if line.startswith(directive + ":"):
            globs.extend(glob.strip() for glob in line[len(directive) + 1:].split(";"))
    return tuple(glob for glob in globs if glob)


def counted(rules: Mapping[str, CommitRule], sha: str, path: str) -> bool:
    """True unless a commit rule says that ``sha``'s change to ``path`` does not count."""
    rule = rules.get(sha)
    return rule is None or rule.counts(path)


def _changes_back(history: History, path: str) -> Iterator[tuple[str, Change]]:
    """The file now at ``path``, change by change from the newest, renames followed back.

    Stops at the change that created the file.
    """
    bound = len(history.commits)
    for _ in range(1000):  # a cycle guard; files move a handful of times
        moved = False
        for change in reversed(history.changes_of(path)):
            if change.commit >= bound:
                continue
            if change.kind in (RENAMED_OUT, DELETED):
                # The file there now is not this history's (re-created, not committed yet),
                # or, further back, the path's earlier life belonged to another file.
                return
            yield path, change
            if change.kind == ADDED:
                return
            if change.kind == RENAMED_IN and change.other is not None:
                path, bound, moved = change.other, change.commit, True
                break
        if not moved:
            return


@dataclass
class _Search:
    page: Page
    changes: Iterator[tuple[str, Change]]
    waiting: Change | None = None  # a change whose blobs must be compared before deciding


def infer_sync_points(
    history: History,
    pages: Iterable[Page],
    rules: Mapping[str, CommitRule],
    cosmetic_of: Callable[[list[tuple[str, str]]], set[tuple[str, str]]],
) -> dict[Page, Page]:
    """Each page with its sync point put where its marker would be (``basis`` "history").

    ``cosmetic_of`` tells which (old, new) blob pairs differ only cosmetically; it is called
    once per round with every pair that round must compare, so a whitespace-only edit costs
    one batch. A page with no substantive change in the history (not committed yet) keeps
    no commit.
    """
    result: dict[Page, Page] = {}
    searching = [_Search(page, _changes_back(history, page.path)) for page in pages]
    cosmetic: set[tuple[str, str]] = set()
    while searching:
        needed: list[tuple[str, str]] = []
        still: list[_Search] = []
        for search in searching:
            sync = _advance(history, search, rules, cosmetic)
            if sync is _WAIT:
                assert search.waiting is not None
                needed.append((search.waiting.old_blob, search.waiting.blob))
                still.append(search)
            else:
                sha = history.commits[sync] if isinstance(sync, int) else None
                result[search.page] = replace(search.page, source_commit=sha, basis=HISTORY)
        if needed:
            cosmetic.update(cosmetic_of(needed))
        searching = still
    return result


_WAIT = object()


def _advance(
    history: History, search: _Search, rules: Mapping[str, CommitRule],
    cosmetic: set[tuple[str, str]],
) -> int | object | None:
    """The commit number of the search's sync point, None if there is none, or _WAIT."""
    if search.waiting is not None:
        change, search.waiting = search.waiting, None
        if (change.old_blob, change.blob) not in cosmetic:
            return change.commit
    for path, change in search.changes:
        if not change.changes_text or not counted(rules, history.commits[change.commit], path):
            continue
        if change.old_blob and change.blob and change.old_blob != change.blob:
            search.waiting = change  # decided once the two texts are compared
            return _WAIT
        if change.old_blob and change.old_blob == change.blob:
            continue  # the same bytes: a mode change
        return change.commit  # the file's creation
    return None
