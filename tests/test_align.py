"""align: cosmetic changes, change ratio, line and word diffs, sections and their alignment."""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

# The brute-force check of the alignment needs the very scores the alignment used.
from l10nsync.align import (
    Hunk,
    Section,
    SectionMatch,
    _score_matrix,
    align_sections,
    change_ratio,
    diff_hunks,
    is_cosmetic_change,
    normalize_text,
    normalized_digest,
    section_for_lines,
    split_sections,
    squeezed_digest,
    word_diff,
)

CASES = Path(__file__).resolve().parent / "align_cases"
# The English page the translation was made from, the English page after a later edit to its
# Syntax section, and the French translation: headings translated, a "data-*" example section
# the English page lacks, and no "Retrieving nonce values" section.
ENGLISH = (CASES / "getattribute.en-us.md").read_text(encoding="utf-8")
ENGLISH_EDITED = (CASES / "getattribute.en-us.new.md").read_text(encoding="utf-8")
FRENCH = (CASES / "getattribute.fr.md").read_text(encoding="utf-8")


def line_number_of(text: str, line: str) -> int:
    return text.split("\n").index(line) + 1


def headings(sections: Sequence[Section]) -> list[str | None]:
    return [section.heading for section in sections]


# --- normalization, cosmetic changes, change ratio --------------------------------------------

PARAGRAPH = (
    "The getAttribute() method of the Element interface\n"
    "returns the value of a specified attribute on the element.\n"
    "\n"
    "- `attributeName`\n"
    "  - : The name of the attribute whose value you want to get.\n"
)

COSMETIC_VARIANTS = {
    "crlf": PARAGRAPH.replace("\n", "\r\n"),
    "cr": PARAGRAPH.replace("\n", "\r"),
    "trailing spaces": PARAGRAPH.replace("\n", "  \n"),
    "trailing tabs": PARAGRAPH.replace("\n", "\t\n"),
    "extra blank lines": "\n\n" + PARAGRAPH.replace("\n\n", "\n\n\n   \n\n") + "\n\n",
    "re-indented": PARAGRAPH.replace("  - :", "    - :").replace("- `", "\t- `"),
    "inner spaces": PARAGRAPH.replace("the element", "the  \t element"),
    "byte order mark": "\ufeff" + PARAGRAPH,
    "no final newline": PARAGRAPH.rstrip("\n"),
}


@pytest.mark.parametrize("variant", COSMETIC_VARIANTS.values(), ids=COSMETIC_VARIANTS.keys())
def test_cosmetic_variants_normalize_to_the_same_text(variant: str) -> None:
    assert normalize_text(variant) == normalize_text(PARAGRAPH)
    assert is_cosmetic_change(PARAGRAPH, variant)
    assert change_ratio(PARAGRAPH, variant) == 0.0
    assert normalized_digest(variant.encode()) == normalized_digest(PARAGRAPH.encode())


def test_normalize_text_gives_stripped_collapsed_lines_without_blank_ones() -> None:
    text = "  # Title \r\n\r\n\tSome   text\twith  gaps  \n   \n- item\r"
    assert normalize_text(text) == "# Title\nSome text with gaps\n- item"


def test_normalize_text_keeps_non_breaking_spaces_inside_a_line() -> None:
    # French typography puts a no-break space before ":"; it is text, not layout.
    assert normalize_text("Syntaxe\u00a0: voir") == "Syntaxe\u00a0: voir"
    assert not is_cosmetic_change("Syntaxe\u00a0: voir", "Syntaxe : voir")


def test_a_changed_word_is_not_cosmetic() -> None:
    edited = PARAGRAPH.replace("specified attribute", "given attribute")
    assert not is_cosmetic_change(PARAGRAPH, edited)
    assert normalized_digest(PARAGRAPH.encode()) != normalized_digest(edited.encode())
    assert 0.0 < change_ratio(PARAGRAPH, edited) < 0.1


def test_a_rewrapped_paragraph_is_cosmetic() -> None:
    # Markdown renders a line break inside a paragraph as a space: re-wrapping changes nothing.
    rewrapped = PARAGRAPH.replace("interface\nreturns", "interface returns\n")
    assert rewrapped != PARAGRAPH
    assert is_cosmetic_change(PARAGRAPH, rewrapped)
    # An inline component the new wrap puts at a line start still belongs to the paragraph.
    assert is_cosmetic_change('A new option: <Badge text="New" /> loads it.',
                              'A new option:\n<Badge text="New" /> loads\nit.')


@pytest.mark.parametrize(("before", "after"), [
    ("Some text\n- an item", "Some text - an item"),  # a list item joined to a paragraph
    ("# Title\nFirst words", "# Title First words"),  # a heading takes its line only
    ("| a | b |\n| c | d |", "| a | b | | c | d |"),  # table rows
    ("```js\nlet a = 1\nlet b = 2\n```", "```js\nlet a = 1 let b = 2\n```"),  # code lines
    ("Text\n> quoted", "Text > quoted"),
])
def test_a_changed_block_structure_is_not_cosmetic(before: str, after: str) -> None:
    assert not is_cosmetic_change(before, after)
    assert change_ratio(before, after) > 0.0


def test_change_ratio_grows_with_the_share_changed() -> None:
    one_word = PARAGRAPH.replace("specified", "given")
    half = PARAGRAPH.replace(
        "The getAttribute() method of the Element interface\n"
        "returns the value of a specified attribute on the element.",
        "Renvoie la valeur d'un attribut donné de l'élément.",
    )
    assert 0.0 < change_ratio(PARAGRAPH, one_word) < change_ratio(PARAGRAPH, half) < 1.0


def test_change_ratio_is_close_to_one_for_unrelated_texts() -> None:
    japanese = "このメソッドは、要素の指定された属性の値を返します。"
    english = "Returns the value of a specified attribute on the element, or null."
    assert change_ratio(english, japanese) >= 0.9
    assert change_ratio("", english) == 1.0


def test_change_ratio_never_rounds_a_real_change_to_zero() -> None:
    long_page = "\n".join(f"Paragraph {index} of a long page." for index in range(300))
    edited = long_page.replace("Paragraph 100 ", "Paragraph 1OO ")
    assert change_ratio(long_page, edited) == 0.001
    assert change_ratio(long_page, long_page) == 0.0


def test_normalized_digest_is_the_sha1_of_the_normalized_text() -> None:
    data = "Élément  \r\n\r\n  suivant\r\n".encode()
    assert normalized_digest(data) == hashlib.sha1("Élément suivant".encode()).hexdigest()


def test_normalized_digest_accepts_bytes_that_are_not_utf8() -> None:
    latin1 = "Élément\n".encode("latin-1")
    replaced = "\ufffdl\ufffdment".encode()
    assert normalized_digest(latin1) == hashlib.sha1(replaced).hexdigest()


LINE_TEXT = st.text(alphabet="ab \t#-`é\u00a0", max_size=12)


@st.composite
def cosmetic_noise(draw: st.DrawFn, lines: list[str]) -> str:
    """The same lines with random indentation, trailing blanks, blank lines and line endings."""
    noisy = []
    for line in lines:
        noisy.extend(draw(st.lists(st.sampled_from(["", " ", "\t \t"]), max_size=2)))
        indent = draw(st.sampled_from(["", " ", "    ", "\t"]))
        trailing = draw(st.sampled_from(["", " ", "\t", "  "]))
        noisy.append(indent + re.sub(" ", lambda _: draw(st.sampled_from([" ", "  ", "\t"])), line)
                     + trailing)
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(noisy)


@given(st.data(), st.lists(LINE_TEXT, max_size=8))
def test_cosmetic_noise_never_counts_as_a_change(data: st.DataObject, lines: list[str]) -> None:
    text = "\n".join(lines)
    noisy = data.draw(cosmetic_noise(lines))
    assert is_cosmetic_change(text, noisy)
    assert change_ratio(text, noisy) == 0.0
    # The cheap pre-check must never call a cosmetic change real.
    assert squeezed_digest(text.encode()) == squeezed_digest(noisy.encode())


@given(st.text(max_size=60), st.text(max_size=60))
def test_change_ratio_is_a_symmetric_share_and_zero_only_when_cosmetic(old: str, new: str) -> None:
    ratio = change_ratio(old, new)
    assert 0.0 <= ratio <= 1.0
    assert ratio == change_ratio(new, old)
    assert (ratio == 0.0) == is_cosmetic_change(old, new)
    assert normalize_text(normalize_text(old)) == normalize_text(old)
    if is_cosmetic_change(old, new):
        assert squeezed_digest(old.encode()) == squeezed_digest(new.encode())


# --- line diff --------------------------------------------------------------------------------


def apply_hunks(old_lines: Sequence[str], hunks: Sequence[Hunk]) -> list[str]:
    """Patch old_lines with hunks, checking every context and removed line on the way."""
    result: list[str] = []
    position = 0
    for hunk in hunks:
        start = hunk.old_start - 1 if hunk.old_lines else hunk.old_start
        assert start >= position, "hunks overlap or are out of order"
        result.extend(old_lines[position:start])
        position = start
        for line in hunk.lines:
            tag, body = line[0], line[1:]
            assert tag in " -+"
            if tag in " -":
                assert old_lines[position] == body
                position += 1
            if tag in " +":
                result.append(body)
    result.extend(old_lines[position:])
    return result


def longest_common_subsequence(old: Sequence[str], new: Sequence[str]) -> int:
    lengths = [[0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for i, j in itertools.product(range(len(old)), range(len(new))):
        lengths[i + 1][j + 1] = (
            lengths[i][j] + 1 if old[i] == new[j] else max(lengths[i][j + 1], lengths[i + 1][j])
        )
    return lengths[len(old)][len(new)]


DIFFLIB_HEADER = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def difflib_hunks(old: list[str], new: list[str], context: int) -> list[tuple[int, ...] | str]:
    """difflib's unified diff as header numbers and lines, in the shape our Hunks give."""
    shaped: list[tuple[int, ...] | str] = []
    for line in list(difflib.unified_diff(old, new, n=context, lineterm=""))[2:]:
        header = DIFFLIB_HEADER.fullmatch(line)
        if header is None:
            shaped.append(line)
            continue
        old_start, old_count, new_start, new_count = header.groups()
        # difflib writes "-5" for "-5,1"; our headers always carry the count.
        shaped.append((int(old_start), int(old_count or 1), int(new_start), int(new_count or 1)))
    return shaped


def our_hunks(old: list[str], new: list[str], context: int) -> list[tuple[int, ...] | str]:
    shaped: list[tuple[int, ...] | str] = []
    for hunk in diff_hunks(as_text(old), as_text(new), context):
        shaped.append((hunk.old_start, hunk.old_lines, hunk.new_start, hunk.new_lines))
        shaped.extend(hunk.lines)
    return shaped


def as_text(lines: Sequence[str]) -> str:
    return "".join(line + "\n" for line in lines)


def test_diff_hunks_numbers_and_lines_like_diff_u() -> None:
    old = as_text(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"])
    new = as_text(["a", "B", "c", "d", "e", "f", "g", "h", "i", "j", "k"])
    hunks = diff_hunks(old, new, context=2)
    assert [hunk.header for hunk in hunks] == ["@@ -1,4 +1,4 @@", "@@ -9,2 +9,3 @@"]
    assert hunks[0].text == " a\n-b\n+B\n c\n d"
    assert hunks[1].lines == (" i", " j", "+k")


def test_a_replaced_block_lists_removals_before_additions() -> None:
    hunks = diff_hunks("keep\nold one\nold two\nkeep too\n", "keep\nnew one\nkeep too\n")
    assert hunks[0].lines == (" keep", "-old one", "-old two", "+new one", " keep too")


def test_an_empty_side_is_numbered_by_the_line_before_it() -> None:
    assert diff_hunks("", "a\nb\n")[0].header == "@@ -0,0 +1,2 @@"
    assert diff_hunks("a\nb\n", "")[0].header == "@@ -1,2 +0,0 @@"
    assert diff_hunks("a\nb\nc\n", "a\nb\nX\nc\n", context=0)[0].header == "@@ -2,0 +3,1 @@"


def test_changes_closer_than_twice_the_context_share_a_hunk() -> None:
    lines = [str(index) for index in range(20)]
    old = as_text(lines)
    new = as_text([*lines[:3], "three", *lines[4:9], "nine", *lines[10:]])
    assert len(diff_hunks(old, new, context=3)) == 1  # 5 equal lines between: <= 6
    assert len(diff_hunks(old, new, context=2)) == 2  # > 4


def test_identical_texts_and_line_ending_changes_give_no_hunks() -> None:
    assert diff_hunks(ENGLISH, ENGLISH) == []
    assert diff_hunks(ENGLISH, ENGLISH.replace("\n", "\r\n")) == []
    assert diff_hunks("a\nb", "a\nb\n") == []


def test_hunk_lines_never_keep_a_carriage_return() -> None:
    hunks = diff_hunks("a\r\nb\r\n", "a\r\nc\r\n")
    assert hunks[0].lines == (" a", "-b", "+c")


def test_negative_context_is_refused() -> None:
    with pytest.raises(ValueError, match="context"):
        diff_hunks("a", "b", context=-1)


LINES = st.lists(st.sampled_from(["a", "b", "c", "", "  d"]), max_size=12)


@settings(max_examples=300)
@given(LINES, LINES, st.integers(min_value=0, max_value=4))
def test_applying_the_hunks_to_old_gives_new(old: list[str], new: list[str], context: int) -> None:
    hunks = diff_hunks(as_text(old), as_text(new), context)
    assert apply_hunks(old, hunks) == new
    assert (hunks == []) == (old == new)
    for hunk in hunks:
        assert hunk.old_lines == sum(line[0] in " -" for line in hunk.lines)
        assert hunk.new_lines == sum(line[0] in " +" for line in hunk.lines)
        leading = len(list(itertools.takewhile(lambda line: line[0] == " ", hunk.lines)))
        trailing = len(list(itertools.takewhile(lambda line: line[0] == " ", hunk.lines[::-1])))
        assert leading <= context and trailing <= context


@settings(max_examples=300)
@given(LINES, LINES)
def test_the_diff_is_minimal_and_never_longer_than_difflib(old: list[str], new: list[str]) -> None:
    hunks = diff_hunks(as_text(old), as_text(new), context=0)
    removed = sum(line[0] == "-" for hunk in hunks for line in hunk.lines)
    added = sum(line[0] == "+" for hunk in hunks for line in hunk.lines)
    common = longest_common_subsequence(old, new)
    assert (removed, added) == (len(old) - common, len(new) - common)
    difflib_lines = list(difflib.unified_diff(old, new, n=0, lineterm=""))[2:]
    assert removed <= sum(line.startswith("-") for line in difflib_lines)


@st.composite
def texts_with_one_minimal_diff(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """Old and new sharing kept runs, with removed and added lines that occur nowhere else.

    Every kept line must then be matched to itself, so all minimal diffs are the same one.
    """
    kept_runs = draw(st.lists(st.lists(st.sampled_from(["a", "b", ""]), max_size=4),
                              min_size=1, max_size=4))
    old: list[str] = []
    new: list[str] = []
    for run in kept_runs:
        old.extend(draw(st.lists(st.sampled_from(["old 1", "old 2"]), max_size=3)))
        new.extend(draw(st.lists(st.sampled_from(["new 1", "new 2"]), max_size=3)))
        old.extend(run)
        new.extend(run)
    return old, new


@settings(max_examples=300)
@given(texts_with_one_minimal_diff(), st.integers(min_value=0, max_value=3))
def test_hunks_equal_difflib_when_the_minimal_diff_is_unique(
    texts: tuple[list[str], list[str]], context: int
) -> None:
    old, new = texts
    ours = our_hunks(old, new, context)
    theirs = difflib_hunks(old, new, context)
    difflib_changes = sum(isinstance(line, str) and line[:1] in "-+" for line in theirs)
    our_changes = sum(isinstance(line, str) and line[:1] in "-+" for line in ours)
    if difflib_changes == our_changes:  # difflib found the minimal diff too: the same one
        assert ours == theirs
    else:  # difflib's matching heuristic is not minimal
        assert our_changes < difflib_changes


def test_old_change_span_leaves_out_context() -> None:
    old = as_text(["## Syntax", "", "one", "two", "three", "", "## Examples"])
    replaced = diff_hunks(old, old.replace("two", "deux"))[0]
    assert (replaced.old_start, replaced.old_change_span) == (1, (4, 4))
    removed = diff_hunks(old, old.replace("one\ntwo\n", ""))[0]
    assert removed.old_change_span == (3, 4)
    inserted_after_heading = diff_hunks(old, old.replace("## Syntax\n", "## Syntax\nnew\n"))[0]
    assert inserted_after_heading.old_change_span == (1, 2)


# --- word diff --------------------------------------------------------------------------------


def test_word_diff_marks_the_changed_words_only() -> None:
    pieces = word_diff(
        'The {{domxref("Element")}} value is returned.',
        'The {{domxref("Node")}} value is always returned.',
    )
    assert pieces[:3] == [("=", 'The {{domxref("'), ("-", "Element"), ("+", "Node")]
    # Which blank goes with "always" is a tie between two minimal diffs.
    assert [(tag, text.strip()) for tag, text in pieces[3:]] == [
        ("=", '")}} value is'),
        ("+", "always"),
        ("=", "returned."),
    ]


def test_word_diff_joins_changes_separated_by_a_lone_blank() -> None:
    assert word_diff("keep old words here", "keep new text here") == [
        ("=", "keep "),
        ("-", "old words"),
        ("+", "new text"),
        ("=", " here"),
    ]


def test_word_diff_of_equal_lines_is_one_kept_piece() -> None:
    assert word_diff("same line", "same line") == [("=", "same line")]
    assert word_diff("", "") == []


WORDY = st.text(alphabet="ab é(\"')\t.", max_size=30)


@settings(max_examples=300)
@given(WORDY, WORDY)
def test_word_diff_pieces_rebuild_both_lines(old_line: str, new_line: str) -> None:
    pieces = word_diff(old_line, new_line)
    assert "".join(text for tag, text in pieces if tag in "=-") == old_line
    assert "".join(text for tag, text in pieces if tag in "=+") == new_line
    assert all(tag in ("=", "-", "+") and text for tag, text in pieces)
    assert all(first[0] != second[0] for first, second in itertools.pairwise(pieces))


# --- sections ---------------------------------------------------------------------------------


def test_sections_of_the_english_page() -> None:
    sections = split_sections(ENGLISH)
    assert [(section.heading, section.level) for section in sections] == [
        (None, 0),
        ("Syntax", 2),
        ("Parameters", 3),
        ("Return value", 3),
        ("Examples", 2),
        ("Description", 2),
        ("Lower casing", 3),
        ("Retrieving nonce values", 3),
        ("Specifications", 2),
        ("Browser compatibility", 2),
        ("See also", 2),
    ]


def test_section_lines_count_the_front_matter_and_tile_the_body() -> None:
    sections = split_sections(ENGLISH)
    lines = ENGLISH.split("\n")
    front_matter_end = lines.index("---", 1) + 1  # the closing "---" is line 7
    assert front_matter_end == 7
    assert sections[0].start_line == front_matter_end + 1
    for section in sections[1:]:
        assert lines[section.start_line - 1] == f"{'#' * section.level} {section.heading}"
    for before, after in itertools.pairwise(sections):
        assert after.start_line == before.end_line + 1
    assert sections[-1].end_line == len(ENGLISH.splitlines())
    syntax = sections[1]
    assert (syntax.start_line, syntax.end_line) == (
        line_number_of(ENGLISH, "## Syntax"),
        line_number_of(ENGLISH, "### Parameters") - 1,
    )


def test_hash_lines_in_fenced_code_are_not_headings() -> None:
    examples = next(s for s in split_sections(ENGLISH) if s.heading == "Examples")
    comment = line_number_of(ENGLISH, "# any static server will do")
    assert examples.start_line < comment <= examples.end_line
    text = (
        "Intro\n"
        "## Real\n"
        "```sh\n# shell comment\n```\n"
        "~~~python\n# python comment\n```\n## still code, a ``` fence cannot close ~~~\n~~~\n"
        "````md\n```\n# markdown inside markdown\n```\n````\n"
        "- a list item\n\n    ```sh\n    # indented fence in a list\n    ```\n"
        "#not-a-heading #hashtag\n"
        "####### seven hashes\n"
        "    # indented code, not a heading\n"
        "### Last ###\n"
        "```\n# an unclosed fence runs to the end\n"
    )
    sections = split_sections(text)
    assert [(s.heading, s.level, s.start_line) for s in sections] == [
        (None, 0, 1),
        ("Real", 2, 2),
        ("Last", 3, 24),
    ]
    assert "code:# an unclosed fence runs to the end" in sections[-1].anchors


def test_a_page_without_front_matter_starts_its_intro_at_line_one() -> None:
    sections = split_sections("## First\ntext\n")
    assert (sections[0].start_line, sections[0].end_line) == (1, 0)  # an empty intro
    assert (sections[1].start_line, sections[1].end_line) == (1, 2)


def test_unclosed_front_matter_is_read_as_body() -> None:
    sections = split_sections("---\ntitle: x\n## Heading\n")
    assert [(s.heading, s.start_line) for s in sections] == [(None, 1), ("Heading", 3)]


def test_front_matter_with_crlf_and_a_byte_order_mark_is_counted() -> None:
    text = "\ufeff---\r\ntitle: x\r\n---\r\nIntro\r\n## Syntaxe\r\n"
    assert [(s.heading, s.start_line, s.end_line) for s in split_sections(text)] == [
        (None, 4, 4),
        ("Syntaxe", 5, 5),
    ]


def test_empty_text_has_only_an_empty_intro() -> None:
    assert split_sections("") == [Section(None, 0, 1, 0, frozenset())]


def test_anchors_are_the_same_in_english_and_in_french() -> None:
    english = split_sections(
        "## Voir {#see-also}\n"
        "{{DOMxRef('Element', 'the element')}} and {{Specifications}}, see\n"
        "[attributes](/en-US/docs/Web/HTML/Attributes#list) or "
        '<a href="https://developer.mozilla.org/en-US/docs/Web/API">the API</a>, 2024 and 7.\n'
        "```js\nconst  answer = 42;\n```\n"
    )[1]
    french = split_sections(
        "## See also {#SEE-ALSO}\n"
        '{{domxref("Element", "l\'élément")}} et {{specifications}}, voir\n'
        "[les attributs](/fr/docs/Web/HTML/Attributes#liste) ou "
        "<a href='/fr/docs/Web/API'>l'API</a>, 2024 et 7.\n"
        "```js\n  const answer = 42;\n```\n"
    )[1]
    assert english.heading == "Voir"
    assert english.anchors == french.anchors == {
        "id:see-also",
        "macro:domxref:Element",
        "macro:specifications",
        "link:/docs/web/html/attributes",
        "link:/docs/web/api",
        "num:2024",
        "code:const answer = 42;",
    }


def test_numbers_inside_links_macros_and_inline_code_belong_to_those() -> None:
    section = split_sections(
        "[Not Found](/en-US/docs/Web/HTTP/Status/404) `code 500` {{HTTPStatus(302)}} 10 000\n"
    )[0]
    assert section.anchors == {
        "link:/docs/web/http/status/404",
        "inline:code 500",
        "macro:httpstatus:302",
        "num:10",
        "num:000",
    }


HEADING_OR_TEXT = st.sampled_from(
    ["# A", "## B", "### C", "#nope", "text", "", "```", "~~~", "````", "---", "# ```"]
)


@settings(max_examples=300)
@given(st.booleans(), st.lists(HEADING_OR_TEXT, max_size=15))
def test_sections_tile_the_body_and_start_at_headings(front: bool, body: list[str]) -> None:
    lines = (["---", "title: t", "---"] if front else ["Intro"]) + body
    sections = split_sections(as_text(lines))
    assert sections[0].level == 0 and sections[0].heading is None
    assert sections[0].start_line == (4 if front else 1)
    for before, after in itertools.pairwise(sections):
        assert after.start_line == before.end_line + 1
        assert lines[after.start_line - 1].startswith("#" * after.level + " ")
    assert sections[-1].end_line == len(lines)


# --- section alignment ------------------------------------------------------------------------

EXPECTED_FRENCH_FOR = {
    None: None,  # the intro
    "Syntax": "Syntaxe",
    "Parameters": "Paramètres",
    "Return value": "Valeur de retour",
    "Examples": "Exemples",
    "Description": "Description",
    "Lower casing": "Mise en minuscules",
    "Retrieving nonce values": "(missing)",
    "Specifications": "Spécifications",
    "Browser compatibility": "Compatibilité des navigateurs",
    "See also": "Voir aussi",
}


def french_for(english: Sequence[Section], french: Sequence[Section],
               matches: Sequence[SectionMatch]) -> dict[str | None, str | None]:
    return {
        english[match.english].heading: (
            "(missing)" if match.translation is None else french[match.translation].heading
        )
        for match in matches
    }


def test_english_sections_map_to_their_translations() -> None:
    english, french = split_sections(ENGLISH), split_sections(FRENCH)
    matches = align_sections(english, french)
    assert [match.english for match in matches] == list(range(len(english)))
    assert french_for(english, french, matches) == EXPECTED_FRENCH_FOR
    assert matches[0] == SectionMatch(0, 0, matches[0].score) and matches[0].score > 0.9
    extra = headings(french).index("Avec les attributs `data-*`")
    assert extra not in {match.translation for match in matches}


def test_the_alignment_keeps_the_order_of_sections() -> None:
    english, french = split_sections(ENGLISH), split_sections(FRENCH)
    matched = [m.translation for m in align_sections(english, french) if m.translation is not None]
    assert matched == sorted(matched) and len(set(matched)) == len(matched)


def test_heading_text_plays_no_part_in_the_alignment() -> None:
    lines = FRENCH.split("\n")
    for number, section in enumerate(split_sections(FRENCH)[1:]):
        lines[section.start_line - 1] = "#" * section.level + f" Titre {number}"
    renamed = "\n".join(lines)
    assert headings(split_sections(renamed))[1:3] == ["Titre 0", "Titre 1"]
    english = split_sections(ENGLISH)
    assert align_sections(english, split_sections(renamed)) == align_sections(
        english, split_sections(FRENCH)
    )


def test_a_missing_section_reports_the_best_free_candidate_score() -> None:
    english, french = split_sections(ENGLISH), split_sections(FRENCH)
    nonce = headings(english).index("Retrieving nonce values")
    # No French section left free reaches the cutoff; the best of them is reported.
    match = align_sections(english, french)[nonce]
    assert match.translation is None
    assert 0.0 < match.score < 0.5


def test_a_higher_cutoff_turns_weak_matches_into_none_and_keeps_their_score() -> None:
    english, french = split_sections(ENGLISH), split_sections(FRENCH)
    default = align_sections(english, french, cutoff=0.5)
    strict = align_sections(english, french, cutoff=0.8)
    weak = [m.english for m in default if m.translation is not None and m.score < 0.8]
    strong = [m.english for m in default if m.translation is not None and m.score >= 0.8]
    assert weak and strong
    for index in weak:
        assert strict[index].translation is None
        assert default[index].score <= strict[index].score < 0.8
    for index in strong:
        assert strict[index] == default[index]


def test_a_page_aligns_with_itself_section_by_section() -> None:
    sections = split_sections(ENGLISH)
    matches = align_sections(sections, sections)
    assert [m.translation for m in matches] == list(range(len(sections)))
    # One shared anchor is less evidence than many: 0.85 for one, toward 1.0 for more.
    anchored = [m.score for m in matches if sections[m.english].anchors]
    assert min(anchored) >= 0.85 and max(anchored) > 0.95


def test_sections_with_unrelated_anchors_do_not_match() -> None:
    english = split_sections("Intro\n## Syntax\n```js\nfoo(bar)\n```\n[x](/en-US/docs/A)\n")
    french = split_sections("Intro\n## Syntaxe\n```css\np { color: red; }\n```\n[x](/fr/docs/B)\n")
    matches = align_sections(english, french)
    assert matches[0].translation == 0
    assert matches[1].translation is None and matches[1].score < 0.5


def test_align_sections_with_an_empty_translation() -> None:
    english = split_sections(ENGLISH)
    assert all(m.translation is None and m.score == 0.0 for m in align_sections(english, []))
    assert align_sections([], split_sections(FRENCH)) == []


ANCHOR_POOL = ["macro:compat", "macro:specifications", "link:/docs/a", "link:/docs/b",
               "num:2024", "code:let x = 1;", "code:let y = 2;", "inline:null"]


@st.composite
def section_lists(draw: st.DrawFn) -> list[Section]:
    intro = Section(None, 0, 1, 1, frozenset(draw(st.sets(st.sampled_from(ANCHOR_POOL)))))
    sections = [intro]
    for index in range(draw(st.integers(min_value=0, max_value=5))):
        anchors = frozenset(draw(st.sets(st.sampled_from(ANCHOR_POOL), max_size=3)))
        level = draw(st.integers(min_value=2, max_value=3))
        sections.append(Section(f"S{index}", level, index + 2, index + 2, anchors))
    return sections


def alignment_gain(matches: Sequence[SectionMatch], cutoff: float) -> float:
    return sum(m.score - cutoff for m in matches[1:] if m.translation is not None)


@settings(max_examples=200)
@given(section_lists(), section_lists(), st.sampled_from([0.0, 0.3, 0.5, 0.7]))
def test_alignment_is_one_optimal_monotonic_match_per_section(
    english: list[Section], french: list[Section], cutoff: float
) -> None:
    matches = align_sections(english, french, cutoff)
    assert [m.english for m in matches] == list(range(len(english)))
    matched = [m.translation for m in matches if m.translation is not None]
    assert len(matched) == len(set(matched))
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    # The intros (each with a line) are each other's whatever their score: the preamble.
    assert matches[0].translation == 0
    assert all(m.score >= cutoff for m in matches[1:] if m.translation is not None)
    # Unmatched: every free candidate scored below the cutoff, or there was none (0.0).
    assert all(m.score < cutoff or m.score == 0.0 for m in matches if m.translation is None)
    assert matches[0].translation in (0, None)
    assert 0 not in [m.translation for m in matches[1:]]
    # No other order-preserving choice of pairs after the intros gains more.
    scores = _score_matrix(english, french)
    best = alignment_gain(matches, cutoff)
    for size in range(1, min(len(english), len(french))):
        for english_indices in itertools.combinations(range(1, len(english)), size):
            for french_indices in itertools.combinations(range(1, len(french)), size):
                pairs = zip(english_indices, french_indices, strict=True)
                if all(scores[e][f] >= cutoff for e, f in pairs):
                    gain = sum(
                        scores[e][f] - cutoff
                        for e, f in zip(english_indices, french_indices, strict=True)
                    )
                    assert gain <= best + 1e-9


# --- placing an English change in the translation --------------------------------------------


def test_an_english_edit_in_the_second_section_lands_in_the_french_syntaxe() -> None:
    english, french = split_sections(ENGLISH), split_sections(FRENCH)
    matches = align_sections(english, french)
    (hunk,) = diff_hunks(ENGLISH, ENGLISH_EDITED)
    assert hunk.lines[3:5] == ("-getAttribute(attributeName)", "+getAttribute(name)")
    changed = line_number_of(ENGLISH, "getAttribute(attributeName)")
    assert hunk.old_change_span == (changed, changed)
    placed = section_for_lines(*hunk.old_change_span, english, matches, french)
    assert placed == (french[1], matches[1].score)
    assert french[1].heading == "Syntaxe"
    # The whole hunk starts with context on the "## Syntax" line: the same section.
    whole = (hunk.old_start, hunk.old_start + hunk.old_lines - 1)
    assert section_for_lines(*whole, english, matches, french) == placed


def test_lines_in_the_intro_land_in_the_french_intro() -> None:
    english, french = split_sections(ENGLISH), split_sections(FRENCH)
    matches = align_sections(english, french)
    line = line_number_of(ENGLISH, "If the given attribute does not exist, the value returned "
                                   "will be `null`.")
    placed = section_for_lines(line, line, english, matches, french)
    assert placed is not None and placed[0] is french[0]


def test_lines_of_a_section_the_translation_lacks_land_nowhere() -> None:
    english, french = split_sections(ENGLISH), split_sections(FRENCH)
    matches = align_sections(english, french)
    line = line_number_of(ENGLISH, "let nonce = script.nonce;")
    assert section_for_lines(line, line, english, matches, french) is None


def test_lines_below_the_cutoff_land_nowhere() -> None:
    english, french = split_sections(ENGLISH), split_sections(FRENCH)
    matches = align_sections(english, french, cutoff=0.95)
    line = line_number_of(ENGLISH, "getAttribute(attributeName)")
    assert section_for_lines(line, line, english, matches, french) is None


def test_front_matter_lines_land_nowhere_unless_the_range_reaches_the_body() -> None:
    english, french = split_sections(ENGLISH), split_sections(FRENCH)
    matches = align_sections(english, french)
    assert section_for_lines(2, 3, english, matches, french) is None
    # An insertion just after the closing "---" touches lines 7 and 8: the intro.
    placed = section_for_lines(7, 8, english, matches, french)
    assert placed is not None and placed[0] is french[0]


def test_a_slug_change_alone_is_cosmetic_but_a_slug_in_the_body_is_text() -> None:
    # A move rewrites the slug; `move` rewrites the translation's, so it is no text to port.
    old = "---\ntitle: DNS\nslug: Glossary/DNS\n---\n\nThe DNS.\n"
    new = "---\r\ntitle: DNS\r\nslug: Glossary/Domain_name_system\r\n---\r\n\r\nThe DNS.\r\n"
    assert normalize_text(old) == normalize_text(new)
    assert squeezed_digest(old.encode()) == squeezed_digest(new.encode())
    assert squeezed_digest(b"\xef\xbb\xbf" + old.encode()) == squeezed_digest(new.encode())
    body_old = "---\ntitle: DNS\n---\n\nslug: one\n"
    body_new = "---\ntitle: DNS\n---\n\nslug: two\n"
    assert normalize_text(body_old) != normalize_text(body_new)
    nested_old = "---\nmeta:\n  slug: a\n---\nText\n"
    nested_new = "---\nmeta:\n  slug: b\n---\nText\n"
    assert normalize_text(nested_old) != normalize_text(nested_new)


def test_explicit_heading_ids_are_decisive_whatever_the_order() -> None:
    # A glossary sorted in the translated language's order; every heading carries the English
    # heading's id, as OpenTelemetry's translators write them.
    english = split_sections("Intro.\n\n## Apple\n\nRed.\n\n## Banana\n\nYellow.\n\n"
                             "## Cherry tree {#cherry}\n\nSmall.\n")
    french = split_sections("Intro.\n\n## Banane {#banana}\n\nJaune.\n\n"
                            "## Cerisier {#cherry}\n\nPetit.\n\n## Pomme {#apple}\n\nRouge.\n")
    matches = align_sections(english, french)
    by_heading = {english[m.english].heading: (french[m.translation].heading
                                               if m.translation is not None else None, m.score)
                  for m in matches}
    assert by_heading["Apple"] == ("Pomme", 1.0)
    assert by_heading["Banana"] == ("Banane", 1.0)
    assert by_heading["Cherry tree"] == ("Cerisier", 1.0)
    assert english[3].explicit_id == "cherry" and english[1].implicit_id == "apple"


def test_the_preambles_are_each_others() -> None:
    english = split_sections("---\ntitle: X\n---\n\nAn English intro.\n\n## Syntax\n\n`x()`\n")
    french = split_sections("---\ntitle: X\n---\n\nUne introduction.\n\n## Syntaxe\n\n`x()`\n")
    matches = align_sections(english, french, cutoff=0.9)
    assert matches[0].translation == 0
