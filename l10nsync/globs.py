"""Path globs as Lunaria's users write them (micromatch): the only wcmatch user.

``**`` as a whole path part matches zero or more folders, ``*`` and ``?`` never cross ``/``,
``{a,b}`` and ``@(a|b)`` give alternatives, and names starting with a dot are matched only by a
glob that spells the dot. ``fnmatch`` gets each of these wrong for paths (its ``*`` crosses
``/``, so ``en/**.mdx`` matched nested pages and ``en/**/*.mdx`` missed ``en/x.mdx``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from wcmatch import glob as _wcglob

_FLAGS = _wcglob.GLOBSTAR | _wcglob.BRACE | _wcglob.EXTGLOB


class PathGlobs:
    """A set of globs, compiled once, matched against '/'-separated relative paths."""

    def __init__(self, globs: Iterable[str]) -> None:
        self.globs = tuple(clean_glob(glob) for glob in globs if clean_glob(glob))
        self._matcher = _compiled(self.globs) if self.globs else None

    def __bool__(self) -> bool:
        return bool(self.globs)

    def matches(self, path: str) -> bool:
        """True when ``path`` matches any of the globs."""
        return self._matcher is not None and bool(self._matcher.match(path))


def clean_glob(glob: str) -> str:
    """A glob as written, without the ``./`` or ``/`` that means "from the project root"."""
    glob = glob.strip()
    while glob.startswith("./"):
        glob = glob[2:]
    return glob.lstrip("/")


@functools.lru_cache(maxsize=1024)
def _compiled(globs: tuple[str, ...]) -> _wcglob.WcMatcher[str]:
    return _wcglob.compile(list(globs), flags=_FLAGS)
