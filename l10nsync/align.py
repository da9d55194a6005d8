"""Comparing a page with its new English version and with its translation.

The only module that imports rapidfuzz. Pure functions: no git, no files, no printing.

- Cosmetic normalization and a change ratio say whether an English edit matters at all.
- Line hunks and word diffs show what changed.
- Sections with their language-independent anchors (code, macros, links, ids, numbers) and a
  monotonic alignment say which section of a translation an English change lands in. Heading
  text is never compared: translated headings share nothing with the English ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# --- cosmetic normalization and change ratio ----------------------------------------------------

_SPACES_AND_TABS = re.compile(r"[ \t]+")
_BYTE_ORDER_MARK = "\ufeff"

# A real edit to a long page can be a few characters in thousands; rounded to 3 decimals it would
# read 0.0, which is the answer reserved for cosmetic changes.
_SMALLEST_REAL_CHANGE = 0.001


# Lines that start a Markdown block (heading, list item, quote, table row, rule, fence): the
# line break before them is structure, not layout. Inline HTML or a JSX component at the start
# of a line continues its paragraph.
_BLOCK_START = re.compile(r"#|[-*+](?:\s|$)|\d{1,9}[.)](?:\s|$)|>|\||---|\*\*\*|___|===|```|~~~")
_FENCES = ("```", "~~~")


# A page's own address in its front matter. l10nsync follows a page's moves by its path and
# ``move`` rewrites a translation's slug, so an English change to the slug alone (a move) is no
# text to port. Only a top-level ``slug:`` line of a leading front matter block goes.
_SLUG_LINE = re.compile(r"^slug:[^\n]*\n?", re.MULTILINE)
_SLUG_LINE_BYTES = re.compile(rb"^slug:[^\r\n]*", re.MULTILINE)
_UTF8_BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def _without_slug(text: str) -> str:
    if not text.startswith("---"):
        return text
    end = text.find("\n---", 3)
    if end < 0 or "slug:" not in text[:end]:
        return text
    return _SLUG_LINE.sub("", text[:end + 1]) + text[end + 1:]


def _without_slug_bytes(data: bytes) -> bytes:
    start = 3 if data.startswith(_UTF8_BYTE_ORDER_MARK) else 0
    if not data.startswith(b"---", start):
        return data
    end = data.find(b"\n---", start + 3)
    if end < 0 or b"slug:" not in data[start:end]:
        return data
    return _SLUG_LINE_BYTES.sub(b"", data[:end]) + data[end:]


def normalize_text(text: str) -> str:
    """The form of a text in which only its words and its Markdown structure remain.

    Line endings, blanks at line edges, runs of blanks, empty lines and where a paragraph's
    lines wrap all vanish: a paragraph re-wrapped is the same paragraph. A line break stays
    before a line that starts a block (a heading, list item, quote, table row, fence)
    and after a heading or table row, and every line of a fenced code block stays a line.
    The front matter's ``slug`` goes too (see ``_SLUG_LINE``).
    """
    text = text.removeprefix(_BYTE_ORDER_MARK)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _without_slug(text)
    kept: list[str] = []
    joinable = False  # may the next plain line continue the last kept one?
    fenced = False
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        # Tested first because a regex pass over every line costs more than the rest together.
        if "  " in line or "\t" in line:
            line = _SPACES_AND_TABS.sub(" ", line)
        if line.startswith(_FENCES):
            fenced = not fenced
            kept.append(line)
            joinable = False
        elif joinable and not _BLOCK_START.match(line):
            kept[-1] = f"{kept[-1]} {line}"
        else:
            kept.append(line)
            joinable = not fenced and line[0] not in "#|"
    return "\n".join(kept)


# What str.split() takes for whitespace, as UTF-8: deleted from bytes without decoding them.
_ASCII_BLANKS = bytes(range(0x09, 0x0e)) + bytes(range(0x1c, 0x21))
_WIDE_BLANKS = re.compile(  # U+0085, U+00A0, U+1680, U+2000-200A, U+2028, U+2029, U+202F,
    # U+205F, U+3000 and the byte order mark U+FEFF
    rb"\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80"
    rb"|\xef\xbb\xbf"
)


def squeezed_digest(data: bytes) -> str:
    """SHA-1 hex digest of ``data`` with every whitespace character (and byte order mark) gone.

    Many times cheaper than normalizing, and conservative: two texts that normalize to the
    same text squeeze to the same bytes, so different squeezed digests prove a real change.
    (Bytes that are not UTF-8 are compared as they are, where decoding would blur them.)
    """
    squeezed = _without_slug_bytes(data).translate(None, _ASCII_BLANKS)
    if not squeezed.isascii():
        squeezed = _WIDE_BLANKS.sub(b"", squeezed)
    return hashlib.sha1(squeezed, usedforsecurity=False).hexdigest()


def normalized_digest(data: bytes) -> str:
    """SHA-1 hex digest of the normalized text of ``data`` (undecodable bytes replaced)."""
    return text_digest(normalize_text(data.decode("utf-8", errors="replace")))


def text_digest(normalized: str) -> str:
    """SHA-1 hex digest of an already normalized text."""
    encoded = normalized.encode("utf-8", errors="surrogateescape")
    return hashlib.sha1(encoded, usedforsecurity=False).hexdigest()


def is_cosmetic_change(old: str, new: str) -> bool:
    """Whether ``old`` and ``new`` differ only in line endings, blanks and empty lines."""
    return old == new or normalize_text(old) == normalize_text(new)


def change_ratio(old: str, new: str) -> float:
    """Share of the normalized text that changed: 0.0 when cosmetic, toward 1.0 when unrelated."""
    if old == new:
        return 0.0
    return normalized_change_ratio(normalize_text(old), normalize_text(new))


def normalized_change_ratio(normalized_old: str, normalized_new: str) -> float:
    """``change_ratio`` of two texts already normalized."""
    if normalized_old == normalized_new:
        return 0.0
    from rapidfuzz.distance import Indel  # loaded only when text is compared

    ratio = round(1.0 - Indel.normalized_similarity(normalized_old, normalized_new), 3)
    return max(ratio, _SMALLEST_REAL_CHANGE)


# --- line diff --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hunk:
    """One block of a unified line diff, numbered like a ``diff -u`` header."""

    old_start: int
    old_lines: int
    new_start: int
    new_lines: int
    lines: tuple[str, ...]  # each starts with " ", "-" or "+"; no line endings

    @property
    def text(self) -> str:
        """The hunk's lines joined with newlines, without the header."""
        return "\n".join(self.lines)

    @property
    def header(self) -> str:
        """The ``@@ -a,b +c,d @@`` line (counts always written, even when 1)."""
        return f"@@ -{self.old_start},{self.old_lines} +{self.new_start},{self.new_lines} @@"

    @property
    def old_change_span(self) -> tuple[int, int]:
        """First and last old-file line the change touches, context lines left out.

        A pure insertion touches the lines on either side of it, so that an insertion right after
        a heading or at the end of a section is placed in that section.
        """
        line_number = self.old_start if self.old_lines else self.old_start + 1
        first: int | None = None
        last = 0
        previous_tag = " "
        for line in self.lines:
            tag = line[:1]
            if tag == "-":
                touched = (line_number, line_number)
                line_number += 1
            elif tag == "+":
                previous_was_change = previous_tag != " "
                previous_tag = tag
                if previous_was_change:  # a replacement's added side: its removals already count
                    continue
                touched = (line_number - 1, line_number)
            else:
                line_number += 1
                previous_tag = tag
                continue
            previous_tag = tag
            first = touched[0] if first is None else min(first, touched[0])
            last = max(last, touched[1])
        if first is None:  # a hunk of context only: the whole old range
            return self.old_start, self.old_start + max(self.old_lines, 1) - 1
        return first, last


@dataclass(frozen=True)
class _LineChange:
    """A run of removed and added lines between two equal runs (0-based, end exclusive)."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int


def _split_lines(text: str) -> list[str]:
    # Lines as git counts them, so that line numbers agree with git's: split at "\n" only.
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    # A CR left in a hunk line would send a terminal back to the start of the line.
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _as_ids(old_items: Sequence[str], new_items: Sequence[str]) -> tuple[list[int], list[int]]:
    # rapidfuzz compares hashable items by their hash; small ints make equality exact.
    ids: dict[str, int] = {}
    old_ids = [ids.setdefault(item, len(ids)) for item in old_items]
    new_ids = [ids.setdefault(item, len(ids)) for item in new_items]
    return old_ids, new_ids


def _line_changes(old_lines: Sequence[str], new_lines: Sequence[str]) -> list[_LineChange]:
    old_ids, new_ids = _as_ids(old_lines, new_lines)
    if old_ids == new_ids:
        return []
    changes: list[_LineChange] = []
    from rapidfuzz.distance import Indel  # loaded only when text is compared

    for opcode in Indel.opcodes(old_ids, new_ids):
        if opcode.tag == "equal":
            continue
        previous = changes[-1] if changes else None
        # Indel yields an insert and a delete side by side for one replaced block; one change
        # lets the hunk list removals before additions, as diff -u does.
        if (
            previous is not None
            and previous.old_end == opcode.src_start
            and previous.new_end == opcode.dest_start
        ):
            changes[-1] = _LineChange(
                previous.old_start, opcode.src_end, previous.new_start, opcode.dest_end
            )
        else:
            changes.append(
                _LineChange(opcode.src_start, opcode.src_end, opcode.dest_start, opcode.dest_end)
            )
    return changes


def _build_hunk(
    group: Sequence[_LineChange],
    old_lines: Sequence[str],
    new_lines: Sequence[str],
    context: int,
) -> Hunk:
    first, last = group[0], group[-1]
    old_from = max(0, first.old_start - context)
    old_to = min(len(old_lines), last.old_end + context)
    new_from = first.new_start - (first.old_start - old_from)
    new_to = last.new_end + (old_to - last.old_end)
    lines = [" " + line for line in old_lines[old_from:first.old_start]]
    # Only old_lines is needed for context: equal runs are the same in both texts.
    for index, change in enumerate(group):
        if index:
            between = old_lines[group[index - 1].old_end:change.old_start]
            lines.extend(" " + line for line in between)
        lines.extend("-" + line for line in old_lines[change.old_start:change.old_end])
        lines.extend("+" + line for line in new_lines[change.new_start:change.new_end])
    lines.extend(" " + line for line in old_lines[last.old_end:old_to])
    old_count = old_to - old_from
    new_count = new_to - new_from
    # diff -u numbers an empty side by the line before it.
    return Hunk(
        old_start=old_from + 1 if old_count else old_from,
        old_lines=old_count,
        new_start=new_from + 1 if new_count else new_from,
        new_lines=new_count,
        lines=tuple(lines),
    )


def diff_hunks(old: str, new: str, context: int = 3) -> list[Hunk]:
    """Unified-diff hunks turning ``old`` into ``new``, with ``context`` equal lines around."""
    if context < 0:
        raise ValueError(f"context must be 0 or more, not {context}")
    old_lines = _split_lines(old)
    new_lines = _split_lines(new)
    groups: list[list[_LineChange]] = []
    for change in _line_changes(old_lines, new_lines):
        # Like diff -u: changes whose context would touch or overlap share one hunk.
        if groups and change.old_start - groups[-1][-1].old_end <= 2 * context:
            groups[-1].append(change)
        else:
            groups.append([change])
    return [_build_hunk(group, old_lines, new_lines, context) for group in groups]


# --- word diff --------------------------------------------------------------------------------

_WORD_TOKEN = re.compile(r"\w+|\s+|[^\w\s]+")


@dataclass
class _WordChange:
    """Text removed and added between two kept pieces, while word_diff builds it."""

    removed: str
    added: str


def word_diff(old_line: str, new_line: str) -> list[tuple[str, str]]:
    """Pieces of two lines tagged "=" (kept), "-" (removed) or "+" (added), word by word.

    The "=" and "-" pieces concatenate to ``old_line``, the "=" and "+" pieces to ``new_line``.
    Consecutive tokens with the same tag come as one piece.
    """
    old_tokens = _WORD_TOKEN.findall(old_line)
    new_tokens = _WORD_TOKEN.findall(new_line)
    old_ids, new_ids = _as_ids(old_tokens, new_tokens)
    segments: list[str | _WordChange] = []  # a str is kept text
    from rapidfuzz.distance import Indel  # loaded only when text is compared

    for opcode in Indel.opcodes(old_ids, new_ids):
        if opcode.tag == "equal":
            segments.append("".join(old_tokens[opcode.src_start:opcode.src_end]))
            continue
        removed = "".join(old_tokens[opcode.src_start:opcode.src_end])
        added = "".join(new_tokens[opcode.dest_start:opcode.dest_end])
        last = segments[-1] if segments else None
        before_last = segments[-2] if len(segments) >= 2 else None
        if isinstance(last, _WordChange):
            last.removed += removed
            last.added += added
        elif isinstance(last, str) and last.isspace() and isinstance(before_last, _WordChange):
            # "a b" -> "c d" reads better as one change than as "-a +c = -b +d": a lone blank
            # kept between two changes joins both sides of them.
            segments.pop()
            before_last.removed += last + removed
            before_last.added += last + added
        else:
            segments.append(_WordChange(removed, added))
    pieces: list[tuple[str, str]] = []
    for segment in segments:
        if isinstance(segment, str):
            pieces.append(("=", segment))
            continue
        if segment.removed:
            pieces.append(("-", segment.removed))
        if segment.added:
            pieces.append(("+", segment.added))
    return pieces


# --- sections and their anchors ---------------------------------------------------------------

_FRONT_MATTER_FENCE = re.compile(r"-{3,}\s*$")  # python-frontmatter's boundary
# Any indentation: MDN indents fences to nest them in list items.
_CODE_FENCE_OPENING = re.compile(r"\s*(`{3,}|~{3,})(.*)$")
_CODE_FENCE_CLOSING = re.compile(r"\s*(`{3,}|~{3,})\s*$")
_ATX_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_HEADING_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+$")
_HEADING_ID = re.compile(r"\{#([^}\s]+)\}")
# One pass over a section's prose finds every anchor. Alternatives are tried left to right at
# each position, so a number inside a macro, link or inline code is taken as part of that.
_PROSE_ANCHOR = re.compile(
    r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?(?P<definition>[^\s>]+)"  # [label]: target
    r"|`(?P<inline>[^`\n]+)`"
    r"|\{\{(?P<macro>[^\n]*?)\}\}"
    r"|\]\([ \t]*<?(?P<link>[^)\s>]*)>?(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)"
    r"""|\b(?i:href)\s*=\s*(?:"(?P<href>[^"\n]*)"|'(?P<href_single>[^'\n]*)')"""
    r"|\{#(?P<id>[^}\s]+)\}"
    r"|(?<![\w.])(?P<number>\d{2,})(?!\w)",
    re.MULTILINE,
)
_MACRO_NAME_AND_ARGUMENT = re.compile(
    r"""\s*([\w.-]+)\s*(?:\(\s*(?:"([^"]*)"|'([^']*)'|([^,)\s]+))?)?"""
)
_MDN_ORIGIN = re.compile(r"^https?://developer\.mozilla\.org(?=/)", re.IGNORECASE)
_LOCALE_PREFIX = re.compile(r"^/[a-z]{2,3}(?:-[a-z0-9]{2,8})*/docs(?=/|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Section:
    """A heading and the lines up to the next heading, with what survives translation."""

    heading: str | None  # heading text without #s and {#id}; None for the intro
    level: int  # 1 to 6; 0 for the intro, the part before the first heading
    start_line: int  # 1-based, inclusive, counting front matter lines
    end_line: int  # start_line - 1 for an empty intro
    anchors: frozenset[str]
    # The heading's explicit id ({#trace}, as Hugo and Docusaurus write it), lower case, and
    # the id a site would make from the heading text: what links to the section use.
    explicit_id: str | None = None
    implicit_id: str | None = None


@dataclass
class _SectionDraft:
    """A section being read: its prose lines and code blocks, before anchors are taken."""

    heading: str | None
    level: int
    start_line: int
    prose: list[str] = field(default_factory=list)
    code_blocks: list[list[str]] = field(default_factory=list)
    explicit_id: str | None = None


_NOT_IN_SLUG = re.compile(r"[^\w\- ]")


def heading_slug(text: str) -> str:
    """The id most site generators give a heading: lower case, punctuation dropped, spaces
    as hyphens (``Sending a request`` -> ``sending-a-request``)."""
    return _NOT_IN_SLUG.sub("", text.strip().lower()).replace(" ", "-")


def _front_matter_line_count(lines: Sequence[str]) -> int:
    if not lines or not _FRONT_MATTER_FENCE.match(lines[0].removeprefix(_BYTE_ORDER_MARK)):
        return 0
    for index in range(1, len(lines)):
        if _FRONT_MATTER_FENCE.match(lines[index]):
            return index + 1
    return 0  # never closed: python-frontmatter reads no front matter either


def _heading_text(raw: str | None) -> str:
    text = _HEADING_CLOSING_HASHES.sub("", (raw or "").strip())
    return _HEADING_ID.sub("", text).strip()


def _closes_fence(line: str, fence: str) -> bool:
    closing = _CODE_FENCE_CLOSING.match(line)
    return (
        closing is not None
        and closing.group(1)[0] == fence[0]
        and len(closing.group(1)) >= len(fence)
    )


def split_sections(text: str) -> list[Section]:
    """The intro and the ATX-heading sections of a Markdown page, numbered by file line."""
    lines = _split_lines(text)
    body_start = _front_matter_line_count(lines)
    drafts = [_SectionDraft(None, 0, body_start + 1)]
    open_fence: str | None = None
    code_lines: list[str] = []
    for index in range(body_start, len(lines)):
        line = lines[index]
        if open_fence is not None:
            if _closes_fence(line, open_fence):
                drafts[-1].code_blocks.append(code_lines)
                open_fence = None
            else:
                code_lines.append(line)
            continue
        opening = _CODE_FENCE_OPENING.match(line)
        # CommonMark: a backtick fence's info string cannot hold a backtick.
        if opening is not None and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            open_fence = opening.group(1)
            code_lines = []
            continue
        heading = _ATX_HEADING.match(line)
        if heading is not None:
            explicit = _HEADING_ID.search(heading.group(2) or "")
            drafts.append(
                _SectionDraft(_heading_text(heading.group(2)), len(heading.group(1)), index + 1,
                              explicit_id=explicit.group(1).lower() if explicit else None)
            )
        drafts[-1].prose.append(line)
    if open_fence is not None:  # an unclosed fence runs to the end of the page
        drafts[-1].code_blocks.append(code_lines)
    ends = [draft.start_line - 1 for draft in drafts[1:]] + [len(lines)]
    return [
        Section(
            heading=draft.heading,
            level=draft.level,
            start_line=draft.start_line,
            end_line=end,
            anchors=_section_anchors(draft.prose, draft.code_blocks),
            explicit_id=draft.explicit_id,
            implicit_id=heading_slug(draft.heading) if draft.heading else None,
        )
        for draft, end in zip(drafts, ends, strict=True)
    ]


def _link_anchor(target: str) -> str | None:
    # Fragments are dropped: they are ids made from translated heading text.
    path = _LOCALE_PREFIX.sub("/docs", _MDN_ORIGIN.sub("", target.strip())).split("#", 1)[0]
    return f"link:{path.lower()}" if path else None


def _macro_anchor(call: str) -> str | None:
    parsed = _MACRO_NAME_AND_ARGUMENT.match(call)
    if parsed is None:
        return None
    name = parsed.group(1).lower()
    argument = next((group for group in parsed.groups()[1:] if group is not None), None)
    # Only the first argument: the others are mostly link text, which translators translate.
    return f"macro:{name}:{argument.strip()}" if argument else f"macro:{name}"


def _section_anchors(prose: Sequence[str], code_blocks: Sequence[Sequence[str]]) -> frozenset[str]:
    anchors: set[str] = set()
    for block in code_blocks:
        code = normalize_text("\n".join(block))
        if code:
            anchors.add(f"code:{code}")
    for match in _PROSE_ANCHOR.finditer("\n".join(prose)):
        kind = match.lastgroup
        value = match.group(kind) if kind else ""
        if kind in ("definition", "link", "href", "href_single"):
            anchors.add(_link_anchor(value) or "")
        elif kind == "inline":
            anchors.add(f"inline:{value.strip()}")
        elif kind == "macro":
            anchors.add(_macro_anchor(value) or "")
        elif kind == "id":
            anchors.add(f"id:{value.lower()}")
        elif kind == "number":
            anchors.add(f"num:{value}")
    anchors.discard("")
    return frozenset(anchors)


# --- section alignment ------------------------------------------------------------------------

# How much each kind of evidence weighs in a match score (they sum to 1). Anchors are the only
# evidence about content; level and position only separate sections that anchors cannot.
_ANCHOR_WEIGHT = 0.6
_LEVEL_WEIGHT = 0.15
_POSITION_WEIGHT = 0.25
# The anchor similarity counts one extra anchor, present on both sides, half matched: with no
# anchors at all it is 0.5 (no evidence either way), and a section with one or two anchors
# cannot swing it to 0 or 1 the way a section with ten can (Laplace smoothing of Jaccard).
_PSEUDO_ANCHOR_MATCH = 0.5
# Unrelated code of the same language (same keywords, same API) reaches this Indel similarity;
# only the part above it counts as evidence that a code block is the translated one.
_UNRELATED_CODE_SIMILARITY = 0.5


@dataclass(frozen=True)
class SectionMatch:
    """An English section, the translation section aligned with it, and how sure that is."""

    english: int  # index in the English sections
    translation: int | None  # index in the translation sections; None when none scored enough
    # In [0, 1]. With translation None: the best score among the translation sections the
    # alignment left free for this one (0.0 when there were none), always below the cutoff.
    score: float


def _code_similarity(english_code: str, translated_code: str) -> float:
    from rapidfuzz.distance import Indel  # loaded only when text is compared

    similarity = Indel.normalized_similarity(
        english_code, translated_code, score_cutoff=_UNRELATED_CODE_SIMILARITY
    )
    if similarity <= _UNRELATED_CODE_SIMILARITY:
        return 0.0
    return (similarity - _UNRELATED_CODE_SIMILARITY) / (1.0 - _UNRELATED_CODE_SIMILARITY)


def _anchor_similarity(english: frozenset[str], translation: frozenset[str]) -> float:
    """Smoothed Jaccard similarity of anchor sets where a code block may match its translation.

    Translators keep link targets, macros, ids and numbers exactly but translate comments and
    strings in code, so code anchors left unmatched are paired by text similarity (best pairs
    first) and count for the share of that similarity above what unrelated code reaches.
    """
    matched = float(len(english & translation))
    english_code = sorted(a for a in english - translation if a.startswith("code:"))
    translated_code = sorted(a for a in translation - english if a.startswith("code:"))
    if english_code and translated_code:
        pairs = sorted(
            (
                (_code_similarity(e, t), e_index, t_index)
                for e_index, e in enumerate(english_code)
                for t_index, t in enumerate(translated_code)
            ),
            reverse=True,
        )
        used_english: set[int] = set()
        used_translation: set[int] = set()
        for similarity, e_index, t_index in pairs:
            if similarity <= 0.0:
                break
            if e_index in used_english or t_index in used_translation:
                continue
            used_english.add(e_index)
            used_translation.add(t_index)
            matched += similarity
    union = len(english) + len(translation) - matched
    return (matched + _PSEUDO_ANCHOR_MATCH) / (union + 1.0)


def _relative_positions(count: int) -> list[float]:
    return [index / (count - 1) if count > 1 else 0.0 for index in range(count)]


def _match_score(
    english: Section, english_position: float, translated: Section, translated_position: float
) -> float:
    anchors = _anchor_similarity(english.anchors, translated.anchors)
    score = (
        _ANCHOR_WEIGHT * anchors
        + _LEVEL_WEIGHT * (1.0 if english.level == translated.level else 0.0)
        + _POSITION_WEIGHT * (1.0 - abs(english_position - translated_position))
    )
    # Rounded once, here, so that the score compared with the cutoff is the score reported.
    return round(score, 3)


def _score_matrix(english: Sequence[Section], translation: Sequence[Section]) -> list[list[float]]:
    english_positions = _relative_positions(len(english))
    translated_positions = _relative_positions(len(translation))
    return [
        [
            _match_score(english_section, english_positions[e], translated, translated_positions[t])
            for t, translated in enumerate(translation)
        ]
        for e, english_section in enumerate(english)
    ]


def align_sections(
    english: list[Section], translation: list[Section], cutoff: float = 0.5
) -> list[SectionMatch]:
    """One match per English section, from the strongest evidence down.

    1. A translated heading's explicit id (``### Traza {#trace}``) naming an English heading's
       id, explicit or made from its text, is decisive: the pair is matched whatever the
       order (a glossary is sorted in its own language).
    2. The intros (level 0) are each other's when both have lines: the preamble.
    3. The rest: the order-preserving alignment that maximizes the sum of (score - cutoff)
       over matched pairs, as in sequence alignment with free gaps, so a pair below
       ``cutoff`` is never matched and one strong match beats two mediocre ones.
    4. Sections still free pair up best score first, out of order, when the score reaches
       the cutoff: translations need not keep the English order.
    """
    scores = _score_matrix(english, translation)
    matched = _pairs_by_heading_id(english, translation)
    first = 0
    if english and translation and english[0].level == 0 and translation[0].level == 0:
        first = 1
        intros_have_lines = (english[0].end_line >= english[0].start_line
                             and translation[0].end_line >= translation[0].start_line)
        if 0 not in matched and 0 not in matched.values() and (
                intros_have_lines or scores[0][0] >= cutoff):
            matched[0] = 0
    taken_rows, taken_columns = set(matched), set(matched.values())
    free_scores = [[-1.0 if e in taken_rows or t in taken_columns else score
                    for t, score in enumerate(row)] for e, row in enumerate(scores)]
    matched.update(_best_monotonic_pairs(free_scores, first, len(english), len(translation),
                                         cutoff))
    leftovers = sorted(
        ((scores[e][t], e, t) for e in range(first, len(english)) if e not in matched
         for t in range(first, len(translation)) if t not in matched.values()
         and scores[e][t] >= cutoff),
        reverse=True)
    for _score, e, t in leftovers:
        if e not in matched and t not in matched.values():
            matched[e] = t

    matches: list[SectionMatch] = []
    used = set(matched.values())
    for e in range(len(english)):
        if e in matched:
            score = 1.0 if _same_id(english[e], translation[matched[e]]) else scores[e][matched[e]]
            matches.append(SectionMatch(e, matched[e], score))
            continue
        if e == 0 and first:
            matches.append(SectionMatch(0, None, scores[0][0]))
            continue
        # The candidates the alignment could still have given this section.
        free = [t for t in range(first, len(translation)) if t not in used]
        matches.append(SectionMatch(e, None, max((scores[e][t] for t in free), default=0.0)))
    return matches


def _same_id(english: Section, translated: Section) -> bool:
    return translated.explicit_id is not None and translated.explicit_id in (
        english.explicit_id, english.implicit_id)


def _pairs_by_heading_id(english: Sequence[Section],
                         translation: Sequence[Section]) -> dict[int, int]:
    """English section -> translation section, where the translated heading's explicit id
    names exactly one English heading and no other translated heading has that id."""
    by_id: dict[str, list[int]] = {}
    for index, section in enumerate(english):
        for name in {section.explicit_id, section.implicit_id} - {None}:
            by_id.setdefault(str(name), []).append(index)
    counts: dict[str, int] = {}
    for section in translation:
        if section.explicit_id:
            counts[section.explicit_id] = counts.get(section.explicit_id, 0) + 1
    pairs: dict[int, int] = {}
    for index, section in enumerate(translation):
        name = section.explicit_id
        if name and counts[name] == 1 and len(by_id.get(name, [])) == 1:
            english_index = by_id[name][0]
            if english_index not in pairs:
                pairs[english_index] = index
    return pairs


def _best_monotonic_pairs(
    scores: Sequence[Sequence[float]],
    first: int,
    english_count: int,
    translated_count: int,
    cutoff: float,
) -> dict[int, int]:
    rows = english_count - first
    columns = translated_count - first
    if rows <= 0 or columns <= 0:
        return {}
    # best[i][j]: (total gain, pairs) aligning the first i and j sections after the intros;
    # with equal gains, more pairs win, so a pair exactly at the cutoff is kept.
    best = [[(0.0, 0)] * (columns + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        for j in range(1, columns + 1):
            candidate = max(best[i - 1][j], best[i][j - 1])
            score = scores[first + i - 1][first + j - 1]
            if score >= cutoff:
                diagonal = best[i - 1][j - 1]
                candidate = max(candidate, (diagonal[0] + score - cutoff, diagonal[1] + 1))
            best[i][j] = candidate
    pairs: dict[int, int] = {}
    i, j = rows, columns
    while i > 0 and j > 0:
        score = scores[first + i - 1][first + j - 1]
        diagonal = best[i - 1][j - 1]
        if score >= cutoff and best[i][j] == (diagonal[0] + score - cutoff, diagonal[1] + 1):
            pairs[first + i - 1] = first + j - 1
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return pairs


def section_for_lines(
    start_line: int,
    end_line: int,
    english: list[Section],
    matches: list[SectionMatch],
    translation: list[Section],
) -> tuple[Section, float] | None:
    """The translation section that English lines start..end (old file) belong to, and its score.

    The English section is the first one holding any of the lines, normally the one holding
    ``start_line``; lines in front matter alone, or a section matched to nothing, give None.
    """
    last_line = max(start_line, end_line)
    for index, section in enumerate(english):
        if section.start_line <= last_line and section.end_line >= max(
            start_line, section.start_line
        ):
            match = next((match for match in matches if match.english == index), None)
            if match is None or match.translation is None:
                return None
            return translation[match.translation], match.score
    return None
