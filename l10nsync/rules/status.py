"""Pure status rules: (Config, pages, History) -> Report. No printing and no git calls here."""

from __future__ import annotations

import posixpath
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field

from l10nsync.config import Config
from l10nsync.history import (
    History,
    Lineage,
    ancestor_sets,
    follow_page,
    is_hex_revision,
    path_at_commit,
    path_forward_at,
    state_at,
)
from l10nsync.layout import (
    below,
    in_folder,
    source_candidates,
    source_folder,
    source_key,
    translation_path,
    url_key,
)
from l10nsync.model import Basis, Page, Report, Status, Verdict
from l10nsync.rules.history_mode import CommitRule
from l10nsync.rules.history_mode import counted as counts

_MAX_REDIRECT_HOPS = 20
_SHOWN_MARKER = 60  # a hostile marker is shown cut to this length


@dataclass(frozen=True)
class SourceFacts:
    """What git said about the English side, beyond the history itself."""

    history: History
    redirects: Mapping[str, str] = field(default_factory=dict)  # old folder -> new folder
    # Old URL key -> English page at HEAD that lists it among its aliases (Hugo).
    aliases: Mapping[str, str] = field(default_factory=dict)
    # Well-formed markers that are not in HEAD's history: marker -> True if git knows the commit.
    known_elsewhere: Mapping[str, bool] = field(default_factory=dict)
    # (marker, English path) -> full SHA, where git found that path's text at the marker's
    # commit (an ancestor of HEAD) to be the text at HEAD: in step, whatever happened between.
    same_text_since: Mapping[tuple[str, str], str] = field(default_factory=dict)
    # Commits listed in the English repository's .git-blame-ignore-revs (full SHAs).
    ignored_revisions: frozenset[str] = frozenset()
    # Commits whose messages say some of their changes do not count (see rules/history_mode.py).
    commit_rules: Mapping[str, CommitRule] = field(default_factory=dict)
    # Blob -> digest of its whitespace-normalized text, for the blobs compare_texts() named.
    digests: Mapping[str, str] = field(default_factory=dict)
    # (before, after) blobs of changes between the ends known to be cosmetic.
    cosmetic_changes: frozenset[tuple[str, str]] = frozenset()
    # (before, after) blobs -> share of the normalized text that changed (see
    # align.normalized_change_ratio), for the two ends of pages whose texts differ.
    change_ratios: Mapping[tuple[str, str], float] = field(default_factory=dict)
    # Pages already traced (by texts_to_compare), so that judging does not trace them again.
    routes: Mapping[Page, Verdict | Route] = field(default_factory=dict)


def short(sha: str) -> str:
    """The 12-character form of a SHA used in messages."""
    return sha[:12]


def shown_marker(value: str) -> str:
    """A marker as it may appear in a message: quoted and cut to a sane length."""
    if len(value) > _SHOWN_MARKER:
        value = value[:_SHOWN_MARKER] + "..."
    return repr(value)


def unresolved_markers(pages: Iterable[Page], history: History) -> set[str]:
    """Well-formed markers that name no commit of the English HEAD's history."""
    return {
        page.source_commit
        for page in pages
        if page.source_commit
        and is_hex_revision(page.source_commit)
        and history.resolve(page.source_commit)[0] is None
    }


def compute_report(
    config: Config,
    pages: Iterable[Page],
    facts: SourceFacts,
    *,
    untranslated_locales: Iterable[str] = (),
    known: Mapping[Page, Verdict] | None = None,
    not_ready: Container[str] = (),
) -> Report:
    """Judge every page against the English history; add untranslated pages if asked.

    ``known`` holds verdicts from an earlier run against the same English history and
    configuration; a page equal to one there is not judged again.
    """
    history = facts.history
    known = known or {}
    pages = list(pages)
    resolved, ancestry = _resolve_markers(
        [page for page in pages if page not in known and page not in facts.routes], history
    )
    results = []
    for page in pages:
        verdict = known.get(page)
        if verdict is None:
            verdict = judge_page(config, page, facts, resolved, ancestry)
            if page.basis is Basis.HISTORY:
                verdict = from_history(verdict, page)
        results.append(verdict)
    for locale in untranslated_locales:
        results.extend(find_untranslated(config, locale, history, results, not_ready))
    results.sort(key=lambda status: status.path)
    notes = report_notes(history.shallow, results, facts.known_elsewhere)
    return Report(
        source_root=str(config.source_root),
        source_head=history.head,
        pages=tuple(results),
        notes=tuple(notes),
    )


def from_history(verdict: Verdict, page: Page) -> Verdict:
    """A verdict on a sync point read from history: said so, with the commit as such."""
    if page.source_commit is None and page.error is None:
        return verdict._replace(
            message="no committed change to this translation to take as its sync point; "
                    "commit it, or give it a marker", basis=Basis.HISTORY)
    if page.sync_note is not None:
        message = f"{verdict.message}; {page.sync_note}" if verdict.message else page.sync_note
        verdict = verdict._replace(message=message)
    return verdict._replace(basis=Basis.HISTORY, sync_commit=verdict.source_commit,
                            source_commit=None)


def report_notes(
    shallow: bool, results: Iterable[Verdict], unresolved: Container[str]
) -> list[str]:
    """Run-wide remarks: a shallow English clone that hides some markers' commits.

    ``unresolved`` are the markers that name no commit of the English history.
    """
    if shallow and any(
        r.status is Status.UNKNOWN_SOURCE_COMMIT and r.source_commit in unresolved
        for r in results
    ):
        return ["the English repository is a shallow clone; run 'git fetch --unshallow' "
                "there so older sourceCommits can be found"]
    return []


@dataclass(frozen=True)
class Route:
    """Where a page's English text went since its marker, when it stayed the same page."""

    sha: str  # the marker's commit
    path_then: str
    blob_then: str
    path_now: str
    lineage: Lineage


def _trace(
    config: Config,
    page: Page,
    facts: SourceFacts,
    resolved: Mapping[str, str],
    ancestry: Mapping[int, int],
    *,
    follow_moves: bool = False,
) -> Verdict | Route:
    """Every verdict that needs no text comparison, or the route to compare texts along.

    With ``follow_moves``, a page whose English source was renamed gets its route too (for
    ``diff``, which compares against the new location).
    """
    history = facts.history
    extension = posixpath.splitext(page.path)[1]
    candidates = source_candidates(config, page.key, extension)
    expected = next((c for c in candidates if c in history.head_blobs), candidates[0])

    def verdict(status: Status, message: str, **fields: object) -> Verdict:
        values: dict[str, object] = {"source_path": expected, "source_commit": page.source_commit}
        values.update(fields)
        return Verdict(path=page.path, locale=page.locale, status=status, message=message,
                          title=page.title, **values)  # type: ignore[arg-type]

    marker_name = config.marker_key
    if page.error is not None:
        return verdict(Status.INVALID_FRONT_MATTER, page.error)
    if page.source_commit is None:
        return verdict(Status.MISSING_SOURCE_COMMIT, f"no {marker_name} in the front matter")
    if not is_hex_revision(page.source_commit):
        return verdict(
            Status.INVALID_SOURCE_COMMIT,
            f"{marker_name} {shown_marker(page.source_commit)} is not a 7 to 64 character "
            "hex commit id",
        )
    for candidate in candidates:
        same_since = facts.same_text_since.get((page.source_commit, candidate))
        if same_since is not None:
            return verdict(Status.UP_TO_DATE, IN_STEP, source_path=candidate,
                           source_commit=same_since, commits_behind=0, ignored_commits=())
    sha = resolved.get(page.source_commit)
    if sha is None:
        return verdict(Status.UNKNOWN_SOURCE_COMMIT, _unknown_message(page.source_commit, facts))
    ancestors = ancestry[history.position[sha]]
    path_then, then = None, None
    for candidate in candidates:
        then = state_at(history, candidate, ancestors)
        if then is not None:
            path_then = candidate
            break
    if not follow_moves and then is not None and path_then is not None and (
        then.blob == history.head_blobs.get(path_then)
    ):
        # The same text at the same path: in step, whatever happened in between. Most pages
        # are settled here, without following their history.
        return verdict(Status.UP_TO_DATE, IN_STEP, source_path=path_then, source_commit=sha,
                       commits_behind=0, ignored_commits=())
    if path_then is None:
        for candidate in candidates:
            if candidate in history.head_blobs:
                path_then = path_at_commit(history, candidate, ancestors)
                if path_then is not None:
                    break
    if path_then is None:
        # Gone at HEAD too: the page that held this name, back to the marker through the
        # renames that brought it here, or forward through those that took it away.
        for candidate in candidates:
            if history.changes_of(candidate):
                path_then = (path_at_commit(history, candidate, ancestors)
                             or path_forward_at(history, candidate, ancestors))
                if path_then is not None:
                    break
    if path_then is None:
        return verdict(
            Status.UNKNOWN_SOURCE_COMMIT,
            f"the English page {expected} did not exist at {short(sha)} under any name",
            source_commit=sha,
        )
    lineage = follow_page(history, path_then, ancestors)
    if lineage.path_now is None:
        target = _redirect_target(config, lineage.last_path, facts)
        if target is not None:
            return verdict(
                Status.MOVED,
                f"the English page was removed and now redirects to {target}; "
                "move the translation there",
                source_path=lineage.last_path, source_commit=sha, moved_to=target,
            )
        return verdict(
            Status.ORPHANED,
            f"the English page {lineage.last_path} was deleted; "
            "remove the translation or move it to the page that replaced it",
            source_path=lineage.last_path, source_commit=sha,
        )
    if lineage.path_now not in candidates and not follow_moves:
        return verdict(
            Status.MOVED,
            f"the English page moved to {lineage.path_now}; move the translation to "
            f"{translation_path(config, page.locale, lineage.path_now)}",
            source_path=path_then, source_commit=sha, moved_to=lineage.path_now,
        )
    then = state_at(history, path_then, ancestors)
    return Route(sha, path_then, then.blob if then else "", lineage.path_now, lineage)


IN_STEP = "in step with English"


def judge_page(
    config: Config,
    page: Page,
    facts: SourceFacts,
    resolved: Mapping[str, str],
    ancestry: Mapping[int, int],
) -> Verdict:
    """The status of one translated page."""
    route = facts.routes.get(page) or _trace(config, page, facts, resolved, ancestry)
    if isinstance(route, Verdict):
        return route
    history = facts.history
    blob_now = history.head_blobs.get(route.path_now, "")

    def same_text(before: str, after: str) -> bool:
        if before == after:
            return True
        digest = facts.digests.get(before)
        return digest is not None and digest == facts.digests.get(after)

    counted: list[str] = []
    ignored: list[str] = []
    for change in route.lineage.changes:
        sha = history.commits[change.commit]
        cosmetic = bool(change.old_blob and change.blob) and (
            (change.old_blob, change.blob) in facts.cosmetic_changes
            or same_text(change.old_blob, change.blob))
        listed = sha in facts.ignored_revisions or not counts(facts.commit_rules, sha,
                                                              route.path_now)
        (ignored if cosmetic or listed else counted).append(sha)

    def verdict(status: Status, message: str, **fields: object) -> Verdict:
        return Verdict(path=page.path, locale=page.locale, status=status, message=message,
                          title=page.title, source_path=route.path_now,
                          source_commit=route.sha, ignored_commits=tuple(ignored),
                          **fields)  # type: ignore[arg-type]

    if same_text(route.blob_then, blob_now) or (ignored and not counted):
        # Only whitespace changed, or every change is one the repository says to ignore.
        note = f" (ignored {len(ignored)} cosmetic or listed commits)" if ignored else ""
        return verdict(Status.UP_TO_DATE, IN_STEP + note, commits_behind=0)
    # A text difference with no counted commit can only come from a merge's own edit.
    behind = max(len(counted), 1)
    ratio = facts.change_ratios.get((route.blob_then, blob_now))
    return verdict(
        Status.OUTDATED,
        f"{behind} English commit{'s' if behind != 1 else ''} since {short(route.sha)}",
        commits_behind=behind, change_ratio=ratio,
    )


def judge_page_alone(config: Config, page: Page, facts: SourceFacts) -> Verdict:
    """The status of one page, its marker resolved on its own."""
    resolved, ancestry = _resolve_markers([page], facts.history)
    return judge_page(config, page, facts, resolved, ancestry)


def trace_pages(
    config: Config, pages: Iterable[Page], facts: SourceFacts
) -> dict[Page, Verdict | Route]:
    """The route of each page's English text since its marker, renames followed (for diffs)."""
    pages = list(pages)
    resolved, ancestry = _resolve_markers(pages, facts.history)
    return {page: _trace(config, page, facts, resolved, ancestry, follow_moves=True)
            for page in pages}


@dataclass(frozen=True)
class TextComparison:
    """The English blobs one page's verdict compares: the two ends and each change between."""

    path: str  # the English page now, to read blobs of one file together
    ends: tuple[str, str]
    changes: tuple[tuple[str, str], ...]  # (before, after) of each change with both sides


def texts_to_compare(
    config: Config, pages: Iterable[Page], facts: SourceFacts
) -> tuple[list[TextComparison], dict[Page, Verdict | Route]]:
    """What the verdicts of pages whose English text differs since their marker compare,
    and every page's trace (for ``SourceFacts.routes``).

    Pages settled without text (most: the same blob at both ends) need nothing.
    """
    pages = list(pages)
    resolved, ancestry = _resolve_markers(pages, facts.history)
    comparisons = []
    routes: dict[Page, Verdict | Route] = {}
    for page in pages:
        route = routes[page] = _trace(config, page, facts, resolved, ancestry)
        if isinstance(route, Verdict):
            continue
        changes = tuple((c.old_blob, c.blob) for c in route.lineage.changes
                        if c.old_blob and c.blob)
        now = facts.history.head_blobs.get(route.path_now, "")
        comparisons.append(TextComparison(route.path_now, (route.blob_then, now), changes))
    return comparisons, routes


def _resolve_markers(
    pages: Iterable[Page], history: History
) -> tuple[dict[str, str], dict[int, int]]:
    """Full SHAs of the pages' markers in the English history, and their ancestor sets."""
    resolved: dict[str, str] = {}
    for page in pages:
        if page.source_commit and is_hex_revision(page.source_commit):
            sha, _ambiguous = history.resolve(page.source_commit)
            if sha is not None:
                resolved[page.source_commit] = sha
    ancestry = ancestor_sets(history.parents, {history.position[sha] for sha in resolved.values()})
    return resolved, ancestry


def _unknown_message(marker: str, facts: SourceFacts) -> str:
    history = facts.history
    _sha, ambiguous = history.resolve(marker)
    if ambiguous:
        return f"sourceCommit {marker} is ambiguous: several English commits start with it"
    if facts.known_elsewhere.get(marker):
        return (f"sourceCommit {marker} is not in the history of the English HEAD "
                f"({short(history.head)}): an unmerged branch?")
    if history.shallow:
        return (f"sourceCommit {marker} is not in the English repository, which is a shallow "
                "clone: run 'git fetch --unshallow' there")
    return f"sourceCommit {marker} is not a commit of the English repository"


def _redirect_target(config: Config, last_path: str, facts: SourceFacts) -> str | None:
    """Where MDN's _redirects.txt, or an English page's aliases, send a deleted page, if that
    page exists at HEAD."""
    if facts.aliases:
        old = url_key(config, last_path)
        if old is not None and old in facts.aliases:
            return facts.aliases[old]
    if not facts.redirects:
        return None
    key = source_key(config, last_path)
    relative = None if key is None else below(source_folder(config), key)
    if relative is None:
        return None
    folder, _, _name = relative.rpartition("/")
    seen = set()
    for _ in range(_MAX_REDIRECT_HOPS):
        if folder in seen or folder not in facts.redirects:
            break
        seen.add(folder)
        folder = facts.redirects[folder]
        for candidate in source_candidates(
            config, in_folder(source_folder(config), f"{folder}/index"), ".md"
        ):
            if candidate in facts.history.head_blobs:
                return candidate
    return None


def find_untranslated(
    config: Config, locale: str, history: History, judged: Iterable[Verdict],
    not_ready: Container[str] = (),
) -> list[Verdict]:
    """English pages at HEAD with no translation in ``locale`` (a moved one's target counts);
    pages ``not_ready`` for translation are left out."""
    covered: set[str] = set()
    for status in judged:
        if status.locale != locale:
            continue
        for path in (status.source_path, status.moved_to):
            if path:
                key = source_key(config, path)
                if key is not None:
                    covered.add(key)
    missing = []
    for source_path in history.head_blobs:
        key = source_key(config, source_path)
        if key is None or key in covered or source_path in not_ready:
            continue
        missing.append(
            Verdict(
                path=translation_path(config, locale, source_path),
                locale=locale,
                source_path=source_path,
                status=Status.UNTRANSLATED,
                message=f"not translated into {locale} yet",
            )
        )
    return missing


def source_pages(config: Config, history: History) -> list[str]:
    """English page paths at HEAD."""
    return sorted(path for path in history.head_blobs if source_key(config, path) is not None)

