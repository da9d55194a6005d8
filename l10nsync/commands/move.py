"""``l10nsync move``: take translations where their English pages went.

What MDN's daily sync job does by hand-written rules, done from the English history l10nsync
already follows: a ``moved`` translation goes to its English page's new path (``git mv``,
folders created), its ``slug`` becomes the English page's new slug (a byte-exact edit), its
marker is kept, and in MDN layouts a redirect from the old URL to the new one joins the locale's
``_redirects.txt``. With ``orphaned``, pages whose English page is gone go under ``orphaned/``;
with ``conflicts``, a page whose target is taken goes under ``conflicting/``. An existing file
is never overwritten.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from l10nsync.advice import MARKER_PROBLEMS, move_target, without_english_page
from l10nsync.commands.bump import Refusal
from l10nsync.commands.status import build_status_report
from l10nsync.config import Config
from l10nsync.errors import FrontMatterError
from l10nsync.frontmatter import parse_front_matter
from l10nsync.frontmatter_edit import set_slug, write_atomically
from l10nsync.gitrepo import GitRepository
from l10nsync.layout import (
    below,
    in_folder,
    is_page_name,
    layout_prefix,
    locale_folder,
    source_folder,
)
from l10nsync.model import Status

ORPHANED = "orphaned"
CONFLICTING = "conflicting"


@dataclass(frozen=True)
class PlannedMove:
    """One translation to move: from where to where, and its bytes before and after."""

    path: str
    target: str
    locale: str
    kind: str  # "moved", "orphaned" or "conflicting"
    before: bytes
    after: bytes
    slug_change: tuple[str, str] | None  # (old, new) when the slug is rewritten
    # Files beside an index page (images) that move with it, as (from, to).
    companions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RedirectsEdit:
    """A locale's redirects file, before and after the moves' lines went in."""

    path: str
    before: bytes
    after: bytes
    added: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MovePlan:
    """Everything ``move`` would do; nothing is written until ``apply_moves``."""

    moves: tuple[PlannedMove, ...]
    refusals: tuple[Refusal, ...]
    redirects: tuple[RedirectsEdit, ...] = field(default=())


def plan_moves(
    config: Config, names: Sequence[str], *, cwd: Path, orphaned: bool = False,
    conflicts: bool = False
) -> MovePlan:
    """The moves for the named pages (or every page of the selected locales)."""
    report = build_status_report(config, names, cwd=cwd)
    # With --orphaned, a page with a marker problem whose English page is not there at all
    # goes aside too: no marker could ever sync it.
    unmatched = without_english_page(config, [
        v for v in report.pages if orphaned and v.status in MARKER_PROBLEMS])
    wanted = [v for v in report.pages
              if v.status is Status.MOVED or (orphaned and v.status is Status.ORPHANED)
              or v.path in unmatched]
    slugs = _english_slugs(config, {str(v.moved_to) for v in wanted if v.moved_to})
    root = config.translated_root
    taken: set[str] = set()
    moves: list[PlannedMove] = []
    refusals: list[Refusal] = []
    redirects: dict[str, list[tuple[str, str]]] = {}
    for verdict in wanted:
        data = (root / verdict.path).read_bytes()
        old_slug = parse_front_matter(data, "slug").marker
        if verdict.status is Status.MOVED:
            kind = "moved"
            target = str(move_target(config, verdict))
            new_slug = slugs.get(str(verdict.moved_to))
            if _exists(root, target) or target in taken:
                if not conflicts:
                    refusals.append(Refusal(verdict.path, f"{target} exists already; not "
                                            "overwritten (--conflicts puts this page under "
                                            f"{CONFLICTING}/)"))
                    continue
                kind = CONFLICTING
                target = _under(config, verdict.locale, target, CONFLICTING)
                new_slug = f"{CONFLICTING}/{new_slug}" if new_slug else None
        else:
            kind = ORPHANED
            target = _under(config, verdict.locale, verdict.path, ORPHANED)
            new_slug = f"{ORPHANED}/{old_slug}" if old_slug else None
        if _exists(root, target) or target in taken:
            refusals.append(Refusal(verdict.path, f"{target} exists already; not overwritten"))
            continue
        try:
            after = _rewrite_slug(data, old_slug, new_slug, original=kind != "moved")
        except FrontMatterError as error:
            refusals.append(Refusal(verdict.path, f"cannot rewrite its slug: {error}"))
            continue
        taken.add(target)
        change = (old_slug, new_slug) if old_slug and new_slug and old_slug != new_slug else None
        moves.append(PlannedMove(verdict.path, target, verdict.locale, kind, data, after, change,
                                 _companions(config, verdict.path, target)))
        if change is not None and _keeps_redirects(config, verdict.locale):
            redirects.setdefault(verdict.locale, []).append(
                (_url(verdict.locale, change[0]), _url(verdict.locale, change[1])))
    edits = tuple(_redirects_edit(config, locale, pairs)
                  for locale, pairs in sorted(redirects.items()))
    return MovePlan(tuple(moves), tuple(refusals), edits)


def apply_moves(config: Config, plan: MovePlan) -> None:
    """Carry out a plan: ``git mv`` (or a rename for untracked files), then the edits, staged
    where the files are tracked."""
    root = config.translated_root
    with GitRepository(root) as repo:
        staged: list[str] = []
        for move in plan.moves:
            for old, new in ((move.path, move.target), *move.companions):
                (root / new).parent.mkdir(parents=True, exist_ok=True)
                if repo.is_tracked(old):
                    repo.move_file(old, new)
                    staged.append(new)
                else:
                    os.rename(root / old, root / new)
            if move.after != move.before:
                write_atomically(root / move.target, move.after)
            _remove_empty_folders(root, posixpath.dirname(move.path),
                                  locale_folder(config, move.locale))
        for edit in plan.redirects:
            target = root / edit.path
            target.parent.mkdir(parents=True, exist_ok=True)
            tracked = target.exists() and repo.is_tracked(edit.path)
            write_atomically(target, edit.after)
            if tracked:
                staged.append(edit.path)
        repo.stage(path for path in staged if (root / path).exists())


def _exists(root: Path, path: str) -> bool:
    return os.path.lexists(root / path)


def _under(config: Config, locale: str, path: str, folder: str) -> str:
    """``path`` moved under ``folder`` of its locale (MDN's orphaned/ and conflicting/)."""
    base = locale_folder(config, locale)
    relative = below(base, path)
    if relative is None:
        base = layout_prefix(config)
        relative = below(base, path) or path
    return in_folder(base, f"{folder}/{relative}")


def _english_slugs(config: Config, paths: Iterable[str]) -> dict[str, str]:
    """The ``slug`` front matter of English pages at HEAD, where they have one."""
    slugs = {}
    with GitRepository(config.source_root) as english:
        for path in sorted(paths):
            data = english.read_file_at_head(path)
            slug = parse_front_matter(data, "slug").marker if data is not None else None
            if slug:
                slugs[path] = slug
    return slugs


def _rewrite_slug(data: bytes, old: str | None, new: str | None, *, original: bool) -> bytes:
    """The page with its slug set to ``new`` (only if it has one), and for pages set aside
    (orphaned, conflicting) ``original_slug`` recording the old one, as MDN does."""
    if not old or not new or old == new:
        return data
    after = set_slug(data, "slug", new)
    if original and parse_front_matter(after, "original_slug").marker is None:
        after = set_slug(after, "original_slug", old)
    return after


def _companions(config: Config, path: str, target: str) -> tuple[tuple[str, str], ...]:
    """Files beside an index page that are not pages (images): MDN moves the whole folder."""
    folder, name = posixpath.split(path)
    if not name.startswith("index."):
        return ()
    root = config.translated_root
    try:
        entries = sorted(os.scandir(root / folder), key=lambda entry: entry.name)
    except OSError:
        return ()
    others = [e.name for e in entries if e.is_file(follow_symlinks=False) and e.name != name]
    if any(is_page_name(config, other) for other in others):
        return ()
    new_folder = posixpath.dirname(target)
    pairs = tuple((f"{folder}/{other}", f"{new_folder}/{other}") for other in others)
    return tuple(pair for pair in pairs if not _exists(root, pair[1]))


def _remove_empty_folders(root: Path, folder: str, stop: str) -> None:
    """Remove ``folder`` and its parents below ``stop`` while they are empty (git keeps no
    empty folders, so they would only confuse)."""
    while folder and folder != stop and below(stop, folder) is not None:
        try:
            os.rmdir(root / folder)
        except OSError:
            return
        folder = posixpath.dirname(folder)


# --- MDN redirects ------------------------------------------------------------------------------


def _keeps_redirects(config: Config, locale: str) -> bool:
    """MDN layouts: the locale has a redirects file, or English keeps one beside its pages."""
    local = config.translated_root / in_folder(locale_folder(config, locale),
                                               config.redirects_file)
    english = config.source_root / in_folder(source_folder(config), config.redirects_file)
    return local.is_file() or english.is_file()


def _url(locale: str, slug: str) -> str:
    """MDN's URL of a slug in a locale: ``/fr/docs/Web``, ``/pt-BR/docs/Web``."""
    language, _, region = locale.partition("-")
    code = f"{language.lower()}-{region.upper()}" if region else language.lower()
    return f"/{code}/docs/{slug}"


def _redirects_edit(config: Config, locale: str,
                    pairs: Sequence[tuple[str, str]]) -> RedirectsEdit:
    """The locale's redirects file with the new lines in sorted place.

    Lines already redirecting to a moved page's old URL (or below it) now go straight to the
    new one (no chains), and a line redirecting away from a new URL goes, since a page lives
    there now.
    Every other line keeps its bytes.
    """
    path = in_folder(locale_folder(config, locale), config.redirects_file)
    file = config.translated_root / path
    before = file.read_bytes() if file.is_file() else b""
    text = before.decode("utf-8", errors="surrogateescape")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    if not lines:
        lines = [f"# FROM-URL\tTO-URL{newline}"]
    moved = dict(pairs)
    arrived = {new.lower() for new in moved.values()}
    kept = []
    for line in lines:
        parts = line.rstrip("\r\n").split("\t")
        if len(parts) == 2 and not line.startswith("#"):
            if parts[0].lower() in arrived or parts[0] in moved:
                continue
            target = _moved_url(parts[1], moved)
            if target != parts[1]:
                line = f"{parts[0]}\t{target}{newline}"
        kept.append(line)
    for old, new in sorted(pairs, key=lambda pair: pair[0].lower()):
        entry = f"{old}\t{new}{newline}"
        position = len(kept)
        for number, line in enumerate(kept):
            if not line.startswith("#") and line.split("\t", 1)[0].lower() > old.lower():
                position = number
                break
        kept.insert(position, entry)
    after = "".join(kept).encode("utf-8", errors="surrogateescape")
    return RedirectsEdit(path, before, after, tuple(pairs))


def _moved_url(url: str, moved: dict[str, str]) -> str:
    """``url`` with a moved page's old URL (or a page or anchor below it) made the new one."""
    for old, new in moved.items():
        if url == old or url.startswith((old + "/", old + "#")):
            return new + url[len(old):]
    return url


def describe(move: PlannedMove) -> str:
    """One line for a move: where the page goes, and its slug."""
    line = f"{move.path} -> {move.target}"
    if move.kind != "moved":
        line += f" ({move.kind})"
    if move.slug_change:
        line += f"; slug: {move.slug_change[0]} -> {move.slug_change[1]}"
    return line

