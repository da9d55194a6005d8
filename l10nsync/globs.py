"""Path globs as Lunaria's users write them (micromatch): the only wcmatch user.

``**`` as a whole path part matches zero or more folders, ``*`` and ``?`` never cross ``/``,
``{a,b}`` and ``@(a|b)`` give alternatives, and names starting with a dot are matched only by a
glob that spells the dot. ``fnmatch`` gets each of these wrong for paths (its ``*`` crosses
``/``, so ``en/**.mdx`` matched nested pages and ``en/**/*.mdx`` missed ``en/x.mdx``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable


class PathGlobs:
    """A set of globs, compiled once, matched against '/'-separated relative paths."""

    def __init__(self, globs: Iterable[str]) -> None:
        self.globs = tuple(cleaned for cleaned in (clean_glob(glob) for glob in globs) if cleaned)
        self._regex = _compiled(self.globs) if self.globs else None

    def __bool__(self) -> bool:
        return bool(self.globs)

    def matches(self, path: str) -> bool:
        """True when ``path`` matches any of the globs."""
        return self._regex is not None and self._regex.match(path) is not None


@functools.lru_cache(maxsize=1024)
def path_globs(globs: tuple[str, ...]) -> PathGlobs:
    """``PathGlobs(globs)``, made once per set of globs (commit rules ask again and again)."""
    return PathGlobs(globs)


def clean_glob(glob: str) -> str:
    """A glob as written, without the ``./`` or ``/`` that means "from the project root"."""
    glob = glob.strip()
    while glob.startswith("./"):
        glob = glob[2:]
    return glob.lstrip("/")


def _compiled(globs: tuple[str, ...]) -> re.Pattern[str]:
    # wcmatch translates the globs to regular expressions (its own matcher would cost four
    # times as much per path); without NEGATE there are no exclusion patterns. It is loaded
    # here, when a config has globs: most runs (every MDN one) never need it.
    from wcmatch import glob as wcglob

    # FORCEUNIX: '/' separates folders whatever the system, as in git paths.
    flags = wcglob.GLOBSTAR | wcglob.BRACE | wcglob.EXTGLOB | wcglob.FORCEUNIX
    patterns, _excluded = wcglob.translate(list(globs), flags=flags)
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))
