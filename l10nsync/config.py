"""Where things are: flags, MDN's environment variables and config files, merged into one Config.

Precedence: flags > environment (CONTENT_ROOT, CONTENT_TRANSLATED_ROOT) > a config file of the
translations repository > defaults.

The config file is the nearest ``.l10nsync.toml``, ``[tool.l10nsync]`` in ``pyproject.toml`` or
Lunaria config, looking from the working folder up to the repository root; when there is none,
a single Lunaria config in a sub-folder (Starlight keeps it in ``docs/``). Paths in a config file
are relative to its folder, and to ``repository.rootDir`` for Lunaria.
"""

from __future__ import annotations

import os
import posixpath
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from l10nsync.errors import ConfigError
from l10nsync.globs import clean_glob
from l10nsync.lunaria import LUNARIA_CONFIGS, read_lunaria_config

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DEFAULT_LAYOUT = "files/{locale}/{path}"
DEFAULT_SOURCE_LOCALE = "en-us"
DEFAULT_MARKER_KEY = "l10n.sourceCommit"
DEFAULT_DICTIONARY_MARKER_KEY = "_sourceCommit"
ALL_LOCALES = "*"  # optional_keys: a key every locale may leave untranslated
DEFAULT_PAGE_NAMES = ("index.md", "index.html")
DEFAULT_EXCLUDED_FOLDERS = ("orphaned", "conflicting")
CONFIG_FILE = ".l10nsync.toml"

# The keys a config file may set, with the type each must have.
_FILE_KEYS: dict[str, type | tuple[type, ...]] = {
    "source_root": str,
    "source_locale": str,
    "marker_key": str,
    "layout": (str, list, dict),
    "page_names": list,
    "excluded_folders": list,
    "redirects_file": str,
    "ignore_revs_file": str,
    "section_cutoff": float,
    "allow_stale_edits": bool,
    "source_at_root": bool,
    "locales": list,
    "locale_folders": dict,
    "basis": str,
    "ignore_keywords": list,
    "ignore_directive": str,
    "track_directive": str,
    "localizable_property": str,
    "review_touches": str,
    "locale_labels": dict,
    "include": list,
    "exclude": list,
    "repository_url": str,
    "aliases_property": str,
    "dictionaries": list,
    "dictionary_marker_key": str,
    "optional_keys": (list, dict),
    "dictionary_bases": dict,
    "front_matter_limit": int,
    "popularity_file": str,
    "drift_threshold": float,
}
BASES = ("auto", "marker", "history")
REVIEW_TOUCHES = ("ignore", "sync")  # see rules/history_mode.py
# A Lunaria config found in a sub-folder is looked for this many folders deep, at most.
_LUNARIA_SEARCH_DEPTH = 3
_NEVER_SEARCHED = frozenset({"node_modules"})


@dataclass(frozen=True)
class Config:
    """Everything a run needs to know about where content lives and how it is marked."""

    source_root: Path  # the English repository's root (its work tree)
    translated_root: Path  # the translations repository's root
    source_locale: str = DEFAULT_SOURCE_LOCALE
    marker_key: str = DEFAULT_MARKER_KEY
    layout: str = DEFAULT_LAYOUT
    extra_layouts: tuple[str, ...] = ()  # more patterns; a page takes the first that matches
    # Layouts whose English pages follow a pattern of their own ("docs/{path}" beside
    # "i18n/{locale}/docusaurus-plugin-content-docs/current/{path}"): layout -> English folder.
    source_layouts: tuple[tuple[str, str], ...] = ()
    page_names: tuple[str, ...] = DEFAULT_PAGE_NAMES
    excluded_folders: tuple[str, ...] = DEFAULT_EXCLUDED_FOLDERS
    redirects_file: str = "_redirects.txt"
    # Formatting commits git blame skips; l10nsync does not count them either.
    ignore_revs_file: str = ".git-blame-ignore-revs"
    # Below this alignment score (0 to 1), a diff hunk is not mapped to a translated section.
    section_cutoff: float = 0.5
    # check: let an outdated page be edited without moving its marker forward.
    allow_stale_edits: bool = False
    # The English pages live where the layout's {locale} part is left out (Starlight's root
    # locale, VitePress): src/content/docs/{path} beside src/content/docs/fr/{path}.
    source_at_root: bool = False
    # The translation locales (codes); empty: every locale folder found.
    known_locales: tuple[str, ...] = ()
    # Locale code -> folder name where the two differ (pt-BR -> pt-br).
    locale_folders: tuple[tuple[str, str], ...] = ()
    # What decides a page's sync point: its marker, its git history (one repository only),
    # or "auto": the marker where there is one, else the history.
    basis: str = "auto"
    # Commits whose subject holds one of these (any case) are not counted on either side.
    ignore_keywords: tuple[str, ...] = ()
    # Commit body directives "<directive>:glob;glob": files this commit should not count, or
    # the only files it should count ("" turns a directive off).
    ignore_directive: str = ""
    track_directive: str = ""
    # A front-matter key that, when false, marks an English page as not ready to translate.
    localizable_property: str = ""
    # Globs (from the repository root, micromatch rules): when ``include`` is given, only pages
    # whose English or translated path matches one are tracked; none matching ``exclude`` is.
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # How a commit that changes only whitespace in a translation is taken in history mode:
    # "ignore" (not a sync) or "sync" (a translator's "reviewed, nothing to change").
    review_touches: str = "ignore"
    # Locale code -> the name people read ("fr" -> "Français"), for tables and the dashboard.
    locale_labels: tuple[tuple[str, str], ...] = ()
    # The folder of the config file (Lunaria: its rootDir), from the repository root: commit
    # directives' globs may be written from there as well as from the repository root.
    project_folder: str = ""
    # The web address of the translations repository (GitHub or GitLab), for links; "" reads
    # remote.origin.url.
    repository_url: str = ""
    # An English front matter key listing the page's old URLs (Hugo's "aliases"): a deleted
    # page whose URL an English page lists there moved to that page.
    aliases_property: str = ""
    # UI-string dictionaries (see dictionaries.py): (English file, translation pattern with
    # {locale}), from the repository root.
    dictionaries: tuple[tuple[str, str], ...] = ()
    # The top-level key (a PO header field) of a translated dictionary holding its sync point.
    dictionary_marker_key: str = DEFAULT_DICTIONARY_MARKER_KEY
    # (locale or "*", dotted key) pairs: keys a locale may leave untranslated (optionalKeys).
    optional_keys: tuple[tuple[str, str], ...] = ()
    # Locale -> the locale whose dictionary it falls back to ("pt-BR" -> "pt"), beside the
    # language of a regional locale, which is always a base when it has a dictionary.
    dictionary_bases: tuple[tuple[str, str], ...] = ()
    # Front matter larger than this many bytes is reported invalid without being parsed.
    front_matter_limit: int = 1024 * 1024
    # A JSON file of page popularity scores (MDN's popularities.json), from the config file's
    # folder; "" for none. See popularity.py.
    popularity_file: str = ""
    # The drift score (0 to 1) from which a page counts as drifted (see rules/drift.py).
    drift_threshold: float = 0.1
    # Things the config file said that l10nsync could not use, for the user to read.
    warnings: tuple[str, ...] = ()
    # Which config file was used when that is not the obvious one, for the user to read.
    notes: tuple[str, ...] = ()
    # Where the two roots came from ("flag", "environment", "config" or "cwd") and the config
    # file read, if any: what an error about a wrong root should tell the user to change.
    source_origin: str = "cwd"
    translated_origin: str = "cwd"
    config_file: str | None = None
    locales: tuple[str, ...] = field(default=())  # the --locale filter; empty: every locale
    use_cache: bool = True

    def folder_of(self, locale: str) -> str:
        """The folder (or file suffix) name of a locale code."""
        # The last setting of a locale wins, as in a dict; called for every page, so no dict.
        for code, name in reversed(self.locale_folders):
            if code == locale:
                return name
        return locale

    def label_of(self, locale: str) -> str:
        """The name people read for a locale: its configured label, else its code."""
        return dict(self.locale_labels).get(locale, locale)

    def locale_of(self, folder: str) -> str:
        """The locale code of a folder name."""
        for code, name in self.locale_folders:
            if name == folder:
                return code
        return folder

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
    """The settings of the config file in the folder ``root`` (``.l10nsync.toml``, else
    ``[tool.l10nsync]`` in ``pyproject.toml``, else a Lunaria config), as written; Lunaria's
    unusable fields come back under the key ``warnings``."""
    own = root / CONFIG_FILE
    if own.is_file():
        return _load_table(own, ()), own
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _load_table(pyproject, ("tool", "l10nsync"))
        if table:
            return table, pyproject
    for name in LUNARIA_CONFIGS:
        lunaria = root / name
        if lunaria.is_file():
            repository = find_repository_root(root) or root
            settings, warnings = read_lunaria_config(lunaria, repository)
            root_dir = settings.pop("root_dir", None)
            _check_types(settings, lunaria)
            if root_dir is not None:
                settings["root_dir"] = root_dir
            return {**settings, "warnings": warnings}, lunaria
    return {}, None


def find_config_file(
    start: Path, repository: Path
) -> tuple[dict[str, Any], Path | None, list[str]]:
    """The settings of the config file that applies at ``start``, its path, and notes.

    The nearest config from ``start`` up to ``repository`` wins; with none, a single Lunaria
    config in a sub-folder of the repository (not under node_modules) is used, and said so.
    """
    start, repository = start.resolve(), repository.resolve()
    folders = [start, *start.parents] if start.is_relative_to(repository) else [repository]
    for folder in folders:
        settings, path = read_config_file(folder)
        if path is not None:
            return settings, path, []
        if folder == repository:
            break
    found = _lunaria_configs_below(repository)
    if len(found) == 1:
        settings, path = read_config_file(found[0].parent)
        shown = found[0].relative_to(repository).as_posix()
        return settings, path, [f"using {shown} (the one Lunaria config in this repository); "
                                f"run l10nsync from {found[0].parent} to make it the nearest"]
    if found:
        shown = ", ".join(path.relative_to(repository).as_posix() for path in found)
        return {}, None, [f"found several Lunaria configs ({shown}) and used none; run l10nsync "
                          "from the folder of the one to use"]
    return {}, None, []


def find_lunaria_config(start: Path, repository: Path) -> Path | None:
    """The Lunaria config that applies at ``start`` (see ``find_config_file``), if any."""
    start, repository = start.resolve(), repository.resolve()
    folders = [start, *start.parents] if start.is_relative_to(repository) else [repository]
    for folder in folders:
        for name in LUNARIA_CONFIGS:
            if (folder / name).is_file():
                return folder / name
        if folder == repository:
            break
    found = _lunaria_configs_below(repository)
    return found[0] if len(found) == 1 else None


def _lunaria_configs_below(repository: Path) -> list[Path]:
    """Lunaria configs in sub-folders of the repository, a few folders deep at most."""
    found: list[Path] = []
    level = [repository]
    for _depth in range(_LUNARIA_SEARCH_DEPTH):
        below: list[Path] = []
        for folder in level:
            try:
                with os.scandir(folder) as entries:
                    names = sorted((entry.name, entry.is_dir(follow_symlinks=False))
                                   for entry in entries)
            except OSError:
                continue
            for name, is_folder in names:
                if is_folder and not name.startswith(".") and name not in _NEVER_SEARCHED:
                    below.append(folder / name)
        for folder in below:
            for name in LUNARIA_CONFIGS:
                if (folder / name).is_file():
                    found.append(folder / name)
                    break
        level = below
    return found


def _relative_folder(folder: Path, repository: Path) -> str:
    """``folder`` from the repository root, '/' separated ("" for the root itself)."""
    try:
        relative = folder.resolve().relative_to(repository.resolve()).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else relative


def _from_folder(folder: str, pattern: str, where: Path) -> str:
    """A layout written from ``folder`` as a layout from the repository root."""
    if not folder:
        return pattern
    joined = posixpath.normpath(f"{folder}/{pattern}")
    if joined == ".." or joined.startswith("../"):
        raise ConfigError(f"layout {pattern!r} points outside the repository", path=str(where))
    return joined


def _layouts(value: Any, folder: str, where: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """The ``layout`` setting (one pattern, a {source, translation} table or a list of either)
    as translation layouts from the repository root and the English folders of two-pattern
    ones."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ConfigError("layout: give at least one pattern", path=str(where))
    layouts: list[str] = []
    sources: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, str):
            layouts.append(_from_folder(folder, item, where))
            continue
        if not isinstance(item, dict) or set(item) != {"source", "translation"} or not all(
            isinstance(part, str) for part in item.values()
        ):
            raise ConfigError('layout: each pattern must be a string or a table '
                              '{ source = "docs/{path}", translation = '
                              '"i18n/{locale}/docs/{path}" }', path=str(where))
        source = item["source"]
        if not source.endswith("{path}") or "{" in source[:-len("{path}")] or (
            source != "{path}" and not source.endswith("/{path}")
        ):
            raise ConfigError(f"layout source {source!r} must be <folder>/{{path}} or {{path}}",
                              path=str(where))
        translation = _from_folder(folder, item["translation"], where)
        english = posixpath.dirname(_from_folder(folder, source, where))
        layouts.append(translation)
        sources.append((translation, "" if english == "." else english))
    return layouts, sources


def _dictionaries(value: list[Any], folder: str, source_locale: str,
                  where: Path) -> list[tuple[str, str]]:
    """The ``dictionaries`` setting (patterns with {locale}, or {source, translation} tables)
    as (English file, translation pattern) pairs from the repository root."""
    pairs: list[tuple[str, str]] = []
    for item in value:
        if isinstance(item, str):
            source, translation = item.replace("{locale}", source_locale), item
        elif isinstance(item, dict) and set(item) == {"source", "translation"} and all(
            isinstance(part, str) for part in item.values()
        ):
            source, translation = item["source"], item["translation"]
        else:
            raise ConfigError('dictionaries: each entry must be a pattern such as '
                              '"src/content/i18n/{locale}.json" or a table { source = '
                              '"locales/messages.pot", translation = '
                              '"locales/{locale}/messages.po" }', path=str(where))
        if translation.count("{locale}") != 1 or "{locale}" in source:
            raise ConfigError(f"dictionaries: {translation!r} must hold {{locale}} once (and "
                              "an English file none)", path=str(where))
        from l10nsync.dictformats import SUFFIXES, is_dictionary_file

        for path in (source, translation):
            if not is_dictionary_file(path):
                raise ConfigError(f"dictionaries: {path!r} is not a dictionary format l10nsync "
                                  f"reads ({', '.join(SUFFIXES)})", path=str(where))
        pairs.append((_from_folder(folder, source, where),
                      _from_folder(folder, translation, where)))
    return pairs


def _optional_keys(value: Any, where: Path) -> list[tuple[str, str]]:
    """``optional_keys``: a list of dotted keys (every locale) or a table locale -> keys."""
    table = {ALL_LOCALES: value} if isinstance(value, list) else value
    pairs: list[tuple[str, str]] = []
    for locale, keys in table.items():
        if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
            raise ConfigError("optional_keys must be a list of dotted keys or a table "
                              "locale = [keys]", path=str(where))
        pairs.extend((locale, key) for key in keys)
    return sorted(pairs)


def _load_table(path: Path, keys: tuple[str, ...]) -> dict[str, Any]:
    try:
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read config: {error}", path=str(path)) from None
    for key in keys:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    if not isinstance(data, dict):
        raise ConfigError("the l10nsync table must be a table", path=str(path))
    _check_types(data, path)
    return dict(data)


def _check_types(data: dict[str, Any], path: Path) -> None:
    for key, value in data.items():
        expected = _FILE_KEYS.get(key)
        if expected is None:
            known = ", ".join(sorted(_FILE_KEYS))
            raise ConfigError(f"unknown key {key!r} (known: {known})", path=str(path))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            data[key] = value = float(value)
        if key == "layout" and not isinstance(value, expected):
            raise ConfigError("layout must be a pattern string, a { source, translation } table "
                              "or a list of them", path=str(path))
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            kinds = expected if isinstance(expected, tuple) else (expected,)
            names = " or ".join(kind.__name__ for kind in kinds)
            raise ConfigError(f"{key} must be a {names}", path=str(path))
        if key in ("layout", "dictionaries", "optional_keys"):
            continue  # their shapes are checked where they are read (_layouts, _dictionaries)
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{key} must be a list of strings", path=str(path))
        if isinstance(value, dict) and not all(
            isinstance(item, str) for item in (*value, *value.values())
        ):
            raise ConfigError(f"{key} must map strings to strings", path=str(path))


def load_config(
    *,
    cwd: Path,
    source_root: str | None = None,
    translated_root: str | None = None,
    locales: tuple[str, ...] = (),
    use_cache: bool = True,
    environ: Mapping[str, str] | None = None,
    basis: str | None = None,
) -> Config:
    """Merge flags, environment, config file and defaults into a Config, checking each value."""
    env = os.environ if environ is None else environ
    translated_origin = source_origin = "cwd"
    if translated_root:
        translated = _repository_root_of(translated_root, "--translated-root")
        translated_origin = "flag"
    elif env.get("CONTENT_TRANSLATED_ROOT"):
        translated = _repository_root_of(env["CONTENT_TRANSLATED_ROOT"], "CONTENT_TRANSLATED_ROOT")
        translated_origin = "environment"
    else:
        found = find_repository_root(cwd)
        if found is None:
            raise ConfigError(f"{cwd} is not inside a git repository; run l10nsync in one")
        translated = found

    settings, config_path, notes = find_config_file(cwd, translated)
    config_folder = _relative_folder(config_path.parent, translated) if config_path else ""
    if source_root:
        source = _repository_root_of(source_root, "--source-root")
        source_origin = "flag"
    elif env.get("CONTENT_ROOT"):
        source = _repository_root_of(env["CONTENT_ROOT"], "CONTENT_ROOT")
        source_origin = "environment"
    elif "source_root" in settings and config_path is not None:
        value = str(Path(config_path.parent, settings["source_root"]))
        source = _repository_root_of(value, f"{config_path}: source_root")
        source_origin = "config"
    else:
        # The repository you are in: the translations one, or the English one when the
        # translations were named by flag or CONTENT_TRANSLATED_ROOT (report on English PRs).
        source = find_repository_root(cwd) or translated

    config = Config(source_root=source, translated_root=translated, locales=locales,
                    use_cache=use_cache, notes=tuple(notes), source_origin=source_origin,
                    translated_origin=translated_origin,
                    config_file=str(config_path) if config_path else None)
    # Lunaria's layouts are already from the repository root (rootDir says where its project is).
    project_folder = settings.pop("root_dir", config_folder)
    if "layout" in settings and config_path is not None:
        from_folder = "" if config_path.name in LUNARIA_CONFIGS else config_folder
        layouts, sources = _layouts(settings.pop("layout"), from_folder, config_path)
        settings["layout"], settings["extra_layouts"] = layouts[0], layouts[1:]
        settings["source_layouts"] = dict(sources)
    if "dictionaries" in settings and config_path is not None:
        from_folder = "" if config_path.name in LUNARIA_CONFIGS else config_folder
        settings["dictionaries"] = _dictionaries(
            settings["dictionaries"], from_folder,
            settings.get("source_locale", DEFAULT_SOURCE_LOCALE), config_path)
    if "optional_keys" in settings and config_path is not None:
        settings["optional_keys"] = _optional_keys(settings["optional_keys"], config_path)
    if config_path is not None and config_path.name not in LUNARIA_CONFIGS:
        for key in ("include", "exclude"):
            if key in settings:
                settings[key] = [_from_folder(config_folder, clean_glob(glob), config_path)
                                 for glob in settings[key]]
    if "popularity_file" in settings and config_path is not None:
        settings["popularity_file"] = str(Path(config_path.parent, settings["popularity_file"]))
    settings["project_folder"] = project_folder
    renamed = {"locales": "known_locales"}
    overrides: dict[str, Any] = {
        renamed.get(key, key): tuple(value) if isinstance(value, list)
        else tuple(sorted(value.items())) if isinstance(value, dict) else value
        for key, value in settings.items()
        if key != "source_root"
    }
    config = replace(config, **overrides)
    if basis is not None:
        if basis.lower() not in BASES:
            raise ConfigError(f"--basis {basis!r} must be one of {', '.join(BASES)}")
        config = replace(config, basis=basis.lower())
    _check(config, config_path)
    return config


def _check(config: Config, config_path: Path | None) -> None:
    where = str(config_path) if config_path else None
    from l10nsync.layout import parse_pattern

    for layout in (config.layout, *config.extra_layouts):
        pattern = parse_pattern(layout)
        if pattern is None:
            raise ConfigError(
                f"layout {layout!r} must be <folder>/{{locale}}/{{path}} or "
                "<folder>/{path}.{locale}.<ext>", path=where
            )
        if pattern.suffix and not config.known_locales:
            raise ConfigError(f"layout {layout!r} needs locales: the locale codes its file "
                              "names end with", path=where)
    if not config.marker_key or any(not part for part in config.marker_key.split(".")):
        raise ConfigError(f"marker_key {config.marker_key!r} is not a dotted key", path=where)
    if not config.dictionary_marker_key:
        raise ConfigError("dictionary_marker_key must name a key", path=where)
    if not 0.0 <= config.section_cutoff <= 1.0:
        raise ConfigError(f"section_cutoff {config.section_cutoff} must be between 0 and 1",
                          path=where)
    if not 0.0 <= config.drift_threshold <= 1.0:
        raise ConfigError(f"drift_threshold {config.drift_threshold} must be between 0 and 1",
                          path=where)
    if not config.page_names:
        raise ConfigError("page_names must name at least one file", path=where)
    if config.front_matter_limit < 1:
        raise ConfigError(f"front_matter_limit {config.front_matter_limit} must be a number of "
                          "bytes above 0", path=where)
    if config.basis not in BASES:
        raise ConfigError(f"basis {config.basis!r} must be one of {', '.join(BASES)}", path=where)
    if config.source_at_root and not config.known_locales:
        raise ConfigError("source_at_root needs locales: the translation locales, since their "
                          "folders sit among the English ones", path=where)
    if config.review_touches not in REVIEW_TOUCHES:
        raise ConfigError(f"review_touches {config.review_touches!r} must be one of "
                          f"{', '.join(REVIEW_TOUCHES)}", path=where)
    for layout, english in config.source_layouts:
        pattern = parse_pattern(layout)
        if pattern is not None and pattern.suffix:
            raise ConfigError(f"layout {layout!r}: a layout with its own source pattern must be "
                              "<folder>/{locale}/{path}", path=where)
        inside = pattern is not None and (
            not english or pattern.base == english or pattern.base.startswith(english + "/"))
        if inside and not config.known_locales:
            raise ConfigError(f"layout {layout!r} keeps translations inside the English folder "
                              f"'{english or '.'}': it needs locales, the translation locales",
                              path=where)
