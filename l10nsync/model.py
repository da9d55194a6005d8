"""The vocabulary shared by every module: frozen records and closed enums (Status, Basis,
Side, KeyStatus, SortOrder)."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import NamedTuple

from l10nsync.links import SiteLinks


class Status(str, enum.Enum):
    """What a translated page's relation to its English source is."""

    UP_TO_DATE = "up_to_date"
    OUTDATED = "outdated"
    MOVED = "moved"
    ORPHANED = "orphaned"
    MISSING_SOURCE_COMMIT = "missing_source_commit"
    INVALID_SOURCE_COMMIT = "invalid_source_commit"
    UNKNOWN_SOURCE_COMMIT = "unknown_source_commit"
    INVALID_FRONT_MATTER = "invalid_front_matter"
    UNTRANSLATED = "untranslated"

    def __str__(self) -> str:
        return self.value


# Order used in summaries and tables: what needs work first, then the rest.
STATUS_ORDER: tuple[Status, ...] = (
    Status.OUTDATED,
    Status.MOVED,
    Status.ORPHANED,
    Status.UNKNOWN_SOURCE_COMMIT,
    Status.INVALID_SOURCE_COMMIT,
    Status.MISSING_SOURCE_COMMIT,
    Status.INVALID_FRONT_MATTER,
    Status.UNTRANSLATED,
    Status.UP_TO_DATE,
)

NEEDS_WORK: frozenset[Status] = frozenset(STATUS_ORDER) - {Status.UP_TO_DATE}


class Basis(str, enum.Enum):
    """What gave a page's sync point: its marker, or its own git history (see
    rules/history_mode.py). The value is what JSON and the text say."""

    MARKER = "marker"
    HISTORY = "history"

    def __str__(self) -> str:
        return self.value


class Side(str, enum.Enum):
    """Which repository a pull request changes, for ``report``: the translations, or the
    English pages (whose translations it affects). The value is what JSON and the text say."""

    TRANSLATIONS = "translations"
    ENGLISH = "english"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Page:
    """A translated page as read from disk: where it is and what its marker says."""

    path: str  # relative to the translations repository root, '/' separated
    locale: str
    key: str  # the page's identity shared with its English source, e.g. 'glossary/asynchronous'
    source_commit: str | None = None  # the marker's raw value, not yet validated
    title: str | None = None
    marker_line: int | None = None  # 1-based line of the marker in the file, when present
    error: str | None = None  # set when the front matter cannot be parsed
    # MARKER: source_commit is the page's marker; HISTORY: it is the sync point inferred from
    # the page's git history (None when there is none), see rules/history_mode.py.
    basis: Basis = Basis.MARKER
    # Said of a sync point read from history that was not found the usual way
    # (see rules/history_mode.py).
    sync_note: str | None = None
    # The front matter's top-level keys when it is of the shape edits make without YAML (see
    # FrontMatter.front_keys), else None: what annotate needs to know without reading the page.
    front_keys: tuple[str, ...] | None = field(default=None, compare=False)


class Verdict(NamedTuple):
    """The verdict for one translated page (a tuple: 60,000 of them are made on every run)."""

    path: str
    locale: str
    source_path: str | None
    status: Status
    source_commit: str | None = None  # the full SHA once resolved, else the raw marker
    commits_behind: int | None = None
    moved_to: str | None = None
    message: str | None = None
    title: str | None = None
    # English commits since the marker that were not counted: whitespace-only changes to the
    # page and commits listed in .git-blame-ignore-revs (None where no history was followed).
    ignored_commits: tuple[str, ...] | None = None
    change_ratio: float | None = None  # outdated pages: share of the English text changed
    basis: Basis = Basis.MARKER  # what gave the sync point: the page's marker or its history
    sync_commit: str | None = None  # the sync point inferred from history (Basis.HISTORY)


STATUS_BY_VALUE: dict[str, Status] = {status.value: status for status in Status}
BASIS_BY_VALUE: dict[str, Basis] = {basis.value: basis for basis in Basis}


@dataclass(frozen=True)
class Drift:
    """How far a translation's structure is from its English text at the sync point (see
    rules/drift.py): ``score`` from 0 (the same) to 1, and the items missing or extra, as they
    appear.
    """

    score: float
    missing: tuple[str, ...]
    extra: tuple[str, ...]

    def to_data(self) -> dict[str, object]:
        """The JSON form."""
        return {"score": self.score, "missing": list(self.missing), "extra": list(self.extra)}


class SortOrder(str, enum.Enum):
    """How pages are listed."""

    path = "path"
    behind = "behind"  # most commits behind first
    change = "change"  # biggest share of English text changed first: a work queue
    # popularity x (change ratio + drift) first: the work queue a locale follows (see
    # Report.priority_of; it needs the report's popularity and drift, see Report.sort_key)
    priority = "priority"

    def key(self, page: Verdict) -> tuple[object, ...]:
        """The sort key of a page in this order (ties broken by path)."""
        rank = STATUS_ORDER.index(page.status)
        if self is SortOrder.change:
            return (-(page.change_ratio or 0.0), -(page.commits_behind or 0), rank, page.path)
        if self is SortOrder.behind or self is SortOrder.priority:
            return (-(page.commits_behind or 0), rank, page.path)
        return (page.path,)


# Statuses of translations whose English page exists at HEAD (under its name or another).
_TRANSLATED: frozenset[Status] = frozenset(STATUS_ORDER) - {Status.UNTRANSLATED, Status.ORPHANED}


@dataclass(frozen=True)
class LocaleProgress:
    """How far one locale is, in shares of one denominator: the English pages at HEAD."""

    locale: str
    label: str
    english_pages: int
    translated: int  # translations of English pages that exist (orphans left out)
    up_to_date: int

    @staticmethod
    def _percent(count: int, total: int) -> float | None:
        return round(100 * min(count, total) / total, 1) if total else None

    @property
    def translated_percent(self) -> float | None:
        """Translated pages as a share of the English pages (None with no English page)."""
        return self._percent(self.translated, self.english_pages)

    @property
    def up_to_date_percent(self) -> float | None:
        """Up-to-date pages as a share of the English pages (None with no English page)."""
        return self._percent(self.up_to_date, self.english_pages)

    def to_data(self) -> dict[str, object]:
        """The JSON form."""
        return {"label": self.label, "english_pages": self.english_pages,
                "translated": self.translated, "up_to_date": self.up_to_date,
                "translated_percent": self.translated_percent,
                "up_to_date_percent": self.up_to_date_percent}


class KeyStatus(str, enum.Enum):
    """What one key of a translated dictionary is to its English dictionary."""

    OUTDATED = "outdated"  # the English value changed since the translation's sync point
    MISSING = "missing"  # English has the key, the translation has not (and may not skip it)
    EXTRA = "extra"  # the translation has a key English no longer has (renamed or removed)
    UP_TO_DATE = "up_to_date"

    def __str__(self) -> str:
        return self.value


KEY_STATUS_ORDER: tuple[KeyStatus, ...] = tuple(KeyStatus)


class KeyVerdict(NamedTuple):
    """One key of a translated dictionary: its status, English then and now, the translation
    (a tuple: a site's dictionaries hold a hundred thousand of them)."""

    key: str  # dotted path
    status: KeyStatus
    english_before: str | None  # the English value at the sync point (None: not there)
    english_now: str | None  # the English value at HEAD (None: gone)
    translation: str | None = None  # the translated value now (None: not there)


@dataclass(frozen=True)
class DictionaryStatus:
    """A translated dictionary file, judged key by key against the English one."""

    path: str  # the translated file, from the translations repository root
    locale: str
    source_path: str  # the English dictionary file
    keys: tuple[KeyVerdict, ...] = ()  # sorted by key
    source_commit: str | None = None  # the sync point (full SHA) when there is one
    basis: Basis | None = None  # what gave the sync point (None: there is none)
    error: str | None = None  # why the file could not be judged (bad syntax, no sync point)

    def summary(self) -> dict[str, int]:
        """Keys per status, every status present."""
        tally = Counter(map(attrgetter("status"), self.keys))  # counted in C: 100,000 keys
        return {status.value: tally[status] for status in KEY_STATUS_ORDER}

    @property
    def needs_work(self) -> tuple[KeyVerdict, ...]:
        """The keys that are not up to date."""
        return tuple(v for v in self.keys if v.status is not KeyStatus.UP_TO_DATE)


@dataclass(frozen=True)
class Report:
    """Everything ``status`` found: the English side and one verdict per page, sorted."""

    source_root: str
    source_head: str
    pages: tuple[Verdict, ...]
    notes: tuple[str, ...] = field(default=())
    english_pages: int = 0  # English pages at HEAD: the denominator of every share
    locale_labels: tuple[tuple[str, str], ...] = ()  # locale code -> the name people read
    links: SiteLinks = field(default_factory=SiteLinks)  # web pages, where the host is known
    # The next command for each page that needs one, by path (see advice.py).
    advice: Mapping[str, str] = field(default_factory=dict)
    dictionaries: tuple[DictionaryStatus, ...] = ()  # translated UI-string dictionaries
    # With --drift: page path -> its structural drift (None where there is no English text at
    # a sync point to compare: moved, orphaned, unknown markers...); None without --drift.
    drift: Mapping[str, Drift | None] | None = None
    drift_threshold: float = 0.1  # the score from which a page counts as drifted
    # With a popularity file: page path -> its score (None when the file does not list it).
    popularity: Mapping[str, float | None] | None = None

    def priority_of(self, page: Verdict) -> float:
        """popularity x (change ratio + drift score): where a locale's work does most good.

        Without a popularity file every page weighs 1; a page the file does not list weighs 0.
        The change ratio counts for outdated pages, the drift score with --drift.
        """
        weight = 1.0 if self.popularity is None else self.popularity.get(page.path) or 0.0
        found = self.drift.get(page.path) if self.drift is not None else None
        return weight * ((page.change_ratio or 0.0) + (found.score if found else 0.0))

    def sort_key(self, order: SortOrder) -> Callable[[Verdict], tuple[object, ...]]:
        """The sort key of pages in ``order``; priority's ties go to the more popular page,
        then to the status that needs work first, the most commits behind, and the path."""
        if order is not SortOrder.priority:
            return order.key
        popularity = self.popularity or {}

        def key(page: Verdict) -> tuple[object, ...]:
            return (-self.priority_of(page), -(popularity.get(page.path) or 0.0),
                    STATUS_ORDER.index(page.status), -(page.commits_behind or 0), page.path)

        return key

    def is_drifted(self, page: Verdict) -> bool:
        """True when the page's drift score reaches the threshold (and is above 0)."""
        found = self.drift.get(page.path) if self.drift is not None else None
        return found is not None and found.score > 0 and found.score >= self.drift_threshold

    def findings(self) -> set[str]:
        """What ``--fail-on`` can ask about: every status present, and "drift" when a page
        drifted."""
        found = {page.status.value for page in self.pages}
        if self.drift is not None and any(self.is_drifted(page) for page in self.pages):
            found.add("drift")
        return found

    def progress(self) -> dict[str, LocaleProgress]:
        """Each locale's translated and up-to-date shares of the English pages."""
        labels = dict(self.locale_labels)
        return {
            locale: LocaleProgress(
                locale, labels.get(locale, locale), self.english_pages,
                sum(n for status, n in counts.items() if Status(status) in _TRANSLATED),
                counts[Status.UP_TO_DATE.value])
            for locale, counts in self.summary().items()
        }

    def label_of(self, locale: str) -> str:
        """The name people read for a locale."""
        return dict(self.locale_labels).get(locale, locale)

    def sorted_by(self, order: SortOrder) -> Report:
        """The same report with its pages in another order."""
        return replace(self, pages=tuple(sorted(self.pages, key=self.sort_key(order))))

    def summary(self) -> dict[str, dict[str, int]]:
        """Count pages per locale and status, every status present with 0 when absent."""
        tally = Counter((page.locale, page.status.value) for page in self.pages)
        counts: dict[str, dict[str, int]] = {}
        for locale in sorted({locale for locale, _status in tally}):
            counts[locale] = {s.value: tally[(locale, s.value)] for s in STATUS_ORDER}
        return counts


@dataclass(frozen=True)
class DiffCommit:
    """An English commit that changed a page since its translation's marker."""

    sha: str
    date: str  # ISO 8601 author date (what git log shows)
    subject: str
    counted: bool  # False for whitespace-only changes and commits in .git-blame-ignore-revs


@dataclass(frozen=True)
class SectionRef:
    """A section of the translated page, by heading and lines, with the alignment score."""

    heading: str | None  # None for the part before the first heading
    start_line: int
    end_line: int
    score: float


@dataclass(frozen=True)
class DiffHunk:
    """One hunk of the English diff and where it belongs in the translation."""

    old_start: int
    old_lines: int
    new_start: int
    new_lines: int
    lines: tuple[str, ...]  # each starting with " ", "-" or "+"
    translation_section: SectionRef | None
    best_score: float  # the alignment score of the best candidate, even below the cutoff
    in_front_matter: bool = False  # the changed lines are all in the front matter

    @property
    def text(self) -> str:
        """The hunk's lines as one text."""
        return "\n".join(self.lines)


@dataclass(frozen=True)
class PageDiff:
    """What changed in English since a translation's marker, mapped onto the translation."""

    path: str
    status: Status
    source_path: str  # the English file the translation was made from, at the marker
    current_path: str  # the English file now (differs for a moved page)
    source_commit: str
    head_commit: str
    moved_to: str | None
    commits: tuple[DiffCommit, ...]
    hunks: tuple[DiffHunk, ...]
    change_ratio: float


@dataclass(frozen=True)
class ReviewedPage:
    """A translated page a pull request adds or changes, with its status after the change."""

    status: Verdict
    marker_line: int | None  # where to point an annotation; None when there is no marker
    blocked_because: str | None  # the pre-commit hook's reason to block it, if any
    fix: str | None  # the command that fixes it
    new: bool = False  # the pull request adds this page


@dataclass(frozen=True)
class ReviewedDictionary:
    """A translated dictionary a pull request changes (or whose English it changes)."""

    status: DictionaryStatus
    blocked_because: str | None = None  # the pre-commit hook's reason to block it, if any
    fix: str | None = None


@dataclass(frozen=True)
class PullRequestReport:
    """What a pull request does to translations, for ``l10nsync report``.

    In a translations repository, ``pages`` are the translated pages the pull request adds or
    changes. In the English repository, ``impacted`` are the existing translations of the
    English pages it changes, moves or deletes, each with its status after the change.
    """

    side: Side  # the repository the pull request changes
    base: str  # full SHA of the merge base
    head: str  # full SHA of the head
    pages: tuple[ReviewedPage, ...]
    impacted: tuple[Verdict, ...]
    english_changes: tuple[tuple[str, str, str | None], ...]  # (status letter, path, new path)
    links: SiteLinks = field(default_factory=SiteLinks)  # web pages, where the host is known
    locale_labels: tuple[tuple[str, str], ...] = ()  # locale code -> the name people read
    # English side: translations of the changed pages whose problem was there before the pull
    # request (an unknown marker, a page already outdated...): not its effects.
    pre_existing: tuple[Verdict, ...] = ()
    # English side: each affected translation's next command, run in the translations
    # repository (see advice.py), by path.
    advice: Mapping[str, str] = field(default_factory=dict)
    dictionaries: tuple[ReviewedDictionary, ...] = ()  # UI-string dictionaries, by path

    def label_of(self, locale: str) -> str:
        """The name people read for a locale."""
        return dict(self.locale_labels).get(locale, locale)

    def links_of(self, page: Verdict) -> dict[str, str]:
        """A page's links on the git host (see SiteLinks.for_page)."""
        return self.links.of(page)
