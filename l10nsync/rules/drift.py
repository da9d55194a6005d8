"""Structural drift: what a translation lacks, or has besides, compared with the English text
at its sync point.

Only what survives translation is compared, the same things ``align`` aligns sections on:
headings (their count and levels), code blocks, macros (``{{Compat}}``, ``{{EmbedLiveSample}}``,
sidebars and any ``{{...}}``), images, tables and link targets (locale removed). Prose is never
compared. A translation that adds a note of its own (a blockquote such as ``> [!NOTE]`` or an
``:::note`` aside) does not drift: what such a note holds and English lacks is left out.

Pure functions: the texts are given; ``engine`` reads them (see ``drift_of_pages``).
"""

from __future__ import annotations

import bisect
import functools
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, cast

from l10nsync.align import (
    _CODE_FENCE_OPENING,
    _closes_fence,
    _heading_text,
    _link_anchor,
    _macro_anchor,
)
from l10nsync.model import Drift

# How much one item weighs in the score: what a reader sees as a part of the page (a section,
# an example, a table, an image, a macro on a line of its own such as {{Compat}}) weighs
# three inline references (a link, an inline macro such as {{domxref("Node")}}).
BLOCK_WEIGHT = 3
INLINE_WEIGHT = 1

# Everything drift reads, in one pass over the text with a newline put in front (so that line
# patterns start with a literal "\n"): every alternative starts with one of a few characters,
# which the regular expression engine skips to at C speed. The alternatives follow align's
# rules for fences and headings, and macros and links are keyed by align's anchor functions
# (see _macro_anchor), so that both read a page alike.
_STRUCTURE = re.compile(
    r"\n(?P<fence>[ \t]*(?:`{3,}|~{3,})[^\n]*)"
    r"|\n {0,3}(?P<hashes>#{1,6})(?=[ \t\r\n]|$)"
    r"|\n[ \t]*:::(?P<aside>[^\n]*)"
    r"|\n(?P<delimiter>[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*)\r?(?=\n|$)"
    r"|\n {0,3}\[[^\]\n]+\]:[ \t]*<?(?P<definition>[^\s>]+)"
    r"|\{\{(?P<macro>[^\n]*?)\}\}"
    r"|!\[[^\]\n]*\]\([ \t]*<?(?P<src>[^)\s>]*)>?(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)"
    r"|\]\([ \t]*<?(?P<link>[^)\s>]*)>?(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)"
    r"|<(?:(?P<table>(?i:table))\b"
    r"""|(?i:img)\b[^>\n]*?\b(?i:src)\s*=\s*(?:"(?P<img>[^"\n]*)"|'(?P<img_single>[^'\n]*)')"""
    r"""|[a-zA-Z][^>\n]*?\b(?i:href)\s*=\s*(?:"(?P<href>[^"\n]*)"|'(?P<href_single>[^'\n]*)'))"""
)
_LINK_GROUPS = frozenset({"link", "definition", "href", "href_single"})
_FRONT_MATTER_END = re.compile(r"\n-{3,}\s*?(?=\n|$)")
_QUOTE = re.compile(r" {0,3}>")
_SHOWN_LIMIT = 80  # an item is shown cut to this many characters


class Item(NamedTuple):
    """One structural element of a page, as it appears and as it is matched (a tuple: a
    page has dozens, and MDN 65,000 pages)."""

    position: int  # where in the text it starts, to list items in page order
    key: str  # what must be equal across languages, e.g. "macro:embedlivesample:examples"
    loose: str  # a second chance to match, e.g. "macro:embedlivesample" (its id translated)
    shown: str  # as it appears, e.g. '{{EmbedLiveSample("Examples")}}'
    weight: int
    in_note: bool  # inside a blockquote or an aside


# Macros and links are most of a page's items: they are made from a tuple in C, without Item's
# generated constructor, which costs as much as the rest of their reading.
_item = cast(Callable[[tuple[int, str, str, str, int, bool]], Item],
             functools.partial(tuple.__new__, Item))


@dataclass(frozen=True)
class Structure:
    """What of a page survives translation: its headings and the other items."""

    levels: tuple[int, ...]  # the heading levels in order
    headings: tuple[tuple[int, int, str], ...]  # (position, level, text as written)
    items: tuple[Item, ...]

    @functools.cached_property
    def section_keys(self) -> list[frozenset[str]]:
        """The keys of the items under each heading (up to the next one); an English text's
        are asked for by each of its translations."""
        starts = [position for position, _level, _text in self.headings]
        keys: list[set[str]] = [set() for _ in starts]
        for item in self.items:
            number = bisect.bisect_right(starts, item.position) - 1
            if number >= 0:
                keys[number].add(item.key)
        return [frozenset(found) for found in keys]


def _cut(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _SHOWN_LIMIT else text[: _SHOWN_LIMIT - 3] + "..."


def _body_start(text: str) -> int:
    """Where the text after the front matter starts (``text`` begins with an added newline),
    by python-frontmatter's rule as align reads it: a first line of dashes, up to the next."""
    first_end = text.find("\n", 1)
    first = text[1:first_end if first_end >= 0 else len(text)].removeprefix("\ufeff")
    if not first.startswith("---") or first.strip("-").strip():
        return 0
    closing = _FRONT_MATTER_END.search(text, max(first_end, 0))
    return closing.end() if closing else 0


@functools.lru_cache(maxsize=1 << 16)
def _macro_keys(call: str) -> tuple[str, str] | None:
    """A macro call's key and loose key (its name alone); calls repeat across pages."""
    key = _macro_anchor(call)
    return None if key is None else (key, ":".join(key.split(":", 2)[:2]))


@functools.lru_cache(maxsize=1 << 16)
def _link_key(target: str) -> str | None:
    return _link_anchor(target)


def read_structure(text: str) -> Structure:
    """The headings, code blocks, tables, macros, images and links of a Markdown page."""
    text = "\n" + text
    size = len(text)
    headings: list[tuple[int, int, str]] = []
    items: list[Item] = []
    append = items.append
    open_fence: str | None = None
    asides: list[tuple[int, int]] = []
    aside_from: int | None = None
    for found in _STRUCTURE.finditer(text, _body_start(text)):
        kind = found.lastgroup
        if open_fence is not None:
            if kind == "fence" and _closes_fence(found.group(kind).rstrip("\r"), open_fence):
                open_fence = None
            continue
        position = found.start()
        if kind == "macro":
            keys = _macro_keys(found.group(kind))
            if keys is not None:
                end = found.end()
                # A macro on a line of its own ({{Compat}}) is a part of the page.
                alone = text[position - 1] == "\n" and (end == size or text[end] in "\r\n")
                shown = found.group(0)
                append(_item((position, keys[0], keys[1],
                              shown if len(shown) <= _SHOWN_LIMIT else _cut(shown),
                              BLOCK_WEIGHT if alone else INLINE_WEIGHT, False)))
        elif kind in _LINK_GROUPS:
            target = found.group(kind)
            key = _link_key(target)
            if key is not None:
                append(_item((position + (kind == "definition"), key, key,
                              target if len(target) <= _SHOWN_LIMIT else _cut(target),
                              INLINE_WEIGHT, False)))
        elif kind == "hashes":
            line_end = text.find("\n", found.end())
            headings.append((position + 1, len(found.group(kind)),
                             text[found.end():line_end if line_end >= 0 else size]))
        elif kind == "fence":
            line = found.group(kind).rstrip("\r")
            opening = _CODE_FENCE_OPENING.match(line)
            # CommonMark: a backtick fence's info string cannot hold a backtick.
            if opening is None or (opening.group(1)[0] == "`" and "`" in opening.group(2)):
                continue
            open_fence = opening.group(1)
            info = " ".join(opening.group(2).split()).lower()
            append(Item(position + 1, f"code:{info}", f"code:{info.split(' ', 1)[0]}",
                        _cut(line), BLOCK_WEIGHT, False))
        elif kind == "aside":
            # ":::note" opens a Starlight or VitePress aside, a bare ":::" closes it.
            if found.group(kind).strip():
                aside_from = position if aside_from is None else aside_from
            elif aside_from is not None:
                asides.append((aside_from, found.end()))
                aside_from = None
        elif kind == "delimiter":
            header_start = text.rfind("\n", 0, position) + 1
            header = text[header_start:position].strip()
            if "|" in header:
                append(Item(header_start, f"table:{len(header.strip('|').split('|'))}",
                            "table", _cut(header), BLOCK_WEIGHT, False))
        elif kind == "table":
            append(Item(position, "table:html", "table", "<table>", BLOCK_WEIGHT, False))
        elif kind is not None:  # an image: src, img or img_single
            source = found.group(kind)
            name = posixpath.basename(source.split("?", 1)[0].split("#", 1)[0]).lower()
            append(Item(position, f"image:{name}", "image", _cut(found.group(0)),
                        BLOCK_WEIGHT, False))
    if aside_from is not None:
        asides.append((aside_from, size))
    return Structure(tuple(level for _position, level, _text in headings), tuple(headings),
                     tuple(_mark_notes(text, asides, items)))


def _mark_notes(text: str, asides: Sequence[tuple[int, int]], items: list[Item]) -> list[Item]:
    """The items with ``in_note`` set for those on a blockquote line or in an aside."""
    if not asides and "\n>" not in text and "\n >" not in text and "\n  >" not in text:
        return items
    return [item._replace(in_note=True)
            if in_note(text, item.position) or any(b <= item.position < e for b, e in asides)
            else item for item in items]


def in_note(text: str, position: int) -> bool:
    """True when ``position`` is on a line of a blockquote (MDN's notes are blockquotes)."""
    return _QUOTE.match(text, text.rfind("\n", 0, position) + 1) is not None


def _match(english: Sequence[Item], translation: Sequence[Item]) -> tuple[list[Item], list[Item]]:
    """The English items with no counterpart and the translated ones with none, by key, then
    by the looser key among what is left (the same macro with its argument translated)."""
    waiting: dict[str, list[Item]] = {}
    for item in translation:
        if item.key in waiting:
            waiting[item.key].append(item)
        else:
            waiting[item.key] = [item]
    missing = []
    for item in english:
        candidates = waiting.get(item.key)
        if candidates:
            candidates.pop()
        else:
            missing.append(item)
    extra = [item for candidates in waiting.values() for item in candidates]
    if not missing or not extra:
        return missing, extra
    loose: dict[str, list[Item]] = {}
    for item in extra:
        loose.setdefault(item.loose, []).append(item)
    still_missing = []
    for item in missing:
        candidates = loose.get(item.loose)
        if candidates:
            candidates.pop()
        else:
            still_missing.append(item)
    return still_missing, [item for candidates in loose.values() for item in candidates]


# The units of _aligned_headings' scores: a pair outweighs any number of shared items, an item
# any sum of distances.
_PAIR = 1 << 42
_SHARED = 1 << 21


def _aligned_headings(english: Structure, translation: Structure) -> dict[int, int]:
    """English heading number -> the translated heading it stays, in order.

    Heading text is translated, so headings are told apart by their levels (a heading is only
    ever the same heading at the same level) and by what their sections hold, the anchors
    align.py aligns sections on: the alignment keeps the order and, among the orders that pair
    the most headings, takes the one whose paired sections share the most items, then the one
    whose pairs are nearest in place.
    """
    english_keys = english.section_keys
    translated_keys = translation.section_keys
    english_levels, translated_levels = english.levels, translation.levels
    rows, columns = len(english_levels), len(translated_levels)
    # best[i][j] over the first i and j headings: (headings paired, items shared, -distance)
    # as one integer, compared in that order (the lower fields stay below their unit).
    best = [[0] * (columns + 1) for _ in range(rows + 1)]
    gains: dict[tuple[int, int], int] = {}
    for i in range(1, rows + 1):
        level, keys = english_levels[i - 1], english_keys[i - 1]
        above, row = best[i - 1], best[i]
        for j in range(1, columns + 1):
            candidate = above[j] if above[j] > row[j - 1] else row[j - 1]
            if translated_levels[j - 1] == level:
                gain = (_PAIR + _SHARED * len(keys & translated_keys[j - 1])
                        - abs(i - j))
                gains[i, j] = gain
                if above[j - 1] + gain > candidate:
                    candidate = above[j - 1] + gain
            row[j] = candidate
    pairs: dict[int, int] = {}
    i, j = rows, columns
    while i > 0 and j > 0:
        if (i, j) in gains and best[i][j] == best[i - 1][j - 1] + gains[i, j]:
            pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return pairs


def _heading_drift(english: Structure, translation: Structure) -> tuple[list[Item], list[Item]]:
    """The English headings no translated heading stays, and the translated headings that
    stay none, as they are written (asked only when the heading levels differ)."""
    pairs = _aligned_headings(english, translation)
    used = set(pairs.values())

    def item(heading: tuple[int, int, str]) -> Item:
        position, level, text = heading
        shown = _cut(f"{'#' * level} {_heading_text(text)}")
        return Item(position, f"heading:{level}", f"heading:{level}", shown, BLOCK_WEIGHT,
                    False)

    missing = [item(heading) for number, heading in enumerate(english.headings)
               if number not in pairs]
    extra = [item(heading) for number, heading in enumerate(translation.headings)
             if number not in used]
    return missing, extra


def compare_structures(english: Structure, translation: Structure) -> Drift:
    """The drift of a translation from its English text."""
    missing, extra = _match(english.items, translation.items)
    heading_weight = BLOCK_WEIGHT * len(english.levels)
    if english.levels != translation.levels:
        missing_headings, extra_headings = _heading_drift(english, translation)
        missing += missing_headings
        extra += extra_headings
    # What a translation adds inside a note of its own is the locale's, not drift.
    extra = [item for item in extra if not item.in_note]
    lost = sum(item.weight for item in missing)
    added = sum(item.weight for item in extra)
    total = sum(item.weight for item in english.items) + heading_weight + added
    score = round((lost + added) / total, 3) if total else 0.0
    if lost + added and score == 0.0:
        score = 0.001  # a real difference never reads as none
    return Drift(
        score=min(score, 1.0),
        missing=tuple(item.shown for item in sorted(missing, key=lambda item: item.position)),
        extra=tuple(item.shown for item in sorted(extra, key=lambda item: item.position)),
    )


def drift_of_texts(english_text: str, translated_text: str) -> Drift:
    """The drift of one translation from one English text."""
    return compare_structures(read_structure(english_text), read_structure(translated_text))


def drifted(drift: Mapping[str, Drift | None], threshold: float) -> Iterable[str]:
    """The pages whose drift score reaches ``threshold`` (and is above 0)."""
    return (path for path, found in drift.items()
            if found is not None and found.score > 0 and found.score >= threshold)
