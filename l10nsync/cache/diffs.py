"""The dashboard's English diffs, kept between runs in ``<git-dir>/l10nsync/diffs.bin``.

Aligning sections and reading blobs is most of a dashboard's cost, and a page's hunks depend
only on its two English texts, its translated text and the section cutoff. Entries are keyed by
those (blob ids and a digest of the translated bytes), so they stay valid when English HEAD
moves without touching a page; commit dates and subjects are kept by SHA. A run keeps only what
it used, so the file does not grow with pages long gone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10nsync.cache.store import cache_key, load_entry, store_entry
from l10nsync.model import DiffHunk, SectionRef

DIFFS_FILE = "diffs.bin"

DiffKey = tuple[str, str, str, float]  # English blob then, English blob now, translation, cutoff
Hunks = tuple[tuple[DiffHunk, ...], float]  # the hunks and the change ratio


def diff_key(blob_then: str, blob_now: str, translated: bytes, cutoff: float) -> DiffKey:
    """Everything a page's hunks depend on (besides l10nsync's code, in the file's key)."""
    return (blob_then, blob_now, hashlib.sha256(translated).hexdigest(), cutoff)


@dataclass
class DiffCache:
    """The diffs and commit summaries of the last run; a None folder caches nothing."""

    folder: Path | None
    _known: dict[Any, Any] = field(default_factory=dict)
    _known_commits: dict[Any, Any] = field(default_factory=dict)
    _used: dict[DiffKey, Any] = field(default_factory=dict)
    _used_commits: dict[str, tuple[str, str]] = field(default_factory=dict)
    _added: bool = False

    @classmethod
    def load(cls, folder: Path | None) -> DiffCache:
        """The cache kept in ``folder``: empty when absent, stale or damaged."""
        data = None if folder is None else load_entry(folder / DIFFS_FILE, cache_key(DIFFS_FILE))
        if not isinstance(data, dict):
            return cls(folder)
        diffs, commits = data.get("diffs"), data.get("commits")
        return cls(folder, diffs if isinstance(diffs, dict) else {},
                   commits if isinstance(commits, dict) else {})

    def hunks(self, key: DiffKey) -> Hunks | None:
        """The hunks and change ratio kept under ``key``, or None to compute them."""
        row = self._known.get(key)
        if row is None:
            return None
        try:
            rows, ratio = row
            hunks = tuple(_hunk(hunk_row) for hunk_row in rows)
        except (TypeError, ValueError):
            return None
        if not isinstance(ratio, float):
            return None
        self._used[key] = row
        return hunks, ratio

    def keep_hunks(self, key: DiffKey, computed: Hunks) -> None:
        """Remember what was computed for ``key``."""
        if self.folder is None:
            return
        hunks, ratio = computed
        self._used[key] = (tuple(_hunk_row(hunk) for hunk in hunks), ratio)
        self._added = True

    def commit_summaries(self, shas: Iterable[str]) -> dict[str, tuple[str, str]]:
        """The kept date and subject of those of ``shas`` seen before."""
        found = {}
        for sha in shas:
            summary = self._known_commits.get(sha)
            if (isinstance(summary, tuple) and len(summary) == 2
                    and all(isinstance(part, str) for part in summary)):
                found[sha] = self._used_commits[sha] = summary
        return found

    def keep_commit_summaries(self, summaries: dict[str, tuple[str, str]]) -> None:
        """Remember commit dates and subjects read from git (a commit's SHA fixes them)."""
        self._used_commits.update(summaries)
        self._added = self._added or bool(summaries)

    def save(self) -> None:
        """Write what this run used, unless that is exactly what was read."""
        if self.folder is None:
            return
        if (not self._added and len(self._used) == len(self._known)
                and len(self._used_commits) == len(self._known_commits)):
            return
        store_entry(self.folder / DIFFS_FILE, cache_key(DIFFS_FILE),
                    {"diffs": self._used, "commits": self._used_commits})


def _hunk_row(hunk: DiffHunk) -> tuple[Any, ...]:
    ref = hunk.translation_section
    return (hunk.old_start, hunk.old_lines, hunk.new_start, hunk.new_lines, hunk.lines,
            None if ref is None else (ref.heading, ref.start_line, ref.end_line, ref.score),
            hunk.best_score, hunk.in_front_matter)


def _hunk(row: tuple[Any, ...]) -> DiffHunk:
    old_start, old_lines, new_start, new_lines, lines, ref, best_score, front = row
    if not isinstance(lines, tuple) or not all(isinstance(line, str) for line in lines):
        raise TypeError("hunk lines")
    section = None if ref is None else SectionRef(*ref)
    return DiffHunk(old_start, old_lines, new_start, new_lines, lines, section, best_score,
                    bool(front))
