"""render/edits.py: the dry runs' diff is difflib's, line for line, however it is made."""

from __future__ import annotations

import difflib

from hypothesis import example, given, settings
from hypothesis import strategies as st

from l10nsync.render.edits import _insertion_diff, render_edit_diff, unified_diff

# Few distinct lines, so that pages repeat lines and pairs of lines (difflib's hard cases);
# long pages, so that its "popular line" rule (200 lines or more) comes into play.
LINES = st.sampled_from(["---\n", "title: T\n", "slug: S\n", "\n", "x\n", "y\n", "```\n",
                         "z\r\n", "outdated: true\n", "last"])
PAGES = st.one_of(st.lists(LINES, max_size=12), st.lists(LINES, min_size=190, max_size=420))


@settings(max_examples=1500, deadline=None)
@given(PAGES, st.lists(LINES, min_size=1, max_size=3), st.integers(0, 500))
@example(["a\n", "b\n"] * 110, ["new\n"], 0)  # popular lines only: difflib matches none
@example(["c\n", "c\n", "c\n"], ["new\n"], 1)  # difflib matches the lines around the point
@example(["a\n", "b\n", "a\n", "b\n"], ["new\n"], 1)
@example(["x\n"] * 150 + ["---\n", "t\n", "---\n"] + ["x\n"] * 150, ["new\n"], 152)
def test_the_diff_of_an_insertion_is_difflibs(page: list[str], inserted: list[str],
                                             at: int) -> None:
    at = min(at, len(page))
    after = page[:at] + inserted + page[at:]
    expected = list(difflib.unified_diff(page, after, "a/p", "b/p"))
    assert list(unified_diff(page, after, "a/p", "b/p")) == expected
    quick = _insertion_diff(page, after, "a/p", "b/p")
    assert quick is None or quick == expected


def test_an_edit_of_front_matter_is_diffed_without_difflib() -> None:
    """annotate's common edit, a key added after the slug of a long page, takes the quick way."""
    body = "".join(f"Line {n}.\n\n" for n in range(300))
    before = f"---\ntitle: T\nslug: S\nl10n:\n  sourceCommit: abc1234\n---\n{body}".encode()
    after = before.replace(b"slug: S\n", b"slug: S\noutdated: true\n")
    old = before.decode().splitlines(keepends=True)
    new = after.decode().splitlines(keepends=True)
    assert _insertion_diff(old, new, "a/p", "b/p") is not None
    assert render_edit_diff("p", before, after) == (
        "--- a/p\n+++ b/p\n@@ -1,6 +1,7 @@\n ---\n title: T\n slug: S\n+outdated: true\n"
        " l10n:\n   sourceCommit: abc1234\n ---\n")
