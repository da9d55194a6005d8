"""Before a command reads any page: is English where the config says, and are there
translations to judge? A wrong root otherwise gives wrong answers with exit 0 (every marker
"unknown", or an empty report), so it is an error with a way out."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from l10nsync.config import CONFIG_FILE, Config
from l10nsync.errors import UsageError
from l10nsync.frontmatter import commit_valued_keys
from l10nsync.gitrepo import GitRepository
from l10nsync.layout import discover_locales, is_page_name, locale_folder, source_folder

# Where MDN's contributor docs put the English checkout: beside translated-content.
SIBLING_NAMES = ("content",)
_MAX_SIBLINGS = 200

# Statuses that say nothing about whether markers resolve.
_NO_MARKER_VERDICT = frozenset({"untranslated", "invalid_front_matter", "missing_source_commit",
                                "invalid_source_commit"})

_HOW = {
    "flag": "the --source-root you passed",
    "environment": "CONTENT_ROOT",
    "config": "source_root in the config",
    "cwd": "the repository you are in (nothing named the English one)",
}


def find_sibling_source(translated_root: Path, folder: str) -> Path | None:
    """An English checkout beside the translations repository (``../content`` first): a git
    repository holding the source ``folder``, or None."""
    parent = translated_root.parent
    names = list(SIBLING_NAMES)
    try:
        with os.scandir(parent) as entries:
            others = sorted(e.name for e in entries if e.is_dir(follow_symlinks=False))
    except OSError:
        others = []
    names += [name for name in others[:_MAX_SIBLINGS] if name not in names]
    for name in names:
        candidate = parent / name
        if candidate == translated_root or not (candidate / ".git").exists():
            continue
        if (candidate / folder).is_dir():
            return candidate
    return None


def check_roots(config: Config) -> None:
    """Raise a one-line UsageError when the English root has no source folder at HEAD, or
    when, run in an English repository with nothing configured, there are no translations."""
    folder = source_folder(config)
    with GitRepository(config.source_root) as repo:
        if not repo.has_folder_at_head(folder):
            if repo.head() is None:
                raise UsageError(f"{config.source_root}: the English repository has no commits")
            raise UsageError(_wrong_source(config, folder))
    if (config.same_repository and config.translated_origin == "cwd"
            and config.config_file is None and not discover_locales(config)):
        raise UsageError(
            f"{config.translated_root} holds the English pages ({folder}/) but no "
            "translations; run l10nsync in the translations repository, or name it with "
            "--translated-root PATH or CONTENT_TRANSLATED_ROOT=PATH"
        )


def setup_warnings(config: Config) -> list[str]:
    """What looks wrong in a setup that still runs: a marker key no page uses."""
    warning = marker_key_warning(config)
    return [warning] if warning else []


def _wrong_source(config: Config, folder: str) -> str:
    root = config.source_root
    what = f"{folder}/ is not in HEAD" if folder else "HEAD has no files"
    if config.same_repository and config.source_origin == "cwd":
        sibling = find_sibling_source(config.translated_root, folder)
        where = (f"--source-root {_relative(sibling)} (an English checkout found beside this "
                 "one)" if sibling is not None else "--source-root PATH")
        return (f"{root}: no English pages here ({what}); this looks like the translations "
                f"repository. Name the English repository: pass {where}, set "
                f"CONTENT_ROOT=PATH, or write source_root in {CONFIG_FILE} (l10nsync init)")
    return (f"{root}: no English pages here ({what}), yet {_HOW[config.source_origin]} "
            "names it as the English repository; point it at the English content repository "
            f"(the one with {folder}/), or check out its main branch there")


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def unknown_markers_warning(config: Config, statuses: Iterable[str]) -> str | None:
    """A warning when every page that has a marker names a commit the English repository
    does not know (``statuses``: the run's page statuses): the English root, its clone depth
    or its branch is then probably wrong, not the pages."""
    judged = set(statuses) - _NO_MARKER_VERDICT
    if judged != {"unknown_source_commit"}:
        return None
    return (f"no page's source commit is known to the English repository {config.source_root}"
            ": is it the right repository, a shallow clone (run 'git fetch --unshallow' there) "
            "or on another branch (check out the branch the translations follow)?")


_SAMPLE_PAGES = 50


def sample_pages(folders: Iterable[Path], is_page: Callable[[str], bool],
                 limit: int = _SAMPLE_PAGES) -> list[Path]:
    """Up to ``limit`` page files below ``folders``, spread over them, without following
    symbolic links: enough to see how a site's pages are marked without reading them all."""
    walks = [os.walk(folder) for folder in folders]
    found: list[Path] = []
    while walks and len(found) < limit:
        for walk in list(walks):
            step = next(walk, None)
            if step is None:
                walks.remove(walk)
                continue
            top, folders_below, names = step
            folders_below.sort()
            # A page that is a symbolic link is not read (see safefiles.py).
            found.extend(Path(top, name) for name in sorted(names)
                         if is_page(name) and not os.path.islink(os.path.join(top, name)))
    return found[:limit]


def commit_keys_in(pages: Iterable[Path]) -> Counter[str]:
    """How many of ``pages`` carry each front matter key whose value is a commit id."""
    counts: Counter[str] = Counter()
    for page in pages:
        try:
            data = page.read_bytes()
        except OSError:
            continue
        counts.update(set(commit_valued_keys(data)))
    return counts


def marker_key_warning(config: Config) -> str | None:
    """A warning when the sampled translations lack the configured marker key but most carry
    another key holding commit ids (OpenTelemetry's default_lang_commit, say)."""
    folders = [config.translated_root / locale_folder(config, locale)
               for locale in discover_locales(config)]
    pages = sample_pages(folders, lambda name: is_page_name(config, name))
    needle = config.marker_key.rpartition(".")[2].encode()
    if not pages or any(needle in _head_of(page) for page in pages):
        return None
    counts = commit_keys_in(pages)
    if not counts:
        return None
    key, count = counts.most_common(1)[0]
    if key == config.marker_key or count * 2 <= len(pages):
        return None
    where = config.config_file or CONFIG_FILE
    return (f"no page has the marker key {config.marker_key}, but {count} of {len(pages)} "
            f"pages sampled keep commit ids under {key}: write marker_key = \"{key}\" in "
            f"{where}, or those markers are ignored")


def _head_of(page: Path) -> bytes:
    """The first 8 KiB of a page: where its front matter is."""
    try:
        with page.open("rb") as handle:
            return handle.read(8192)
    except OSError:
        return b""
