"""UI-string dictionaries: which keys of a translated dictionary are missing, extra, or were
changed in English since the translation's sync point.

A dictionary's sync point is its in-file marker (``dictionary_marker_key``, a PO header field
for gettext) or, in history mode, the last commit that changed the translated file's values (a
commit that only reorders or reformats it is not a sync). The English file is read at that
commit and at HEAD, and keys are compared by value: reordering or reformatting English changes
nothing, and a key changed and changed back is up to date.

Git is asked once per kind of question, never per key or per version: one ``git log`` over the
translated files (history mode), one ``cat-file`` for the blobs at the sync points, one batch
read of those blobs.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from l10nsync.config import ALL_LOCALES, Config
from l10nsync.dictformats import Dictionary, DictionaryError, read_dictionary
from l10nsync.errors import UsageError
from l10nsync.gitrepo import GitRepository
from l10nsync.history import is_hex_revision
from l10nsync.model import Basis, DictionaryStatus, KeyStatus, KeyVerdict
from l10nsync.rules.check import Finding, Problem
from l10nsync.safefiles import linked_part

_ADDED, _DELETED = "A", "D"


class DictionaryFile(NamedTuple):
    """A translated dictionary file found on disk, with its locale and English file."""

    path: str  # from the translations repository root, '/' separated
    locale: str
    source_path: str


# --- finding the files -----------------------------------------------------------------------


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    before, _, after = pattern.partition("{locale}")
    return re.compile(f"{re.escape(before)}(?P<locale>[^/]+){re.escape(after)}")


def _wanted_locale(config: Config, locale: str) -> bool:
    code = locale.lower()
    if code == config.source_locale.lower():
        return False
    if config.known_locales and code not in {known.lower() for known in config.known_locales}:
        return False
    return not config.locales or code in {wanted.lower() for wanted in config.locales}


def _plain_file(root: Path, relative: str) -> bool:
    """A regular file reached through no symbolic link (safefiles.py's rule for pages: a
    link could lead outside the repository)."""
    return linked_part(root, relative) is None and (root / relative).is_file()


def list_dictionary_files(config: Config, *, every_locale: bool = False) -> list[DictionaryFile]:
    """The translated dictionary files in the working tree (of the --locale filter unless
    ``every_locale``), sorted by path."""
    root = config.translated_root
    found: dict[str, DictionaryFile] = {}
    for source, pattern in config.dictionaries:
        regex = _pattern_regex(pattern)
        for file in root.glob(pattern.replace("{locale}", "*")):
            relative = file.relative_to(root).as_posix()
            match = regex.fullmatch(relative)
            if match is None or relative == source or not _plain_file(root, relative):
                continue
            locale = config.locale_of(match["locale"])
            if locale.lower() != config.source_locale.lower() and (
                every_locale or _wanted_locale(config, locale)
            ):
                found.setdefault(relative, DictionaryFile(relative, locale, source))
    return [found[path] for path in sorted(found)]


def dictionary_file_for(config: Config, relative: str) -> DictionaryFile | None:
    """The translated dictionary at a path from the repository root, if it is one."""
    for source, pattern in config.dictionaries:
        match = _pattern_regex(pattern).fullmatch(relative)
        if match is not None and relative != source:
            locale = config.locale_of(match["locale"])
            if locale.lower() != config.source_locale.lower():
                return DictionaryFile(relative, locale, source)
    return None


def _relative(config: Config, name: str, cwd: Path) -> str | None:
    """A named file's path from the translations root (the rule every named path follows)."""
    from l10nsync.layout import repository_relative

    return repository_relative(config.translated_root, cwd, name)


def dictionaries_among(config: Config, names: Iterable[str], cwd: Path) -> list[DictionaryFile]:
    """The translated dictionaries among named files (others are not dictionaries)."""
    found: dict[str, DictionaryFile] = {}
    for name in names:
        relative = _relative(config, name, cwd)
        file = dictionary_file_for(config, relative) if relative is not None else None
        if file is not None and _plain_file(config.translated_root, file.path):
            found[file.path] = file
    return [found[path] for path in sorted(found)]


def split_names(config: Config, names: Sequence[str], cwd: Path
                ) -> tuple[list[DictionaryFile], list[str]]:
    """The translated dictionaries among command-line names, and the other names (pages)."""
    dictionaries: dict[str, DictionaryFile] = {}
    others = []
    for name in names:
        found = dictionaries_among(config, [name], cwd)
        if found:
            dictionaries[found[0].path] = found[0]
        else:
            others.append(name)
    return [dictionaries[path] for path in sorted(dictionaries)], others


def stamps_digest(config: Config) -> str:
    """A digest of every translated dictionary's path and stat: what the printed-output cache
    must also see unchanged before it answers for a report that includes them."""
    rows = []
    for file in list_dictionary_files(config, every_locale=True):
        try:
            info = os.stat(config.translated_root / file.path)
        except OSError:
            continue
        rows.append(f"{file.path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}")
    return hashlib.sha256("\n".join(rows).encode("utf-8", "surrogateescape")).hexdigest()


# --- the rule ---------------------------------------------------------------------------------


def judge_keys(
    english_now: Mapping[str, str],
    english_then: Mapping[str, str] | None,
    translation: Dictionary,
    *,
    optional: frozenset[str] = frozenset(),
    covered: frozenset[str] = frozenset(),
) -> tuple[KeyVerdict, ...]:
    """Each key's status, sorted by key. Pure.

    ``english_then`` is the English dictionary at the sync point (None: no sync point, so only
    missing and extra keys can be told). ``optional`` keys may stay untranslated and
    ``covered`` ones are in a base dictionary the locale falls back to: neither is missing.
    """
    verdicts: list[KeyVerdict] = []
    entries = translation.entries
    for key in sorted(set(english_now) | set(entries)):
        now = english_now.get(key)
        translated = entries.get(key) if key not in translation.untranslated else None
        then = english_then.get(key) if english_then is not None else None
        if now is None:
            verdicts.append(KeyVerdict(key, KeyStatus.EXTRA, then, None, entries.get(key)))
        elif translated is None:
            if key not in optional and key not in covered:
                verdicts.append(KeyVerdict(key, KeyStatus.MISSING, then, now, None))
        elif english_then is None:
            continue  # without a sync point, nothing tells whether it is up to date
        elif then != now:
            verdicts.append(KeyVerdict(key, KeyStatus.OUTDATED, then, now, translated))
        else:
            verdicts.append(KeyVerdict(key, KeyStatus.UP_TO_DATE, then, now, translated))
    return tuple(verdicts)


def optional_keys_of(config: Config, locale: str) -> frozenset[str]:
    """The keys ``locale`` may leave untranslated."""
    code = locale.lower()
    return frozenset(key for where, key in config.optional_keys
                     if where == ALL_LOCALES or where.lower() == code)


def base_locales(config: Config, locale: str) -> list[str]:
    """The locales whose dictionary ``locale`` falls back to: the configured base, then the
    language of a regional locale (``pt`` for ``pt-BR``)."""
    bases = [base for name, base in config.dictionary_bases if name.lower() == locale.lower()]
    language = re.split(r"[-_]", locale, maxsplit=1)[0]
    if language.lower() != locale.lower():
        bases.append(language)
    return list(dict.fromkeys(bases))


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SyncPoint:
    commit: str | None
    basis: Basis | None
    problem: str | None = None


def _read_translation(config: Config, path: str, blob_ids: dict[str, str] | None = None
                      ) -> Dictionary:
    """A translated dictionary as it is in the working tree; ``blob_ids`` is given the id
    git would store its bytes under."""
    data = (config.translated_root / path).read_bytes()
    if blob_ids is not None:
        blob_ids[path] = hashlib.sha1(b"blob %d\0%s" % (len(data), data),
                                      usedforsecurity=False).hexdigest()
    return read_dictionary(data, path, config.dictionary_marker_key)


def _values(dictionary: Dictionary) -> dict[str, str]:
    """The translated values only (untranslated PO entries left out)."""
    if not dictionary.untranslated:  # most files: a copy in C, not 2,000 tests
        return dict(dictionary.entries)
    return {key: value for key, value in dictionary.entries.items()
            if key not in dictionary.untranslated}


def _reads_history(config: Config) -> bool:
    from l10nsync.rules.history_mode import reads_translation_history

    return reads_translation_history(config)


def history_sync_points(config: Config, paths: Sequence[str], revision: str | None = None,
                        known: Mapping[str, Dictionary] | None = None) -> dict[str, str]:
    """The last commit (of HEAD, or ``revision``) that changed each translated dictionary's
    values (history mode).

    One ``git log`` over all the files, read newest first only as far as needed: each
    file's newest commit has its two blobs compared by value (every file's pair in one batch
    read), and a file whose commit changed no value (a reformat) waits for its next older
    commit. With ``review_touches = "sync"`` any commit is a sync. ``known``: versions read
    already (from the working tree), by blob id: git is not asked for them again. Every batch
    goes through one ``cat-file``.
    """
    wanted = set(paths)
    changes: dict[str, list[tuple[str, str, str, str]]] = {}  # path -> (sha, kind, new, old)
    found: dict[str, str] = {}
    position = dict.fromkeys(wanted, 0)  # the files still undecided: their next change
    parsed: dict[str, dict[str, str] | None] = {
        blob: _values(dictionary) for blob, dictionary in (known or {}).items()}
    with GitRepository(config.translated_root) as repo, repo.blob_reader() as read_blobs:
        log = repo.changes_of_files(wanted, revision)
        exhausted = False
        while position:
            # Read the log until every undecided file has a change to look at (or it ends).
            while not exhausted and any(at >= len(changes.get(path, ()))
                                        for path, at in position.items()):
                entry = next(log, None)
                if entry is None:
                    exhausted = True
                    break
                sha, raw_changes = entry
                for raw in raw_changes:
                    if raw.path in wanted:
                        old = "" if raw.old_blob.strip("0") == "" else raw.old_blob
                        kind = _ADDED if raw.status == "R" and raw.similarity < 100 \
                            else raw.status
                        changes.setdefault(raw.path, []).append((sha, kind, raw.new_blob, old))
            blobs: dict[str, str] = {}  # blob -> the path whose format it has
            for path, at in list(position.items()):
                if at >= len(changes.get(path, ())):
                    del position[path]  # never committed: no sync point
                    continue
                sha, kind, new, old = changes[path][at]
                if kind == _DELETED:
                    del position[path]  # deleted in git: what is on disk has no sync point
                elif kind == _ADDED or not old or config.review_touches == "sync":
                    found[path] = sha
                    del position[path]
                else:
                    blobs.update((blob, path) for blob in (new, old) if blob not in parsed)
            for blob, data in read_blobs(sorted(blobs)):
                try:
                    parsed[blob] = _values(read_dictionary(data, blobs[blob],
                                                           config.dictionary_marker_key))
                except DictionaryError:
                    parsed[blob] = None
            for path, at in list(position.items()):
                sha, _kind, new, old = changes[path][at]
                before, after = parsed.get(old), parsed.get(new)
                if before is None or after is None or before != after:
                    found[path] = sha
                    del position[path]
                else:
                    position[path] = at + 1
        if not exhausted:
            close = getattr(log, "close", None)
            if close is not None:
                close()  # git is stopped: the older history is not needed
    return found


def build_dictionary_statuses(
    config: Config, files: Sequence[DictionaryFile], *, with_translations: bool = True
) -> list[DictionaryStatus]:
    """Judge each translated dictionary key by key against the English HEAD."""
    if not files:
        return []
    translations: dict[str, Dictionary] = {}
    problems: dict[str, str] = {}
    blob_ids: dict[str, str] = {}
    for file in files:
        try:
            translations[file.path] = _read_translation(config, file.path, blob_ids)
        except DictionaryError as error:
            problems[file.path] = str(error)
        except OSError as error:
            problems[file.path] = f"cannot read: {error.strerror}"
    sync = _sync_points(config, [f for f in files if f.path in translations], translations,
                        {blob_ids[path]: translation for path, translation in translations.items()})
    with GitRepository(config.source_root) as repo:
        head = repo.head()
        wanted = {(head, file.source_path) for file in files if head is not None}
        wanted |= {(point.commit, file.source_path) for file in files
                   if (point := sync.get(file.path)) is not None and point.commit}
        blobs = repo.blobs_at(sorted(wanted))
        sources = {blob: path for (_sha, path), blob in blobs.items()}
        english: dict[str, dict[str, str] | str] = {}
        for blob, data in repo.read_blobs(sorted(sources)):
            source = sources[blob]
            try:
                english[blob] = dict(read_dictionary(data, source, config.dictionary_marker_key,
                                                     english=True).entries)
            except DictionaryError as error:
                english[blob] = str(error)
    bases = _base_values(config, files, translations)
    statuses = []
    for file in files:
        if file.path in problems:
            statuses.append(DictionaryStatus(file.path, file.locale, file.source_path,
                                             error=problems[file.path]))
            continue
        now = english.get(blobs.get((head or "", file.source_path), ""))
        if now is None or isinstance(now, str):
            why = (f"the English dictionary {file.source_path} cannot be read: {now}"
                   if isinstance(now, str) else
                   f"the English dictionary {file.source_path} is not in the English "
                   "repository at HEAD")
            statuses.append(DictionaryStatus(file.path, file.locale, file.source_path,
                                             error=why))
            continue
        point = sync[file.path]
        then: Mapping[str, str] | None = None
        if point.commit is not None:
            found = english.get(blobs.get((point.commit, file.source_path), ""), {})
            then = found if isinstance(found, dict) else {}
        translation = translations[file.path]
        keys = judge_keys(now, then, translation,
                          optional=optional_keys_of(config, file.locale),
                          covered=bases.get(file.path, frozenset()))
        if not with_translations:
            keys = tuple(KeyVerdict(v.key, v.status, v.english_before, v.english_now)
                         for v in keys)
        statuses.append(DictionaryStatus(file.path, file.locale, file.source_path, keys,
                                         point.commit, point.basis, point.problem))
    return statuses


def _sync_points(config: Config, files: Sequence[DictionaryFile],
                 translations: Mapping[str, Dictionary],
                 by_blob: Mapping[str, Dictionary] | None = None) -> dict[str, _SyncPoint]:
    """Each dictionary's sync point: its marker, else (or always, with basis "history") the
    history of the translated file when English and translations share a repository."""
    history = _reads_history(config)
    marker_key = config.dictionary_marker_key
    by_marker = {f.path: marker for f in files
                 if (marker := translations[f.path].marker)
                 and not (history and config.basis == Basis.HISTORY)}
    points: dict[str, _SyncPoint] = {}
    with GitRepository(config.source_root) as repo:
        resolved = repo.resolve_commits(set(by_marker.values()))
    for path, marker in by_marker.items():
        if not is_hex_revision(marker):
            points[path] = _SyncPoint(None, Basis.MARKER, f"{marker_key} {marker!r} is not "
                                      "a commit SHA")
        elif marker not in resolved:
            points[path] = _SyncPoint(None, Basis.MARKER, f"{marker_key} {marker} names no "
                                      "commit of the English repository")
        else:
            points[path] = _SyncPoint(resolved[marker], Basis.MARKER)
    rest = [f.path for f in files if f.path not in points]
    inferred = (history_sync_points(config, rest, known=by_blob)
                if history and rest else {})
    for path in rest:
        if path in inferred:
            points[path] = _SyncPoint(inferred[path], Basis.HISTORY)
        elif history:
            points[path] = _SyncPoint(None, Basis.HISTORY, "not committed yet: no sync point "
                                      f"in its history (or add a {marker_key} key)")
        else:
            points[path] = _SyncPoint(None, None, f"no {marker_key} key: add one with the "
                                      "English commit it was translated from")
    return points


def _base_values(config: Config, files: Sequence[DictionaryFile],
                 translations: Mapping[str, Dictionary]) -> dict[str, frozenset[str]]:
    """For each file, the keys its base dictionaries translate."""
    covered: dict[str, frozenset[str]] = {}
    everything = {(f.locale.lower(), f.source_path): f for f in
                  list_dictionary_files(config, every_locale=True)}
    for file in files:
        keys: set[str] = set()
        for base in base_locales(config, file.locale):
            other = everything.get((base.lower(), file.source_path))
            if other is None:
                continue
            dictionary = translations.get(other.path)
            if dictionary is None:
                try:
                    dictionary = _read_translation(config, other.path)
                except (DictionaryError, OSError):
                    continue
            keys.update(_values(dictionary))
        if keys:
            covered[file.path] = frozenset(keys)
    return covered


# --- diff and check ---------------------------------------------------------------------------


def build_dictionary_diff(config: Config, name: str, *, cwd: Path) -> DictionaryStatus | None:
    """The named file's keys with English then, now and the translation; None when the file
    is not a translated dictionary."""
    relative = _relative(config, name, cwd)
    file = dictionary_file_for(config, relative) if relative is not None else None
    if file is None:
        return None
    if not _plain_file(config.translated_root, file.path):
        raise UsageError(f"{name}: no such file (or a symbolic link, which l10nsync does not "
                         "follow)")
    return build_dictionary_statuses(config, [file])[0]


def check_dictionaries(config: Config, names: Sequence[str], *, cwd: Path,
                       against: str | None = None) -> list[Finding]:
    """The pre-commit rule for dictionaries: block an edit that moves the sync point (the
    marker; in history mode, the commit itself) past English changes to keys whose
    translation it leaves as it was."""
    files = dictionaries_among(config, names, cwd)
    if not files:
        return []
    history = _reads_history(config)
    with GitRepository(config.translated_root) as repo:
        head = against or repo.head()
        blobs = repo.blobs_at([(head, f.path) for f in files]) if head else {}
        committed_data = dict(repo.read_blobs(sorted(set(blobs.values()))))
    before_points = (history_sync_points(config, [f.path for f in files], head)
                     if history else {})
    findings = []
    for file in files:
        blob = blobs.get((head or "", file.path))
        if blob is None:
            continue  # a new dictionary: nothing was in step before
        try:
            now = _read_translation(config, file.path)
            committed = read_dictionary(committed_data.get(blob, b""), file.path,
                                        config.dictionary_marker_key)
        except (DictionaryError, OSError):
            continue  # status reports a file it cannot read; check blocks no such file
        moved = now.marker and committed.marker and now.marker != committed.marker
        if now.marker and not (history and config.basis == Basis.HISTORY):
            if not moved:
                continue
            old_commit, new_commit = committed.marker, now.marker
        elif history and file.path in before_points:
            old_commit, new_commit = before_points[file.path], None  # None: English HEAD
        else:
            continue
        stale = _untouched_changed_keys(config, file, old_commit, new_commit, committed, now)
        if stale:
            shown = ", ".join(stale[:5])  # escaped where printed, as page paths are
            more = f" and {len(stale) - 5} more" if len(stale) > 5 else ""
            findings.append(Finding(
                file.path, Problem.STALE_EDIT,
                f"moves its sync point past English changes to {len(stale)} key(s) it leaves "
                f"as they were: {shown}{more}",
                f"translate them (l10nsync diff {file.path} shows each)"
                + (f", or keep {config.dictionary_marker_key} at {committed.marker}"
                   if committed.marker and moved else " before committing")))
    return findings


def _untouched_changed_keys(config: Config, file: DictionaryFile, old_commit: str | None,
                            new_commit: str | None, committed: Dictionary,
                            now: Dictionary) -> list[str]:
    """Keys whose English value differs between the two sync points while their translation
    is the same before and after the edit."""
    with GitRepository(config.source_root) as repo:
        resolved = repo.resolve_commits({c for c in (old_commit, new_commit) if c})
        old_sha = resolved.get(old_commit or "")
        new_sha = resolved.get(new_commit or "") if new_commit else repo.head()
        if old_sha is None or new_sha is None:
            return []
        blobs = repo.blobs_at([(old_sha, file.source_path), (new_sha, file.source_path)])
        contents = dict(repo.read_blobs(sorted(set(blobs.values()))))
    versions = []
    for sha in (old_sha, new_sha):
        data = contents.get(blobs.get((sha, file.source_path), ""), b"")
        try:
            versions.append(read_dictionary(data, file.source_path, config.dictionary_marker_key,
                                            english=True).entries)
        except DictionaryError:
            return []
    before, after = _values(committed), _values(now)
    return sorted(key for key, value in versions[1].items()
                  if versions[0].get(key) != value and key in before and key in after
                  and before[key] == after[key])
