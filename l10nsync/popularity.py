"""Page popularity from a JSON file: which pages readers open most, to work on them first.

The file maps a page's URL or slug to a score, as MDN's ``popularities.json`` does
(``{"/en-US/docs/Web/API/Fetch_API": 0.0123}``). Keys are matched to English pages by slug,
case-insensitively, through the layout (see ``url_key``): the site's origin, the English
locale folder (and MDN's ``/docs`` after it), a trailing ``/``, ``index`` or ``.html`` are
left out, and MDN's characters that are unsafe in paths are spelled as its folders spell them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from l10nsync.config import Config
from l10nsync.errors import ConfigError
from l10nsync.layout import slug_to_folder, url_key
from l10nsync.model import Verdict

_ORIGIN = re.compile(r"^[a-z][a-z0-9+.-]*://[^/]*", re.IGNORECASE)


def read_popularity(path: Path, config: Config) -> dict[str, float]:
    """The scores of a popularity file, by page key (see ``popularity_key``); the highest
    score wins when two keys name one page. A bad file is a ConfigError naming it."""
    try:
        data = json.loads(path.read_bytes())
    except OSError as error:
        raise ConfigError(f"cannot read the popularity file: {error.strerror or error}",
                          path=str(path)) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ConfigError(f"the popularity file is not JSON: {error}", path=str(path)) from None
    if not isinstance(data, dict):
        raise ConfigError('the popularity file must be a JSON object such as '
                          '{"/en-US/docs/Web/API": 0.01}', path=str(path))
    scores: dict[str, float] = {}
    for url, value in data.items():
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not math.isfinite(value) or value < 0):
            raise ConfigError(f"the score of {url!r} must be a number 0 or above, "
                              f"not {json.dumps(value)[:40]}", path=str(path))
        key = popularity_key(url, config)
        if key is not None:
            scores[key] = max(float(value), scores.get(key, 0.0))
    return scores


def popularity_key(url: str, config: Config) -> str | None:
    """The key a popularity file's URL or slug names a page by, as ``url_key`` keys English
    pages; None for an empty one."""
    text = _ORIGIN.sub("", url.strip()).split("#", 1)[0].split("?", 1)[0].strip("/")
    parts = [part for part in text.split("/") if part]
    language = config.folder_of(config.source_locale).lower()
    if parts and parts[0].lower() == language:
        parts = parts[1:]
        if parts and parts[0].lower() == "docs":  # MDN: /en-US/docs/<slug>
            parts = parts[1:]
    if parts and parts[-1].lower() in ("index", "index.html", "_index"):
        parts = parts[:-1]
    if parts:
        parts[-1] = parts[-1].removesuffix(".html")
    key = slug_to_folder("/".join(parts))
    return key or None


def popularity_of_pages(
    config: Config, pages: Iterable[Verdict], scores: Mapping[str, float]
) -> dict[str, float | None]:
    """Each page's score, by its English page (None when the file does not list it)."""
    found: dict[str, float | None] = {}
    keys: dict[str, str | None] = {}
    for page in pages:
        source = page.source_path
        if source is not None and source not in keys:
            keys[source] = url_key(config, source)
        key = keys.get(source) if source is not None else None
        found[page.path] = scores.get(key) if key is not None else None
    return found
