#!/usr/bin/env python3
"""Generate a deterministic, MDN-sized pair of git repositories for benchmarking.

OUTDIR/content holds English pages (``files/en-us/<folder>/index.md``) with a
long history: small edits, side branches merged with real merge commits,
renames, deletions and a few mass whitespace-formatting commits.
OUTDIR/translated-content holds translations (``files/<locale>/<folder>/index.md``)
whose front matter records the English commit they were translated from
(``l10n.sourceCommit``).

Each repository is written by streaming one ``git fast-import`` input through a
pipe; nothing but the current page texts is held in memory.
"""

from __future__ import annotations

import bisect
import math
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

# The shared fast-import writer (fixed identity), text pools and command line; running this
# file as a script puts its folder on sys.path.
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
    read_marks,
    rename,
    scaled_sizes,
    words,
    write_summary,
    yaml_str,
)

# benchlib's fixed identity and a fixed epoch make the output (and therefore every
# commit sha) identical between runs with the same seed and scale.
EPOCH_START = 1607500800  # 2020-12-09T08:00:00Z, about when mdn/content began

# Sizes at --scale 1.0, modelled on mdn/content and mdn/translated-content.
FULL_SIZES: dict[str, int] = {
    "initial_pages": 12_400,
    "added_pages": 1_900,
    "commits": 40_000,
    "renames": 300,
    "deletions": 150,
    "legacy_redirects": 600,
    "translation_commits": 300,
}
LOCALES: tuple[tuple[str, float], ...] = (
    ("ja", 0.90),
    ("zh-cn", 0.80),
    ("fr", 0.75),
    ("es", 0.60),
    ("ru", 0.50),
    ("ko", 0.42),
    ("pt-br", 0.36),
    ("zh-tw", 0.30),
)
# (name, position in history as a fraction of all commits, commit message).
# Pages created before a pass carry that kind of sloppy whitespace with the
# given probability, so each pass touches several thousand pages at full scale.
FORMAT_PASSES: tuple[tuple[str, float, float, str], ...] = (
    ("eof", 0.12, 0.30, "chore: normalize end-of-file newlines"),
    ("blank", 0.33, 0.35, "chore: collapse repeated blank lines"),
    ("trailing", 0.58, 0.40, "chore: remove trailing whitespace"),
    ("tabs", 0.81, 0.30, "chore: indent code examples with spaces"),
)
BRANCH_GAP = (40, 60)  # main-line commits between two merged side branches
BRANCH_LEN = (2, 5)  # commits on one side branch
OLD_BASE_MAX = 300  # how far back an "old" side branch may start
SIDE_BRANCH_SHARE = 0.03  # share of translations pointing at side-branch commits


WORDS = words(
    "the a an value element returns property method interface object string number "
    "browser document event listener request response callback promise resolves "
    "specified optional parameter default attribute node child parent content style "
    "layout animation stream buffer data user agent origin secure context worker "
    "thread script module function instance constructor static read-only indicates "
    "whether when which that this used can be is are of to in for with on by or and "
    "not if each any all new current given first last next previous name type length "
    "index range position size width height color image media audio video track "
    "source target key code input output error exception thrown called set get "
    "create update remove added changes support feature example following shows "
    "using see also note deprecated experimental standard compatible specification "
    "supported values syntax description defined representing contains list array "
    "map entry entries timestamp duration delay mode state status handler fires "
    "dispatched bubbles cancelable permission policy header cache storage network "
    "frame window viewport scroll offset inline block grid flex container selector "
    "rule sheet font text character encoding locale format pattern match"
)
NOUNS = words(
    "Element Node Event Buffer Stream Reader Writer Observer Entry List Map Request "
    "Response Registration Handle Info Options Result Track State Timing Descriptor "
    "Connection Channel Port Session Device Context Source Controller Manager Target "
    "Record Rect Point Matrix Path Shape Region Range Selection Token Key Credential "
    "Payment Permission Notification Message Data Item Transfer Clipboard Gamepad "
    "Sensor Frame Layer View Worklet Module Scope Cache Storage Quota Lock Signal "
    "Report Metric Navigation History Location Screen Orientation Font Face Image "
    "Bitmap Texture Shader Program Sampler Query Queue Pass Pipeline Binding Adapter"
)
PREFIXES = words(
    "HTML SVG Audio Media RTC GPU XR Web CSS IDB Navigator Document Performance "
    "Payment Credential Storage Bluetooth USB Serial HID Presentation Speech Text "
    "Font Canvas Offscreen Readable Writable Transform Intersection Resize Mutation "
    "Reporting Fetch Background Push Clipboard Keyboard Pointer Touch Wheel Drag "
    "Focus Animation Transition Window Worker Service Shared Broadcast File Blob "
    "Video Cue Tree Crypto Subtle Idle Vibration Wake Battery Network Geolocation"
)
VERBS = words(
    "get set add remove create request query update clear close open start stop "
    "pause resume read write cancel abort register unregister observe disconnect "
    "connect send receive append insert replace delete has is enable disable"
)
LEARN_AREAS = (
    "CSS",
    "JavaScript",
    "HTML",
    "Accessibility",
    "Forms",
    "Tools_and_testing",
    "Server-side",
)
CSS_MODULES = (
    "Box_model",
    "Grid_layout",
    "Flexible_box_layout",
    "Fonts",
    "Colors",
    "Transforms",
    "Animations",
    "Containment",
    "Scroll_snap",
    "Logical_properties",
    "Selectors",
    "Cascade",
)
JS_OBJECTS = (
    "Array",
    "Object",
    "String",
    "Number",
    "Promise",
    "Map",
    "Set",
    "WeakMap",
    "Date",
    "RegExp",
    "Math",
    "JSON",
    "Intl",
    "Symbol",
    "BigInt",
    "Reflect",
    "Proxy",
    "Atomics",
    "TypedArray",
    "ArrayBuffer",
    "DataView",
    "Function",
    "Error",
    "Iterator",
    "Temporal",
)
MACRO_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("Web/API", '{{APIRef("%s")}}'),
    ("Web/CSS", "{{CSSRef}}"),
    ("Web/JavaScript", "{{JSRef}}"),
    ("Web/HTML", "{{HTMLSidebar}}"),
    ("Web/SVG", "{{SVGRef}}"),
    ("Web/HTTP", "{{HTTPSidebar}}"),
    ("Glossary", "{{GlossarySidebar}}"),
    ("Learn", "{{LearnSidebar}}"),
    ("Mozilla/Add-ons", "{{AddonSidebar}}"),
)
SECTION_HEADINGS = (
    "Description",
    "Syntax",
    "Parameters",
    "Return value",
    "Exceptions",
    "Value",
    "Usage notes",
    "Examples",
    "Accessibility concerns",
    "Security considerations",
)


# ---------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------


def folder_of(slug: str) -> str:
    """Map an MDN slug to its content folder (MDN lowercases slugs)."""
    return slug.lower()


def en_path(folder: str) -> str:
    """Path of an English page inside the content repository."""
    return f"files/en-us/{folder}/index.md"


def title_for(slug: str) -> str:
    """Derive an MDN-style page title from a slug."""
    parts = slug.split("/")
    last = parts[-1]
    if len(parts) == 4 and parts[:2] == ["Web", "API"]:
        if last.endswith("_event"):
            return f"{parts[2]}: {last[:-6]} event"
        if last.endswith("_static"):
            return f"{parts[2]}: {last[:-7]}() static method"
        if last[:1].islower() and any(last.startswith(v) for v in VERBS):
            return f"{parts[2]}: {last}() method"
        return f"{parts[2]}: {last} property"
    if parts[0] == "Glossary":
        return last.replace("_", " ")
    return last.replace("_", " ")


def sidebar_macro(slug: str) -> str:
    """The sidebar macro MDN puts at the top of a page in this section."""
    for prefix, macro in MACRO_BY_PREFIX:
        if slug.startswith(prefix):
            if "%s" in macro:
                group = slug.split("/")[2] if slug.count("/") >= 2 else "Web API"
                return macro % group.replace("_", " ")
            return macro
    return "{{QuickLinksWithSubpages}}"


def camel(rng: Random, first: str, n: int) -> str:
    """Build a camelCase identifier that starts with ``first``."""
    return first + "".join(rng.choice(NOUNS) for _ in range(n))


# ---------------------------------------------------------------------------
# Slugs
# ---------------------------------------------------------------------------


class SlugFactory:
    """Invents never-used MDN-style slugs whose parent pages currently exist."""

    def __init__(self, rng: Random, exists: Callable[[str], bool]) -> None:
        """Create a factory; ``exists`` tells whether a folder is a live page."""
        self.rng = rng
        self.exists = exists
        self.used: set[str] = set()  # every folder ever handed out, never reused
        self.groups: dict[str, list[str]] = {"iface": [], "jsobj": [], "extns": [], "learn": []}
        # Category weights roughly follow the size of MDN's sections.
        self.categories: list[tuple[float, Callable[[], str]]] = [
            (0.55, self._api),
            (0.08, self._css),
            (0.08, self._js),
            (0.04, self._html),
            (0.05, self._glossary),
            (0.03, self._learn),
            (0.07, self._webext),
            (0.04, self._svg),
            (0.03, self._http),
            (0.03, self._misc),
        ]
        self.weights = [w for w, _ in self.categories]

    def next(self) -> str:
        """Return a new slug; a missing ancestor is returned first instead."""
        for _ in range(10_000):
            candidate = self.rng.choices(self.categories, self.weights)[0][1]()
            parts = candidate.split("/")
            for depth in range(1, len(parts) + 1):
                slug = "/".join(parts[:depth])
                folder = folder_of(slug)
                if folder not in self.used:
                    self.used.add(folder)
                    self._note(slug)
                    return slug
                if not self.exists(folder):
                    break  # an ancestor was deleted or moved: do not recreate it
        raise RuntimeError("slug space exhausted")

    def claim(self, slug: str) -> bool:
        """Reserve a slug chosen elsewhere (renames); False if ever used."""
        folder = folder_of(slug)
        if folder in self.used:
            return False
        self.used.add(folder)
        return True

    def _note(self, slug: str) -> None:
        """Remember parents that later candidates can hang children under."""
        parts = slug.split("/")
        if len(parts) == 3 and parts[:2] == ["Web", "API"] and not parts[2].endswith("_API"):
            self.groups["iface"].append(slug)
        elif len(parts) == 5 and parts[3] == "Global_Objects":
            self.groups["jsobj"].append(slug)
        elif len(parts) == 5 and parts[3] == "API":
            self.groups["extns"].append(slug)
        elif len(parts) == 3 and parts[0] == "Learn":
            self.groups["learn"].append(slug)

    def _pick(self, group: str) -> str | None:
        """Pick an existing parent, favouring early (popular) ones."""
        items = self.groups[group]
        if not items:
            return None
        return items[int(len(items) * self.rng.random() ** 1.5)]

    def _api(self) -> str:
        """Web/API interfaces, their members, and API overview pages."""
        rng = self.rng
        r = rng.random()
        iface = self._pick("iface")
        if iface is None or r < 0.12:
            return f"Web/API/{rng.choice(PREFIXES)}{rng.choice(NOUNS)}"
        if r < 0.17:
            api = f"Web/API/{rng.choice(PREFIXES)}_{rng.choice(NOUNS)}_API"
            return (
                api
                if rng.random() < 0.5
                else f"{api}/Using_{rng.choice(WORDS)}_{rng.choice(WORDS)}"
            )
        kind = rng.random()
        if kind < 0.45:
            member = camel(rng, rng.choice(VERBS), rng.randint(0, 2))
        elif kind < 0.8:
            member = camel(rng, rng.choice(WORDS).replace("-", ""), rng.randint(0, 1))
        elif kind < 0.95:
            member = (
                rng.choice(WORDS).replace("-", "") + rng.choice(WORDS).replace("-", "") + "_event"
            )
        else:
            member = camel(rng, rng.choice(VERBS), 1) + "_static"
        return f"{iface}/{member}"

    def _css(self) -> str:
        """CSS properties and CSS module guides."""
        rng = self.rng
        if rng.random() < 0.2:
            guide = "_".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))).capitalize()
            return f"Web/CSS/CSS_{rng.choice(CSS_MODULES)}/{guide}"
        words = [w for w in (rng.choice(WORDS) for _ in range(rng.randint(1, 4))) if w.isalpha()]
        return "Web/CSS/" + ("-".join(words) or "inset")

    def _js(self) -> str:
        """JavaScript reference and guide pages."""
        rng = self.rng
        r = rng.random()
        obj = self._pick("jsobj")
        if obj is None or r < 0.1:
            name = (
                rng.choice(JS_OBJECTS)
                if rng.random() < 0.6
                else rng.choice(PREFIXES) + rng.choice(NOUNS)
            )
            return f"Web/JavaScript/Reference/Global_Objects/{name}"
        if r < 0.7:
            return f"{obj}/{camel(rng, rng.choice(VERBS), rng.randint(0, 1))}"
        section = rng.choice(
            (
                "Reference/Errors",
                "Reference/Operators",
                "Reference/Statements",
                "Reference/Functions",
                "Guide",
            )
        )
        name = "_".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))).capitalize()
        return f"Web/JavaScript/{section}/{name}"

    def _html(self) -> str:
        """HTML elements and attributes."""
        rng = self.rng
        section = rng.choice(("Element", "Element", "Attributes", "Global_attributes"))
        suffix = rng.choice(("", "", "list", "group"))
        return f"Web/HTML/{section}/{rng.choice(WORDS).replace('-', '')}{suffix}"

    def _glossary(self) -> str:
        """Glossary terms."""
        rng = self.rng
        return "Glossary/" + "_".join(
            rng.choice(WORDS).capitalize() for _ in range(rng.randint(1, 3))
        )

    def _learn(self) -> str:
        """Learning area modules and articles."""
        rng = self.rng
        module = self._pick("learn")
        if module is None or rng.random() < 0.1:
            module_name = f"{rng.choice(WORDS).capitalize()}_{rng.choice(WORDS)}"
            return f"Learn/{rng.choice(LEARN_AREAS)}/{module_name}"
        return (
            f"{module}/"
            + "_".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4))).capitalize()
        )

    def _webext(self) -> str:
        """WebExtensions API namespaces, functions and manifest keys."""
        rng = self.rng
        base = "Mozilla/Add-ons/WebExtensions"
        ns = self._pick("extns")
        r = rng.random()
        if r < 0.15:
            return f"{base}/manifest.json/{rng.choice(WORDS).replace('-', '_')}_{rng.choice(WORDS)}"
        if ns is None or r < 0.25:
            return f"{base}/API/{rng.choice(WORDS).replace('-', '')}{rng.choice(('', 's', 'Data'))}"
        return f"{ns}/{camel(rng, rng.choice(VERBS), rng.randint(0, 2))}"

    def _svg(self) -> str:
        """SVG elements and attributes."""
        rng = self.rng
        if rng.random() < 0.6:
            return "Web/SVG/Attribute/" + "-".join(
                rng.choice(WORDS) for _ in range(rng.randint(1, 2))
            )
        return f"Web/SVG/Element/fe{rng.choice(NOUNS)}"

    def _http(self) -> str:
        """HTTP headers, status codes and guides."""
        rng = self.rng
        r = rng.random()
        if r < 0.6:
            return "Web/HTTP/Headers/" + "-".join(
                rng.choice(WORDS).capitalize() for _ in range(rng.randint(1, 3))
            )
        if r < 0.8:
            return f"Web/HTTP/Status/{rng.randint(100, 599)}"
        return (
            "Web/HTTP/" + "_".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))).capitalize()
        )

    def _misc(self) -> str:
        """Smaller sections: ARIA, guides, PWAs, MathML."""
        rng = self.rng
        r = rng.random()
        if r < 0.4:
            return f"Web/Accessibility/ARIA/Attributes/aria-{rng.choice(WORDS).replace('-', '')}"
        if r < 0.7:
            return (
                "Web/Guide/"
                + "_".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4))).capitalize()
            )
        if r < 0.9:
            return (
                "Web/Progressive_web_apps/"
                + "_".join(rng.choice(WORDS) for _ in range(2)).capitalize()
            )
        return f"Web/MathML/Element/m{rng.choice(WORDS).replace('-', '')}"


# ---------------------------------------------------------------------------
# Page text
# ---------------------------------------------------------------------------


class EnglishText(ProseText):
    """Builds and edits English page texts (front matter + Markdown body)."""

    def __init__(self, rng: Random) -> None:
        """Pre-build a sentence pool so page generation stays cheap."""
        super().__init__(rng, 4000)

    def _sentence(self) -> str:
        """One plausible-looking documentation sentence."""
        rng = self.rng
        words = [rng.choice(WORDS) for _ in range(rng.randint(7, 20))]
        r = rng.random()
        if r < 0.25:
            words.insert(rng.randrange(len(words)), f"`{camel(rng, rng.choice(VERBS), 1)}()`")
        elif r < 0.4:
            words.insert(
                rng.randrange(len(words)),
                f'{{{{domxref("{rng.choice(PREFIXES)}{rng.choice(NOUNS)}")}}}}',
            )
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice((".", ".", ".", ":", "."))

    def link(self, target: str) -> str:
        """A link to the English page with slug ``target``."""
        return f"[{title_for(target)}](/en-US/docs/{target})"

    def code_line(self, indent: str) -> str:
        """One line of JavaScript for an example."""
        rng = self.rng
        obj = rng.choice(WORDS).replace("-", "")
        r = rng.random()
        if r < 0.4:
            call = camel(rng, rng.choice(VERBS), 1)
            return f"{indent}const {obj}{rng.randint(1, 9)} = {call}({rng.randint(0, 500)});"
        if r < 0.7:
            return f"{indent}console.log(`{obj}: ${{{obj}.{rng.choice(WORDS).replace('-', '')}}}`);"
        return f'{indent}{obj}.{camel(rng, rng.choice(VERBS), 1)}("{rng.choice(WORDS)}");'

    def code_block(self, tabs: bool) -> list[str]:
        """A fenced JavaScript example with one indented callback body."""
        rng = self.rng
        unit = "\t" if tabs else "  "
        lines = ["```js", self.code_line("")]
        target = rng.choice(WORDS).replace("-", "")
        lines.append(f'{target}.addEventListener("{rng.choice(WORDS)}", (event) => {{')
        lines += [self.code_line(unit) for _ in range(rng.randint(1, 5))]
        lines += ["});", "```"]
        return lines

    def page(self, slug: str, title: str, sloppy: dict[str, float], links: list[str]) -> str:
        """Full text of a new English page, with optional sloppy whitespace."""
        rng = self.rng
        flags = {name for name, p in sloppy.items() if rng.random() < p}
        target = int(1000 * 4 ** rng.random())  # 1-4 KB, skewed towards small pages
        lines = [self.paragraph(links)]
        size = len(lines[0])
        for heading in rng.sample(SECTION_HEADINGS, rng.randint(2, 5)):
            lines += ["", f"## {heading}", "", self.paragraph(links)]
            if rng.random() < 0.5:
                lines += ["", *self.code_block("tabs" in flags)]
            size = sum(len(x) + 1 for x in lines)
            if size >= target:
                break
        while size < target:
            lines += ["", self.paragraph(links)]
            size += len(lines[-1]) + 1
        lines += [
            "",
            "## Specifications",
            "",
            "{{Specifications}}",
            "",
            "## Browser compatibility",
            "",
            "{{Compat}}",
            "",
            "## See also",
            "",
        ]
        lines += [
            f"- [{title_for(s)}](/en-US/docs/{s})"
            for s in rng.sample(links, min(len(links), rng.randint(1, 4)))
        ]
        body = self._sloppify(lines, flags)
        head = f"---\ntitle: {yaml_str(title)}\nslug: {slug}\n---\n\n{sidebar_macro(slug)}\n\n"
        if "eof" in flags:
            return head + body + rng.choice(("", "\n\n"))
        return head + body + "\n"

    def _sloppify(self, lines: list[str], flags: set[str]) -> str:
        """Add trailing spaces / doubled blank lines to prose, as editors leave them."""
        rng = self.rng
        out: list[str] = []
        in_code = False
        for line in lines:
            if line.startswith("```"):
                in_code = not in_code
            elif not in_code:
                if "trailing" in flags and line and rng.random() < 0.2:
                    line += rng.choice((" ", "  ", "\t"))
                if "blank" in flags and not line and rng.random() < 0.2:
                    out.append("")
            out.append(line)
        return "\n".join(out)

    def edit(self, text: str, links: list[str]) -> str:
        """Apply one small, typical documentation edit to a page text."""
        rng = self.rng
        lines = text.split("\n")
        prose, code = classify_lines(lines)
        size = len(text)
        ops = ["typo", "sentence", "paragraph", "drop", "code", "link"]
        weights = [4, 3, 2 if size < 4200 else 0.2, 3 if size > 4200 else 0.5, 2 if code else 0, 1]
        if size < 1100:
            weights[2] = 4
        op = rng.choices(ops, weights)[0]
        if not prose and op != "code":
            op = "link"
        if op == "typo":
            i = rng.choice(prose)
            words = lines[i].split(" ")
            spots = [k for k, w in enumerate(words) if w.isalpha() and len(w) >= 4]
            if spots:
                k = rng.choice(spots)
                new = rng.choice(WORDS)
                words[k] = new.capitalize() if words[k][0].isupper() else new
                lines[i] = " ".join(words)
            else:
                lines[i] += " " + rng.choice(self.sentences)
        elif op == "sentence":
            i = rng.choice(prose)
            lines[i] = lines[i].rstrip() + " " + rng.choice(self.sentences)
        elif op == "paragraph":
            i = rng.choice(prose)
            lines[i + 1 : i + 1] = ["", self.paragraph(links)]
        elif op == "drop" and len(prose) > 3:
            i = rng.choice(prose)
            # Take the following blank line too so paragraphs stay separated by one.
            end = i + 2 if i + 1 < len(lines) and not lines[i + 1] else i + 1
            del lines[i:end]
        elif op == "code":
            i = rng.choice(code)
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            lines[i] = self.code_line(indent)
        elif links:
            slug = rng.choice(links)
            at = len(lines) - 1 if lines[-1] == "" else len(lines)
            lines.insert(at, f"- [{title_for(slug)}](/en-US/docs/{slug})")
        return "\n".join(lines)


def classify_lines(lines: list[str]) -> tuple[list[int], list[int]]:
    """Indices of editable prose lines and of code lines (front matter excluded)."""
    prose: list[int] = []
    code: list[int] = []
    start = lines.index("---", 1) + 1 if lines and lines[0] == "---" else 0
    in_code = False
    for i in range(start, len(lines)):
        line = lines[i]
        if line.startswith("```"):
            in_code = not in_code
        elif in_code:
            if line.strip() and line[0] in " \t":
                code.append(i)
        elif line.strip() and line[0] not in "#{-" and i + 1 < len(lines):
            prose.append(i)
    return prose, code


FORMATTERS: dict[str, Callable[[str], str]] = {
    "eof": lambda t: t.rstrip("\n") + "\n",
    "blank": lambda t: re.sub(r"\n{3,}", "\n\n", t),
    "trailing": lambda t: re.sub(r"[ \t]+$", "", t, flags=re.M),
    "tabs": lambda t: re.sub(r"^\t+", lambda m: "  " * len(m.group()), t, flags=re.M),
}


def replace_front_matter(text: str, slug: str, title: str) -> str:
    """Point a page's front matter at a new slug/title (as MDN moves do)."""
    text = re.sub(r"^slug: .*$", f"slug: {slug}", text, count=1, flags=re.M)
    return re.sub(r"^title: .*$", lambda _: f"title: {yaml_str(title)}", text, count=1, flags=re.M)


# ---------------------------------------------------------------------------
# English history
# ---------------------------------------------------------------------------


@dataclass
class Lifetime:
    """A page at one folder, alive on main from index ``start`` until ``end`` (exclusive)."""

    slug: str
    title: str
    start: int
    end: int | None = None
    prev: int | None = None  # lifetime this one was renamed from


@dataclass
class Page:
    """Current state of a live English page."""

    slug: str
    text: str
    lifetime: int


@dataclass
class Stats:
    """Counters reported in the summary."""

    merges: int = 0
    branch_commits: int = 0
    renamed: int = 0
    rename_commits: int = 0
    deleted: int = 0
    added: int = 0
    formatted: list[int] = field(default_factory=list)


class EnglishHistory:
    """Simulates and streams the history of the English content repository."""

    def __init__(self, rng: Random, sizes: dict[str, int], fi: FastImport) -> None:
        """Set up empty state; call run() to generate."""
        self.rng = rng
        self.sizes = sizes
        self.fi = fi
        self.text = EnglishText(rng)
        self.pages: dict[str, Page] = {}
        self.order: list[str] = []  # live folders; position ~ popularity
        self.pos: dict[str, int] = {}
        self.last_touch: dict[str, int] = {}  # folder -> main index of last change
        self.lifetimes: list[Lifetime] = []
        self.main_marks: list[int] = []
        self.main_times: list[int] = []
        self.branch_commits: list[tuple[int, int, int]] = []  # (base main index, mark, time)
        self.redirects: dict[str, str] = {}
        self.slugs = SlugFactory(rng, lambda f: f in self.pages)
        self.sloppy = {name: p for name, _, p, _ in FORMAT_PASSES}
        self.clock = EPOCH_START
        self.pr = 1000
        self.total = 0
        self.stats = Stats()

    # -- bookkeeping -------------------------------------------------------

    @property
    def idx(self) -> int:
        """Main-line index the next main commit will get."""
        return len(self.main_marks)

    def _pick(self) -> str:
        """A live page folder, skewed so a minority of pages gets most edits."""
        return self.order[int(len(self.order) * self.rng.random() ** 3)]

    def _links(self) -> list[str]:
        """A few live slugs to link to from new text."""
        return [self.pages[self._pick()].slug for _ in range(4)]

    def _add_page(self, slug: str, idx: int) -> str:
        """Create a page in memory and return its text."""
        folder = folder_of(slug)
        text = self.text.page(
            slug, title_for(slug), self.sloppy, self._links() if self.order else []
        )
        self.lifetimes.append(Lifetime(slug, title_for(slug), idx))
        self.pages[folder] = Page(slug, text, len(self.lifetimes) - 1)
        self.pos[folder] = len(self.order)
        self.order.append(folder)
        self.last_touch[folder] = idx
        return text

    def _drop_page(self, folder: str) -> Page:
        """Forget a page (deletion or the old side of a rename)."""
        page = self.pages.pop(folder)
        i = self.pos.pop(folder)
        last = self.order.pop()
        if last != folder:
            self.order[i] = last
            self.pos[last] = i
        del self.last_touch[folder]
        return page

    def _commit_main(self, message: str, changes: Iterable[bytes], merge: int | None = None) -> int:
        """Write a commit on main (a merge if ``merge`` is given) and return its index."""
        self.clock += self.rng.randint(600, 6600)
        parents = self.main_marks[-1:]
        if merge is None:
            message = f"{message} (#{self._next_pr()})"  # squash-merged PR style
        else:
            parents.append(merge)
        mark = self.fi.commit(b"refs/heads/main", self.clock, message, parents, changes)
        self.main_marks.append(mark)
        self.main_times.append(self.clock)
        self.total += 1
        return len(self.main_marks) - 1

    def _next_pr(self) -> int:
        """Fake pull-request number for commit messages."""
        self.pr += self.rng.randint(1, 3)
        return self.pr

    def _redirects_file(self) -> bytes:
        """The _redirects.txt change reflecting the current redirect map."""
        lines = [
            "# DO NOT EDIT THIS FILE MANUALLY.",
            "# Use the CLI instead:",
            "#",
            "#     yarn content add-redirect <fromURL> <toURL>",
            "#",
            "# FROM-URL\tTO-URL",
        ]
        lines += [
            f"{src}\t{dst}"
            for src, dst in sorted(self.redirects.items(), key=lambda kv: kv[0].lower())
        ]
        return modify("files/en-us/_redirects.txt", "\n".join(lines) + "\n")

    def _redirect(self, old_slug: str, new_slug: str) -> None:
        """Add old -> new and collapse chains that ended at old, like MDN's tool."""
        old, new = f"/en-US/docs/{old_slug}", f"/en-US/docs/{new_slug}"
        for src, dst in self.redirects.items():
            if dst == old:
                self.redirects[src] = new
        self.redirects[old] = new

    # -- commit kinds --------------------------------------------------------

    def run(self) -> None:
        """Generate the whole history."""
        self._initial_commit()
        formats = [
            (int(frac * self.sizes["commits"]), name, msg) for name, frac, _, msg in FORMAT_PASSES
        ]
        budget = {k: self.sizes[k] for k in ("renames", "deletions", "added_pages")}
        until_branch = self.rng.randint(*BRANCH_GAP)
        while self.total < self.sizes["commits"]:
            remaining = self.sizes["commits"] - self.total
            if formats and self.total >= formats[0][0]:
                _, name, msg = formats.pop(0)
                self._format_commit(name, msg)
                continue
            until_branch -= 1
            if until_branch <= 0 and remaining >= BRANCH_LEN[1] + 2:
                self._branch()
                until_branch = self.rng.randint(*BRANCH_GAP)
                continue
            self._main_step(budget, max(1.0, remaining * 0.9))

    def _main_step(self, budget: dict[str, int], slots: float) -> None:
        """One ordinary main-line commit; rare kinds are spread evenly over history."""
        r = self.rng.random() * slots
        if r < budget["renames"]:
            budget["renames"] -= self._rename_commit()
        elif r < budget["renames"] + budget["deletions"]:
            budget["deletions"] -= self._delete_commit()
        elif r < budget["renames"] + budget["deletions"] + budget["added_pages"]:
            self._add_commit()
            budget["added_pages"] -= 1
        else:
            self._edit_commit()

    def _initial_commit(self) -> None:
        """The big import commit every MDN-like history starts with."""
        idx = self.idx

        def changes() -> Iterator[bytes]:
            yield modify("README.md", "# MDN Web Docs content (synthetic benchmark copy)\n")
            for _ in range(self.sizes["initial_pages"]):
                slug = self.slugs.next()
                yield modify(en_path(folder_of(slug)), self._add_page(slug, idx))
            for _ in range(self.sizes["legacy_redirects"]):
                # Old wiki-era URLs pointing at live pages, as in MDN's real file.
                section = self.rng.choice(("DOM", "Web/Guide", "JavaScript"))
                old = f"{section}/{self.rng.choice(NOUNS)}"
                target = self.pages[self._pick()].slug
                self.redirects[f"/en-US/docs/{old}{self.rng.randint(1, 9999)}"] = (
                    f"/en-US/docs/{target}"
                )
            yield self._redirects_file()

        self.clock -= 3600
        self._commit_main("Initial import of MDN content", changes())

    def _edit_commit(self) -> None:
        """The common case: small text edits to 1-3 pages."""
        folders = list(
            dict.fromkeys(self._pick() for _ in range(self.rng.choices((1, 2, 3), (6, 3, 1))[0]))
        )
        idx = self.idx
        changes = []
        for folder in folders:
            page = self.pages[folder]
            for _ in range(self.rng.randint(1, 2)):
                page.text = self.text.edit(page.text, self._links())
            self.last_touch[folder] = idx
            changes.append(modify(en_path(folder), page.text))
        title = title_for(self.pages[folders[0]].slug)
        verb = self.rng.choice(
            ("Fix typo in", "Update", "Clarify", "Fix example in", "Improve", "Add details to")
        )
        self._commit_main(f"{verb} {title}", changes)

    def _add_commit(self) -> None:
        """A new page, plus a link to it from its parent page."""
        idx = self.idx
        slug = self.slugs.next()
        changes = [modify(en_path(folder_of(slug)), self._add_page(slug, idx))]
        parent = folder_of(slug.rsplit("/", 1)[0]) if "/" in slug else None
        if parent in self.pages:
            page = self.pages[parent]
            page.text = page.text.rstrip("\n") + f"\n- [{title_for(slug)}](/en-US/docs/{slug})\n"
            self.last_touch[parent] = idx
            changes.append(modify(en_path(parent), page.text))
        self.stats.added += 1
        self._commit_main(f"Add page for {title_for(slug)}", changes)

    def _subtree(self, folder: str) -> list[str]:
        """A page folder followed by all its live descendants."""
        prefix = folder + "/"
        return [folder, *sorted(f for f in self.order if f.startswith(prefix))]

    def _rename_commit(self) -> int:
        """Move a page (or a small subtree); returns the number of files renamed."""
        for _ in range(50):
            root = self.rng.choice(self.order)
            tree = self._subtree(root)
            new_root = self._new_location(self.pages[root].slug)
            if len(tree) <= 6 and new_root and not folder_of(new_root).startswith(root + "/"):
                break
        else:
            return 0
        old_root = self.pages[root].slug
        idx = self.idx
        pure = self.rng.random() < 0.4  # byte-identical move vs. move + slug/title edit
        changes = []
        for folder in tree:
            page = self._drop_page(folder)
            new_slug = new_root + page.slug[len(old_root) :]
            self.slugs.claim(new_slug)
            new_folder = folder_of(new_slug)
            self.lifetimes[page.lifetime].end = idx
            self.lifetimes.append(Lifetime(new_slug, title_for(new_slug), idx, prev=page.lifetime))
            text = page.text
            if pure:
                changes.append(rename(en_path(folder), en_path(new_folder)))
            else:
                text = replace_front_matter(text, new_slug, title_for(new_slug))
                if self.rng.random() < 0.3:
                    text = self.text.edit(text, [])
                changes += [delete(en_path(folder)), modify(en_path(new_folder), text)]
            self.pages[new_folder] = Page(new_slug, text, len(self.lifetimes) - 1)
            self.pos[new_folder] = len(self.order)
            self.order.append(new_folder)
            self.last_touch[new_folder] = idx
            self._redirect(page.slug, new_slug)
        changes.append(self._redirects_file())
        self.stats.renamed += len(tree)
        self.stats.rename_commits += 1
        self._commit_main(f"Move {old_root} to {new_root}", changes)
        return len(tree)

    def _new_location(self, slug: str) -> str | None:
        """A fresh slug for a moved page: renamed in place, or moved elsewhere."""
        rng = self.rng
        parent, _, leaf = slug.rpartition("/")
        if not parent:
            return None
        if rng.random() < 0.6:
            suffix = rng.choice(("_event", "_static", "_property", "_API", "_guide", "_overview"))
            new = f"{parent}/{leaf}{suffix}"
        else:
            host = self.pages[self._pick()].slug
            if host.count("/") > 4 or host.startswith(slug):
                return None
            new = f"{host}/{leaf}"
        return new if folder_of(new) not in self.slugs.used else None

    def _delete_commit(self) -> int:
        """Remove a leaf page and redirect it to its parent; returns pages deleted."""
        for _ in range(50):
            folder = self.rng.choice(self.order)
            slug = self.pages[folder].slug
            if "/" in slug and len(self._subtree(folder)) == 1:
                break
        else:
            return 0
        idx = self.idx
        page = self._drop_page(folder)
        self.lifetimes[page.lifetime].end = idx
        self._redirect(slug, slug.rsplit("/", 1)[0])
        self.stats.deleted += 1
        self._commit_main(
            f"Remove obsolete page {title_for(slug)}",
            [delete(en_path(folder)), self._redirects_file()],
        )
        return 1

    def _format_commit(self, name: str, message: str) -> None:
        """A mass whitespace-only reformatting of every page that needs it."""
        fmt = FORMATTERS[name]
        idx = self.idx
        touched = 0
        self.sloppy.pop(name)  # pages created from now on are already clean

        def changes() -> Iterator[bytes]:
            nonlocal touched
            for folder in self.order:
                page = self.pages[folder]
                new = fmt(page.text)
                if new != page.text:
                    page.text = new
                    self.last_touch[folder] = idx
                    touched += 1
                    yield modify(en_path(folder), new)

        self._commit_main(message, changes())
        self.stats.formatted.append(touched)

    def _branch(self) -> None:
        """A side branch of 2-5 commits, merged back with a real merge commit."""
        rng = self.rng
        tip = self.idx - 1
        base = tip if rng.random() < 0.5 else max(0, tip - rng.randint(1, OLD_BASE_MAX))
        length = rng.randint(*BRANCH_LEN)
        # Only pages untouched on main since `base` are edited, so their text at
        # `base` equals today's and the merge result is simply "main + branch".
        texts: dict[str, str] = {}
        mark = self.main_marks[base]
        span = self.clock - self.main_times[base]
        for j in range(length):
            folders = [
                f
                for f in (self._pick() for _ in range(rng.randint(1, 2)))
                if self.last_touch[f] <= base
            ]
            if not folders:
                folders = [self._fallback_branch_page(base)]
            changes = []
            for folder in dict.fromkeys(folders):
                texts[folder] = self.text.edit(
                    texts.get(folder, self.pages[folder].text), self._links()
                )
                changes.append(modify(en_path(folder), texts[folder]))
            when = self.main_times[base] + 60 * (j + 1) + span * (j + 1) // (length + 1)
            verb = rng.choice(("Fix", "Update", "Tweak", "Reword"))
            msg = f"{verb} {title_for(self.pages[folders[0]].slug)}"
            mark = self.fi.commit(b"refs/heads/_pr", when, msg, [mark], changes)
            self.branch_commits.append((base, mark, when))
            self.total += 1
            self.stats.branch_commits += 1
        idx = self.idx
        for folder, text in texts.items():
            self.pages[folder].text = text
            self.last_touch[folder] = idx
        pr = self._next_pr()
        changes = [modify(en_path(f), t) for f, t in texts.items()]
        self._commit_main(
            f"Merge pull request #{pr} from contributor/fix-{pr}", changes, merge=mark
        )
        self.stats.merges += 1

    def _fallback_branch_page(self, base: int) -> str:
        """Any page untouched since ``base`` (the initial import guarantees one exists)."""
        for _ in range(1000):
            folder = self.rng.choice(self.order)
            if self.last_touch[folder] <= base:
                return folder
        return next(f for f in self.order if self.last_touch[f] <= base)


# ---------------------------------------------------------------------------
# Translations
# ---------------------------------------------------------------------------

class LocaleText:
    """Pseudo-translated text in one locale's script."""

    def __init__(self, rng: Random, locale: str) -> None:
        """Pre-build a per-locale sentence pool."""
        self.rng = rng
        self.sep = SCRIPTS[locale][1]
        self.words, self.sentences = locale_pools(rng, SCRIPTS[locale])

    def title(self, english: str) -> str:
        """Keep code-like titles; pseudo-translate prose titles."""
        if ":" in english or "_" in english or " " not in english:
            return english
        return self.sep.join(self.rng.choice(self.words) for _ in english.split(" ")).capitalize()

    def page(self, slug: str, title: str, sha: str) -> str:
        """Full text of a translated page recording its English source commit."""
        rng = self.rng
        lines = [
            "---",
            f"title: {yaml_str(self.title(title))}",
            f"slug: {slug}",
            "l10n:",
            f"  sourceCommit: {sha}",
            "---",
            "",
            sidebar_macro(slug),
            "",
        ]
        for _ in range(rng.randint(2, 5)):
            lines += [
                self.sep.join(rng.choice(self.sentences) for _ in range(rng.randint(2, 5))),
                "",
            ]
            if rng.random() < 0.4:
                lines += [f"## {rng.choice(self.words).capitalize()}", ""]
        obj = slug.rsplit("/", 1)[-1].lower().replace("-", "_").replace(".", "_")
        lines += [
            "```js",
            f'{obj}.addEventListener("load", () => {{}});',
            "```",
            "",
            f"## {rng.choice(self.words)}",
            "",
            "{{Specifications}}",
            "",
            f"## {rng.choice(self.words)}",
            "",
            "{{Compat}}",
            "",
        ]
        return "\n".join(lines)


@dataclass
class Translation:
    """One translated page to write."""

    locale: str
    slug: str
    title: str
    mark: int  # English commit (fast-import mark) it was translated from
    when: int  # that commit's date, used to order translation commits


class TranslationPlanner:
    """Decides which pages each locale has and which English commit each records."""

    def __init__(self, rng: Random, eng: EnglishHistory) -> None:
        """Index the English history for source-commit picking."""
        self.rng = rng
        self.eng = eng
        self.branch = sorted(eng.branch_commits)
        self.branch_bases = [b for b, _, _ in self.branch]
        successor = {lt.prev: i for i, lt in enumerate(eng.lifetimes) if lt.prev is not None}
        self.chains: list[list[int]] = []  # lifetimes of one page across its renames
        for i, lt in enumerate(eng.lifetimes):
            if lt.prev is None:
                chain = [i]
                while chain[-1] in successor:
                    chain.append(successor[chain[-1]])
                self.chains.append(chain)

    def plan(self) -> list[Translation]:
        """All translations of all locales."""
        out: list[Translation] = []
        for locale, coverage in LOCALES:
            for chain in self.chains:
                out += self._translate(locale, coverage, chain)
        return out

    def _translate(self, locale: str, coverage: float, chain: list[int]) -> list[Translation]:
        """Zero or one translation of a page (possibly left at an old folder)."""
        rng = self.rng
        lts = self.eng.lifetimes
        alive = lts[chain[-1]].end is None
        if rng.random() >= (coverage if alive else coverage * 0.3):
            return []
        if not alive:
            # Translation of a page deleted later: it still sits at its old folder.
            where = source = rng.choice(chain)
        elif len(chain) > 1 and rng.random() < 0.15:
            # Never moved along with the English page: old folder, pre-rename sha.
            where = source = rng.choice(chain[:-1])
        else:
            where = chain[-1]
            # Some were translated before the move and then moved without an update.
            source = rng.choice(chain[:-1]) if len(chain) > 1 and rng.random() < 0.3 else where
        mark, when = self._source_commit(lts[source])
        return [Translation(locale, lts[where].slug, lts[where].title, mark, when)]

    def _source_commit(self, lt: Lifetime) -> tuple[int, int]:
        """A commit at which the page existed: mostly recent, with a long tail."""
        rng = self.rng
        eng = self.eng
        lo = lt.start
        hi = (lt.end if lt.end is not None else len(eng.main_marks)) - 1
        if rng.random() < SIDE_BRANCH_SHARE:
            a = bisect.bisect_left(self.branch_bases, lo)
            b = bisect.bisect_right(self.branch_bases, hi)
            if a < b:
                _, mark, when = self.branch[rng.randrange(a, b)]
                return mark, when
        span = hi - lo + 1
        u = rng.random()
        back = int(span * 0.05 * u) if rng.random() < 0.25 else int(span * u**2.5)
        i = max(lo, hi - back)
        return eng.main_marks[i], eng.main_times[i]


def write_translations(
    repo: Path, rng: Random, plan: list[Translation], shas: dict[int, str], n_commits: int
) -> int:
    """Commit all translations in batches ordered by source date; returns commits written."""
    plan.sort(key=lambda t: (t.when, t.locale, t.slug))
    texts = {locale: LocaleText(rng, locale) for locale, _ in LOCALES}
    fi = FastImport(repo)
    batch = max(1, math.ceil(len(plan) / n_commits))
    parents: list[int] = []
    when = EPOCH_START
    written = 0
    for start in range(0, len(plan), batch):
        chunk = plan[start : start + batch]
        when = max(when + 60, max(t.when for t in chunk) + 3600)
        readme = "# MDN Web Docs translated content (synthetic benchmark copy)\n"
        changes = [] if parents else [modify("README.md", readme)]
        changes += (
            modify(
                f"files/{t.locale}/{folder_of(t.slug)}/index.md",
                texts[t.locale].page(t.slug, t.title, shas[t.mark]),
            )
            for t in chunk
        )
        locales = ", ".join(sorted({t.locale for t in chunk}))
        parents = [
            fi.commit(b"refs/heads/main", when, f"Sync translations ({locales})", parents, changes)
        ]
        written += 1
    fi.close()
    return written


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def generate(outdir: Path, scale: float, seed: int) -> dict[str, object]:
    """Generate both repositories and return a summary."""
    started = time.monotonic()
    sizes = scaled_sizes(FULL_SIZES, scale)
    content, translated = outdir / "content", outdir / "translated-content"
    init_repo(content)
    init_repo(translated)
    marks_file = content / ".git" / "bench-marks"

    fi = FastImport(content, marks_file)
    eng = EnglishHistory(Random(seed), sizes, fi)
    eng.run()
    fi.close()
    subprocess.run(["git", "-C", str(content), "update-ref", "-d", "refs/heads/_pr"], check=True)
    checkout(content)
    english_seconds = time.monotonic() - started

    plan = TranslationPlanner(Random(seed + 1), eng).plan()
    n_tr_commits = write_translations(
        translated, Random(seed + 2), plan, read_marks(marks_file), sizes["translation_commits"]
    )
    checkout(translated)
    st = eng.stats
    return {
        "scale": scale,
        "seed": seed,
        "content": {
            "commits": git_count(content, "rev-list", "--count", "--all"),
            "merges": st.merges,
            "side_branch_commits": st.branch_commits,
            "pages": len(eng.pages),
            "pages_added_after_import": st.added,
            "renamed_files": st.renamed,
            "rename_commits": st.rename_commits,
            "deleted_pages": st.deleted,
            "format_commit_pages": st.formatted,
            "redirects": len(eng.redirects),
        },
        "translated_content": {
            "pages": len(plan),
            "commits": n_tr_commits,
            "per_locale": {loc: sum(1 for t in plan if t.locale == loc) for loc, _ in LOCALES},
        },
        "english_seconds": round(english_seconds, 1),
        "elapsed_seconds": round(time.monotonic() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args = generator_arguments(
        __doc__,
        outdir_help="directory to create content/ and translated-content/ in",
        scale_help="size relative to MDN (default 1.0)",
        force_help="replace existing repositories in OUTDIR",
        argv=argv,
    )
    prepare_outdir(args.outdir, ("content", "translated-content"), args.force)
    summary = generate(args.outdir, args.scale, args.seed)
    write_summary(args.outdir, summary)
    c, t = summary["content"], summary["translated_content"]
    assert isinstance(c, dict) and isinstance(t, dict)
    print(
        f"content: {c['commits']} commits ({c['merges']} merges), {c['pages']} pages, "
        f"{c['renamed_files']} renamed, {c['deleted_pages']} deleted, format passes touched "
        f"{'/'.join(map(str, c['format_commit_pages']))} pages; "
        f"translated-content: {t['pages']} pages in {t['commits']} commits; "
        f"{summary['elapsed_seconds']}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
