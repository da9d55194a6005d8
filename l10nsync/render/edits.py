"""What ``bump --dry-run`` and ``annotate --dry-run`` show of an edit: a unified diff.

``difflib.unified_diff`` builds an index of every line of the page to diff it; annotate shows
thousands of edits that each add a line or two to the front matter. Such an insertion is
written here without the index when difflib is sure to give these very lines (see
_insertion_diff); anything else goes to difflib. A property test compares the two.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from l10nsync.escape import escape_text

_CONTEXT = 3  # difflib's default, and what the dry runs have always shown


def render_edit_diff(path: str, before: bytes, after: bytes) -> str:
    """The unified diff of one page's edit, its lines escaped for a terminal."""
    old = before.decode("utf-8", errors="replace").splitlines(keepends=True)
    new = after.decode("utf-8", errors="replace").splitlines(keepends=True)
    return "".join(_diff_line(line) for line in unified_diff(old, new, f"a/{path}", f"b/{path}"))


def unified_diff(old: Sequence[str], new: Sequence[str], fromfile: str,
                 tofile: str) -> Iterable[str]:
    """The lines ``difflib.unified_diff(old, new, fromfile, tofile)`` gives, in less time for
    lines inserted in one place."""
    quick = _insertion_diff(old, new, fromfile, tofile)
    return quick if quick is not None else difflib.unified_diff(old, new, fromfile, tofile)


def _insertion_diff(a: Sequence[str], b: Sequence[str], fromfile: str,
                    tofile: str) -> list[str] | None:
    """The unified diff of ``b``, which is ``a`` with lines inserted at one place, when
    difflib's matcher certainly keeps the lines before and after as they are; else None.

    difflib takes the longest run of equal lines free of "popular" lines (in more than 1% of
    a ``b`` of 200 lines or more), the first in ``a`` then in ``b`` among equals, grows it both
    ways over equal lines, and recurses on each side; with no run, it grows one from the
    side's start. When no inserted line is in ``a``, every run lies before or after them in
    ``b``. A run off the diagonals of the lines kept before and after holds text that is also
    found on one of them, no later in ``a`` and no later in ``b`` at the same place: it wins
    over them only if its ``a`` side spans the insertion point, so holds the two lines around
    it, found together again where it matches (checked: they are found together once). So
    the run taken grows into all the lines before, or all the lines after, and the other side's
    recursion (a run, or the growth from its start) takes the rest. The lines after need a
    run of their own (checked) when there are no lines before: nothing grows from the start.
    """
    n, k = len(a), len(b) - len(a)
    if k <= 0:
        return None
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    if b[i + k:] != a[i:]:
        return None
    inserted = b[i:i + k]
    if not set(inserted).isdisjoint(a):
        return None
    if 0 < i < n:
        text = "".join(a)
        pair = a[i - 1] + a[i]
        first = text.find(pair)
        if first < 0 or text.find(pair, first + 1) >= 0:
            return None
    if i < n and len(b) >= 200:
        # A side of popular lines only has no run: matched only if grown from its start, which
        # the side after the insertion is not at the top level (checked: it has a run).
        most = len(b) // 100 + 1
        if not any(b.count(line) <= most for line in a[i:i + 20]):
            return None
    start, a_end, b_end = max(0, i - _CONTEXT), min(n, i + _CONTEXT), min(n + k, i + k + _CONTEXT)
    return [f"--- {fromfile}\n", f"+++ {tofile}\n",
            f"@@ -{_range(start, a_end)} +{_range(start, b_end)} @@\n",
            *(" " + line for line in a[start:i]), *("+" + line for line in inserted),
            *(" " + line for line in a[i:a_end])]


def _range(start: int, stop: int) -> str:
    """A hunk's range as difflib writes it: 'first,length', or 'first' for one line."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _diff_line(line: str) -> str:
    """A line of a dry run's diff: its line break (LF or CRLF) kept, the rest escaped."""
    body = line.rstrip("\r\n") if line.endswith("\n") else line
    return escape_text(body, keep="\t") + "\n"
