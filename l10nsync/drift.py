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

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from l10nsync.align import (
    _CODE_FENCE_OPENING,
    Section,
    _closes_fence,
    _link_anchor,
    _macro_anchor,
    align_sections,
    split_sections,
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


@dataclass(frozen=True)
class Structure:
    """What of a page survives translation: heading levels in order and the other items."""

    levels: tuple[int, ...]
    items: tuple[Item, ...]


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


def read_structure(text: str) -> Structure:
    """The headings, code blocks, tables, macros, images and links of a Markdown page."""
    text = "\n" + text
    levels: list[int] = []
    items: list[Item] = []
    open_fence: str | None = None
    asides: list[tuple[int, int]] = []
    aside_from: int | None = None
    for found in _STRUCTURE.finditer(text, _body_start(text)):
        kind = found.lastgroup
        position = found.start()
        if open_fence is not None:
            if kind == "fence" and _closes_fence(found.group(kind).rstrip("\r"), open_fence):
                open_fence = None
            continue
        if kind == "fence":
            line = found.group(kind).rstrip("\r")
            opening = _CODE_FENCE_OPENING.match(line)
            # CommonMark: a backtick fence's info string cannot hold a backtick.
            if opening is None or (opening.group(1)[0] == "`" and "`" in opening.group(2)):
                continue
            open_fence = opening.group(1)
            info = " ".join(opening.group(2).split()).lower()
            items.append(Item(position + 1, f"code:{info}", f"code:{info.split(' ', 1)[0]}",
                              _cut(line), BLOCK_WEIGHT, False))
        elif kind == "hashes":
            levels.append(len(found.group(kind)))
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
                items.append(Item(header_start, f"table:{len(header.strip('|').split('|'))}",
                                  "table", _cut(header), BLOCK_WEIGHT, False))
        elif kind == "macro":
            key = _macro_anchor(found.group(kind))
            if key is not None:
                line_start = text.rfind("\n", 0, position) + 1
                line_end = text.find("\n", position)
                line = text[line_start:line_end if line_end >= 0 else len(text)]
                weight = BLOCK_WEIGHT if line.strip() == found.group(0) else INLINE_WEIGHT
                items.append(Item(position, key, ":".join(key.split(":", 2)[:2]),
                                  _cut(found.group(0)), weight, False))
        elif kind == "table":
            items.append(Item(position, "table:html", "table", "<table>", BLOCK_WEIGHT, False))
        elif kind in ("src", "img", "img_single"):
            source = found.group(kind)
            name = posixpath.basename(source.split("?", 1)[0].split("#", 1)[0]).lower()
            items.append(Item(position, f"image:{name}", "image", _cut(found.group(0)),
                              BLOCK_WEIGHT, False))
        elif kind is not None:  # a link: definition, link, href or href_single
            target = found.group(kind)
            key = _link_anchor(target)
            if key is not None:
                items.append(Item(position + (kind == "definition"), key, key, _cut(target),
                                  INLINE_WEIGHT, False))
    if aside_from is not None:
        asides.append((aside_from, len(text)))
    return Structure(tuple(levels), tuple(_mark_notes(text, asides, items)))


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
    missing = list(english)
    extra = list(translation)
    for loose in (False, True):
        waiting: dict[str, list[int]] = {}
        for position, item in enumerate(extra):
            waiting.setdefault(item.loose if loose else item.key, []).append(position)
        taken: set[int] = set()
        left = []
        for item in missing:
            candidates = waiting.get(item.loose if loose else item.key)
            if candidates:
                taken.add(candidates.pop(0))
            else:
                left.append(item)
        missing = left
        extra = [item for position, item in enumerate(extra) if position not in taken]
    return missing, extra


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    position = text.find("\n")
    while position >= 0:
        offsets.append(position + 1)
        position = text.find("\n", position + 1)
    return offsets


def _heading_drift(english_text: str, translated_text: str,
                   cutoff: float) -> tuple[list[Item], list[Item]]:
    """The English sections no translated section aligns with, and the translated sections
    aligned with none, named by their headings (only asked when the heading levels differ)."""
    english = split_sections(english_text)
    translation = split_sections(translated_text)
    matches = align_sections(english, translation, cutoff)
    used = {match.translation for match in matches if match.translation is not None}

    def items(sections: Iterable[Section], text: str) -> list[Item]:
        offsets = _line_offsets(text)
        # + 1: read_structure counts positions in the text with a newline put in front.
        return [Item(offsets[min(section.start_line, len(offsets)) - 1] + 1,
                     f"heading:{section.level}", f"heading:{section.level}",
                     _cut(f"{'#' * section.level} {section.heading or ''}"), BLOCK_WEIGHT,
                     False)
                for section in sections]

    missing = items((english[m.english] for m in matches
                     if m.translation is None and english[m.english].level > 0), english_text)
    extra = items((section for number, section in enumerate(translation)
                   if section.level > 0 and number not in used), translated_text)
    return missing, extra


def compare_structures(
    english: Structure, translation: Structure, english_text: str, translated_text: str,
    cutoff: float = 0.5,
) -> Drift:
    """The drift of a translation from its English text (both texts given, for headings)."""
    missing, extra = _match(english.items, translation.items)
    heading_weight = BLOCK_WEIGHT * len(english.levels)
    if english.levels != translation.levels:
        missing_headings, extra_headings = _heading_drift(english_text, translated_text, cutoff)
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


def drift_of_texts(english_text: str, translated_text: str, cutoff: float = 0.5) -> Drift:
    """The drift of one translation from one English text."""
    return compare_structures(read_structure(english_text), read_structure(translated_text),
                              english_text, translated_text, cutoff)


def drifted(drift: Mapping[str, Drift | None], threshold: float) -> Iterable[str]:
    """The pages whose drift score reaches ``threshold`` (and is above 0)."""
    return (path for path, found in drift.items()
            if found is not None and found.score > 0 and found.score >= threshold)
