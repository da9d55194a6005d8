#!/usr/bin/env python3
"""Generate a deterministic Starlight-like docs repository for benchmarking git-history mode.

OUTDIR/site is one repository: English pages at ``src/content/docs/{path}`` (English is
the root locale, it has no folder) and ten translation locales at
``src/content/docs/{locale}/{path}``. Translations carry no source-commit marker: their
sync point is the last substantive commit that changed them, so the history has to hold
every case that makes that inference hard: English renames that the translations do not
follow (some translators move their file later), deletions, whitespace-only mass commits,
commits ignored by a subject keyword or by an ``@lunaria-ignore`` / ``@lunaria-track``
body directive, and translation branches merged after English changes they never saw.

The repository is written by streaming one ``git fast-import`` input through a pipe with
a fixed identity and fixed dates, so the same seed and scale give the same commit SHAs.
"""

from __future__ import annotations

import heapq
import json
import math
import re
import subprocess
import sys
import textwrap
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

# The fast-import writer (the same fixed identity as the MDN generator), file commands, script
# alphabets, text pools and command line are shared; running this file as a script puts its
# folder on sys.path.
from benchlib import (
    SCRIPTS,
    FastImport,
    ProseText,
    checkout,
    delete,
    generator_arguments,
    git_count,
    init_repo,
    locale_pools,
    modify,
    prepare_outdir,
    rename,
    scaled_sizes,
    words,
    write_summary,
    yaml_str,
)

DOCS = "src/content/docs"
EPOCH_START = 1682928000  # 2023-05-01T08:00:00Z, about when Starlight sites began
# Sizes at --scale 1.0. "renames" and "deletions" count files, the rest commits or pages.
FULL_SIZES: dict[str, int] = {
    "commits": 12_000,
    "initial_pages": 2_150,
    "added_pages": 500,
    "renames": 300,
    "deletions": 150,
    "english_branches": 150,
    "translation_branches": 120,
    "typo_commits": 60,
    "ignored_commits": 25,
    "ignore_directives": 12,
    "track_directives": 12,
    "cross_locale_commits": 24,
    "translation_typo_commits": 40,
}
# Translation locales in config order, with the share of English pages each ends up with.
LOCALES: tuple[tuple[str, float], ...] = (
    ("de", 0.90),
    ("es", 0.85),
    ("fr", 0.80),
    ("ja", 0.75),
    ("ko", 0.65),
    ("pt-br", 0.55),
    ("ru", 0.50),
    ("zh-cn", 0.45),
    ("zh-tw", 0.38),
    ("it", 0.30),
)
LOCALE_SCRIPTS: dict[str, tuple[str, str]] = {
    **SCRIPTS,
    "de": ("abcdefghiklmnoprstuvwzäöüß", " "),
    "it": ("abcdefghilmnopqrstuvzàèéìòù", " "),
}
CONFIG_TOML = """\
layout = "src/content/docs/{locale}/{path}"
source_at_root = true
source_locale = "en"
locales = ["de", "es", "fr", "ja", "ko", "pt-br", "ru", "zh-cn", "zh-tw", "it"]
page_names = ["*.md", "*.mdx", "*.markdoc"]
basis = "history"
ignore_keywords = ["lunaria-ignore", "fix typo"]
ignore_directive = "@lunaria-ignore"
track_directive = "@lunaria-track"
localizable_property = "i18nReady"
"""
PACKAGE_JSON = """\
{
  "name": "docs",
  "private": true,
  "type": "module",
  "scripts": { "dev": "astro dev", "build": "astro build" },
  "dependencies": { "@astrojs/starlight": "^0.30.0", "astro": "^5.0.0" }
}
"""
LOCALE_ENTRIES = "".join(f"        '{loc}': {{ label: '{loc}' }},\n" for loc, _ in LOCALES)
ASTRO_CONFIG = f"""\
import {{ defineConfig }} from 'astro/config';
import starlight from '@astrojs/starlight';

export default defineConfig({{
  integrations: [
    starlight({{
      title: 'Docs',
      defaultLocale: 'root',
      locales: {{
        root: {{ label: 'English', lang: 'en' }},
{LOCALE_ENTRIES}      }},
    }}),
  ],
}});
"""
CONTENT_CONFIG = """\
import { defineCollection } from 'astro:content';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),
};
"""


@dataclass(frozen=True)
class WhitespacePass:
    """A whitespace-only English commit over every page that needs it."""

    at: float  # position in history, as a share of all commits
    kind: str  # "trailing", "eof" or "reflow"
    message: str
    sections: tuple[str, ...] = ()  # reflow only: the top-level folders it rewraps


WHITESPACE_PASSES = (
    WhitespacePass(0.14, "trailing", "chore: remove trailing whitespace from docs"),
    WhitespacePass(0.37, "reflow", "docs: reflow paragraphs in guides and recipes",
                   ("guides", "recipes")),
    WhitespacePass(0.61, "eof", "chore: end every page with a single newline"),
    WhitespacePass(0.83, "reflow", "docs: reflow paragraphs in the reference",
                   ("reference", "components", "concepts")),
)
# Share of pages created before a pass that carry what it cleans up.
SLOPPY_SHARE = {"trailing": 0.4, "eof": 0.3}
# Locales whose translators left trailing spaces until one clean-up commit, and when.
TRANSLATION_PASSES: tuple[tuple[float, str], ...] = ((0.5, "de"), (0.7, "ko"))
REFLOW_WIDTH = 80
TRANSLATION_SHARE = 0.45  # of the ordinary main-line commits
TRANSLATION_RAMP = 0.85  # share of history by which each locale reaches its coverage
NOT_READY_SHARE = (0.015, 0.10)  # i18nReady: false, in the initial import / pages added later
FOLLOW_RENAME_SHARE = 0.3  # translations a translator moves after an English rename
DROP_ORPHAN_SHARE = 0.4  # translations removed after their English page was deleted
FOLLOWUP_DELAY = (20, 600)  # main-line commits before a translator follows up
FOLLOWUP_GROUP = 150  # follow-ups of one locale due this soon go into the same commit
EN_BRANCH_OPEN = (3, 80)  # main-line commits an English side branch stays open
TR_BRANCH_OPEN = (15, 250)  # the same for a translation branch
BRANCH_TARGET_SHARE = 0.08  # English edits aimed at pages an open translation branch holds

SECTIONS: tuple[tuple[str, float], ...] = (
    ("guides", 0.24),
    ("reference", 0.18),
    ("recipes", 0.12),
    ("components", 0.08),
    ("integrations", 0.08),
    ("tutorials", 0.07),
    ("concepts", 0.06),
    ("deploy", 0.05),
    ("upgrade", 0.04),
    ("community", 0.03),
    ("", 0.05),  # pages at the docs root, beside the locale folders
)
SUBFOLDERS = words(
    "basics advanced authoring styling routing api cli plugins examples setup content "
    "navigation data assets theming testing"
)
TERMS = words(
    "sidebar navigation search theme layout routing collection frontmatter island asset "
    "image font icon card tab aside badge highlight markdown plugin adapter config "
    "middleware endpoint loader schema translation fallback redirect build preview server "
    "client script style tailwind variable color dark-mode accessibility seo sitemap head "
    "meta social link button steps file-tree table pagination banner hero splash override "
    "slot environment cache performance versioning analytics feedback comment header footer "
    "toc anchor heading excerpt draft prerender hydration directive"
)
PROSE_WORDS = words(
    "the a an your this that these each every page site project component option value "
    "config file folder content collection sidebar link heading title description route "
    "locale language translation default custom built-in theme style layout slot prop "
    "property setting plugin integration build server browser user reader visitor search "
    "index entry frontmatter schema field type string number boolean list array object "
    "when if then so because while before after during with without from into onto for "
    "to of in on by as and or but not only also still always never often can may must "
    "should will would add adds set sets use uses show shows render renders create "
    "creates update updates change changes support supports enable enables include "
    "includes replace replaces return returns define defines read reads load loads "
    "generate generates display displays configure configures override overrides "
    "automatically manually globally locally first next last new existing current "
    "separate whole single several many few other same different simple complex"
)
HEADINGS = (
    "Overview", "Prerequisites", "Installation", "Usage", "Configuration", "Options",
    "Examples", "How it works", "Customizing the output", "Troubleshooting", "Next steps",
    "Type", "Default", "Related", "Limitations", "Migration",
)
CONFIG_OPTIONS = words(
    "title description logo social sidebar editLink lastUpdated pagination favicon head "
    "customCss components defaultLocale locales tableOfContents expressiveCode pagefind "
    "credits disable404Route titleDelimiter routeMiddleware"
)
COMPONENTS = ("Aside", "Tabs", "Card", "Steps", "Badge")
ASIDE_TYPES = ("note", "tip", "caution", "danger")
BRANCH_USERS = words("alex sam noor kim li maria yuki oleg ana jonas priya tomas")


def is_prose(line: str) -> bool:
    """A line of running text (not code, markup, a heading or a list item)."""
    return bool(line) and (line[0].isalnum() or line[0] in "`[*_") and not line.startswith(
        ("import ", "export ")
    )


def classify(lines: list[str]) -> list[str]:
    """Kind of each line: front, fence, code, prose, heading, item, blank or markup."""
    kinds: list[str] = []
    front = bool(lines) and lines[0] == "---"
    in_code = False
    for i, line in enumerate(lines):
        if front:
            kinds.append("front")
            front = not (line == "---" and i > 0)
        elif line.startswith("```"):
            kinds.append("fence")
            in_code = not in_code
        elif in_code:
            kinds.append("code")
        elif not line.strip():
            kinds.append("blank")
        elif line.startswith("#"):
            kinds.append("heading")
        elif line.startswith("- "):
            kinds.append("item")
        elif is_prose(line):
            kinds.append("prose")
        else:
            kinds.append("markup")
    return kinds


def reflow(text: str, width: int = REFLOW_WIDTH) -> str:
    """Hard-wrap long paragraphs: only spaces become line breaks (and trailing spaces go)."""
    lines = text.split("\n")
    out: list[str] = []
    for line, kind in zip(lines, classify(lines), strict=True):
        if kind == "prose" and len(line) > width:
            out += textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False)
        else:
            out.append(line)
    return "\n".join(out)


WHITESPACE_FIXES: dict[str, Callable[[str], str]] = {
    "trailing": lambda text: re.sub(r"[ \t]+$", "", text, flags=re.M),
    "eof": lambda text: text.rstrip("\n") + "\n",
}


def stem(path: str) -> str:
    """A page path without its extension (what its URL is built from)."""
    return path.rsplit(".", 1)[0]


def folder(path: str) -> str:
    """The folder of a page path, '' at the docs root."""
    return path.rpartition("/")[0]


def title_of(path: str) -> str:
    """A page title derived from its file name."""
    name = stem(path).rsplit("/", 1)[-1].replace("-", " ")
    return name[:1].upper() + name[1:]


def with_title(text: str, title: str) -> str:
    """The page text with its front-matter title replaced."""
    return re.sub(r"^title: .*$", lambda _: f"title: {yaml_str(title)}", text, count=1,
                  flags=re.M)


# ---------------------------------------------------------------------------
# Page texts
# ---------------------------------------------------------------------------


class EnglishText(ProseText):
    """Builds and edits English Starlight pages (.md, .mdx, .markdoc)."""

    def __init__(self, rng: Random) -> None:
        """Pre-build a sentence pool so page generation stays cheap."""
        super().__init__(rng, 3000)

    def _sentence(self) -> str:
        """One plausible documentation sentence."""
        rng = self.rng
        text = " ".join(rng.choice(PROSE_WORDS) for _ in range(rng.randint(7, 20)))
        if rng.random() < 0.25:
            text += f" using the `{self.option()}` option"
        return text[0].upper() + text[1:] + rng.choice((".", ".", ".", ":"))

    def option(self) -> str:
        """A camelCase configuration option name."""
        rng = self.rng
        if rng.random() < 0.6:
            return rng.choice(CONFIG_OPTIONS)
        first, second = rng.choice(TERMS), rng.choice(TERMS)
        return first.replace("-", "") + second.replace("-", "").capitalize()

    def link(self, target: str) -> str:
        """A link to the English page at ``target`` (a path under the docs folder)."""
        return f"[{title_of(target)}](/{stem(target)}/)"

    def code_line(self, indent: str) -> str:
        """One option line of a configuration example."""
        rng = self.rng
        value = rng.choice(("true", "false", f"'{rng.choice(TERMS)}'", str(rng.randint(1, 9))))
        return f"{indent}{self.option()}: {value},"

    def code_block(self) -> list[str]:
        """A fenced example: astro.config.mjs, a shell command or custom CSS."""
        rng = self.rng
        r = rng.random()
        if r < 0.5:
            options = [self.code_line("      ") for _ in range(rng.randint(1, 4))]
            return [
                '```js title="astro.config.mjs"',
                "import { defineConfig } from 'astro/config';",
                "import starlight from '@astrojs/starlight';",
                "",
                "export default defineConfig({",
                "  integrations: [",
                "    starlight({",
                "      title: 'My Docs',",
                *options,
                "    }),",
                "  ],",
                "});",
                "```",
            ]
        if r < 0.75:
            return ["```sh", f"npm install @astrojs/{rng.choice(TERMS)}", "```"]
        props = [
            f"  --sl-color-{rng.choice(TERMS)}: hsl({rng.randint(0, 359)}, 80%, 60%);"
            for _ in range(rng.randint(1, 3))
        ]
        return ['```css title="src/styles/custom.css"', ":root {", *props, "}", "```"]

    def callout(self, ext: str, component: str) -> list[str]:
        """An aside, tabs, card or steps block in the syntax of the page's format."""
        rng = self.rng
        sentence = rng.choice(self.sentences)
        if ext == ".markdoc":
            kind = rng.choice(ASIDE_TYPES)
            return [f'{{% aside type="{kind}" %}}', sentence, "{% /aside %}"]
        if ext == ".md":
            return [f":::{rng.choice(ASIDE_TYPES)}", sentence, ":::"]
        if component == "Tabs":
            return [
                "<Tabs>",
                '  <TabItem label="npm">',
                "",
                "```sh",
                "npm run build",
                "```",
                "",
                "  </TabItem>",
                '  <TabItem label="pnpm">',
                "",
                "```sh",
                "pnpm build",
                "```",
                "",
                "  </TabItem>",
                "</Tabs>",
            ]
        if component == "Card":
            return [f'<Card title="{title_of(rng.choice(TERMS))}" icon="star">', sentence,
                    "</Card>"]
        if component == "Steps":
            steps = [f"{n}. {rng.choice(self.sentences)}" for n in range(1, rng.randint(3, 5))]
            return ["<Steps>", "", *steps, "", "</Steps>"]
        if component == "Badge":
            return [f'{sentence} <Badge text="New" variant="tip" />']
        return [f'<Aside type="{rng.choice(ASIDE_TYPES)}">', sentence, "</Aside>"]

    def page(self, title: str, ext: str, ready: bool, sloppy: set[str], links: list[str]) -> str:
        """Full text of a new page; ``sloppy`` names the whitespace habits it carries."""
        rng = self.rng
        front = ["---", f"title: {yaml_str(title)}"]
        if rng.random() < 0.7:
            front.append(f"description: {yaml_str(rng.choice(self.sentences))}")
        if not ready:
            front.append("i18nReady: false")
        if rng.random() < 0.3:
            front += ["sidebar:", f"  order: {rng.randint(1, 20)}"]
        front.append("---")
        used = sorted(rng.sample(COMPONENTS, rng.randint(1, 3))) if ext == ".mdx" else []
        body = [""]
        if used:
            names = [*used, "TabItem"] if "Tabs" in used else used
            body += [f"import {{ {', '.join(sorted(names))} }} "
                     "from '@astrojs/starlight/components';", ""]
        body.append(self.paragraph(links))
        target = int(900 * 4 ** rng.random())  # 1-4 KB, skewed towards small pages
        blocks = list(used) or ["Aside"]
        for heading in rng.sample(HEADINGS, rng.randint(2, 5)):
            body += ["", f"## {heading}", "", self.paragraph(links)]
            r = rng.random()
            if r < 0.4:
                body += ["", *self.code_block()]
            elif r < 0.6:
                body += ["", *self.callout(ext, rng.choice(blocks))]
            elif r < 0.7:
                body += ["", *(f"- {rng.choice(self.sentences)}" for _ in range(3))]
            if sum(len(x) + 1 for x in body) >= target:
                break
        lines = front + body
        if "trailing" in sloppy:
            lines = [
                line + rng.choice((" ", "  ")) if kind == "prose" and rng.random() < 0.3 else line
                for line, kind in zip(lines, classify(lines), strict=True)
            ]
        text = "\n".join(lines)
        if "eof" in sloppy:
            return text + rng.choice(("", "\n\n"))
        return text + "\n"

    def edit(self, text: str, links: list[str]) -> str:
        """One typical documentation change: a word, a sentence, a paragraph, code or a list."""
        rng = self.rng
        lines = text.split("\n")
        kinds = classify(lines)
        prose = [i for i, k in enumerate(kinds) if k == "prose"]
        code = [i for i, k in enumerate(kinds) if k == "code" and lines[i].startswith("      ")]
        op = rng.choices(
            ("word", "sentence", "paragraph", "drop", "code", "item"),
            (3, 4, 2, 1 if len(prose) > 3 else 0, 2 if code else 0, 1),
        )[0]
        if not prose and op != "code":
            op = "item"
        if op == "word":
            return self.typo_fix(text)
        if op == "sentence":
            i = rng.choice(prose)
            lines[i] = lines[i].rstrip() + " " + rng.choice(self.sentences)
        elif op == "paragraph":
            i = rng.choice(prose)
            lines[i + 1 : i + 1] = ["", self.paragraph(links)]
        elif op == "drop":
            i = rng.choice(prose)
            # Take a following blank line too, so paragraphs stay one blank line apart.
            end = i + 2 if i + 1 < len(lines) and not lines[i + 1] else i + 1
            del lines[i:end]
        elif op == "code":
            i = rng.choice(code)
            lines[i] = self.code_line("      ")
        else:
            at = len(lines) - 1 if lines[-1] == "" else len(lines)
            lines[at:at] = ["", f"- {rng.choice(self.sentences)}"]
        return "\n".join(lines)

    def typo_fix(self, text: str) -> str:
        """Replace one word of running text."""
        rng = self.rng
        lines = text.split("\n")
        prose = [i for i, k in enumerate(classify(lines)) if k == "prose"]
        if not prose:
            return text.rstrip("\n") + f"\n\n{rng.choice(self.sentences)}\n"
        i = rng.choice(prose)
        tokens = lines[i].split(" ")
        spots = [k for k, w in enumerate(tokens) if w.isalpha() and len(w) >= 4]
        if not spots:
            lines[i] = lines[i].rstrip() + " " + rng.choice(self.sentences)
            return "\n".join(lines)
        k = rng.choice(spots)
        new = rng.choice([w for w in PROSE_WORDS if w != tokens[k].lower()])
        tokens[k] = new.capitalize() if tokens[k][0].isupper() else new
        lines[i] = " ".join(tokens)
        return "\n".join(lines)


class LocaleText:
    """Pseudo-translation into one locale's script, a pure function of the English line.

    Re-translating an edited page therefore changes only the lines whose English changed,
    as a translator's update would.
    """

    def __init__(self, locale: str, seed: int, sloppy: bool = False) -> None:
        """Pre-build this locale's word and sentence pools."""
        self.sep = LOCALE_SCRIPTS[locale][1]
        self.words, self.sentences = locale_pools(Random(f"{seed}:{locale}"),
                                                  LOCALE_SCRIPTS[locale])
        self.salt = zlib.crc32(locale.encode())
        self.sloppy = sloppy  # leave trailing spaces on some lines, as these translators did

    def _hashes(self, english: str, n: int) -> Iterator[int]:
        """n pseudo-random numbers fixed by the English text."""
        x = zlib.crc32(english.encode(), self.salt)
        for _ in range(n):
            x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
            yield x >> 33

    def prose(self, english: str) -> str:
        """A line of running text."""
        n = 1 + len(english) // 140
        line = self.sep.join(self.sentences[h % len(self.sentences)]
                             for h in self._hashes(english, n))
        if self.sloppy and zlib.crc32(english.encode()) % 4 == 0:
            line += "  "
        return line

    def phrase(self, english: str) -> str:
        """A heading or title; a fifth of them keep the English name."""
        hashes = list(self._hashes(english, len(english.split()) + 1))
        if hashes[0] % 5 == 0:
            return english
        return self.sep.join(self.words[h % len(self.words)] for h in hashes[1:]).capitalize()

    def page(self, english: str) -> str:
        """A translated page: prose, headings and titles translated, code and markup kept."""
        lines = english.split("\n")
        out: list[str] = []
        for line, kind in zip(lines, classify(lines), strict=True):
            if kind == "front":
                key, _, value = line.partition(": ")
                if key in ("title", "description"):
                    title = self.phrase(value.strip('"'))
                    out.append(f"{key}: {yaml_str(title)}")
                elif key != "i18nReady":
                    out.append(line)
            elif kind == "prose":
                out.append(self.prose(line.rstrip()))
            elif kind == "item":
                out.append("- " + self.prose(line[2:].rstrip()))
            elif kind == "heading":
                hashes, _, rest = line.partition(" ")
                out.append(f"{hashes} {self.phrase(rest)}")
            else:
                out.append(line)
        return "\n".join(out)

    def typo_fix(self, text: str, nonce: int) -> str:
        """Replace one line of running text with another (a translator's small correction)."""
        lines = text.split("\n")
        prose = [i for i, k in enumerate(classify(lines)) if k == "prose"]
        if not prose:
            return text.rstrip("\n") + "\n\n" + self.prose(str(nonce)) + "\n"
        i = prose[nonce % len(prose)]
        lines[i] = self.prose(f"{lines[i]}{nonce}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# History state
# ---------------------------------------------------------------------------


class Bag:
    """A list with constant-time add, remove and random choice, in a deterministic order."""

    def __init__(self) -> None:
        """An empty bag."""
        self.items: list[int] = []
        self.pos: dict[int, int] = {}

    def add(self, item: int) -> None:
        """Add an item that is not in the bag yet."""
        self.pos[item] = len(self.items)
        self.items.append(item)

    def remove(self, item: int) -> None:
        """Remove an item by moving the last one into its place."""
        i = self.pos.pop(item)
        last = self.items.pop()
        if last != item:
            self.items[i] = last
            self.pos[last] = i

    def __len__(self) -> int:
        return len(self.items)


@dataclass
class Source:
    """An English page, followed across its renames."""

    pid: int  # index in DocsHistory.sources
    path: str  # relative to DOCS
    title: str
    text: str
    ready: bool
    version: int = 0  # substantive changes so far (not whitespace, not ignored commits)
    alive: bool = True
    locked: bool = False  # being edited on an open English side branch


@dataclass
class Translated:
    """One locale's translation of a page."""

    source: int  # page id
    text: str
    synced: int  # the English version it was last substantively brought up to


@dataclass
class SideBranch:
    """A branch prepared at its fork point and written when it is merged."""

    base_mark: int
    base_time: int
    merge_at: int  # main-line index at which it is merged
    name: str
    commits: list[tuple[str, dict[str, str]]]  # (message, {repository path: text})
    english: dict[int, str] = field(default_factory=dict)  # page id -> text after the branch
    # (locale, page id, path in the locale folder, text, English version translated)
    translations: list[tuple[str, int, str, str, int]] = field(default_factory=list)


@dataclass
class Stats:
    """What was generated, for the summary."""

    added: int = 0
    renamed: Counter[str] = field(default_factory=Counter)
    rename_commits: int = 0
    deleted: int = 0
    english_edits: int = 0
    translation_commits: int = 0
    translated_new: int = 0
    translated_updates: int = 0
    translator_moves: int = 0
    translator_moves_with_update: int = 0
    translations_dropped: int = 0
    whitespace_pages: list[int] = field(default_factory=list)
    translation_whitespace_pages: dict[str, int] = field(default_factory=dict)
    keyword_subjects: Counter[str] = field(default_factory=Counter)
    directives: Counter[str] = field(default_factory=Counter)
    cross_locale: Counter[str] = field(default_factory=Counter)
    ready_flips: int = 0
    english_branches: int = 0
    translation_branches: int = 0
    branch_commits: int = 0
    merges: int = 0
    branch_translations: int = 0
    branch_translations_outdated_at_merge: int = 0


def en_file(path: str) -> str:
    """Repository path of an English page."""
    return f"{DOCS}/{path}"


def tr_file(locale: str, path: str) -> str:
    """Repository path of a translated page."""
    return f"{DOCS}/{locale}/{path}"


class DocsHistory:
    """Writes the whole history, main line and side branches, in one fast-import stream."""

    def __init__(self, rng: Random, sizes: dict[str, int], fi: FastImport, seed: int) -> None:
        """Empty site; nothing is written until run()."""
        self.rng = rng
        self.sizes = sizes
        self.fi = fi
        self.text = EnglishText(rng)
        self.target = sizes["commits"]
        self.sources: list[Source] = []
        self.live = Bag()  # ids of live English pages, roughly oldest first
        self.used_paths: set[str] = set()  # every English path and stem ever used
        self.locales = [loc for loc, _ in LOCALES]
        self.coverage = dict(LOCALES)
        self.sloppy_locales = {loc for _, loc in TRANSLATION_PASSES}
        self.locale_text = {
            loc: LocaleText(loc, seed, loc in self.sloppy_locales) for loc in self.locales
        }
        self.translations: dict[str, dict[str, Translated]] = {loc: {} for loc in self.locales}
        self.translated: dict[str, dict[int, str]] = {loc: {} for loc in self.locales}
        self.translated_ids: dict[str, Bag] = {loc: Bag() for loc in self.locales}
        self.covered = dict.fromkeys(self.locales, 0)  # translations of live English pages
        self.tr_locked: set[tuple[str, int]] = set()  # held by an open translation branch
        self.branches: list[SideBranch] = []
        self.pending = 0  # commits of open branches, counted against the target already
        self.followups: list[tuple[int, int, str, str, int]] = []  # heap: due, seq, what, ...
        # Whitespace habits no pass has cleaned up yet (a dict: iterated in a fixed order).
        self.sloppy = dict(SLOPPY_SHARE)
        self.main_marks: list[int] = []
        self.clock = EPOCH_START
        self.total = 0
        self.pr = 100
        self.seq = 0
        self.stats = Stats()

    @property
    def idx(self) -> int:
        """Index the next main-line commit will get."""
        return len(self.main_marks)

    # -- helpers -------------------------------------------------------------

    def _commit(
        self, message: str, changes: Iterable[bytes], merge: int | None = None,
        when: int | None = None,
    ) -> int:
        """Write one main-line commit."""
        self.clock = when if when is not None else self.clock + self.rng.randint(300, 5400)
        parents = self.main_marks[-1:] + ([merge] if merge is not None else [])
        mark = self.fi.commit(b"refs/heads/main", self.clock, message, parents, changes)
        self.main_marks.append(mark)
        self.total += 1
        return mark

    def _pick(self, tries: int = 50) -> Source | None:
        """A live page not held by a side branch, favouring old (popular) pages."""
        items = self.live.items
        for _ in range(tries):
            src = self.sources[items[int(len(items) * self.rng.random() ** 1.6)]]
            if not src.locked:
                return src
        return None

    def _links(self) -> list[str]:
        """A few live page paths to link to."""
        items = self.live.items
        return [self.sources[self.rng.choice(items)].path for _ in range(3)] if items else []

    def _new_path(self, where: str | None = None) -> str:
        """A never-used page path in folder ``where`` ('' is the root; None: any section).

        The extension mixes .md, .mdx and a few .markdoc.
        """
        rng = self.rng
        for _ in range(10_000):
            if where is not None:
                parts = [where] if where else []
            else:
                sec = rng.choices([s for s, _ in SECTIONS], [w for _, w in SECTIONS])[0]
                parts = [sec] if sec else []
                if sec and rng.random() < 0.45:
                    parts.append(rng.choice(SUBFOLDERS))
            name = "-".join(rng.sample(TERMS, rng.choices((1, 2, 3), (4, 5, 1))[0]))
            ext = rng.choices((".md", ".mdx", ".markdoc"), (57, 41, 2))[0]
            path = "/".join([*parts, name])
            # English sits at the root: its first folder must never be a locale's name.
            if path not in self.used_paths and path.split("/")[0] not in self.coverage:
                self.used_paths.add(path)
                self.used_paths.add(path + ext)
                return path + ext
        raise RuntimeError("page path space exhausted")

    def _add_page(self, path: str, ready_share: float) -> Source:
        """Create a live page."""
        rng = self.rng
        ready = rng.random() >= ready_share
        sloppy = {name for name, share in self.sloppy.items() if rng.random() < share}
        title = title_of(path)
        text = self.text.page(title, "." + path.rsplit(".", 1)[1], ready, sloppy, self._links())
        pid = len(self.sources)
        self.sources.append(Source(pid, path, title, text, ready))
        self.live.add(pid)
        return self.sources[pid]

    def _next_pr(self) -> int:
        """The next pull-request number for a merge message."""
        self.pr += self.rng.randint(1, 6)
        return self.pr

    # -- the driver ----------------------------------------------------------

    def run(self) -> None:
        """Generate the whole history."""
        rng = self.rng
        self._initial_commit()
        passes = sorted(
            [(int(p.at * self.target), "en", p) for p in WHITESPACE_PASSES]
            + [(int(at * self.target), loc, None) for at, loc in TRANSLATION_PASSES],
            key=lambda x: x[0],
        )
        budget = {
            k: self.sizes[k]
            for k in (
                "renames", "deletions", "added_pages", "typo_commits", "ignored_commits",
                "ignore_directives", "track_directives", "cross_locale_commits",
                "translation_typo_commits",
            )
        }
        # Branch commits and merges take up part of the target; open branches a bit more often.
        en_gap = max(2, int(self.target * 0.88) // max(1, self.sizes["english_branches"]))
        tr_gap = max(2, int(self.target * 0.88) // max(1, self.sizes["translation_branches"]))
        until_en, until_tr = rng.randint(1, en_gap), rng.randint(1, tr_gap)
        while self.total + self.pending < self.target:
            idx = self.idx
            if passes and idx >= passes[0][0]:
                _, who, wp = passes.pop(0)
                if wp is not None:
                    self._whitespace_commit(wp)
                else:
                    self._translation_whitespace_commit(who)
                continue
            due = [b for b in self.branches if b.merge_at <= idx]
            if due:
                self._merge(due[0])
                continue
            if self.followups and self.followups[0][0] <= idx:
                self._followup_commit()
                continue
            room = self.target - self.total - self.pending
            until_en -= 1
            if until_en <= 0 and room > 20:
                self._open_english_branch()
                until_en = rng.randint(en_gap // 2, en_gap * 3 // 2)
            until_tr -= 1
            if until_tr <= 0 and room > 20:
                self._open_translation_branch()
                until_tr = rng.randint(tr_gap // 2, tr_gap * 3 // 2)
            self._main_step(budget, max(1.0, (self.target - self.total - self.pending) * 0.9))
        for branch in sorted(self.branches, key=lambda b: b.merge_at):
            self._merge(branch)

    def _main_step(self, budget: dict[str, int], slots: float) -> None:
        """One ordinary main-line commit; rare kinds are spread evenly over history."""
        rng = self.rng
        r = rng.random() * slots
        kinds = (
            ("renames", self._rename_commit),
            ("deletions", self._delete_commit),
            ("added_pages", self._add_commit),
            ("typo_commits", self._typo_commit),
            ("ignored_commits", self._ignored_commit),
            ("ignore_directives", self._ignore_directive_commit),
            ("track_directives", self._track_directive_commit),
            ("cross_locale_commits", self._cross_locale_commit),
            ("translation_typo_commits", self._translation_typo_commit),
        )
        for name, make in kinds:
            if r < budget[name]:
                done = make()
                if done:
                    budget[name] -= done
                    return
                break
            r -= budget[name]
        if rng.random() < TRANSLATION_SHARE and self._translation_commit():
            return
        self._edit_commit()

    # -- English commits -----------------------------------------------------

    def _initial_commit(self) -> None:
        """Site scaffolding, the l10nsync config and the first English pages."""

        def changes() -> Iterator[bytes]:
            yield modify(".l10nsync.toml", CONFIG_TOML)
            yield modify("README.md", "# Starlight-style docs (synthetic l10nsync benchmark)\n")
            yield modify("package.json", PACKAGE_JSON)
            yield modify("astro.config.mjs", ASTRO_CONFIG)
            yield modify("src/content.config.ts", CONTENT_CONFIG)
            yield modify(f"{DOCS}/reference/config-schema.json", '{"type": "object"}\n')
            self.used_paths.update(("index", "index.mdx"))
            src = self._add_page("index.mdx", 0.0)
            yield modify(en_file(src.path), src.text)
            for _ in range(self.sizes["initial_pages"] - 1):
                src = self._add_page(self._new_path(), NOT_READY_SHARE[0])
                yield modify(en_file(src.path), src.text)

        self._commit("Initial commit: Starlight docs", changes(), when=EPOCH_START)

    def _edit_commit(self) -> None:
        """The common case: small text edits to 1-3 pages."""
        rng = self.rng
        picked: dict[int, Source] = {}
        held = [t[1] for b in self.branches for t in b.translations]
        if held and rng.random() < BRANCH_TARGET_SHARE:
            # English moves on while a translation branch holds the page: the branch will
            # be merged without having seen this change.
            target = self.sources[rng.choice(held)]
            if target.alive and not target.locked:
                picked[target.pid] = target
        for _ in range(rng.choices((1, 2, 3), (6, 3, 1))[0]):
            page = self._pick()
            if page is not None:
                picked[page.pid] = page
        pages = list(picked.values())
        if not pages:
            return
        changes = []
        flipped = False
        for src in pages:
            for _ in range(rng.randint(1, 2)):
                src.text = self.text.edit(src.text, self._links())
            if not src.ready and rng.random() < 0.25:
                src.text = src.text.replace("i18nReady: false\n", "", 1)
                src.ready = flipped = True
                self.stats.ready_flips += 1
            src.version += 1
            changes.append(modify(en_file(src.path), src.text))
        title = pages[0].title
        if flipped:
            message = f"docs: mark {title} as ready for translation"
        else:
            verb = rng.choice(("update", "clarify", "improve", "expand", "rework", "correct"))
            message = f"docs: {verb} {title}"
        self.stats.english_edits += 1
        self._commit(message, changes)

    def _add_commit(self) -> int:
        """One new page, or a few in one folder; returns the number added."""
        rng = self.rng
        n = 1 if rng.random() < 0.85 else rng.randint(2, 3)
        first = self._new_path()
        paths = [first] + [self._new_path(folder(first)) for _ in range(n - 1)]
        changes = []
        for path in paths:
            src = self._add_page(path, NOT_READY_SHARE[1])
            changes.append(modify(en_file(path), src.text))
        self.stats.added += n
        title = title_of(paths[0])
        self._commit(f"docs: add {title} page" if n == 1 else f"docs: add {title} and "
                     f"{n - 1} related pages", changes)
        return n

    def _rename_commit(self) -> int:
        """Move one page (or a small folder); returns the number of files renamed.

        Kinds: a whole folder, .md -> .mdx, a new name (byte-identical, fast-import ``R``),
        or a new name with the title updated and sometimes a small edit (delete + add, still
        found by ``git log -M``).
        """
        rng = self.rng
        src = self._pick()
        if src is None or src.path == "index.mdx":
            return 0
        kind = rng.choices(("folder", "extension", "pure", "near"), (15, 20, 35, 30))[0]
        moves: list[tuple[Source, str]] = []
        if kind == "folder" and src.path.count("/") >= 2:
            old_dir = folder(src.path)
            members = [self.sources[p] for p in self.live.items
                       if folder(self.sources[p].path) == old_dir]
            new_dir = f"{old_dir.split('/')[0]}/{rng.choice(SUBFOLDERS)}-{rng.choice(TERMS)}"
            if (len(members) > 6 or any(m.locked for m in members)
                    or any(p.startswith(new_dir + "/") for p in self.used_paths)):
                return 0
            moves = [(m, new_dir + m.path[len(old_dir):])
                     for m in sorted(members, key=lambda m: m.path)]
            kind = "folder"
        elif kind == "extension" and src.path.endswith(".md"):
            moves = [(src, src.path + "x")]
        else:
            kind = "near" if kind == "near" else "pure"
            # Renamed in its folder, or moved to another section.
            new = self._new_path(folder(src.path) if rng.random() < 0.7 else None)
            moves = [(src, stem(new) + "." + src.path.rsplit(".", 1)[1])]
        changes: list[bytes] = []
        for page, new in moves:
            self.used_paths.update((new, stem(new)))
            old = page.path
            if kind == "near":
                page.title = title_of(new)
                page.text = with_title(page.text, page.title)
                if rng.random() < 0.3:
                    page.text = self.text.edit(page.text, [])
                page.version += 1
                changes += [delete(en_file(old)), modify(en_file(new), page.text)]
            else:
                changes.append(rename(en_file(old), en_file(new)))
            page.path = new
            self._english_moved(page.pid, old)
        self.stats.renamed[kind] += len(moves)
        self.stats.rename_commits += 1
        if kind == "folder":
            message = f"docs: move {old_dir}/ to {new_dir}/"
        else:
            message = f"docs: rename {stem(src.path)} page" if kind != "extension" else (
                f"docs: convert {stem(src.path)} to MDX")
        self._commit(message, changes)
        return len(moves)

    def _english_moved(self, pid: int, old: str) -> None:
        """Translations stay at the old path; a translator may follow later."""
        for loc in self.locales:
            if self.translated[loc].get(pid) == old and self.rng.random() < FOLLOW_RENAME_SHARE:
                self._schedule(loc, "move", pid)

    def _schedule(self, locale: str, what: str, pid: int) -> None:
        """A translator follow-up (move or drop) some commits from now."""
        due = self.idx + self.rng.randint(*FOLLOWUP_DELAY)
        self.seq += 1
        heapq.heappush(self.followups, (due, self.seq, what, locale, pid))

    def _delete_commit(self) -> int:
        """Remove a page; its translations stay until a translator removes them."""
        src = self._pick()
        if src is None or src.path == "index.mdx":
            return 0
        pid = src.pid
        src.alive = False
        self.live.remove(pid)
        for loc in self.locales:
            if pid in self.translated[loc]:
                self.covered[loc] -= 1
                if self.rng.random() < DROP_ORPHAN_SHARE:
                    self._schedule(loc, "drop", pid)
        self.stats.deleted += 1
        self._commit(f"docs: remove outdated {src.title} page", [delete(en_file(src.path))])
        return 1

    def _typo_commit(self) -> int:
        """A one-word fix whose subject says `fix typo`: a tracker must not count it."""
        src = self._pick()
        if src is None:
            return 0
        src.text = self.text.typo_fix(src.text)
        subject = self.rng.choice(
            (f"docs: fix typo in {src.title}", f"fix typo in {src.path}",
             f"docs({folder(src.path).split('/')[0] or 'root'}): fix typo")
        )
        self.stats.keyword_subjects["fix typo"] += 1
        self._commit(subject, [modify(en_file(src.path), src.text)])
        return 1

    def _ignored_commit(self) -> int:
        """A real edit the author marked `lunaria-ignore` in the subject."""
        pages = {s.pid: s for s in (self._pick() for _ in range(self.rng.randint(1, 3))) if s}
        if not pages:
            return 0
        changes = []
        for src in pages.values():
            src.text = self.text.edit(src.text, [])
            changes.append(modify(en_file(src.path), src.text))
        title = next(iter(pages.values())).title
        subject = self.rng.choice(
            (f"docs: tweak wording in {title} (lunaria-ignore)",
             f"[lunaria-ignore] docs: format code in {title}",
             f"lunaria-ignore: adjust {title} example")
        )
        self.stats.keyword_subjects["lunaria-ignore"] += 1
        self._commit(subject, changes)
        return 1

    def _ignore_directive_commit(self) -> int:
        """Edits in one folder ignored by a body directive; a page elsewhere still counts."""
        src = self._pick()
        if src is None or "/" not in src.path:
            return 0
        where = folder(src.path)
        members = [self.sources[p] for p in self.live.items
                   if self.sources[p].path.startswith(where + "/") and not self.sources[p].locked]
        members = members[:6]
        outside = self._pick() if self.rng.random() < 0.5 else None
        changes = []
        for page in members:
            page.text = self.text.edit(page.text, [])
            changes.append(modify(en_file(page.path), page.text))
        if outside is not None and not outside.path.startswith(where + "/"):
            outside.text = self.text.edit(outside.text, [])
            outside.version += 1
            changes.append(modify(en_file(outside.path), outside.text))
        body = f"@lunaria-ignore:{DOCS}/{where}/**"
        self.stats.directives["ignore"] += 1
        self._commit(f"docs: update links in {where} pages\n\n{body}", changes)
        return 1

    def _track_directive_commit(self) -> int:
        """Edits to several pages of which a body directive tracks only one or two."""
        pages = list({s.pid: s for s in (self._pick() for _ in range(self.rng.randint(3, 6)))
                      if s}.values())
        if len(pages) < 2:
            return 0
        tracked = pages[: self.rng.randint(1, 2)]
        changes = []
        for page in pages:
            page.text = self.text.edit(page.text, [])
            changes.append(modify(en_file(page.path), page.text))
        for page in tracked:
            page.version += 1
        body = "@lunaria-track:" + ";".join(en_file(p.path) for p in tracked)
        self.stats.directives["track"] += 1
        self._commit(f"docs: update {tracked[0].title} and related pages\n\n{body}", changes)
        return 1

    def _cross_locale_commit(self) -> int:
        """One code-example fix applied to the English page and every translation holding it.

        A third carry no directive (the translations count as brought up to date), a third
        ignore every touched file, a third track only the English page.
        """
        rng = self.rng
        for _ in range(20):
            src = self._pick()
            if src is None:
                return 0
            code = [line for line in src.text.split("\n") if line.startswith("      ")
                    and line.endswith(",") and "title: 'My Docs'" not in line]
            if code:
                break
        else:
            return 0
        pid = src.pid
        old = rng.choice(code)
        new = self.text.code_line("      ")
        src.text = src.text.replace(old, new, 1)
        paths = [en_file(src.path)]
        changes = [modify(paths[0], src.text)]
        touched: list[Translated] = []
        for loc in self.locales:
            key = self.translated[loc].get(pid)
            tr = self.translations[loc].get(key) if key is not None else None
            if tr is not None and (loc, pid) not in self.tr_locked and old in tr.text:
                tr.text = tr.text.replace(old, new, 1)
                touched.append(tr)
                paths.append(tr_file(loc, str(key)))
                changes.append(modify(paths[-1], tr.text))
        mode = rng.choice(("none", "ignore", "track"))
        if mode != "ignore":
            src.version += 1
        if mode == "none":
            for tr in touched:
                tr.synced = src.version
        message = f"docs: update the {src.title} example in every language"
        if mode == "ignore":
            message += "\n\n@lunaria-ignore:" + ";".join(paths)
        elif mode == "track":
            message += f"\n\n@lunaria-track:{paths[0]}"
        self.stats.cross_locale[mode] += 1
        self._commit(message, changes)
        return 1

    def _whitespace_commit(self, wp: WhitespacePass) -> None:
        """A mass whitespace-only commit over every page it changes."""
        self.sloppy.pop(wp.kind, None)  # pages created from now on are clean
        touched = 0

        def fix(text: str) -> str:
            if wp.kind == "reflow":
                return reflow(text)
            return WHITESPACE_FIXES[wp.kind](text)

        def changes() -> Iterator[bytes]:
            nonlocal touched
            for pid in sorted(self.live.items):
                src = self.sources[pid]
                if src.locked or (wp.sections and src.path.split("/")[0] not in wp.sections):
                    continue
                new = fix(src.text)
                if new != src.text:
                    src.text = new
                    touched += 1
                    yield modify(en_file(src.path), new)

        self._commit(wp.message, changes())
        self.stats.whitespace_pages.append(touched)

    # -- translation commits -------------------------------------------------

    def _pick_locale(self) -> str:
        """A locale, the busier ones (higher coverage) more often."""
        return self.rng.choices(self.locales, [self.coverage[x] for x in self.locales])[0]

    def _batch_size(self) -> int:
        """How many new pages one translation commit brings."""
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            return 1
        if r < 0.7:
            return rng.randint(2, 4)
        return rng.randint(5, 12) if r < 0.92 else rng.randint(15, 50)

    def _untranslated(self, loc: str, n: int) -> list[Source]:
        """Up to n live pages this locale has not translated (i18nReady: false mostly not)."""
        rng = self.rng
        items = self.live.items
        found: dict[int, Source] = {}
        for _ in range(40 * n):
            if len(found) >= n or not items:
                break
            pid = items[int(len(items) * rng.random() ** 1.3)]
            src = self.sources[pid]
            if pid in self.translated[loc] or (loc, pid) in self.tr_locked or pid in found:
                continue
            if not src.ready and rng.random() < 0.95:
                continue
            found[pid] = src
        return list(found.values())

    def _outdated(self, loc: str, n: int) -> dict[int, str]:
        """Up to n translations behind English and still at its path, with their new text.

        A page whose new translation would be byte-identical is skipped: writing the same
        bytes makes no commit for git, so it would not be a sync point.
        """
        rng = self.rng
        bag = self.translated_ids[loc].items
        found: dict[int, str] = {}
        for _ in range(30 * n):
            if len(found) >= n or not bag:
                break
            pid = rng.choice(bag)
            src = self.sources[pid]
            key = self.translated[loc][pid]
            tr = self.translations[loc][key]
            if (pid in found or not src.alive or key != src.path or tr.synced >= src.version
                    or (loc, pid) in self.tr_locked):
                continue
            text = self.locale_text[loc].page(src.text)
            if text != tr.text:
                found[pid] = text
        return found

    def _record_translation(self, loc: str, pid: int, key: str, text: str, synced: int) -> None:
        """Note a translation written at ``key`` in the locale folder."""
        if pid not in self.translated[loc]:
            self.translated_ids[loc].add(pid)
            if self.sources[pid].alive:
                self.covered[loc] += 1
        self.translated[loc][pid] = key
        self.translations[loc][key] = Translated(pid, text, synced)

    def _translation_commit(self) -> bool:
        """A locale translates new pages and brings outdated ones up to date."""
        rng = self.rng
        loc = self._pick_locale()
        progress = min(1.0, self.idx / (TRANSLATION_RAMP * self.target))
        goal = self.coverage[loc] * len(self.live) * progress**0.8
        deficit = math.ceil(goal - self.covered[loc])
        n_new = min(deficit, self._batch_size()) if deficit > 0 else 0
        n_upd = rng.choices((0, 1, 2, 4, 8, 16), (20, 30, 20, 15, 10, 5))[0]
        fresh = self._untranslated(loc, n_new) if n_new else []
        stale = self._outdated(loc, n_upd if fresh else max(1, n_upd))
        if not fresh and not stale:
            return False
        lt = self.locale_text[loc]
        changes = []
        for src in fresh:
            text = lt.page(src.text)
            self._record_translation(loc, src.pid, src.path, text, src.version)
            changes.append(modify(tr_file(loc, src.path), text))
        for pid, text in stale.items():
            src = self.sources[pid]
            self._record_translation(loc, pid, src.path, text, src.version)
            changes.append(modify(tr_file(loc, src.path), text))
        self.stats.translation_commits += 1
        self.stats.translated_new += len(fresh)
        self.stats.translated_updates += len(stale)
        first = fresh[0].path if fresh else self.sources[next(iter(stale))].path
        if len(fresh) + len(stale) == 1:
            message = f"i18n({loc}): {'translate' if fresh else 'update'} {first}"
        elif not stale:
            message = f"i18n({loc}): translate {len(fresh)} pages"
        elif not fresh:
            message = f"i18n({loc}): update {len(stale)} pages"
        else:
            message = f"i18n({loc}): translate {len(fresh)} pages, update {len(stale)}"
        self._commit(message, changes)
        return True

    def _translation_typo_commit(self) -> int:
        """A translator's small correction with `fix typo` in the subject: not a sync point."""
        loc = self._pick_locale()
        bag = self.translated_ids[loc].items
        if not bag:
            return 0
        pid = self.rng.choice(bag)
        key = self.translated[loc][pid]
        if (loc, pid) in self.tr_locked:
            return 0
        tr = self.translations[loc][key]
        tr.text = self.locale_text[loc].typo_fix(tr.text, self.rng.randrange(1 << 30))
        self.stats.keyword_subjects["fix typo"] += 1
        self._commit(f"i18n({loc}): fix typo in {key}", [modify(tr_file(loc, key), tr.text)])
        return 1

    def _translation_whitespace_commit(self, loc: str) -> None:
        """One locale removes the trailing spaces its translators left (whitespace only)."""
        self.locale_text[loc].sloppy = False
        changes = []
        for key, tr in sorted(self.translations[loc].items()):
            if (loc, tr.source) in self.tr_locked:
                continue
            new = WHITESPACE_FIXES["trailing"](tr.text)
            if new != tr.text:
                tr.text = new
                changes.append(modify(tr_file(loc, key), new))
        self.stats.translation_whitespace_pages[loc] = len(changes)
        if changes:
            self._commit(f"i18n({loc}): remove trailing whitespace", changes)

    def _followup_commit(self) -> None:
        """A translator follows English: moves renamed translations or drops deleted ones."""
        _, _, what, loc, pid = heapq.heappop(self.followups)
        horizon = self.idx + FOLLOWUP_GROUP
        group = [pid]
        rest = []
        for item in self.followups:
            if item[0] <= horizon and item[2] == what and item[3] == loc:
                group.append(item[4])
            else:
                rest.append(item)
        self.followups = rest
        heapq.heapify(self.followups)
        changes: list[bytes] = []
        done: list[str] = []
        lt = self.locale_text[loc]
        for pid in dict.fromkeys(group):
            src = self.sources[pid]
            key = self.translated[loc].get(pid)
            if key is None or (loc, pid) in self.tr_locked:
                continue
            tr = self.translations[loc][key]
            if what == "drop" and not src.alive:
                del self.translations[loc][key]
                del self.translated[loc][pid]
                self.translated_ids[loc].remove(pid)
                changes.append(delete(tr_file(loc, key)))
                self.stats.translations_dropped += 1
                done.append(key)
            elif (what == "move" and src.alive and key != src.path
                  and src.path not in self.translations[loc]):
                del self.translations[loc][key]
                text = lt.page(src.text)
                if text != tr.text and self.rng.random() < 0.3:
                    # Moved and brought up to date in one go.
                    tr.text, tr.synced = text, src.version
                    changes += [delete(tr_file(loc, key)), modify(tr_file(loc, src.path), tr.text)]
                    self.stats.translator_moves_with_update += 1
                else:
                    changes.append(rename(tr_file(loc, key), tr_file(loc, src.path)))
                self.translations[loc][src.path] = tr
                self.translated[loc][pid] = src.path
                self.stats.translator_moves += 1
                done.append(src.path)
        if not changes:
            return
        verb = "remove pages deleted in English" if what == "drop" else "move renamed pages"
        message = f"i18n({loc}): {verb}" if len(done) > 1 else (
            f"i18n({loc}): {'remove' if what == 'drop' else 'move'} {done[0]}")
        self._commit(message, changes)

    # -- side branches -------------------------------------------------------

    def _open_english_branch(self) -> None:
        """A pull request of 2-4 commits editing a few pages, merged some commits later."""
        rng = self.rng
        pages = list({s.pid: s for s in (self._pick() for _ in range(rng.randint(1, 3)))
                      if s}.values())
        n = rng.randint(2, 4)
        if not pages or self.total + self.pending + n + 1 > self.target:
            return
        texts: dict[int, str] = {}
        commits = []
        for _ in range(n):
            src = rng.choice(pages)
            texts[src.pid] = self.text.edit(texts.get(src.pid, src.text), self._links())
            commits.append((f"docs: {rng.choice(('update', 'clarify', 'expand'))} {src.title}",
                            {en_file(src.path): texts[src.pid]}))
        for pid in texts:
            self.sources[pid].locked = True
        first = self.sources[next(iter(texts))]
        name = f"{rng.choice(BRANCH_USERS)}/docs-{stem(first.path).replace('/', '-')}"
        self._open(SideBranch(self.main_marks[-1], self.clock, self.idx +
                              rng.randint(*EN_BRANCH_OPEN), name, commits, english=texts))
        self.stats.english_branches += 1

    def _open_translation_branch(self) -> None:
        """A translator's branch: new and updated pages of one locale, merged much later."""
        rng = self.rng
        loc = self._pick_locale()
        fresh = self._untranslated(loc, rng.randint(1, 6))
        stale = self._outdated(loc, rng.randint(0, 3))
        work = fresh + [self.sources[pid] for pid in stale]
        n = min(rng.randint(1, 4), len(work))
        if not work or self.total + self.pending + n + 1 > self.target:
            return
        # Translated from the English of today; English may change before the merge.
        texts = {s.pid: self.locale_text[loc].page(s.text) for s in fresh} | stale
        translations = [(loc, s.pid, s.path, texts[s.pid], s.version) for s in work]
        commits = []
        for group in (work[i::n] for i in range(n)):
            message = (f"i18n({loc}): translate {group[0].path}" if len(group) == 1
                       else f"i18n({loc}): translate {group[0].title} and {len(group) - 1} more")
            commits.append((message, {tr_file(loc, s.path): texts[s.pid] for s in group}))
        for s in work:
            self.tr_locked.add((loc, s.pid))
        name = f"{rng.choice(BRANCH_USERS)}/i18n-{loc}-{self.idx}"
        merge_at = self.idx + rng.randint(*TR_BRANCH_OPEN)
        self._open(SideBranch(self.main_marks[-1], self.clock, merge_at, name, commits,
                              translations=translations))
        self.stats.translation_branches += 1

    def _open(self, branch: SideBranch) -> None:
        """Hold a prepared branch until its merge; its commits count against the target now."""
        self.branches.append(branch)
        self.pending += len(branch.commits) + 1

    def _merge(self, branch: SideBranch) -> None:
        """Write the branch's commits, dated between its fork and now, then merge it."""
        rng = self.rng
        self.branches.remove(branch)
        self.pending -= len(branch.commits) + 1
        merge_time = self.clock + rng.randint(300, 5400)
        span = merge_time - branch.base_time
        mark = branch.base_mark
        n = len(branch.commits)
        for j, (message, files) in enumerate(branch.commits):
            when = branch.base_time + span * (j + 1) // (n + 1)
            changes = [modify(path, text) for path, text in sorted(files.items())]
            mark = self.fi.commit(b"refs/heads/_side", when, message, [mark], changes)
            self.total += 1
            self.stats.branch_commits += 1
        merged: dict[str, str] = {}
        for files in (f for _, f in branch.commits):
            merged.update(files)
        for pid, text in branch.english.items():
            src = self.sources[pid]
            src.text, src.locked = text, False
            src.version += 1
        for loc, pid, key, text, synced in branch.translations:
            self.tr_locked.discard((loc, pid))
            self._record_translation(loc, pid, key, text, synced)
            src = self.sources[pid]
            self.stats.branch_translations += 1
            if src.alive and src.version > synced:
                self.stats.branch_translations_outdated_at_merge += 1
            if src.alive and src.path != key and rng.random() < FOLLOW_RENAME_SHARE:
                self._schedule(loc, "move", pid)
            elif not src.alive and rng.random() < DROP_ORPHAN_SHARE:
                self._schedule(loc, "drop", pid)
        pr = self._next_pr()
        self._commit(f"Merge pull request #{pr} from {branch.name}",
                     [modify(p, t) for p, t in sorted(merged.items())], merge=mark,
                     when=merge_time)
        self.stats.merges += 1


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def expected_statuses(hist: DocsHistory) -> dict[str, dict[str, object]]:
    """The generator's own verdict on every translation, by repository path.

    ``behind``: the English page had a substantive change after the version the translation
    was last brought up to (whitespace-only commits, commits ignored by a subject keyword or
    a directive, and byte-identical renames do not count). ``status`` is ``orphaned`` when
    the English page was deleted, ``moved`` when the English page was renamed away from the
    translation's path (a .md -> .mdx conversion keeps the URL, so it does not count), else
    ``outdated`` or ``up_to_date`` by ``behind``.
    """
    out: dict[str, dict[str, object]] = {}
    for loc in hist.locales:
        for key, tr in sorted(hist.translations[loc].items()):
            src = hist.sources[tr.source]
            behind = tr.synced < src.version
            if not src.alive:
                status = "orphaned"
            elif stem(key) != stem(src.path):
                status = "moved"
            else:
                status = "outdated" if behind else "up_to_date"
            out[tr_file(loc, key)] = {
                "status": status, "source": en_file(src.path), "behind": behind,
            }
    return out


def locale_summary(
    hist: DocsHistory, loc: str, expected: dict[str, dict[str, object]]
) -> dict[str, object]:
    """One locale's translations counted by expected status, and its coverage."""
    prefix = f"{DOCS}/{loc}/"
    counts = Counter(str(v["status"]) for k, v in expected.items() if k.startswith(prefix))
    return {
        "files": len(hist.translations[loc]),
        "coverage": round(hist.covered[loc] / max(1, len(hist.live)), 3),
        **{status: counts[status] for status in ("up_to_date", "outdated", "moved", "orphaned")},
    }


def generate(outdir: Path, scale: float, seed: int) -> dict[str, object]:
    """Generate the repository, write OUTDIR/expected-status.json, and return a summary."""
    started = time.monotonic()
    sizes = scaled_sizes(FULL_SIZES, scale)
    site = outdir / "site"
    init_repo(site)
    fi = FastImport(site)
    hist = DocsHistory(Random(seed), sizes, fi, seed)
    hist.run()
    fi.close()
    subprocess.run(["git", "-C", str(site), "update-ref", "-d", "refs/heads/_side"], check=True)
    checkout(site)
    st = hist.stats
    live = [hist.sources[pid] for pid in hist.live.items]
    expected = expected_statuses(hist)
    (outdir / "expected-status.json").write_text(json.dumps(expected, indent=1) + "\n")
    locales = {loc: locale_summary(hist, loc, expected) for loc in hist.locales}
    return {
        "scale": scale,
        "seed": seed,
        "commits": git_count(site, "rev-list", "--count", "--all"),
        "merges": git_count(site, "rev-list", "--merges", "--count", "main"),
        "english": {
            "pages": len(live),
            "by_extension": dict(sorted(Counter(s.path.rsplit(".", 1)[1] for s in live).items())),
            "not_ready": sum(1 for s in live if not s.ready),
            "ready_flips": st.ready_flips,
            "pages_added_after_import": st.added,
            "edit_commits": st.english_edits,
            "renamed_files": sum(st.renamed.values()),
            "renamed_by_kind": dict(sorted(st.renamed.items())),
            "rename_commits": st.rename_commits,
            "deleted_pages": st.deleted,
            "whitespace_commit_pages": st.whitespace_pages,
            "subject_keyword_commits": dict(sorted(st.keyword_subjects.items())),
            "directive_commits": dict(sorted(st.directives.items())),
            "cross_locale_commits": dict(sorted(st.cross_locale.items())),
        },
        "translations": {
            "files": sum(int(str(v["files"])) for v in locales.values()),
            "commits": st.translation_commits,
            "pages_translated": st.translated_new,
            "pages_updated": st.translated_updates,
            "translator_moves": st.translator_moves,
            "translator_moves_with_update": st.translator_moves_with_update,
            "orphans_removed": st.translations_dropped,
            "whitespace_commit_pages": st.translation_whitespace_pages,
            "per_locale": locales,
        },
        "branches": {
            "english": st.english_branches,
            "translation": st.translation_branches,
            "branch_commits": st.branch_commits,
            "merges": st.merges,
            "branch_translations": st.branch_translations,
            "branch_translations_outdated_at_merge": st.branch_translations_outdated_at_merge,
        },
        "elapsed_seconds": round(time.monotonic() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args = generator_arguments(
        __doc__,
        outdir_help="directory to create site/ in",
        scale_help="size relative to the defaults (default 1.0)",
        force_help="replace an existing OUTDIR/site",
        argv=argv,
    )
    prepare_outdir(args.outdir, ("site",), args.force)
    summary = generate(args.outdir, args.scale, args.seed)
    write_summary(args.outdir, summary)
    en, tr = summary["english"], summary["translations"]
    assert isinstance(en, dict) and isinstance(tr, dict)
    print(
        f"site: {summary['commits']} commits ({summary['merges']} merges), "
        f"{en['pages']} English pages, {en['renamed_files']} renamed, "
        f"{en['deleted_pages']} deleted, {tr['files']} translated pages; "
        f"{summary['elapsed_seconds']}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
