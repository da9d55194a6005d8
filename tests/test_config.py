"""config: where the repositories are and what the config file may say, checked at the edge."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from l10nsync.config import (
    DEFAULT_LAYOUT,
    DEFAULT_MARKER_KEY,
    DEFAULT_PAGE_NAMES,
    Config,
    find_repository_root,
    load_config,
)
from l10nsync.errors import ConfigError


def git_init(path: Path) -> Path:
    """A real, empty git repository with an MDN ``files/`` folder; returns its resolved root."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    (path / "files").mkdir()
    return path.resolve()


@pytest.fixture
def repos(tmp_path: Path) -> dict[str, Path]:
    """Four repositories: translations, English, and one more of each to tell sources apart."""
    return {name: git_init(tmp_path / name)
            for name in ("translated", "english", "english_env", "translated_env")}


def write_config(root: Path, text: str, name: str = ".l10nsync.toml") -> Path:
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


# --- precedence ---------------------------------------------------------------------------------


def test_defaults_when_nothing_is_set(repos: dict[str, Path]) -> None:
    config = load_config(cwd=repos["translated"] / "files", environ={})
    assert config.translated_root == repos["translated"]
    assert config.source_root == repos["translated"]
    assert config.same_repository
    assert config.layout == DEFAULT_LAYOUT
    assert config.marker_key == DEFAULT_MARKER_KEY
    assert config.page_names == DEFAULT_PAGE_NAMES
    assert config.locales == ()


def test_source_root_flag_beats_environment_beats_config_file(repos: dict[str, Path]) -> None:
    write_config(repos["translated"], 'source_root = "../english"\n')
    environ = {"CONTENT_ROOT": str(repos["english_env"])}

    from_file = load_config(cwd=repos["translated"], environ={})
    from_env = load_config(cwd=repos["translated"], environ=environ)
    from_flag = load_config(cwd=repos["translated"], environ=environ,
                            source_root=str(repos["translated_env"]))

    assert from_file.source_root == repos["english"]
    assert from_env.source_root == repos["english_env"]
    assert from_flag.source_root == repos["translated_env"]
    assert not from_flag.same_repository


def test_translated_root_flag_beats_environment_beats_working_folder(
    repos: dict[str, Path],
) -> None:
    environ = {"CONTENT_TRANSLATED_ROOT": str(repos["translated_env"])}
    cwd = repos["translated"]

    assert load_config(cwd=cwd, environ={}).translated_root == repos["translated"]
    assert load_config(cwd=cwd, environ=environ).translated_root == repos["translated_env"]
    flagged = load_config(cwd=cwd, environ=environ, translated_root=str(repos["english"]))
    assert flagged.translated_root == repos["english"]


def test_config_file_is_read_from_the_translated_root_not_the_working_folder(
    repos: dict[str, Path],
) -> None:
    write_config(repos["translated"], 'marker_key = "translation_of"\n')
    write_config(repos["english"], 'marker_key = "wrong_repository"\n')
    config = load_config(cwd=repos["english"], translated_root=str(repos["translated"]),
                         environ={})
    assert config.marker_key == "translation_of"


def test_empty_environment_variable_counts_as_unset(repos: dict[str, Path]) -> None:
    config = load_config(cwd=repos["translated"],
                         environ={"CONTENT_ROOT": "", "CONTENT_TRANSLATED_ROOT": ""})
    assert config.source_root == config.translated_root == repos["translated"]


def test_pyproject_tool_table_is_read(repos: dict[str, Path]) -> None:
    write_config(repos["translated"],
                 '[project]\nname = "x"\n\n[tool.l10nsync]\nmarker_key = "default_lang_commit"\n'
                 'page_names = ["*.md"]\nexcluded_folders = ["orphaned"]\n',
                 name="pyproject.toml")
    config = load_config(cwd=repos["translated"], environ={})
    assert config.marker_key == "default_lang_commit"
    assert config.page_names == ("*.md",)
    assert config.excluded_folders == ("orphaned",)


def test_pyproject_without_a_tool_table_gives_defaults(repos: dict[str, Path]) -> None:
    write_config(repos["translated"], '[project]\nname = "x"\n[tool.ruff]\nline-length = 1\n',
                 name="pyproject.toml")
    assert load_config(cwd=repos["translated"], environ={}).marker_key == DEFAULT_MARKER_KEY


def test_own_config_file_wins_over_pyproject(repos: dict[str, Path]) -> None:
    write_config(repos["translated"], '[tool.l10nsync]\nmarker_key = "from_pyproject"\n',
                 name="pyproject.toml")
    write_config(repos["translated"], 'marker_key = "from_own_file"\n')
    assert load_config(cwd=repos["translated"], environ={}).marker_key == "from_own_file"


def test_config_file_values_are_tuples_in_a_frozen_config(repos: dict[str, Path]) -> None:
    write_config(repos["translated"], 'page_names = ["index.md"]\n')
    config = load_config(cwd=repos["translated"], locales=("fr",), environ={})
    assert isinstance(config, Config)
    assert config.page_names == ("index.md",)
    assert config.locales == ("fr",)
    with pytest.raises(AttributeError):
        config.layout = "x/{locale}/{path}"  # type: ignore[misc]


# --- roots --------------------------------------------------------------------------------------


@pytest.mark.parametrize("inside", ["", "files", "files/fr/glossary"])
def test_roots_accept_the_repository_root_or_a_folder_inside_it(
    repos: dict[str, Path], inside: str
) -> None:
    folder = repos["english"] / inside
    folder.mkdir(parents=True, exist_ok=True)
    config = load_config(cwd=repos["translated"], source_root=str(folder),
                         translated_root=str(repos["translated"] / "files"), environ={})
    assert config.source_root == repos["english"]
    assert config.translated_root == repos["translated"]


def test_environment_roots_accept_files_folders(repos: dict[str, Path], tmp_path: Path) -> None:
    environ = {"CONTENT_ROOT": str(repos["english"] / "files"),
               "CONTENT_TRANSLATED_ROOT": str(repos["translated"] / "files")}
    config = load_config(cwd=tmp_path, environ=environ)
    assert (config.source_root, config.translated_root) == (repos["english"], repos["translated"])


def test_relative_source_root_in_config_file_is_relative_to_that_file(
    repos: dict[str, Path], tmp_path: Path
) -> None:
    write_config(repos["translated"], 'source_root = "../english/files"\n')
    config = load_config(cwd=tmp_path, translated_root=str(repos["translated"]), environ={})
    assert config.source_root == repos["english"]


@pytest.mark.parametrize(
    ("flag", "variable"),
    [("source_root", "CONTENT_ROOT"), ("translated_root", "CONTENT_TRANSLATED_ROOT")],
)
def test_root_that_is_not_a_folder_is_an_error_naming_it(
    repos: dict[str, Path], tmp_path: Path, flag: str, variable: str
) -> None:
    missing = str(tmp_path / "no-such-folder")
    a_file = repos["english"] / "README.md"
    a_file.write_text("hello\n", encoding="utf-8")

    with pytest.raises(ConfigError) as flagged:
        load_config(cwd=repos["translated"], environ={}, **{flag: missing})  # type: ignore[arg-type]
    assert missing in str(flagged.value)
    assert "--" + flag.replace("_", "-") in str(flagged.value)
    assert "not a folder" in str(flagged.value)

    with pytest.raises(ConfigError) as from_env:
        load_config(cwd=repos["translated"], environ={variable: str(a_file)})
    assert str(a_file) in str(from_env.value)
    assert variable in str(from_env.value)


def test_root_outside_any_repository_is_an_error_naming_it(
    repos: dict[str, Path], tmp_path: Path
) -> None:
    plain = tmp_path / "plain-folder"
    plain.mkdir()
    assert find_repository_root(plain) is None  # tmp_path must not sit inside a repository
    with pytest.raises(ConfigError, match="not inside a git repository") as error:
        load_config(cwd=repos["translated"], source_root=str(plain), environ={})
    assert str(plain) in str(error.value)
    with pytest.raises(ConfigError, match="CONTENT_TRANSLATED_ROOT") as from_env:
        load_config(cwd=repos["translated"], environ={"CONTENT_TRANSLATED_ROOT": str(plain)})
    assert str(plain) in str(from_env.value)


def test_working_folder_outside_any_repository_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not inside a git repository") as error:
        load_config(cwd=tmp_path, environ={})
    assert str(tmp_path) in str(error.value)


def test_source_root_in_config_file_is_checked_and_names_the_file(
    repos: dict[str, Path],
) -> None:
    path = write_config(repos["translated"], 'source_root = "../nowhere"\n')
    with pytest.raises(ConfigError, match="not a folder") as error:
        load_config(cwd=repos["translated"], environ={})
    assert str(path) in str(error.value)
    assert "nowhere" in str(error.value)


def test_git_file_of_a_worktree_counts_as_a_repository(tmp_path: Path) -> None:
    worktree = tmp_path / "worktree"
    worktree.mkdir()
    (worktree / ".git").write_text("gitdir: /elsewhere\n", encoding="utf-8")
    assert find_repository_root(worktree / ".") == worktree.resolve()


# --- config file errors -------------------------------------------------------------------------


@pytest.mark.parametrize("name", [".l10nsync.toml", "pyproject.toml"])
def test_unknown_key_is_an_error_naming_the_file_and_the_key(
    repos: dict[str, Path], name: str
) -> None:
    table = "[tool.l10nsync]\n" if name == "pyproject.toml" else ""
    path = write_config(repos["translated"], f'{table}sourceCommitKey = "x"\n', name=name)
    with pytest.raises(ConfigError) as error:
        load_config(cwd=repos["translated"], environ={})
    message = str(error.value)
    assert message.startswith(f"{path}: ")
    assert "unknown key 'sourceCommitKey'" in message
    assert "marker_key" in message  # the known keys are listed


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("marker_key = 3\n", "marker_key must be a str"),
        ("layout = 3\n", "layout must be a pattern string, a { source, translation } table "
         "or a list of them"),
        ("layout = []\n", "layout: give at least one pattern"),
        ("layout = ['a/{locale}/{path}', 'b/{path}.{locale}.md']\n",
         "layout 'b/{path}.{locale}.md' needs locales: the locale codes its file names end "
         "with"),
        ("basis = 'guess'\n", "basis 'guess' must be one of auto, marker, history"),
        ("source_at_root = true\n", "source_at_root needs locales: the translation locales, "
         "since their folders sit among the English ones"),
        ("locale_folders = { pt-BR = 3 }\n", "locale_folders must map strings to strings"),
        ('page_names = "index.md"\n', "page_names must be a list"),
        ("excluded_folders = [1, 2]\n", "excluded_folders must be a list of strings"),
        ("source_root = true\n", "source_root must be a str"),
        ("[marker_key]\nx = 1\n", "marker_key must be a str"),
    ],
)
def test_wrong_types_are_errors_naming_the_file(
    repos: dict[str, Path], text: str, complaint: str
) -> None:
    path = write_config(repos["translated"], text)
    with pytest.raises(ConfigError) as error:
        load_config(cwd=repos["translated"], environ={})
    assert str(error.value) == f"{path}: {complaint}"


def test_tool_table_that_is_not_a_table_is_an_error(repos: dict[str, Path]) -> None:
    path = write_config(repos["translated"], '[tool]\nl10nsync = "yes"\n', name="pyproject.toml")
    with pytest.raises(ConfigError, match="must be a table") as error:
        load_config(cwd=repos["translated"], environ={})
    assert str(path) in str(error.value)


def test_invalid_toml_is_an_error_naming_the_file(repos: dict[str, Path]) -> None:
    path = write_config(repos["translated"], "marker_key = \n")
    with pytest.raises(ConfigError, match="cannot read config") as error:
        load_config(cwd=repos["translated"], environ={})
    assert str(path) in str(error.value)


def test_config_file_that_is_not_utf8_is_an_error(repos: dict[str, Path]) -> None:
    path = repos["translated"] / ".l10nsync.toml"
    path.write_bytes(b'marker_key = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="cannot read config") as error:
        load_config(cwd=repos["translated"], environ={})
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    "layout",
    ["{path}", "files/{path}", "files/{locale}/{locale}/{path}", "files/{locale}",
     "{path}/{locale}", "files/{lang}/{path}", "files/{locale}/{path}.md", "{path}.{locale}",
     "docs/{path}-{locale}.md", "docs{locale}/{path}"],
)
def test_invalid_layout_is_rejected(repos: dict[str, Path], layout: str) -> None:
    path = write_config(repos["translated"], f'layout = "{layout}"\n')
    expected = re.escape("must be <folder>/{locale}/{path} or <folder>/{path}.{locale}.<ext>")
    with pytest.raises(ConfigError, match=expected) as error:
        load_config(cwd=repos["translated"], environ={})
    assert str(path) in str(error.value)
    assert repr(layout) in str(error.value)


@pytest.mark.parametrize("layout", ["{locale}/{path}", "content/{locale}/docs/{path}"])
def test_other_layouts_are_accepted(repos: dict[str, Path], layout: str) -> None:
    write_config(repos["translated"], f'layout = "{layout}"\n')
    assert load_config(cwd=repos["translated"], environ={}).layout == layout


@pytest.mark.parametrize("marker_key", ["", ".", "l10n.", ".sourceCommit", "l10n..sourceCommit"])
def test_invalid_marker_key_is_rejected(repos: dict[str, Path], marker_key: str) -> None:
    path = write_config(repos["translated"], f'marker_key = "{marker_key}"\n')
    with pytest.raises(ConfigError, match="is not a dotted key") as error:
        load_config(cwd=repos["translated"], environ={})
    assert str(path) in str(error.value)


def test_empty_page_names_is_rejected(repos: dict[str, Path]) -> None:
    write_config(repos["translated"], "page_names = []\n")
    with pytest.raises(ConfigError, match="page_names must name at least one file"):
        load_config(cwd=repos["translated"], environ={})
