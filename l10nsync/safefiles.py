"""Pages are read and written inside the translations repository only, and no edit is lost.

The rule, in one place: no part of a page's path below the repository root may be a symbolic
link. A link (a ``files`` or locale folder, any folder on the way, the page itself) could take
a read or a write outside the repository, or onto another page, so a page reached through one
is skipped and said so. The check is made where pages are found (``linked_part``) and again
at the write, which walks the folders with ``O_NOFOLLOW`` from the root, so that a link made
between the two cannot redirect it.

A write replaces the page only if it is still what was read (size, modification time and a
SHA-256 of its bytes): a page saved or deleted by someone else since is refused, not
overwritten or recreated.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from l10nsync.errors import L10nSyncError

_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


class LinkedPathError(L10nSyncError):
    """A page's path goes through a symbolic link: it is neither read nor written."""


class ChangedPageError(L10nSyncError):
    """A page changed (or went away) between the read and the write: the edit is refused."""


def linked_part(root: str | Path, relative: str) -> str | None:
    """The first part of ``relative`` (a ``/`` path below ``root``) that is a symbolic link,
    as a path relative to ``root``; None when there is none (or a part does not exist)."""
    current = os.fspath(root)
    parts = [part for part in relative.split("/") if part]
    for index, part in enumerate(parts):
        current = os.path.join(current, part)
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            return "/".join(parts[: index + 1])
    return None


def linked_message(link: str) -> str:
    """What a user reads about a page skipped because of ``link``."""
    return (f"{link} is a symbolic link: l10nsync reads and writes nothing through links "
            "(they could lead outside the repository)")


@dataclass(frozen=True)
class Seen:
    """A page as it was read, to tell whether it changed before the write."""

    size: int
    mtime_ns: int
    digest: str


def _seen(data: bytes, info: os.stat_result) -> Seen:
    return Seen(info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())


def _open_folder(root: str | Path, parts: list[str], relative: str) -> int:
    """A descriptor of the folder ``parts`` below ``root``, no link followed on the way."""
    descriptor = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    for index in range(len(parts)):
        try:
            following = _open_child(descriptor, parts, index, relative)
        finally:
            os.close(descriptor)
        descriptor = following
    return descriptor


def _open_child(descriptor: int, parts: list[str], index: int, relative: str) -> int:
    """The folder ``parts[index]`` in the folder open as ``descriptor``, not through a link."""
    part = parts[index]
    try:
        return os.open(part, _FOLDER_FLAGS, dir_fd=descriptor)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR) and _is_link(part, descriptor):
            raise LinkedPathError(linked_message("/".join(parts[: index + 1])),
                                  path=relative) from None
        raise


class EditReader:
    """read_for_edit for many pages in path order: the folders they share are opened once
    (each still with O_NOFOLLOW, from the root down), not again for every page."""

    def __init__(self, root: str | Path) -> None:
        self._root = root
        self._chain: list[tuple[str, int]] = []  # the folders open, from the root down

    def __enter__(self) -> EditReader:
        self._chain = [("", os.open(self._root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)))]
        return self

    def __exit__(self, *exc: object) -> None:
        self._close_from(0)

    def _close_from(self, depth: int) -> None:
        for _part, descriptor in self._chain[depth:]:
            os.close(descriptor)
        del self._chain[depth:]

    def read(self, relative: str) -> tuple[bytes, Seen]:
        """What read_for_edit gives for ``relative``."""
        folders, name = _split(relative)
        kept = 1
        while (kept < len(self._chain) and kept <= len(folders)
               and self._chain[kept][0] == folders[kept - 1]):
            kept += 1
        self._close_from(kept)
        for index in range(kept - 1, len(folders)):
            following = _open_child(self._chain[-1][1], folders, index, relative)
            self._chain.append((folders[index], following))
        data, info = _read_in(self._chain[-1][1], name, relative)
        return data, _seen(data, info)


def _is_link(name: str, folder: int) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(name, dir_fd=folder).st_mode)
    except OSError:
        return False


def _read_in(folder: int, name: str, relative: str) -> tuple[bytes, os.stat_result]:
    try:
        descriptor = os.open(name, _READ_FLAGS, dir_fd=folder)
    except OSError as error:
        if error.errno == errno.ELOOP or _is_link(name, folder):
            raise LinkedPathError(linked_message(relative), path=relative) from None
        raise
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise LinkedPathError("not a regular file", path=relative)
        chunks = []
        while chunk := os.read(descriptor, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks), info
    finally:
        os.close(descriptor)


def _split(relative: str) -> tuple[list[str], str]:
    parts = [part for part in relative.split("/") if part]
    return parts[:-1], parts[-1]


def read_for_edit(root: str | Path, relative: str) -> tuple[bytes, Seen]:
    """A page's bytes and what it was when read, through no symbolic link."""
    folders, name = _split(relative)
    folder = _open_folder(root, folders, relative)
    try:
        data, info = _read_in(folder, name, relative)
    finally:
        os.close(folder)
    return data, _seen(data, info)


def replace_page(root: str | Path, relative: str, data: bytes, seen: Seen | None) -> None:
    """Write ``data`` over the page at ``relative`` below ``root``, atomically.

    Refused (``ChangedPageError``) when the page is no longer what ``seen`` says it was, and
    (``LinkedPathError``) when a part of its path is a symbolic link. The temporary file is
    made beside the page with ``O_EXCL | O_NOFOLLOW`` and removed on any failure; the page's
    permission bits are kept. Other failures (a read-only folder, a full disk) raise OSError.
    """
    folders, name = _split(relative)
    folder = _open_folder(root, folders, relative)
    try:
        try:
            current, info = _read_in(folder, name, relative)
        except FileNotFoundError:
            if seen is not None:
                raise ChangedPageError("deleted since it was read; not written again",
                                       path=relative) from None
            current, info = b"", None
        if seen is not None and info is not None and _seen(current, info) != seen:
            raise ChangedPageError("changed since it was read (saved by someone else?); "
                                   "not overwritten: run the command again", path=relative)
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o644
        temporary = f".{name}.{secrets.token_hex(6)}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                             | getattr(os, "O_NOFOLLOW", 0), 0o600, dir_fd=folder)
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(descriptor, view):]
                os.fsync(descriptor)
                os.fchmod(descriptor, mode)
            finally:
                os.close(descriptor)
            os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=folder)
            raise
        with contextlib.suppress(OSError):  # some file systems cannot sync a folder
            os.fsync(folder)
    finally:
        os.close(folder)
