"""Declarative scenarios built into real git repositories: the test fixtures and ``l10nsync demo``.

A scenario is a TOML file. ``[[english]]`` entries are English commits in order (writes, renames,
deletions, side branches and merges); ``[[translations]]`` are translated pages with their
markers and, for tests, the status l10nsync must give them. Identities and dates are fixed, so
the same scenario always gives the same SHAs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10nsync.errors import ConfigError
from l10nsync.gitrepo import create_repository

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

AUTHOR = "Ada Localizer <ada@l10nsync.invalid>"
START_TIME = 1_704_067_200  # 2024-01-01T00:00:00Z
STEP_SECONDS = 3_600
SOURCE_LOCALE_FOLDER = "files/en-us"
_PLACEHOLDER = re.compile(r"\{(sha|short):([A-Za-z0-9_-]+)\}")


@dataclass(frozen=True)
class Expectation:
    """What l10nsync must say about one translated page."""

    path: str
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class BuiltScenario:
    """Where a scenario was built and the SHAs its commit ids became."""

    source_root: Path
    translated_root: Path
    shas: Mapping[str, str]
    expectations: tuple[Expectation, ...] = field(default=())


def load_scenario(path: Path) -> dict[str, Any]:
    """Read a scenario TOML file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read scenario: {error}", path=str(path)) from None


def english_page(folder: str, body: str) -> str:
    """An English page file: MDN front matter made from the folder, then the body."""
    if body.startswith("---"):
        return body
    slug = "/".join(part.capitalize() if part.islower() else part for part in folder.split("/"))
    title = folder.rsplit("/", 1)[-1].replace("_", " ").capitalize()
    return f"---\ntitle: {title}\nslug: {slug}\n---\n\n{body.rstrip()}\n"


class _FastImport:
    """Accumulates a fast-import stream of whole-tree commits with fixed identity and dates."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.clock = START_TIME

    def commit(
        self,
        branch: str,
        mark: str,
        message: str,
        parents: list[str],
        tree: Mapping[str, bytes],
    ) -> None:
        self.clock += STEP_SECONDS
        name, email = AUTHOR.rsplit(" ", 1)
        who = f"{name} {email} {self.clock} +0000"
        text = message.encode()
        lines = [
            f"commit refs/heads/{branch}".encode(),
            f"mark :{mark}".encode(),
            f"author {who}".encode(),
            f"committer {who}".encode(),
            b"data %d" % len(text),
            text,
        ]
        if parents:
            lines.append(f"from :{parents[0]}".encode())
            lines.extend(f"merge :{parent}".encode() for parent in parents[1:])
        lines.append(b"deleteall")
        for path in sorted(tree):
            content = tree[path]
            quoted = path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            lines.append(f'M 100644 inline "{quoted}"'.encode())
            lines.append(b"data %d" % len(content))
            lines.append(content)
        self.parts.append(b"\n".join(lines) + b"\n\n")

    def stream(self) -> bytes:
        return b"".join(self.parts) + b"done\n"


class ScenarioBuilder:
    """Turns a scenario's English commits and translations into one or two repositories."""

    def __init__(self, scenario: Mapping[str, Any], destination: Path) -> None:
        self.scenario = scenario
        self.destination = destination
        self.two_repositories = scenario.get("repositories", "two") == "two"
        self.marks: dict[str, str] = {}  # commit id -> fast-import mark number
        self.trees: dict[str, dict[str, bytes]] = {}  # mark -> whole tree after the commit
        self.parents: dict[str, list[str]] = {}
        self.tips: dict[str, str] = {}  # branch -> mark of its last commit
        self.stream = _FastImport()

    def build(self) -> BuiltScenario:
        """Write the repositories and return where they are and the SHAs of the commit ids."""
        for number, entry in enumerate(self.scenario.get("english", []), start=1):
            self._english_commit(str(number), entry)
        source_root = self.destination / ("content" if self.two_repositories else "site")
        translated_root = (
            self.destination / "translated-content" if self.two_repositories else source_root
        )
        if self.two_repositories:
            marks = create_repository(source_root, self.stream.stream())
            shas = {commit_id: marks[mark] for commit_id, mark in self.marks.items()}
            files = self._translation_files(shas)
            translations = _FastImport()
            translations.clock = self.stream.clock
            translations.commit("main", "1", "Add translations", [], files)
            create_repository(translated_root, translations.stream())
        else:
            # One repository: English SHAs must be known before translations are committed,
            # so the English history is imported first and translations are added on top.
            marks = create_repository(source_root, self.stream.stream())
            shas = {commit_id: marks[mark] for commit_id, mark in self.marks.items()}
            files = self._translation_files(shas)
            tree = dict(self.trees[self.tips.get("main", "")] if "main" in self.tips else {})
            tree.update(files)
            follow_up = _FastImport()
            follow_up.clock = self.stream.clock
            tip = shas[self._last_main_id()]
            follow_up.parts.append(f"reset refs/heads/main\nfrom {tip}\n\n".encode())
            follow_up.commit("main", "900000", "Add translations", [], tree)
            create_repository(source_root, follow_up.stream())
        expectations = tuple(
            Expectation(self._translation_path(entry), _fill(entry.get("expect", {}), shas))
            for entry in self.scenario.get("translations", [])
            if "expect" in entry
        ) + tuple(  # pages committed by the scenario's own commits (git-history mode)
            Expectation(str(entry["path"]),
                        _fill({k: v for k, v in entry.items() if k != "path"}, shas))
            for entry in self.scenario.get("expect", [])
        )
        return BuiltScenario(source_root, translated_root, shas, expectations)

    def _last_main_id(self) -> str:
        tip = self.tips["main"]
        return next(commit_id for commit_id, mark in self.marks.items() if mark == tip)

    def _english_commit(self, mark: str, entry: Mapping[str, Any]) -> None:
        commit_id = str(entry.get("id", f"c{mark}"))
        branch = str(entry.get("branch", "main"))
        if "from" in entry:
            parents = [self.marks[str(entry["from"])]]
        elif branch in self.tips:
            parents = [self.tips[branch]]
        else:
            parents = []
        if "merge" in entry:
            parents.append(self.tips[str(entry["merge"])])
        written = {f"{SOURCE_LOCALE_FOLDER}/{folder}/index.md" for folder in entry.get("write", {})}
        tree = self._merged_tree(parents, written) if len(parents) > 1 else dict(
            self.trees[parents[0]] if parents else {}
        )
        for old, new in entry.get("rename", {}).items():
            _move(tree, f"{SOURCE_LOCALE_FOLDER}/{old}", f"{SOURCE_LOCALE_FOLDER}/{new}")
        for folder in entry.get("delete", []):
            _move(tree, f"{SOURCE_LOCALE_FOLDER}/{folder}", None)
        for folder, body in entry.get("write", {}).items():
            tree[f"{SOURCE_LOCALE_FOLDER}/{folder}/index.md"] = english_page(folder, body).encode()
        for old, new in entry.get("rename_files", {}).items():
            _move(tree, old, new)
        for path in entry.get("delete_files", []):
            _move(tree, path, None)
        for path, content in entry.get("files", {}).items():
            tree[path] = content.encode()
        message = str(entry.get("message", f"Change {commit_id}"))
        self.stream.commit(branch, mark, message, parents, tree)
        self.marks[commit_id] = mark
        self.trees[mark] = tree
        self.parents[mark] = parents
        self.tips[branch] = mark

    def _ancestors(self, mark: str) -> set[str]:
        seen, todo = set(), [mark]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents[current])
        return seen

    def _merged_tree(self, parents: list[str], written: set[str]) -> dict[str, bytes]:
        """A file-level three-way merge of two parents; a real conflict is a scenario error,
        unless the merge commit writes the file itself (its resolution)."""
        ours, theirs = parents
        common = self._ancestors(ours) & self._ancestors(theirs)
        base_mark = max(common, key=int) if common else None
        base = self.trees[base_mark] if base_mark else {}
        merged = {}
        for path in set(self.trees[ours]) | set(self.trees[theirs]) | set(base):
            mine_value = self.trees[ours].get(path)
            other = self.trees[theirs].get(path)
            old = base.get(path)
            if mine_value == other or other == old:
                result = mine_value
            elif mine_value == old:
                result = other
            elif path in written:
                result = mine_value  # the merge commit's write replaces it below
            else:
                raise ConfigError(f"merge conflict on {path}; give the merge commit a 'write'")
            if result is not None:
                merged[path] = result
        return merged

    def _translation_path(self, entry: Mapping[str, Any]) -> str:
        if "path" in entry:
            return str(entry["path"])
        file_name = entry.get("file", "index.md")
        return f"files/{entry['locale']}/{entry['folder']}/{file_name}"

    def _translation_files(self, shas: Mapping[str, str]) -> dict[str, bytes]:
        files = {}
        for entry in self.scenario.get("translations", []):
            path = self._translation_path(entry)
            if "raw" in entry:
                files[path] = _fill_text(str(entry["raw"]), shas).encode()
                continue
            marker = entry.get("source_commit")
            lines = ["---", f"title: {entry.get('title', 'Traduction')}"]
            lines.append(f"slug: {entry.get('slug', entry.get('folder', 'Page'))}")
            if marker is not None:
                value = _fill_text(str(marker), shas)
                lines += ["l10n:", f"  sourceCommit: {value}"]
            lines += ["---", "", str(entry.get("body", "Texte traduit.")).rstrip(), ""]
            files[path] = "\n".join(lines).encode()
        return files


def _move(tree: dict[str, bytes], old: str, new: str | None) -> None:
    """Rename (or, with ``new`` None, delete) a file or a whole folder in a tree."""
    moved = [path for path in tree if path == old or path.startswith(old + "/")]
    if not moved:
        raise ConfigError(f"nothing to move or delete at {old}")
    for path in moved:
        content = tree.pop(path)
        if new is not None:
            tree[new + path[len(old):]] = content


def _fill_text(text: str, shas: Mapping[str, str]) -> str:
    """Replace ``{sha:ID}`` and ``{short:ID}`` with the SHA of English commit ID."""

    def replace(match: re.Match[str]) -> str:
        kind, commit_id = match.groups()
        if commit_id not in shas:
            raise ConfigError(f"unknown commit id {commit_id!r} in {match.group(0)}")
        sha = shas[commit_id]
        return sha if kind == "sha" else sha[:7]

    return _PLACEHOLDER.sub(replace, text)


def _fill(value: Any, shas: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return _fill_text(value, shas)
    if isinstance(value, dict):
        return {key: _fill(item, shas) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, shas) for item in value]
    return value


def build_scenario(scenario: Mapping[str, Any], destination: Path) -> BuiltScenario:
    """Build a scenario into ``destination`` (which should be empty)."""
    return ScenarioBuilder(scenario, destination).build()
