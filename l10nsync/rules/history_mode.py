"""Git-history mode: a translation's sync point inferred from its own history, when it has no
marker, and the commit-message conventions that tell l10nsync to look away from a commit.

The sync point is the last commit that changed the translation's text substantively: a pure
rename, a whitespace-only edit (unless ``review_touches`` says such a touch is a review, see
``infer_sync_points``) or a commit the conventions ignore does not count. The page is then judged
exactly as if its marker named that commit, so "outdated" is decided by ancestry: English commits
that are not ancestors of the sync point, whatever their dates.

When every commit of a committed translation is one the conventions ignore, its newest commit is
taken as its sync point, as Lunaria does, and the page says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from l10nsync.config import Config
from l10nsync.errors import UsageError
from l10nsync.globs import path_globs
from l10nsync.history import ADDED, DELETED, RENAMED_IN, RENAMED_OUT, Change, History
from l10nsync.layout import history_folder
from l10nsync.model import Basis, Page

# How a commit that changes only whitespace in a translation is taken (``review_touches``).
REVIEW_TOUCH_IGNORED = "ignore"
REVIEW_TOUCH_SYNC = "sync"
REVIEW_TOUCHES = (REVIEW_TOUCH_IGNORED, REVIEW_TOUCH_SYNC)


@dataclass(frozen=True)
class CommitRule:
    """What one commit's message says about counting its changes."""

    skip: bool = False  # an ignore keyword in the subject: nothing in it counts
    ignore: tuple[str, ...] = ()  # globs of files whose changes here do not count
    track: tuple[str, ...] = ()  # if any: only changes to these files count
    # The folder (from the repository root) that globs may also be written from: Lunaria's
    # rootDir, or the folder of the config file; "" for the repository root.
    folder: str = ""

    def counts(self, path: str) -> bool:
        """True when this commit's change to ``path`` (from the repository root) counts."""
        paths = [path]
        if self.folder and path.startswith(self.folder + "/"):
            paths.append(path[len(self.folder) + 1:])
        if self.skip or any(path_globs(self.ignore).matches(p) for p in paths):
            return False
        track = path_globs(self.track)
        return not track or any(track.matches(p) for p in paths)


def parse_commit_rules(
    messages: Iterable[tuple[str, str, str]],
    keywords: Iterable[str],
    ignore_directive: str,
    track_directive: str,
    folder: str = "",
) -> dict[str, CommitRule]:
    """Rules from (sha, subject, body) triples; commits with nothing to say are left out.

    A keyword counts anywhere in the subject, in any case. A directive is a body line
    ``<directive>:glob;glob``, its globs (micromatch rules, see globs.py) matched against
    paths from the repository root or from ``folder``.
    """
    lowered = [keyword.lower() for keyword in keywords if keyword]
    rules: dict[str, CommitRule] = {}
    for sha, subject, body in messages:
        skip = any(keyword in subject.lower() for keyword in lowered)
        ignore = _directive_globs(body, ignore_directive)
        track = _directive_globs(body, track_directive)
        if skip or ignore or track:
            rules[sha] = CommitRule(skip, ignore, track, folder.strip("/"))
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
    newest: Change | None = None  # the newest change met, whatever it was
    excluded: bool = False  # a change that would have counted was excluded by a commit rule


# The note a page gets when its sync point is its newest commit, all of them being excluded.
ALL_EXCLUDED_NOTE = ("every commit to this translation is excluded by an ignore keyword or "
                     "directive; its newest commit is taken as its sync point (Lunaria's rule)")


def infer_sync_points(
    history: History,
    pages: Iterable[Page],
    rules: Mapping[str, CommitRule],
    cosmetic_of: Callable[[list[tuple[str, str]]], set[tuple[str, str]]],
    review_touches: str = REVIEW_TOUCH_IGNORED,
) -> dict[Page, Page]:
    """Each page with its sync point put where its marker would be (basis Basis.HISTORY).

    ``cosmetic_of`` tells which (old, new) blob pairs differ only cosmetically; it is called
    once per round with every pair that round must compare, so a whitespace-only edit costs
    one batch. With ``review_touches`` "sync", a whitespace-only edit of a translation is taken
    as a sync (a translator's "reviewed, nothing to change"), and no texts are compared. A page
    whose every committed change is excluded by a commit rule falls back to its newest commit,
    with a note; one with no committed change at all (not committed yet) keeps no commit.
    """
    result: dict[Page, Page] = {}
    searching = [_Search(page, _changes_back(history, page.path)) for page in pages]
    cosmetic: set[tuple[str, str]] = set()
    touches_count = review_touches == REVIEW_TOUCH_SYNC
    while searching:
        needed: list[tuple[str, str]] = []
        still: list[_Search] = []
        for search in searching:
            sync = _advance(history, search, rules, cosmetic, touches_count)
            if sync is _WAIT:
                assert search.waiting is not None
                needed.append((search.waiting.old_blob, search.waiting.blob))
                still.append(search)
            elif sync is None and search.excluded and search.newest is not None:
                result[search.page] = replace(
                    search.page, source_commit=history.commits[search.newest.commit],
                    basis=Basis.HISTORY, sync_note=ALL_EXCLUDED_NOTE)
            else:
                sha = history.commits[sync] if isinstance(sync, int) else None
                result[search.page] = replace(search.page, source_commit=sha, basis=Basis.HISTORY)
        if needed:
            cosmetic.update(cosmetic_of(needed))
        searching = still
    return result


_WAIT = object()


def _advance(
    history: History, search: _Search, rules: Mapping[str, CommitRule],
    cosmetic: set[tuple[str, str]], touches_count: bool,
) -> int | object | None:
    """The commit number of the search's sync point, None if there is none, or _WAIT."""
    if search.waiting is not None:
        change, search.waiting = search.waiting, None
        if (change.old_blob, change.blob) not in cosmetic:
            return change.commit
    for path, change in search.changes:
        if search.newest is None:
            search.newest = change
        if not change.changes_text:
            continue
        if not counted(rules, history.commits[change.commit], path):
            search.excluded = True
            continue
        if change.old_blob and change.blob and change.old_blob != change.blob:
            if touches_count:
                return change.commit
            search.waiting = change  # decided once the two texts are compared
            return _WAIT
        if change.old_blob and change.old_blob == change.blob:
            continue  # the same bytes: a mode change
        return change.commit  # the file's creation
    return None


def reads_translation_history(config: Config) -> bool:
    """True when sync points may come from the translations' own history (one repository)."""
    if config.basis == Basis.HISTORY and not config.same_repository:
        raise UsageError("basis 'history' needs the English pages and the translations in one "
                         f"repository; {config.translated_root} is not {config.source_root}")
    return config.same_repository and config.basis != Basis.MARKER


def english_history_folder(config: Config) -> str:
    return history_folder(config, reads_translation_history(config))
