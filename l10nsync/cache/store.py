"""A cache under the translations repository's git directory, ``<git-dir>/l10nsync/``.

Entries are marshal data (plain values only, so loading one runs no code) behind a header that
holds the entry's key and a SHA-256 of the payload. A missing, stale, partial or corrupt entry
reads as None and is rebuilt; writes go to a temporary file renamed into place.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

from l10nsync import __version__

FORMAT = 5  # bumped whenever what an entry holds changes shape
_MAGIC = b"l10nsync-cache\n"


def cache_folder(git_dir: Path) -> Path:
    """Where l10nsync keeps its cache for a repository."""
    return git_dir / "l10nsync"


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of l10nsync's own source and the dashboard's page code: a cache (or a kept
    dashboard) written by other code is not trusted."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    sources = [*package.rglob("*.py"), *(package / "dashboard_assets").iterdir()]
    for source in sorted(sources):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def cache_key(*parts: object) -> str:
    """One string from everything that changes an entry's meaning (with our own code)."""
    text = "\0".join(str(part) for part in (FORMAT, __version__, code_digest(), *parts))
    return hashlib.sha256(text.encode("utf-8", errors="surrogateescape")).hexdigest()


def load_entry(path: Path, key: str) -> Any | None:
    """The cached value stored under ``key``, or None when absent, stale or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header_end = len(_MAGIC) + 64 + 64
    if len(data) < header_end or not data.startswith(_MAGIC):
        return None
    stored_key = data[len(_MAGIC):len(_MAGIC) + 64].decode("ascii", errors="replace")
    digest = data[len(_MAGIC) + 64:header_end].decode("ascii", errors="replace")
    payload = data[header_end:]
    if stored_key != key or hashlib.sha256(payload).hexdigest() != digest:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def store_entry(path: Path, key: str, value: Any) -> bool:
    """Write ``value`` atomically; a cache that cannot be written is skipped, not an error."""
    try:
        payload = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=path.name, dir=path.parent)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(_MAGIC + key.encode("ascii")
                             + hashlib.sha256(payload).hexdigest().encode("ascii") + payload)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, ValueError):
        return False
    return True
