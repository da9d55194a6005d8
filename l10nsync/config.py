"""Where things are: flags, MDN's environment variables and config files, merged into one Config.

Precedence: flags > environment (CONTENT_ROOT, CONTENT_TRANSLATED_ROOT) > ``.l10nsync.toml`` or
``[tool.l10nsync]`` in ``pyproject.toml`` of the translations repository > defaults.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from l10nsync.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DEFAULT_LAYOUT = "files/{locale}/{path}"
DEFAULT_SOURCE_LOCALE = "en-us"
DEFAULT_MARKER_KEY = "l10n.sourceCommit"
DEFAULT_PAGE_NAMES = ("index.md", "index.html")
DEFAULT_EXCLUDED_FOLDERS = ("orphaned", "conflicting")
CONFIG_FILE = ".l10nsync.toml"

# The keys a config file may set, with the type each must have.
_FILE_KEYS: dict[str, type] = {
    "source_root": str,
    "source_locale": str,
    "marker_key": str,
    "layout": str,
    "page_names": list,
    "excluded_folders": list,
    "redirects_file": str,
    "ignore_revs_file": str,
    "section_cutoff": float,
    "allow_stale_edits": bool,
}


@dataclass(frozen=True)
class Config:
    """Everything a run needs to know about where content lives and how it is marked."""

    source_root: Path  # the English repository's root (its work tree)
    translated_root: Path  # the translations repository's root
    source_locale: str = DEFAULT_SOURCE_LOCALE
    marker_key: str = DEFAULT_MARKER_KEY
    layout: str = DEFAULT_LAYOUT
    page_names: tuple[str, ...] = DEFAULT_PAGE_NAMES
    excluded_folders: tuple[str, ...] = DEFAULT_EXCLUDED_FOLDERS
    redirects_file: str = "_redirects.txt"
    # Formatting commits git blame skips; l10nsync does not count them either.
    ignore_revs_file: str = ".git-blame-ignore-revs"
    # Below this alignment score (0 to 1), a diff hunk is not mapped to a translated section.
    section_cutoff: float = 0.5
    # check: let an outdated page be edited without moving its marker forward.
    allow_stale_edits: bool = False
    locales: tuple[str, ...] = field(default=())  # empty: every locale found
    use_cache: bool = True

    @property
    def same_repository(self) -> bool:
        """True when English and translations share one repository."""
        return self.source_root == self.translated_root


def find_repository_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds a ``.git`` entry, without asking git."""
    path = start.resolve()
    for candidate in (path, *path.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _repository_root_of(value: str, origin: str) -> Path:
    """Accept a repository root or any folder inside it (MDN passes the ``files/`` folder)."""
    path = Path(value).expanduser()
    if not path.is_dir():
        raise ConfigError(f"{origin}: {value} is not a folder")
    root = find_repository_root(path)
    if root is None:
        raise ConfigError(f"{origin}: {value} is not inside a git repository")
    return root


def read_config_file(root: Path) -> tuple[dict[str, Any], Path | None]:
    """The ``[tool.l10nsync]`` table of ``.l10nsync.toml`` or ``pyproject.toml`` under ``root``."""
    own = root / CONFIG_FILE
    if own.is_file():
        return _load_table(own, ()), own
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _load_table(pyproject, ("tool", "l10nsync"))
        if table:
            return table, pyproject
    return {}, None


def _load_table(path: Path, keys: tuple[str, ...]) -> dict[str, Any]:
    try:
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read config: {error}", path=str(path)) from None
    for key in keys:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    if not isinstance(data, dict):
        raise ConfigError("the l10nsync table must be a table", path=str(path))
    for key, value in data.items():
        expected = _FILE_KEYS.get(key)
        if expected is None:
            known = ", ".join(sorted(_FILE_KEYS))
            raise ConfigError(f"unknown key {key!r} (known: {known})", path=str(path))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            data[key] = value = float(value)
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise ConfigError(f"{key} must be a {expected.__name__}", path=str(path))
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{key} must be a list of strings", path=str(path))
    return dict(data)


def load_config(
    *,
    cwd: Path,
    source_root: str | None = None,
    translated_root: str | None = None,
    locales: tuple[str, ...] = (),
    use_cache: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Merge flags, environment, config file and defaults into a Config, checking each value."""
    env = os.environ if environ is None else environ
    if translated_root:
        translated = _repository_root_of(translated_root, "--translated-root")
    elif env.get("CONTENT_TRANSLATED_ROOT"):
        translated = _repository_root_of(env["CONTENT_TRANSLATED_ROOT"], "CONTENT_TRANSLATED_ROOT")
    else:
        found = find_repository_root(cwd)
        if found is None:
            raise ConfigError(f"{cwd} is not inside a git repository; run l10nsync in one")
        translated = found

    settings, config_path = read_config_file(translated)
    if source_root:
        source = _repository_root_of(source_root, "--source-root")
    elif env.get("CONTENT_ROOT"):
        source = _repository_root_of(env["CONTENT_ROOT"], "CONTENT_ROOT")
    elif "source_root" in settings and config_path is not None:
        value = str(Path(config_path.parent, settings["source_root"]))
        source = _repository_root_of(value, f"{config_path}: source_root")
    else:
        # The repository you are in: the translations one, or the English one when the
        # translations were named by flag or CONTENT_TRANSLATED_ROOT (report on English PRs).
        source = find_repository_root(cwd) or translated

    config = Config(source_root=source, translated_root=translated, locales=locales,
                    use_cache=use_cache)
    overrides: dict[str, Any] = {
        key: tuple(value) if isinstance(value, list) else value
        for key, value in settings.items()
        if key != "source_root"
    }
    config = replace(config, **overrides)
    _check(config, config_path)
    return config


def _check(config: Config, config_path: Path | None) -> None:
    where = str(config_path) if config_path else None
    if config.layout.count("{locale}") != 1 or not config.layout.endswith("{path}"):
        raise ConfigError(
            f"layout {config.layout!r} must hold {{locale}} once and end with {{path}}", path=where
        )
    if not config.marker_key or any(not part for part in config.marker_key.split(".")):
        raise ConfigError(f"marker_key {config.marker_key!r} is not a dotted key", path=where)
    if not 0.0 <= config.section_cutoff <= 1.0:
        raise ConfigError(f"section_cutoff {config.section_cutoff} must be between 0 and 1",
                          path=where)
    if not config.page_names:
        raise ConfigError("page_names must name at least one file", path=where)
