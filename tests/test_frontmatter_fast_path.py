"""The fast reader of simple front matter agrees with the YAML parser wherever it answers."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from l10nsync.frontmatter import parse_simple_block, parse_yaml_block

KEYS = st.sampled_from(["title", "slug", "l10n", "sourceCommit", "page-type", "tags", "a.b"])
VALUES = st.one_of(
    st.sampled_from(["", "abc1234", "0123456", "1e10", "null", "~", "Null", "true", "- x",
                     "a: b", "a:b", "x #c", "#c", "'q'", '"q"', "''", '""', "'it''s'",
                     '"a\\"b"', "[1, 2]", "{a: 1}", "&anchor x", "*alias", "!tag x", "|",
                     ">", "--output=/tmp/x", "Asynchrone", "%x", "@x", "`x`", "a:", "é ü",
                     "x\r", "  spaced  ", "?", ":", "-", "x:y:z",
                     # Trailing tabs, and what YAML takes for line breaks besides LF (issue 14).
                     "T\t", "T \t", "a\tb", "x\u2028y", "x\u2029", "x\x85y", "x\ry"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)
INDENTS = st.sampled_from(["", "", "  ", "  ", "    ", " ", "\t"])
LINES = st.one_of(
    st.tuples(INDENTS, KEYS, VALUES).map(lambda t: f"{t[0]}{t[1]}:{' ' + t[2] if t[2] else ''}"),
    st.sampled_from(["", "# comment", "  # indented comment", "- item", "  - item", "...",
                     "l10n:", "  sourceCommit: abcdef1", "title", "key : value",
                     "title: T\t", "\u2028", "\r", "a: b\rc: d", "a: b\u2028"]),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(LINES, max_size=8), st.sampled_from(["l10n.sourceCommit", "sourceCommit",
                                                    "title"]))
@example(["title: T", "l10n:", "  sourceCommit: 0123456"], "l10n.sourceCommit")
@example(["l10n:", "    sourceCommit: abc1234", "  other: x"], "l10n.sourceCommit")
@example(["title:", "l10n: x", "l10n:", "  sourceCommit: y"], "l10n.sourceCommit")
@example(["title: Titre\t", "l10n:", "  sourceCommit: abcdef1"], "title")
@example(["a: x\u2028", "l10n:", "  sourceCommit: abcdef1"], "l10n.sourceCommit")
@example(["a: b\rc: d", "l10n:", "  sourceCommit: abcdef1"], "l10n.sourceCommit")
def test_fast_path_matches_yaml(lines: list[str], marker_key: str) -> None:
    block = "\n" + "\n".join(lines) + "\n"
    fast = parse_simple_block(block, marker_key)
    if fast is not None:
        assert fast == parse_yaml_block(block, marker_key), block


def test_fast_path_takes_mdn_pages() -> None:
    block = "\ntitle: Asynchrone\nslug: Glossary/Asynchronous\nl10n:\n  sourceCommit: 2547f62\n"
    assert parse_simple_block(block, "l10n.sourceCommit") is not None
    quoted = '\ntitle: "Array.prototype.at()"\nslug: Web/JavaScript/Reference/Array/at\n'
    assert parse_simple_block(quoted, "l10n.sourceCommit") is not None


def test_fast_reader_is_linear_in_a_long_plain_value() -> None:
    """A plain value of megabytes: the old pattern (an alternation under a repeat) kept a
    backtracking frame per character, about 120 bytes of memory per byte of the page."""
    import tracemalloc

    block = "\ntitle: " + "a" * 2_000_000 + "\nl10n:\n  sourceCommit: abcdef1\n"
    tracemalloc.start()
    result = parse_simple_block(block, "l10n.sourceCommit")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result is not None and result.marker == "abcdef1"
    assert peak < 20 * len(block), peak
