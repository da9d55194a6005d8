"""A Lunaria config read as l10nsync settings, so a Lunaria project can switch.

Two formats are read. Lunaria 0.1 and earlier (``@lunariajs/core`` 0.0.x to 0.1) kept a JSON
``lunaria.config.json``; Lunaria 0.2 and later keep a JavaScript or TypeScript
``lunaria.config.ts`` whose plain literals are read without running it (see jsliteral.py): any
field that is not a plain literal is named in a warning, never silently dropped. 0.2 renamed
``defaultLocale`` to ``sourceLocale``, ``files[].location`` to ``files[].include`` (a list, with
``exclude``), and moved ``ignoreKeywords`` and ``localizableProperty`` under ``tracking``; its
``files[].pattern`` may also be ``{source, locales}``: a pattern for each side.

What the 0.1 format meant, as Lunaria's own code applied it:

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
- Every commit to a translation counts, a whitespace-only one too ("review touches"): settings
  read from a Lunaria config say ``review_touches = "sync"``.

Layouts and globs come back from the repository root: ``rootDir`` when the config names it, else
the config's own folder, is put in front of them.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any, NoReturn

from l10nsync.errors import ConfigError
from l10nsync.jsliteral import SPREAD, Unreadable, read_exported_object

LUNARIA_CONFIG = "lunaria.config.json"
# Every name a Lunaria config may have, in the order they are looked for in one folder.
LUNARIA_CONFIGS = (LUNARIA_CONFIG, "lunaria.config.ts", "lunaria.config.mts",
                   "lunaria.config.js", "lunaria.config.mjs")
DEFAULT_IGNORE_KEYWORDS = ("lunaria-ignore", "fix typo")  # Lunaria's defaults
PAGE_EXTENSIONS = (".md", ".mdx", ".markdoc", ".html")

# Top-level fields that only shaped Lunaria's own dashboard or its working files.
_UNUSED_FIELDS = {
    "dashboard": "l10nsync builds its own dashboard",
    "outDir": "it is where Lunaria wrote its dashboard",
    "cloneDir": "it is where Lunaria cloned the history of shallow checkouts",
    "cacheDir": "it is where Lunaria kept its cache",
    "renderer": "it customised Lunaria's dashboard",
    "integrations": "l10nsync runs no Lunaria integrations",
}
_UNUSED_REPOSITORY_FIELDS = {
    "branch": "l10nsync reads the checkout it runs in",
}
# repository.hosting -> the host that repository.name ("owner/repo") lives on.
_HOSTS = {"github": "https://github.com", "gitlab": "https://gitlab.com"}
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


def read_lunaria_config(
    path: Path, repository: Path | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Settings in l10nsync's config-file vocabulary, and one warning per unsupported field.

    ``repository`` is the root of the git repository holding the config; by default the
    config's folder less its ``rootDir`` (a Lunaria config sits in its project's root).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read Lunaria config: {error}", path=str(path)) from None
    data: Any
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ConfigError(f"not valid JSON: {error}", path=str(path)) from None
        if not isinstance(data, dict):
            raise ConfigError("the Lunaria config must be a JSON object", path=str(path))
    else:
        data = read_exported_object(text, str(path))
    return _Translation(path, repository).settings(data)


class _Translation:
    """One reading of a Lunaria config: fails on wrong values, collects unsupported fields."""

    def __init__(self, path: Path, repository: Path | None) -> None:
        self.path = path
        self.repository = repository
        self.warnings: list[str] = []
        self.dictionaries: list[dict[str, str]] = []
        self.optional_keys: dict[str, list[str]] = {}

    def fail(self, message: str) -> NoReturn:
        raise ConfigError(message, path=str(self.path))

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.path.name}: {message}")

    def unused(self, field: str, reason: str = "") -> None:
        because = f" ({reason})" if reason else ""
        self.warn(f"field '{field}' is not supported by l10nsync and was not used{because}")

    def readable(self, value: Any, field: str) -> Any:
        """``value``, or None (with a warning) when it is no plain literal; lists and objects
        lose their unreadable items, each named."""
        if isinstance(value, Unreadable):
            self.warn(f"field '{field}' could not be read (it is not a plain literal: "
                      f"{value.text}) and was not used")
            return None
        if isinstance(value, list):
            kept = []
            for index, item in enumerate(value):
                item = self.readable(item, f"{field}[{index}]")
                if item is not None:
                    kept.append(item)
            return kept
        if isinstance(value, dict):
            for spread in value.get(SPREAD, []):
                self.warn(f"field '{field}' holds '{spread.text}', which could not be read "
                          "(it is not a plain literal) and was not used")
            kept_fields = {}
            for key, item in value.items():
                if key == SPREAD:
                    continue
                item = self.readable(item, key if field == "(config)" else f"{field}.{key}")
                if item is not None or not isinstance(value[key], Unreadable):
                    kept_fields[key] = item
            return kept_fields
        return value

    def settings(self, raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        data = self.readable(raw, "(config)")
        assert isinstance(data, dict)
        known = {"$schema", "repository", "defaultLocale", "sourceLocale", "locales", "files",
                 "ignoreKeywords", "localizableProperty", "tracking"}
        for field in data:
            if field in _UNUSED_FIELDS:
                self.unused(field, _UNUSED_FIELDS[field])
            elif field not in known:
                self.unused(field, "not a known Lunaria field")

        root = self.root_dir(data.get("repository"))
        if self.repository is None:
            self.repository = self.path.parent
            for _part in (root.split("/") if root else []):
                self.repository = self.repository.parent
        if not root:
            try:
                root = self.path.parent.resolve().relative_to(
                    self.repository.resolve()).as_posix()
            except ValueError:
                root = ""
            root = "" if root == "." else root
        self.root = root
        source_field = "sourceLocale" if "sourceLocale" in data else "defaultLocale"
        labels: dict[str, str] = {}
        source_locale = self.source_locale(data.get(source_field), source_field, labels)
        locales = self.locales(data.get("locales"), source_locale, labels, "locales" in raw)

        settings: dict[str, Any] = {"source_locale": source_locale}
        url = self.repository_url(data.get("repository"))
        if url is not None:
            settings["repository_url"] = url
        if locales is not None:
            settings["locales"] = locales
        if labels:
            settings["locale_labels"] = labels
        settings.update(self.files(data.get("files"), source_locale))
        tracking = self.tracking(data)
        settings["ignore_keywords"] = self.ignore_keywords(tracking.get("ignoreKeywords"),
                                                           tracking["field"])
        settings["ignore_directive"] = "@lunaria-ignore"
        settings["track_directive"] = "@lunaria-track"
        if "localizableProperty" in tracking:
            property_name = tracking["localizableProperty"]
            if not isinstance(property_name, str) or not property_name:
                self.fail(f"'{tracking['prefix']}localizableProperty' must be a front matter "
                          "key (a string)")
            settings["localizable_property"] = property_name
        settings["basis"] = "history"
        settings["review_touches"] = "sync"  # Lunaria counts every commit to a translation
        settings["root_dir"] = root
        return settings, self.warnings

    def tracking(self, data: dict[str, Any]) -> dict[str, Any]:
        """Keyword settings, at the top (0.1) or under ``tracking`` (0.2), by their 0.1 names."""
        if "tracking" not in data:
            found: dict[str, Any] = {key: data[key] for key in
                                     ("ignoreKeywords", "localizableProperty") if key in data}
            return {**found, "field": "ignoreKeywords", "prefix": ""}
        tracking = data["tracking"]
        if not isinstance(tracking, dict):
            self.fail("'tracking' must be an object")
        found = {}
        for key, value in tracking.items():
            if key == "ignoredKeywords":
                found["ignoreKeywords"] = value
            elif key == "localizableProperty":
                found["localizableProperty"] = value
            else:
                self.unused(f"tracking.{key}", "not a known Lunaria tracking field")
        return {**found, "field": "tracking.ignoredKeywords", "prefix": "tracking."}

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
            elif field not in ("rootDir", "name", "hosting"):
                self.unused(f"repository.{field}", "not a known Lunaria field")
        value = repository.get("rootDir", "")
        if not isinstance(value, str):
            self.fail("'repository.rootDir' must be a folder path (a string)")
        parts = [part for part in value.replace("\\", "/").split("/") if part not in ("", ".")]
        if value.startswith("/") or ".." in parts:
            self.fail(f"'repository.rootDir' {value!r} must be a folder inside the repository")
        return "/".join(parts)

    def repository_url(self, repository: Any) -> str | None:
        """The web address ``repository.name`` and ``repository.hosting`` name, for links."""
        if not isinstance(repository, dict) or not isinstance(repository.get("name"), str):
            return None
        hosting = repository.get("hosting", "github")
        host = _HOSTS.get(hosting) if isinstance(hosting, str) else None
        if host is None:
            self.unused("repository.hosting", f"{hosting!r}: links are made for github or "
                        "gitlab only")
            return None
        return f"{host}/{repository['name'].strip('/')}"

    def source_locale(self, locale: Any, field: str, labels: dict[str, str]) -> str:
        if locale is None:
            self.fail(f"'{field}' is missing or could not be read (the locale of the source "
                      "pages)")
        return self.lang(locale, field, labels)

    def locales(
        self, locales: Any, source_locale: str, labels: dict[str, str], written: bool
    ) -> list[str] | None:
        """The translation locale codes; None when the field is there but not a literal."""
        if locales is None and written:
            return None  # named by readable(); locale folders will be found on disk
        if locales is None:
            self.fail("'locales' is missing (the translation locales)")
        if not isinstance(locales, list) or not locales:
            self.fail("'locales' must be a non-empty list of {\"label\", \"lang\"} objects")
        codes: list[str] = []
        for index, locale in enumerate(locales):
            code = self.lang(locale, f"locales[{index}]", labels)
            if code == source_locale or code in codes:
                self.fail(f"'locales[{index}].lang' {code!r} is listed twice; "
                          "every locale needs its own lang")
            codes.append(code)
        return codes

    def lang(self, locale: Any, field: str, labels: dict[str, str]) -> str:
        """The ``lang`` code of one locale object, which is also its folder name; its label
        goes into ``labels``."""
        if not isinstance(locale, dict):
            self.fail(f"'{field}' must be a {{\"label\", \"lang\"}} object")
        code = locale.get("lang")
        if not isinstance(code, str):
            self.fail(f"'{field}.lang' must be a string (a locale code such as \"fr\")")
        if not code.strip() or "/" in code or code in (".", ".."):
            self.fail(f"'{field}.lang' {code!r} cannot be a folder name")
        for key, value in locale.items():
            if key == "label":
                if not isinstance(value, str):
                    self.fail(f"'{field}.label' must be a string")
                labels[code] = value
            elif key != "lang":
                self.unused(f"{field}.{key}", "not a field of a Lunaria locale")
        return code

    def ignore_keywords(self, keywords: Any, field: str) -> list[str]:
        if keywords is None:
            return list(DEFAULT_IGNORE_KEYWORDS)
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            self.fail(f"'{field}' must be a list of strings")
        return list(keywords)

    # --- files -----------------------------------------------------------------------------------

    def from_root(self, path: str) -> str:
        """A path or glob written from the Lunaria project as one from the repository root."""
        path = path.removeprefix("./")
        return f"{self.root}/{path}" if self.root else path

    def files(self, files: Any, source_locale: str) -> dict[str, Any]:
        """``layout``, ``page_names``, ``include``/``exclude`` and, when the folders tell,
        ``source_at_root``."""
        if files is None:
            self.fail("'files' is missing or could not be read (the tracked content)")
        if not isinstance(files, list) or not files:
            self.fail("'files' must be a non-empty list of objects")
        layouts: list[Any] = []
        page_names: list[str] = []
        include: list[str] = []
        exclude: list[str] = []
        at_root: dict[int, bool | None] = {}
        for index, entry in enumerate(files):
            used = self.file_entry(entry, index, source_locale)
            if used is None:
                continue
            layout, root_locale, names, globs, excluded = used
            if layout not in layouts:
                layouts.append(layout)
            page_names.extend(name for name in names if name not in page_names)
            include.extend(glob for glob in globs if glob not in include)
            exclude.extend(glob for glob in excluded if glob not in exclude)
            if root_locale is not None:
                at_root[index] = root_locale
        if not layouts:
            extensions = ", ".join(PAGE_EXTENSIONS)
            self.fail(f"'files' has no \"universal\" entry with pages l10nsync tracks "
                      f"({extensions})")

        result: dict[str, Any] = {"layout": layouts}
        if self.dictionaries:
            result["dictionaries"] = self.dictionaries
        if self.optional_keys:
            result["optional_keys"] = self.optional_keys
        decided = {value for value in at_root.values() if value is not None}
        if len(decided) == 1 and None not in at_root.values():
            result["source_at_root"] = decided.pop()
        elif len(decided) > 1:
            where = ", ".join(f"files[{i}]" for i, value in at_root.items() if value)
            self.warn(f"'{source_locale}' pages sit at the root of the content folder for {where} "
                      "but in a locale folder for other entries; source_at_root was not set")
        result["page_names"] = page_names
        if include:
            result["include"] = include
        if exclude:
            result["exclude"] = exclude
        return result

    def file_entry(
        self, entry: Any, index: int, source_locale: str
    ) -> tuple[Any, bool | None, list[str], list[str], list[str]] | None:
        """One ``files`` entry as (layout, whether English sits at the root of the content
        folder (None: no say), page names, include globs, exclude globs), or None."""
        field = f"files[{index}]"
        if not isinstance(entry, dict):
            self.fail(f"'{field}' must be an object with include (or location), pattern and type")
        kind = entry.get("type", "universal")
        if kind not in _FILE_TYPES:
            self.fail(f"'{field}.type' must be \"universal\" or \"dictionary\", not {kind!r}")
        globs_field = "include" if "include" in entry else "location"
        include = entry.get(globs_field)
        if globs_field == "location":
            if not isinstance(include, str) or not include:
                self.fail(f"'{field}.location' must be a glob (a string)")
            include = [include]
        elif not isinstance(include, list) or not include or not all(
            isinstance(glob, str) and glob for glob in include
        ):
            self.fail(f"'{field}.include' must be a non-empty list of globs")
        exclude_field = "exclude" if "exclude" in entry else "ignore"
        exclude = entry.get(exclude_field, [])
        if not isinstance(exclude, list) or not all(isinstance(glob, str) for glob in exclude):
            self.fail(f"'{field}.{exclude_field}' must be a list of globs")
        pattern = entry.get("pattern")
        if kind == "dictionary":
            self.dictionary_entry(entry, field, pattern, source_locale)
            return None

        for key in entry:
            if key not in ("type", "location", "include", "pattern", "ignore", "exclude"):
                self.unused(f"{field}.{key}", "not a field of a \"universal\" files entry")
        names = [name for glob in include
                 for name in self.page_names(glob, f"{field}.{globs_field}")]
        if isinstance(pattern, dict):
            layout = self.two_patterns(pattern, field, source_locale)
        elif isinstance(pattern, str) and pattern:
            layout = self.layout(pattern, field)
        else:
            self.fail(f"'{field}.pattern' must be a string such as \"docs/@lang/@path\" or "
                      "{source, locales}")
        if layout is None or not names:
            return None
        text, lang_optional = layout
        root_locale: bool | None = False
        if isinstance(text, str) and lang_optional:
            root_locale = self.source_at_root(text, source_locale, index)
        elif not isinstance(text, str):
            root_locale = None  # a pattern of its own says where English is
        return (text, root_locale, list(dict.fromkeys(names)),
                [self.from_root(glob) for glob in include],
                [self.from_root(glob) for glob in exclude])

    def dictionary_entry(self, entry: dict[str, Any], field: str, pattern: Any,
                         source_locale: str) -> None:
        """A ``"dictionary"`` entry as an l10nsync dictionary and its optional keys."""
        for key in entry:
            if key not in ("type", "location", "include", "pattern", "ignore", "exclude",
                           "optionalKeys"):
                self.unused(f"{field}.{key}", "not a field of a \"dictionary\" files entry")
        if isinstance(pattern, dict):
            source, locales = pattern.get("source"), pattern.get("locales")
        else:
            source = locales = pattern
        if not isinstance(source, str) or not isinstance(locales, str) or len(
            _LANG_TOKEN.findall(locales)
        ) != 1:
            self.unused(f"{field}.pattern", "l10nsync needs one @lang in a dictionary "
                        f"pattern; {field} was skipped")
            return
        translation = self.from_root(_LANG_TOKEN.sub("{locale}", locales).removeprefix("./"))
        english = self.from_root(_LANG_TOKEN.sub(source_locale, source).removeprefix("./"))
        pairs = [(english, translation)]
        if _PATH_TOKEN.search(translation):
            globs = entry.get("include", entry.get("location"))
            pairs = self.dictionary_files(english, translation,
                                          globs if isinstance(globs, list) else [globs])
            if not pairs:
                self.warn(f"'{field}' (a dictionary) matches no English file on disk; "
                          "it was not used")
        for english_file, translated in pairs:
            if _PATTERN_SYNTAX.search(translated.replace("{locale}", "")):
                self.unused(f"{field}.pattern", f"{locales!r} is not a plain file pattern; "
                            f"{field} was skipped")
                return
            self.dictionaries.append({"source": english_file, "translation": translated})
        optional = entry.get("optionalKeys")
        if isinstance(optional, list) and all(isinstance(key, str) for key in optional):
            self.optional_keys.setdefault("*", []).extend(optional)
        elif isinstance(optional, dict) and all(
            isinstance(keys, list) and all(isinstance(key, str) for key in keys)
            for keys in optional.values()
        ):
            for name, keys in optional.items():
                # Keyed by locale, or (Lunaria 0.1) by the dictionary's file: every locale.
                locale = "*" if "/" in str(name) or "." in str(name) else str(name)
                self.optional_keys.setdefault(locale, []).extend(keys)
        elif optional is not None:
            self.unused(f"{field}.optionalKeys", "not a list of keys or an object of them")

    def dictionary_files(self, english: str, translation: str,
                         globs: list[Any]) -> list[tuple[str, str]]:
        """The English dictionary files an ``@path`` pattern covers (those the entry's globs
        match on disk), each with its translation pattern."""
        from l10nsync.globs import PathGlobs

        english_folder = posixpath.dirname(_PATH_TOKEN.split(english)[0] + "x")
        wanted = PathGlobs([self.from_root(glob) for glob in globs if isinstance(glob, str)])
        repository = self.repository or self.path.parent
        found: list[tuple[str, str]] = []
        base = repository / english_folder
        for file in sorted(base.rglob("*")) if base.is_dir() else []:
            relative = file.relative_to(repository).as_posix()
            if file.is_file() and wanted.matches(relative):
                inner = file.relative_to(base).as_posix()
                found.append((relative, _PATH_TOKEN.sub(inner.replace('\\', '\\\\'), translation)))
        return found

    def two_patterns(
        self, pattern: dict[str, Any], field: str, source_locale: str
    ) -> tuple[Any, bool] | None:
        """``{source: "docs/@path", locales: "i18n/@lang/@path"}`` as a layout: a plain one
        when the English folder is where the locale folder style puts it, else a table."""
        for key in pattern:
            if key not in ("source", "locales"):
                self.unused(f"{field}.pattern.{key}", "not a field of a Lunaria pattern")
        source, locales = pattern.get("source"), pattern.get("locales")
        if not isinstance(source, str) or not isinstance(locales, str):
            self.fail(f"'{field}.pattern' must have 'source' and 'locales' strings")
        if _LANG_TOKEN.search(source) or len(_PATH_TOKEN.findall(source)) != 1:
            self.unused(f"{field}.pattern.source", f"{source!r}: l10nsync needs one @path and "
                        f"no @lang in a source pattern; {field} was skipped")
            return None
        english = _PATH_TOKEN.sub("{path}", source).removeprefix("./")
        if not english.endswith("{path}") or _PATTERN_SYNTAX.search(english[:-6]) or (
            english != "{path}" and not english.endswith("/{path}")
        ):
            self.unused(f"{field}.pattern.source", f"{source!r}: l10nsync needs a plain folder "
                        f"before @path; {field} was skipped")
            return None
        translated = self.layout(locales, f"{field}.pattern.locales")
        if translated is None:
            return None
        layout = self.from_root(translated[0])
        english_folder = posixpath.dirname(self.from_root(english))
        base, _, inner = layout.partition("{locale}")
        base, inner = base.rstrip("/"), inner.strip("/").removesuffix("{path}").rstrip("/")
        if not inner and english_folder == base:
            return layout, True  # English at the root of the locale folders
        if not inner and english_folder == posixpath.join(base, source_locale):
            return layout, False
        return {"source": f"{english_folder}/{{path}}" if english_folder else "{path}",
                "translation": layout}, False

    def layout(self, pattern: str, field: str) -> tuple[str, bool] | None:
        """``docs/@lang/@path`` as ``docs/{locale}/{path}`` from the repository root, and
        whether @lang may be absent."""
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
        return self.from_root(layout), lang_optional

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
            self.warn(f"field '{field}' ({location!r}) matches {what}, which l10nsync "
                      f"does not track as pages (it tracks {supported}); those were not used")
        return names

    def source_at_root(self, layout: str, source_locale: str, index: int) -> bool | None:
        """Whether the source pages have no locale folder, told by the project's folders.

        Lunaria's ``@lang`` was optional, so its config cannot say; the folders next to it can.
        """
        prefix = layout.split("{locale}", 1)[0].rstrip("/")
        assert self.repository is not None
        content = self.repository / prefix if prefix else self.repository
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
