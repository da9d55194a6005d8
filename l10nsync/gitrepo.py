"""The only module that talks to git (through GitPython's command interface).

Every call gets an argument list (never a shell string), ``--`` before paths, and ``-z`` output
split on NUL. Revisions from outside are checked to be hex before they come near git.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TypeVar

try:
    import fcntl
except ImportError:  # Windows: pipes stay as they are
    fcntl = None  # type: ignore[assignment]

# Without git on PATH, GitPython's import fails with a screenful of advice on its own
# variables; quiet, it fails at the first command instead, which the CLI says in one line.
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")

from git import Repo
from git.exc import (
    GitCommandError,
    GitCommandNotFound,
    InvalidGitRepositoryError,
    NoSuchPathError,
)

from l10nsync.errors import GitError, L10nSyncError, UsageError
from l10nsync.history import ADDED, Change, History, RawChange, is_hex_revision

_T = TypeVar("_T")
# Reads a batch of blobs: (blob id, contents) in the order asked (see read_blobs).
BlobReader = Callable[[Iterable[str]], Iterator[tuple[str, bytes]]]
# Told (what, done, total) during long reads, for a progress bar; never prints by itself.
Progress = Callable[[str, int, int], None]
_COMMIT_MARK = "\x01"  # starts each commit header in our log format; never in a path
_READ_SIZE = 1 << 20
_PIPE_SIZE = 1 << 20  # Linux's default limit for a pipe an unprivileged process widens
_PATHS_PER_LOG = 500  # pathspecs per git log, well below any command line limit
# From this many commits on, a narrow log is split between two git processes.
_SPLIT_LOG_FROM = 2000

# Options that keep user configuration from changing what log and diff print.
_PLAIN_DIFF = ("--no-ext-diff", "--no-textconv", "--no-color", "--no-relative")


def git_message(error: GitCommandError) -> str:
    """What git itself said on stderr (GitPython wraps it as ``stderr: '...'``), last lines
    first in importance; the exit status when git said nothing."""
    detail = error.stderr or ""
    text = detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail)
    text = text.strip()
    if text.startswith("stderr: '"):
        text = text[len("stderr: '"):].removesuffix("'")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "; ".join(dict.fromkeys(lines[-3:])) or f"exit status {error.status}"


class GitNotFoundError(L10nSyncError):
    """The git program is not installed or not on PATH (not a GitError: code that expects
    git to fail on a bad revision must not take this for one)."""

    exit_code = 3

    def __init__(self) -> None:
        super().__init__("git not found: install git, or put it on PATH")


class GitRepository:
    """A git repository opened for reading; use as a context manager so git processes close."""

    def __init__(self, root: Path) -> None:
        try:
            self._repo = Repo(root)
        except (InvalidGitRepositoryError, NoSuchPathError):
            raise UsageError(f"{root}: not a git repository") from None
        self.root = root

    def __enter__(self) -> GitRepository:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._repo.close()

    @property
    def git_dir(self) -> Path:
        """The repository's git directory (``.git`` or the worktree's own)."""
        return Path(self._repo.git_dir)

    def _run(self, *args: str) -> str:
        try:
            return str(self._repo.git.execute(["git", *args], strip_newline_in_stdout=False))
        except GitCommandNotFound:
            raise GitNotFoundError() from None
        except GitCommandError as error:
            raise self._failed(args[0], error) from None

    def _failed(self, command: str, error: GitCommandError) -> BaseException:
        """The error for a git command that failed. git killed by Ctrl-C (which the terminal
        sends to git and to us alike) is the interruption it is, not a git error: the run
        ends as interrupted even when git saw the signal before Python did."""
        if error.status == -signal.SIGINT:
            return KeyboardInterrupt()
        return GitError(f"git {command} failed in {self.root}: {git_message(error)}")

    def _stream(self, *args: str, as_they_come: bool = False,
                stdin: Sequence[str] | None = None) -> Iterator[bytes]:
        """Yield the NUL-separated records a git command prints, without holding all of them.

        ``as_they_come``: hand records over as soon as git prints them, for a reader that may
        stop early, instead of reading a megabyte at a time. ``stdin``: lines to give the
        command (a thread feeds them while this one reads).
        """
        try:
            process = self._repo.git.execute(
                ["git", *args], as_process=True,
                istream=subprocess.PIPE if stdin is not None else None)
        except GitCommandNotFound:
            raise GitNotFoundError() from None
        assert process.proc is not None and process.proc.stdout is not None
        if stdin is not None:
            _feed(process.proc.stdin, stdin)
        stdout = process.proc.stdout
        _widen_pipe(stdout)
        read = getattr(stdout, "read1", stdout.read) if as_they_come else stdout.read
        pending = b""
        while chunk := read(_READ_SIZE):
            records = (pending + chunk).split(b"\0")
            pending = records.pop()
            yield from records
        if pending:
            yield pending
        try:
            process.wait()
        except GitCommandError as error:
            raise self._failed(args[0], error) from None

    def head(self) -> str | None:
        """The full SHA of HEAD, or None in a repository with no commits yet.

        A HEAD that names a commit git cannot read (a damaged repository) is an error, not
        an empty history.
        """
        try:
            return self._run("rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip() or None
        except GitError:
            pass
        try:  # the name alone, without reading the commit: none means no commits yet
            named = self._run("rev-parse", "--verify", "--quiet", "HEAD").strip()
        except GitError:
            return None
        try:
            self._run("cat-file", "commit", named)
        except GitError as error:
            raise GitError(f"HEAD names commit {named} in {self.root}, which git cannot read "
                           f"({str(error).split(': ', 1)[-1]})") from None
        raise GitError(f"HEAD of {self.root} is not a commit ({named})")

    def is_shallow(self) -> bool:
        """True for a shallow clone, whose history stops at a boundary."""
        return self._run("rev-parse", "--is-shallow-repository").strip() == "true"

    def has_changed_path_filters(self) -> bool:
        """True when the repository's commit-graph holds changed-path Bloom filters
        (``git commit-graph write --changed-paths``): then a log limited to one path skips
        almost every commit without reading its trees."""
        info = Path(self._repo.common_dir) / "objects" / "info"
        graphs = [info / "commit-graph", *sorted((info / "commit-graphs").glob("*.graph"))]
        for graph in graphs:
            try:
                with graph.open("rb") as handle:
                    header = handle.read(8 + 12 * 32)  # the header and the chunk table
            except OSError:
                continue
            if header.startswith(b"CGPH") and b"BIDX" in header[8:8 + 12 * header[6]]:
                return True
        return False

    def has_folder_at_head(self, folder: str) -> bool:
        """True when ``folder`` is a folder of HEAD's tree ("" is the root: any commit)."""
        if not folder:
            return self.head() is not None
        try:
            listing = self._run("ls-tree", "-d", "-z", "--full-tree", "HEAD", "--", folder)
        except GitError:
            return False  # no commits yet
        return any(entry.partition("\t")[2] == folder for entry in listing.split("\0"))

    def remote_url(self) -> str | None:
        """The ``origin`` remote's URL, or None when there is none."""
        try:
            return self._run("config", "--get", "remote.origin.url").strip() or None
        except GitError:
            return None

    def branch(self) -> str | None:
        """The checked-out branch's name, or None on a detached HEAD."""
        try:
            return self._run("symbolic-ref", "--short", "-q", "HEAD").strip() or None
        except GitError:
            return None

    def existing_commits(self, revisions: Iterable[str]) -> set[str]:
        """The hex revisions naming a commit anywhere in the repository (one cat-file process)."""
        return set(self.resolve_commits(revisions))

    def files_at_head(self, folder: str) -> dict[str, str]:
        """Every file below ``folder`` at HEAD with its blob SHA."""
        files: dict[str, str] = {}
        for record in self._stream("ls-tree", "-r", "-z", "--full-tree", "HEAD", "--", folder):
            if not record:
                continue
            meta, _, path = record.partition(b"\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == b"blob":
                files[_decode(path)] = parts[2].decode()
        return files

    def read_blobs(self, blobs: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """The contents of many blobs through one ``cat-file --batch`` process, as they come.

        Blobs come back in the order asked. A thread feeds the ids while this one reads, so
        neither side waits on a full pipe.
        """
        with self.blob_reader() as read:
            yield from read(blobs)

    @contextlib.contextmanager
    def blob_reader(self) -> Iterator[BlobReader]:
        """``read_blobs`` for several batches in turn, all through one ``cat-file`` process:
        blobs stored as deltas of blobs of an earlier batch are then unpacked once."""
        process: Any = None

        def read(blobs: Iterable[str]) -> Iterator[tuple[str, bytes]]:
            nonlocal process
            wanted = [blob for blob in blobs if is_hex_revision(blob)]
            if not wanted:
                return
            if process is None:
                process = self._cat_file()
            stdin, stdout = process.proc.stdin, process.proc.stdout

            def feed() -> None:
                # git may stop early (a corrupt object): the error is raised by the reader.
                with contextlib.suppress(OSError, ValueError):
                    stdin.write("".join(f"{blob}\n" for blob in wanted).encode())
                    stdin.flush()

            writer = threading.Thread(target=feed, daemon=True)
            writer.start()
            done = False
            try:
                for blob in wanted:
                    header = stdout.readline().split()
                    if len(header) != 3:
                        # "<id> missing", or nothing when git stopped on a corrupt object: the
                        # English text is not there, which must not read as an empty page.
                        raise self._unreadable(blob, process)
                    size = int(header[2])
                    data = stdout.read(size)
                    stdout.read(1)  # the newline after each object
                    if header[1] == b"blob":
                        yield header[0].decode(), data
                done = True
            finally:
                if not done:  # a reader that stopped early leaves answers in the pipe
                    _stop(process)
                    process = None
                writer.join()

        try:
            yield read
        finally:
            if process is not None:
                with contextlib.suppress(OSError, ValueError):
                    process.proc.stdin.close()
                try:
                    process.wait()
                except GitCommandError as error:
                    raise self._failed("cat-file", error) from None

    def _cat_file(self) -> Any:
        # Versions of one file are deltas of each other: a delta cache larger than git's
        # default 96 MB makes reading many of them several times faster.
        try:
            process = self._repo.git.execute(
                ["git", "-c", "core.deltaBaseCacheLimit=512m", "cat-file", "--batch"],
                as_process=True, istream=subprocess.PIPE)
        except GitCommandNotFound:
            raise GitNotFoundError() from None
        assert process.proc is not None
        assert process.proc.stdin is not None and process.proc.stdout is not None
        _widen_pipe(process.proc.stdout)
        return process

    def _unreadable(self, blob: str, process: object) -> BaseException:
        """The error for an object cat-file could not give, with what git said about it (a
        cat-file that Ctrl-C killed is the interruption, not a damaged repository)."""
        said = ""
        proc = getattr(process, "proc", None)
        if proc is not None:
            proc.kill()
            with contextlib.suppress(OSError, ValueError):
                said = (proc.stderr.read() if proc.stderr else b"").decode(errors="replace")
            with contextlib.suppress(OSError):
                proc.wait()
            if proc.returncode == -signal.SIGINT:
                return KeyboardInterrupt()
        lines = [line.strip() for line in said.splitlines() if line.strip()]
        detail = lines[-1] if lines else "missing"
        return GitError(f"cannot read git object {blob} in {self.root}: {detail} "
                        "(the repository is damaged: 'git fsck' tells more)")

    def resolve_ref(self, ref: str, what: str) -> str:
        """A ref or revision from the command line as a full commit SHA, or a usage error."""
        if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r"):
            raise UsageError(f"{what} {ref!r}: not a git revision")
        try:
            sha = self._run("rev-parse", "--verify", "--quiet", "--end-of-options",
                            f"{ref}^{{commit}}").strip()
        except GitError:
            sha = ""
        if not is_hex_revision(sha):
            raise UsageError(f"{what} {ref!r}: not a commit in {self.root}")
        return sha

    def merge_base(self, first: str, second: str) -> str:
        """The merge base of two full SHAs (a pull request's starting point)."""
        try:
            base = self._run("merge-base", first, second).strip()
        except GitError:
            raise UsageError(f"{first[:12]} and {second[:12]} share no history") from None
        return base

    def changed_files(self, base: str, head: str, folder: str) -> list[RawChange]:
        """Files changed from ``base`` to ``head`` below ``folder`` (renames detected)."""
        records = self._stream("diff", "--raw", "-M", "--no-abbrev", "-z", *_PLAIN_DIFF,
                               base, head, "--", folder or ".")
        changes = []
        for record in records:
            if record.startswith(b":"):
                changes.append(_read_raw_change(record, records))
        return changes

    def commit_times(self) -> dict[str, int]:
        """The committer time of every commit of HEAD (one ``rev-list``)."""
        if self.head() is None:
            return {}
        times = {}
        for line in self._run("rev-list", "--timestamp", "HEAD").splitlines():
            when, _space, sha = line.partition(" ")
            if when.isdigit():
                times[sha] = int(when)
        return times

    def first_commits(self, paths: Iterable[str]) -> dict[str, tuple[str, int]]:
        """Path -> (the first commit of HEAD that touched it, its committer time), for the
        paths that have one: path-limited logs for a few paths, one pass over the whole
        history for many (each path-limited log walks all of it)."""
        wanted = set(paths)
        firsts: dict[str, tuple[str, int]] = {}
        limited = wanted if len(wanted) <= _PATHS_PER_LOG else None
        for sha, when, touched in self.commits_touching(wanted, oldest_first=True,
                                                        every_path=limited is None):
            for path in touched:
                if path in wanted:
                    firsts.setdefault(path, (sha, when))
        return firsts

    def commits_touching(
        self, paths: Iterable[str], *, oldest_first: bool = False, every_path: bool = False
    ) -> Iterator[tuple[str, int, list[str]]]:
        """(commit, committer time, which of ``paths`` it touched) for HEAD's commits that
        touched any of them, newest first (or oldest first): a few ``git log`` runs for any
        number of paths. With ``every_path``, one log of the whole history that names every
        path each commit touched (the caller picks), for more paths than a few logs take."""
        wanted = sorted(set(paths))
        if not wanted or self.head() is None:
            return
        order = ["--reverse"] if oldest_first else []
        chunks = ([[]] if every_path else
                  [wanted[start:start + _PATHS_PER_LOG]
                   for start in range(0, len(wanted), _PATHS_PER_LOG)])
        for chunk in chunks:
            records = self._stream("log", *order, "--no-renames", "-z", "--name-only",
                                   "--no-show-signature", f"--format={_COMMIT_MARK}%H %ct",
                                   "HEAD", "--", *chunk)
            sha, when = "", 0
            touched: list[str] = []
            for record in records:
                record = record.lstrip(b"\n")
                if record.startswith(_COMMIT_MARK.encode()):
                    if sha:
                        yield sha, when, touched
                    header = record[1:].decode().split()
                    sha, when, touched = header[0], int(header[1]), []
                elif record:
                    touched.append(_decode(record))
            if sha:
                yield sha, when, touched

    def last_change_before(self, revision: str, path: str, before: int | None = None) -> str | None:
        """The last commit of ``revision`` (a full SHA or HEAD) that changed ``path``; with
        ``before`` (epoch seconds), the last one committed before then."""
        if not (is_hex_revision(revision) or revision == "HEAD") or self.head() is None:
            return None
        dated = [f"--before=@{before}"] if before is not None else []
        out = self._run("log", "-1", "--no-show-signature", "--format=%H", *dated,
                        "--end-of-options", revision, "--", path).strip()
        return out if is_hex_revision(out) else None

    def is_tracked(self, path: str) -> bool:
        """True when the index holds ``path`` (a file git mv can move)."""
        return bool(self._run("ls-files", "-z", "--", path).strip("\0"))

    def move_file(self, old: str, new: str) -> None:
        """``git mv`` one tracked file (its folder must exist)."""
        self._run("mv", "--", old, new)

    def stage(self, paths: Iterable[str]) -> None:
        """``git add`` the given files."""
        wanted = list(paths)
        if wanted:
            self._run("add", "--", *wanted)
    def commit_before(self, date: str) -> str | None:
        """The newest commit of HEAD made (committed) at or before ``date`` (ISO 8601, checked
        by the caller), or None when HEAD has none that old."""
        if self.head() is None:
            return None
        found = self._run("rev-list", "-1", f"--before={date}", "HEAD", "--").strip()
        return found if is_hex_revision(found) else None

    def commits_since(
        self, since: str | None, folders: Sequence[str]
    ) -> list[tuple[str, str, str, list[str]]]:
        """(sha, author name, subject, paths changed) of HEAD's commits after ``since`` (a full
        SHA; None: all) that change files below ``folders``, newest first; merges left out."""
        if self.head() is None or not folders:
            return []
        revisions = [f"{since}..HEAD"] if since else ["HEAD"]
        found: list[tuple[str, str, str, list[str]]] = []
        for record in self._stream("log", "-z", "--no-merges", "--no-renames", "--name-only",
                                   "--format=%x1e%H%x1f%an%x1f%s", *revisions, "--", *folders):
            text = _decode(record)
            if "\x1e" in text:
                text = text.split("\x1e", 1)[1]
                header, _, first = text.partition("\n")
                fields = header.split("\x1f")
                if len(fields) == 3:
                    found.append((fields[0], fields[1], fields[2], []))
                text = first
            text = text.strip("\n")
            if text and found:
                found[-1][3].append(text)
        return found

    def commit_summaries(self, shas: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Author date (ISO 8601, as ``git log`` shows) and subject of each full SHA, in one
        ``git log``."""
        wanted = sorted({sha for sha in shas if is_hex_revision(sha)})
        if not wanted:
            return {}
        summaries = {}
        records = self._stream("log", "--no-walk=unsorted", "-z", "--no-show-signature",
                               "--format=%H%x1f%aI%x1f%s", *wanted, "--")
        for record in records:
            fields = _decode(record).strip("\n").split("\x1f")
            if len(fields) == 3:
                summaries[fields[0]] = (fields[1], fields[2])
        return summaries

    def messages_mentioning(
        self, words: Iterable[str], folder: str
    ) -> list[tuple[str, str, str]]:
        """(sha, subject, body) of HEAD's commits below ``folder`` whose message holds one of
        ``words`` (fixed strings, any case): git filters, so only those few are parsed."""
        greps = [f"--grep={word}" for word in words if word]
        if not greps or self.head() is None:
            return []
        found = []
        for record in self._stream("log", "-z", "-i", "-F", *greps, "--format=%H%x1f%s%x1f%b",
                                   "HEAD", "--", folder):
            sha, _, rest = record.decode("utf-8", errors="replace").partition("\x1f")
            subject, _, body = rest.partition("\x1f")
            if sha:
                found.append((sha.strip(), subject, body))
        return found

    def read_file_at_head(self, path: str) -> bytes | None:
        """A file's content at HEAD, or None when it is not there."""
        head = self.head()
        if head is None:
            return None
        blob = self._files_at(head, [path]).get(path)
        return self.read_blob(blob) if blob else None

    def read_blob(self, blob: str) -> bytes:
        """The content of one blob (by full SHA)."""
        if not is_hex_revision(blob):
            raise GitError(f"not a blob id: {blob!r}")
        _sha, _kind, _size, stream = self._repo.odb.stream(bytes.fromhex(blob))
        return bytes(stream.read())

    def read_history(
        self, folder: str, known: History | None = None, progress: Progress | None = None
    ) -> History:
        """One pass over the history of HEAD: all commits, and every change below ``folder``.

        With ``known`` (a cached History of an ancestor of HEAD), only the commits since are
        read and appended; a HEAD that moved sideways or backwards, or a shallow clone, is
        read in full.
        """
        head = self.head()
        if head is None:
            return History(commits=[], parents=[])
        shallow = self.is_shallow()
        if known is not None and (known.shallow or shallow):
            known = None  # a shallow history can grow at its bottom end: read it anew
        if known is not None and known.commits and known.head == head:
            return known
        since: tuple[str, ...] = ()
        if known is not None and known.commits and self.is_ancestor(known.head, head):
            since = ("^" + known.head,)
            history = known
            # The files at the cached HEAD, brought forward by one diff: a few hundred
            # changes to apply instead of every file below the folder listed again.
            # (taken now: the history is extended while they are listed)
            old_files, old_head = known.head_blobs, known.head

            def list_files() -> dict[str, str]:
                return self._files_moved_on(old_files, old_head, head, folder)
        else:
            history = History(commits=[], parents=[])

            def list_files() -> dict[str, str]:
                return self.files_at_head(folder)
        # git log is the long pass: started first, it goes on (a megabyte ahead into its pipe)
        # while rev-list numbers the commits, and the files at HEAD are listed beside it.
        changes = self._log_changes(head, folder, since)
        first = next(changes, None)
        with ThreadPoolExecutor(max_workers=1) as pool:
            head_blobs = pool.submit(list_files)
            lines = self._run("rev-list", "--topo-order", "--reverse", "--parents", head,
                              *since).splitlines()
            if first is not None:
                changes = itertools.chain([first], changes)
            if progress is not None:
                changes = _counted(changes, "Reading English history", len(lines), progress)
            history.extend(lines, changes)
            history.head_blobs = head_blobs.result()
        history.shallow = shallow
        return history

    def _files_moved_on(self, files: dict[str, str], old: str, new: str, folder: str
                        ) -> dict[str, str]:
        """What ``files_at_head`` would list at ``new``, from its listing at ``old`` (a full
        SHA) and the diff between the two trees (renames as a delete and an add)."""
        moved = dict(files)
        records = self._stream("diff", "--raw", "--no-renames", "--no-abbrev", "-z",
                               *_PLAIN_DIFF, old, new, "--", folder)
        for record in records:
            if not record.startswith(b":"):
                continue
            meta, path = record[1:].split(), _decode(next(records))
            # A submodule (a gitlink) is no file, as ls-tree's "commit" entries are not.
            if meta[4] == b"D" or meta[1] == b"160000":
                moved.pop(path, None)
            else:
                moved[path] = meta[3].decode()
        return moved

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        """True when one full SHA is an ancestor of (or equal to) another."""
        if not (is_hex_revision(ancestor) and is_hex_revision(descendant)):
            return False
        try:
            self._run("merge-base", "--is-ancestor", ancestor, descendant)
        except GitError:
            return False
        return True

    def _log_changes(
        self, head: str, folder: str, since: tuple[str, ...] = ()
    ) -> Iterator[tuple[str, list[RawChange]]]:
        """Stream ``git log --raw -M`` below ``folder``: (commit, its changes) per commit."""
        return self._parse_log(head, *since, "--", folder)

    def _parse_log(self, *revisions_and_paths: str, as_they_come: bool = False,
                   stdin: Sequence[str] | None = None) -> Iterator[tuple[str, list[RawChange]]]:
        # --full-history: every commit that changed a path on any branch, even one whose
        # change a merge later dropped, which is what "commits that changed the page" means.
        records = self._stream(
            "log", "--full-history", "--raw", "-M", "--no-abbrev", "-z", "--no-show-signature",
            *_PLAIN_DIFF, f"--format={_COMMIT_MARK}%H", *revisions_and_paths,
            as_they_come=as_they_come, stdin=stdin,
        )
        sha: str | None = None
        changes: list[RawChange] = []
        for record in records:
            record = record.lstrip(b"\n")
            if record.startswith(b"\x01"):
                if sha is not None:
                    yield sha, changes
                sha, changes = record[1:].decode(), []
            elif record.startswith(b":"):
                changes.append(_read_raw_change(record, records))
        if sha is not None:
            yield sha, changes

    def changes_of_files(self, paths: Iterable[str], revision: str | None = None
                         ) -> Iterator[tuple[str, list[RawChange]]]:
        """Every commit of HEAD (or ``revision``, a full SHA) that changed one of a few files,
        newest first, with its raw changes (both blobs of each): one ``git log`` for all."""
        wanted = sorted(set(paths))
        head = self.head()
        if not wanted or head is None or (revision is not None
                                          and not is_hex_revision(revision)):
            return iter(())
        return self._parse_log(revision or head, "--", *wanted, as_they_come=True)

    def resolve_commits(self, markers: Iterable[str]) -> dict[str, str]:
        """Full SHAs of the hex markers that name exactly one commit (one cat-file process)."""
        resolved = {}
        for marker in markers:
            if not is_hex_revision(marker):
                continue
            try:
                sha, kind, _size = self._repo.git.get_object_header(marker)
            except (ValueError, GitCommandError):
                continue
            if kind in (b"commit", "commit"):
                resolved[marker] = sha.decode() if isinstance(sha, bytes) else str(sha)
        return resolved

    def blobs_at(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """The blob of each (full commit SHA, path) that exists (one cat-file process)."""
        found = {}
        for sha, path in wanted:
            if not is_hex_revision(sha):
                continue
            if "\n" in path:  # cat-file reads one name a line: ask ls-tree, NUL-separated
                blob = self._blob_by_listing(sha, path)
                if blob is not None:
                    found[(sha, path)] = blob
                continue
            try:
                blob, kind, _size = self._repo.git.get_object_header(f"{sha}:{path}")
            except (ValueError, GitCommandError):
                continue
            if kind in (b"blob", "blob"):
                found[(sha, path)] = blob.decode() if isinstance(blob, bytes) else str(blob)
        return found

    def _blob_by_listing(self, sha: str, path: str) -> str | None:
        try:
            listing = self._repo.git.ls_tree("-z", "--full-tree", sha, "--", path)
        except GitCommandError:
            return None
        for record in listing.split("\0"):
            meta, _tab, name = record.partition("\t")
            fields = meta.split()
            if name == path and len(fields) == 3 and fields[1] == "blob":
                return str(fields[2])
        return None

    def read_narrow_history(
        self,
        folder: str,
        paths: Iterable[str],
        markers: Iterable[str],
        head_blobs: dict[str, str] | None = None,
    ) -> History:
        """The history of a few English pages only, for a run on a few named translations.

        Reads the commits since the merge base of HEAD and the pages' marker commits, on the
        pages' paths and every path they were renamed from or to, and stands the merge base's
        tree in for all older history: every commit before it is an ancestor of every marker,
        so the rules never count it.
        """
        head = self.head()
        if head is None:
            return History(commits=[], parents=[])
        resolved = self.resolve_commits(markers)
        found = self._range_from_oldest(head, set(resolved.values()))
        if found is not None:
            base, lines = found
        else:
            base = head
            if resolved:
                try:
                    base = self._run("merge-base", "--octopus", head,
                                     *sorted(set(resolved.values()))).strip()
                except GitError:
                    base = ""
            if not is_hex_revision(base):  # unrelated histories or a shallow boundary
                return self.read_history(folder)
            lines = self._run("rev-list", "--topo-order", "--reverse", "--parents", head,
                              "^" + base).splitlines()
        history = History(commits=[base], parents=[()])
        since_base = [line.split(" ", 1)[0] for line in lines]
        per_commit, tracked = self._rename_closure(head, base, folder, set(paths), since_base)
        history.extend(lines, per_commit.items())
        # The merge base's tree, as if each of its files had been added there.
        for path, blob in self._files_at(base, sorted(tracked)).items():
            history.changes[path] = [Change(0, ADDED, blob), *history.changes_of(path)]
        history.head_blobs = head_blobs if head_blobs is not None else self.files_at_head(folder)
        history.shallow = self.is_shallow()
        history.aliases = dict(resolved)
        history.narrow = True
        return history

    def _range_from_oldest(self, head: str, markers: set[str]
                           ) -> tuple[str, list[str]] | None:
        """The merge base of HEAD and ``markers`` (full SHAs) and ``rev-list --topo-order
        --reverse --parents`` of the commits since, when the oldest marker (by commit time)
        is an ancestor of HEAD and of every other marker: then it is that merge base, found
        by the one walk that lists the commits since it, not by a walk of its own. None when
        it is not (a marker off HEAD's history, markers on diverging branches, clock skew):
        the caller asks ``merge-base --octopus``."""
        if not markers:
            return None
        times = {}
        for line in self._run("log", "--no-walk=unsorted", "--no-show-signature",
                              "--format=%H %ct", *sorted(markers), "--").splitlines():
            sha, _space, when = line.partition(" ")
            if when.isdigit():
                times[sha] = int(when)
        if set(times) != markers:
            return None
        oldest = min(sorted(markers), key=times.__getitem__)
        # --boundary also prints, marked "-", the commits left out that a listed one has as
        # a parent: the oldest marker among them says it is an ancestor of HEAD.
        lines, boundary = [], set()
        for line in self._run("rev-list", "--topo-order", "--reverse", "--parents",
                              "--boundary", head, "^" + oldest).splitlines():
            if line.startswith("-"):
                boundary.add(line[1:].split(" ", 1)[0])
            elif line:
                lines.append(line)
        if oldest != head and oldest not in boundary:
            return None
        descendants = {oldest}  # of the oldest marker, among the commits since it
        for line in lines:  # oldest first: parents before children
            sha, *parents = line.split()
            if any(parent in descendants for parent in parents):
                descendants.add(sha)
        return (oldest, lines) if markers <= descendants else None

    def _rename_closure(
        self, head: str, base: str, folder: str, paths: set[str], commits: Sequence[str]
    ) -> tuple[dict[str, list[RawChange]], set[str]]:
        """Changes since ``base`` (the ``commits`` since, oldest first) to ``paths`` and to
        every path a rename links them to."""
        since_base = set(commits)
        by_path_log: dict[str, list[RawChange]] = {}  # commit -> changes seen on asked paths
        whole_folder: dict[str, list[RawChange]] = {}  # commit -> all its changes, for adds/deletes
        tracked: set[str] = set()
        pending = set(paths)
        # git (2.39) consults Bloom filters only for a log limited to a single path: with
        # them, a log per path is a hundred times faster than one log over all of them.
        one_by_one = len(pending) <= 20 and self.has_changed_path_filters()
        while pending:
            tracked |= pending
            births_and_deaths = set()
            if one_by_one:
                # Two at a time, and without "^base", which would make git paint the whole
                # range first: commits older than the base are dropped when indexed.
                with ThreadPoolExecutor(max_workers=2) as pool:
                    logs = [item for found in pool.map(
                        lambda path: list(self._parse_log(head, "--", path)), sorted(pending))
                        for item in found]
            else:
                logs = self._log_in_parts(head, base, commits, sorted(pending))
            for sha, changes in logs:
                if sha not in since_base:
                    continue  # older than the base: a per-path log walks all history
                by_path_log.setdefault(sha, []).extend(changes)
                if sha not in whole_folder and any(c.status in ("A", "D") for c in changes):
                    births_and_deaths.add(sha)
            pending = set()
            if births_and_deaths:
                # The same commits over the whole folder: an add or a delete above may be one
                # side of a rename whose other side is on a path not asked about yet.
                for sha, changes in self._parse_log("--no-walk=unsorted",
                                                    *sorted(births_and_deaths), "--", folder):
                    whole_folder[sha] = changes
                for sha in births_and_deaths:
                    for change in whole_folder.get(sha, []):
                        if change.status == "R" and (
                            change.path in tracked or change.old_path in tracked
                        ):
                            pending |= {change.path, str(change.old_path)} - tracked
        result = {}
        for sha, changes in by_path_log.items():
            source = whole_folder.get(sha, changes)
            result[sha] = [c for c in source if c.path in tracked or c.old_path in tracked]
        return result, tracked

    def _log_in_parts(self, head: str, base: str, commits: Sequence[str], paths: list[str]
                      ) -> list[tuple[str, list[RawChange]]]:
        """What ``git log HEAD ^base -- paths`` prints, from two git processes when the range
        is long: each is given half of its ``commits`` (oldest first) on stdin, not walked, so
        git's tree diffs, nearly all the cost, run on two cores. A commit that changes none
        of the paths prints nothing either way."""
        if len(commits) < _SPLIT_LOG_FROM:
            return list(self._parse_log(head, "^" + base, "--", *paths))
        half = len(commits) // 2

        def part(shas: Sequence[str]) -> list[tuple[str, list[RawChange]]]:
            return list(self._parse_log("--no-walk=unsorted", "--stdin", "--", *paths,
                                        stdin=shas))

        with ThreadPoolExecutor(max_workers=2) as pool:
            return [item for found in pool.map(part, (commits[:half], commits[half:]))
                    for item in found]

    def _files_at(self, revision: str, paths: list[str]) -> dict[str, str]:
        """The blobs of the given paths at a commit (absent paths are left out)."""
        if not paths:
            return {}
        files: dict[str, str] = {}
        for record in self._stream("ls-tree", "-z", "--full-tree", revision, "--", *paths):
            meta, _, path = record.partition(b"\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == b"blob":
                files[_decode(path)] = parts[2].decode()
        return files


def _widen_pipe(stdout: IO[bytes]) -> None:
    """Let git write up to a megabyte ahead of this process instead of Linux's 64 KB, so that
    it goes on with its work while Python handles what it printed (a full pipe stops git).
    Where the system has no such setting, or refuses it, the pipe stays as it is."""
    setting = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setting is not None:
        with contextlib.suppress(OSError, ValueError):
            fcntl.fcntl(stdout.fileno(), setting, _PIPE_SIZE)


def _feed(stdin: IO[bytes] | None, lines: Sequence[str]) -> None:
    """Write ``lines`` to a process's stdin on a thread of their own, then close it (git may
    stop reading early: the error is the reader's to raise)."""
    assert stdin is not None

    def feed() -> None:
        with contextlib.suppress(OSError, ValueError):
            try:
                stdin.write("".join(f"{line}\n" for line in lines).encode())
            finally:
                stdin.close()

    threading.Thread(target=feed, daemon=True).start()


def _stop(process: Any) -> None:
    """End a git process whose output is no longer read."""
    with contextlib.suppress(OSError):
        process.proc.kill()
    with contextlib.suppress(OSError):
        process.proc.wait()


def _counted(items: Iterable[_T], what: str, total: int, progress: Progress) -> Iterator[_T]:
    """Pass items through, telling ``progress`` how far along they are now and then."""
    done = 0
    for done, item in enumerate(items, start=1):
        if done % 500 == 0:
            progress(what, done, total)
        yield item
    progress(what, total, total)


def _read_raw_change(meta: bytes, records: Iterator[bytes]) -> RawChange:
    """Parse one ``--raw -z`` entry: ':old_mode new_mode old_blob new_blob STATUS' then paths."""
    fields = meta[1:].split()
    old_blob, new_blob, status = fields[2].decode(), fields[3].decode(), fields[4].decode()
    letter = status[0]
    if letter in ("R", "C"):
        old_path, new_path = _decode(next(records)), _decode(next(records))
        score = int(status[1:] or 100)
        if letter == "C":  # copies are only reported with -C, which we do not ask for
            return RawChange("A", new_path, None, "", new_blob)
        return RawChange("R", new_path, old_path, old_blob, new_blob, score)
    return RawChange(letter, _decode(next(records)), None, old_blob, new_blob)


def _decode(raw: bytes) -> str:
    """Paths are bytes to git; non-UTF-8 names survive as surrogates instead of failing."""
    return raw.decode("utf-8", errors="surrogateescape")


def create_repository(
    root: Path, fast_import_stream: bytes, branch: str = "main"
) -> dict[str, str]:
    """Make a repository from a ``git fast-import`` stream, check out ``branch``, return its marks.

    Used by the scenario builder: fixed identities and dates make the SHAs reproducible.
    """
    root.mkdir(parents=True, exist_ok=True)
    marks_file = root / ".git" / "l10nsync-marks"
    with Repo.init(root, initial_branch=branch) as repo:
        process = repo.git.execute(
            ["git", "fast-import", "--quiet", "--done", f"--export-marks={marks_file}"],
            as_process=True,
            istream=subprocess.PIPE,
        )
        assert process.proc is not None
        _stdout, stderr = process.proc.communicate(fast_import_stream)
        if process.proc.returncode != 0:
            message = stderr.decode(errors="replace").strip().splitlines()
            raise GitError(f"git fast-import failed in {root}: {message[-1] if message else ''}")
        repo.git.execute(["git", "checkout", "--quiet", "--force", branch])
    marks = {}
    for line in marks_file.read_text().splitlines():
        mark, sha = line.split()
        marks[mark.lstrip(":")] = sha
    marks_file.unlink()
    return marks
