"""Web links to a repository's files, commits and compare views (GitHub and GitLab shapes),
for the JSON report, the Markdown report and the dashboard."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote as _quote

# https://host/owner/repo(.git), ssh://git@host(:port)/owner/repo(.git), git@host:owner/repo.git
_HTTPS = re.compile(r"^https?://(?:[^@/]+@)?(?P<host>[^/:]+)(?::\d+)?/(?P<path>.+?)(?:\.git)?/?$")
_SSH_URL = re.compile(r"^ssh://(?:[^@/]+@)?(?P<host>[^/:]+)(?::\d+)?/(?P<path>.+?)(?:\.git)?/?$")
_SCP = re.compile(r"^(?:[^@/]+@)?(?P<host>[^/:]+):(?P<path>[^/].*?)(?:\.git)?/?$")
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)+$")


def quote(text: str, safe: str = "/") -> str:
    """Percent-encoded for a URL. A path byte that is not UTF-8 (a lone surrogate here, from
    git's bytes) is encoded as that byte, so the link names the file git has."""
    return _quote(text, safe=safe, errors="surrogateescape")


@dataclass(frozen=True)
class RepositoryLinks:
    """Where a repository's files and commits are on its host's web pages."""

    base: str  # https://github.com/owner/repo
    kind: str  # "github" or "gitlab": the two URL shapes for files, commits and compares
    ref: str  # the branch (or commit) file links point at

    @property
    def _separator(self) -> str:
        return "/-" if self.kind == "gitlab" else ""

    def file(self, path: str, ref: str | None = None) -> str:
        """A file's page at ``ref`` (default: the repository's branch)."""
        return f"{self.base}{self._separator}/blob/{quote(ref or self.ref)}/{quote(path)}"

    def commit(self, sha: str) -> str:
        """A commit's page."""
        return f"{self.base}{self._separator}/commit/{quote(sha)}"

    def compare(self, older: str, newer: str) -> str:
        """What changed from ``older`` to ``newer``."""
        return f"{self.base}{self._separator}/compare/{quote(older)}...{quote(newer)}"

    def new_file(self, path: str) -> str:
        """The host's form for creating ``path`` on the branch."""
        folder, _, name = path.rpartition("/")
        if self.kind == "gitlab":
            return (f"{self.base}/-/new/{quote(self.ref)}/{quote(folder)}"
                    f"?file_name={quote(name, safe='')}")
        return f"{self.base}/new/{quote(self.ref)}/{quote(folder)}?filename={quote(name, safe='')}"


def web_base(url: str) -> tuple[str, str] | None:
    """The web address and kind ("github"/"gitlab") of a remote or web URL, or None when it
    is not a shape l10nsync can link into (a local path, an unknown host with no owner)."""
    url = url.strip()
    for shape in (_HTTPS, _SSH_URL, _SCP):
        match = shape.match(url)
        if match is None:
            continue
        host, path = match["host"].lower(), match["path"].strip("/")
        if not _SAFE_PATH.match(path) or not re.fullmatch(r"[a-z0-9.-]+", host):
            return None
        kind = "gitlab" if "gitlab" in host else "github" if "github" in host else None
        if kind is None:
            return None
        return f"https://{host}/{path}", kind
    return None


def repository_links(url: str | None, ref: str) -> RepositoryLinks | None:
    """Links for a repository at ``url`` (a remote or its web page), or None."""
    found = web_base(url) if url else None
    return None if found is None else RepositoryLinks(found[0], found[1], ref)


class _Verdict(Protocol):
    """What links need of a page's verdict (model.Verdict)."""

    @property
    def path(self) -> str: ...
    @property
    def status(self) -> object: ...
    @property
    def source_path(self) -> str | None: ...
    @property
    def moved_to(self) -> str | None: ...
    @property
    def source_commit(self) -> str | None: ...
    @property
    def sync_commit(self) -> str | None: ...


@dataclass(frozen=True)
class SiteLinks:
    """The web pages of both repositories (one and the same for a one-repository site)."""

    translations: RepositoryLinks | None = None
    english: RepositoryLinks | None = None

    def of(self, verdict: _Verdict, english_head: str = "") -> dict[str, str]:
        """A verdict's links (see ``for_page``); its sync point is its marker, or the commit
        its history gave."""
        status = getattr(verdict.status, "value", verdict.status)
        return self.for_page(verdict.path, str(status), verdict.source_path, verdict.moved_to,
                             verdict.source_commit or verdict.sync_commit, english_head)

    def for_page(self, path: str, status: str, source_path: str | None,
                 moved_to: str | None, source_commit: str | None,
                 english_head: str) -> dict[str, str]:
        """A page's links: the translation (or the form to create it), its English page, and
        what changed in English since its marker (up to ``english_head``, default: the English
        links' ref)."""
        links: dict[str, str] = {}
        if self.translations is not None:
            if status == "untranslated":
                links["create"] = self.translations.new_file(path)
            else:
                links["page"] = self.translations.file(path)
        english = self.english
        if english is not None:
            english_head = english_head or english.ref
            current = moved_to or source_path
            if current and status != "orphaned":
                links["source"] = english.file(current, english_head or None)
            if (source_commit and english_head and _FULL_SHA.match(source_commit)
                    and status in ("outdated", "moved")):
                links["compare"] = english.compare(source_commit, english_head)
        return links


_FULL_SHA = re.compile(r"^[0-9a-f]{40}$")
