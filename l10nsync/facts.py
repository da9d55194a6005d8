"""What the English side says beyond the pages: its history (one pass, or a narrow read for a
few named pages), redirects, aliases, commit rules and the texts the rules compare."""

from __future__ import annotations

import posixpath
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from l10nsync.align import (
    normalize_text,
    normalized_change_ratio,
    normalized_digest,
    squeezed_digest,
    text_digest,
)
from l10nsync.cache.status import StatusCache
from l10nsync.config import Config
from l10nsync.errors import UsageError
from l10nsync.frontmatter import parse_front_matter, string_list
from l10nsync.gitrepo import BlobReader, GitRepository, Progress
from l10nsync.history import History, is_hex_revision
from l10nsync.layout import alias_keys, in_folder, parse_redirects, source_candidates, source_folder
from l10nsync.links import SiteLinks, repository_links
from l10nsync.model import Basis, Page
from l10nsync.rules.history_mode import (
    CommitRule,
    english_history_folder,
    infer_sync_points,
    parse_commit_rules,
    reads_translation_history,
)
from l10nsync.rules.status import SourceFacts, source_pages, texts_to_compare, unresolved_markers


def load_history(
    config: Config,
    cache: StatusCache,
    known: History | None = None,
    progress: Progress | None = None,
    later: Callable[[Callable[[], None]], object] | None = None,
) -> History:
    """The English history, from the cache when it is for this HEAD or an ancestor of it
    (``later``, if given, is handed the writing of a history read or extended: a caller with
    a thread to spare returns before the 12 MB are written at MDN's size)."""
    known = known or cache.history()
    # A history moved forward is the cached one extended in place: told by its HEAD.
    known_head = known.head if known is not None else None
    with GitRepository(config.source_root) as repo:
        history = repo.read_history(english_history_folder(config), known, progress)
    if history.commits and history.head != known_head:
        cache.keep_history(history, later)
    return history


def english_candidates(config: Config, page: Page) -> list[str]:
    return source_candidates(config, page.key, posixpath.splitext(page.path)[1])


def read_narrow_source(config: Config, pages: Sequence[Page]) -> tuple[History, dict[Any, str]]:
    """For a few named pages with no cached history: only what those pages need.

    A page whose English text at its marker's commit (an ancestor of HEAD) is the text at
    HEAD is in step, which git tells by comparing two blobs; the history of the other pages
    is read since their markers only (see ``GitRepository.read_narrow_history``). This is the
    pre-commit case. Every file at HEAD is listed on a thread meanwhile: only the history
    needs the listing, and git lists while it walks.
    """
    folder = source_folder(config)
    with ThreadPoolExecutor(max_workers=1) as pool:
        listing = pool.submit(_files_at_head, config, folder)
        with GitRepository(config.source_root) as repo:
            head = repo.head()
            resolved = repo.resolve_commits(
                {page.source_commit for page in pages if page.source_commit})
            wanted = [(resolved[page.source_commit], candidate, page)
                      for page in pages if page.source_commit in resolved
                      for candidate in english_candidates(config, page)]
            now = {candidate for page in pages for candidate in english_candidates(config, page)}
            blobs = repo.blobs_at([(sha, candidate) for sha, candidate, _page in wanted]
                                  + [(head, candidate) for candidate in sorted(now) if head])
            ancestry: dict[str, bool] = {}

            def is_ancestor(sha: str) -> bool:
                # Asked only where the answer matters: git walks from HEAD to the marker.
                if sha not in ancestry:
                    ancestry[sha] = head is not None and repo.is_ancestor(sha, head)
                return ancestry[sha]

            same_text: dict[Any, str] = {}
            settled: set[Page] = set()
            for sha, candidate, page in wanted:
                blob = blobs.get((sha, candidate))
                if page in settled or blob is None:
                    continue
                settled.add(page)  # the first candidate present at the marker is the page
                if blob == blobs.get((head or "", candidate)) and is_ancestor(sha):
                    same_text[(page.source_commit, candidate)] = sha
            rest = [page for page in pages
                    if not any((page.source_commit, c) in same_text
                               for c in english_candidates(config, page))]

            def paths_of(page: Page) -> list[str]:
                # The English file at HEAD (or else at the marker) is enough: the history of
                # every other name it had is found through its renames.
                candidates = english_candidates(config, page)
                at_head = [c for c in candidates if (head, c) in blobs]
                if at_head:
                    return at_head
                sha = resolved.get(page.source_commit or "")
                if sha is not None and is_ancestor(sha):
                    return [c for c in candidates if (sha, c) in blobs] or candidates
                return candidates

            history = repo.read_narrow_history(
                folder,
                {path for page in rest for path in paths_of(page)},
                {page.source_commit for page in rest if page.source_commit},
                head_blobs={},
            )
        history.head_blobs = listing.result()
    return history, same_text


def _files_at_head(config: Config, folder: str) -> dict[str, str]:
    with GitRepository(config.source_root) as repo:
        return repo.files_at_head(folder)


def read_commit_rules(config: Config) -> dict[str, CommitRule]:
    """The commit rules of the English history (see rules/history_mode.py), for a thread
    of their own."""
    with GitRepository(config.source_root) as repo:
        return _commit_rules(config, repo)


def _commit_rules(config: Config, repo: GitRepository) -> dict[str, CommitRule]:
    words = [*config.ignore_keywords, config.ignore_directive, config.track_directive]
    messages = repo.messages_mentioning(words, english_history_folder(config))
    return parse_commit_rules(messages, config.ignore_keywords, config.ignore_directive,
                              config.track_directive, config.project_folder)


def infer_pages(config: Config, pages: Sequence[Page], facts: SourceFacts) -> dict[Page, Page]:
    """The pages whose sync point comes from their history, with it in place of a marker."""
    if not reads_translation_history(config):
        return {}
    wanted = [page for page in pages if page.error is None
              and (config.basis == Basis.HISTORY or page.source_commit is None)]
    if not wanted:
        return {}
    with GitRepository(config.source_root) as repo:

        def cosmetic_of(pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
            return cosmetic_pairs(repo.read_blobs, pairs)

        return infer_sync_points(facts.history, wanted, facts.commit_rules, cosmetic_of,
                                 config.review_touches)


def cosmetic_pairs(
    read_blobs: BlobReader, pairs: Sequence[tuple[str, str]]
) -> set[tuple[str, str]]:
    """The (old, new) blob pairs whose texts differ only cosmetically (see normalize_text).

    Squeezed digests rule out almost every pair at a tenth of the cost of normalizing; only
    pairs that squeeze alike are normalized, while their bytes are still at hand. Blobs are
    asked for in the order given, so versions of one file follow each other: git's delta
    cache serves them, and a pair's two blobs arrive close together.
    """
    wanted = [pair for pair in pairs if pair[0] and pair[1] and pair[0] != pair[1]]
    partners: dict[str, list[str]] = {}
    for old, new in wanted:
        partners.setdefault(old, []).append(new)
        partners.setdefault(new, []).append(old)
    squeezed: dict[str, str] = {}
    normalized: dict[str, str] = {}
    recent: OrderedDict[str, bytes] = OrderedDict()  # the last blobs read, by id
    late: set[str] = set()  # blobs to normalize that left ``recent`` before their partner came
    for blob, data in read_blobs(partners):
        squeezed[blob] = digest = squeezed_digest(data)
        recent[blob] = data
        if len(recent) > 64:
            recent.popitem(last=False)
        for other in partners[blob]:
            if squeezed.get(other) != digest:
                continue
            if blob not in normalized:
                normalized[blob] = normalized_digest(data)
            if other not in normalized:
                if other in recent:
                    normalized[other] = normalized_digest(recent[other])
                else:
                    late.add(other)
    normalized.update((blob, normalized_digest(data)) for blob, data in read_blobs(late))
    return {pair for pair in wanted
            if pair[0] in normalized and normalized[pair[0]] == normalized.get(pair[1])}


def not_ready_pages(config: Config, history: History) -> frozenset[str]:
    """English pages whose ``localizable_property`` is not true: not to be translated yet."""
    if not config.localizable_property:
        return frozenset()
    paths = {history.head_blobs[path]: path for path in source_pages(config, history)}
    with GitRepository(config.source_root) as repo:
        return frozenset(
            paths[blob] for blob, data in repo.read_blobs(sorted(paths))
            if (parse_front_matter(data, config.localizable_property).marker or "").lower()
            != "true"
        )


def _redirects(config: Config, repo: GitRepository, history: History) -> dict[str, str]:
    path = in_folder(source_folder(config), config.redirects_file)
    blob = history.head_blobs.get(path)
    if not blob:
        return {}
    return parse_redirects(repo.read_blob(blob).decode("utf-8", errors="replace"),
                           config.source_locale)


def _moved_by_aliases(config: Config, repo: GitRepository, history: History) -> dict[str, str]:
    """Old URL key -> English page at HEAD, from the pages' ``aliases_property`` (Hugo)."""
    if not config.aliases_property:
        return {}
    paths = {history.head_blobs[path]: path for path in source_pages(config, history)}
    moved: dict[str, str] = {}
    for blob, data in repo.read_blobs(sorted(paths)):
        aliases = string_list(data, config.aliases_property)
        for key in alias_keys(config, paths[blob], aliases):
            moved.setdefault(key, paths[blob])
    return moved


def read_source_facts(
    config: Config,
    history: History,
    pages: Sequence[Page],
    rules: Mapping[str, CommitRule] | None = None,
) -> SourceFacts:
    """What status needs from the English repository besides its history (``rules``: the
    commit rules, if the caller read them already)."""
    _check_source(config, history)
    unresolved = unresolved_markers(pages, history)
    with GitRepository(config.source_root) as repo:
        redirects = _redirects(config, repo, history)
        aliases = _moved_by_aliases(config, repo, history)
        elsewhere = repo.existing_commits(unresolved)
        ignore_revs = repo.read_file_at_head(config.ignore_revs_file)
        if rules is None:
            rules = _commit_rules(config, repo)
    known = {marker: marker in elsewhere for marker in sorted(unresolved)}
    ignored = set()
    for line in (ignore_revs or b"").decode("utf-8", errors="replace").splitlines():
        revision = line.split("#", 1)[0].strip()
        sha = history.resolve(revision)[0] if is_hex_revision(revision) else None
        if sha is not None:
            ignored.add(sha)
    return SourceFacts(history=history, redirects=redirects, aliases=aliases,
                       known_elsewhere=known,
                       ignored_revisions=frozenset(ignored), commit_rules=rules)


def read_texts(config: Config, pages: Sequence[Page], facts: SourceFacts,
               on_blob: Callable[[str, bytes], None] | None = None) -> SourceFacts:
    """Add what the verdicts of ``pages`` learn from the English texts: digests of the
    normalized texts they compare, the changes in between that are cosmetic, and the change
    ratio of the two ends (``on_blob`` is shown each English text as read, for a caller that
    needs them too).

    Only pages whose English text differs since their marker need any; of those, the changes
    in between are read only where the two ends differ by more than whitespace and more than
    one commit changed the page (with one, that commit is the whole difference). Blobs of a
    file are asked for together, and all through one ``cat-file``: git's delta cache then
    serves most of them (MDN's pages are all ``index.md``, which git deltifies together).
    """
    comparisons, routes = texts_to_compare(config, pages, facts)
    if not comparisons:
        return replace(facts, routes=routes)
    comparisons.sort(key=lambda comparison: comparison.path)
    digests: dict[str, str] = {}
    texts: dict[str, str] = {}
    with GitRepository(config.source_root) as repo, repo.blob_reader() as read_blobs:
        ends = dict.fromkeys(blob for c in comparisons for blob in c.ends if blob)
        for blob, data in read_blobs(ends):
            if on_blob is not None:
                on_blob(blob, data)
            texts[blob] = text = normalize_text(data.decode("utf-8", errors="replace"))
            digests[blob] = text_digest(text)
        ratios: dict[tuple[str, str], float] = {}
        for before, after in dict.fromkeys(c.ends for c in comparisons):
            # Translations into several locales often compare the same two English versions.
            if before in texts and after in texts and digests[before] != digests[after]:
                ratios[before, after] = normalized_change_ratio(texts[before], texts[after])
        texts.clear()  # the changes in between can be many: hold one set of texts at a time
        cosmetic = cosmetic_pairs(read_blobs, [
            change for c in comparisons
            if len(c.changes) > 1 and digests.get(c.ends[0]) != digests.get(c.ends[1])
            for change in c.changes
        ])
    return replace(facts, digests=digests, change_ratios=ratios, routes=routes,
                   cosmetic_changes=frozenset(cosmetic))


def _check_source(config: Config, history: History) -> None:
    folder = source_folder(config)
    if not history.commits:
        raise UsageError(f"{config.source_root}: the English repository has no commits")
    if not history.head_blobs:
        raise UsageError(
            f"{config.source_root}: no English source found ({folder}/ is empty at HEAD); "
            "pass --source-root or set CONTENT_ROOT to the English content repository"
        )


def site_links(config: Config, english_head: str) -> SiteLinks:
    """Web links to both repositories: the configured ``repository_url`` or each one's
    ``origin`` remote; file links follow the translations' branch and ``english_head``
    (default: the English repository's HEAD)."""
    with GitRepository(config.translated_root) as repo:
        url = config.repository_url or repo.remote_url()
        translations = repository_links(url, repo.branch() or repo.head() or "HEAD")
    if config.same_repository:
        english = translations
    else:
        with GitRepository(config.source_root) as repo:
            url = repo.remote_url()
            english = None if url is None else repository_links(
                url, english_head or repo.head() or "HEAD")
    return SiteLinks(translations, english)

