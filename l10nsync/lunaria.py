"""Lunaria's ``lunaria.config.json`` read as l10nsync settings, so a Lunaria project can switch.

Only the JSON format of Lunaria 0.1 and earlier (``@lunariajs/core`` 0.0.x to 0.1) is read;
Lunaria 0.2 moved to a JavaScript or TypeScript ``lunaria.config.*`` file, out of scope here.
What that format meant, as Lunaria's own code applied it:

- ``files[].location`` is one glob matching the files of *every* locale, relative to the
  project root (the folder that holds the config file, ``repository.rootDir`` inside the git
  repository in a monorepo).
- ``files[].pattern`` is a path-to-regexp pattern where ``@lang`` is the locale and ``@path`` the
  path shared by all locales. ``@lang`` is *optional*: a file matched with no locale part belongs
  to ``defaultLocale``. So one pattern serves both a source locale kept in its own folder
  (``docs/en/guide.md``) and one kept at the root of the content folder (``docs/guide.md``), and
  the config file does not say which one a project uses: only its folders do.
- Raw ``:lang`` and ``:path`` parameters were allowed in place of the placeholders; a ``:lang``
  without the ``?`` modifier is required, so the source locale then has its own folder.
- Commits whose subject holds one of ``ignoreKeywords`` (case-insensitive) change no status;
  ``@lunaria-track:`` and ``@lunaria-ignore:`` in a commit body name the files a commit counts for.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NoReturn

from l10nsync.errors import ConfigError

LUNARIA_CONFIG = "lunaria.config.json"
DEFAULT_IGNORE_KEYWORDS = ("lunaria-ignore", "fix typo")  # Lunaria's defaults
PAGE_EXTENSIONS = (".md", ".mdx", ".markdoc", ".html")

# Top-level fields that only shaped Lunaria's own dashboard or its working files.
_UNUSED_FIELDS = {
    "dashboard": "l10nsync builds its own dashboard",
    "outDir": "it is where Lunaria wrote its dashboard",
    "cloneDir": "it is where Lunaria cloned the history of shallow checkouts",
    "renderer": "it customised Lunaria's dashboard",
}
_UNUSED_REPOSITORY_FIELDS = {
    "name": "it built links to the git host",
    "branch": "l10nsync reads the checkout it runs in",
    "hosting": "it built links to the git host",
}
_FILE_TYPES = ("universal", "dictionary")

# The locale parameter in its forms: `{:lang(...)/}?` (what `@lang/` became), `@lang`, and
# `:lang`, `:lang(...)`, each optionally followed by `?`.
_LANG_TOKEN = re.compile(r"\{:lang(?:\([^()]*\))?/\}\?|@lang|:lang(?:\([^()]*\))?\??")
_PATH_TOKEN = re.compile(r"@path|:path(?:\([^()]*\))?")
# Anything path-to-regexp would read as syntax once the two parameters are taken out.
_PATTERN_SYNTAX = re.compile(r"[:(){}*?+]|@locales")
# Alternatives in a glob: `{md,mdx}`, `(md|mdx)` and the extglob `@(md|mdx)`.
_GLOB_ALTERNATION = re.compile(r"\{([^{}]*)\}|@?\(([^()]*)\)")
_MAX_GLOB_EXPANSIONS = 256


def read_lunaria_config(path: Path) -> tuple[dict[str, Any], list[str]]:
    """Settings in l10nsync's config-file vocabulary, and one warning per unsupported field."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read Lunaria config: {error}", path=str(path)) from None
    except json.JSONDecodeError as error:
        raise ConfigError(f"not valid JSON: {error}", path=str(path)) from None
    if not isinstance(data, dict):
        raise ConfigError("the Lunaria config must be a JSON object", path=str(path))
    return _Translation(path).settings(data)


class _Translation:
    """One reading of a Lunaria config: fails on wrong values, collects unsupported fields."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []

    def fail(self, message: str) -> NoReturn:
        raise ConfigError(message, path=str(self.path))

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.path.name}: {message}")

    def unused(self, field: str, reason: str = "") -> None:
        because = f" ({reason})" if reason else ""
        self.warn(f"field '{field}' is not supported by l10nsync and was not used{because}")

    def settings(self, data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        known = {"$schema", "repository", "defaultLocale", "locales", "files",
                 "ignoreKeywords", "localizableProperty"}
        for field in data:
            if field in _UNUSED_FIELDS:
                self.unused(field, _UNUSED_FIELDS[field])
            elif field not in known:
                self.unused(field, "not a known Lunaria field")

        root = self.root_dir(data.get("repository"))
        source_locale = self.source_locale(data.get("defaultLocale"))
        locales = self.locales(data.get("locales"), source_locale)

        settings: dict[str, Any] = {"source_locale": source_locale, "locales": locales}
        settings.update(self.files(data.get("files"), root, source_locale))
        settings["ignore_keywords"] = self.ignore_keywords(data.get("ignoreKeywords"))
        settings["ignore_directive"] = "@lunaria-ignore"
        settings["track_directive"] = "@lunaria-track"
        if "localizableProperty" in data:
            property_name = data["localizableProperty"]
            if not isinstance(property_name, str) or not property_name:
                self.fail("'localizableProperty' must be a front matter key (a string)")
            settings["localizable_property"] = property_name
        settings["basis"] = "history"
        return settings, self.warnings

    # --- repository, locales, keywords ----------------------------------------------------------

    def root_dir(self, repository: Any) -> str:
        """``repository.rootDir`` as a clean relative folder ('' for the repository root)."""
        if repository is None:
            return ""
        if not isinstance(repository, dict):
            self.fail("'repository' must be an object")
        for field in repository:
            if field in _UNUSED_REPOSITORY_FIELDS:
                self.unused(f"repository.{field}", _UNUSED_REPOSITORY_FIELDS[field])
            elif field != "rootDir":
                self.unused(f"repository.{field}", "not a known Lunaria field")
        value = repository.get("rootDir", "")
        if not isinstance(value, str):
            self.fail("'repository.rootDir' must be a folder path (a string)")
        parts = [part for part in value.replace("\\", "/").split("/") if part not in ("", ".")]
        if value.startswith("/") or ".." in parts:
            self.fail(f"'repository.rootDir' {value!r} must be a folder inside the repository")
        return "/".join(parts)

    def source_locale(self, locale: Any) -> str:
        if locale is None:
            self.fail("'defaultLocale' is missing (the locale of the source pages)")
        return self.lang(locale, "defaultLocale")

    def locales(self, locales: Any, source_locale: str) -> list[str]:
        if locales is None:
            self.fail("'locales' is missing (the translation locales)")
        if not isinstance(locales, list) or not locales:
            self.fail("'locales' must be a non-empty list of {\"label\", \"lang\"} objects")
        codes: list[str] = []
        for index, locale in enumerate(locales):
            code = self.lang(locale, f"locales[{index}]")
            if code == source_locale or code in codes:
                self.fail(f"'locales[{index}].lang' {code!r} is listed twice; "
                          "every locale needs its own lang")
            codes.append(code)
        if any(isinstance(locale, dict) and "label" in locale for locale in locales):
            self.unused("locales[].label", "l10nsync names locales by their code")
        return codes

    def lang(self, locale: Any, field: str) -> str:
        """The ``lang`` code of one locale object, which is also its folder name."""
        if not isinstance(locale, dict):
            self.fail(f"'{field}' must be a {{\"label\", \"lang\"}} object")
        code = locale.get("lang")
        if not isinstance(code, str):
            self.fail(f"'{field}.lang' must be a string (a locale code such as \"fr\")")
        if not code.strip() or "/" in code or code in (".", ".."):
            self.fail(f"'{field}.lang' {code!r} cannot be a folder name")
        for key in locale:
            if key == "label" and field == "defaultLocale":
                self.unused("defaultLocale.label", "l10nsync names locales by their code")
            elif key not in ("lang", "label"):
                self.unused(f"{field}.{key}", "not a field of a Lunaria locale")
        return code

    def ignore_keywords(self, keywords: Any) -> list[str]:
        if keywords is None:
            return list(DEFAULT_IGNORE_KEYWORDS)
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            self.fail("'ignoreKeywords' must be a list of strings")
        return list(keywords)

    # --- files -----------------------------------------------------------------------------------

    def files(self, files: Any, root: str, source_locale: str) -> dict[str, Any]:
        """``layout``, ``page_names`` and, when the folders tell, ``source_at_root``."""
        if files is None:
            self.fail("'files' is missing (the tracked content)")
        if not isinstance(files, list) or not files:
            self.fail("'files' must be a non-empty list of objects")
        layouts: list[str] = []
        page_names: list[str] = []
        at_root: dict[int, bool | None] = {}
        for index, entry in enumerate(files):
            used = self.file_entry(entry, index)
            if used is None:
                continue
            layout, lang_optional, names = used
            full_layout = f"{root}/{layout}" if root else layout
            if full_layout not in layouts:
                layouts.append(full_layout)
            page_names.extend(name for name in names if name not in page_names)
            at_root[index] = (
                self.source_at_root(layout, source_locale, index) if lang_optional else False
            )
        if not layouts:
            extensions = ", ".join(PAGE_EXTENSIONS)
            self.fail(f"'files' has no \"universal\" entry with pages l10nsync tracks "
                      f"({extensions})")

        result: dict[str, Any] = {"layout": layouts}
        decided = {value for value in at_root.values() if value is not None}
        if len(decided) == 1 and None not in at_root.values():
            result["source_at_root"] = decided.pop()
        elif len(decided) > 1:
            where = ", ".join(f"files[{i}]" for i, value in at_root.items() if value)
            self.warn(f"'{source_locale}' pages sit at the root of the content folder for {where} "
                      "but in a locale folder for other entries; source_at_root was not set")
        result["page_names"] = page_names
        return result

    def file_entry(self, entry: Any, index: int) -> tuple[str, bool, list[str]] | None:
        """One ``files`` entry as (layout, whether @lang may be absent, page names), or None."""
        field = f"files[{index}]"
        if not isinstance(entry, dict):
            self.fail(f"'{field}' must be an object with location, pattern and type")
        kind = entry.get("type", "universal")
        if kind not in _FILE_TYPES:
            self.fail(f"'{field}.type' must be \"universal\" or \"dictionary\", not {kind!r}")
        location = entry.get("location")
        pattern = entry.get("pattern")
        if not isinstance(location, str) or not location:
            self.fail(f"'{field}.location' must be a glob (a string)")
        if not isinstance(pattern, str) or not pattern:
            self.fail(f"'{field}.pattern' must be a string such as \"docs/@lang/@path\"")
        ignore = entry.get("ignore", [])
        if not isinstance(ignore, list) or not all(isinstance(glob, str) for glob in ignore):
            self.fail(f"'{field}.ignore' must be a list of globs")
        if kind == "dictionary":
            self.warn(f"field '{field}.type' is \"dictionary\", which l10nsync does not support "
                      f"(it tracks pages, not dictionary keys); {field} ('{location}') "
                      "was not used")
            return None

        for key in entry:
            if key not in ("type", "location", "pattern", "ignore"):
                self.unused(f"{field}.{key}", "not a field of a \"universal\" files entry")
        if ignore:
            self.unused(f"{field}.ignore", "l10nsync skips folders by name, see excluded_folders")
        layout = self.layout(pattern, field)
        names = self.page_names(location, field)
        if layout is None or not names:
            return None
        return layout[0], layout[1], names

    def layout(self, pattern: str, field: str) -> tuple[str, bool] | None:
        """``docs/@lang/@path`` as ``docs/{locale}/{path}``, and whether @lang may be absent."""
        lang_tokens = _LANG_TOKEN.findall(pattern)
        path_tokens = _PATH_TOKEN.findall(pattern)
        if not lang_tokens or not path_tokens:
            self.fail(f"'{field}.pattern' {pattern!r} must hold both @lang and @path")

        def unsupported(why: str) -> None:
            self.unused(f"{field}.pattern", f"{pattern!r}: {why}; {field} was skipped")

        if len(lang_tokens) > 1 or len(path_tokens) > 1:
            unsupported("@lang and @path may appear once each")
            return None
        token = lang_tokens[0]
        lang_optional = token == "@lang" or token.endswith("?")
        layout = _PATH_TOKEN.sub("{path}", _LANG_TOKEN.sub(
            "{locale}/" if token.startswith("{") else "{locale}", pattern))
        literal = layout.replace("{locale}", "").replace("{path}", "")
        if _PATTERN_SYNTAX.search(literal):
            unsupported("only plain folders, @lang and @path can be turned into an l10nsync layout")
            return None
        layout = layout.removeprefix("./")
        segments = layout.split("/")
        if segments.count("{locale}") != 1 or segments[-1] != "{path}" or "" in segments:
            unsupported("l10nsync layouts need @lang as a whole folder and @path at the end")
            return None
        return layout, lang_optional

    def page_names(self, location: str, field: str) -> list[str]:
        """File name globs for pages, from the extensions the ``location`` glob matches."""
        names: list[str] = []
        others: list[str] = []
        for glob in _expand_alternatives(location):
            name = glob.rsplit("/", 1)[-1]
            stem, dot, extension = name.rpartition(".")
            if not dot or not stem or any(c in extension for c in "*?[]{}()|"):
                others.append(name)
            elif f".{extension.lower()}" not in PAGE_EXTENSIONS:
                others.append(f".{extension}")
            elif any(c in name for c in "{}()|!"):
                others.append(name)
            elif name not in names:
                names.append(name)
        if others:
            what = ", ".join(dict.fromkeys(others))
            supported = ", ".join(PAGE_EXTENSIONS)
            self.warn(f"field '{field}.location' ({location!r}) matches {what}, which l10nsync "
                      f"does not track as pages (it tracks {supported}); those were not used")
        return names

    def source_at_root(self, layout: str, source_locale: str, index: int) -> bool | None:
        """Whether the source pages have no locale folder, told by the project's folders.

        Lunaria's ``@lang`` was optional, so its config cannot say; the folders next to it can.
        """
        prefix = layout.split("{locale}", 1)[0].rstrip("/")
        content = self.path.parent / prefix if prefix else self.path.parent
        if (content / source_locale).is_dir():
            return False
        if content.is_dir():
            return True
        self.warn(f"could not tell from files[{index}].pattern whether '{source_locale}' pages "
                  f"live in a '{source_locale}' folder or at the root of '{prefix or '.'}' "
                  "(that folder does not exist); source_at_root was not set")
        return None


def _expand_alternatives(glob: str) -> list[str]:
    """Every spelling of a glob with its ``{a,b}`` and ``(a|b)`` alternatives written out."""
    expanded: list[str] = []
    pending = [glob]
    while pending and len(expanded) < _MAX_GLOB_EXPANSIONS:
        current = pending.pop(0)
        match = _GLOB_ALTERNATION.search(current)
        if match is None:
            expanded.append(current)
            continue
        braces, parentheses = match.groups()
        options = braces.split(",") if braces is not None else parentheses.split("|")
        head, tail = current[:match.start()], current[match.end():]
        pending.extend(f"{head}{option}{tail}" for option in options)
    return expanded
