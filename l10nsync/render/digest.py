"""The digest as Markdown, for an issue or a chat post.

Everything taken from a repository (page paths, titles, author names, commit subjects) goes
through ``escape_markdown``, as in the pull-request comment: none of it can open a link, a
mention or a table cell.
"""

from __future__ import annotations

from collections import Counter

from l10nsync.commands.digest import Digest, UpdatedPage
from l10nsync.model import Verdict
from l10nsync.render.markdown import code, escape_markdown

# A digest lists at most this many pages per section and locale; the rest are counted.
DIGEST_LIMIT = 50


def _page(digest: Digest, page: Verdict) -> str:
    title = f"{escape_markdown(page.title)} " if page.title else ""
    links = digest.report.links.of(page, digest.report.source_head)
    shown = f"{title}{code(page.path)}"
    if "page" in links:
        shown = f"[{title}{code(page.path)}]({links['page']})"
    return shown


def _outdated_line(digest: Digest, page: Verdict) -> str:
    behind = page.commits_behind or 0
    change = f", {page.change_ratio:.0%} of the text" if page.change_ratio else ""
    links = digest.report.links.of(page, digest.report.source_head)
    compare = f" ([what changed]({links['compare']}))" if "compare" in links else ""
    commits = f"{behind} English commit{'s' if behind != 1 else ''}"
    return f"- {_page(digest, page)}: {commits}{change}{compare}"


def _updated_line(digest: Digest, updated: UpdatedPage) -> str:
    authors = ", ".join(escape_markdown(author) for author in updated.authors)
    subjects = "; ".join(escape_markdown(subject) for subject in updated.subjects[:3])
    return f"- {_page(digest, updated.page)} by {authors} ({subjects})"


def _section(title: str, lines: list[str], empty: str) -> list[str]:
    shown = lines[:DIGEST_LIMIT]
    more = [f"- ... and {len(lines) - DIGEST_LIMIT} more"] if len(lines) > DIGEST_LIMIT else []
    return [f"### {title} ({len(lines)})", "", *(shown or [empty]), *more, ""]


def render_digest(digest: Digest) -> str:
    """The digest as Markdown: a heading and three lists per locale, then thanks."""
    since = digest.since
    lines = [f"## Translation digest since {escape_markdown(since.given)}", ""]
    english = since.english_commit[:12] if since.english_commit else "the first commit"
    lines += [f"From {escape_markdown(since.date)} (English at {english}) to English "
              f"{digest.report.source_head[:12]}.", ""]
    for locale in digest.locales:
        label = digest.report.label_of(locale)
        name = locale if label == locale else f"{label} ({locale})"
        lines += [f"## {escape_markdown(name)}", ""]
        outdated = [_outdated_line(digest, page) for page in digest.newly_outdated
                    if page.locale == locale]
        lines += _section("Newly outdated", outdated, "- none")
        added = []
        for path in digest.english_added:
            translated = next((page for page in digest.report.pages if page.locale == locale
                               and path in (page.source_path, page.moved_to)), None)
            state = "translated" if translated is not None else "not translated yet"
            added.append(f"- {code(path)}: {state}")
        lines += _section("English pages added", added, "- none")
        updated = [_updated_line(digest, page) for page in digest.updated
                   if page.page.locale == locale]
        lines += _section("Brought up to date", updated, "- none")
        thanks = Counter(author for page in digest.updated if page.page.locale == locale
                         for author in page.authors)
        if thanks:
            names = ", ".join(f"{escape_markdown(author)} ({count} page{'s' if count != 1 else ''})"
                              for author, count in sorted(thanks.items(),
                                                          key=lambda item: (-item[1], item[0])))
            lines += [f"Thanks to {names}.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
